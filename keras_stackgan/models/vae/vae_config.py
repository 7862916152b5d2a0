"""VAE hyper-parameters as a frozen dataclass: the MNIST network of the paper and a 64 px one."""

from __future__ import annotations

from dataclasses import dataclass

from keras_stackgan.models.family_config import FamilyConfig, resolve_config


@dataclass(frozen=True)
class VAEConfig(FamilyConfig):
    """Every size and training setting of a VAE, passed explicitly.

    Defaults are the fully connected MNIST VAE of Kingma & Welling (2014) as taught in the
    seed lecture: ``784-400-20`` encoder giving the mean and log-variance of a 20-d diagonal
    Gaussian, ``20-400-784`` Bernoulli decoder, minibatches of 100. The paper trains with
    Adagrad; we use Adam(1e-3), the usual choice of the lecture and the framework examples.

    Attributes:
        architecture: ``"dense"`` (``VAEEncoder``/``VAEDecoder``, the paper's MLP) or
            ``"conv"`` (``ConvVAEEncoder``/``ConvVAEDecoder``, 64 px colour images).
        image_size, channels: image side and channels.
        latent_dim: size of ``z``.
        hidden_dim: hidden width of the dense networks (400).
        filters: base width of the convolutional networks.
        batch_size, learning_rate, epochs: training settings (Adam).
    """

    architecture: str = "dense"
    image_size: int = 28
    channels: int = 1
    latent_dim: int = 20
    hidden_dim: int = 400
    filters: int = 32
    batch_size: int = 100
    learning_rate: float = 1e-3
    epochs: int = 100


CONFIGS: dict[str, VAEConfig] = {
    # Kingma & Welling's MNIST MLP (784-400-20-400-784), batch 100.
    "paper": VAEConfig(),
    # The same network for a 2-core CPU budget: it is already small, only the epochs differ.
    "small": VAEConfig(epochs=60),
    # Convolutional VAE for 64 px Oxford-102 flowers (Bernoulli likelihood on [0, 1] pixels).
    "flowers": VAEConfig(
        architecture="conv", image_size=64, channels=3, latent_dim=128, filters=64, epochs=100
    ),
    "flowers-small": VAEConfig(
        architecture="conv", image_size=64, channels=3, latent_dim=64, filters=32, epochs=30
    ),
}


def vae_config(name_or_config: str | VAEConfig | dict = "paper", **changes) -> VAEConfig:
    """Resolves a named configuration (``"paper"``, ``"small"``, ``"flowers"``, ...), a dict or
    a config; keyword arguments override fields."""
    return resolve_config(VAEConfig, CONFIGS, name_or_config, changes)
