"""Conditional GAN (Mirza & Osindero 2014) and its conditional-batch-norm generator."""

from keras_stackgan.models.cgan.cgan_cbn_generator import CBNGenerator
from keras_stackgan.models.cgan.cgan_config import CONFIGS, CGANConfig, cgan_config
from keras_stackgan.models.cgan.cgan_discriminator import CGANDiscriminator
from keras_stackgan.models.cgan.cgan_gan import ConditionalGAN
from keras_stackgan.models.cgan.cgan_generator import CGANGenerator
from keras_stackgan.models.cgan.cgan_projection_discriminator import ProjectionDiscriminator

__all__ = [
    "CONFIGS",
    "CBNGenerator",
    "CGANConfig",
    "CGANDiscriminator",
    "CGANGenerator",
    "ConditionalGAN",
    "ProjectionDiscriminator",
    "cgan_config",
]
