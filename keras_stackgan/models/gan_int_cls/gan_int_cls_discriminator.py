"""GAN-INT-CLS discriminator (Reed et al., ICML 2016): image + text -> one logit."""

from __future__ import annotations

import keras

from keras_stackgan.layers.blocks import DownBlock
from keras_stackgan.layers.matching_aware_head import MatchingAwareHead
from keras_stackgan.models.dict_inputs import MixedDictInputs
from keras_stackgan.models.sizes import num_doublings


@keras.saving.register_keras_serializable(package="keras_stackgan")
class GANINTCLSDiscriminator(MixedDictInputs, keras.Model):
    """Image + text -> one "real and matching" logit (Reed et al. 2016, section 4).

    4x4 stride-2 convolutions take the image to 4x4 with widths ``df_dim * 2**i``
    (``df_dim .. 8*df_dim`` at 64 px), each followed by batch normalisation (except the first)
    and LeakyReLU(0.2). A :class:`MatchingAwareHead` then compresses the text to
    ``projection_dim`` with ``Dense -> LeakyReLU(0.2)``, replicates it over the 4x4 grid,
    concatenates it on channels and applies ``1x1 conv -> BN -> LeakyReLU`` and a 4x4 valid
    convolution to the logit.

    This is the paper's description and, in effect, ``netD`` of ``main_cls_int.lua``
    (``ndf = 64``): that code's residual block at 4x4 is added to a ``ConcatTable`` through a
    variable that is never defined (``skipD``), so under LuaJIT it reduces to the identity. Two
    details of the Lua code are not reproduced: its text projection has a batch normalisation,
    and its 8x8 convolution (``ndf*4``) has no LeakyReLU. StackGAN's discriminator, which this
    matches, follows the paper there too.

    Args:
        embedding_dim: int, width of the text embedding.
        image_size: int, 4 times a power of two (64).
        df_dim: int, base width (``ndf``: 64 in the paper's runs).
        projection_dim: int, size the text is compressed to (128).
        synchronized_bn: bool, cross-replica batch statistics under ``tf.distribute``.

    Inputs (a dict):
        images: float ``[batch, image_size, image_size, 3]`` in [-1, 1].
        embedding: float ``[batch, embedding_dim]``.

    Returns:
        float32 logits ``[batch, 1]`` (float32 under mixed precision too).
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

        # === Layers ===
        blocks = [
            DownBlock(
                df_dim * 2**i, batch_norm=i > 0, synchronized_bn=synchronized_bn, name=f"down_{i}"
            )
            for i in range(num_down)
        ]
        head = MatchingAwareHead(
            df_dim * 2 ** (num_down - 1),
            projection_dim=projection_dim,
            synchronized_bn=synchronized_bn,
            name="head",
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
