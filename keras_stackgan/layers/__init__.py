"""Layers shared by the model families."""

from keras_stackgan.layers.blocks import ConvBlock, DownBlock, ResidualBlock, UpBlock
from keras_stackgan.layers.conditional_batch_norm import ConditionalBatchNormalization
from keras_stackgan.layers.conditioning_augmentation import ConditioningAugmentation
from keras_stackgan.layers.deconv_block import DeconvBlock
from keras_stackgan.layers.layer_norm_down_block import LayerNormDownBlock
from keras_stackgan.layers.matching_aware_head import MatchingAwareHead
from keras_stackgan.layers.maxout import Maxout

__all__ = [
    "ConditionalBatchNormalization",
    "ConditioningAugmentation",
    "ConvBlock",
    "DeconvBlock",
    "DownBlock",
    "LayerNormDownBlock",
    "MatchingAwareHead",
    "Maxout",
    "ResidualBlock",
    "UpBlock",
]
