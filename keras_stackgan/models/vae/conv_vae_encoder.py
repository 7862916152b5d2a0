"""A convolutional VAE encoder for 64 px colour images: image -> q(z | x)."""

from __future__ import annotations

import keras

from keras_stackgan.models.sizes import num_doublings


@keras.saving.register_keras_serializable(package="keras_stackgan")
class ConvVAEEncoder(keras.Model):
    """DCGAN-shaped recognition model ``q(z | x) = N(mu(x), diag(sigma^2(x)))``.

    ``4x4 stride-2 conv -> ReLU`` from ``filters`` channels, doubling the width at every halving
    down to 4x4, then ``flatten -> [Dense(latent_dim) mu, Dense(latent_dim) log sigma^2]``.
    The convolutional counterpart of Kingma & Welling's (2014) MLP encoder, for the 64 px
    flowers.

    Args:
        image_size: int, image side, 4 times a power of two (64).
        channels: int, image channels (3).
        latent_dim: int, size of ``z`` (128).
        filters: int, width of the first convolution (64).

    Inputs:
        float ``[batch, image_size, image_size, channels]`` in [-1, 1].

    Outputs (a dict):
        mean, log_var: float32 ``[batch, latent_dim]``.
    """

    def __init__(
        self,
        image_size: int = 64,
        channels: int = 3,
        latent_dim: int = 128,
        filters: int = 64,
        **kwargs,
    ):
        downs = num_doublings(image_size, 4, "image_size")

        # === Layers ===
        convs = [
            keras.layers.Conv2D(
                filters * 2**i, 4, strides=2, padding="same", activation="relu", name=f"down_{i}"
            )
            for i in range(downs)
        ]
        flatten = keras.layers.Flatten(name="flatten")
        mean_layer = keras.layers.Dense(latent_dim, dtype="float32", name="mean")
        log_var_layer = keras.layers.Dense(latent_dim, dtype="float32", name="log_var")

        # === Functional Model ===
        images = keras.Input((image_size, image_size, channels), name="images")
        x = images
        for conv in convs:
            x = conv(x)
        h = flatten(x)
        super().__init__(
            inputs=images, outputs={"mean": mean_layer(h), "log_var": log_var_layer(h)}, **kwargs
        )

        # === Config ===
        self.image_size = image_size
        self.channels = channels
        self.latent_dim = latent_dim
        self.filters = filters

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "image_size": self.image_size,
            "channels": self.channels,
            "latent_dim": self.latent_dim,
            "filters": self.filters,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
