"""The style encoder: it learns to invert a frozen generator, and transfer_style's grid."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_stackgan.models.gan_int_cls import (
    GANINTCLSGenerator,
    StyleEncoder,
    StyleEncoderTrainer,
    style_loss,
    style_reconstruction_error,
    transfer_style,
)
from tests.models.gan_int_cls.conftest import random_batch


def _generator():
    return GANINTCLSGenerator(16, noise_dim=8, gf_dim=4, name="generator")


def test_style_loss_is_the_mean_squared_error():
    z = np.array([[1.0, -2.0], [0.5, 0.0]], "float32")
    s = np.array([[0.0, -1.0], [0.5, 2.0]], "float32")
    assert float(style_loss(z, s)) == pytest.approx((1 + 1 + 0 + 4) / 4)


def _warmed_up_generator(kernel_stddev=None):
    """A fresh generator whose batch-norm statistics match its activations.

    Freshly initialised, its inference mode normalises with mean 0 and variance 1 and draws
    near-constant images (within 1e-4 of 0) that no encoder could invert; a few training-mode
    passes set the statistics as training would.
    """
    generator = _generator()
    rng = np.random.default_rng(0)
    if kernel_stddev:  # wider than the paper's N(0, 0.02): images that visibly depend on z
        for variable in generator.weights:
            if len(variable.shape) > 1:
                variable.assign(rng.normal(0.0, kernel_stddev, variable.shape).astype("float32"))
    for _ in range(30):
        inputs = {
            "embedding": rng.normal(size=(16, 16)).astype("float32"),
            "noise": rng.normal(size=(16, 8)).astype("float32"),
        }
        generator(inputs, training=True)
    return generator


def test_style_encoder_learns_to_invert_a_frozen_generator():
    keras.utils.set_random_seed(0)
    generator = _warmed_up_generator()
    frozen = [w.numpy().copy() for w in generator.weights]
    trainer = StyleEncoderTrainer.from_generator(generator, df_dim=4, seed=0)
    trainer.compile(keras.optimizers.Adam(2e-3), jit_compile=False)
    rng = np.random.default_rng(1)
    z = rng.normal(size=(16, 8)).astype("float32")
    images = generator({"embedding": random_batch(16)[1], "noise": z}, training=False)["images"]

    def loss():  # on fixed (z, G(z, t)) pairs, batch statistics as in training
        return float(style_loss(z, trainer.style_encoder(images, training=True)))

    before = loss()
    # StackGAN triples work too: only their embeddings are read.
    triples = tf.data.Dataset.from_tensor_slices(random_batch(32)).batch(8).repeat()
    history = trainer.fit(triples, steps_per_epoch=20, epochs=2, verbose=0).history["loss"]
    assert history[1] < 0.7 * history[0], history
    assert loss() < 0.5 * before, (before, loss())
    assert not generator.trainable
    for w, value in zip(generator.weights, frozen):  # G, BN statistics included, is untouched
        np.testing.assert_array_equal(w.numpy(), value)


def test_reconstruction_error_shows_what_the_encoder_recovers():
    keras.utils.set_random_seed(0)
    generator = _warmed_up_generator(kernel_stddev=0.1)
    trainer = StyleEncoderTrainer.from_generator(generator, df_dim=8, seed=0)
    trainer.compile(keras.optimizers.Adam(2e-3), jit_compile=False)
    texts = random_batch(64, seed=2)[1]
    before = style_reconstruction_error(generator, trainer.style_encoder, texts, batch_size=32)
    assert set(before) == {"reconstruction", "random_noise", "zero_noise"}
    trainer.fit(random_batch(64)[1], batch_size=16, epochs=60, verbose=0)
    after = style_reconstruction_error(generator, trainer.style_encoder, texts, batch_size=32)
    # G(S(x), t) redraws x better than before training and than a fresh z does.
    assert after["reconstruction"] < 0.7 * before["reconstruction"], (before, after)
    assert after["reconstruction"] < 0.7 * after["random_noise"], after
    for key in ("random_noise", "zero_noise"):  # the baselines do not involve S
        assert after[key] == pytest.approx(before[key], rel=1e-5)
    # A fresh z lands on average twice as far as z = 0 from x (E||z - z'||^2 = 2 E||z||^2
    # in a linear G): the baselines are ordered even for this small G.
    assert after["random_noise"] > after["zero_noise"]


def test_trainer_checks_its_networks_and_batches():
    with pytest.raises(ValueError, match="noise"):
        StyleEncoderTrainer(_generator(), StyleEncoder(noise_dim=9, df_dim=4))
    with pytest.raises(ValueError, match="px"):
        StyleEncoderTrainer(_generator(), StyleEncoder(8, image_size=32, df_dim=4))
    trainer = StyleEncoderTrainer.from_generator(_generator(), df_dim=4)
    trainer.compile(jit_compile=False, run_eagerly=True)
    with pytest.raises(ValueError, match=r"\[batch, 16\]"):
        trainer.fit(np.zeros((4, 15), "float32"), batch_size=4, verbose=0)
    with pytest.raises(ValueError, match="length 2"):
        trainer.fit(tf.data.Dataset.from_tensors((np.zeros((4, 16)), np.zeros((4, 16)))), verbose=0)


def test_transfer_style_renders_every_query_with_every_text():
    generator = _generator()
    encoder = StyleEncoder(8, df_dim=4)
    queries, texts = random_batch(2)[0], random_batch(3, seed=1)[1]
    grid = transfer_style(generator, encoder, queries, texts, batch_size=4)
    assert grid.shape == (2, 3, 64, 64, 3) and grid.dtype == np.float32
    assert np.all(np.abs(grid) <= 1)
    # grid[q, t] is G(S(query q), text t).
    noise = np.asarray(encoder(queries, training=False))
    expected = generator({"embedding": texts[2:3], "noise": noise[1:2]}, training=False)["images"]
    np.testing.assert_allclose(grid[1, 2], np.asarray(expected)[0], atol=1e-5)
    with pytest.raises(ValueError, match="query_images"):
        transfer_style(generator, encoder, queries[:, :32], texts)
    with pytest.raises(ValueError, match="text_embeddings"):
        transfer_style(generator, encoder, queries, texts[:, :8])
