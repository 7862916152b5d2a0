"""The GAN discriminator of Goodfellow et al. (2014): a multilayer perceptron to one logit."""

from __future__ import annotations

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_stackgan")
class GANDiscriminator(keras.Model):
    """``image -> flatten -> [Dropout] -> [Dense -> LeakyReLU(0.2) -> Dropout] x n -> logit``.

    The discriminator of "Generative Adversarial Nets" (Goodfellow et al. 2014, section 5),
    with dropout on its input and hidden units as in the authors' MNIST model (inputs kept
    with probability 0.8, hidden units with 0.5). The authors' hidden units are maxout units
    (240 units of 5 pieces); these are LeakyReLU(0.2) units of the same width, a cheaper
    piecewise-linear unit that trains as well here.

    Args:
        image_size: int, side S of the square images. Defaults to 28 (MNIST).
        channels: int, 1 (grey) or 3 (RGB). Defaults to 1.
        hidden_units: sequence of int, widths of the hidden layers. Defaults to ``(240, 240)``.
        dropout: float in [0, 1), dropout rate of the hidden units. Defaults to 0.5.
        input_dropout: float in [0, 1), dropout rate of the input pixels. Defaults to 0.2.

    Inputs:
        images: float ``[batch, image_size, image_size, channels]`` in [-1, 1].

    Returns:
        float32 logits ``[batch, 1]`` (``D(x) = sigmoid(logit)``, the probability that ``x`` is
        real).

    Examples:
    >>> d = GANDiscriminator(image_size=8, hidden_units=(16,))
    >>> d(keras.random.normal((2, 8, 8, 1))).shape
    TensorShape([2, 1])
    """

    def __init__(
        self,
        image_size: int = 28,
        channels: int = 1,
        hidden_units=(240, 240),
        dropout: float = 0.5,
        input_dropout: float = 0.2,
        **kwargs,
    ):
        for name, rate in (("dropout", dropout), ("input_dropout", input_dropout)):
            if not 0.0 <= rate < 1.0:
                raise ValueError(f"{name} must be in [0, 1), received {rate}")
        hidden_units = [int(u) for u in hidden_units]

        # === Layers ===
        flatten = keras.layers.Flatten(name="flatten")
        drop_input = keras.layers.Dropout(input_dropout, name="input_dropout")
        hidden = [keras.layers.Dense(u, name=f"hidden_{i}") for i, u in enumerate(hidden_units)]
        drops = [keras.layers.Dropout(dropout, name=f"dropout_{i}") for i in range(len(hidden))]
        to_logit = keras.layers.Dense(1, name="logit", dtype="float32")

        # === Functional Model ===
        images = keras.Input((image_size, image_size, channels), name="images")
        x = flatten(images)
        if input_dropout:
            x = drop_input(x)
        for layer, drop in zip(hidden, drops, strict=True):
            x = ops.leaky_relu(layer(x), negative_slope=0.2)
            if dropout:
                x = drop(x)
        logits = to_logit(x)
        super().__init__(inputs=images, outputs=logits, **kwargs)

        # === Config ===
        self.image_size = image_size
        self.channels = channels
        self.hidden_units = hidden_units
        self.dropout = float(dropout)
        self.input_dropout = float(input_dropout)

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "image_size": self.image_size,
            "channels": self.channels,
            "hidden_units": list(self.hidden_units),
            "dropout": self.dropout,
            "input_dropout": self.input_dropout,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
