"""WGAN-GP's critic (Gulrajani et al. 2017): a DCGAN critic with layer norm, no batch norm."""

from __future__ import annotations

import keras

from keras_stackgan.models.wgan.wgan_discriminator import WGANCritic


@keras.saving.register_keras_serializable(package="keras_stackgan")
class WGANGPCritic(WGANCritic):
    """The critic of WGAN-GP's 64 px experiments (``DCGANDiscriminator``, ``gan_64x64.py``).

    :class:`WGANCritic` with the authors' defaults: 5x5 stride-2 convolutions to 4x4 (widths
    ``df_dim .. 8*df_dim``), layer normalisation after all but the first
    (:class:`LayerNormDownBlock`: per-example statistics, as Section 4 prescribes, since the
    gradient penalty is taken per input), LeakyReLU(0.2) and a dense score.

    Args:
        image_size: int, input side, 4 or 7 times a power of two (64).
        channels: int, 3 (RGB) or 1 (grey).
        df_dim: int, base width (the authors' ``DIM``, 64).
        kernel_size: int, convolution kernel side (5).
        normalization: ``"layer"`` (default) or None; ``"batch"`` is refused.

    Inputs:
        images: float ``[batch, image_size, image_size, channels]`` in [-1, 1].

    Returns:
        float32 scores ``[batch, 1]``, unbounded.
    """

    def __init__(
        self,
        image_size: int = 64,
        channels: int = 3,
        df_dim: int = 64,
        kernel_size: int = 5,
        normalization: str | None = "layer",
        **kwargs,
    ):
        if normalization == "batch":
            raise ValueError(
                "WGAN-GP's critic cannot use batch norm: the gradient penalty needs every "
                'score to depend on its own input only (use "layer" or None)'
            )
        super().__init__(image_size, channels, df_dim, kernel_size, normalization, **kwargs)
