import numpy as np

from keras_stackgan.models.pix2pix import Pix2Pix, pix2pix_config

# Tiny widths at 16 px: the paper's architecture (4 U-Net levels, 1-layer PatchGAN).
TINY = pix2pix_config("small", image_size=16, gf_dim=4, df_dim=4, d_layers=1, load_size=16)


def make_pix2pix(config=TINY, seed=0):
    return Pix2Pix.from_pix2pix_config(config, seed=seed)


def random_pairs(batch, size=16, seed=0):
    """``(inputs, targets)`` float32 in [-1, 1]: smooth random images (4x4 noise, upsampled)
    and a fixed colour transform of them (channels reversed, contrast raised)."""
    rng = np.random.default_rng(seed)
    coarse = rng.uniform(-1, 1, (batch, 4, 4, 3))
    inputs = coarse.repeat(size // 4, axis=1).repeat(size // 4, axis=2).astype("float32")
    return inputs, np.tanh(2.0 * inputs[..., ::-1]).astype("float32")


def generator_inputs(generator, batch, seed=0):
    rng = np.random.default_rng(seed)
    images = rng.uniform(-1, 1, (batch, generator.image_size, generator.image_size, 3))
    noise = rng.uniform(0, 1, (batch, generator.dropout_noise_dim))
    return {"images": images.astype("float32"), "dropout_noise": noise.astype("float32")}
