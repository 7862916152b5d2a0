"""Layers shared by the model families."""

from keras_stackgan.layers.blocks import ConvBlock, DownBlock, ResidualBlock, UpBlock
from keras_stackgan.layers.conditioning_augmentation import ConditioningAugmentation
from keras_stackgan.layers.deconv_block import DeconvBlock
from keras_stackgan.layers.matching_aware_head import MatchingAwareHead

__all__ = [
    "ConditioningAugmentation",
    "ConvBlock",
    "DeconvBlock",
    "DownBlock",
    "MatchingAwareHead",
    "ResidualBlock",
    "UpBlock",
]
