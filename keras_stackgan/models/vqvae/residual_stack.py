"""VQ-VAE's residual stack: ``x + conv1x1(ReLU(conv3x3(ReLU(x))))`` blocks, then ReLU."""

from __future__ import annotations

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_stackgan")
class ResidualStack(keras.layers.Layer):
    """``num_blocks`` residual blocks ``x + conv1x1(ReLU(conv3x3(ReLU(x))))``, then a ReLU.

    The residual block of van den Oord et al. (2017, section 4.1: "ReLU, 3x3 conv, ReLU, 1x1
    conv", no batch normalisation), used in the encoders and decoders of VQ-VAE and VQ-VAE-2.
    The 1x1 convolution returns to the input width.

    Args:
        num_blocks: int, residual blocks (2).
        residual_filters: int, width of the 3x3 convolutions (32).

    Call arguments:
        x: float ``[batch, h, w, c]``.

    Returns:
        Tensor of the same shape.
    """

    def __init__(self, num_blocks: int = 2, residual_filters: int = 32, **kwargs):
        super().__init__(**kwargs)
        self.num_blocks = int(num_blocks)
        self.residual_filters = int(residual_filters)

    def build(self, input_shape):
        channels = input_shape[-1]
        self.conv3x3, self.conv1x1 = [], []
        for i in range(self.num_blocks):
            conv3 = keras.layers.Conv2D(
                self.residual_filters, 3, padding="same", name=f"block_{i}_conv3x3",
                dtype=self.dtype_policy,
            )  # fmt: skip
            conv1 = keras.layers.Conv2D(
                channels, 1, name=f"block_{i}_conv1x1", dtype=self.dtype_policy
            )
            conv3.build(input_shape)
            conv1.build((*input_shape[:-1], self.residual_filters))
            self.conv3x3.append(conv3)
            self.conv1x1.append(conv1)

    def call(self, x):
        for conv3, conv1 in zip(self.conv3x3, self.conv1x1):
            x = x + conv1(ops.relu(conv3(ops.relu(x))))
        return ops.relu(x)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"num_blocks": self.num_blocks, "residual_filters": self.residual_filters})
        return config
