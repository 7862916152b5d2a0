"""Model families: one sub-package each."""

from keras_stackgan.models.matching_aware_gan import MatchingAwareGAN
from keras_stackgan.models.stackgan import (
    StackGAN,
    StackGANDiscriminator,
    StageIGAN,
    StageIGenerator,
    StageIIGAN,
    StageIIGenerator,
)

__all__ = [
    "MatchingAwareGAN",
    "StackGAN",
    "StackGANDiscriminator",
    "StageIGAN",
    "StageIGenerator",
    "StageIIGAN",
    "StageIIGenerator",
]
