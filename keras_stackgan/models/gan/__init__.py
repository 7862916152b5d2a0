"""GAN (Goodfellow et al. 2014): the MLP generator and discriminator and the trainer every
unconditional zoo family reuses."""

from keras_stackgan.models.gan.gan_config import (
    CONFIGS,
    GENERATOR_LOSSES,
    GANConfig,
    adam_optimizers,
    gan_config,
)
from keras_stackgan.models.gan.gan_discriminator import GANDiscriminator
from keras_stackgan.models.gan.gan_gan import GAN
from keras_stackgan.models.gan.gan_generator import GANGenerator

__all__ = [
    "CONFIGS",
    "GAN",
    "GENERATOR_LOSSES",
    "GANConfig",
    "GANDiscriminator",
    "GANGenerator",
    "adam_optimizers",
    "gan_config",
]
