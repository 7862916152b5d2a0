"""WGAN's generator (Arjovsky et al. 2017): the DCGAN generator, noise -> image."""

from __future__ import annotations

import keras

from keras_stackgan.models.dcgan.dcgan_generator import DCGANGenerator


@keras.saving.register_keras_serializable(package="keras_stackgan")
class WGANGenerator(DCGANGenerator):
    """The DCGAN generator WGAN trains (Arjovsky et al. 2017, Section 4: "the DCGAN generator").

    :class:`~keras_stackgan.models.dcgan.DCGANGenerator` with the WGAN authors' defaults
    (``DCGAN_G`` of github.com/martinarjovsky/WassersteinGAN, ``models/dcgan.py``): 100-d
    noise, ``ngf = 64`` and 4x4 transposed convolutions, so at 64 px
    ``z -> 4x4x512 -> 8x8x256 -> 16x16x128 -> 32x32x64 -> 64x64x3`` with batch norm and ReLU,
    and ``tanh`` (float32) at the output; their first 4x4 transposed convolution of a 1x1 ``z``
    is the projection here. It follows the zoo's generator convention (``GeneratorPipeline``).

    Args:
        noise_dim: int, size of ``z`` (100).
        image_size: int, output side, 4 or 7 times a power of two (64).
        channels: int, 3 (RGB) or 1 (grey).
        gf_dim: int, width of the last hidden layer (``ngf``, 64).
        kernel_size: int, transposed-convolution kernel side (4).
        synchronized_bn: bool, cross-replica batch statistics under ``tf.distribute`` (False).

    Inputs (a dict):
        noise: float ``[batch, noise_dim]``, ``z ~ N(0, I)``.

    Returns:
        float32 images ``[batch, image_size, image_size, channels]`` in [-1, 1].

    Examples:
    >>> g = WGANGenerator(image_size=16, gf_dim=4)
    >>> g({"noise": keras.random.normal((2, 100))}).shape
    TensorShape([2, 16, 16, 3])
    """

    def __init__(
        self,
        noise_dim: int = 100,
        image_size: int = 64,
        channels: int = 3,
        gf_dim: int = 64,
        kernel_size: int = 4,
        synchronized_bn: bool = False,
        **kwargs,
    ):
        super().__init__(
            noise_dim, image_size, channels, gf_dim, kernel_size, synchronized_bn, **kwargs
        )
