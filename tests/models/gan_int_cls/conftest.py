import numpy as np

from keras_stackgan.models.gan_int_cls import gan_int_cls_config

# Tiny widths: the architecture of the paper, small enough for CPU tests.
TINY = gan_int_cls_config(
    "small", embedding_dim=16, noise_dim=8, gf_dim=4, df_dim=4, style_df_dim=4
)


def random_batch(batch, size=64, embedding_dim=16, seed=0):
    """``(real, embeddings, wrong)``: random images in [-1, 1] and normal embeddings."""
    rng = np.random.default_rng(seed)
    real = rng.uniform(-1, 1, (batch, size, size, 3)).astype("float32")
    embeddings = rng.normal(size=(batch, embedding_dim)).astype("float32")
    return real, embeddings, real[::-1].copy()


def generator_inputs(batch, config=TINY, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "embedding": rng.normal(size=(batch, config.embedding_dim)).astype("float32"),
        "noise": rng.normal(size=(batch, config.noise_dim)).astype("float32"),
    }
