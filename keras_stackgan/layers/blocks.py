"""Convolutional blocks shared by the StackGAN generators and discriminators.

All blocks follow the original implementations: convolutions without bias when a batch
normalisation follows, N(0, 0.02) kernels, batch normalisation with momentum 0.9 and epsilon 1e-5
(PyTorch's momentum 0.1 written the Keras way), ReLU in generators and LeakyReLU(0.2) in
discriminators. ``synchronized_bn=True`` computes batch statistics over all replicas of a
``tf.distribute`` strategy, so a global batch split over devices normalises exactly like the same
batch on one device (the paper trains with one batch of 64 on one GPU).
"""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan.layers.initializers import conv_init, paper_batch_norm

_ACTIVATIONS = ("relu", "leaky_relu", None)


def _activate(x, activation):
    if activation == "relu":
        return ops.relu(x)
    if activation == "leaky_relu":
        return ops.leaky_relu(x, negative_slope=0.2)
    return x


@keras.saving.register_keras_serializable(package="keras_stackgan")
class ConvBlock(keras.layers.Layer):
    """``Conv2D -> [BatchNormalization] -> [activation]``.

    Args:
        filters: int, output channels.
        kernel_size: int, square kernel size.
        strides: int, convolution stride (padding is "same", so 4x4 stride 2 halves the size).
        batch_norm: bool, whether a batch normalisation follows the convolution.
        activation: ``"relu"``, ``"leaky_relu"`` (slope 0.2) or ``None``.
        synchronized_bn: bool, cross-replica batch statistics under ``tf.distribute``.

    Call arguments:
        x: float tensor ``[batch, height, width, channels]``.

    Returns:
        Tensor ``[batch, height / strides, width / strides, filters]``.
    """

    def __init__(
        self,
        filters: int,
        kernel_size: int = 3,
        strides: int = 1,
        batch_norm: bool = True,
        activation: str | None = "relu",
        synchronized_bn: bool = False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if activation not in _ACTIVATIONS:
            raise ValueError(f"activation must be one of {_ACTIVATIONS}, received {activation!r}")
        self.filters = filters
        self.kernel_size = kernel_size
        self.strides = strides
        self.batch_norm = batch_norm
        self.activation = activation
        self.synchronized_bn = synchronized_bn
        self.conv = keras.layers.Conv2D(
            filters,
            kernel_size,
            strides=strides,
            padding="same",
            use_bias=not batch_norm,
            kernel_initializer=conv_init(),
            name="conv",
            dtype=self.dtype_policy,
        )
        self.bn = (
            paper_batch_norm("bn", synchronized=synchronized_bn, dtype=self.dtype_policy)
            if batch_norm
            else None
        )

    def build(self, input_shape):
        self.conv.build(input_shape)
        if self.bn is not None:
            self.bn.build(self.conv.compute_output_shape(input_shape))
        self.built = True

    def call(self, x, training=None):
        x = self.conv(x)
        if self.bn is not None:
            x = self.bn(x, training=training)
        return _activate(x, self.activation)

    def compute_output_shape(self, input_shape):
        return self.conv.compute_output_shape(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "filters": self.filters,
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "batch_norm": self.batch_norm,
                "activation": self.activation,
                "synchronized_bn": self.synchronized_bn,
            }
        )
        return config


@keras.saving.register_keras_serializable(package="keras_stackgan")
class UpBlock(ConvBlock):
    """Generator up-sampling block: ``nearest x2 -> 3x3 conv -> BN -> ReLU``.

    Call arguments:
        x: float tensor ``[batch, h, w, c]``.

    Returns:
        Tensor ``[batch, 2h, 2w, filters]``.
    """

    def __init__(self, filters: int, synchronized_bn: bool = False, **kwargs):
        for fixed in ("kernel_size", "strides", "batch_norm", "activation"):
            kwargs.pop(fixed, None)
        super().__init__(
            filters,
            kernel_size=3,
            strides=1,
            batch_norm=True,
            activation="relu",
            synchronized_bn=synchronized_bn,
            **kwargs,
        )
        self.upsample = keras.layers.UpSampling2D(2, interpolation="nearest", name="upsample")

    def build(self, input_shape):
        self.upsample.build(input_shape)
        super().build(self.upsample.compute_output_shape(input_shape))

    def call(self, x, training=None):
        return super().call(self.upsample(x), training=training)

    def compute_output_shape(self, input_shape):
        return super().compute_output_shape(self.upsample.compute_output_shape(input_shape))


@keras.saving.register_keras_serializable(package="keras_stackgan")
class DownBlock(ConvBlock):
    """Discriminator / encoder down-sampling block: ``4x4 stride-2 conv -> [BN] -> activation``.

    Args:
        filters: int, output channels.
        batch_norm: bool; the first block of a discriminator has none.
        activation: ``"leaky_relu"`` in discriminators, ``"relu"`` in the Stage-II encoder.
        synchronized_bn: bool, cross-replica batch statistics.

    Call arguments:
        x: float tensor ``[batch, h, w, c]``.

    Returns:
        Tensor ``[batch, h / 2, w / 2, filters]``.
    """

    def __init__(
        self,
        filters: int,
        batch_norm: bool = True,
        activation: str | None = "leaky_relu",
        synchronized_bn: bool = False,
        **kwargs,
    ):
        kwargs.pop("kernel_size", None)
        kwargs.pop("strides", None)
        super().__init__(
            filters,
            kernel_size=4,
            strides=2,
            batch_norm=batch_norm,
            activation=activation,
            synchronized_bn=synchronized_bn,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="keras_stackgan")
class ResidualBlock(keras.layers.Layer):
    """Stage-II residual block: ``x + BN(conv3x3(ReLU(BN(conv3x3(x)))))``, then ReLU.

    The layer order is StackGAN-Pytorch's ``ResBlock`` (the final ReLU after the addition).

    Args:
        synchronized_bn: bool, cross-replica batch statistics.

    Call arguments:
        x: float tensor ``[batch, h, w, c]``.

    Returns:
        Tensor of the same shape.
    """

    def __init__(self, synchronized_bn: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.synchronized_bn = synchronized_bn

    def build(self, input_shape):
        channels = input_shape[-1]
        common = {"synchronized_bn": self.synchronized_bn, "dtype": self.dtype_policy}
        self.conv1 = ConvBlock(channels, 3, activation="relu", name="conv1", **common)
        self.conv2 = ConvBlock(channels, 3, activation=None, name="conv2", **common)
        self.conv1.build(input_shape)
        self.conv2.build(input_shape)
        self.built = True

    def call(self, x, training=None):
        residual = self.conv2(self.conv1(x, training=training), training=training)
        return ops.relu(x + residual)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"synchronized_bn": self.synchronized_bn})
        return config
