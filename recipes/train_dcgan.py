"""Trains DCGAN (Radford et al. 2016) on Oxford-102 flowers (64 px) or MNIST (28 px), resumable;
``--package`` ships the generator as a preset (``dcgan-flowers``: ``saved_models/dcgan_flowers``).

Data, read directly from ``--data-dir`` (the folder holding ``flowers/`` and ``mnist/``):

- ``flowers``: the 6,552 training images of Oxford-102 at 64x64
  (``load_labelled_oxford102(root, "train", image_size=64)``, labels unused), random
  horizontal flips;
- ``mnist``: the official IDX training digits (22,699 in ``../shared/data``) at 28x28, one
  channel, no flips (the 7x7-base DCGAN variant).

The run is resumable (``train_zoo_model``): ``--epochs`` is the total to reach, and running the
same command again continues after a kill or a ``--minutes`` stop; a finished run trains
nothing. Training goes through the shared lock::

    nohup flock /tmp/keras_stackgan_train.lock python recipes/train_dcgan.py --dataset flowers \\
        --minutes 18 > runs/dcgan-flowers.log 2>&1 &

``--package`` (after training, or alone on a finished run: pass the epochs it reached) writes
``saved_models/<name>/``: ``config.json`` + ``generator.weights.h5`` (``write_generator_preset``,
read by ``keras_stackgan.load_pretrained``), ``samples.png`` (64 images of seed 0),
``interpolation.png`` (spherical interpolations), ``evaluation.json`` and the model card
``README.md``. For flowers the card carries proxy-IS and proxy-FID of ``--num-eval`` samples
measured with the flowers proxy evaluator against the same real-image statistics as
``docs/evaluation.md`` (proxy-FID to the preset's training images, real test images as the
reference).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

REPO = Path(__file__).resolve().parent.parent
DATASETS = {
    # image_size, channels, flip
    "flowers": (64, 3, True),
    "mnist": (28, 1, False),
}


def parse_args(argv=None) -> argparse.Namespace:
    from keras_stackgan.models.compile_mode import add_compile_arguments

    parser = argparse.ArgumentParser(
        description="Train DCGAN on flowers or MNIST (resumable); --package ships a preset.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--dataset", choices=sorted(DATASETS), default="flowers")
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--run-dir", type=Path, default=None, help="default runs/dcgan-<dataset>")
    parser.add_argument("--config", choices=["small", "paper"], default="small")
    parser.add_argument("--epochs", type=int, default=None, help="total epochs (config's)")
    parser.add_argument("--minutes", type=float, default=None, help="wall-clock budget")
    parser.add_argument("--batch-size", type=int, default=None, help="overrides the config's")
    parser.add_argument("--seed", type=int, default=0)
    add_compile_arguments(parser, autotune=True)
    parser.add_argument(
        "--package",
        nargs="?",
        const="",
        default=None,
        help="write saved_models/<name> (default name dcgan_<dataset>)",
    )
    parser.add_argument("--num-eval", type=int, default=1000, help="images for proxy IS/FID")
    return parser.parse_args(argv)


def load_training_images(dataset: str, data_dir: Path):
    """uint8 training images ``[n, S, S, C]`` and their labels (unused by DCGAN)."""
    if dataset == "flowers":
        from keras_stackgan.data import load_labelled_oxford102

        images, labels, _ = load_labelled_oxford102(data_dir / "flowers", "train", image_size=64)
        return images, labels
    from keras_stackgan.data import read_mnist

    images, labels = read_mnist(data_dir / "mnist", "train")
    return images[..., None], labels


def _command(argv=None) -> str:
    return "python recipes/train_dcgan.py " + shlex.join(sys.argv[1:] if argv is None else argv)


def main(argv=None) -> dict:
    args = parse_args(argv)

    from keras_stackgan.data import make_labelled_dataset
    from keras_stackgan.data.pipeline import steps_per_epoch
    from keras_stackgan.models.autotune import recipe_trainer
    from keras_stackgan.models.dcgan import DCGAN, dcgan_config
    from keras_stackgan.pretrained.zoo_training import train_zoo_model

    image_size, channels, flip = DATASETS[args.dataset]
    config = dcgan_config(args.config, image_size=image_size, channels=channels, flip=flip)
    if args.batch_size:
        config = config.replace(batch_size=args.batch_size)
    epochs = config.epochs if args.epochs is None else args.epochs
    run_dir = args.run_dir or REPO / "runs" / f"dcgan-{args.dataset}"
    images, labels = load_training_images(args.dataset, args.data_dir)

    def make_data(initial_epoch: int):
        return make_labelled_dataset(
            images,
            labels,
            batch_size=config.batch_size,
            flip=config.flip,
            seed=args.seed,
            repeat=True,
            initial_epoch=initial_epoch,
            source=args.data_dir / args.dataset,
        )

    def build(jit_compile):
        gan = DCGAN.from_dcgan_config(config, seed=args.seed)
        gan.compile(*DCGAN.config_optimizers(config), jit_compile=jit_compile)
        return gan

    gan, mode = recipe_trainer(build, make_data, args, run_dir)
    summary = {
        "family": "dcgan",
        "model": "dcgan",
        "dataset": args.dataset,
        "config": config.to_dict(),
        "config_name": args.config,
        "seed": args.seed,
        **mode.summary(),
        "train_records": int(len(images)),
        # The call that trains (kept in run.json: a later call with nothing left to train,
        # e.g. packaging, does not rewrite it).
        "command": _command(argv),
    }
    steps = steps_per_epoch(len(images), config.batch_size)
    summary = train_zoo_model(
        gan,
        make_data,
        run_dir,
        steps_per_epoch=steps,
        epochs=epochs,
        summary=summary,
        minutes=args.minutes,
    )
    done = summary["epochs_done"]
    seconds = summary["train_seconds_total"]
    summary["steps_per_epoch"] = steps
    summary["images_per_second"] = round(done * steps * config.batch_size / max(seconds, 1e-9), 1)
    print(json.dumps(summary, indent=2), flush=True)
    if args.package is not None:
        package(args, gan, run_dir, summary)
    return summary


def evaluate_flowers(pipeline, data_dir: Path, num_images: int, seed: int = 0) -> dict:
    """Proxy-IS and proxy-FID of ``num_images`` samples (seed ``seed``), measured like
    ``keras_stackgan.evaluation.evaluate_preset`` measures the flowers presets: the flowers
    proxy evaluator, FID to the preset's training images, the real test images as reference."""
    from keras_stackgan.data import load_images
    from keras_stackgan.metrics import ProxyEvaluator
    from keras_stackgan.pretrained.datasets import preset_records

    began = time.monotonic()
    generated = pipeline.generate(num_images, seed=seed)
    evaluator = ProxyEvaluator.from_pretrained("flowers")
    real_test = load_images(preset_records("flowers", data_dir, "test"), 64)
    train_stats = evaluator.statistics(load_images(preset_records("flowers", data_dir), 64))
    fake_is = evaluator.proxy_inception_score(generated)
    real_is = evaluator.proxy_inception_score(real_test)
    return {
        "num_images": num_images,
        "seed": seed,
        "proxy_is": {"generated": list(fake_is), "real_test": list(real_is)},
        "proxy_fid": {
            "generated": evaluator.proxy_fid(train_stats, generated),
            "real_test": evaluator.proxy_fid(train_stats, real_test),
        },
        "num_real_test": int(len(real_test)),
        "seconds": round(time.monotonic() - began, 1),
    }


def package(args, gan, run_dir: Path, summary: dict) -> Path:
    """Writes the preset folder from the run's last finished epoch."""
    from keras_stackgan.assets import saved_model_path
    from keras_stackgan.pretrained.generator_pipeline import GeneratorPipeline
    from keras_stackgan.pretrained.package import write_generator_preset
    from keras_stackgan.pretrained.zoo_training import GENERATOR_FILE
    from keras_stackgan.visual import interpolation_sheet, save_grid

    name = args.package or f"dcgan_{args.dataset}"
    output = saved_model_path(name)
    generator = gan.generator
    generator.load_weights(str(Path(run_dir) / GENERATOR_FILE))  # the last finished epoch
    preset = name.replace("_", "-")
    pipeline = GeneratorPipeline(generator, name=preset)
    evaluation = None
    if args.dataset == "flowers":
        evaluation = evaluate_flowers(pipeline, args.data_dir, args.num_eval)
        print(json.dumps(evaluation, indent=2), flush=True)
    training = {
        **summary,
        "package_command": _command(),
        "generator_parameters": int(generator.count_params()),
        "evaluation": evaluation,
    }
    write_generator_preset(
        output, family="dcgan", dataset=args.dataset, generator=generator, training=training
    )
    save_grid(output / "samples.png", pipeline.generate(64, seed=0), 8)
    interpolation_sheet(pipeline, rows=6, steps=8, seed=0).save(output / "interpolation.png")
    if evaluation is not None:
        (output / "evaluation.json").write_text(json.dumps(evaluation, indent=2) + "\n")
    write_model_card(output, preset, training)
    print(f"wrote {output}", flush=True)
    return output


def write_model_card(output: Path, preset: str, t: dict) -> None:
    c = t["config"]
    size, channels = c["image_size"], c["channels"]
    data = (
        f"Oxford-102 flowers, the {t['train_records']:,} training images at 64x64 "
        "(`../shared/data/flowers`, labels unused), random horizontal flips"
        if t["dataset"] == "flowers"
        else f"the first {t['train_records']:,} official MNIST training digits at 28x28"
    )
    minutes = t["train_seconds_total"] / 60
    lines = [
        f"# `{preset}`",
        "",
        f"DCGAN (Radford et al. 2016) at {size}x{size}x{channels}, config `{t['config_name']}`: "
        f"a {c['noise_dim']}-d `z ~ N(0, I)` projected to 4x4x{8 * c['gf_dim']}, "
        f"fractionally-strided {c['kernel_size']}x{c['kernel_size']} convolutions with batch "
        "normalisation and ReLU, a `tanh` output; a discriminator of strided convolutions "
        f"(widths {c['df_dim']}..{8 * c['df_dim']}), batch normalisation after the first "
        "layer, LeakyReLU(0.2), one logit. "
        f"Adam({c['learning_rate']}, beta_1={c['beta_1']}) for both players, batch "
        f"{c['batch_size']}, the non-saturating generator loss.",
        "",
        "![samples](samples.png)",
        "",
        "`samples.png`: 64 images of seed 0 "
        f'(`keras_stackgan.load_pretrained("{preset}").generate(64, seed=0)`).',
        "",
        "## Training",
        "",
        f"- Data: {data}.",
        f"- {t['epochs_done']} epochs of {t['steps_per_epoch']} steps "
        f"({t['epochs_done'] * t['steps_per_epoch']:,} updates of each player) in "
        f"{minutes:.1f} min of training, {t['images_per_second']} training images/s "
        f"({t['hardware']}, shared with other jobs: an upper bound on what the run needs "
        "alone); seed "
        f"{t['seed']}; generator parameters {t['generator_parameters']:,}.",
        f"- Trained by (resumable: the same command continues a stopped run): `{t['command']}`",
        f"- Packaged and measured by: `{t['package_command']}`",
        "",
    ]
    e = t.get("evaluation")
    if e:
        fake_is, real_is = e["proxy_is"]["generated"], e["proxy_is"]["real_test"]
        lines += [
            "## Evaluation",
            "",
            "Proxy metrics use the small flowers classifier trained on our real data "
            "(`saved_models/evaluators/flowers`): they compare our models with each other and "
            "with real images, **never** with the Inception Score / FID numbers of papers. "
            "Same evaluator and real-image statistics as the flowers rows of "
            "`docs/evaluation.md` (1,000 images there): proxy-FID to the training images; the "
            f"real column measures the {e['num_real_test']} real test images the same way.",
            "",
            "| metric | generated | real held-out images |",
            "| --- | --- | --- |",
            f"| proxy-IS (flowers classifier) | {fake_is[0]:.2f} ± {fake_is[1]:.2f} | "
            f"{real_is[0]:.2f} ± {real_is[1]:.2f} |",
            f"| proxy-FID to the training images | {e['proxy_fid']['generated']:.2f} | "
            f"{e['proxy_fid']['real_test']:.2f} |",
            "",
            f"{e['num_images']:,} generated images of seed {e['seed']}, measured in "
            f"{e['seconds']:.0f} s by the packaging command above (`evaluate_flowers` in "
            "`recipes/train_dcgan.py`).",
            "",
        ]
    lines += [
        "## Latent space",
        "",
        "![interpolation](interpolation.png)",
        "",
        "`interpolation.png`: each row walks the great circle between two `z` of seed 0 "
        "(`keras_stackgan.visual.interpolation_sheet(pipeline, rows=6, steps=8, seed=0)`).",
        "",
        "## Known limits",
        "",
        "- Trained for a CPU budget: far fewer updates and narrower networks than the paper's "
        "(25 epochs of 350k faces or 3M LSUN bedrooms at `gf_dim=128`); expect flower-like "
        "colours and shapes, not photographs.",
        "- Unconditional: the flower class cannot be chosen.",
        "- Weights are float32 `.weights.h5`; the Oxford-102 licence (non-commercial research "
        "use) applies.",
        "",
    ]
    (output / "README.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
