"""Resumable training of the adversarial zoo's models (what their recipes run).

The same run directory layout and guarantees as StackGAN's ``train_stage``
(``keras_stackgan.pretrained.training``)::

    <run_dir>/backup/                 ResumableBackup: both networks, both optimizers, the epoch
    <run_dir>/generator.weights.h5    the generator after the last finished epoch
    <run_dir>/history.csv             per-epoch metrics and ``epoch_seconds``
    <run_dir>/samples/epoch_NNNN.png  GeneratorSamples sheets (fixed seed, labels, codes)
    <run_dir>/run.json                what was trained on what, for the model card

Running the same call again resumes after the last finished epoch, with that epoch's own data
order (``make_labelled_dataset(..., repeat=True, initial_epoch=...)``); a NaN/inf loss stops
the run before anything of that epoch is written.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import keras

from keras_stackgan.callbacks import (
    EpochTimer,
    GeneratorCheckpoint,
    GeneratorSamples,
    ResumableBackup,
    StopOnNonFinite,
    TimeBudget,
)
from keras_stackgan.pretrained.training import (
    BACKUP_DIR,
    fit_resumable,
    hardware,
    run_summary,
    start_epoch,
    write_run_json,
)

GENERATOR_FILE = "generator.weights.h5"


def train_zoo_model(
    gan: keras.Model,
    make_data: Callable[[int], object],
    run_dir: str | os.PathLike,
    *,
    steps_per_epoch: int,
    epochs: int,
    summary: dict,
    minutes: float | None = None,
    samples: GeneratorSamples | None = None,
    callbacks: list | None = None,
    verbose: int = 2,
) -> dict:
    """Trains (or resumes) a compiled zoo trainer; returns the run summary.

    Args:
        gan: a compiled ``AdversarialModel`` (build it after ``keras.utils.set_random_seed``
            so a new run's initial weights follow its seed).
        make_data: ``initial_epoch -> tf.data.Dataset``, the endless stream of batches from
            that epoch on (e.g. ``make_labelled_dataset(..., repeat=True, initial_epoch=e)``).
        run_dir: where checkpoints, logs and samples go; reusing it resumes.
        steps_per_epoch: int, batches per epoch.
        epochs: int, total epochs to reach (not additional ones).
        summary: JSON-able description of the run for ``run.json`` (family, dataset, config,
            seed, ...); a rerun must describe the same run.
        minutes: optional wall-clock budget of this call (stops at the first epoch end after).
        samples: optional ``GeneratorSamples`` (default: 64 images of seed 0).
        callbacks: extra callbacks (run before the checkpoints, e.g. a metric tracker).
        verbose: ``fit`` verbosity.

    Returns:
        ``run.json`` plus ``epochs_done`` and ``train_seconds_total``.
    """
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    start = start_epoch(run_dir, GENERATOR_FILE, epochs)
    if start >= epochs:
        return run_summary(run_dir)
    summary = {**summary, "target_epochs": epochs, "hardware": hardware()}
    write_run_json(run_dir, summary, resuming=start > 0)
    samples = samples or GeneratorSamples(run_dir / "samples")
    samples.directory = os.fspath(run_dir / "samples")
    run = [
        StopOnNonFinite(),
        *(callbacks or []),
        EpochTimer(),
        keras.callbacks.CSVLogger(os.fspath(run_dir / "history.csv"), append=True),
        GeneratorCheckpoint(run_dir / GENERATOR_FILE),
        samples,
        ResumableBackup(run_dir / BACKUP_DIR),
        TimeBudget(minutes),
    ]
    fit_resumable(
        gan,
        make_data(start),
        run,
        epochs=epochs,
        initial_epoch=start,
        steps=steps_per_epoch,
        verbose=verbose,
    )
    return run_summary(run_dir)
