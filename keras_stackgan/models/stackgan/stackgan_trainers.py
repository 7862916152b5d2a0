"""The two StackGAN training models: Stage-I (text -> 64 px) and Stage-II (64 px -> 256 px)."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan import losses
from keras_stackgan.models.matching_aware_gan import MatchingAwareGAN
from keras_stackgan.models.stackgan.stackgan_config import StackGANConfig, stackgan_config
from keras_stackgan.models.stackgan.stackgan_discriminator import StackGANDiscriminator
from keras_stackgan.models.stackgan.stage1_generator import StageIGenerator
from keras_stackgan.models.stackgan.stage2_generator import StageIIGenerator

# Salts of a training step's draws: z, Stage-I's CA epsilon, Stage-II's CA epsilon.
_SALT_NOISE, _SALT_CA, _SALT_CA2 = 1, 2, 3


class StackGANStage(MatchingAwareGAN):
    """What StackGAN adds to the matching-aware step: Conditioning Augmentation's KL term.

    G's loss is ``BCE(D(fake, text), 1) + kl_coefficient * KL(N(mu, sigma^2) || N(0, I))``
    (``keras_stackgan.losses.kl_divergence``); each step draws ``z`` and the CA noise of both
    stages. Reported metrics: ``d_loss``, ``g_loss``, ``kl``, ``d_real``, ``d_wrong``,
    ``d_fake``.

    With a discriminator built with ``uncond_logits=True`` (StackGAN-Pytorch's Stage-II D) the
    losses are StackGAN-Pytorch's: D minimises
    ``(real + uncond_real) / 2 + (fake + wrong + uncond_fake) / 3``
    (``losses.uncond_discriminator_loss``) and G
    ``BCE(D(fake, text), 1) + BCE(D_uncond(fake), 1) + kl_coefficient * KL``
    (``losses.uncond_generator_loss``); ``d_uncond_real`` and ``d_uncond_fake`` (mean sigmoid
    scores of the unconditional head) are reported as well.
    """

    metric_names = ("d_loss", "g_loss", "kl", "d_real", "d_wrong", "d_fake")
    uncond_metric_names = ("d_uncond_real", "d_uncond_fake")

    def __init__(self, seed: int | None = None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.kl_coefficient = 2.0

    def compile(
        self,
        g_optimizer: keras.optimizers.Optimizer | str | dict | None = None,
        d_optimizer: keras.optimizers.Optimizer | str | dict | None = None,
        kl_coefficient: float = 2.0,
        wrong_weight: float = 0.5,
        jit_compile: bool | str = "auto",
        **kwargs,
    ):
        """``MatchingAwareGAN.compile`` plus the KL weight.

        Args:
            g_optimizer, d_optimizer: default the paper's ``Adam(2e-4, beta_1=0.5)``
                (``paper_optimizers`` adds the halving schedule).
            kl_coefficient: float >= 0, weight of the CA's KL term in G's loss (2.0).
            wrong_weight: float in [0, 1], D's mismatched-text weight (0.5).
            jit_compile: bool or ``"auto"`` (``compile_mode``'s measured rule; see ``compile``).
            **kwargs: passed to ``keras.Model.compile``.
        """
        if kl_coefficient < 0:
            raise ValueError(f"kl_coefficient must be >= 0, received {kl_coefficient}")
        super().compile(g_optimizer, d_optimizer, wrong_weight, jit_compile, **kwargs)
        self.kl_coefficient = float(kl_coefficient)
        self.record_compile_options(kl_coefficient=self.kl_coefficient)

    def set_networks(self, generator, discriminator, noise_dim: int):
        super().set_networks(generator, discriminator, noise_dim)
        if self.has_uncond_logits:
            # Only trainers with the unconditional head get these trackers, so the saved
            # structure of every other trainer is unchanged.
            for name in self.uncond_metric_names:
                self.trackers[name] = keras.metrics.Mean(name=name)

    @property
    def has_uncond_logits(self) -> bool:
        """Whether D has StackGAN-Pytorch's unconditional head (``uncond_logits``)."""
        return bool(getattr(self.discriminator, "uncond_logits", False))

    @property
    def reported_metric_names(self):
        if self.has_uncond_logits:
            return self.metric_names + self.uncond_metric_names
        return self.metric_names

    def generate_fakes(self, batch, step, training):
        size = ops.shape(batch["real"])[0]
        noise = self.normal_noise(size, self.noise_dim, step, _SALT_NOISE)
        ca_noise = self.normal_noise(size, self.condition_dim, step, _SALT_CA)
        ca_noise_2 = self.normal_noise(size, self.condition_dim, step, _SALT_CA2)
        images, mu, logvar = self.generate_fake(
            batch["embedding"], noise, ca_noise, ca_noise_2, training=training
        )
        return {"images": images, "mu": mu, "logvar": logvar}

    def discriminator_loss(self, batch, fakes, training):
        if not self.has_uncond_logits:
            return super().discriminator_loss(batch, fakes, training)
        embeddings = batch["embedding"]
        real = self.score(batch["real"], embeddings, training)
        wrong = self.score(batch["wrong"], embeddings, training)
        fake = self.score(fakes["images"], embeddings, training)
        terms = losses.uncond_discriminator_loss(
            real["logits"],
            wrong["logits"],
            fake["logits"],
            real["uncond_logits"],
            fake["uncond_logits"],
            self.wrong_weight,
        )
        logits = {
            "real": real["logits"],
            "wrong": wrong["logits"],
            "fake": fake["logits"],
            "uncond_real": real["uncond_logits"],
            "uncond_fake": fake["uncond_logits"],
        }
        return terms["loss"], self.score_logs(logits)

    def generator_loss(self, batch, fakes, training):
        kl = losses.kl_divergence(fakes["mu"], fakes["logvar"])
        if self.has_uncond_logits:
            scores = self.score(fakes["images"], batch["embedding"], training)
            loss = losses.uncond_generator_loss(scores["logits"], scores["uncond_logits"])
            logs = {}
        else:
            loss, logs = super().generator_loss(batch, fakes, training)
        return loss + self.kl_coefficient * kl, {**logs, "kl": kl}


@keras.saving.register_keras_serializable(package="keras_stackgan")
class StageIGAN(StackGANStage):
    """Stage-I StackGAN for ``fit``: a :class:`StageIGenerator` against a 64 px discriminator.

    Args:
        generator: :class:`StageIGenerator`.
        discriminator: :class:`StackGANDiscriminator` with ``image_size=64``.
        seed: int or None, seed of the training noise.

    Examples:
    >>> gan = StageIGAN.from_stackgan_config("small")
    >>> gan.compile()
    >>> # gan.fit(dataset_of_(real_64px, embeddings, wrong_64px), epochs=...)
    """

    def __init__(
        self,
        generator: StageIGenerator,
        discriminator: StackGANDiscriminator,
        seed: int | None = None,
        **kwargs,
    ):
        super().__init__(seed=seed, **kwargs)
        self.set_networks(generator, discriminator, noise_dim=generator.noise_dim)

    @classmethod
    def from_stackgan_config(
        cls, config: str | StackGANConfig = "paper", seed=None, synchronized_bn: bool = False
    ):
        """Builds generator and discriminator from a :class:`StackGANConfig` or its name.

        ``synchronized_bn=True`` makes batch statistics global under ``tf.distribute``.
        """
        config = stackgan_config(config)
        return cls(
            StageIGenerator(
                config.embedding_dim,
                config.condition_dim,
                config.noise_dim,
                config.stage1_gf_dim,
                name="stage1_generator",
                synchronized_bn=synchronized_bn,
            ),
            StackGANDiscriminator(
                config.embedding_dim,
                64,
                config.stage1_df_dim,
                config.projection_dim,
                name="stage1_discriminator",
                synchronized_bn=synchronized_bn,
            ),
            seed=seed,
        )

    def generate_fake(self, embeddings, noise, ca_noise, ca_noise_2, training):
        out = self.generator(
            {"embedding": embeddings, "noise": noise, "ca_noise": ca_noise}, training=training
        )
        return out["images"], out["mu"], out["logvar"]

    network_names = ("generator", "discriminator")


@keras.saving.register_keras_serializable(package="keras_stackgan")
class StageIIGAN(StackGANStage):
    """Stage-II StackGAN for ``fit``: refines a frozen Stage-I generator's 64 px images.

    The Stage-I generator's weights are frozen (``trainable=False``, never in an optimizer) and
    its CA still samples the condition, as in StackGAN-Pytorch. The Stage-II generator and the
    high-resolution discriminator are trained with the same matching-aware losses as Stage-I
    (StackGAN-Pytorch's, with the unconditional logits, for a discriminator built with
    ``uncond_logits=True``; see :class:`StackGANStage`).

    Stage-I's batch normalisation while training Stage-II: both original trainers produce the
    Stage-II inputs with Stage-I in training mode, i.e. batch statistics (TF StackGAN builds
    ``g_net`` under ``pt.defaults_scope(phase=pt.Phase.train)`` in ``stageII/trainer.py``;
    StackGAN-Pytorch never calls ``eval()`` on ``STAGE2_G``, whose submodule ``STAGE1_G`` has
    ``requires_grad = False`` only). In Keras 3 a ``BatchNormalization`` with
    ``trainable=False`` always normalises with its moving averages, so by default
    (``stage1_batch_statistics=False``) Stage-I runs in inference mode. With
    ``stage1_batch_statistics=True`` each training step calls Stage-I through
    ``keras.Layer.stateless_call(..., training=True)`` with its layers marked trainable for the
    call only: its normalisations use the batch's statistics, and the updated moving averages
    that call returns are discarded, so Stage-I's weights and moving averages stay those of its
    own training (StackGAN-Pytorch, in train mode, also overwrites ``STAGE1_G``'s running
    averages during Stage-II; they only matter in inference mode). ``evaluate``, ``generate``
    and the ``StackGAN`` pipeline run Stage-I in inference mode either way, as both originals
    do when sampling.

    Args:
        stage1_generator: a trained :class:`StageIGenerator` (frozen here).
        generator: :class:`StageIIGenerator`.
        discriminator: :class:`StackGANDiscriminator` at the Stage-II image size.
        seed: int or None, seed of the training noise.
        stage1_batch_statistics: bool, Stage-I's normalisations use batch statistics in
            training steps (default False: its moving averages, as before this option).
    """

    def __init__(
        self,
        stage1_generator: StageIGenerator,
        generator: StageIIGenerator,
        discriminator: StackGANDiscriminator,
        seed: int | None = None,
        stage1_batch_statistics: bool = False,
        **kwargs,
    ):
        super().__init__(seed=seed, **kwargs)
        self.stage1_batch_statistics = bool(stage1_batch_statistics)
        if stage1_generator.embedding_dim != generator.embedding_dim:
            raise ValueError(
                f"Stage-I takes {stage1_generator.embedding_dim}-d embeddings, Stage-II "
                f"{generator.embedding_dim}-d"
            )
        stage1_generator.trainable = False
        self.stage1_generator = stage1_generator
        self.set_networks(generator, discriminator, noise_dim=stage1_generator.noise_dim)

    @classmethod
    def from_stackgan_config(
        cls,
        stage1_generator,
        config: str | StackGANConfig = "paper",
        seed=None,
        synchronized_bn: bool = False,
    ):
        """Builds the Stage-II networks from a config around a trained Stage-I generator.

        The config's ``stage2_uncond_logits`` and ``stage1_batch_statistics`` (both on in the
        ``"paper"`` config) choose the unconditional head and Stage-I's normalisation.
        """
        config = stackgan_config(config)
        return cls(
            stage1_generator,
            StageIIGenerator(
                config.embedding_dim,
                config.condition_dim,
                config.stage2_gf_dim,
                config.stage2_image_size,
                num_residual_blocks=config.stage2_residual_blocks,
                name="stage2_generator",
                synchronized_bn=synchronized_bn,
            ),
            StackGANDiscriminator(
                config.embedding_dim,
                config.stage2_image_size,
                config.stage2_df_dim,
                config.projection_dim,
                name="stage2_discriminator",
                synchronized_bn=synchronized_bn,
                uncond_logits=config.stage2_uncond_logits,
            ),
            seed=seed,
            stage1_batch_statistics=config.stage1_batch_statistics,
        )

    def stage1_images(self, inputs, training):
        """Stage-I's 64 px images for ``inputs``; see the class docstring for its BN mode."""
        stage1 = self.stage1_generator
        if not (training and self.stage1_batch_statistics):
            return stage1(inputs, training=False)["images"]
        # A BatchNormalization uses batch statistics only if trainable; stateless_call leaves
        # every variable as it was (the new moving averages it returns are dropped).
        stage1.trainable = True
        try:
            outputs, _ = stage1.stateless_call(
                stage1.trainable_variables, stage1.non_trainable_variables, inputs, training=True
            )
        finally:
            stage1.trainable = False
        return outputs["images"]

    def generate_fake(self, embeddings, noise, ca_noise, ca_noise_2, training):
        sketch = self.stage1_images(
            {"embedding": embeddings, "noise": noise, "ca_noise": ca_noise}, training
        )
        out = self.generator(
            {"images": ops.stop_gradient(sketch), "embedding": embeddings, "ca_noise": ca_noise_2},
            training=training,
        )
        return out["images"], out["mu"], out["logvar"]

    network_names = ("stage1_generator", "generator", "discriminator")

    def get_config(self):
        return {**super().get_config(), "stage1_batch_statistics": self.stage1_batch_statistics}
