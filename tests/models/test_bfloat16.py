"""``mixed_bfloat16`` training on CPU (the default precision where the CPU computes bf16).

Weights stay float32 and the layers compute in bfloat16; logits, losses and the KL term must be
float32, bf16 needs no loss scaling, a tiny fit must learn, and weights trained this way must
load into a float32 generator and give the same images up to bf16 rounding.
"""

import keras
import numpy as np
import tensorflow as tf

from keras_stackgan.models.compile_mode import precision_scope
from keras_stackgan.models.stackgan import StageIGAN
from tests.models.stackgan.conftest import TINY, gradient_images


def _fixed_batch():
    real = gradient_images()
    embeddings = np.random.default_rng(1).normal(size=(8, TINY.embedding_dim)).astype("float32")
    return real, embeddings, np.roll(real, 1, axis=0)


def _bf16_gan():
    keras.utils.set_random_seed(0)
    with precision_scope("mixed_bfloat16") as precision:
        gan = StageIGAN.from_stackgan_config(TINY, seed=1)
    assert precision == "mixed_bfloat16"
    assert keras.mixed_precision.dtype_policy().name == "float32"  # restored after the scope
    gan.compile()
    return gan


def test_bfloat16_logits_losses_and_kl_are_float32_without_loss_scaling():
    gan = _bf16_gan()
    assert not isinstance(gan.g_optimizer, keras.optimizers.LossScaleOptimizer)
    assert not isinstance(gan.d_optimizer, keras.optimizers.LossScaleOptimizer)
    assert gan.generator.get_layer("up_1").compute_dtype == "bfloat16"
    assert all(v.dtype == "float32" for v in gan.generator.weights)

    batch = gan.unpack_batch(_fixed_batch())
    fakes = gan.generate_fakes(batch, tf.constant(0, "int64"), training=True)
    assert fakes["mu"].dtype == "float32" and fakes["logvar"].dtype == "float32"
    logits = gan.discriminator({"images": batch["real"], "embedding": batch["embedding"]})
    assert logits.dtype == "float32"
    d_loss, _ = gan.discriminator_loss(batch, fakes, training=True)
    g_loss, g_logs = gan.generator_loss(batch, fakes, training=True)
    assert d_loss.dtype == "float32" and g_loss.dtype == "float32"
    assert g_logs["kl"].dtype == "float32"


def test_bfloat16_tiny_fit_is_finite_and_learns():
    gan = _bf16_gan()
    data = tf.data.Dataset.from_tensors(_fixed_batch()).repeat()
    history = gan.fit(data, steps_per_epoch=40, epochs=5, verbose=0).history
    for name, values in history.items():
        assert np.all(np.isfinite(values)), (name, values)
    # D learns to separate the eight real images from G's: its loss falls, its scores split.
    assert history["d_loss"][-1] < 0.8 * history["d_loss"][0], history["d_loss"]
    assert history["d_real"][-1] > 0.7 and history["d_fake"][-1] < 0.3, history


def test_bfloat16_trained_weights_generate_in_float32(tmp_path):
    gan = _bf16_gan()
    gan.fit(tf.data.Dataset.from_tensors(_fixed_batch()).repeat(), steps_per_epoch=5, verbose=0)
    path = str(tmp_path / "generator.weights.h5")
    gan.generator.save_weights(path)

    generator = StageIGAN.from_stackgan_config(TINY, seed=2).generator  # float32 policy
    generator.load_weights(path)
    assert generator.get_layer("up_1").compute_dtype == "float32"
    rng = np.random.default_rng(3)
    inputs = {
        "embedding": rng.normal(size=(4, TINY.embedding_dim)).astype("float32"),
        "noise": rng.normal(size=(4, TINY.noise_dim)).astype("float32"),
        "ca_noise": np.zeros((4, TINY.condition_dim), "float32"),
    }
    images = generator(inputs, training=False)["images"]
    reference = gan.generator(inputs, training=False)["images"]
    assert images.dtype == "float32"
    images = np.asarray(images)
    assert np.all(np.isfinite(images)) and np.all(np.abs(images) <= 1)
    # bf16 keeps 8 bits of mantissa: the float32 images agree to a few bf16 steps.
    np.testing.assert_allclose(images, np.asarray(reference), atol=0.06)
