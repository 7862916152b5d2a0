"""pix2pix (Isola et al. 2017): image-to-image translation with a conditional GAN + L1."""

from keras_stackgan.models.pix2pix.noise_dropout import NoiseDropout
from keras_stackgan.models.pix2pix.patchgan_discriminator import (
    PatchGANDiscriminator,
    patchgan_output_size,
    patchgan_receptive_field,
)
from keras_stackgan.models.pix2pix.pix2pix_config import CONFIGS, Pix2PixConfig, pix2pix_config
from keras_stackgan.models.pix2pix.pix2pix_export import export_translator
from keras_stackgan.models.pix2pix.pix2pix_pipeline import Pix2PixPipeline
from keras_stackgan.models.pix2pix.pix2pix_trainer import Pix2Pix
from keras_stackgan.models.pix2pix.translation_samples import TranslationSamples
from keras_stackgan.models.pix2pix.unet_generator import UNetGenerator, unet_widths

__all__ = [
    "CONFIGS",
    "NoiseDropout",
    "PatchGANDiscriminator",
    "Pix2Pix",
    "Pix2PixConfig",
    "Pix2PixPipeline",
    "TranslationSamples",
    "UNetGenerator",
    "export_translator",
    "patchgan_output_size",
    "patchgan_receptive_field",
    "pix2pix_config",
    "unet_widths",
]
