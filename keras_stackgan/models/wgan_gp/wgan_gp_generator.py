"""WGAN-GP's generator (Gulrajani et al. 2017): the DCGAN generator with 5x5 kernels."""

from __future__ import annotations

import keras

from keras_stackgan.models.dcgan.dcgan_generator import DCGANGenerator


@keras.saving.register_keras_serializable(package="keras_stackgan")
class WGANGPGenerator(DCGANGenerator):
    """The DCGAN generator of WGAN-GP's 64 px experiments (``DCGANGenerator``, ``gan_64x64.py``).

    :class:`~keras_stackgan.models.dcgan.DCGANGenerator` with the WGAN-GP authors' defaults
    (github.com/igul222/improved_wgan_training): 128-d noise, ``DIM = 64`` and 5x5 transposed
    convolutions: ``z -> Dense(4*4*8*gf_dim) -> BN -> ReLU``, then ``deconv -> BN -> ReLU`` at
    8, 16, 32 px and a last ``deconv`` to ``channels`` with ``tanh`` (float32). Batch norm
    stays in G: only the critic must not use it.

    Args:
        noise_dim: int, size of ``z`` (128).
        image_size: int, output side, 4 or 7 times a power of two (64).
        channels: int, 3 (RGB) or 1 (grey).
        gf_dim: int, width of the last hidden layer (the authors' ``DIM``, 64).
        kernel_size: int, transposed-convolution kernel side (5).
        synchronized_bn: bool, cross-replica batch statistics under ``tf.distribute`` (False).

    Inputs (a dict):
        noise: float ``[batch, noise_dim]``, ``z ~ N(0, I)``.

    Returns:
        float32 images ``[batch, image_size, image_size, channels]`` in [-1, 1].
    """

    def __init__(
        self,
        noise_dim: int = 128,
        image_size: int = 64,
        channels: int = 3,
        gf_dim: int = 64,
        kernel_size: int = 5,
        synchronized_bn: bool = False,
        **kwargs,
    ):
        super().__init__(
            noise_dim, image_size, channels, gf_dim, kernel_size, synchronized_bn, **kwargs
        )
