"""The fully connected Bernoulli decoder of Kingma & Welling (2014): z -> p(x | z)."""

from __future__ import annotations

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_stackgan")
class VAEDecoder(keras.Model):
    """MLP generative model ``p(x | z) = prod_i Bernoulli(x_i; sigmoid(logits_i(z)))``.

    ``Dense(hidden_dim, relu) -> Dense(S * S * C)`` logits, reshaped to an image: the 20-400-784
    decoder of Kingma & Welling (2014, appendix C.1). The pixel means are
    ``sigmoid(logits)`` in [0, 1]; as images of the zoo's [-1, 1] convention they are
    ``2 sigmoid(logits) - 1 = tanh(logits / 2)``.

    Args:
        image_size: int, image side (28).
        channels: int, image channels (1).
        latent_dim: int, size of ``z`` (20).
        hidden_dim: int, hidden width (400).

    Inputs:
        float ``[batch, latent_dim]``, ``z``.

    Outputs:
        float32 logits ``[batch, image_size, image_size, channels]`` (float32 under mixed
        precision too).
    """

    def __init__(
        self,
        image_size: int = 28,
        channels: int = 1,
        latent_dim: int = 20,
        hidden_dim: int = 400,
        **kwargs,
    ):
        # === Layers ===
        hidden = keras.layers.Dense(hidden_dim, activation="relu", name="hidden")
        logits_layer = keras.layers.Dense(
            image_size * image_size * channels, dtype="float32", name="logits"
        )

        # === Functional Model ===
        z = keras.Input((latent_dim,), name="z")
        logits = ops.reshape(logits_layer(hidden(z)), (-1, image_size, image_size, channels))
        super().__init__(inputs=z, outputs=logits, **kwargs)

        # === Config ===
        self.image_size = image_size
        self.channels = channels
        self.latent_dim = latent_dim
        self.hidden_dim = hidden_dim

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "image_size": self.image_size,
            "channels": self.channels,
            "latent_dim": self.latent_dim,
            "hidden_dim": self.hidden_dim,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
