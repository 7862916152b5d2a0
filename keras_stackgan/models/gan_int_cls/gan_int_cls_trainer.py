"""GAN-INT-CLS for ``fit``: the four training variants of Reed et al. (2016) in one model."""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import ops
from keras.src.losses.loss import scale_loss_for_distribution

from keras_stackgan.models.gan_int_cls.gan_int_cls_config import (
    GANINTCLSConfig,
    gan_int_cls_config,
)
from keras_stackgan.models.gan_int_cls.gan_int_cls_discriminator import GANINTCLSDiscriminator
from keras_stackgan.models.gan_int_cls.gan_int_cls_generator import GANINTCLSGenerator
from keras_stackgan.models.gan_int_cls.variants import (
    VARIANTS,
    Variant,
    interpolate_embeddings,
    resolve_variant,
    variant_discriminator_loss,
    variant_generator_loss,
)
from keras_stackgan.models.matching_aware_gan import MatchingAwareGAN
from keras_stackgan.models.noise import replica_normal

# Salt 1 draws z as MatchingAwareGAN does (2 and 3 are its CA draws); 4 is the interpolated
# images' z.
_SALT_NOISE, _SALT_INTERPOLATION = 1, 4
_TEST_STEP = 0  # test_step draws the same noise every batch, so evaluation is deterministic


@keras.saving.register_keras_serializable(package="keras_stackgan")
class GANINTCLS(MatchingAwareGAN):
    """GAN-INT-CLS (Reed et al., ICML 2016) for ``fit``, with the variant chosen in ``compile``.

    Each step (the paper's Algorithm 1 with the authors' ``main_cls_int.lua`` weights):

    1. draw ``z``; with INT also ``z'`` and the interpolated text
       ``t_int = beta * t + (1 - beta) * roll(t, 1)``; one generator pass makes ``fake`` from
       ``(z, t)`` (and, with INT, ``fake_int`` from ``(z', t_int)`` in the same batch);
    2. update D on ``BCE(D(real, t), 1) + BCE(D(fake, t), 0)`` (GAN, GAN-INT) or
       ``BCE(D(real, t), 1) + w * BCE(D(wrong, t), 0) + (1 - w) * BCE(D(fake, t), 0)``
       (GAN-CLS, GAN-INT-CLS; ``w = wrong_weight = 0.5``);
    3. update G on ``BCE(D(fake, t), 1)`` and, with INT,
       ``+ interpolation_weight * BCE(D(fake_int, t_int), 1)``, scored by the updated D (one
       pass over both halves with INT, as the authors' code scores its 1.5x batch).

    There is no Conditioning Augmentation, so no KL term: the ``kl`` metric reads 0 (kept so
    the logs have StackGAN's columns). Metrics: ``d_loss``, ``g_loss``, ``kl``, ``d_real``,
    ``d_wrong`` (CLS only), ``d_fake`` (mean sigmoid scores) and ``g_int`` (INT only, the
    interpolated-text BCE).

    Data: ``fit`` takes ``(real_images, text_embeddings, wrong_images)`` batches like the
    StackGAN trainers (``make_stackgan_dataset``); the variants without CLS ignore
    ``wrong_images``. Under ``tf.distribute`` each replica pairs the embeddings of its own part
    of the batch for the interpolation. Generation (``generate``, ``call``) takes
    ``{"embedding", "noise"}``.

    Args:
        generator: :class:`GANINTCLSGenerator`.
        discriminator: :class:`GANINTCLSDiscriminator` of the same image size.
        seed: int or None, seed of the training noise.

    Examples:
    >>> gan = GANINTCLS.from_gan_int_cls_config("small", seed=0)
    >>> gan.compile(variant="gan-int-cls")  # or "gan", "gan-cls", "gan-int"
    >>> # gan.fit(dataset_of_(real_64px, embeddings, wrong_64px), epochs=...)
    >>> images = gan.generate(np.zeros((2, 384), "float32"), seed=0)
    >>> images.shape  # float32 in [-1, 1]
    (2, 64, 64, 3)
    """

    network_names = ("generator", "discriminator")

    def __init__(
        self,
        generator: GANINTCLSGenerator,
        discriminator: GANINTCLSDiscriminator,
        seed: int | None = None,
        **kwargs,
    ):
        super().__init__(seed=seed, **kwargs)
        self.set_networks(generator, discriminator, noise_dim=generator.noise_dim)
        self.trackers["g_int"] = keras.metrics.Mean(name="g_int")
        self.variant: Variant = VARIANTS["gan-int-cls"]
        self.interpolation_weight = 1.0
        self.interpolation_beta = 0.5
        self.kl_coefficient = 0.0

    @classmethod
    def from_gan_int_cls_config(
        cls,
        config: str | GANINTCLSConfig = "paper",
        seed: int | None = None,
        synchronized_bn: bool = False,
    ) -> GANINTCLS:
        """Builds generator and discriminator from a :class:`GANINTCLSConfig` or its name.

        The training variant and loss weights are ``compile`` arguments (the config's
        ``variant``, ``wrong_weight``, ``interpolation_*`` fields are what the recipe passes).
        """
        config = gan_int_cls_config(config)
        return cls(
            GANINTCLSGenerator(
                config.embedding_dim,
                config.noise_dim,
                config.projection_dim,
                config.gf_dim,
                config.image_size,
                synchronized_bn=synchronized_bn,
                name="gan_int_cls_generator",
            ),
            GANINTCLSDiscriminator(
                config.embedding_dim,
                config.image_size,
                config.df_dim,
                config.projection_dim,
                synchronized_bn=synchronized_bn,
                name="gan_int_cls_discriminator",
            ),
            seed=seed,
        )

    # === Compile ===
    def compile(
        self,
        g_optimizer: keras.optimizers.Optimizer | str | dict | None = None,
        d_optimizer: keras.optimizers.Optimizer | str | dict | None = None,
        variant: str | Variant = "gan-int-cls",
        wrong_weight: float = 0.5,
        interpolation_weight: float = 1.0,
        interpolation_beta: float = 0.5,
        jit_compile: bool | str = "auto",
        **kwargs,
    ):
        """Sets the optimizers, the training variant and its loss weights.

        Args:
            g_optimizer, d_optimizer: as in ``MatchingAwareGAN.compile`` (default the paper's
                ``Adam(2e-4, beta_1=0.5)``; ``gan_int_cls_optimizers`` adds the halving
                schedule).
            variant: ``"gan"``, ``"gan-cls"``, ``"gan-int"`` or ``"gan-int-cls"`` (default).
            wrong_weight: float in [0, 1], D's mismatched-text weight with CLS (0.5).
            interpolation_weight: float >= 0, G's interpolated-text weight with INT (1.0).
            interpolation_beta: float in [0, 1], ``beta`` of the interpolation (0.5).
            jit_compile: bool or ``"auto"`` (XLA on one device).
            **kwargs: passed to ``keras.Model.compile``.
        """
        variant = resolve_variant(variant)
        if interpolation_weight < 0:
            raise ValueError(f"interpolation_weight must be >= 0, received {interpolation_weight}")
        if not 0.0 <= interpolation_beta <= 1.0:
            raise ValueError(f"interpolation_beta must be in [0, 1], received {interpolation_beta}")
        kwargs.pop("kl_coefficient", None)  # no Conditioning Augmentation, so no KL term
        super().compile(
            g_optimizer,
            d_optimizer,
            kl_coefficient=0.0,
            wrong_weight=wrong_weight,
            jit_compile=jit_compile,
            **kwargs,
        )
        self.variant = variant
        self.interpolation_weight = float(interpolation_weight)
        self.interpolation_beta = float(interpolation_beta)
        self._gan_compile_config.pop("kl_coefficient")
        self._gan_compile_config.update(
            {
                "variant": variant.name,
                "interpolation_weight": self.interpolation_weight,
                "interpolation_beta": self.interpolation_beta,
            }
        )

    @property
    def metrics(self):
        return [self.trackers[name] for name in self.variant.metric_names]

    # === Generation ===
    def generate_fake(self, embeddings, noise, ca_noise, ca_noise_2, training):
        """``(images, None, None)``: no CA, so no condition noise, ``mu`` or ``logvar``."""
        images = self.generator({"embedding": embeddings, "noise": noise}, training=training)
        return images["images"], None, None

    # === Training ===
    def _generator_inputs(self, embeddings, batch, step):
        """Text and noise of G's pass: the batch's, followed with INT by interpolated text."""
        noise = replica_normal(batch, self.noise_dim, self._seed_value, step, _SALT_NOISE)
        if not self.variant.interpolation:
            return embeddings, noise
        noise_int = replica_normal(
            batch, self.noise_dim, self._seed_value, step, _SALT_INTERPOLATION
        )
        interpolated = interpolate_embeddings(embeddings, self.interpolation_beta)
        return (
            ops.concatenate([embeddings, interpolated], axis=0),
            ops.concatenate([noise, noise_int], axis=0),
        )

    def _discriminator_terms(self, real, wrong, fake, embeddings, training):
        logits = {"real": self._score(real, embeddings, training)}
        if self.variant.matching_aware:
            logits["wrong"] = self._score(wrong, embeddings, training)
        logits["fake"] = self._score(fake, embeddings, training)
        terms = variant_discriminator_loss(
            self.variant, logits["real"], logits.get("wrong"), logits["fake"], self.wrong_weight
        )
        return terms, logits

    def _generator_terms(self, g_images, g_text, training):
        g_logits = self._score(g_images, g_text, training)
        fake, interpolated = (
            ops.split(g_logits, 2) if self.variant.interpolation else (g_logits, None)
        )
        return variant_generator_loss(self.variant, fake, interpolated, self.interpolation_weight)

    def _fakes(self, g_images):
        """The batch's own fakes: the first half of G's pass with INT, all of it without."""
        return ops.split(g_images, 2)[0] if self.variant.interpolation else g_images

    def _log(self, d_terms, g_terms, logits):
        if "interpolated" in g_terms:
            self.trackers["g_int"].update_state(g_terms["interpolated"])
        logs = self._update_trackers(d_terms, g_terms["loss"], ops.zeros(()), logits)  # no KL
        return {name: logs[name] for name in self.variant.metric_names}

    def train_step(self, data):
        real, embeddings, wrong = self._unpack(data)
        self.validate_batch(real, embeddings, wrong)
        g_text, g_noise = self._generator_inputs(
            embeddings, ops.shape(real)[0], self.d_optimizer.iterations
        )

        with tf.GradientTape() as g_tape:
            g_images, _, _ = self.generate_fake(g_text, g_noise, None, None, training=True)
        fake = self._fakes(g_images)

        # Discriminator step, on the batch's fakes with gradients stopped.
        d_vars = self.discriminator.trainable_variables
        with tf.GradientTape() as d_tape:
            d_terms, logits = self._discriminator_terms(
                real, wrong, ops.stop_gradient(fake), embeddings, True
            )
            d_scaled = self.d_optimizer.scale_loss(scale_loss_for_distribution(d_terms["loss"]))
        self.d_optimizer.apply_gradients(zip(d_tape.gradient(d_scaled, d_vars), d_vars))

        # Generator step, on the same images (and interpolated ones) scored by the updated D.
        g_vars = self.generator.trainable_variables
        with g_tape:
            g_terms = self._generator_terms(g_images, g_text, True)
            g_scaled = self.g_optimizer.scale_loss(scale_loss_for_distribution(g_terms["loss"]))
        self.g_optimizer.apply_gradients(zip(g_tape.gradient(g_scaled, g_vars), g_vars))

        return self._log(d_terms, g_terms, logits)

    def test_step(self, data):
        real, embeddings, wrong = self._unpack(data)
        self.validate_batch(real, embeddings, wrong)
        g_text, g_noise = self._generator_inputs(embeddings, ops.shape(real)[0], _TEST_STEP)
        g_images, _, _ = self.generate_fake(g_text, g_noise, None, None, training=False)
        d_terms, logits = self._discriminator_terms(
            real, wrong, self._fakes(g_images), embeddings, False
        )
        g_terms = self._generator_terms(g_images, g_text, False)
        return self._log(d_terms, g_terms, logits)
