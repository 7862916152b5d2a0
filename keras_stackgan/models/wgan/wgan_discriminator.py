"""WGAN's critic (Arjovsky et al. 2017): the DCGAN discriminator without its sigmoid."""

from __future__ import annotations

import keras

from keras_stackgan.layers import ConvBlock
from keras_stackgan.layers.initializers import conv_init
from keras_stackgan.layers.layer_norm_down_block import LayerNormDownBlock
from keras_stackgan.models.dcgan.dcgan_sizes import base_and_doublings
from keras_stackgan.models.wgan.wgan_config import check_normalization


@keras.saving.register_keras_serializable(package="keras_stackgan")
class WGANCritic(keras.Model):
    """Image -> one unbounded score: a DCGAN discriminator without the sigmoid (the critic).

    ``k x k`` stride-2 convolutions take the image to 4x4 (7x7 for 28 px) with widths
    ``df_dim * 2**i`` (``df_dim .. 8*df_dim`` at 64 px), each followed by a normalisation
    (except the first) and LeakyReLU(0.2); a dense layer (the authors' 4x4 valid convolution)
    gives the score, in float32 under mixed precision. With ``normalization="batch"`` this is
    :class:`~keras_stackgan.models.dcgan.DCGANDiscriminator`'s network, and ``DCGAN_D`` of
    the WGAN authors' code (``models/dcgan.py``, 4x4 kernels), read as a critic: its output is
    a score, never passed through a sigmoid. The normalisation is the reason for a class of its
    own: WGAN-GP's critic uses ``"layer"`` (:class:`LayerNormDownBlock`, per-example
    statistics) because its gradient penalty needs every score to depend on one example only.

    Args:
        image_size: int, input side, 4 or 7 times a power of two (64).
        channels: int, 3 (RGB) or 1 (grey).
        df_dim: int, base width (``ndf``: 64 in the paper).
        kernel_size: int, convolution kernel side (4; WGAN-GP's code uses 5).
        normalization: ``"batch"`` (default), ``"layer"`` or None.

    Inputs:
        images: float ``[batch, image_size, image_size, channels]`` in [-1, 1].

    Returns:
        float32 scores ``[batch, 1]``, unbounded (higher: more real).

    Examples:
    >>> critic = WGANCritic(image_size=16, df_dim=4)
    >>> critic(keras.ops.zeros((2, 16, 16, 3))).shape
    TensorShape([2, 1])
    """

    def __init__(
        self,
        image_size: int = 64,
        channels: int = 3,
        df_dim: int = 64,
        kernel_size: int = 4,
        normalization: str | None = "batch",
        **kwargs,
    ):
        check_normalization(normalization)
        _, doublings = base_and_doublings(image_size)

        # === Layers ===
        blocks = []
        for i in range(doublings):
            width, name = df_dim * 2**i, f"down_{i}"
            if i > 0 and normalization == "layer":
                blocks.append(LayerNormDownBlock(width, kernel_size, name=name))
            else:
                batch_norm = i > 0 and normalization == "batch"
                blocks.append(ConvBlock(width, kernel_size, 2, batch_norm, "leaky_relu", name=name))
        flatten = keras.layers.Flatten(name="flatten")
        score = keras.layers.Dense(1, kernel_initializer=conv_init(), name="score", dtype="float32")

        # === Functional Model ===
        images = keras.Input((image_size, image_size, channels), name="images")
        x = images
        for block in blocks:
            x = block(x)
        scores = score(flatten(x))
        super().__init__(inputs=images, outputs=scores, **kwargs)

        # === Config ===
        self.image_size = image_size
        self.channels = channels
        self.df_dim = df_dim
        self.kernel_size = kernel_size
        self.normalization = normalization

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "image_size": self.image_size,
            "channels": self.channels,
            "df_dim": self.df_dim,
            "kernel_size": self.kernel_size,
            "normalization": self.normalization,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
