"""StackGAN's matching-aware discriminator, for Stage-I (64 px) and Stage-II (128/256 px)."""

from __future__ import annotations

import keras

from keras_stackgan.layers.blocks import ConvBlock, DownBlock
from keras_stackgan.layers.initializers import conv_init
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

    With ``uncond_logits`` a second, unconditional head scores the 4x4 image code alone: a 4x4
    valid convolution (with bias) to one logit, StackGAN-Pytorch's
    ``STAGE2_D.get_uncond_logits = D_GET_LOGITS(ndf, nef, bcondition=False)``
    (``nn.Conv2d(ndf * 8, 1, kernel_size=4, stride=4)``; its ``Sigmoid`` is folded into the
    losses, which take logits). StackGAN-Pytorch's Stage-I D has no such head
    (``get_uncond_logits = None``).

    Args:
        embedding_dim: int, width of the text embedding.
        image_size: int, 64 for Stage-I, 128 or 256 for Stage-II.
        df_dim: int, base width (64 in the paper).
        projection_dim: int, size the text is compressed to in the head (128).
        synchronized_bn: bool, cross-replica batch statistics under ``tf.distribute``.
        text_batch_norm: bool, batch normalisation in the head's text projection
            (``MatchingAwareHead``; GAN-INT-CLS's ``main_cls_int.lua``). Default False.
        uncond_logits: bool, add the unconditional head (default False: a single output,
            as configs saved before this option have).

    Inputs (a dict):
        images: float ``[batch, image_size, image_size, 3]`` in [-1, 1].
        embedding: float ``[batch, embedding_dim]``.

    Returns:
        float32 logits ``[batch, 1]``; with ``uncond_logits`` a dict of float32 ``[batch, 1]``
        tensors, ``{"logits": conditional, "uncond_logits": unconditional}`` (float32 under
        mixed precision too).
    """

    def __init__(
        self,
        embedding_dim: int = 1024,
        image_size: int = 64,
        df_dim: int = 64,
        projection_dim: int = 128,
        synchronized_bn: bool = False,
        text_batch_norm: bool = False,
        uncond_logits: bool = False,
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
            min(width, df_dim * 8),
            projection_dim=projection_dim,
            text_batch_norm=text_batch_norm,
            name="head",
            **bn,
        )
        # In float32, like the conditional head's final convolution.
        uncond_head = (
            keras.layers.Conv2D(
                1,
                4,
                padding="valid",
                kernel_initializer=conv_init(),
                name="uncond_logits",
                dtype="float32",
            )
            if uncond_logits
            else None
        )

        # === Functional Model ===
        images = keras.Input((image_size, image_size, 3), name="images")
        embedding = keras.Input((embedding_dim,), name="embedding")
        x = images
        for block in blocks:
            x = block(x)
        logits = head([x, embedding])
        if uncond_head is not None:
            uncond = keras.layers.Reshape((1,), name="uncond_reshape", dtype="float32")(
                uncond_head(keras.ops.cast(x, "float32"))
            )
            logits = {"logits": logits, "uncond_logits": uncond}
        super().__init__(
            inputs={"images": images, "embedding": embedding}, outputs=logits, **kwargs
        )

        # === Config ===
        self.embedding_dim = embedding_dim
        self.image_size = image_size
        self.df_dim = df_dim
        self.projection_dim = projection_dim
        self.synchronized_bn = synchronized_bn
        self.text_batch_norm = text_batch_norm
        self.uncond_logits = uncond_logits

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "embedding_dim": self.embedding_dim,
            "image_size": self.image_size,
            "df_dim": self.df_dim,
            "projection_dim": self.projection_dim,
            "synchronized_bn": self.synchronized_bn,
            "text_batch_norm": self.text_batch_norm,
            "uncond_logits": self.uncond_logits,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
