"""Training behaviour of the StackGAN models: learning, bad input, mixed precision, schedules."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_stackgan.models.compile_mode import resolve_jit_compile
from keras_stackgan.models.stackgan import (
    StageIGAN,
    StageIIGAN,
    paper_learning_rate,
    paper_optimizers,
    stackgan_config,
)
from tests.models.stackgan.conftest import TINY, gradient_images, random_batch


def _scores(gan, real, embeddings, noise):
    zeros = np.zeros((len(real), gan.condition_dim), "float32")
    fake = gan.generator(
        {"embedding": embeddings, "noise": noise, "ca_noise": zeros}, training=True
    )["images"]
    real_logits = gan.discriminator({"images": real, "embedding": embeddings}, training=True)
    fake_logits = gan.discriminator({"images": fake, "embedding": embeddings}, training=True)
    accuracy = (np.mean(real_logits > 0) + np.mean(fake_logits < 0)) / 2
    g_loss = float(np.mean(np.log1p(np.exp(-np.asarray(fake_logits)))))
    return accuracy, g_loss


def test_tiny_gan_learns_on_eight_fixed_images():
    """D learns to tell real from fake, and G learns to fool the trained D.

    G's loss is measured against one fixed judge, the discriminator at the end of training:
    against it the trained generator must score a lower loss than the untrained one (against the
    co-evolving D the training-time G loss rises while D improves, as usual for GANs).
    """
    keras.utils.set_random_seed(0)
    real = gradient_images()
    rng = np.random.default_rng(1)
    embeddings = rng.normal(size=(8, 16)).astype("float32")
    noise = rng.normal(size=(8, TINY.noise_dim)).astype("float32")
    gan = StageIGAN.from_stackgan_config(TINY, seed=1)
    gan.compile()
    initial_g = gan.generator.get_weights()
    accuracy_before, _ = _scores(gan, real, embeddings, noise)
    ca_before = gan.generator.get_layer("conditioning_augmentation").get_weights()

    data = tf.data.Dataset.from_tensors((real, embeddings, np.roll(real, 1, axis=0))).repeat()
    history = gan.fit(data, steps_per_epoch=300, epochs=1, verbose=0).history

    accuracy_after, g_loss_trained = _scores(gan, real, embeddings, noise)
    trained_g = gan.generator.get_weights()
    gan.generator.set_weights(initial_g)
    _, g_loss_untrained = _scores(gan, real, embeddings, noise)
    gan.generator.set_weights(trained_g)

    assert accuracy_after >= accuracy_before + 0.3, (accuracy_before, accuracy_after)
    assert g_loss_trained < 0.7 * g_loss_untrained, (g_loss_untrained, g_loss_trained)
    assert history["d_real"][-1] > 0.8 and history["d_fake"][-1] < 0.2
    # The CA network is trained too (some Keras ports never update it).
    ca_after = gan.generator.get_layer("conditioning_augmentation").get_weights()
    assert any(not np.allclose(a, b) for a, b in zip(ca_before, ca_after))


def test_metrics_and_test_step(stage1_dataset):
    gan = StageIGAN.from_stackgan_config(TINY, seed=0)
    gan.compile()
    history = gan.fit(stage1_dataset, epochs=1, verbose=0).history
    assert set(history) == {"d_loss", "g_loss", "kl", "d_real", "d_wrong", "d_fake"}
    weights = [w.numpy().copy() for w in gan.weights]
    first = gan.evaluate(stage1_dataset, verbose=0, return_dict=True)
    assert first == gan.evaluate(stage1_dataset, verbose=0, return_dict=True)  # deterministic
    assert all(np.isfinite(v) for v in first.values())
    trainable_after = [w.numpy() for w in gan.weights]
    for before, after in zip(weights, trainable_after):
        np.testing.assert_array_equal(before, after)  # no update, no BN statistics change


def test_stage2_trains_and_keeps_stage1_frozen():
    stage1 = StageIGAN.from_stackgan_config(TINY, seed=0)
    gan = StageIIGAN.from_stackgan_config(stage1.generator, TINY, seed=0)
    gan.compile()
    frozen = [w.numpy().copy() for w in stage1.generator.weights]
    trained = [w.numpy().copy() for w in gan.generator.trainable_weights]
    data = tf.data.Dataset.from_tensor_slices(random_batch(8, 128)).batch(4)
    history = gan.fit(data, epochs=1, verbose=0).history
    assert all(np.isfinite(v[-1]) for v in history.values())
    for before, w in zip(frozen, stage1.generator.weights):
        np.testing.assert_array_equal(before, w.numpy())
    assert any(
        not np.allclose(b, w.numpy()) for b, w in zip(trained, gan.generator.trainable_weights)
    )


@pytest.mark.parametrize(
    "batch, message",
    [
        ((np.zeros((4, 64, 64, 3)), np.zeros((4, 15)), np.zeros((4, 64, 64, 3))), r"\[batch, 16\]"),
        ((np.zeros((4, 32, 32, 3)), np.zeros((4, 16)), np.zeros((4, 32, 32, 3))), "64, 64, 3"),
        ((np.zeros((4, 64, 64, 3)), np.zeros((4, 16)), np.zeros((4, 64, 64, 1))), "wrong_images"),
        ((np.zeros((4, 64, 64, 3)), np.zeros((3, 16)), np.zeros((4, 64, 64, 3))), "Batch sizes"),
        (
            (np.zeros((4, 64, 64, 3), "uint8"), np.zeros((4, 16)), np.zeros((4, 64, 64, 3))),
            "float",
        ),
        ((np.zeros((4, 64, 64, 3)), np.zeros((4, 16))), "real_images, text_embeddings"),
    ],
)
def test_bad_batches_raise_before_any_update(batch, message):
    gan = StageIGAN.from_stackgan_config(TINY, seed=0)
    gan.compile()
    before = [w.numpy().copy() for w in gan.weights]
    batch = tuple(x if x.dtype == np.uint8 else x.astype("float32") for x in batch)
    with pytest.raises(ValueError, match=message):
        gan.fit(tf.data.Dataset.from_tensors(batch), epochs=1, verbose=0)
    for b, w in zip(before, gan.weights):
        np.testing.assert_array_equal(b, w.numpy())
    assert int(gan.d_optimizer.iterations) == 0


@pytest.mark.parametrize("jit_compile", [True, False])
def test_mixed_float16_fit_gives_finite_losses(jit_compile, stage1_dataset):
    keras.mixed_precision.set_global_policy("mixed_float16")
    gan = StageIGAN.from_stackgan_config(TINY, seed=0)
    gan.compile(jit_compile=jit_compile)
    assert isinstance(gan.g_optimizer, keras.optimizers.LossScaleOptimizer)
    assert isinstance(gan.d_optimizer, keras.optimizers.LossScaleOptimizer)
    assert gan.generator.get_layer("up_1").compute_dtype == "float16"
    history = gan.fit(stage1_dataset, epochs=2, verbose=0).history
    for name, values in history.items():
        assert np.all(np.isfinite(values)), name
    images = gan.generate(random_batch(2, 64)[1], seed=0)
    assert images.dtype == np.float32 and np.all(np.abs(images) <= 1)


def test_paper_learning_rate_halves_every_decay_period():
    config = stackgan_config("paper")
    schedule = paper_learning_rate(config, steps_per_epoch=10, stage=1)
    assert float(schedule(0)) == pytest.approx(2e-4)
    assert float(schedule(499)) == pytest.approx(2e-4)
    assert float(schedule(500)) == pytest.approx(1e-4)
    stage2 = paper_learning_rate(config, steps_per_epoch=10, stage=2)
    assert float(stage2(999)) == pytest.approx(2e-4) and float(stage2(1000)) == pytest.approx(1e-4)
    g_opt, d_opt = paper_optimizers(config, steps_per_epoch=10)
    assert g_opt is not d_opt and g_opt.beta_1 == 0.5
    with pytest.raises(ValueError):
        paper_learning_rate(config, 10, stage=3)


def test_compile_arguments():
    gan = StageIGAN.from_stackgan_config(TINY)
    gan.compile()
    assert gan.jit_compile is resolve_jit_compile("auto")  # graph on CPU, XLA on one GPU
    with pytest.raises(ValueError, match="wrong_weight"):
        gan.compile(wrong_weight=1.5)
    gan.compile(
        g_optimizer="adam", d_optimizer={"class_name": "SGD", "config": {}}, kl_coefficient=1
    )
    assert isinstance(gan.d_optimizer, keras.optimizers.SGD)
    assert gan.kl_coefficient == 1.0
