"""The networks of a ``VQVAEConfig``: the autoencoder and its priors."""

from __future__ import annotations

import keras

from keras_stackgan.models.vqvae.gated_pixelcnn import GatedPixelCNN
from keras_stackgan.models.vqvae.vqvae import VQVAE
from keras_stackgan.models.vqvae.vqvae2 import VQVAE2
from keras_stackgan.models.vqvae.vqvae_config import VQVAEConfig


def build_autoencoder(config: VQVAEConfig) -> keras.Model:
    """``VQVAE2`` (``levels=2``) or ``VQVAE`` (``levels=1``) of ``config``."""
    if config.levels not in (1, 2):
        raise ValueError(f"levels must be 1 or 2, received {config.levels}")
    cls = VQVAE2 if config.levels == 2 else VQVAE
    return cls(
        image_size=config.image_size,
        channels=config.channels,
        hidden_filters=config.hidden_filters,
        residual_filters=config.residual_filters,
        num_residual_blocks=config.num_residual_blocks,
        num_embeddings=config.num_embeddings,
        embedding_dim=config.embedding_dim,
        ema=config.ema,
        ema_decay=config.ema_decay,
    )


def build_priors(config: VQVAEConfig) -> tuple[keras.Model, keras.Model | None]:
    """``(bottom_prior, top_prior)``: gated PixelCNNs over the grids of ``config``'s
    autoencoder; the bottom one conditioned on the top grid for VQ-VAE-2 (top is None for
    VQ-VAE)."""
    common = {
        "num_embeddings": config.num_embeddings,
        "filters": config.prior_filters,
        "num_layers": config.prior_layers,
        "first_kernel_size": config.prior_first_kernel,
        "kernel_size": config.prior_kernel,
        "num_classes": config.prior_num_classes,
    }
    bottom_size = config.image_size // 4
    if config.levels == 1:
        return GatedPixelCNN(bottom_size, name="bottom_prior", **common), None
    top_size = config.image_size // 8
    top = GatedPixelCNN(top_size, name="top_prior", **common)
    bottom = GatedPixelCNN(
        bottom_size,
        condition_size=top_size,
        condition_embeddings=config.num_embeddings,
        name="bottom_prior",
        **common,
    )
    return bottom, top
