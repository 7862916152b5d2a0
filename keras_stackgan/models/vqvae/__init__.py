"""VQ-VAE (van den Oord et al. 2017), VQ-VAE-2 (Razavi et al. 2019) and gated PixelCNN priors."""

from keras_stackgan.models.vqvae.builders import build_autoencoder, build_priors
from keras_stackgan.models.vqvae.gated_pixelcnn import GatedPixelCNN
from keras_stackgan.models.vqvae.gated_pixelcnn_block import GatedPixelCNNBlock
from keras_stackgan.models.vqvae.pixelcnn_sampling import sample_indices, sampling_uniforms
from keras_stackgan.models.vqvae.prior_trainer import VQPriorTrainer
from keras_stackgan.models.vqvae.residual_stack import ResidualStack
from keras_stackgan.models.vqvae.vqvae import VQVAE
from keras_stackgan.models.vqvae.vqvae2 import VQVAE2
from keras_stackgan.models.vqvae.vqvae2_pipeline import VQVAE2Pipeline
from keras_stackgan.models.vqvae.vqvae_config import CONFIGS, VQVAEConfig, vqvae_config
from keras_stackgan.models.vqvae.vqvae_trainer import VQVAETrainer

__all__ = [
    "CONFIGS",
    "GatedPixelCNN",
    "GatedPixelCNNBlock",
    "ResidualStack",
    "VQPriorTrainer",
    "VQVAE",
    "VQVAE2",
    "VQVAE2Pipeline",
    "VQVAEConfig",
    "VQVAETrainer",
    "build_autoencoder",
    "build_priors",
    "sample_indices",
    "sampling_uniforms",
    "vqvae_config",
]
