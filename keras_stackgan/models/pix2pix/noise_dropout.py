"""``NoiseDropout``: dropout whose mask comes from an explicit uniform-noise input."""

from __future__ import annotations

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_stackgan")
class NoiseDropout(keras.layers.Layer):
    """Inverted dropout driven by a given U[0, 1) noise tensor: pix2pix's only noise source.

    Isola et al. (2017, section 3.1) give the generator "noise only in the form of dropout,
    applied on several layers of our generator at both training and test time". The mask is
    ``noise >= rate`` (scaled by ``1 / (1 - rate)``), with the noise an input of the model
    rather than a Keras ``SeedGenerator`` state: a training step draws it with the zoo's
    replica-correct noise (``AdversarialModel.uniform_noise``), and a pipeline or an exported
    SavedModel draws it from a seed, so translations are reproducible and identical in and out
    of process.

    Args:
        rate: float in [0, 1), the fraction of units dropped. Defaults to 0.5.
        at_inference: bool, keep dropping at inference (``training=False``) as the paper does.
            Defaults to True.

    Call arguments:
        x: float tensor ``[batch, h, w, c]``.
        noise: float tensor ``[batch, h * w * c]`` in [0, 1).
        training: bool or None.

    Returns:
        Tensor of ``x``'s shape: ``x`` dropped and rescaled, or ``x`` itself when inactive
        (``training`` false and ``at_inference`` false, or ``rate`` 0).

    Examples:
    >>> layer = NoiseDropout(0.5)
    >>> layer(keras.ops.ones((1, 2, 2, 1)), keras.ops.ones((1, 4))).shape
    TensorShape([1, 2, 2, 1])
    """

    def __init__(self, rate: float = 0.5, at_inference: bool = True, **kwargs):
        super().__init__(**kwargs)
        if not 0.0 <= float(rate) < 1.0:
            raise ValueError(f"rate must be in [0, 1), received {rate}")
        self.rate = float(rate)
        self.at_inference = bool(at_inference)

    def call(self, x, noise, training=None):
        if self.rate == 0.0 or not (training or self.at_inference):
            return x
        keep = ops.cast(ops.greater_equal(noise, self.rate), x.dtype)
        keep = ops.reshape(keep, ops.shape(x))
        return x * keep * ops.cast(1.0 / (1.0 - self.rate), x.dtype)

    def compute_output_shape(self, x_shape, noise_shape=None):
        return x_shape

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "at_inference": self.at_inference})
        return config
