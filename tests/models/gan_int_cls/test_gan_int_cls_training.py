"""Training behaviour of GAN-INT-CLS: the variants' terms, learning, evaluation, mixed precision."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_stackgan.models.compile_mode import resolve_jit_compile
from keras_stackgan.models.gan_int_cls import GANINTCLS, interpolate_embeddings
from tests.models.gan_int_cls.conftest import TINY, generator_inputs, random_batch
from tests.models.stackgan.conftest import gradient_images


def bce(logits, label):
    p = 1.0 / (1.0 + np.exp(-np.asarray(logits, "float64")))
    return float(-np.mean(label * np.log(p) + (1.0 - label) * np.log(1.0 - p)))


def _constant_judge(gan, logit):
    """Makes the discriminator answer ``logit`` for every input (all weights 0 but one bias)."""
    for w in gan.discriminator.weights:
        w.assign(np.zeros(w.shape, w.dtype))
    gan.discriminator.get_layer("head").logits.bias.assign([logit])


def _record_calls(gan):
    """Records the inputs of every generator and discriminator call (eager steps only)."""
    calls = {"generator": [], "discriminator": []}
    generate_fake, score = gan.generate_fake, gan.score

    def recording_generate_fake(embeddings, noise, *args, **kwargs):
        calls["generator"].append(np.asarray(embeddings))
        return generate_fake(embeddings, noise, *args, **kwargs)

    def recording_score(images, embeddings, training):
        calls["discriminator"].append((np.asarray(images), np.asarray(embeddings)))
        return score(images, embeddings, training)

    gan.generate_fake, gan.score = recording_generate_fake, recording_score
    return calls


@pytest.mark.parametrize("variant", ["gan", "gan-cls", "gan-int", "gan-int-cls"])
def test_each_variant_has_exactly_its_terms(variant):
    """A judge with fixed logits gives hand-computed losses; wrong and interpolated inputs are
    used by the variants that have CLS / INT and by no other."""
    c = 0.8
    gan = GANINTCLS.from_gan_int_cls_config(TINY, seed=0)
    gan.compile(
        d_optimizer=keras.optimizers.SGD(0.0),
        variant=variant,
        interpolation_weight=0.5,
        jit_compile=False,
        run_eagerly=True,
    )
    _constant_judge(gan, c)
    calls = _record_calls(gan)
    cls, interpolation = "cls" in variant, "int" in variant
    real, embeddings, wrong = random_batch(4)
    if not cls:
        wrong = np.full_like(wrong, np.nan)  # never scored without CLS, so never reaches a loss
    logs = gan.fit(tf.data.Dataset.from_tensors((real, embeddings, wrong)), verbose=0).history
    logs = {k: v[-1] for k, v in logs.items()}

    assert set(logs) == set(gan.variant.metric_names)
    assert ("d_wrong" in logs) == cls and ("g_int" in logs) == interpolation
    assert logs["d_loss"] == pytest.approx(bce(c, 1) + bce(c, 0), rel=1e-5)
    # One weighted BCE mean over the 1.5x batch (4 matched at weight 1, 2 interpolated at 0.5).
    expected_g = bce(c, 1) * ((4 + 0.5 * 2) / 6 if interpolation else 1.0)
    assert logs["g_loss"] == pytest.approx(expected_g, rel=1e-5)
    assert "kl" not in logs  # no Conditioning Augmentation, so no KL term is reported
    assert logs["d_real"] == pytest.approx(1 / (1 + np.exp(-c)), rel=1e-5)
    if interpolation:
        assert logs["g_int"] == pytest.approx(bce(c, 1), rel=1e-5)

    # One generator pass: the batch's text, followed with INT by the interpolated text.
    interpolated = np.asarray(interpolate_embeddings(embeddings, 0.5))
    expected_text = np.concatenate([embeddings, interpolated]) if interpolation else embeddings
    assert len(calls["generator"]) == 1
    np.testing.assert_allclose(calls["generator"][0], expected_text, rtol=1e-6)
    # D: real, [wrong,] fake in its own step, then G's images in the generator step.
    scored = calls["discriminator"]
    assert len(scored) == (4 if cls else 3)
    np.testing.assert_array_equal(scored[0][0], real)
    if cls:
        np.testing.assert_array_equal(scored[1][0], wrong)
    assert all(not np.isnan(images).any() for images, _ in scored)
    np.testing.assert_allclose(scored[-1][1], expected_text, rtol=1e-6)
    assert all(len(text) == 4 for _, text in scored[:-1])
    assert len(scored[-1][1]) == (6 if interpolation else 4)  # B + B // 2 with INT


def _scores(gan, real, inputs):
    fake = gan.generator(inputs, training=True)["images"]
    real_logits = gan.discriminator(
        {"images": real, "embedding": inputs["embedding"]}, training=True
    )
    fake_logits = gan.discriminator(
        {"images": fake, "embedding": inputs["embedding"]}, training=True
    )
    accuracy = (np.mean(real_logits > 0) + np.mean(fake_logits < 0)) / 2
    return accuracy, bce(fake_logits, 1)


def test_tiny_gan_int_cls_learns_on_eight_fixed_images():
    """D learns to tell real from fake, and G learns to fool the trained D.

    G's loss is measured against one fixed judge, the discriminator at the end of training:
    against it the trained generator scores a lower loss than the untrained one.
    """
    keras.utils.set_random_seed(0)
    real = gradient_images()
    inputs = generator_inputs(8, seed=1)
    gan = GANINTCLS.from_gan_int_cls_config(TINY, seed=1)
    gan.compile(
        keras.optimizers.Adam(1e-3, beta_1=0.5),
        keras.optimizers.Adam(1e-3, beta_1=0.5),
        jit_compile=False,
    )
    initial_g = gan.generator.get_weights()
    accuracy_before, _ = _scores(gan, real, inputs)
    data = (real, inputs["embedding"], np.roll(real, 1, axis=0))
    history = gan.fit(
        tf.data.Dataset.from_tensors(data).repeat(), steps_per_epoch=30, epochs=1, verbose=0
    ).history

    accuracy_after, g_loss_trained = _scores(gan, real, inputs)
    trained_g = gan.generator.get_weights()
    gan.generator.set_weights(initial_g)
    _, g_loss_untrained = _scores(gan, real, inputs)
    gan.generator.set_weights(trained_g)

    assert accuracy_after >= accuracy_before + 0.3, (accuracy_before, accuracy_after)
    assert g_loss_trained < 0.7 * g_loss_untrained, (g_loss_untrained, g_loss_trained)
    assert all(np.isfinite(v[-1]) for v in history.values())


def test_evaluate_is_deterministic_and_changes_nothing():
    gan = GANINTCLS.from_gan_int_cls_config(TINY, seed=0)
    gan.compile(variant="gan-int-cls", jit_compile=False, run_eagerly=True)
    data = tf.data.Dataset.from_tensor_slices(random_batch(8)).batch(4)
    weights = [w.numpy().copy() for w in gan.weights]
    first = gan.evaluate(data, verbose=0, return_dict=True)
    assert first == gan.evaluate(data, verbose=0, return_dict=True)
    assert set(first) == set(gan.variant.metric_names)
    assert all(np.isfinite(v) for v in first.values()) and "kl" not in first
    for before, w in zip(weights, gan.weights):
        np.testing.assert_array_equal(before, w.numpy())


def test_mixed_float16_fit_gives_finite_losses():
    keras.mixed_precision.set_global_policy("mixed_float16")
    gan = GANINTCLS.from_gan_int_cls_config(TINY, seed=0)
    gan.compile(jit_compile=False, run_eagerly=True)  # float16 graphs trace slowly on a CPU
    assert isinstance(gan.g_optimizer, keras.optimizers.LossScaleOptimizer)
    assert gan.generator.get_layer("up_1").compute_dtype == "float16"
    history = gan.fit(tf.data.Dataset.from_tensors(random_batch(2)), verbose=0).history
    for name, values in history.items():
        assert np.all(np.isfinite(values)), name
    images = gan.generate(random_batch(2)[1], seed=0)
    assert images.dtype == np.float32 and np.all(np.abs(images) <= 1)


def test_compile_arguments():
    gan = GANINTCLS.from_gan_int_cls_config(TINY)
    gan.compile()
    assert gan.variant.name == "gan-int-cls" and gan.jit_compile is resolve_jit_compile("auto")
    assert gan.interpolation_weight == 1.0 and gan.interpolation_beta == 0.5
    assert "kl_coefficient" not in gan.get_compile_config()
    with pytest.raises(ValueError, match="variant"):
        gan.compile(variant="gan-cls-int-x")
    with pytest.raises(ValueError, match="interpolation_weight"):
        gan.compile(interpolation_weight=-1)
    with pytest.raises(ValueError, match="interpolation_beta"):
        gan.compile(interpolation_beta=1.5)
    with pytest.raises(ValueError, match="wrong_weight"):
        gan.compile(wrong_weight=2)
    with pytest.raises(TypeError, match="kl_coefficient"):  # no CA, so no KL weight to set
        gan.compile(variant="GAN", kl_coefficient=2.0)
    gan.compile(variant="GAN")
    assert [m.name for m in gan.metrics] == ["d_loss", "g_loss", "d_real", "d_fake"]
