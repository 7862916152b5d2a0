"""GAN-INT-CLS (Reed et al., ICML 2016): the single-stage text-to-image baseline of StackGAN."""

from keras_stackgan.models.gan_int_cls.bottleneck_block import BottleneckBlock
from keras_stackgan.models.gan_int_cls.gan_int_cls_config import (
    CONFIGS,
    GANINTCLSConfig,
    gan_int_cls_config,
    gan_int_cls_learning_rate,
    gan_int_cls_optimizers,
)
from keras_stackgan.models.gan_int_cls.gan_int_cls_discriminator import GANINTCLSDiscriminator
from keras_stackgan.models.gan_int_cls.gan_int_cls_generator import GANINTCLSGenerator
from keras_stackgan.models.gan_int_cls.gan_int_cls_trainer import GANINTCLS
from keras_stackgan.models.gan_int_cls.style_encoder import StyleEncoder
from keras_stackgan.models.gan_int_cls.style_encoder_trainer import StyleEncoderTrainer, style_loss
from keras_stackgan.models.gan_int_cls.style_transfer import (
    style_reconstruction_error,
    transfer_style,
)
from keras_stackgan.models.gan_int_cls.variants import (
    VARIANTS,
    Variant,
    interpolate_embeddings,
    resolve_variant,
    variant_discriminator_loss,
    variant_generator_loss,
)

__all__ = [
    "CONFIGS",
    "GANINTCLS",
    "VARIANTS",
    "BottleneckBlock",
    "GANINTCLSConfig",
    "GANINTCLSDiscriminator",
    "GANINTCLSGenerator",
    "StyleEncoder",
    "StyleEncoderTrainer",
    "Variant",
    "gan_int_cls_config",
    "gan_int_cls_learning_rate",
    "gan_int_cls_optimizers",
    "interpolate_embeddings",
    "resolve_variant",
    "style_loss",
    "style_reconstruction_error",
    "transfer_style",
    "variant_discriminator_loss",
    "variant_generator_loss",
]
