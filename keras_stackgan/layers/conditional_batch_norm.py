"""Conditional batch normalisation: a per-class scale and shift after batch statistics."""

from __future__ import annotations

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_stackgan")
class ConditionalBatchNormalization(keras.layers.Layer):
    """Batch normalisation whose affine parameters are looked up from the class label.

    ``y = gamma[c] * x_hat + beta[c]``, where ``x_hat`` is ``x`` normalised per channel with
    the batch statistics (training) or their moving averages (inference), without learned
    affine parameters of its own, and ``gamma``, ``beta`` are rows of two
    ``num_classes x channels`` embedding tables indexed by the label ``c`` (de Vries et al.
    2017, "Modulating early visual processing by language"; Dumoulin et al. 2017; the
    class-conditional generators of Miyato & Koyama 2018). Gammas start at 1 and betas at 0, so
    an untrained layer is plain batch normalisation. Statistics are over every axis but the
    last: ``[b, H, W, C]`` feature maps (per channel over batch and space) and ``[b, C]``
    vectors (per feature over the batch).

    Args:
        num_classes: int, number of labels.
        momentum: float, moving-average momentum of the statistics (0.9, Keras' convention:
            ``moving = momentum * moving + (1 - momentum) * batch``; the zoo's usual value).
        epsilon: float, added to the variance (1e-5, the zoo's batch normalisations).
        synchronized: bool, batch statistics over all replicas under ``tf.distribute``.
        **kwargs: passed to ``keras.layers.Layer`` (``name``, ``dtype``).

    Call arguments:
        inputs: ``[x, labels]``: float ``x`` ``[b, ..., C]`` and int ``labels`` ``[b]`` in
            ``[0, num_classes)``.
        training: bool, batch statistics (and moving-average updates) when True.

    Returns:
        Tensor of ``x``'s shape and the layer's compute dtype.

    Examples:
    >>> cbn = ConditionalBatchNormalization(10)
    >>> y = cbn([keras.random.normal((4, 7, 7, 8)), np.array([0, 1, 2, 3])], training=True)
    >>> y.shape
    TensorShape([4, 7, 7, 8])
    """

    def __init__(
        self,
        num_classes: int,
        momentum: float = 0.9,
        epsilon: float = 1e-5,
        synchronized: bool = False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if num_classes < 1:
            raise ValueError(f"num_classes must be >= 1, received {num_classes}")
        self.num_classes = int(num_classes)
        self.momentum = momentum
        self.epsilon = epsilon
        self.synchronized = synchronized
        self.norm = keras.layers.BatchNormalization(
            momentum=momentum,
            epsilon=epsilon,
            center=False,
            scale=False,
            synchronized=synchronized,
            name="norm",
            dtype=self.dtype_policy,
        )

    def build(self, input_shape):
        x_shape, _ = input_shape
        channels = x_shape[-1]
        self.norm.build(x_shape)
        self.gamma = self.add_weight(
            shape=(self.num_classes, channels), initializer="ones", name="gamma"
        )
        self.beta = self.add_weight(
            shape=(self.num_classes, channels), initializer="zeros", name="beta"
        )
        self.built = True

    def call(self, inputs, training=None):
        x, labels = inputs
        x_hat = self.norm(x, training=training)
        labels = ops.cast(ops.reshape(labels, (-1,)), "int32")
        gamma = ops.cast(ops.take(self.gamma, labels, axis=0), x_hat.dtype)
        beta = ops.cast(ops.take(self.beta, labels, axis=0), x_hat.dtype)
        # [b, C] -> [b, 1, ..., 1, C], broadcasting over the spatial axes of x.
        shape = (-1,) + (1,) * (len(x.shape) - 2) + (gamma.shape[-1],)
        return ops.reshape(gamma, shape) * x_hat + ops.reshape(beta, shape)

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_classes": self.num_classes,
                "momentum": self.momentum,
                "epsilon": self.epsilon,
                "synchronized": self.synchronized,
            }
        )
        return config
