"""DCGAN hyper-parameters as a frozen dataclass: the authors' and a CPU-sized configuration."""

from __future__ import annotations

from dataclasses import dataclass

from keras_stackgan.models.family_config import FamilyConfig, resolve_config


@dataclass(frozen=True)
class DCGANConfig(FamilyConfig):
    """Every size and training hyper-parameter of DCGAN, passed explicitly.

    Defaults are the authors' (Radford et al. 2016, section 4; ``faces/train_uncond_dcgan.py``
    of github.com/Newmu/dcgan_code): ``z`` of 100, a 4x4x1024 projection (``ngf = 128``,
    times 8), 5x5 kernels, a batch of 128, Adam with learning rate 2e-4 and beta_1 0.5, 25
    epochs. The discriminator's base width is dcgan.torch's ``ndf = 64`` (the Theano faces
    script uses 128). ``z`` is drawn from N(0, I) (dcgan.torch's default; the Theano code's is
    U[-1, 1]), the distribution the zoo's ``GeneratorPipeline`` samples.

    Attributes:
        noise_dim: ``z`` size.
        image_size: 64 (or 32, 28 for MNIST): 4 or 7 times a power of two.
        channels: 3 (RGB) or 1 (MNIST).
        gf_dim, df_dim: base widths of G (its last hidden layer) and D (its first layer).
        kernel_size: kernel of every strided and fractionally-strided convolution.
        flip: random horizontal flips of the training images (not for digits).
        batch_size, learning_rate, beta_1, beta_2: Adam training settings.
        epochs: training length.
    """

    noise_dim: int = 100
    image_size: int = 64
    channels: int = 3
    gf_dim: int = 128
    df_dim: int = 64
    kernel_size: int = 5
    flip: bool = True
    batch_size: int = 128
    learning_rate: float = 2e-4
    beta_1: float = 0.5
    beta_2: float = 0.999
    epochs: int = 25


CONFIGS: dict[str, DCGANConfig] = {
    # The authors' 64 px model.
    "paper": DCGANConfig(),
    # The 18-minute CPU budget of the dcgan-flowers preset (2 shared cores): a quarter of the
    # authors' generator width, half of dcgan.torch's discriminator width, dcgan.torch's 4x4
    # kernels and batch 64; measured img/s in saved_models/dcgan_flowers/README.md.
    "small": DCGANConfig(gf_dim=32, df_dim=32, kernel_size=4, batch_size=64, epochs=60),
}


def dcgan_config(name_or_config: str | DCGANConfig | dict = "paper", **changes) -> DCGANConfig:
    """Resolves ``"paper"``, ``"small"``, a dict or a :class:`DCGANConfig`; keywords override
    fields, e.g. ``dcgan_config("small", image_size=28, channels=1, flip=False)`` for MNIST."""
    return resolve_config(DCGANConfig, CONFIGS, name_or_config, changes)
