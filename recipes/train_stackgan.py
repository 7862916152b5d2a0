"""Trains a StackGAN preset (both stages, resumable): the code behind train_cub/train_flowers.

Usage (from the repository root)::

    python recipes/train_cub.py --data-dir ../shared/data --stage 1 --minutes 40
    python recipes/train_cub.py --data-dir ../shared/data --stage 2 --epochs 20
    python recipes/train_cub.py --config paper --epochs 600     # the paper's widths, for GPUs

Each stage writes ``<run-dir>/stage{1,2}/`` (checkpoints, TensorBoard logs, sample sheets,
``history.csv``, ``run.json``); running the same command again resumes after the last finished
epoch. ``python recipes/package_preset.py`` then copies the generators into ``saved_models/``.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

REPO = Path(__file__).resolve().parent.parent


def parse_args(dataset: str, stages: tuple[int, ...], argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=f"Train the {dataset!r} StackGAN preset (resumable).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--data-dir", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--run-dir", type=Path, default=REPO / "runs" / dataset)
    parser.add_argument("--stage", type=int, choices=stages, default=stages[0])
    parser.add_argument("--config", default="small", help='"small" (CPU) or "paper" (GPU)')
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


def main(dataset: str, stages: tuple[int, ...], argv=None) -> dict:
    args = parse_args(dataset, stages, argv)
    from keras_stackgan.models.compile_mode import jit_compile_argument
    from keras_stackgan.pretrained.training import train_stage
    from keras_stackgan.pretrained.training_state import export_training_state, resume_from_state

    stage_dir = args.run_dir / f"stage{args.stage}"
    resume_from_state(args.state_dir, stage_dir)

    summary = train_stage(
        dataset,
        args.stage,
        args.data_dir,
        stage_dir,
        config=args.config,
        epochs=args.epochs,
        minutes=args.minutes,
        seed=args.seed,
        cache_dir=args.run_dir / "embeddings",
        stage1_run_dir=args.run_dir / "stage1",
        jit_compile=jit_compile_argument(args),
        precision=args.precision,
        batch_size=args.batch_size,
        autotune=args.autotune,
        curve_every=args.curve_every,
        curve_images=args.curve_images,
    )
    if args.state_dir is not None:
        export_training_state(stage_dir, args.state_dir)
    print(json.dumps(summary, indent=2))
    return summary
