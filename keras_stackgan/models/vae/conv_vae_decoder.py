"""A convolutional Bernoulli VAE decoder for 64 px colour images: z -> p(x | z)."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan.models.sizes import num_doublings


@keras.saving.register_keras_serializable(package="keras_stackgan")
class ConvVAEDecoder(keras.Model):
    """DCGAN-shaped generative model with a Bernoulli likelihood on [0, 1] pixel values.

    ``Dense(4 * 4 * W) -> ReLU -> reshape``, then ``4x4 stride-2 transposed conv -> ReLU``
    halving the width at every doubling, and a last transposed convolution to ``channels``
    logits. The likelihood is Bernoulli on pixel intensities in [0, 1] (cross-entropy of the
    grey values, as for MNIST), not a Gaussian; the image is ``sigmoid(logits)``.

    Args:
        image_size: int, image side, 4 times a power of two (64).
        channels: int, image channels (3).
        latent_dim: int, size of ``z`` (128).
        filters: int, width of the last hidden convolution (64); the 4x4 map has
            ``filters * 2**(doublings - 1)`` channels.

    Inputs:
        float ``[batch, latent_dim]``, ``z``.

    Outputs:
        float32 logits ``[batch, image_size, image_size, channels]``.
    """

    def __init__(
        self,
        image_size: int = 64,
        channels: int = 3,
        latent_dim: int = 128,
        filters: int = 64,
        **kwargs,
    ):
        ups = num_doublings(image_size, 4, "image_size")
        width = filters * 2 ** (ups - 1)

        # === Layers ===
        project = keras.layers.Dense(4 * 4 * width, activation="relu", name="project")
        deconvs = [
            keras.layers.Conv2DTranspose(
                filters * 2 ** (ups - 2 - i),
                4,
                strides=2,
                padding="same",
                activation="relu",
                name=f"up_{i}",
            )
            for i in range(ups - 1)
        ]
        to_logits = keras.layers.Conv2DTranspose(
            channels, 4, strides=2, padding="same", dtype="float32", name="logits"
        )

        # === Functional Model ===
        z = keras.Input((latent_dim,), name="z")
        x = ops.reshape(project(z), (-1, 4, 4, width))
        for deconv in deconvs:
            x = deconv(x)
        super().__init__(inputs=z, outputs=to_logits(x), **kwargs)

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
