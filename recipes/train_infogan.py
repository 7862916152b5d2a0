"""Trains the ``infogan-mnist`` preset (resumable): InfoGAN (Chen et al. 2016) on the shared MNIST
training digits, without their labels, then packages and measures it::

    python recipes/train_infogan.py --data-dir ../shared/data --epochs 40 --minutes 9 --package
    python recipes/train_infogan.py --no-train --package   # re-package and re-measure a run

The run directory (default ``runs/infogan-mnist``) has the layout of ``train_zoo_model``;
running the same command again resumes after the last finished epoch. ``--package`` writes
``saved_models/infogan_mnist/``: config, weights, ``samples.png`` (one column per categorical
code value), ``sweep_c2.png`` and ``sweep_c3.png`` (the paper's Figure 2 layout: rows are the
categorical code's values, columns one continuous code from -1 to 1) and the model card, and
measures the categorical code's accuracy as a digit label under the best code-to-digit
matching, on 10,000 digits (1,000 per code value) generated from the files it has just written.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

REPO = Path(__file__).resolve().parent.parent
PRESET_DIR = REPO / "saved_models" / "infogan_mnist"
EVALUATION_IMAGES = 10_000


def train(args: argparse.Namespace) -> dict:
    """Trains (or resumes) the run; returns its summary (``run_summary``)."""
    import numpy as np

    from keras_stackgan.callbacks import GeneratorSamples
    from keras_stackgan.models.autotune import recipe_trainer
    from keras_stackgan.models.infogan import InfoGAN, infogan_config, infogan_optimizers
    from keras_stackgan.pretrained.mnist_zoo import command_line, mnist_training_stream
    from keras_stackgan.pretrained.zoo_training import train_zoo_model

    config = infogan_config(args.config)
    num_images, make_data = mnist_training_stream(args.data_dir, config.batch_size, args.seed)

    def build(jit_compile):
        gan = InfoGAN.from_infogan_config(config, seed=args.seed)
        gan.compile(
            *infogan_optimizers(config),
            categorical_weight=config.categorical_weight,
            continuous_weight=config.continuous_weight,
            jit_compile=jit_compile,
        )
        return gan

    gan, mode = recipe_trainer(build, make_data, args, args.run_dir)
    summary = {
        "model": "infogan",
        "dataset": "mnist",
        "config": config.to_dict(),
        "seed": args.seed,
        **mode.summary(),
        "train_records": num_images,
        "command": command_line(),
    }
    # One column per categorical value; continuous codes drawn from the sheet's seed.
    samples = GeneratorSamples(
        args.run_dir / "samples",
        num_images=10 * config.num_classes,
        columns=config.num_classes,
        labels=np.repeat(np.arange(config.num_classes), 10),
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
    """Categorical-code accuracy of ``EVALUATION_IMAGES`` digits (as many per code value;
    continuous codes from U(-1, 1)) under the best one-to-one code-to-digit matching."""
    import numpy as np

    from keras_stackgan.metrics import DigitClassifier, categorical_code_accuracy

    classifier = DigitClassifier.from_pretrained()
    codes = np.arange(EVALUATION_IMAGES) % pipeline.num_classes
    images = pipeline.generate(labels=codes, seed=seed, batch_size=500)
    accuracy, mapping = categorical_code_accuracy(classifier, images, codes)
    predicted = classifier.predict_labels(images)
    per_code = [float(np.mean(predicted[codes == k] == mapping.get(k, -1))) for k in range(10)]
    # The same with both continuous codes at 0, the centre of their prior.
    centred = pipeline.generate(labels=codes, codes=[[0.0] * pipeline.code_dim], seed=seed)
    centred_accuracy, centred_mapping = categorical_code_accuracy(classifier, centred, codes)
    return {
        "categorical_code_accuracy": accuracy,
        "mapping": {str(k): v for k, v in sorted(mapping.items())},
        "per_code": per_code,
        "centred_codes_accuracy": centred_accuracy,
        "centred_codes_mapping": {str(k): v for k, v in sorted(centred_mapping.items())},
        "images": EVALUATION_IMAGES,
        "seed": seed,
    }


def package(args: argparse.Namespace, summary: dict) -> dict:
    """Writes the preset folder, measures the shipped generator and writes the model card."""
    from keras_stackgan.models.infogan import InfoGAN, infogan_config
    from keras_stackgan.pretrained.mnist_zoo import (
        command_line,
        digit_sheet,
        images_per_second,
        package_generator,
    )
    from keras_stackgan.visual.code_sweep import code_sweep_sheet

    config = infogan_config(summary["config"])
    generator = InfoGAN.from_infogan_config(config).generator
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
    pipeline = package_generator(args.package, "infogan", generator, training)
    started = time.monotonic()
    measured = measure(pipeline)
    measured["seconds"] = round(time.monotonic() - started, 1)
    measured["command"] = command_line()
    digit_sheet(pipeline).save(args.package / "samples.png")
    for index in range(config.code_dim):
        code_sweep_sheet(pipeline, index, steps=10, seed=0).save(
            args.package / f"sweep_c{index + 2}.png"
        )
    (args.package / "evaluation.json").write_text(json.dumps(measured, indent=2) + "\n")
    write_model_card(args.package, training, measured, generator.count_params())
    return measured


def write_model_card(directory: Path, training: dict, measured: dict, parameters: int) -> None:
    c = training["config"]
    per_code = " | ".join(f"{a:.3f}" for a in measured["per_code"])
    mapping = " | ".join(str(measured["mapping"].get(str(k), "-")) for k in range(10))
    sweeps = [f"sweep_c{i + 2}.png" for i in range(c["code_dim"])]
    lines = [
        "# Model card: `infogan-mnist`",
        "",
        "InfoGAN (Chen et al. 2016) trained on MNIST digits without their labels: a 10-way "
        "categorical code `c1` and 2 continuous codes `c2`, `c3` in [-1, 1] that the training "
        "made recoverable from the images (mutual-information term, lambda "
        f"{c['categorical_weight']} / {c['continuous_weight']}).",
        "",
        "```python",
        "import keras_stackgan",
        "",
        'infogan = keras_stackgan.load_pretrained("infogan-mnist")',
        "sweep = [[v, 0.0] for v in (-1.0, -0.5, 0.0, 0.5, 1.0)]",
        "images = infogan.generate(labels=[3] * 5, codes=sweep, seed=0)  # uint8 [5, 28, 28, 1]",
        "```",
        "",
        "`labels` is the categorical code (its values are not digit names: see the matching "
        "below), `codes` the continuous codes.",
        "",
        "![one column per categorical code value, seed 0](samples.png)",
        "",
        "Sweeps (rows: `c1` = 0..9, one `z` per row; columns: one continuous code from -1 to 1, "
        "the other at 0; the paper's Figure 2 layout):",
        "",
        *[f"- `{name[6:8]}`: ![{name}]({name})" for name in sweeps],
        "",
        "## Networks",
        f"- Generator `InfoGANGenerator` ({parameters:,} parameters): [z ({c['noise_dim']}-d, "
        f"N(0, I)), one_hot(c1), c2, c3] -> FC {c['hidden_dim']} -> FC 7x7x{2 * c['gf_dim']} -> "
        f"deconv {c['gf_dim']} -> deconv 1 -> tanh, BN + ReLU (Appendix C.1 at "
        f"{'the paper' if c['hidden_dim'] == 1024 else 'reduced'} widths).",
        f"- `InfoGANDiscriminator`: conv {c['df_dim']} - conv {2 * c['df_dim']} (BN) - FC "
        f"{c['d_hidden_dim']} ({'BN' if c['fc_batch_norm'] else 'no BN'}), leaky ReLU "
        f"{c['negative_slope']}; D head FC 1, Q head FC {c['q_hidden_dim']} - FC 10 + 2 "
        "(categorical logits, continuous means; sigma fixed to 1 as in the official code).",
        "",
        "## Training",
        f"- Data: the {training['train_records']:,} training digits of `../shared/data/mnist` "
        f"(labels unused), batch {training['batch_size']}; Adam beta_1 {c['beta_1']}, "
        f"G lr {c['g_learning_rate']}, D/Q lr {c['d_learning_rate']}.",
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
        f"Categorical-code accuracy of {measured['images']:,} generated digits "
        f"({measured['images'] // 10:,} per code value, continuous codes from U(-1, 1), seed 0) "
        "read by the shipped `DigitClassifier` (0.9923 on the real test digits), under the best "
        "one-to-one code-to-digit matching: "
        f"**{measured['categorical_code_accuracy']:.4f}** (the paper reports about 0.95; "
        f"{measured['centred_codes_accuracy']:.4f} with c2 = c3 = 0).",
        "",
        "| code | 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        f"| matched digit | {mapping} |",
        f"| accuracy | {per_code} |",
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

    return recipe_arguments("infogan-mnist", REPO, PRESET_DIR, '"small" (CPU) or "paper"', argv)


def main(argv=None) -> dict:
    from keras_stackgan.pretrained.mnist_zoo import run_recipe

    return run_recipe(parse_args(argv), train, package)


if __name__ == "__main__":
    main()
