"""WGAN-GP hyper-parameters as a frozen dataclass: the authors' and a CPU-sized configuration."""

from __future__ import annotations

from dataclasses import dataclass

import keras

from keras_stackgan.models.family_config import FamilyConfig, resolve_config
from keras_stackgan.models.wgan.wgan_config import check_normalization


@dataclass(frozen=True)
class WGANGPConfig(FamilyConfig):
    """Every size and training hyper-parameter of WGAN-GP, passed explicitly.

    Defaults are the authors' 64 px DCGAN setting (Gulrajani et al. 2017, Algorithm 1 and
    Section 4; ``gan_64x64.py`` of github.com/igul222/improved_wgan_training: ``DIM=64``, 128-d
    noise, 5x5 kernels, ``BATCH_SIZE=64``, ``CRITIC_ITERS=5``, ``LAMBDA=10``, Adam(1e-4,
    beta_1 = 0, beta_2 = 0.9) for both networks; layer norm in the critic, batch norm in G).

    Attributes:
        noise_dim: size of ``z ~ N(0, I)``.
        image_size: output side S (4 or 7 times a power of two; 64).
        channels: 3 (RGB) or 1 (grey).
        gf_dim, df_dim: generator / critic base widths (``DIM``).
        kernel_size: side of every (transposed) convolution kernel (5).
        normalization: the critic's: ``"layer"`` (the paper's), or None; never ``"batch"``
            (the penalty needs per-example scores).
        n_critic: critic updates per generator update.
        gradient_penalty_weight: lambda.
        learning_rate, beta_1, beta_2: Adam settings of both networks.
        batch_size: m, real (and fake) images of one critic update; a ``fit`` batch holds
            ``n_critic * batch_size`` real images.
        epochs: training length of the recipe (passes over the data of the fit batches).
    """

    noise_dim: int = 128
    image_size: int = 64
    channels: int = 3
    gf_dim: int = 64
    df_dim: int = 64
    kernel_size: int = 5
    normalization: str | None = "layer"
    n_critic: int = 5
    gradient_penalty_weight: float = 10.0
    learning_rate: float = 1e-4
    beta_1: float = 0.0
    beta_2: float = 0.9
    batch_size: int = 64
    epochs: int = 1000

    def __post_init__(self):
        check_normalization(self.normalization)
        if self.normalization == "batch":
            raise ValueError("WGAN-GP's critic cannot use batch norm (the penalty is per example)")

    @property
    def fit_batch_size(self) -> int:
        """Real images of one ``fit`` batch: ``n_critic * batch_size``."""
        return self.n_critic * self.batch_size


CONFIGS: dict[str, WGANGPConfig] = {
    # The authors' 64 px DCGAN configuration.
    "paper": WGANGPConfig(),
    # The 20-minute CPU budget of the wgan-gp-flowers preset: a quarter of the widths, m = 32.
    # Measured on the shared 2-core CPU without XLA (2026-12-02): 0.64 s per fit step of
    # 5 x 32 images (250 real images/s, 1.6 generator updates/s); widths 32 take 2.1 s, and
    # m = 16 gives 2.2 generator updates/s on batches half the size. XLA was 3.6x slower.
    "small": WGANGPConfig(gf_dim=16, df_dim=16, batch_size=32, epochs=200),
}


def wgan_gp_config(name_or_config: str | WGANGPConfig | dict = "paper", **changes) -> WGANGPConfig:
    """Resolves ``"paper"``, ``"small"``, a dict or a ``WGANGPConfig``; keywords override fields.

    >>> wgan_gp_config("small", df_dim=8).df_dim
    8
    """
    return resolve_config(WGANGPConfig, CONFIGS, name_or_config, changes)


def wgan_gp_optimizers(config: WGANGPConfig) -> tuple[keras.optimizers.Optimizer, ...]:
    """``(g_optimizer, d_optimizer)``: Adam(``learning_rate``, ``beta_1``, ``beta_2``)."""
    return tuple(
        keras.optimizers.Adam(config.learning_rate, beta_1=config.beta_1, beta_2=config.beta_2)
        for _ in range(2)
    )
