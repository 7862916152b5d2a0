"""``GAN``: the unconditional two-player game of Goodfellow et al. (2014) on the adversarial base.

DCGAN (``keras_stackgan.models.dcgan``) is this step with convolutional networks.
"""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan import losses
from keras_stackgan.models.adversarial import AdversarialModel
from keras_stackgan.models.gan.gan_config import (
    GENERATOR_LOSSES,
    GANConfig,
    adam_optimizers,
    gan_config,
)
from keras_stackgan.models.gan.gan_discriminator import GANDiscriminator
from keras_stackgan.models.gan.gan_generator import GANGenerator

_SALT_NOISE = 1  # the training step's one draw: z
_GENERATOR_LOSSES = {
    "non_saturating": losses.generator_loss,
    "minimax": losses.minimax_generator_loss,
}


def _float_dtype(tensor) -> bool:
    return "float" in keras.backend.standardize_dtype(tensor.dtype)


@keras.saving.register_keras_serializable(package="keras_stackgan")
class GAN(AdversarialModel):
    """An unconditional generator against a real-vs-fake discriminator, for ``fit``.

    Each step is Algorithm 1 of Goodfellow et al. (2014) with ``k = 1``:

    1. draw ``z ~ N(0, I)`` and generate ``G(z)``;
    2. update D on ``-mean log D(x) - mean log(1 - D(G(z)))`` (``BCE(real, 1) + BCE(fake, 0)``);
    3. update G on ``-mean log D(G(z))`` (``"non_saturating"``, the paper's practical choice)
       or ``mean log(1 - D(G(z)))`` (``"minimax"``, the game's own objective), scored by the
       updated D.

    Any networks that follow the zoo's generator convention work: the MLPs of the paper
    (:class:`GANGenerator`, :class:`GANDiscriminator`) or DCGAN's convolutional ones
    (:class:`~keras_stackgan.models.dcgan.DCGAN` is this class with those).

    Data: ``fit`` takes batches of images float ``[batch, S, S, C]`` in [-1, 1], alone or as
    ``(images, labels)`` (labels ignored, so ``make_labelled_dataset`` / ``make_mnist_dataset``
    batches work as they are). Reported metrics: ``d_loss``, ``g_loss`` and the mean sigmoid
    scores ``d_real`` (D's belief that real images are real) and ``d_fake`` (same for fakes).

    Args:
        generator: a generator of the zoo's convention (``noise_dim``, ``image_size``,
            ``channels``; called on ``{"noise": z}``), e.g. :class:`GANGenerator`.
        discriminator: images -> float32 logits ``[batch, 1]``, e.g. :class:`GANDiscriminator`.
        seed: int or None, seed of the training noise.

    Examples:
    >>> gan = GAN.from_gan_config("small")
    >>> gan.compile(generator_loss="non_saturating")
    >>> # gan.fit(make_mnist_dataset("../shared/data/mnist", seed=0), epochs=...)
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
        if discriminator.image_size != generator.image_size or getattr(
            discriminator, "channels", 3
        ) != getattr(generator, "channels", 3):
            raise ValueError(
                "The discriminator takes "
                f"{discriminator.image_size} px x {getattr(discriminator, 'channels', 3)} "
                f"images but the generator makes {generator.image_size} px x "
                f"{getattr(generator, 'channels', 3)}"
            )
        self.set_networks(generator, discriminator)
        self.noise_dim = int(generator.noise_dim)
        self.image_size = int(generator.image_size)
        self.channels = int(getattr(generator, "channels", 3))
        self.generator_loss_type = "non_saturating"

    @classmethod
    def from_gan_config(cls, config: str | GANConfig | dict = "paper", seed=None, **changes):
        """The paper's MLPs built from a :class:`GANConfig` or its name (keywords override
        fields, e.g. ``image_size=64, channels=3``)."""
        config = gan_config(config, **changes)
        return cls(
            GANGenerator(
                config.noise_dim,
                config.image_size,
                config.channels,
                config.g_hidden_units,
                config.activation,
                name="gan_generator",
            ),
            GANDiscriminator(
                config.image_size,
                config.channels,
                config.d_hidden_units,
                config.d_dropout,
                config.d_input_dropout,
                name="gan_discriminator",
            ),
            seed=seed,
        )

    @staticmethod
    def config_optimizers(config) -> tuple:
        """``(g_optimizer, d_optimizer)``: Adam with the config's learning rate and betas."""
        return adam_optimizers(config)

    # === Compile ===
    def compile(
        self,
        g_optimizer: keras.optimizers.Optimizer | str | dict | None = None,
        d_optimizer: keras.optimizers.Optimizer | str | dict | None = None,
        generator_loss: str = "non_saturating",
        jit_compile: bool | str = "auto",
        **kwargs,
    ):
        """``AdversarialModel.compile`` plus the generator's objective.

        Args:
            g_optimizer, d_optimizer: default ``Adam(2e-4, beta_1=0.5)`` (DCGAN's).
            generator_loss: ``"non_saturating"`` (default, ``-mean log D(G(z))``) or
                ``"minimax"`` (``mean log(1 - D(G(z)))``, the paper's eq. 1).
            jit_compile: bool or ``"auto"`` (``compile_mode``'s measured rule; see ``compile``).
            **kwargs: passed to ``keras.Model.compile``.

        Raises:
            ValueError: for an unknown ``generator_loss``.
        """
        if generator_loss not in GENERATOR_LOSSES:
            raise ValueError(
                f"generator_loss must be one of {GENERATOR_LOSSES}, received {generator_loss!r}"
            )
        super().compile(g_optimizer, d_optimizer, jit_compile=jit_compile, **kwargs)
        self.generator_loss_type = generator_loss
        self.record_compile_options(generator_loss=generator_loss)

    # === Generation ===
    def call(self, inputs, training=None):
        """Generation: ``{"noise": [n, noise_dim]}`` -> images ``[n, S, S, C]`` in [-1, 1]."""
        return self.generator(inputs, training=training)

    # === The algorithm's hooks ===
    def unpack_batch(self, data) -> dict:
        """``{"real": images}`` from ``images``, ``(images,)`` or ``(images, labels)``."""
        if isinstance(data, tuple | list):
            if len(data) not in (1, 2):
                raise ValueError(
                    "Expected batches of images or (images, labels), received a "
                    f"{type(data).__name__} of length {len(data)}"
                )
            data = data[0]
        if isinstance(data, dict):
            raise ValueError(f"Expected batches of images, received a dict of {sorted(data)}")
        expected = (self.image_size, self.image_size, self.channels)
        if len(data.shape) != 4 or tuple(data.shape[1:]) != expected:
            raise ValueError(
                f"images must have shape [batch, {', '.join(map(str, expected))}], "
                f"received {tuple(data.shape)}"
            )
        if not _float_dtype(data):
            raise ValueError(
                "images must be a float tensor scaled to [-1, 1], received dtype "
                f"{keras.backend.standardize_dtype(data.dtype)}"
            )
        return {"real": data}

    def generate_fakes(self, batch, step, training):
        z = self.normal_noise(ops.shape(batch["real"])[0], self.noise_dim, step, _SALT_NOISE)
        return {"images": self.generator({"noise": z}, training=training)}

    def discriminator_loss(self, batch, fakes, training):
        real_logits = self.discriminator(batch["real"], training=training)
        fake_logits = self.discriminator(fakes["images"], training=training)
        loss = losses.discriminator_loss(real_logits, None, fake_logits)["loss"]
        return loss, {
            "d_real": ops.mean(ops.sigmoid(ops.cast(real_logits, "float32"))),
            "d_fake": ops.mean(ops.sigmoid(ops.cast(fake_logits, "float32"))),
        }

    def generator_loss(self, batch, fakes, training):
        fake_logits = self.discriminator(fakes["images"], training=training)
        return _GENERATOR_LOSSES[self.generator_loss_type](fake_logits), {}
