"""GAN-INT-CLS discriminator (Reed et al., ICML 2016): image + text -> one logit."""

from __future__ import annotations

import keras

from keras_stackgan.models.stackgan.stackgan_discriminator import StackGANDiscriminator


@keras.saving.register_keras_serializable(package="keras_stackgan")
class GANINTCLSDiscriminator(StackGANDiscriminator):
    """Image + text -> one "real and matching" logit (Reed et al. 2016, section 4).

    4x4 stride-2 convolutions take the image to 4x4 with widths ``df_dim * 2**i``
    (``df_dim .. 8*df_dim`` at 64 px), each followed by batch normalisation (except the first)
    and LeakyReLU(0.2). A :class:`MatchingAwareHead` then compresses the text to
    ``projection_dim`` with ``Dense -> LeakyReLU(0.2)``, replicates it over the 4x4 grid,
    concatenates it on channels and applies ``1x1 conv -> BN -> LeakyReLU`` and a 4x4 valid
    convolution to the logit.

    This is the paper's description and, in effect, ``netD`` of ``main_cls_int.lua``
    (``ndf = 64``): that code's residual block at 4x4 is added to a ``ConcatTable`` through a
    variable that is never defined (``skipD``), so under LuaJIT it reduces to the identity. The
    Lua code's text projection is ``Linear -> BatchNormalization -> LeakyReLU(0.2)`` (``fcD``);
    ``text_batch_norm=True`` reproduces it (the ``"paper"`` config sets it; the default, False,
    is the paper's text and StackGAN's head). Its 8x8 convolution (``ndf*4``) has no LeakyReLU,
    which is not reproduced: StackGAN's discriminator, which this matches, follows the paper
    there.

    StackGAN took its Stage-I discriminator from GAN-INT-CLS, so at 64 px the two networks are
    the same; this class is :class:`StackGANDiscriminator` under the baseline's name (serialized
    as its own class), so the two families share one implementation.

    Args:
        embedding_dim: int, width of the text embedding.
        image_size: int, 4 times a power of two (64).
        df_dim: int, base width (``ndf``: 64 in the paper's runs).
        projection_dim: int, size the text is compressed to (128).
        synchronized_bn: bool, cross-replica batch statistics under ``tf.distribute``.
        text_batch_norm: bool, ``Dense -> BatchNorm -> LeakyReLU(0.2)`` text projection as in
            ``main_cls_int.lua`` (default False, so older saved configs load unchanged).
        uncond_logits: bool, inherited from :class:`StackGANDiscriminator` (False here).

    Inputs (a dict):
        images: float ``[batch, image_size, image_size, 3]`` in [-1, 1].
        embedding: float ``[batch, embedding_dim]``.

    Returns:
        float32 logits ``[batch, 1]`` (float32 under mixed precision too).
    """
