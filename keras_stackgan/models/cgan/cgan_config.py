"""Conditional-GAN hyper-parameters as a frozen dataclass: the paper's, DCGAN and CPU sizes."""

from __future__ import annotations

from dataclasses import dataclass

from keras_stackgan.models.family_config import FamilyConfig, resolve_config

GENERATORS = ("concat", "cbn")
DISCRIMINATORS = ("concat", "projection")


@dataclass(frozen=True)
class CGANConfig(FamilyConfig):
    """Every size and training hyper-parameter of a conditional GAN, passed explicitly.

    Defaults are Mirza & Osindero (2014), section 4.1 (MNIST): a 100-d ``z``; G maps ``z`` to
    200 and the one-hot label to 1000 ReLU units, both to a joint 1200-unit ReLU layer and
    to the 784 pixels; D maps the image to a maxout layer of 240 units x 5 pieces and the label
    to 50 units x 5 pieces, both to a joint maxout layer of 240 units x 4 pieces and the logit;
    dropout 0.5. The paper trains with SGD and momentum; we use Adam(2e-4, beta_1 = 0.5).

    Attributes:
        generator: ``"concat"`` (the paper's MLP, label concatenated) or ``"cbn"`` (a DCGAN-like
            deconvolutional generator with conditional batch norm).
        discriminator: ``"concat"`` (the paper's maxout MLP) or ``"projection"`` (Miyato &
            Koyama 2018).
        num_classes, noise_dim, image_size, channels: the data and ``z``.
        noise_units, label_units, hidden_units, dropout: the paper's generator.
        image_units, image_pieces, d_label_units, label_pieces, joint_units, joint_pieces:
            the paper's discriminator (its dropout is ``dropout`` too).
        gf_dim: base width of the CBN generator (``4*gf_dim`` channels at 7x7).
        df_dim, feature_dim: widths of the projection discriminator (``df_dim``, ``2*df_dim``
            channels, then a ``feature_dim`` feature vector).
        batch_size, learning_rate, beta_1, beta_2: Adam settings of both networks.
        epochs: training length in passes over the data.
    """

    generator: str = "concat"
    discriminator: str = "concat"
    num_classes: int = 10
    noise_dim: int = 100
    image_size: int = 28
    channels: int = 1
    noise_units: int = 200
    label_units: int = 1000
    hidden_units: int = 1200
    dropout: float = 0.5
    image_units: int = 240
    image_pieces: int = 5
    d_label_units: int = 50
    label_pieces: int = 5
    joint_units: int = 240
    joint_pieces: int = 4
    gf_dim: int = 64
    df_dim: int = 64
    feature_dim: int = 1024
    batch_size: int = 64
    learning_rate: float = 2e-4
    beta_1: float = 0.5
    beta_2: float = 0.999
    epochs: int = 50

    def __post_init__(self):
        if self.generator not in GENERATORS:
            raise ValueError(f"generator must be one of {GENERATORS}, received {self.generator!r}")
        if self.discriminator not in DISCRIMINATORS:
            raise ValueError(
                f"discriminator must be one of {DISCRIMINATORS}, received {self.discriminator!r}"
            )


CONFIGS: dict[str, CGANConfig] = {
    # Mirza & Osindero (2014): label concatenated into both MLPs.
    "paper": CGANConfig(),
    # The conditional-batch-norm generator against a projection discriminator at DCGAN widths
    # (Radford et al. 2016's MNIST-sized 64/128/256 channels).
    "cbn": CGANConfig(generator="cbn", discriminator="projection"),
    # The cgan-mnist preset: the "cbn" networks at CPU widths, for a 9-minute run on 2 cores.
    "small": CGANConfig(
        generator="cbn", discriminator="projection", gf_dim=32, df_dim=32, feature_dim=256
    ),
}


def cgan_config(name_or_config: str | CGANConfig | dict = "paper", **changes) -> CGANConfig:
    """Resolves a named configuration (``"paper"``, ``"cbn"``, ``"small"``), a dict or a config.

    Keyword arguments override fields, e.g. ``cgan_config("small", gf_dim=16)``.
    """
    return resolve_config(CGANConfig, CONFIGS, name_or_config, changes)
