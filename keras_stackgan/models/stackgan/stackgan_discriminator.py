"""StackGAN's matching-aware discriminator, for Stage-I (64 px) and Stage-II (128/256 px)."""

from __future__ import annotations

import keras

from keras_stackgan.layers.blocks import ConvBlock, DownBlock
from keras_stackgan.layers.matching_aware_head import MatchingAwareHead
from keras_stackgan.models.dict_inputs import MixedDictInputs
from keras_stackgan.models.sizes import num_doublings


@keras.saving.register_keras_serializable(package="keras_stackgan")
class StackGANDiscriminator(MixedDictInputs, keras.Model):
    """Image + text -> one "real and matching" logit.

    Stride-2 4x4 down-blocks with LeakyReLU(0.2) take the image to 4x4 with widths
    ``df_dim * 2**i`` (the first block without batch normalisation). At 64 px this is the Stage-I
    discriminator (widths ``df_dim .. 8*df_dim``). At larger sizes (Stage-II) the extra blocks
    reach ``16*df_dim`` (128 px) or ``32*df_dim`` (256 px) and are brought back to ``8*df_dim``
    by 3x3 conv-BN-LeakyReLU blocks, as in StackGAN-Pytorch's ``STAGE2_D``. A
    :class:`MatchingAwareHead` then joins the text and produces the logit.

    Args:
        embedding_dim: int, width of the text embedding.
        image_size: int, 64 for Stage-I, 128 or 256 for Stage-II.
        df_dim: int, base width (64 in the paper).
        projection_dim: int, size the text is compressed to in the head (128).
        synchronized_bn: bool, cross-replica batch statistics under ``tf.distribute``.

    Inputs (a dict):
        images: float ``[batch, image_size, image_size, 3]`` in [-1, 1].
        embedding: float ``[batch, embedding_dim]``.

    Returns:
        float32 logits ``[batch, 1]``.
    """

    def __init__(
        self,
        embedding_dim: int = 1024,
        image_size: int = 64,
        df_dim: int = 64,
        projection_dim: int = 128,
        synchronized_bn: bool = False,
        **kwargs,
    ):
        num_down = num_doublings(image_size, 4, "image_size")
        bn = {"synchronized_bn": synchronized_bn}

        # === Layers ===
        blocks = [
            DownBlock(df_dim * 2**i, batch_norm=i > 0, name=f"down_{i}", **bn)
            for i in range(num_down)
        ]
        width = df_dim * 2 ** (num_down - 1)
        while width > df_dim * 8:
            width //= 2
            blocks.append(
                ConvBlock(width, 3, activation="leaky_relu", name=f"reduce_{width}", **bn)
            )
        head = MatchingAwareHead(
            min(width, df_dim * 8), projection_dim=projection_dim, name="head", **bn
        )

        # === Functional Model ===
        images = keras.Input((image_size, image_size, 3), name="images")
        embedding = keras.Input((embedding_dim,), name="embedding")
        x = images
        for block in blocks:
            x = block(x)
        logits = head([x, embedding])
        super().__init__(
            inputs={"images": images, "embedding": embedding}, outputs=logits, **kwargs
        )

        # === Config ===
        self.embedding_dim = embedding_dim
        self.image_size = image_size
        self.df_dim = df_dim
        self.projection_dim = projection_dim
        self.synchronized_bn = synchronized_bn

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "embedding_dim": self.embedding_dim,
            "image_size": self.image_size,
            "df_dim": self.df_dim,
            "projection_dim": self.projection_dim,
            "synchronized_bn": self.synchronized_bn,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
