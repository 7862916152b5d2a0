"""``ConditionalGAN``: the class-conditional GAN step (Mirza & Osindero 2014) on the base."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan import losses
from keras_stackgan.models.adversarial import AdversarialModel
from keras_stackgan.models.cgan.cgan_cbn_generator import CBNGenerator
from keras_stackgan.models.cgan.cgan_config import CGANConfig, cgan_config
from keras_stackgan.models.cgan.cgan_discriminator import CGANDiscriminator
from keras_stackgan.models.cgan.cgan_generator import CGANGenerator
from keras_stackgan.models.cgan.cgan_projection_discriminator import ProjectionDiscriminator

_SALT_NOISE = 1


def _check_batch(images, labels, image_shape, num_classes):
    if len(images.shape) != 4 or tuple(images.shape[1:]) != tuple(image_shape):
        raise ValueError(
            f"images must have shape [batch, {', '.join(map(str, image_shape))}], "
            f"received {tuple(images.shape)}"
        )
    if "float" not in keras.backend.standardize_dtype(images.dtype):
        raise ValueError(f"images must be float in [-1, 1], received dtype {images.dtype}")
    if len(labels.shape) != 1 or "int" not in keras.backend.standardize_dtype(labels.dtype):
        raise ValueError(
            f"labels must be integer class ids [batch] in [0, {num_classes}), received "
            f"{keras.backend.standardize_dtype(labels.dtype)} {tuple(labels.shape)}"
        )
    if None not in (images.shape[0], labels.shape[0]) and images.shape[0] != labels.shape[0]:
        raise ValueError(f"{images.shape[0]} images for {labels.shape[0]} labels")


@keras.saving.register_keras_serializable(package="keras_stackgan")
class ConditionalGAN(AdversarialModel):
    """A class-conditional generator against a label-conditioned discriminator.

    Each step (Mirza & Osindero 2014, eq. 2: the GAN game with both players given ``y``):

    1. draw ``z ~ N(0, I)`` and generate ``fake = G(z, y)`` for the batch's own labels ``y``
       (so the fakes have exactly the real half's label distribution and D can only judge
       the image given its label, never the label frequencies);
    2. update D on ``BCE(D(real, y), 1) + BCE(D(fake, y), 0)``;
    3. update G on ``BCE(D(fake, y), 1)`` with the same ``fake``.

    Works with either generator (:class:`CGANGenerator`, the paper's; :class:`CBNGenerator`,
    conditional batch norm) and either discriminator (:class:`CGANDiscriminator`, the paper's;
    :class:`ProjectionDiscriminator`). The generator follows the ``GeneratorPipeline``
    convention (``num_classes``).

    Data: ``fit`` takes ``(images, labels)`` batches (``make_labelled_dataset``): float
    ``[batch, S, S, C]`` in [-1, 1] and int32 ``[batch]``. Reported metrics: ``d_loss``,
    ``g_loss`` and the mean sigmoid scores ``d_real`` and ``d_fake``. ``compile`` takes the
    base's options only; its default optimizers are Adam(2e-4, beta_1 = 0.5) for both.

    Args:
        generator: a class-conditional generator (``{"noise", "labels"}`` -> images).
        discriminator: ``{"images", "labels"}`` -> float32 logits ``[batch, 1]``.
        seed: int or None, seed of the training noise.

    Examples:
    ```python
    gan = ConditionalGAN.from_cgan_config("small", seed=0)
    gan.compile()
    gan.fit(make_labelled_dataset(images, labels, num_classes=10, seed=0), epochs=5)
    digits = gan({"noise": z, "labels": labels})  # [n, 28, 28, 1] in [-1, 1]
    ```
    """

    metric_names = ("d_loss", "g_loss", "d_real", "d_fake")

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        seed: int | None = None,
        **kwargs,
    ):
        super().__init__(seed=seed, **kwargs)
        for attribute in ("num_classes", "image_size", "channels"):
            g_value, d_value = getattr(generator, attribute), getattr(discriminator, attribute)
            if g_value != d_value:
                raise ValueError(
                    f"The generator has {attribute}={g_value}, the discriminator {d_value}"
                )
        self.set_networks(generator, discriminator)
        self.num_classes = generator.num_classes
        self.noise_dim = generator.noise_dim
        self.image_shape = (generator.image_size, generator.image_size, generator.channels)

    @classmethod
    def from_cgan_config(cls, config: str | CGANConfig | dict = "small", seed=None, **changes):
        """Builds both networks from a :class:`CGANConfig` or its name (``"paper"``,
        ``"cbn"``, ``"small"``); keyword arguments override config fields."""
        c = cgan_config(config, **changes)
        data = {"num_classes": c.num_classes, "image_size": c.image_size, "channels": c.channels}
        if c.generator == "cbn":
            generator = CBNGenerator(
                noise_dim=c.noise_dim, gf_dim=c.gf_dim, name="generator", **data
            )
        else:
            generator = CGANGenerator(
                noise_dim=c.noise_dim,
                noise_units=c.noise_units,
                label_units=c.label_units,
                hidden_units=c.hidden_units,
                dropout=c.dropout,
                name="generator",
                **data,
            )
        if c.discriminator == "projection":
            discriminator = ProjectionDiscriminator(
                df_dim=c.df_dim, feature_dim=c.feature_dim, name="discriminator", **data
            )
        else:
            discriminator = CGANDiscriminator(
                image_units=c.image_units,
                image_pieces=c.image_pieces,
                label_units=c.d_label_units,
                label_pieces=c.label_pieces,
                joint_units=c.joint_units,
                joint_pieces=c.joint_pieces,
                dropout=c.dropout,
                name="discriminator",
                **data,
            )
        return cls(generator, discriminator, seed=seed)

    def call(self, inputs, training=None):
        """Generation: ``{"noise", "labels"}`` -> images ``[n, S, S, C]`` in [-1, 1]."""
        return self.generator(inputs, training=training)

    # === The algorithm's hooks ===
    def unpack_batch(self, data) -> dict:
        if not isinstance(data, tuple | list) or len(data) != 2:
            raise ValueError(
                f"Expected batches of (images, labels), received {type(data).__name__}"
                + (f" of length {len(data)}" if isinstance(data, tuple | list) else "")
            )
        images, labels = data
        _check_batch(images, labels, self.image_shape, self.num_classes)
        return {"real": images, "labels": ops.cast(labels, "int32")}

    def generate_fakes(self, batch, step, training):
        labels = batch["labels"]
        noise = self.normal_noise(ops.shape(labels)[0], self.noise_dim, step, _SALT_NOISE)
        images = self.generator({"noise": noise, "labels": labels}, training=training)
        return {"images": images, "labels": labels}

    def score(self, images, labels, training):
        """D's float32 logits ``[batch, 1]`` for images with the labels they claim."""
        return self.discriminator({"images": images, "labels": labels}, training=training)

    def discriminator_loss(self, batch, fakes, training):
        real = self.score(batch["real"], batch["labels"], training)
        fake = self.score(fakes["images"], fakes["labels"], training)
        loss = losses.discriminator_loss(real, None, fake)["loss"]
        scores = {"d_real": ops.mean(ops.sigmoid(real)), "d_fake": ops.mean(ops.sigmoid(fake))}
        return loss, scores

    def generator_loss(self, batch, fakes, training):
        fake = self.score(fakes["images"], fakes["labels"], training)
        return losses.generator_loss(fake), {}
