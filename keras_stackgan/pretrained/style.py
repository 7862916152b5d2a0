"""Fits a GAN-INT-CLS style encoder to a trained (frozen) generator, with its measurements."""

from __future__ import annotations

import time

import numpy as np
import tensorflow as tf

from keras_stackgan.models.autotune import tuned_trainer
from keras_stackgan.models.gan_int_cls import (
    GANINTCLSGenerator,
    StyleEncoder,
    StyleEncoderTrainer,
    style_reconstruction_error,
)


def train_style_encoder(
    generator: GANINTCLSGenerator,
    caption_embeddings,
    held_out_embeddings,
    *,
    steps: int,
    df_dim: int = 16,
    batch_size: int = 32,
    seed: int = 0,
    verbose: int = 0,
    precision: str = "auto",
    jit_compile: bool | str = "auto",
    autotune: bool = False,
) -> tuple[StyleEncoder, dict]:
    """Trains S on ``||z - S(G(z, t))||^2`` and measures it (Reed et al. 2016, 4.4).

    Args:
        generator: the trained generator; frozen here, never changed.
        caption_embeddings: float ``[n, embedding_dim]``, the training captions ``t``.
        held_out_embeddings: float ``[m, embedding_dim]``, captions S never saw, for
            :func:`style_reconstruction_error`.
        steps: optimizer steps (each one batch of fresh ``z``).
        df_dim: base width of S.
        batch_size: texts per step.
        seed: seed of the caption order, of S's training noise and of the measurement.
        verbose: Keras ``fit`` verbosity.
        precision: S's dtype policy (``compile_mode.precision_scope``; ``"auto"``:
            ``mixed_bfloat16`` on CPUs with native bfloat16). The frozen generator keeps its
            own; S's weights stay float32 either way.
        jit_compile: XLA for the trainer's step, or ``"auto"``.
        autotune: time the step in every mode left at ``"auto"`` (precision, XLA) and train
            in the fastest (``models.autotune.tuned_trainer``); False: the rule of
            ``compile_mode``.

    Returns:
        ``(style_encoder, summary)``; the JSON-able summary has ``steps``, ``df_dim``,
        ``batch_size``, ``seconds``, ``loss_curve`` (the mean loss of each tenth of training),
        ``final_loss`` and ``held_out`` (the image-space errors and their baselines).
    """
    steps = int(steps)
    if steps < 10:
        raise ValueError(f"steps must be >= 10, received {steps}")
    trainable = generator.trainable
    texts = (
        tf.data.Dataset.from_tensor_slices(np.asarray(caption_embeddings, "float32"))
        .shuffle(len(caption_embeddings), seed=seed)
        .batch(batch_size, drop_remainder=True)
        .repeat()
    )

    def build(jit):
        trainer = StyleEncoderTrainer.from_generator(generator, df_dim, seed=seed)
        trainer.compile(jit_compile=jit)
        return trainer

    trainer, mode = tuned_trainer(
        build,
        lambda initial_epoch: texts,
        seed=seed,
        precision=precision,
        jit_compile=jit_compile,
        autotune_modes=autotune,
        log=print if verbose else None,
    )
    start = time.monotonic()
    # Ten epochs of steps/10: the per-epoch mean loss is the learning curve.
    history = trainer.fit(
        texts, steps_per_epoch=steps // 10, epochs=10, shuffle=False, verbose=verbose
    ).history
    seconds = time.monotonic() - start
    generator.trainable = trainable  # the trainer froze it
    curve = [float(v) for v in history["loss"]]
    summary = {
        "steps": steps // 10 * 10,
        "df_dim": df_dim,
        "batch_size": batch_size,
        **mode.summary(),
        "seconds": seconds,
        "loss_curve": curve,
        "final_loss": curve[-1],
        "held_out": style_reconstruction_error(
            generator, trainer.style_encoder, held_out_embeddings, seed=seed
        ),
    }
    return trainer.style_encoder, summary
