"""DCGAN's discriminator (Radford et al. 2016): strided convolutions -> one logit."""

from __future__ import annotations

import keras

from keras_stackgan.layers.blocks import ConvBlock
from keras_stackgan.layers.initializers import conv_init
from keras_stackgan.models.dcgan.dcgan_sizes import base_and_doublings


@keras.saving.register_keras_serializable(package="keras_stackgan")
class DCGANDiscriminator(keras.Model):
    """``image -> [stride-2 conv -> (BN) -> LeakyReLU(0.2)] x n -> flatten -> logit``.

    The discriminator of Radford et al. (2016, section 3): strided convolutions instead of
    pooling, doubling the width as they halve the size (``df_dim .. df_dim * 2**(n - 1)``
    down to the 4x4 or 7x7 base map), LeakyReLU(0.2) everywhere, batch normalisation on every
    layer except the input layer, no fully connected hidden layer; "the last convolution layer
    is flattened and then fed into a single sigmoid output" (here its logit). At 64 px with
    ``df_dim=64``: ``64x64x3 -> 32x32x64 -> 16x16x128 -> 8x8x256 -> 4x4x512 -> 1``.

    Args:
        image_size: int, input side S, 4 or 7 times a power of two (64, 32, 28). Defaults to
            64.
        channels: int, 3 (RGB) or 1 (grey). Defaults to 3.
        df_dim: int, width of the first layer. Defaults to 64 (dcgan.torch's ``ndf``).
        kernel_size: int, kernel of the strided convolutions (5 in the authors' code, 4 in
            dcgan.torch). Defaults to 5.
        synchronized_bn: bool, cross-replica batch statistics under ``tf.distribute``.
            Defaults to False.

    Inputs:
        images: float ``[batch, image_size, image_size, channels]`` in [-1, 1].

    Returns:
        float32 logits ``[batch, 1]`` (``D(x) = sigmoid(logit)``).

    Examples:
    >>> d = DCGANDiscriminator(df_dim=8)
    >>> d(keras.random.normal((2, 64, 64, 3))).shape
    TensorShape([2, 1])
    """

    def __init__(
        self,
        image_size: int = 64,
        channels: int = 3,
        df_dim: int = 64,
        kernel_size: int = 5,
        synchronized_bn: bool = False,
        **kwargs,
    ):
        _, doublings = base_and_doublings(image_size)

        # === Layers ===
        down = [
            ConvBlock(
                df_dim * 2**i,
                kernel_size,
                strides=2,
                batch_norm=i > 0,
                activation="leaky_relu",
                synchronized_bn=synchronized_bn,
                name=f"down_{i}",
            )
            for i in range(doublings)
        ]
        flatten = keras.layers.Flatten(name="flatten")
        to_logit = keras.layers.Dense(
            1, kernel_initializer=conv_init(), name="logit", dtype="float32"
        )

        # === Functional Model ===
        images = keras.Input((image_size, image_size, channels), name="images")
        x = images
        for block in down:
            x = block(x)
        logits = to_logit(flatten(x))
        super().__init__(inputs=images, outputs=logits, **kwargs)

        # === Config ===
        self.image_size = image_size
        self.channels = channels
        self.df_dim = df_dim
        self.kernel_size = kernel_size
        self.synchronized_bn = synchronized_bn

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "image_size": self.image_size,
            "channels": self.channels,
            "df_dim": self.df_dim,
            "kernel_size": self.kernel_size,
            "synchronized_bn": self.synchronized_bn,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
