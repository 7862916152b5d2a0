"""Layers shared by the model families."""

from keras_stackgan.layers.blocks import ConvBlock, DownBlock, ResidualBlock, UpBlock
from keras_stackgan.layers.conditional_batch_norm import ConditionalBatchNormalization
from keras_stackgan.layers.conditioning_augmentation import ConditioningAugmentation
from keras_stackgan.layers.deconv_block import DeconvBlock
from keras_stackgan.layers.matching_aware_head import MatchingAwareHead
from keras_stackgan.layers.maxout import Maxout

__all__ = [
    "ConditionalBatchNormalization",
    "ConditioningAugmentation",
    "ConvBlock",
    "DeconvBlock",
    "DownBlock",
    "MatchingAwareHead",
    "Maxout",
    "ResidualBlock",
    "UpBlock",
]
