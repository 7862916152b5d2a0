"""WGAN (Arjovsky et al. 2017): a DCGAN generator against a weight-clipped critic."""

from keras_stackgan.models.wgan.wasserstein_gan import WassersteinGAN
from keras_stackgan.models.wgan.wgan_config import (
    CONFIGS,
    WGANConfig,
    wgan_config,
    wgan_optimizers,
)
from keras_stackgan.models.wgan.wgan_discriminator import WGANCritic
from keras_stackgan.models.wgan.wgan_gan import WGAN
from keras_stackgan.models.wgan.wgan_generator import WGANGenerator

__all__ = [
    "CONFIGS",
    "WGAN",
    "WGANConfig",
    "WGANCritic",
    "WGANGenerator",
    "WassersteinGAN",
    "wgan_config",
    "wgan_optimizers",
]
