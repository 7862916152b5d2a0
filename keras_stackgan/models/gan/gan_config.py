"""GAN hyper-parameters as a frozen dataclass: the paper's MNIST setup and a CPU-sized one."""

from __future__ import annotations

from dataclasses import dataclass

import keras

from keras_stackgan.models.family_config import FamilyConfig, resolve_config

GENERATOR_LOSSES = ("non_saturating", "minimax")


@dataclass(frozen=True)
class GANConfig(FamilyConfig):
    """Every size and training hyper-parameter of the MLP GAN, passed explicitly.

    Defaults are Goodfellow et al.'s (2014) MNIST model (``mnist.yaml`` of
    github.com/goodfeli/adversarial): ``z`` of 100, a generator of two 1200-unit ReLU layers,
    a discriminator of two 240-unit hidden layers with dropout (inputs kept with probability
    0.8, hidden units 0.5) and a batch of 100. Two deliberate changes: the discriminator's
    maxout units (240 units of 5 pieces) are LeakyReLU(0.2) units of the same width, and the
    optimizer is DCGAN's Adam(2e-4, beta_1 = 0.5) instead of SGD with momentum 0.5 -> 0.7 at
    learning rate 0.1 (both train the same objective; Adam needs no schedule). The generator
    ends in ``tanh`` (images in [-1, 1]) where the paper's ends in a sigmoid (pixels in
    [0, 1]).

    Attributes:
        noise_dim: ``z`` size.
        image_size, channels: the images (28 x 28 x 1 for MNIST).
        g_hidden_units, d_hidden_units: widths of the hidden layers of G and D.
        activation: G's hidden activation, ``"relu"`` or ``"leaky_relu"``.
        d_dropout, d_input_dropout: D's dropout rates on hidden units and on its input.
        generator_loss: ``"non_saturating"`` (``-log D(G(z))``) or ``"minimax"``.
        batch_size, learning_rate, beta_1, beta_2: Adam training settings.
        epochs: training length.
    """

    noise_dim: int = 100
    image_size: int = 28
    channels: int = 1
    g_hidden_units: tuple[int, ...] = (1200, 1200)
    d_hidden_units: tuple[int, ...] = (240, 240)
    activation: str = "relu"
    d_dropout: float = 0.5
    d_input_dropout: float = 0.2
    generator_loss: str = "non_saturating"
    batch_size: int = 100
    learning_rate: float = 2e-4
    beta_1: float = 0.5
    beta_2: float = 0.999
    epochs: int = 100

    def __post_init__(self):
        # JSON gives lists: keep the config hashable and equal to the one it was saved from.
        for name in ("g_hidden_units", "d_hidden_units"):
            object.__setattr__(self, name, tuple(int(u) for u in getattr(self, name)))
        if self.generator_loss not in GENERATOR_LOSSES:
            raise ValueError(
                f"generator_loss must be one of {GENERATOR_LOSSES}, "
                f"received {self.generator_loss!r}"
            )


CONFIGS: dict[str, GANConfig] = {
    # Goodfellow et al.'s MNIST model (see the class docstring for what differs).
    "paper": GANConfig(),
    # A quick CPU model: narrower layers, no dropout, batch 64.
    "small": GANConfig(
        g_hidden_units=(256, 512),
        d_hidden_units=(512, 256),
        d_dropout=0.0,
        d_input_dropout=0.0,
        batch_size=64,
        epochs=30,
    ),
}


def gan_config(name_or_config: str | GANConfig | dict = "paper", **changes) -> GANConfig:
    """Resolves ``"paper"``, ``"small"``, a dict or a :class:`GANConfig`; keywords override
    fields, e.g. ``gan_config("small", image_size=64, channels=3)``."""
    return resolve_config(GANConfig, CONFIGS, name_or_config, changes)


def adam_optimizers(config) -> tuple[keras.optimizers.Optimizer, keras.optimizers.Optimizer]:
    """``(g_optimizer, d_optimizer)``: two Adams with the config's learning rate and betas."""
    return tuple(
        keras.optimizers.Adam(config.learning_rate, beta_1=config.beta_1, beta_2=config.beta_2)
        for _ in range(2)
    )
