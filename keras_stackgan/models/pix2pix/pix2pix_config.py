"""pix2pix hyper-parameters as a frozen dataclass: the paper's 256 px setup and a CPU-sized one."""

from __future__ import annotations

from dataclasses import dataclass

from keras_stackgan.models.family_config import FamilyConfig, resolve_config

NORMS = ("batch", "instance")


@dataclass(frozen=True)
class Pix2PixConfig(FamilyConfig):
    """Every size and training hyper-parameter of pix2pix, passed explicitly.

    Defaults are Isola et al.'s (2017, section 3.3 and appendix 6.1-6.2) 256x256 setup: a U-Net
    of 8 down-samplings from ``C64`` to ``C512`` (``ngf = 64``), dropout 0.5 in the first 3
    decoder blocks (kept at test time: the paper's only noise), a 70x70 PatchGAN (3 strided
    layers, ``ndf = 64``), batch normalisation, ``lambda = 100`` on the L1 term, Adam(2e-4,
    beta_1 = 0.5), random jitter (resize to 286, random crop 256) and mirroring, batch 1 and
    200 epochs (facades). The D objective is halved, as in the paper.

    Attributes:
        image_size: square side of inputs and outputs (a power of two >= 8).
        input_channels, output_channels: channels of the two images (3 and 3).
        gf_dim: the U-Net's first width (the paper's ``ngf``).
        max_multiplier: the U-Net's widths double per level up to ``max_multiplier * gf_dim``
            (8 in the paper: 512).
        df_dim: the PatchGAN's first width (``ndf``).
        d_layers: strided layers of the PatchGAN: receptive field 16 (1), 34 (2), 70 (3),
            142 (4), 286 (5) pixels (``patchgan_receptive_field``).
        norm: ``"batch"`` (the paper's, moving statistics at inference) or ``"instance"``
            (``GroupNormalization(groups=-1)``: what batch norm with the test batch's own
            statistics at batch 1 is, the paper's test-time behaviour).
        dropout_rate: dropout of the first 3 decoder blocks (0.5).
        dropout_at_inference: keep dropout at test time, as the paper does.
        lambda_l1, lambda_gan: weights of ``L1(y, G(x))`` and of the cGAN term in G's loss
            (``lambda_gan = 0`` is the L1-only U-Net baseline).
        batch_size, learning_rate, beta_1, beta_2: Adam training settings.
        load_size: jitter: pairs are resized to this, then randomly cropped to ``image_size``
            (``image_size`` itself: no jitter).
        flip: random mirroring of each pair.
        epochs: training length.
    """

    image_size: int = 256
    input_channels: int = 3
    output_channels: int = 3
    gf_dim: int = 64
    max_multiplier: int = 8
    df_dim: int = 64
    d_layers: int = 3
    norm: str = "batch"
    dropout_rate: float = 0.5
    dropout_at_inference: bool = True
    lambda_l1: float = 100.0
    lambda_gan: float = 1.0
    batch_size: int = 1
    learning_rate: float = 2e-4
    beta_1: float = 0.5
    beta_2: float = 0.999
    load_size: int = 286
    flip: bool = True
    epochs: int = 200

    def __post_init__(self):
        if self.norm not in NORMS:
            raise ValueError(f"norm must be one of {NORMS}, received {self.norm!r}")
        if self.load_size < self.image_size:
            raise ValueError(f"load_size {self.load_size} is below image_size {self.image_size}")


CONFIGS: dict[str, Pix2PixConfig] = {
    # Isola et al. (2017) at 256x256 (facades: batch 1, 200 epochs).
    "paper": Pix2PixConfig(),
    # 64 px on a shared 2-core CPU: the same U-Net (6 levels to 1x1 at 64 px) at a quarter of
    # the widths, capped at 64 (0.65 M parameters, 2.6 MB of weights); the PatchGAN at a quarter
    # width too (ndf = ngf as in the paper; at df_dim 32 D took 2/3 of a step's compute) with 2
    # strided layers: a 34x34 receptive field, about half the 64 px image, where the paper's
    # 70x70 covers about a quarter of 256 px (a 70x70 PatchGAN would see the whole 64 px image
    # from every patch); batch 16, jitter 64 -> 72 -> 64 and mirroring.
    "small": Pix2PixConfig(
        image_size=64,
        gf_dim=16,
        max_multiplier=4,
        df_dim=16,
        d_layers=2,
        batch_size=16,
        load_size=72,
        epochs=20,
    ),
}


def pix2pix_config(name_or_config: str | Pix2PixConfig | dict = "paper", **changes):
    """Resolves a named configuration (``"paper"``, ``"small"``), a dict or a config.

    Keyword arguments override fields, e.g. ``pix2pix_config("small", lambda_gan=0.0)``.
    """
    return resolve_config(Pix2PixConfig, CONFIGS, name_or_config, changes)
