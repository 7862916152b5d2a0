"""A maxout layer (Goodfellow et al. 2013): the maximum of several linear pieces per unit."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan.layers.initializers import conv_init


@keras.saving.register_keras_serializable(package="keras_stackgan")
class Maxout(keras.layers.Layer):
    """``y_i = max_k (x W_k + b_k)_i``: a dense layer of ``units * pieces`` outputs, maxed in
    groups of ``pieces``.

    The hidden unit of the first GAN discriminators (Goodfellow et al. 2014; the conditional
    GAN of Mirza & Osindero 2014 maps the image to 240 units of 5 pieces and the label to 50
    units of 5 pieces). Kernels start from N(0, 0.02), like the zoo's other dense layers.

    Args:
        units: int, output width.
        pieces: int >= 1, linear pieces per unit.
        **kwargs: passed to ``keras.layers.Layer``.

    Call arguments:
        x: float ``[batch, features]``.

    Returns:
        ``[batch, units]``.

    Examples:
    >>> Maxout(240, 5)(keras.random.normal((2, 784))).shape
    TensorShape([2, 240])
    """

    def __init__(self, units: int, pieces: int = 5, **kwargs):
        super().__init__(**kwargs)
        if units < 1 or pieces < 1:
            raise ValueError(f"units and pieces must be >= 1, received {units}, {pieces}")
        self.units = int(units)
        self.pieces = int(pieces)
        self.dense = keras.layers.Dense(
            self.units * self.pieces,
            kernel_initializer=conv_init(),
            name="dense",
            dtype=self.dtype_policy,
        )

    def build(self, input_shape):
        self.dense.build(input_shape)
        self.built = True

    def call(self, x):
        y = ops.reshape(self.dense(x), (-1, self.units, self.pieces))
        return ops.max(y, axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.units)

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units, "pieces": self.pieces})
        return config
