"""Trains a GAN-INT-CLS preset (resumable): the baseline next to the StackGAN Stage-I presets.

Same data (``keras_stackgan.pretrained.datasets``), sentence encoder, caption-embedding cache,
image size (64), batch size and wall-clock budget as ``recipes/train_cub.py --stage 1``, so the
two can be compared like for like::

    python recipes/train_gan_int_cls.py --dataset cub --data-dir ../shared/data --minutes 40
    python recipes/train_gan_int_cls.py --dataset flowers --epochs 120
    python recipes/train_gan_int_cls.py --dataset cub --variant gan-cls   # an ablation

A run directory holds (the layout of ``keras_stackgan.pretrained.training``)::

    <run_dir>/backup/                          ResumableBackup state (both networks, optimizers)
    <run_dir>/gan_int_cls_generator.weights.h5 the generator after the last finished epoch
    <run_dir>/history.csv                      per-epoch losses and ``epoch_seconds``
    <run_dir>/logs/                            TensorBoard scalars and sample images
    <run_dir>/samples/epoch_NNNN.png           fixed captions and noise after every epoch
    <run_dir>/run.json                         what was trained on what, for the model card

Running the same command again resumes the GAN after its last finished epoch (``--epochs`` is
the total to reach; after a ``--minutes`` stop, a kill, or a finished run given more epochs),
with that epoch's own data order and augmentation; a finished run says so and trains nothing.
``--state-dir saved_models/training_state/<run>`` resumes from, and writes back, the run's
compact training state (``keras_stackgan.pretrained.training_state``), for runs that continue
on another machine.
The style encoder S, for style transfer, is trained afterwards on the
packaged, frozen generator by ``recipes/train_style_encoder.py``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

REPO = Path(__file__).resolve().parent.parent
GENERATOR_FILE = "gan_int_cls_generator.weights.h5"
DATASETS = ("cub", "flowers")


def train_gan_int_cls(
    dataset: str,
    data_dir: str | os.PathLike,
    run_dir: str | os.PathLike,
    *,
    config: str = "small",
    variant: str | None = None,
    epochs: int | None = None,
    minutes: float | None = None,
    seed: int = 0,
    encoder=None,
    cache_dir: str | os.PathLike | None = None,
    jit_compile: bool | str = "auto",
    precision: str = "auto",
    batch_size: int | None = None,
    verbose: int = 2,
    autotune: bool = False,
    curve_every: int | None = None,
    curve_images: int = 500,
) -> dict:
    """Trains (or resumes) GAN-INT-CLS on a preset's training split; returns ``run.json``.

    Args:
        dataset: ``"cub"`` or ``"flowers"``.
        data_dir: folder holding the preset's data folders (``../shared/data``).
        run_dir: where checkpoints, logs and samples go; reusing it resumes.
        config: ``GANINTCLSConfig`` name or instance; its ``embedding_dim`` is set to the
            encoder's.
        variant: ``"gan"``, ``"gan-cls"``, ``"gan-int"``, ``"gan-int-cls"`` (default: the
            config's).
        epochs: total epochs to reach (default: the config's).
        minutes: optional wall-clock budget of the GAN training in this call.
        seed: int. Seeds the initial weights, the data order, augmentation and training noise.
        encoder: text encoder (default: the shipped ``SentenceEncoder``).
        cache_dir: caption-embedding cache, shared with the StackGAN runs of ``dataset``
            (default ``runs/<dataset>/embeddings``).
        jit_compile: passed to ``compile``.
        precision: ``"auto"``, ``"float32"``, ``"mixed_bfloat16"`` or ``"mixed_float16"``
            (see ``keras_stackgan.pretrained.training.train_stage``).
        batch_size: overrides the config's batch size.
        verbose: ``fit`` verbosity.
        autotune: time the modes left at ``"auto"`` and train in the fastest
            (``keras_stackgan.models.autotune``; the recipe's default).
        curve_every, curve_images: the learning curve ``curve.csv`` (as ``train_stage``'s).
    """

    from keras_stackgan.data import steps_per_epoch
    from keras_stackgan.models.gan_int_cls import (
        GANINTCLS,
        gan_int_cls_config,
        gan_int_cls_optimizers,
    )
    from keras_stackgan.pretrained.training import (
        built_text_trainer,
        default_encoder,
        fit_resumable,
        hardware,
        run_callbacks,
        run_summary,
        start_epoch,
        training_data,
        write_run_json,
    )

    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    encoder = default_encoder(encoder)
    config = gan_int_cls_config(config, embedding_dim=int(encoder.embedding_dim))
    if batch_size is not None:
        config = config.replace(batch_size=batch_size)
    if variant is not None:
        config = config.replace(variant=variant)
    epochs = epochs or config.epochs
    start = start_epoch(run_dir, GENERATOR_FILE, epochs)
    if start >= epochs:
        return run_summary(run_dir)

    cache_dir = cache_dir or REPO / "runs" / dataset / "embeddings"
    records, embeddings, data = training_data(
        dataset,
        data_dir,
        encoder,
        cache_dir,
        batch_size=config.batch_size,
        image_size=config.image_size,
        load_size=config.load_size,
        seed=seed,
        initial_epoch=start,
        captions_per_example=config.captions_per_example,
    )
    steps = steps_per_epoch(len(records), config.batch_size)

    def build(jit_compile):
        gan = GANINTCLS.from_gan_int_cls_config(config, seed=seed)
        g_optimizer, d_optimizer = gan_int_cls_optimizers(config, steps)
        gan.compile(
            g_optimizer,
            d_optimizer,
            variant=config.variant,
            wrong_weight=config.wrong_weight,
            interpolation_weight=config.interpolation_weight,
            interpolation_beta=config.interpolation_beta,
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
        "model": "gan-int-cls",
        "dataset": dataset,
        "variant": config.variant,
        "image_size": config.image_size,
        "config": dataclasses.asdict(config),
        "train_records": len(records),
        "train_captions": int(embeddings.values.shape[0]),
        "encoder": encoder.name,
        "embedding_cache": os.fspath(cache_dir),
        "seed": seed,
        "target_epochs": epochs,
        "hardware": hardware(),
        **mode.summary(),
    }
    # Written before training too, so an interrupted run still describes itself.
    write_run_json(run_dir, summary, resuming=start > 0)
    callbacks = run_callbacks(
        run_dir,
        GENERATOR_FILE,
        dataset,
        encoder,
        seed,
        minutes,
        curve=(data_dir, curve_every, curve_images),
    )
    began = time.monotonic()
    fit_resumable(
        gan, data, callbacks, epochs=epochs, initial_epoch=start, steps=steps, verbose=verbose
    )
    summary["this_call_seconds"] = time.monotonic() - began
    write_run_json(run_dir, summary, resuming=True)
    return run_summary(run_dir)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Train a GAN-INT-CLS preset (resumable).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--dataset", choices=DATASETS, required=True)
    parser.add_argument("--data-dir", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument(
        "--run-dir", type=Path, default=None, help="default runs/gan-int-cls-<dataset>"
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        help="caption-embedding cache, shared with StackGAN; default runs/<dataset>/embeddings",
    )
    parser.add_argument("--config", default="small", help='"small" (CPU) or "paper" (GPU)')
    parser.add_argument(
        "--variant", choices=["gan", "gan-cls", "gan-int", "gan-int-cls"], default=None
    )
    parser.add_argument("--epochs", type=int, default=None, help="total epochs to reach")
    parser.add_argument("--minutes", type=float, default=None, help="wall-clock budget")
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    from keras_stackgan.pretrained.training_state import add_state_dir_argument

    add_state_dir_argument(parser)
    from keras_stackgan.models.compile_mode import add_compile_arguments

    add_compile_arguments(parser, autotune=True)
    from keras_stackgan.pretrained.training import add_curve_arguments

    add_curve_arguments(parser)
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    from keras_stackgan.models.compile_mode import jit_compile_argument
    from keras_stackgan.pretrained.training_state import export_training_state, resume_from_state

    run_dir = args.run_dir or REPO / "runs" / f"gan-int-cls-{args.dataset}"
    resume_from_state(args.state_dir, run_dir)
    summary = train_gan_int_cls(
        args.dataset,
        args.data_dir,
        run_dir,
        config=args.config,
        variant=args.variant,
        epochs=args.epochs,
        minutes=args.minutes,
        seed=args.seed,
        cache_dir=args.cache_dir or REPO / "runs" / args.dataset / "embeddings",
        jit_compile=jit_compile_argument(args),
        precision=args.precision,
        batch_size=args.batch_size,
        autotune=args.autotune,
        curve_every=args.curve_every,
        curve_images=args.curve_images,
    )
    if args.state_dir is not None:
        export_training_state(run_dir, args.state_dir)
    print(json.dumps(summary, indent=2))
    return summary


if __name__ == "__main__":
    main()
