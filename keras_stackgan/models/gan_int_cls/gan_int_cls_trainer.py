"""GAN-INT-CLS for ``fit``: the four training variants of Reed et al. (2016) in one model."""

from __future__ import annotations

import keras
from keras import ops

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

# Salt 1 draws z as StackGAN's stages do (2 and 3 are their CA draws); 4 is the interpolated
# images' z.
_SALT_NOISE, _SALT_INTERPOLATION = 1, 4


@keras.saving.register_keras_serializable(package="keras_stackgan")
class GANINTCLS(MatchingAwareGAN):
    """GAN-INT-CLS (Reed et al., ICML 2016) for ``fit``, with the variant chosen in ``compile``.

    Each step (the paper's Algorithm 1 with the authors' ``main_cls_int.lua`` weights):

    1. draw ``z``; with INT also ``z'`` for ``H = batch // 2`` images of interpolated text
       ``t_int = beta * t[:H] + (1 - beta) * t[H:2H]``; one generator pass makes ``fake`` from
       ``(z, t)`` (and, with INT, ``fake_int`` from ``(z', t_int)`` in the same pass: the
       authors' 1.5x batch);
    2. update D on ``BCE(D(real, t), 1) + BCE(D(fake, t), 0)`` (GAN, GAN-INT) or
       ``BCE(D(real, t), 1) + w * BCE(D(wrong, t), 0) + (1 - w) * BCE(D(fake, t), 0)``
       (GAN-CLS, GAN-INT-CLS; ``w = wrong_weight = 0.5``);
    3. update G on ``BCE(D(fake, t), 1)`` or, with INT, on one BCE averaged over the 1.5x batch
       with weight ``interpolation_weight`` on the interpolated images (``criterion_interp``),
       scored by the updated D in one pass.

    There is no Conditioning Augmentation, so no KL term. Metrics: ``d_loss``, ``g_loss``,
    ``d_real``, ``d_wrong`` (CLS only), ``d_fake`` (mean sigmoid scores) and ``g_int`` (INT
    only, the interpolated-text BCE).

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
    metric_names = ("d_loss", "g_loss", "d_real", "d_wrong", "d_fake", "g_int")

    def __init__(
        self,
        generator: GANINTCLSGenerator,
        discriminator: GANINTCLSDiscriminator,
        seed: int | None = None,
        **kwargs,
    ):
        super().__init__(seed=seed, **kwargs)
        self.set_networks(generator, discriminator, noise_dim=generator.noise_dim)
        self.variant: Variant = VARIANTS["gan-int-cls"]
        self.interpolation_weight = 1.0
        self.interpolation_beta = 0.5

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
                text_batch_norm=config.text_batch_norm,
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
            jit_compile: bool or ``"auto"`` (``compile_mode``'s measured rule; see ``compile``).
            **kwargs: passed to ``keras.Model.compile``.
        """
        variant = resolve_variant(variant)
        if interpolation_weight < 0:
            raise ValueError(f"interpolation_weight must be >= 0, received {interpolation_weight}")
        if not 0.0 <= interpolation_beta <= 1.0:
            raise ValueError(f"interpolation_beta must be in [0, 1], received {interpolation_beta}")
        super().compile(g_optimizer, d_optimizer, wrong_weight, jit_compile, **kwargs)
        self.variant = variant
        self.interpolation_weight = float(interpolation_weight)
        self.interpolation_beta = float(interpolation_beta)
        self.record_compile_options(
            variant=variant.name,
            interpolation_weight=self.interpolation_weight,
            interpolation_beta=self.interpolation_beta,
        )

    @property
    def reported_metric_names(self):
        return self.variant.metric_names

    # === Generation ===
    def generate_fake(self, embeddings, noise, ca_noise, ca_noise_2, training):
        """``(images, None, None)``: no CA, so no condition noise, ``mu`` or ``logvar``."""
        images = self.generator({"embedding": embeddings, "noise": noise}, training=training)
        return images["images"], None, None

    # === The algorithm's hooks ===
    def generate_fakes(self, batch, step, training):
        """One G pass over the batch's text and, with INT, the interpolated text after it.

        Returns ``{"images": [B or B + B // 2, S, S, 3], "text": the embeddings G was given}``.
        """
        embeddings = batch["embedding"]
        size = ops.shape(embeddings)[0]
        text = embeddings
        noise = self.normal_noise(size, self.noise_dim, step, _SALT_NOISE)
        if self.variant.interpolation:
            interpolated = interpolate_embeddings(embeddings, self.interpolation_beta)
            noise_int = self.normal_noise(size // 2, self.noise_dim, step, _SALT_INTERPOLATION)
            text = ops.concatenate([embeddings, interpolated], axis=0)
            noise = ops.concatenate([noise, noise_int], axis=0)
        images, _, _ = self.generate_fake(text, noise, None, None, training=training)
        return {"images": images, "text": text}

    @staticmethod
    def _own_fakes(batch, images):
        """The batch's own fakes: the first ``B`` images of G's pass."""
        return images[: ops.shape(batch["embedding"])[0]]

    def discriminator_loss(self, batch, fakes, training):
        embeddings = batch["embedding"]
        logits = {"real": self.score(batch["real"], embeddings, training)}
        if self.variant.matching_aware:
            logits["wrong"] = self.score(batch["wrong"], embeddings, training)
        logits["fake"] = self.score(self._own_fakes(batch, fakes["images"]), embeddings, training)
        terms = variant_discriminator_loss(
            self.variant, logits["real"], logits.get("wrong"), logits["fake"], self.wrong_weight
        )
        return terms["loss"], self.score_logs(logits)

    def generator_loss(self, batch, fakes, training):
        # One D pass over the matched and interpolated images (the authors' 1.5x batch).
        g_logits = self.score(fakes["images"], fakes["text"], training)
        size = ops.shape(batch["embedding"])[0]
        fake = g_logits[:size]
        interpolated = g_logits[size:] if self.variant.interpolation else None
        terms = variant_generator_loss(self.variant, fake, interpolated, self.interpolation_weight)
        logs = {"g_int": terms["interpolated"]} if "interpolated" in terms else {}
        return terms["loss"], logs
