"""VQ-VAE / VQ-VAE-2 and prior hyper-parameters: the papers' and a CPU-sized configuration."""

from __future__ import annotations

from dataclasses import dataclass

from keras_stackgan.models.family_config import FamilyConfig, resolve_config


@dataclass(frozen=True)
class VQVAEConfig(FamilyConfig):
    """Every size and training setting of a VQ-VAE(-2) and its gated PixelCNN priors.

    Defaults follow the papers: a 512 x 64 codebook, commitment cost beta = 0.25 and EMA
    codebook updates with decay 0.99 (van den Oord et al. 2017, sections 3-4 and appendix A;
    Razavi et al. 2019, section 3), and the widths of the reference VQ-VAE-2 code for 256 px
    (128 hidden channels, 2 residual blocks of 32 channels, Adam 3e-4). The priors are gated
    PixelCNNs (van den Oord et al. 2016) with a 7x7 first layer and 3x3 gated blocks.

    Attributes:
        levels: 1 (VQ-VAE: one grid at 1/4 of the image side) or 2 (VQ-VAE-2: a bottom grid at
            1/4 and a top grid at 1/8).
        image_size, channels: image side and channels.
        hidden_filters, residual_filters, num_residual_blocks: encoder/decoder widths.
        num_embeddings, embedding_dim: codebook size K and width D (per level).
        commitment_cost: beta.
        ema, ema_decay: EMA codebook updates and their decay.
        batch_size, learning_rate, epochs: autoencoder training (Adam).
        prior_filters, prior_layers: width and number of gated blocks of each prior.
        prior_first_kernel, prior_kernel: kernel of the first (mask A) and later blocks.
        prior_num_classes: 0 (unconditional priors) or the number of classes to condition on.
        prior_batch_size, prior_learning_rate, prior_epochs: prior training (Adam).
    """

    levels: int = 2
    image_size: int = 64
    channels: int = 3
    hidden_filters: int = 128
    residual_filters: int = 32
    num_residual_blocks: int = 2
    num_embeddings: int = 512
    embedding_dim: int = 64
    commitment_cost: float = 0.25
    ema: bool = True
    ema_decay: float = 0.99
    batch_size: int = 128
    learning_rate: float = 3e-4
    epochs: int = 100
    prior_filters: int = 128
    prior_layers: int = 10
    prior_first_kernel: int = 7
    prior_kernel: int = 3
    prior_num_classes: int = 0
    prior_batch_size: int = 64
    prior_learning_rate: float = 3e-4
    prior_epochs: int = 100


CONFIGS: dict[str, VQVAEConfig] = {
    # The papers' codebook and losses with the reference VQ-VAE-2 widths.
    "paper": VQVAEConfig(),
    # Six CPU minutes per model on 2 cores: half the widths, a 256 x 32 codebook, small
    # priors and a faster rate. Measured on the shared 2-core CPU (2026-12-02): a VQ-VAE-2 step
    # of 64 images takes 0.62 s; sampling 1,000 images (64 + 256 prior passes) about 5 min with
    # 32-channel, 4-block priors (2.5x longer with 48 x 5).
    "small": VQVAEConfig(
        hidden_filters=64,
        residual_filters=32,
        num_embeddings=256,
        embedding_dim=32,
        batch_size=64,
        learning_rate=1e-3,
        epochs=40,
        prior_filters=32,
        prior_layers=4,
        prior_batch_size=64,
        prior_learning_rate=1e-3,
        prior_epochs=40,
    ),
}


def vqvae_config(name_or_config: str | VQVAEConfig | dict = "paper", **changes) -> VQVAEConfig:
    """Resolves a named configuration (``"paper"``, ``"small"``), a dict or a config; keyword
    arguments override fields."""
    return resolve_config(VQVAEConfig, CONFIGS, name_or_config, changes)
