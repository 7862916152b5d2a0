"""What the MNIST recipes of the adversarial zoo share (cGAN, InfoGAN): the resumable training
stream, packaging a generator and reloading it the way ``load_pretrained`` does, a digit sheet
and the throughput of a run."""

from __future__ import annotations

import json
import os
import shlex
import sys
from collections.abc import Callable
from pathlib import Path

import keras
import numpy as np

from keras_stackgan.models.compile_mode import add_compile_arguments
from keras_stackgan.pretrained.generator_pipeline import GeneratorPipeline

DIGITS = [str(d) for d in range(10)]


def mnist_training_stream(
    data_dir: str | os.PathLike, batch_size: int, seed: int
) -> tuple[int, Callable[[int], object]]:
    """``(num_images, make_data)`` for ``train_zoo_model`` from ``<data_dir>/mnist``'s train split.

    ``make_data(initial_epoch)`` is the endless stream of ``(images [B, 28, 28, 1] in [-1, 1],
    int32 labels [B])`` batches from that epoch on, each epoch's order a function of
    ``(seed, epoch)`` (``make_labelled_dataset(..., repeat=True, initial_epoch=...)``).
    """
    from keras_stackgan.data import make_labelled_dataset, read_mnist

    images, labels = read_mnist(Path(data_dir) / "mnist", "train")

    def make_data(initial_epoch: int):
        return make_labelled_dataset(
            images[..., None],
            labels,
            batch_size=batch_size,
            num_classes=10,
            seed=seed,
            repeat=True,
            initial_epoch=initial_epoch,
            source=Path(data_dir) / "mnist",
        )

    return len(images), make_data


def package_generator(
    directory: str | os.PathLike,
    family: str,
    generator: keras.Model,
    training: dict,
    class_names: list[str] | None = None,
) -> GeneratorPipeline:
    """Writes the preset folder and returns a pipeline reloaded from it (config + weights), so
    every number measured afterwards is the shipped files'."""
    from keras_stackgan.pretrained.load import build_generator
    from keras_stackgan.pretrained.package import write_generator_preset

    directory = Path(directory)
    write_generator_preset(
        directory,
        family=family,
        dataset="mnist",
        generator=generator,
        class_names=class_names,
        training=training,
    )
    config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
    reloaded = build_generator(config["generator"], directory / config["weights"]["generator"])
    return GeneratorPipeline(reloaded, name=directory.name, class_names=class_names)


def digit_sheet(pipeline: GeneratorPipeline, per_class: int = 10, seed: int = 0):
    """A ``PIL.Image``: one column per class (captioned), ``per_class`` samples each."""
    labels = np.repeat(np.arange(pipeline.num_classes), per_class)
    images = pipeline.generate(labels=labels, seed=seed)
    return pipeline.grid(
        images, pipeline.num_classes, [str(k) for k in range(pipeline.num_classes)]
    )


def images_per_second(summary: dict, steps_per_epoch: int, batch_size: int) -> float:
    """Training throughput of a run from its summary (``run_summary``): images / wall second."""
    seconds = float(summary.get("train_seconds_total") or 0.0)
    images = int(summary.get("epochs_done", 0)) * steps_per_epoch * batch_size
    return images / seconds if seconds else 0.0


def command_line() -> str:
    """This process's command line, as a shell would take it back."""
    return " ".join(["python", *map(shlex.quote, sys.argv)])


def recipe_arguments(preset: str, repo: Path, preset_dir: Path, config_help: str, argv=None):
    """The command line shared by the MNIST zoo recipes (``train_cgan.py``,
    ``train_infogan.py``): data and run folders, budget, config, seed, packaging."""
    import argparse

    parser = argparse.ArgumentParser(
        description=f"Train (resumably) and package the {preset} preset.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--data-dir", type=Path, default=repo.parent / "shared" / "data")
    parser.add_argument("--run-dir", type=Path, default=repo / "runs" / preset)
    parser.add_argument("--epochs", type=int, default=None, help="total epochs to reach")
    parser.add_argument("--minutes", type=float, default=None, help="wall-clock budget")
    parser.add_argument("--config", default="small", help=config_help)
    parser.add_argument("--seed", type=int, default=0)
    add_compile_arguments(parser, autotune=True)
    parser.add_argument("--no-train", action="store_true", help="package an existing run only")
    parser.add_argument(
        "--package",
        type=Path,
        nargs="?",
        const=preset_dir,
        default=None,
        help=f"write the preset folder (default {preset_dir.relative_to(repo)}) and measure it",
    )
    return parser.parse_args(argv)


def run_recipe(args, train: Callable, package: Callable) -> dict:
    """Trains (or, with ``--no-train``, reads the run), packages when asked, prints JSON."""
    if args.no_train:
        from keras_stackgan.pretrained.training import run_summary

        summary = run_summary(args.run_dir)
    else:
        summary = train(args)
    result = {"run": summary}
    if args.package is not None:
        result["measured"] = package(args, summary)
    print(json.dumps(result, indent=2, default=str))
    return result
