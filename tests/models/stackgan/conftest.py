import numpy as np
import pytest
import tensorflow as tf

from keras_stackgan.models.stackgan import stackgan_config

# Tiny widths: the architecture of the paper, small enough for CPU tests.
TINY = stackgan_config(
    "small",
    embedding_dim=16,
    stage1_gf_dim=8,
    stage1_df_dim=8,
    stage2_gf_dim=8,
    stage2_df_dim=4,
    stage2_image_size=128,
)


def random_batch(batch, size, embedding_dim=16, seed=0):
    rng = np.random.default_rng(seed)
    real = rng.uniform(-1, 1, (batch, size, size, 3)).astype("float32")
    embeddings = rng.normal(size=(batch, embedding_dim)).astype("float32")
    return real, embeddings, real[::-1].copy()


@pytest.fixture
def tiny_config():
    return TINY


@pytest.fixture
def stage1_dataset():
    return tf.data.Dataset.from_tensor_slices(random_batch(16, 64)).batch(8, drop_remainder=True)


def gradient_images(n=8, seed=0):
    """``n`` smooth two-colour gradients: fixed, learnable 64x64 images in [-1, 1]."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:64, 0:64] / 63.0
    images = []
    for i in range(n):
        ramp = (xx if i % 2 else yy)[..., None]
        images.append(rng.uniform(-1, 1, 3) * (1 - ramp) + rng.uniform(-1, 1, 3) * ramp)
    return np.stack(images).astype("float32")
