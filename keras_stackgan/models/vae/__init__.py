"""Variational autoencoders (Kingma & Welling 2014): the MNIST MLP and a 64 px conv VAE."""

from keras_stackgan.models.vae.conv_vae_decoder import ConvVAEDecoder
from keras_stackgan.models.vae.conv_vae_encoder import ConvVAEEncoder
from keras_stackgan.models.vae.vae import VAE, build_vae
from keras_stackgan.models.vae.vae_config import CONFIGS, VAEConfig, vae_config
from keras_stackgan.models.vae.vae_decoder import VAEDecoder
from keras_stackgan.models.vae.vae_encoder import VAEEncoder
from keras_stackgan.models.vae.vae_pipeline import VAEPipeline

__all__ = [
    "CONFIGS",
    "ConvVAEDecoder",
    "ConvVAEEncoder",
    "VAE",
    "VAEConfig",
    "VAEDecoder",
    "VAEEncoder",
    "VAEPipeline",
    "build_vae",
    "vae_config",
]
