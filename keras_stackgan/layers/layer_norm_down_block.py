"""``LayerNormDownBlock``: a critic's down-sampling block with layer normalisation (WGAN-GP)."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan.layers.initializers import conv_init


@keras.saving.register_keras_serializable(package="keras_stackgan")
class LayerNormDownBlock(keras.layers.Layer):
    """``k x k stride-2 conv -> layer norm over (H, W, C) -> LeakyReLU(0.2)``.

    The gradient penalty of WGAN-GP constrains the critic's gradient for each input on its
    own, which batch normalisation breaks (it makes every score depend on the whole batch), so
    Gulrajani et al. (2017, Section 4) replace it with layer normalisation. As in the authors'
    ``tflib`` ``Layernorm`` (``gan_64x64.py``), each example is normalised over its height,
    width and channels together, then scaled and shifted per channel; this is Keras'
    ``GroupNormalization`` with one group (statistics in float32 under mixed precision). The
    convolution has no bias: the shift follows it.

    Args:
        filters: int, output channels.
        kernel_size: int, square kernel size (5, the authors' DCGAN critic).
        epsilon: float, added to the variance (1e-5, as ``tflib``).

    Call arguments:
        x: float tensor ``[batch, h, w, c]``.

    Returns:
        Tensor ``[batch, ceil(h / 2), ceil(w / 2), filters]`` (padding ``"same"``).

    Examples:
    >>> block = LayerNormDownBlock(8)
    >>> block(keras.ops.zeros((2, 16, 16, 3))).shape
    TensorShape([2, 8, 8, 8])
    """

    def __init__(self, filters: int, kernel_size: int = 5, epsilon: float = 1e-5, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.kernel_size = kernel_size
        self.epsilon = epsilon
        self.conv = keras.layers.Conv2D(
            filters,
            kernel_size,
            strides=2,
            padding="same",
            use_bias=False,
            kernel_initializer=conv_init(),
            name="conv",
            dtype=self.dtype_policy,
        )
        self.norm = keras.layers.GroupNormalization(
            groups=1, epsilon=epsilon, name="layer_norm", dtype=self.dtype_policy
        )

    def build(self, input_shape):
        self.conv.build(input_shape)
        self.norm.build(self.conv.compute_output_shape(input_shape))
        self.built = True

    def call(self, x):
        return ops.leaky_relu(self.norm(self.conv(x)), negative_slope=0.2)

    def compute_output_shape(self, input_shape):
        return self.conv.compute_output_shape(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {"filters": self.filters, "kernel_size": self.kernel_size, "epsilon": self.epsilon}
        )
        return config
