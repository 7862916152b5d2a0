"""The fully connected VAE encoder of Kingma & Welling (2014): image -> q(z | x)."""

from __future__ import annotations

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_stackgan")
class VAEEncoder(keras.Model):
    """MLP recognition model ``q(z | x) = N(mu(x), diag(sigma^2(x)))``.

    ``flatten -> Dense(hidden_dim, relu) -> [Dense(latent_dim) mu, Dense(latent_dim) log
    sigma^2]``: the 784-400-20 encoder of Kingma & Welling (2014, appendix C.2, with the
    seed lecture's ReLU in place of tanh). Images in [-1, 1] are mapped to [0, 1] first.

    Args:
        image_size: int, image side (28).
        channels: int, image channels (1).
        latent_dim: int, size of ``z`` (20).
        hidden_dim: int, hidden width (400).

    Inputs:
        float ``[batch, image_size, image_size, channels]`` in [-1, 1].

    Outputs (a dict):
        mean, log_var: float32 ``[batch, latent_dim]`` (float32 under mixed precision too).

    Examples:
    >>> encoder = VAEEncoder()
    >>> encoder(keras.ops.zeros((2, 28, 28, 1)))["mean"].shape
    TensorShape([2, 20])
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
        mean_layer = keras.layers.Dense(latent_dim, dtype="float32", name="mean")
        log_var_layer = keras.layers.Dense(latent_dim, dtype="float32", name="log_var")

        # === Functional Model ===
        images = keras.Input((image_size, image_size, channels), name="images")
        x = ops.reshape((images + 1.0) * 0.5, (-1, image_size * image_size * channels))
        h = hidden(x)
        super().__init__(
            inputs=images, outputs={"mean": mean_layer(h), "log_var": log_var_layer(h)}, **kwargs
        )

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
