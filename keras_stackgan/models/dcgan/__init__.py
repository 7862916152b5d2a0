"""DCGAN (Radford et al. 2016): convolutional generator and discriminator on the GAN step."""

from keras_stackgan.models.dcgan.dcgan_config import CONFIGS, DCGANConfig, dcgan_config
from keras_stackgan.models.dcgan.dcgan_discriminator import DCGANDiscriminator
from keras_stackgan.models.dcgan.dcgan_gan import DCGAN
from keras_stackgan.models.dcgan.dcgan_generator import DCGANGenerator
from keras_stackgan.models.dcgan.dcgan_sizes import base_and_doublings

__all__ = [
    "CONFIGS",
    "DCGAN",
    "DCGANConfig",
    "DCGANDiscriminator",
    "DCGANGenerator",
    "base_and_doublings",
    "dcgan_config",
]
