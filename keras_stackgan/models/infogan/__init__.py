"""InfoGAN (Chen et al. 2016): interpretable latent codes by maximising mutual information."""

from keras_stackgan.models.infogan.infogan_config import (
    CONFIGS,
    InfoGANConfig,
    infogan_config,
    infogan_optimizers,
)
from keras_stackgan.models.infogan.infogan_discriminator import InfoGANDiscriminator
from keras_stackgan.models.infogan.infogan_gan import InfoGAN
from keras_stackgan.models.infogan.infogan_generator import InfoGANGenerator

__all__ = [
    "CONFIGS",
    "InfoGAN",
    "InfoGANConfig",
    "InfoGANDiscriminator",
    "InfoGANGenerator",
    "infogan_config",
    "infogan_optimizers",
]
