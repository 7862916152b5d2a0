"""The style encoder S of GAN-INT-CLS: image -> the noise ``z`` that would have drawn it."""

from __future__ import annotations

import keras

from keras_stackgan.layers.blocks import DownBlock
from keras_stackgan.layers.initializers import conv_init
from keras_stackgan.models.sizes import num_doublings


@keras.saving.register_keras_serializable(package="keras_stackgan")
class StyleEncoder(keras.Model):
    """Inverts a GAN-INT-CLS generator's noise: ``S(G(z, t)) ~ z`` (Reed et al. 2016, 4.4).

    The paper calls S "a convolutional network" without more detail and the authors' code does
    not include it; this one is the discriminator's image path (4x4 stride-2 convolutions, batch
    normalisation except on the first, LeakyReLU(0.2)) down to 4x4, flattened, and a linear
    ``Dense(noise_dim)``. S captures what the text does not fix, the "style" (pose,
    background), so ``G(S(x), t)`` renders the content of ``t`` in the style of image ``x``
    (:func:`transfer_style`). Train it with :class:`StyleEncoderTrainer`.

    Args:
        noise_dim: int, size of ``z`` (100).
        image_size: int, 4 times a power of two (64).
        df_dim: int, base width (64).
        synchronized_bn: bool, cross-replica batch statistics under ``tf.distribute``.

    Call arguments:
        images: float ``[batch, image_size, image_size, 3]`` in [-1, 1].

    Returns:
        float32 ``[batch, noise_dim]``, the estimated ``z`` (unbounded).

    Examples:
    >>> s = StyleEncoder(noise_dim=100, df_dim=8)
    >>> s(keras.random.uniform((2, 64, 64, 3), -1, 1)).shape
    TensorShape([2, 100])
    """

    def __init__(
        self,
        noise_dim: int = 100,
        image_size: int = 64,
        df_dim: int = 64,
        synchronized_bn: bool = False,
        **kwargs,
    ):
        num_down = num_doublings(image_size, 4, "image_size")

        # === Layers ===
        blocks = [
            DownBlock(
                df_dim * 2**i,
                batch_norm=i > 0,
                synchronized_bn=synchronized_bn,
                name=f"down_{i}",
            )
            for i in range(num_down)
        ]
        flatten = keras.layers.Flatten(name="flatten")
        to_noise = keras.layers.Dense(
            noise_dim, kernel_initializer=conv_init(), name="to_noise", dtype="float32"
        )

        # === Functional Model ===
        images = keras.Input((image_size, image_size, 3), name="images")
        x = images
        for block in blocks:
            x = block(x)
        noise = to_noise(flatten(x))
        super().__init__(inputs=images, outputs=noise, **kwargs)

        # === Config ===
        self.noise_dim = noise_dim
        self.image_size = image_size
        self.df_dim = df_dim
        self.synchronized_bn = synchronized_bn

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "noise_dim": self.noise_dim,
            "image_size": self.image_size,
            "df_dim": self.df_dim,
            "synchronized_bn": self.synchronized_bn,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
