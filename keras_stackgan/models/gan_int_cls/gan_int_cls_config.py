"""GAN-INT-CLS hyper-parameters as a plain dataclass: the authors' and a CPU-sized configuration."""

from __future__ import annotations

from dataclasses import dataclass

import keras

from keras_stackgan.models.family_config import FamilyConfig, resolve_config


@dataclass(frozen=True)
class GANINTCLSConfig(FamilyConfig):
    """Every size and training hyper-parameter of GAN-INT-CLS, passed explicitly.

    Defaults are the authors' birds/flowers settings, except ``text_batch_norm`` (below), which
    only the ``"paper"`` config turns on (Reed et al. 2016; ``main_cls_int.lua`` and
    ``scripts/train_cub.sh`` of github.com/reedscot/icml2016: ``ngf=128``, ``ndf=64``,
    ``nt=128``, ``nz=100``, ``batchSize=64``, ``cls_weight=0.5``, ``interp_weight=1.0``,
    ``lr=2e-4``, ``beta1=0.5``, ``lr_decay=0.5`` every ``decay_every=100`` epochs, ``niter=600``,
    ``loadSize=76``, ``fineSize=64``).

    Attributes:
        embedding_dim: text embedding width (1024 for char-CNN-RNN, 384 for the sentence
            encoder).
        noise_dim: ``z`` size.
        projection_dim: size the text is compressed to, in the generator and the discriminator.
        gf_dim, df_dim: generator / discriminator base widths (the Lua code's ``ngf``, ``ndf``).
        image_size: output size (64).
        variant: ``"gan"``, ``"gan-cls"``, ``"gan-int"`` or ``"gan-int-cls"``.
        wrong_weight: weight of the mismatched-text term of the discriminator loss (CLS).
        interpolation_weight: per-example weight of the interpolated-text term of the generator
            loss (INT).
        interpolation_beta: ``beta`` of ``beta * t1 + (1 - beta) * t2``.
        batch_size, learning_rate, beta_1, beta_2: Adam training settings.
        lr_decay_epochs: the learning rate halves every this many epochs.
        epochs: training length.
        load_size: images are resized to this, then randomly cropped to ``image_size``.
        style_df_dim: base width of the style encoder (a discriminator-shaped network).
        captions_per_example: each training example's text embedding is the mean of this many
            of its image's caption embeddings (``numCaption = 4`` in ``main_cls_int.lua``).
        text_batch_norm: batch-normalise the discriminator's text projection, as ``fcD`` of
            ``main_cls_int.lua`` does (``nn.Linear``, ``nn.BatchNormalization``,
            ``nn.LeakyReLU(0.2)``). The field defaults to False so that dicts recorded before it
            existed resolve as before; the ``"paper"`` config sets it True.
    """

    embedding_dim: int = 1024
    noise_dim: int = 100
    projection_dim: int = 128
    gf_dim: int = 128
    df_dim: int = 64
    image_size: int = 64
    variant: str = "gan-int-cls"
    wrong_weight: float = 0.5
    interpolation_weight: float = 1.0
    interpolation_beta: float = 0.5
    batch_size: int = 64
    learning_rate: float = 2e-4
    beta_1: float = 0.5
    beta_2: float = 0.999
    lr_decay_epochs: int = 100
    epochs: int = 600
    load_size: int = 76
    style_df_dim: int = 64
    captions_per_example: int = 4
    text_batch_norm: bool = False


CONFIGS: dict[str, GANINTCLSConfig] = {
    # The authors' configuration for CUB birds and Oxford-102 flowers.
    "paper": GANINTCLSConfig(text_batch_norm=True),
    # The StackGAN "small" Stage-I setting on a 2-core CPU: same embeddings (384-d sentence
    # encoder) and batch (32), the authors' 600 epochs and schedule, and a quarter of the
    # authors' widths like StackGAN "small". Measured at batch 32 with XLA (shared 2-core CPU,
    # 2026-11-23), a GAN-INT-CLS step takes 0.89-0.95x the CPU time of a small Stage-I step
    # (0.29-0.32 vs 0.31-0.36 CPU-s), so equal wall-clock budgets give equal compute.
    "small": GANINTCLSConfig(
        embedding_dim=384,
        gf_dim=32,
        df_dim=16,
        batch_size=32,
        style_df_dim=16,
    ),
}


def gan_int_cls_config(name_or_config: str | GANINTCLSConfig | dict = "paper", **changes):
    """Resolves a named configuration (``"paper"``, ``"small"``), a dict or a config.

    Keyword arguments override fields, e.g. ``gan_int_cls_config("paper", embedding_dim=384)``.
    """
    return resolve_config(GANINTCLSConfig, CONFIGS, name_or_config, changes)


def gan_int_cls_learning_rate(
    config: GANINTCLSConfig, steps_per_epoch: int
) -> keras.optimizers.schedules.LearningRateSchedule:
    """The authors' schedule: ``learning_rate`` halved every ``lr_decay_epochs`` epochs."""
    return keras.optimizers.schedules.ExponentialDecay(
        config.learning_rate,
        decay_steps=max(1, config.lr_decay_epochs * steps_per_epoch),
        decay_rate=0.5,
        staircase=True,
    )


def gan_int_cls_optimizers(config: GANINTCLSConfig, steps_per_epoch: int):
    """``(g_optimizer, d_optimizer)``: Adam with the config's betas and halving schedule."""
    return tuple(
        keras.optimizers.Adam(
            gan_int_cls_learning_rate(config, steps_per_epoch),
            beta_1=config.beta_1,
            beta_2=config.beta_2,
        )
        for _ in range(2)
    )
