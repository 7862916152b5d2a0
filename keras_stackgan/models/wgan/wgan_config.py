"""WGAN hyper-parameters as a frozen dataclass: the authors' and a CPU-sized configuration."""

from __future__ import annotations

from dataclasses import dataclass

import keras

from keras_stackgan.models.family_config import FamilyConfig, resolve_config

NORMALIZATIONS = ("batch", "layer", None)


def check_normalization(normalization) -> None:
    """Raises ValueError unless ``normalization`` is ``"batch"``, ``"layer"`` or None."""
    if normalization not in NORMALIZATIONS:
        raise ValueError(
            f"normalization must be one of {NORMALIZATIONS}, received {normalization!r}"
        )


@dataclass(frozen=True)
class WGANConfig(FamilyConfig):
    """Every size and training hyper-parameter of WGAN with weight clipping, passed explicitly.

    Defaults are the authors' DCGAN setting (Arjovsky et al. 2017, Algorithm 1 and Section 4;
    ``main.py`` / ``models/dcgan.py`` of github.com/martinarjovsky/WassersteinGAN: ``nz=100``,
    ``ngf=ndf=64``, ``batchSize=64``, ``lrD=lrG=5e-5`` with RMSprop, ``clamp=0.01``,
    ``Diters=5``; batch norm in both networks).

    Attributes:
        noise_dim: size of ``z ~ N(0, I)``.
        image_size: output side S (4 or 7 times a power of two; 64).
        channels: 3 (RGB) or 1 (grey).
        gf_dim, df_dim: generator / critic base widths (``ngf``, ``ndf``).
        kernel_size: side of every (transposed) convolution kernel (4).
        normalization: the critic's: ``"batch"``, ``"layer"`` or None.
        n_critic: critic updates per generator update.
        clip_value: the critic's weights are clipped to ``[-clip_value, clip_value]``.
        learning_rate: RMSprop learning rate of both networks.
        batch_size: m, real (and fake) images of one critic update; a ``fit`` batch holds
            ``n_critic * batch_size`` real images.
        epochs: training length of the recipe (passes over the data of the fit batches).
    """

    noise_dim: int = 100
    image_size: int = 64
    channels: int = 3
    gf_dim: int = 64
    df_dim: int = 64
    kernel_size: int = 4
    normalization: str | None = "batch"
    n_critic: int = 5
    clip_value: float = 0.01
    learning_rate: float = 5e-5
    batch_size: int = 64
    epochs: int = 1000

    def __post_init__(self):
        check_normalization(self.normalization)

    @property
    def fit_batch_size(self) -> int:
        """Real images of one ``fit`` batch: ``n_critic * batch_size``."""
        return self.n_critic * self.batch_size


CONFIGS: dict[str, WGANConfig] = {
    # The authors' DCGAN configuration (LSUN bedrooms, 64 px).
    "paper": WGANConfig(),
    # The wgan-gp-flowers budget and sizes (a quarter of the widths, m = 32), for comparing
    # the two Lipschitz constraints on equal terms.
    "small": WGANConfig(gf_dim=16, df_dim=16, batch_size=32, epochs=200),
}


def wgan_config(name_or_config: str | WGANConfig | dict = "paper", **changes) -> WGANConfig:
    """Resolves ``"paper"``, ``"small"``, a dict or a ``WGANConfig``; keywords override fields.

    >>> wgan_config("small", gf_dim=8).gf_dim
    8
    """
    return resolve_config(WGANConfig, CONFIGS, name_or_config, changes)


def wgan_optimizers(config: WGANConfig) -> tuple[keras.optimizers.Optimizer, ...]:
    """``(g_optimizer, d_optimizer)``: RMSprop(``learning_rate``) with the authors' PyTorch
    defaults (``alpha = 0.99``, ``eps = 1e-8``)."""
    return tuple(
        keras.optimizers.RMSprop(config.learning_rate, rho=0.99, epsilon=1e-8) for _ in range(2)
    )
