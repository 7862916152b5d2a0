"""Resumable training of one StackGAN stage on a preset's data (what the recipes run).

A run directory holds everything a run writes, none of it meant for git::

    <run_dir>/backup/                  ResumableBackup state: both networks, both optimizers
                                       (iterations, so the learning-rate schedule), the epoch
    <run_dir>/stage1_generator.weights.h5   the generator after the last finished epoch
    <run_dir>/history.csv              per-epoch losses and ``epoch_seconds``
    <run_dir>/logs/                    TensorBoard scalars and sample images
    <run_dir>/samples/epoch_NNNN.png   SampleGrid sheets (fixed captions and noise)
    <run_dir>/run.json                 what was trained on what, for the model card

Calling ``train_stage`` again with the same ``run_dir`` resumes after the last finished epoch
(after a ``minutes`` stop, a finished run given more ``epochs``, or a kill, even one during a
checkpoint write), with epoch ``k``'s own data order, crops and flips, so its losses are those
of an uninterrupted run; ``epochs`` is the total to reach, not a number of additional epochs.
A run that has reached it says so and trains nothing. A diverging run stops at the first
non-finite loss (``NonFiniteError``) before anything of that epoch is written.
"""

from __future__ import annotations

import dataclasses
import json
import os
import platform
from pathlib import Path

import keras
import numpy as np

from keras_stackgan.callbacks import (
    EpochTimer,
    GeneratorCheckpoint,
    ResumableBackup,
    SampleGrid,
    StopOnNonFinite,
    TimeBudget,
    resume_epoch,
)
from keras_stackgan.data import EmbeddingCache, make_stackgan_dataset, steps_per_epoch
from keras_stackgan.models.autotune import tuned_trainer
from keras_stackgan.models.stackgan import (
    StageIGAN,
    StageIGenerator,
    StageIIGAN,
    paper_optimizers,
    stackgan_config,
)
from keras_stackgan.pretrained.datasets import preset_records

# Fixed captions of the sample sheets: colours and parts the conditioning should follow.
SAMPLE_CAPTIONS = {
    "cub": (
        "this bird is red with black wings and a short beak.",
        "a small yellow bird with a black crown and black wings.",
        "a blue bird with a white belly and a pointed bill.",
        "this bird is white with a long orange bill and grey wings.",
        "a black bird with a thick black beak.",
        "a brown bird with a spotted white breast.",
    ),
    "flowers": (
        "a photo of a sunflower, a type of flower.",
        "a close-up photo of a pink primrose.",
        "a photo of a purple passion flower, a type of flower.",
        "a picture of a red rose flower.",
        "a photo of a white water lily, a type of flower.",
        "a bright photo of the orange dahlia.",
    ),
}


BACKUP_DIR = "backup"
# run.json entries that must match for a rerun to resume a run (else two runs would mix).
RESUME_KEYS = ("dataset", "stage", "model", "variant", "config", "encoder", "seed", "train_records")


def stage_file(stage: int) -> str:
    return f"stage{stage}_generator.weights.h5"


def build_stage1_generator(config, weights_path: str | os.PathLike) -> StageIGenerator:
    """A Stage-I generator of ``config`` with the weights saved by a Stage-I run."""
    gan = StageIGAN.from_stackgan_config(config)
    gan.generator.load_weights(os.fspath(weights_path))
    return gan.generator


def train_stage(
    dataset: str,
    stage: int,
    data_dir: str | os.PathLike,
    run_dir: str | os.PathLike,
    *,
    config: str = "small",
    epochs: int | None = None,
    minutes: float | None = None,
    seed: int = 0,
    encoder=None,
    cache_dir: str | os.PathLike | None = None,
    stage1_run_dir: str | os.PathLike | None = None,
    jit_compile: bool | str = "auto",
    precision: str = "auto",
    batch_size: int | None = None,
    verbose: int = 2,
    autotune: bool = False,
    curve_every: int | None = None,
    curve_images: int = 500,
) -> dict:
    """Trains (or resumes) Stage ``stage`` of StackGAN on a preset's training split.

    Args:
        dataset: ``"cub"`` or ``"flowers"`` (see ``keras_stackgan.pretrained.datasets``).
        stage: 1 (64 px) or 2 (``config.stage2_image_size``).
        data_dir: folder holding the preset's data folders (``../shared/data``).
        run_dir: where checkpoints, logs and samples go; reusing it resumes.
        config: ``StackGANConfig`` name or instance; its ``embedding_dim`` is set to the
            encoder's.
        epochs: total epochs to reach (default: the config's ``stage{1,2}_epochs``).
        minutes: optional wall-clock budget for this call; stops at the first epoch end after.
        seed: int. Seeds the initial weights (``keras.utils.set_random_seed``), the data
            order, augmentation and training noise.
        encoder: text encoder with ``encode``/``name``/``embedding_dim`` (default: the shipped
            ``SentenceEncoder``).
        cache_dir: caption-embedding cache (default ``<run_dir>/../embeddings``).
        stage1_run_dir: Stage-I run directory whose generator Stage-II refines.
        jit_compile: passed to ``compile``.
        precision: ``"auto"`` (``mixed_bfloat16`` on CPUs with native bfloat16, else float32;
            see ``keras_stackgan.models.compile_mode``), ``"float32"``, ``"mixed_bfloat16"``
            or ``"mixed_float16"``. The weights stay float32 in every case.
        batch_size: overrides the config's batch size.
        verbose: ``fit`` verbosity.
        autotune: time the step in every mode ``precision`` and ``jit_compile`` leave at
            ``"auto"`` and train in the fastest (``keras_stackgan.models.autotune``; the
            recipes' default); False: ``compile_mode``'s rule. A resumed run on the same kind
            of machine keeps the mode it recorded.
        curve_every: every this many epochs, measure the generator on ``curve_images``
            held-out captions (proxy-IS, proxy-FID, R-precision, as ``evaluate_preset``) into
            ``<run_dir>/curve.csv`` (``keras_stackgan.evaluation.caption_curve``); None: no
            curve.
        curve_images: images per curve measurement.

    Returns:
        The run summary written to ``run.json`` (with ``epochs_done``).

    Raises:
        NonFiniteError: at the first NaN/inf loss (the run stays resumable from the last
            finite epoch).
        ValueError: when ``run_dir`` holds a run with other settings, or a trained generator
            without a backup to resume from.
    """
    if stage not in (1, 2):
        raise ValueError(f"stage must be 1 or 2, received {stage}")
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    encoder = default_encoder(encoder)
    config = stackgan_config(config, embedding_dim=int(encoder.embedding_dim))
    if batch_size is not None:
        config = config.replace(batch_size=batch_size)
    epochs = epochs or (config.stage1_epochs if stage == 1 else config.stage2_epochs)
    image_size = 64 if stage == 1 else config.stage2_image_size
    load_size = config.stage1_load_size if stage == 1 else config.stage2_load_size
    start = start_epoch(run_dir, stage_file(stage), epochs)
    if start >= epochs:
        return run_summary(run_dir)

    records, embeddings, data = training_data(
        dataset,
        data_dir,
        encoder,
        cache_dir or run_dir.parent / "embeddings",
        batch_size=config.batch_size,
        image_size=image_size,
        load_size=load_size,
        seed=seed,
        initial_epoch=start,
        captions_per_example=config.captions_per_example,
    )
    steps = steps_per_epoch(len(records), config.batch_size)

    if stage == 2 and stage1_run_dir is None:
        raise ValueError("Stage-II training needs stage1_run_dir (a finished Stage-I run).")

    def build(jit_compile):
        if stage == 1:
            gan = StageIGAN.from_stackgan_config(config, seed=seed)
        else:
            stage1 = build_stage1_generator(config, Path(stage1_run_dir) / stage_file(1))
            gan = StageIIGAN.from_stackgan_config(stage1, config, seed=seed)
        g_optimizer, d_optimizer = paper_optimizers(config, steps, stage)
        gan.compile(
            g_optimizer,
            d_optimizer,
            kl_coefficient=config.kl_coefficient,
            jit_compile=jit_compile,
        )
        return gan

    gan, mode = built_text_trainer(
        build,
        data,
        config.embedding_dim,
        seed=seed,
        precision=precision,
        jit_compile=jit_compile,
        autotune=autotune,
        run_dir=run_dir,
    )

    summary = {
        "dataset": dataset,
        "stage": stage,
        "image_size": image_size,
        "config": dataclasses.asdict(config),
        "train_records": len(records),
        "train_captions": int(embeddings.values.shape[0]),
        "encoder": encoder.name,
        "seed": seed,
        "target_epochs": epochs,
        "hardware": hardware(),
        **mode.summary(),
        "stage1_run_dir": None if stage1_run_dir is None else os.fspath(stage1_run_dir),
    }
    # Written before training too, so an interrupted run still describes itself; epochs and
    # wall time are read back from history.csv (see run_summary).
    write_run_json(run_dir, summary, resuming=start > 0)
    callbacks = run_callbacks(
        run_dir,
        stage_file(stage),
        dataset,
        encoder,
        seed,
        minutes,
        curve=(data_dir, curve_every, curve_images),
    )
    fit_resumable(
        gan, data, callbacks, epochs=epochs, initial_epoch=start, steps=steps, verbose=verbose
    )
    return run_summary(run_dir)


def built_text_trainer(
    build, data, embedding_dim: int, *, seed, precision, jit_compile, autotune, run_dir
):
    """``(trainer, CompileMode)``: ``build(jit_compile)`` (a compiled text-to-image trainer)
    in the mode ``keras_stackgan.models.autotune.tuned_trainer`` picks on ``data``, seeded by
    ``seed``, and built by one inference call: ``BackupAndRestore`` restores into a built
    model. Shared by the StackGAN stages and GAN-INT-CLS."""

    def built(jit):
        gan = build(jit)
        gan.generate(np.zeros((1, embedding_dim), "float32"), seed=0)
        return gan

    return tuned_trainer(
        built,
        lambda _: data,
        seed=seed,
        precision=precision,
        jit_compile=jit_compile,
        autotune_modes=autotune,
        run_dir=run_dir,
    )


def start_epoch(run_dir: str | os.PathLike, generator_file: str, epochs: int) -> int:
    """The epoch a (re)run of ``run_dir`` starts from: 0 for a new run, else the epochs its
    backup holds (repaired if a kill tore it, see ``resume_epoch``). Prints what it found.

    Raises:
        ValueError: when ``run_dir`` holds a trained generator but no backup (runs trained
            before backups were kept): training from 0 would overwrite it.
    """
    run_dir = Path(run_dir)
    backup = run_dir / BACKUP_DIR
    if not backup.exists() and ((run_dir / generator_file).exists() or epochs_done(run_dir)):
        raise ValueError(
            f"{run_dir} holds a trained generator ({generator_file}, {epochs_done(run_dir)} "
            "epochs in history.csv) but no backup to resume from; training again would "
            "overwrite it. Use another run directory, or move that one away."
        )
    backup.mkdir(parents=True, exist_ok=True)  # marks the run as one that keeps its backup
    start = resume_epoch(backup)
    if start >= epochs:
        print(
            f"{run_dir}: complete, {start} of {epochs} epochs trained; nothing to do "
            "(ask for more epochs to continue it)."
        )
    elif start:
        print(f"{run_dir}: resuming after epoch {start} of {epochs}.")
    return start


def write_run_json(run_dir: str | os.PathLike, summary: dict, resuming: bool) -> None:
    """Writes ``run.json``; a resumed run must have the settings its first call recorded.

    Raises:
        ValueError: naming the settings that differ from the run being resumed.
    """
    path = Path(run_dir) / "run.json"
    if resuming and path.is_file():
        before = json.loads(path.read_text(encoding="utf-8"))
        now = json.loads(json.dumps(summary))
        changed = [k for k in RESUME_KEYS if k in before and not _same(before[k], now.get(k))]
        if changed:
            raise ValueError(
                f"{run_dir} holds a run with other {', '.join(changed)} than this call's; "
                "resuming it would mix two runs. Use another run directory, or the same "
                "settings."
            )
    path.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


def _same(recorded, current) -> bool:
    """Whether a setting recorded by a run equals this call's.

    A config field the recorded run does not have yet counts as equal when this call leaves it
    off (False or None): options are added off by default so that old configs keep their
    behaviour, and a run started before such a field existed can resume. A new field that is
    on, or has any other value, counts as a change.
    """
    if isinstance(recorded, dict) and isinstance(current, dict):
        new_fields_off = all(current[k] in (False, None) for k in current.keys() - recorded)
        return new_fields_off and all(
            k in current and _same(v, current[k]) for k, v in recorded.items()
        )
    return recorded == current


def fit_resumable(gan, data, callbacks, *, epochs: int, initial_epoch: int, steps: int, verbose=2):
    """``gan.fit`` on the endless epoch stream ``data`` from ``initial_epoch`` to ``epochs``.

    Args:
        gan: a compiled, built GAN trainer.
        data: ``make_stackgan_dataset(..., repeat=True, initial_epoch=initial_epoch)``.
        callbacks: ``run_callbacks(...)`` (its ``ResumableBackup`` restores the state of
            ``initial_epoch``, found by ``start_epoch``).
        epochs: total epochs to reach; initial_epoch: epochs already done; steps: batches per
            epoch; verbose: ``fit`` verbosity.
    """
    gan.fit(
        data,
        epochs=epochs,
        initial_epoch=initial_epoch,
        steps_per_epoch=steps,
        callbacks=callbacks,
        verbose=verbose,
        shuffle=False,  # the dataset shuffles itself, per epoch
    )


def default_encoder(encoder=None):
    """``encoder``, or the shipped ``SentenceEncoder`` when None (loaded offline)."""
    if encoder is not None:
        return encoder
    from keras_stackgan.text import SentenceEncoder

    return SentenceEncoder.from_pretrained()


def train_caption_embeddings(dataset: str, records, encoder, cache_dir):
    """Embeddings of every training caption of ``records``, computed once into ``cache_dir``
    (shared by the StackGAN, GAN-INT-CLS, style-encoder and R-precision recipes)."""
    return EmbeddingCache(cache_dir).embed_records(records, encoder, f"{dataset}_train")


def training_data(
    dataset: str,
    data_dir,
    encoder,
    cache_dir,
    *,
    batch_size: int,
    image_size: int,
    load_size: int,
    seed: int,
    initial_epoch: int | None = None,
    captions_per_example: int = 1,
):
    """A preset's training split as StackGAN triples ``(real, embedding, wrong)``.

    Args:
        captions_per_example: each example's embedding is the mean of this many of its
            captions' (the configs' value: 4, as in the original code).
        initial_epoch: None (default): a dataset of one epoch, reshuffled per pass. An int:
            the endless stream of epochs from that one (``make_stackgan_dataset(repeat=True,
            initial_epoch=...)``, for ``fit_resumable``).

    Returns:
        ``(records, CaptionEmbeddings, tf.data.Dataset)``; the captions are embedded once and
        cached in ``cache_dir``.
    """
    records = preset_records(dataset, data_dir, "train")
    embeddings = train_caption_embeddings(dataset, records, encoder, cache_dir)
    data = make_stackgan_dataset(
        records,
        embeddings,
        batch_size=batch_size,
        image_size=image_size,
        load_size=load_size,
        seed=seed,
        repeat=initial_epoch is not None,
        initial_epoch=initial_epoch or 0,
        captions_per_example=captions_per_example,
    )
    return records, embeddings, data


def run_callbacks(
    run_dir, generator_file, dataset, encoder, seed=0, minutes=None, curve=(None, None, 0)
) -> list:
    """The callbacks of a resumable run (shared by the StackGAN and GAN-INT-CLS recipes).

    In order: ``StopOnNonFinite`` (raises at the first NaN/inf log value, before any epoch-end
    write), EpochTimer + CSVLogger (``history.csv`` with epoch times), TensorBoard, a generator
    snapshot ``<run_dir>/<generator_file>``, a ``SampleGrid`` of the dataset's fixed captions,
    with ``curve = (data_dir, every, num_images)`` and ``every`` set, the run's
    ``caption_curve`` (``keras_stackgan.evaluation``; a replayed epoch rewrites its row),
    ``ResumableBackup`` (the full state, last: a kill before it is complete leaves the previous
    epoch's state, and everything before it is rewritten by the resumed epoch) and an optional
    ``TimeBudget`` in minutes.
    """
    run_dir = Path(run_dir)
    captions = SAMPLE_CAPTIONS.get(dataset, SAMPLE_CAPTIONS["cub"])
    data_dir, every, num_images = curve
    curves = []
    if every:
        from keras_stackgan.evaluation import caption_curve

        curves.append(
            caption_curve(run_dir, dataset, data_dir, encoder, every=every, num_images=num_images)
        )
    return [
        StopOnNonFinite(),
        EpochTimer(),
        keras.callbacks.CSVLogger(os.fspath(run_dir / "history.csv"), append=True),
        keras.callbacks.TensorBoard(os.fspath(run_dir / "logs"), write_graph=False),
        GeneratorCheckpoint(run_dir / generator_file),
        SampleGrid(
            encoder.encode(list(captions)),
            captions,
            run_dir / "samples",
            images_per_caption=4,
            seed=seed,
            log_dir=run_dir / "logs",
        ),
        *curves,
        ResumableBackup(run_dir / BACKUP_DIR),
        TimeBudget(minutes),
    ]


def add_curve_arguments(parser, every: int = 10) -> None:
    """Adds ``--curve-every`` (default ``every``; 0: no curve) and ``--curve-images`` (500) to a
    text-to-image recipe's ``argparse`` parser: ``run_callbacks``' learning curve."""
    parser.add_argument(
        "--curve-every",
        type=int,
        default=every,
        help="epochs between learning-curve rows (curve.csv: proxy-IS, proxy-FID, "
        "R-precision on held-out captions); 0: none",
    )
    parser.add_argument(
        "--curve-images", type=int, default=500, help="held-out captions per curve row"
    )


def run_summary(run_dir: str | os.PathLike) -> dict:
    """``run.json`` of a run plus ``epochs_done`` and ``train_seconds_total`` from its history."""
    run_dir = Path(run_dir)
    summary = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    summary["epochs_done"] = epochs_done(run_dir)
    summary["train_seconds_total"] = round(train_seconds(run_dir), 1)
    return summary


def hardware() -> str:
    """A one-line description of the machine, for model cards."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    accelerator = f"{len(gpus)} GPU(s)" if gpus else "no GPU"
    return f"{platform.machine()}, {os.cpu_count()} CPU cores, {accelerator}"


def _history(run_dir: Path) -> list[dict]:
    import csv

    path = Path(run_dir) / "history.csv"
    if not path.is_file():
        return []
    with open(path, newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    # Resumed runs append; a repeated epoch (interrupted before its backup) counts once.
    by_epoch = {int(r["epoch"]): r for r in rows if r.get("epoch", "").isdigit()}
    return [by_epoch[k] for k in sorted(by_epoch)]


def epochs_done(run_dir: str | os.PathLike) -> int:
    """Epochs a run has finished (from its ``history.csv``)."""
    return len(_history(Path(run_dir)))


def train_seconds(run_dir: str | os.PathLike) -> float:
    """Summed wall-clock seconds of a run's finished epochs."""
    return float(sum(float(r.get("epoch_seconds") or 0.0) for r in _history(Path(run_dir))))
