"""WGAN-GP (Gulrajani et al. 2017): WGAN with a gradient penalty in place of weight clipping."""

from keras_stackgan.models.wgan_gp.wgan_gp_config import (
    CONFIGS,
    WGANGPConfig,
    wgan_gp_config,
    wgan_gp_optimizers,
)
from keras_stackgan.models.wgan_gp.wgan_gp_discriminator import WGANGPCritic
from keras_stackgan.models.wgan_gp.wgan_gp_gan import WGANGP
from keras_stackgan.models.wgan_gp.wgan_gp_generator import WGANGPGenerator

__all__ = [
    "CONFIGS",
    "WGANGP",
    "WGANGPConfig",
    "WGANGPCritic",
    "WGANGPGenerator",
    "wgan_gp_config",
    "wgan_gp_optimizers",
]
