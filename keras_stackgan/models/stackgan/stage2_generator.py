"""StackGAN Stage-II generator: 64x64 Stage-I image + text -> 256x256 (or 128x128) image."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan.layers.blocks import ConvBlock, DownBlock, ResidualBlock, UpBlock
from keras_stackgan.layers.conditioning_augmentation import ConditioningAugmentation
from keras_stackgan.layers.initializers import conv_init
from keras_stackgan.models.dict_inputs import MixedDictInputs
from keras_stackgan.models.sizes import num_doublings


@keras.saving.register_keras_serializable(package="keras_stackgan")
class StageIIGenerator(MixedDictInputs, keras.Model):
    """Stage-II generator of StackGAN (Zhang et al. 2017, section 3.3).

    Encodes the Stage-I image down to 16x16 (``3x3 conv -> ReLU``, then stride-2 ReLU
    down-blocks), concatenates the spatially replicated condition from its own Conditioning
    Augmentation (separate weights from Stage-I's), mixes with ``3x3 conv -> BN -> ReLU``, applies
    residual blocks and up-samples to the output size, ending in ``3x3 conv -> tanh``. Widths follow
    StackGAN-Pytorch's ``STAGE2_G``: encoder ``gf_dim, 2*gf_dim, 4*gf_dim``; up-blocks
    ``2*gf_dim, gf_dim, gf_dim/2, gf_dim/4``.

    Args:
        embedding_dim: int, width of the text embedding.
        condition_dim: int, size of the condition (128).
        gf_dim: int, base width (128 in the paper).
        image_size: int, output size, 256 (paper) or 128.
        input_size: int, Stage-I image size (64).
        num_residual_blocks: int or None; None means 4 for 256 px and 2 for 128 px.
        synchronized_bn: bool, cross-replica batch statistics under ``tf.distribute``.

    Inputs (a dict):
        images: float ``[batch, input_size, input_size, 3]`` in [-1, 1], Stage-I output.
        embedding: float ``[batch, embedding_dim]``.
        ca_noise: float ``[batch, condition_dim]``, CA's ``epsilon`` (zeros: use the mean).

    Outputs (a dict):
        images: float32 ``[batch, image_size, image_size, 3]`` in [-1, 1].
        mu, logvar: float32 ``[batch, condition_dim]``.
    """

    def __init__(
        self,
        embedding_dim: int = 1024,
        condition_dim: int = 128,
        gf_dim: int = 128,
        image_size: int = 256,
        input_size: int = 64,
        num_residual_blocks: int | None = None,
        synchronized_bn: bool = False,
        **kwargs,
    ):
        num_down = num_doublings(input_size, 16, "input_size")
        num_up = num_doublings(image_size, 16, "image_size")
        if num_residual_blocks is None:
            num_residual_blocks = 4 if image_size >= 256 else 2
        bn = {"synchronized_bn": synchronized_bn}

        # === Layers ===
        ca = ConditioningAugmentation(condition_dim, name="conditioning_augmentation")
        encoder = [ConvBlock(gf_dim, 3, batch_norm=False, activation="relu", name="encode_0")]
        encoder += [
            DownBlock(gf_dim * 2**i, activation="relu", name=f"encode_{i}", **bn)
            for i in range(1, num_down + 1)
        ]
        joint = ConvBlock(gf_dim * 2**num_down, 3, activation="relu", name="joint", **bn)
        residuals = [ResidualBlock(name=f"residual_{i}", **bn) for i in range(num_residual_blocks)]
        up_blocks = [
            UpBlock(max(gf_dim * 2**num_down // 2 ** (i + 1), 1), name=f"up_{i}", **bn)
            for i in range(num_up)
        ]
        to_rgb = keras.layers.Conv2D(
            3, 3, padding="same", kernel_initializer=conv_init(), name="to_rgb", dtype="float32"
        )

        # === Functional Model ===
        images = keras.Input((input_size, input_size, 3), name="images")
        embedding = keras.Input((embedding_dim,), name="embedding")
        ca_noise = keras.Input((condition_dim,), name="ca_noise")
        c, mu, logvar = ca(embedding, epsilon=ca_noise)
        x = images
        for block in encoder:
            x = block(x)
        c_map = ops.tile(c[:, None, None, :], [1, 16, 16, 1])
        x = joint(ops.concatenate([x, ops.cast(c_map, x.dtype)], axis=-1))
        for block in residuals + up_blocks:
            x = block(x)
        outputs = ops.tanh(to_rgb(x))
        super().__init__(
            inputs={"images": images, "embedding": embedding, "ca_noise": ca_noise},
            outputs={"images": outputs, "mu": mu, "logvar": logvar},
            **kwargs,
        )

        # === Config ===
        self.embedding_dim = embedding_dim
        self.condition_dim = condition_dim
        self.gf_dim = gf_dim
        self.image_size = image_size
        self.input_size = input_size
        self.num_residual_blocks = num_residual_blocks
        self.synchronized_bn = synchronized_bn

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "embedding_dim": self.embedding_dim,
            "condition_dim": self.condition_dim,
            "gf_dim": self.gf_dim,
            "image_size": self.image_size,
            "input_size": self.input_size,
            "num_residual_blocks": self.num_residual_blocks,
            "synchronized_bn": self.synchronized_bn,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
