"""The two StackGAN training models: Stage-I (text -> 64 px) and Stage-II (64 px -> 256 px)."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan.models.matching_aware_gan import MatchingAwareGAN
from keras_stackgan.models.stackgan.stackgan_config import StackGANConfig, stackgan_config
from keras_stackgan.models.stackgan.stackgan_discriminator import StackGANDiscriminator
from keras_stackgan.models.stackgan.stage1_generator import StageIGenerator
from keras_stackgan.models.stackgan.stage2_generator import StageIIGenerator


@keras.saving.register_keras_serializable(package="keras_stackgan")
class StageIGAN(MatchingAwareGAN):
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
class StageIIGAN(MatchingAwareGAN):
    """Stage-II StackGAN for ``fit``: refines a frozen Stage-I generator's 64 px images.

    The Stage-I generator runs in inference mode with its weights frozen (``trainable=False``);
    its CA still samples the condition, as in StackGAN-Pytorch. The Stage-II generator and the
    high-resolution discriminator are trained with the same matching-aware losses as Stage-I.

    Args:
        stage1_generator: a trained :class:`StageIGenerator` (frozen here).
        generator: :class:`StageIIGenerator`.
        discriminator: :class:`StackGANDiscriminator` at the Stage-II image size.
        seed: int or None, seed of the training noise.
    """

    def __init__(
        self,
        stage1_generator: StageIGenerator,
        generator: StageIIGenerator,
        discriminator: StackGANDiscriminator,
        seed: int | None = None,
        **kwargs,
    ):
        super().__init__(seed=seed, **kwargs)
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
        """Builds the Stage-II networks from a config around a trained Stage-I generator."""
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
            ),
            seed=seed,
        )

    def generate_fake(self, embeddings, noise, ca_noise, ca_noise_2, training):
        sketch = self.stage1_generator(
            {"embedding": embeddings, "noise": noise, "ca_noise": ca_noise}, training=False
        )["images"]
        out = self.generator(
            {"images": ops.stop_gradient(sketch), "embedding": embeddings, "ca_noise": ca_noise_2},
            training=training,
        )
        return out["images"], out["mu"], out["logvar"]

    network_names = ("stage1_generator", "generator", "discriminator")
