"""StackGAN (Zhang et al., ICCV 2017): Conditioning Augmentation, Stage-I and Stage-II GANs."""

from keras_stackgan.models.stackgan.stackgan import StackGAN
from keras_stackgan.models.stackgan.stackgan_config import (
    CONFIGS,
    StackGANConfig,
    paper_learning_rate,
    paper_optimizers,
    stackgan_config,
)
from keras_stackgan.models.stackgan.stackgan_discriminator import StackGANDiscriminator
from keras_stackgan.models.stackgan.stackgan_trainers import StageIGAN, StageIIGAN
from keras_stackgan.models.stackgan.stage1_generator import StageIGenerator
from keras_stackgan.models.stackgan.stage2_generator import StageIIGenerator

__all__ = [
    "CONFIGS",
    "StackGAN",
    "StackGANConfig",
    "StackGANDiscriminator",
    "StageIGAN",
    "StageIGenerator",
    "StageIIGAN",
    "StageIIGenerator",
    "paper_learning_rate",
    "paper_optimizers",
    "stackgan_config",
]
