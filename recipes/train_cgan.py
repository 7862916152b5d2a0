"""Trains the ``cgan-mnist`` preset (resumable): a conditional-batch-norm generator against a
projection discriminator on the shared MNIST training digits, then packages and measures it::

    python recipes/train_cgan.py --data-dir ../shared/data --epochs 30 --minutes 9 --package
    python recipes/train_cgan.py --no-train --package   # re-package and re-measure a run

The run directory (default ``runs/cgan-mnist``) has the layout of ``train_zoo_model``
(``backup/``, ``generator.weights.h5``, ``history.csv``, ``samples/epoch_NNNN.png`` with one
column per digit, ``run.json``); running the same command again resumes after the last finished
epoch. ``--package`` writes ``saved_models/cgan_mnist/`` (config, weights, ``samples.png``, a
model card ``README.md``) and measures the label accuracy of 10,000 generated digits (1,000 per
class) with the shipped ``DigitClassifier``, on the files it has just written.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

REPO = Path(__file__).resolve().parent.parent
PRESET_DIR = REPO / "saved_models" / "cgan_mnist"
EVALUATION_IMAGES = 10_000


def train(args: argparse.Namespace) -> dict:
    """Trains (or resumes) the run; returns its summary (``run_summary``)."""
    import keras
    import numpy as np

    from keras_stackgan.callbacks import GeneratorSamples
    from keras_stackgan.models.autotune import recipe_trainer
    from keras_stackgan.models.cgan import ConditionalGAN, cgan_config
    from keras_stackgan.pretrained.mnist_zoo import command_line, mnist_training_stream
    from keras_stackgan.pretrained.zoo_training import train_zoo_model

    config = cgan_config(args.config)
    num_images, make_data = mnist_training_stream(args.data_dir, config.batch_size, args.seed)

    def build(jit_compile):
        gan = ConditionalGAN.from_cgan_config(config, seed=args.seed)
        gan.compile(
            keras.optimizers.Adam(config.learning_rate, config.beta_1, config.beta_2),
            keras.optimizers.Adam(config.learning_rate, config.beta_1, config.beta_2),
            jit_compile=jit_compile,
        )
        return gan

    gan, mode = recipe_trainer(build, make_data, args, args.run_dir)
    summary = {
        "model": "cgan",
        "dataset": "mnist",
        "config": config.to_dict(),
        "seed": args.seed,
        **mode.summary(),
        "train_records": num_images,
        "command": command_line(),
    }
    samples = GeneratorSamples(
        args.run_dir / "samples",
        num_images=100,
        columns=10,
        labels=np.repeat(np.arange(10), 10),
        seed=0,
    )
    return train_zoo_model(
        gan,
        make_data,
        args.run_dir,
        steps_per_epoch=num_images // config.batch_size,
        epochs=args.epochs or config.epochs,
        summary=summary,
        minutes=args.minutes,
        samples=samples,
    )


def measure(pipeline, seed: int = 0) -> dict:
    """Label accuracy of ``EVALUATION_IMAGES`` digits (as many of each class) under the shipped
    ``DigitClassifier``, overall and per class."""
    import numpy as np

    from keras_stackgan.metrics import DigitClassifier, label_accuracy

    classifier = DigitClassifier.from_pretrained()
    labels = np.arange(EVALUATION_IMAGES) % 10
    images = pipeline.generate(labels=labels, seed=seed, batch_size=500)
    predicted = classifier.predict_labels(images)
    return {
        "label_accuracy": label_accuracy(classifier, images, labels),
        "per_class": [float(np.mean(predicted[labels == k] == k)) for k in range(10)],
        "images": EVALUATION_IMAGES,
        "seed": seed,
    }


def package(args: argparse.Namespace, summary: dict) -> dict:
    """Writes the preset folder, measures the shipped generator and writes the model card."""
    from keras_stackgan.models.cgan import ConditionalGAN, cgan_config
    from keras_stackgan.pretrained.mnist_zoo import (
        DIGITS,
        command_line,
        digit_sheet,
        images_per_second,
        package_generator,
    )

    config = cgan_config(summary["config"])
    generator = ConditionalGAN.from_cgan_config(config).generator
    generator.load_weights(str(args.run_dir / "generator.weights.h5"))
    steps = summary["train_records"] // config.batch_size
    training = {
        "epochs": summary["epochs_done"],
        "steps_per_epoch": steps,
        "batch_size": config.batch_size,
        "train_seconds": summary["train_seconds_total"],
        "images_per_second": round(images_per_second(summary, steps, config.batch_size), 1),
        "train_records": summary["train_records"],
        "hardware": summary.get("hardware"),
        "config": summary["config"],
        "command": summary.get("command"),
    }
    pipeline = package_generator(args.package, "cgan", generator, training, DIGITS)
    started = time.monotonic()
    measured = measure(pipeline)
    measured["seconds"] = round(time.monotonic() - started, 1)
    measured["command"] = command_line()
    digit_sheet(pipeline).save(args.package / "samples.png")
    (args.package / "evaluation.json").write_text(json.dumps(measured, indent=2) + "\n")
    write_model_card(args.package, training, measured, generator.count_params())
    return measured


def write_model_card(directory: Path, training: dict, measured: dict, parameters: int) -> None:
    c = training["config"]
    per_class = " | ".join(f"{a:.3f}" for a in measured["per_class"])
    lines = [
        "# Model card: `cgan-mnist`",
        "",
        "A class-conditional GAN (Mirza & Osindero 2014) on MNIST: ask for a digit, get one.",
        "",
        "```python",
        "import keras_stackgan",
        "",
        'cgan = keras_stackgan.load_pretrained("cgan-mnist")',
        'digits = cgan.generate(labels=[0, 1, 2, "7"], seed=0)  # uint8 [4, 28, 28, 1]',
        "```",
        "",
        "![one column per digit, seed 0](samples.png)",
        "",
        "## Networks",
        f"- Generator `CBNGenerator` (gf_dim {c['gf_dim']}, {parameters:,} parameters): "
        f"z ({c['noise_dim']}-d, N(0, I)) -> Dense 7x7x{4 * c['gf_dim']} -> "
        f"deconv {2 * c['gf_dim']} (14 px) -> deconv {c['gf_dim']} (28 px) -> 3x3 conv -> tanh; "
        "every normalisation is a `ConditionalBatchNormalization` (batch statistics, then a "
        "per-digit gamma and beta): the label enters only there.",
        f"- Discriminator `ProjectionDiscriminator` (df_dim {c['df_dim']}, feature_dim "
        f"{c['feature_dim']}): logit = psi(phi(x)) + <embed(y), phi(x)> (Miyato & Koyama 2018).",
        "- Fakes are generated for the real batch's own labels; losses BCE (non-saturating G).",
        "",
        "## Training",
        f"- Data: the {training['train_records']:,} training digits of `../shared/data/mnist` "
        "(the first 22,699 official ones), batch "
        f"{training['batch_size']}, Adam({c['learning_rate']}, beta_1 {c['beta_1']}) for both.",
        f"- {training['epochs']} epochs ({training['steps_per_epoch']} steps each) in "
        f"{training['train_seconds']:.0f} s of training, "
        f"{training['images_per_second']:.0f} images/s, on {training['hardware']} "
        "(shared with other jobs).",
        "- Command:",
        "",
        "```bash",
        str(training["command"]),
        "```",
        "",
        "## Measured",
        f"Label accuracy of {measured['images']:,} generated digits ({measured['images'] // 10:,}"
        " per class, seed 0) read by the shipped `DigitClassifier` "
        "(`saved_models/evaluators/mnist`, 0.9923 on the real test digits): "
        f"**{measured['label_accuracy']:.4f}**.",
        "",
        "| 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        f"| {per_class} |",
        "",
        f"Measured ({measured['seconds']:.0f} s) by:",
        "",
        "```bash",
        measured["command"],
        "```",
        "",
    ]
    (directory / "README.md").write_text("\n".join(lines), encoding="utf-8")


def parse_args(argv=None):
    from keras_stackgan.pretrained.mnist_zoo import recipe_arguments

    return recipe_arguments("cgan-mnist", REPO, PRESET_DIR, '"small" (CPU), "cbn" or "paper"', argv)


def main(argv=None) -> dict:
    from keras_stackgan.pretrained.mnist_zoo import run_recipe

    return run_recipe(parse_args(argv), train, package)


if __name__ == "__main__":
    main()
