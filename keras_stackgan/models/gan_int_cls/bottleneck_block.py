"""The residual bottleneck block of the GAN-INT-CLS generator (Reed et al.'s released code)."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan.layers.blocks import ConvBlock


@keras.saving.register_keras_serializable(package="keras_stackgan")
class BottleneckBlock(keras.layers.Layer):
    """``ReLU(x + BN(conv3x3(ReLU(BN(conv3x3(ReLU(BN(conv1x1(x)))))))))``.

    The inner width is ``channels // reduction``. ``main_cls_int.lua`` places one of these after
    the 4x4 and after the 8x8 generator layers (``ngf*8 -> ngf*2 -> ngf*2 -> ngf*8`` and
    ``ngf*4 -> ngf -> ngf -> ngf*4``); the paper's figure leaves them out.

    Args:
        reduction: int, channels are divided by this inside the block (4).
        synchronized_bn: bool, cross-replica batch statistics under ``tf.distribute``.

    Call arguments:
        x: float tensor ``[batch, h, w, c]`` (the layer before it ends in batch normalisation
            without an activation, as in the Lua code).

    Returns:
        Tensor of the same shape, non-negative.
    """

    def __init__(self, reduction: int = 4, synchronized_bn: bool = False, **kwargs):
        super().__init__(**kwargs)
        if reduction < 1:
            raise ValueError(f"reduction must be >= 1, received {reduction}")
        self.reduction = reduction
        self.synchronized_bn = synchronized_bn

    def build(self, input_shape):
        channels = input_shape[-1]
        inner = max(channels // self.reduction, 1)
        common = {"synchronized_bn": self.synchronized_bn, "dtype": self.dtype_policy}
        self.reduce = ConvBlock(inner, 1, activation="relu", name="reduce", **common)
        self.conv = ConvBlock(inner, 3, activation="relu", name="conv", **common)
        self.expand = ConvBlock(channels, 3, activation=None, name="expand", **common)
        self.reduce.build(input_shape)
        inner_shape = (*input_shape[:-1], inner)
        self.conv.build(inner_shape)
        self.expand.build(inner_shape)
        self.built = True

    def call(self, x, training=None):
        residual = self.reduce(x, training=training)
        residual = self.expand(self.conv(residual, training=training), training=training)
        return ops.relu(x + residual)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"reduction": self.reduction, "synchronized_bn": self.synchronized_bn})
        return config
