"""StackGAN hyper-parameters as a plain dataclass: the paper's and a CPU-sized configuration."""

from __future__ import annotations

from dataclasses import dataclass

import keras

from keras_stackgan.models.family_config import FamilyConfig, resolve_config


@dataclass(frozen=True)
class StackGANConfig(FamilyConfig):
    """Every size and training hyper-parameter of StackGAN, passed explicitly (no global cfg).

    Defaults are the paper's birds/flowers configuration (Zhang et al. 2017, section 4 and the
    released ``stageI/cfg/birds.yml`` / ``stageII/cfg/birds.yml``), except the two Stage-II
    options at the end, which only the ``"paper"`` config turns on.

    Attributes:
        embedding_dim: text embedding width (1024 for char-CNN-RNN pickles, 384 for the
            sentence encoder).
        condition_dim: CA condition size ``N_g``.
        noise_dim: ``z`` size ``N_z``.
        stage1_gf_dim, stage1_df_dim: Stage-I generator / discriminator base widths.
        stage2_gf_dim, stage2_df_dim: Stage-II widths.
        stage2_image_size: Stage-II output size, 256 or 128.
        stage2_residual_blocks: residual blocks in the Stage-II generator (None: 4 at 256 px,
            2 at 128 px).
        projection_dim: text compression in the discriminator head.
        batch_size, learning_rate, beta_1, beta_2: Adam training settings.
        kl_coefficient: weight of the KL term in the generator loss.
        stage1_lr_decay_epochs, stage2_lr_decay_epochs: the learning rate halves every this many
            epochs.
        stage1_epochs, stage2_epochs: training length.
        stage1_load_size, stage2_load_size: images are resized to this, then randomly cropped to
            64 / ``stage2_image_size``.
        captions_per_example: each training example's text embedding is the mean of this many
            of its image's caption embeddings (``cfg.TRAIN.NUM_EMBEDDING: 4`` in the TF code's
            ``birds.yml``/``flowers.yml``; Reed et al.'s ``numCaption = 4``).
        stage2_uncond_logits: give the Stage-II discriminator StackGAN-Pytorch's unconditional
            head (``STAGE2_D.get_uncond_logits``) and train with its losses
            (``losses.uncond_discriminator_loss`` / ``uncond_generator_loss``). The TF code has
            no such head.
        stage1_batch_statistics: while training Stage-II, run the frozen Stage-I generator's
            batch normalisations on batch statistics, as both original trainers do (TF: Stage-I
            built under ``pt.Phase.train``; PyTorch: ``STAGE1_G`` never put in ``eval()``),
            without changing its weights or moving averages (``StageIIGAN``).

    The two Stage-II options default to False so that configs recorded before they existed
    (and the ``"small"`` config) resolve as before; the ``"paper"`` config sets both True.
    """

    embedding_dim: int = 1024
    condition_dim: int = 128
    noise_dim: int = 100
    stage1_gf_dim: int = 128
    stage1_df_dim: int = 64
    stage2_gf_dim: int = 128
    stage2_df_dim: int = 64
    stage2_image_size: int = 256
    stage2_residual_blocks: int | None = None
    projection_dim: int = 128
    batch_size: int = 64
    learning_rate: float = 2e-4
    beta_1: float = 0.5
    beta_2: float = 0.999
    kl_coefficient: float = 2.0
    stage1_lr_decay_epochs: int = 50
    stage2_lr_decay_epochs: int = 100
    stage1_epochs: int = 600
    stage2_epochs: int = 600
    stage1_load_size: int = 76
    stage2_load_size: int = 304
    captions_per_example: int = 4
    stage2_uncond_logits: bool = False
    stage1_batch_statistics: bool = False


CONFIGS: dict[str, StackGANConfig] = {
    # The paper's configuration for CUB birds and Oxford-102 flowers.
    "paper": StackGANConfig(stage2_uncond_logits=True, stage1_batch_statistics=True),
    # Trains on a 2-core CPU: a quarter of the paper's widths, the sentence encoder's 384-d
    # embeddings and a smaller batch; the architecture, the 600 epochs per stage and the
    # learning-rate schedule are the paper's (runs span sessions: they resume).
    "small": StackGANConfig(
        embedding_dim=384,
        stage1_gf_dim=32,
        stage1_df_dim=16,
        stage2_gf_dim=16,
        stage2_df_dim=8,
        batch_size=32,
    ),
}


def stackgan_config(name_or_config: str | StackGANConfig | dict = "paper", **changes):
    """Resolves a named configuration (``"paper"``, ``"small"``), a dict or a config.

    Keyword arguments override fields, e.g. ``stackgan_config("paper", embedding_dim=384)``.
    """
    return resolve_config(StackGANConfig, CONFIGS, name_or_config, changes)


def paper_learning_rate(
    config: StackGANConfig, steps_per_epoch: int, stage: int = 1
) -> keras.optimizers.schedules.LearningRateSchedule:
    """The paper's schedule: ``learning_rate`` halved every ``stage{1,2}_lr_decay_epochs``."""
    if stage not in (1, 2):
        raise ValueError(f"stage must be 1 or 2, received {stage}")
    epochs = config.stage1_lr_decay_epochs if stage == 1 else config.stage2_lr_decay_epochs
    return keras.optimizers.schedules.ExponentialDecay(
        config.learning_rate,
        decay_steps=max(1, epochs * steps_per_epoch),
        decay_rate=0.5,
        staircase=True,
    )


def paper_optimizers(config: StackGANConfig, steps_per_epoch: int, stage: int = 1):
    """``(g_optimizer, d_optimizer)``: Adam with the config's betas and halving schedule."""
    return tuple(
        keras.optimizers.Adam(
            paper_learning_rate(config, steps_per_epoch, stage),
            beta_1=config.beta_1,
            beta_2=config.beta_2,
        )
        for _ in range(2)
    )
