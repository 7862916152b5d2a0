"""The StackGAN paper config's Stage-II options: StackGAN-Pytorch's unconditional D logits and
Stage-I on batch statistics while Stage-II trains."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_stackgan import losses
from keras_stackgan.models.stackgan import (
    StackGANDiscriminator,
    StageIGAN,
    StageIIGAN,
    stackgan_config,
)
from tests.models.adversarial_harness import run_network_tests
from tests.models.stackgan.conftest import TINY, random_batch
from tests.test_case import run_model_saving_test

PAPER_OPTIONS = {"stage2_uncond_logits": True, "stage1_batch_statistics": True}


def _d_inputs(batch=2, size=128):
    real, embeddings, _ = random_batch(batch, size)
    return {"images": real, "embedding": embeddings}


def _stage2(seed=0, **options):
    stage1 = StageIGAN.from_stackgan_config(TINY, seed=seed)
    return StageIIGAN.from_stackgan_config(stage1.generator, TINY.replace(**options), seed=seed)


def test_configs():
    paper, small = stackgan_config("paper"), stackgan_config("small")
    assert paper.stage2_uncond_logits and paper.stage1_batch_statistics
    assert not small.stage2_uncond_logits and not small.stage1_batch_statistics
    recorded = small.to_dict()  # a dict recorded before the fields existed
    for key in PAPER_OPTIONS:
        del recorded[key]
    assert stackgan_config(recorded) == small
    assert type(paper).from_dict(paper.to_dict()) == paper


def test_uncond_discriminator_outputs_and_round_trips(tmp_path):
    d = StackGANDiscriminator(16, 128, df_dim=4, uncond_logits=True)
    out = d(_d_inputs(), training=False)
    assert sorted(out) == ["logits", "uncond_logits"]
    for value in out.values():
        assert tuple(value.shape) == (2, 1) and value.dtype == "float32"
    # The unconditional logit ignores the text; the conditional one does not.
    swapped = dict(_d_inputs(), embedding=_d_inputs()["embedding"][::-1].copy())
    other = d(swapped, training=False)
    np.testing.assert_allclose(out["uncond_logits"], other["uncond_logits"], atol=1e-6)
    assert not np.allclose(out["logits"], other["logits"])
    # The head is a 4x4 conv of the 8*df_dim image code to one logit (with bias).
    head = d.get_layer("uncond_logits")
    assert head.kernel.shape == (4, 4, 32, 1) and head.bias.shape == (1,)
    plain = StackGANDiscriminator(16, 128, df_dim=4)
    assert d.count_params() == plain.count_params() + 4 * 4 * 32 + 1
    restored = run_network_tests(d, _d_inputs(), tmp_path)
    assert restored.uncond_logits is True


def test_uncond_logits_float32_under_mixed_precision():
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        d = StackGANDiscriminator(16, 128, df_dim=4, uncond_logits=True)
        out = d(_d_inputs())
    finally:
        keras.mixed_precision.set_global_policy("float32")
    assert out["logits"].dtype == out["uncond_logits"].dtype == "float32"


def test_old_discriminator_configs_have_one_output():
    config = StackGANDiscriminator(16, 128, df_dim=4).get_config()
    assert config["uncond_logits"] is False
    del config["uncond_logits"], config["text_batch_norm"]
    d = StackGANDiscriminator.from_config(config)
    assert d.uncond_logits is False
    assert tuple(d(_d_inputs()).shape) == (2, 1)


def test_trainer_losses_follow_the_pytorch_formula():
    gan = _stage2(stage2_uncond_logits=True)
    gan.compile(jit_compile=False)
    assert gan.has_uncond_logits and gan.discriminator.uncond_logits
    real, embeddings, wrong = (tf.constant(x) for x in random_batch(4, 128))
    batch = {"real": real, "embedding": embeddings, "wrong": wrong}
    fakes = gan.generate_fakes(batch, 0, training=False)
    d_loss, d_logs = gan.discriminator_loss(batch, fakes, training=False)
    scores = {
        name: gan.discriminator({"images": images, "embedding": embeddings}, training=False)
        for name, images in [("real", real), ("wrong", wrong), ("fake", fakes["images"])]
    }
    expected = losses.uncond_discriminator_loss(
        scores["real"]["logits"],
        scores["wrong"]["logits"],
        scores["fake"]["logits"],
        scores["real"]["uncond_logits"],
        scores["fake"]["uncond_logits"],
    )["loss"]
    np.testing.assert_allclose(d_loss, expected, rtol=1e-6)
    assert {"d_uncond_real", "d_uncond_fake"} <= set(d_logs)
    g_loss, g_logs = gan.generator_loss(batch, fakes, training=False)
    expected_g = losses.uncond_generator_loss(
        scores["fake"]["logits"], scores["fake"]["uncond_logits"]
    ) + gan.kl_coefficient * losses.kl_divergence(fakes["mu"], fakes["logvar"])
    np.testing.assert_allclose(g_loss, expected_g, rtol=1e-6)


def test_paper_options_fit_is_finite_and_keeps_stage1_unchanged():
    gan = _stage2(**PAPER_OPTIONS)
    assert gan.stage1_batch_statistics
    gan.compile(jit_compile=False)
    stage1 = gan.stage1_generator
    frozen = [w.numpy().copy() for w in stage1.weights]
    data = tf.data.Dataset.from_tensor_slices(random_batch(8, 128)).batch(4)
    history = gan.fit(data, epochs=1, verbose=0).history
    assert {"d_uncond_real", "d_uncond_fake"} <= set(history)
    assert all(np.isfinite(v[-1]) for v in history.values()), history
    # Neither Stage-I's weights nor its moving averages moved; it is still frozen.
    for before, w in zip(frozen, stage1.weights, strict=True):
        np.testing.assert_array_equal(before, w.numpy())
    assert not stage1.trainable and not stage1.trainable_weights
    assert gan.generator_variables == gan.generator.trainable_variables


def test_stage1_batch_statistics_mode():
    gan = _stage2(stage1_batch_statistics=True)
    stage1 = gan.stage1_generator
    rng = np.random.default_rng(0)
    inputs = {
        "embedding": tf.constant(rng.normal(size=(4, 16)), "float32"),
        "noise": tf.constant(rng.normal(size=(4, TINY.noise_dim)), "float32"),
        "ca_noise": tf.constant(rng.normal(size=(4, TINY.condition_dim)), "float32"),
    }
    frozen = [w.numpy().copy() for w in stage1.weights]
    inference = stage1(inputs, training=False)["images"]
    batch_stats = gan.stage1_images(inputs, training=True)
    # Different from inference mode, equal to a trainable copy's training-mode output.
    assert not np.allclose(inference, batch_stats, atol=1e-4)
    copy = type(stage1).from_config(stage1.get_config())
    copy(inputs)
    copy.set_weights(stage1.get_weights())
    np.testing.assert_allclose(copy(inputs, training=True)["images"], batch_stats, atol=1e-5)
    # The same inside a traced (and an XLA-compiled) function, as in a training step.
    for jit in (False, True):
        traced = tf.function(lambda x: gan.stage1_images(x, training=True), jit_compile=jit)
        np.testing.assert_allclose(traced(inputs), batch_stats, atol=1e-5)
    for before, w in zip(frozen, stage1.weights, strict=True):
        np.testing.assert_array_equal(before, w.numpy())
    assert not stage1.trainable
    # Off (the default) and outside training, Stage-I runs in inference mode.
    np.testing.assert_array_equal(gan.stage1_images(inputs, training=False), inference)
    off = StageIIGAN(stage1, gan.generator, gan.discriminator)
    np.testing.assert_array_equal(off.stage1_images(inputs, training=True), inference)


@pytest.mark.parametrize("jit_compile", [False, True])
def test_batch_statistics_step_compiles(jit_compile):
    gan = _stage2(**PAPER_OPTIONS)
    gan.compile(jit_compile=jit_compile)
    data = tf.data.Dataset.from_tensor_slices(random_batch(4, 128)).batch(4)
    history = gan.fit(data, epochs=1, verbose=0).history
    assert all(np.isfinite(v[-1]) for v in history.values()), history


def test_trainer_saving_round_trip_with_paper_options(tmp_path):
    gan = _stage2(seed=3, **PAPER_OPTIONS)
    gan.compile(jit_compile=False)
    data = random_batch(4, 128)
    gan.fit(tf.data.Dataset.from_tensors(data), epochs=1, verbose=0)
    rng = np.random.default_rng(1)
    inputs = {"embedding": data[1], "noise": rng.normal(size=(4, 100)).astype("float32")}
    restored = run_model_saving_test(gan, inputs, tmp_path)
    assert restored.stage1_batch_statistics is True
    assert restored.discriminator.uncond_logits is True
    assert not restored.stage1_generator.trainable
    assert restored.get_config()["stage1_batch_statistics"] is True
    # A trainer config saved before the option loads with it off.
    config = gan.get_config()
    del config["stage1_batch_statistics"]
    assert StageIIGAN.from_config(config).stage1_batch_statistics is False
