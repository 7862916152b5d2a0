"""InfoGAN hyper-parameters as a frozen dataclass: the paper's MNIST setup and a CPU-sized one."""

from __future__ import annotations

from dataclasses import dataclass

import keras

from keras_stackgan.models.family_config import FamilyConfig, resolve_config


@dataclass(frozen=True)
class InfoGANConfig(FamilyConfig):
    """Every size and training hyper-parameter of InfoGAN on MNIST, passed explicitly.

    Defaults are Chen et al. (2016), Appendix C.1, checked against the official code
    (openai/InfoGAN ``launchers/run_mnist_exp.py``, ``infogan/models/regularized_gan.py``):
    a 62-d ``z``, one 10-way categorical code and 2 continuous codes ``U(-1, 1)``; G
    ``FC 1024 - FC 7x7x128 - deconv 64 - deconv 1`` (4x4 stride 2, BN + ReLU); D
    ``conv 64 - conv 128 (BN) - FC 1024 (BN) - FC 1`` with leaky ReLU, and Q
    ``FC 128 (BN) - FC`` on D's 1024-d features; lambda 1 for both kinds of code; Adam with
    beta_1 0.5, D lr 2e-4, G lr 1e-3, batch 128, 50 epochs of 100 updates (5,000 steps, about
    28 passes over the 22,699 shared training digits at batch 128). The official leaky ReLU
    slope is 0.01 (``leaky_rectify``), which we keep.

    Attributes:
        noise_dim, num_classes, code_dim: ``z``, categorical and continuous code sizes.
        image_size, channels: the data (28 x 28 x 1).
        hidden_dim, gf_dim: G's FC width and deconvolution width (``2*gf_dim`` at 7x7).
        df_dim, d_hidden_dim, q_hidden_dim: D's convolution width (``df_dim``, ``2*df_dim``),
            its FC width and Q's hidden width.
        negative_slope: leaky ReLU slope of D and Q.
        fc_batch_norm: batch norm on D's and Q's FC layers (the paper's; see
            ``InfoGANDiscriminator``).
        categorical_weight, continuous_weight: lambda of each kind of code.
        batch_size, g_learning_rate, d_learning_rate, beta_1, beta_2: Adam settings.
        epochs: training length in passes over the data.
    """

    noise_dim: int = 62
    num_classes: int = 10
    code_dim: int = 2
    image_size: int = 28
    channels: int = 1
    hidden_dim: int = 1024
    gf_dim: int = 64
    df_dim: int = 64
    d_hidden_dim: int = 1024
    q_hidden_dim: int = 128
    negative_slope: float = 0.01
    fc_batch_norm: bool = True
    categorical_weight: float = 1.0
    continuous_weight: float = 1.0
    batch_size: int = 128
    g_learning_rate: float = 1e-3
    d_learning_rate: float = 2e-4
    beta_1: float = 0.5
    beta_2: float = 0.999
    epochs: int = 28


CONFIGS: dict[str, InfoGANConfig] = {
    # Chen et al. (2016), Appendix C.1, and the official MNIST launcher.
    "paper": InfoGANConfig(),
    # The infogan-mnist preset, for a 9-minute run on 2 CPU cores: half the paper's widths
    # (a quarter for G's first FC, which keeps the shipped weights at 3.4 MB).
    "small": InfoGANConfig(hidden_dim=256, gf_dim=32, df_dim=32, d_hidden_dim=512, q_hidden_dim=64),
}


def infogan_config(name_or_config: str | InfoGANConfig | dict = "paper", **changes):
    """Resolves a named configuration (``"paper"``, ``"small"``), a dict or a config.

    Keyword arguments override fields, e.g. ``infogan_config("small", batch_size=64)``.
    """
    return resolve_config(InfoGANConfig, CONFIGS, name_or_config, changes)


def infogan_optimizers(config: InfoGANConfig) -> tuple[keras.optimizers.Optimizer, ...]:
    """``(g_optimizer, d_optimizer)``: Adam with the config's learning rates and betas."""
    return tuple(
        keras.optimizers.Adam(rate, beta_1=config.beta_1, beta_2=config.beta_2)
        for rate in (config.g_learning_rate, config.d_learning_rate)
    )
