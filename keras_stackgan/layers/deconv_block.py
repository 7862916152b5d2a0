"""``DeconvBlock``: the fractionally-strided convolution block of DCGAN-style generators."""

from __future__ import annotations

import keras

from keras_stackgan.layers.blocks import _ACTIVATIONS, _activate
from keras_stackgan.layers.initializers import conv_init, paper_batch_norm


@keras.saving.register_keras_serializable(package="keras_stackgan")
class DeconvBlock(keras.layers.Layer):
    """``Conv2DTranspose (stride 2) -> [BatchNormalization] -> [activation]``: doubles the size.

    The up-sampling layer of DCGAN's generator (Radford et al. 2016, section 3: "fractionally-
    strided convolutions" instead of pooling or up-sampling), with the zoo's usual choices: no
    bias when a batch normalisation follows, N(0, 0.02) kernels, batch normalisation with
    momentum 0.9 and epsilon 1e-5 and N(1, 0.02) scales (those of :class:`ConvBlock`).

    Args:
        filters: int, output channels.
        kernel_size: int, square kernel size (5 in the DCGAN authors' Theano code, 4 in
            dcgan.torch). Defaults to 4.
        strides: int, up-sampling factor ("same" padding: the output is ``strides`` times the
            input). Defaults to 2.
        batch_norm: bool, whether a batch normalisation follows (False for a generator's output
            layer). Defaults to True.
        activation: ``"relu"`` (default), ``"leaky_relu"`` (slope 0.2) or ``None``.
        synchronized_bn: bool, cross-replica batch statistics under ``tf.distribute``.
            Defaults to False.

    Call arguments:
        x: float tensor ``[batch, h, w, c]``.

    Returns:
        Tensor ``[batch, strides * h, strides * w, filters]``.

    Examples:
    >>> DeconvBlock(16)(keras.random.normal((2, 4, 4, 32))).shape
    TensorShape([2, 8, 8, 16])
    """

    def __init__(
        self,
        filters: int,
        kernel_size: int = 4,
        strides: int = 2,
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
        self.deconv = keras.layers.Conv2DTranspose(
            filters,
            kernel_size,
            strides=strides,
            padding="same",
            use_bias=not batch_norm,
            kernel_initializer=conv_init(),
            name="deconv",
            dtype=self.dtype_policy,
        )
        self.bn = (
            paper_batch_norm("bn", synchronized=synchronized_bn, dtype=self.dtype_policy)
            if batch_norm
            else None
        )

    def build(self, input_shape):
        self.deconv.build(input_shape)
        if self.bn is not None:
            self.bn.build(self.deconv.compute_output_shape(input_shape))
        self.built = True

    def call(self, x, training=None):
        x = self.deconv(x)
        if self.bn is not None:
            x = self.bn(x, training=training)
        return _activate(x, self.activation)

    def compute_output_shape(self, input_shape):
        return self.deconv.compute_output_shape(input_shape)

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
