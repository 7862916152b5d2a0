"""Trains the ``pix2pix-edges2flowers`` preset and its L1-only U-Net baseline (resumable).

Edges -> flowers at 64 px: the inputs are ``sobel_edge_maps`` of Oxford-102's own splits
(``keras_stackgan.data.derived_pairs``), the targets the photographs. Two runs with the same
generator, data and seed, each through ``train_zoo_model`` (kill-safe backups, NaN stop,
epoch-keyed data order):

- ``<run_dir>/pix2pix``: the cGAN + 100 L1 objective (``Pix2Pix``, ``lambda_gan = 1``);
- ``<run_dir>/l1``: the L1-only U-Net baseline (``lambda_gan = 0``; D neither run nor updated).

Then both are measured on the held-out test pairs: L1 to the target (images in [-1, 1]) and
proxy-FID of the outputs (``ProxyEvaluator.from_pretrained("flowers")``, to the training
images' statistics, as ``docs/evaluation.md``), with a side-by-side sheet (input | L1 |
pix2pix | target). ``--package`` writes ``saved_models/pix2pix_edges2flowers`` (weights,
config, sheets, model card)::

    python recipes/train_pix2pix.py --data-dir ../shared/data --minutes 10 --baseline-minutes 5
    python recipes/train_pix2pix.py --data-dir ../shared/data --package   # evaluate + package

Running the same command again resumes each run after its last finished epoch (``--epochs``
is the total to reach); a finished run trains nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

REPO = Path(__file__).resolve().parent.parent
PRESET = "pix2pix-edges2flowers"
PRESET_DIR = "pix2pix_edges2flowers"
RUNS = {"pix2pix": 1.0, "l1": 0.0}  # run name -> lambda_gan
SAMPLE_PAIRS = 8


def load_pairs(data_dir, split: str, image_size: int):
    from keras_stackgan.data.derived_pairs import load_edges2flowers

    return load_edges2flowers(Path(data_dir) / "flowers", split, image_size=image_size)


def train_run(
    name: str,
    train,
    samples,
    run_dir: Path,
    *,
    config,
    epochs: int,
    minutes: float | None,
    seed: int,
    precision: str = "auto",
    jit_compile: bool | str = "auto",
    autotune: bool = True,
) -> dict:
    """Trains (or resumes) one of the two runs; returns its ``run.json`` summary."""

    from keras_stackgan.data.paired import make_paired_dataset
    from keras_stackgan.models.autotune import tuned_trainer
    from keras_stackgan.models.pix2pix import Pix2Pix, TranslationSamples
    from keras_stackgan.pretrained.zoo_training import train_zoo_model

    steps = len(train.inputs) // config.batch_size

    def make_data(initial_epoch: int):
        return make_paired_dataset(
            train.inputs,
            train.targets,
            batch_size=config.batch_size,
            load_size=config.load_size,
            flip=config.flip,
            seed=seed,
            repeat=True,
            initial_epoch=initial_epoch,
        )

    def build(jit_compile):
        gan = Pix2Pix.from_pix2pix_config(config, seed=seed)
        gan.compile(lambda_l1=config.lambda_l1, lambda_gan=RUNS[name], jit_compile=jit_compile)
        return gan

    # The same initial weights for the same seed, whichever mode the timing picks.
    gan, mode = tuned_trainer(
        build,
        make_data,
        seed=seed,
        precision=precision,
        jit_compile=jit_compile,
        autotune_modes=autotune,
        run_dir=run_dir / name,
    )
    summary = {
        "family": "pix2pix",
        "objective": "cGAN + 100 L1" if RUNS[name] else "L1 only (U-Net baseline)",
        "dataset": "flowers (edges -> photo, sobel_edge_maps)",
        "train_pairs": len(train.inputs),
        "config": config.to_dict(),
        "lambda_gan": RUNS[name],
        "seed": seed,
        **mode.summary(),
    }
    return train_zoo_model(
        gan,
        make_data,
        run_dir / name,
        steps_per_epoch=steps,
        epochs=epochs,
        summary=summary,
        minutes=minutes,
        samples=TranslationSamples(run_dir / name / "samples", samples.inputs, samples.targets),
    )


def load_generator(run_dir: Path, config):
    from keras_stackgan.models.pix2pix import Pix2Pix
    from keras_stackgan.pretrained.zoo_training import GENERATOR_FILE

    generator = Pix2Pix.from_pix2pix_config(config).generator
    generator.load_weights(str(run_dir / GENERATOR_FILE))
    return generator


def evaluate(pipelines: dict, test, train, seed: int = 0) -> dict:
    """L1 to the targets and proxy-FID of each pipeline's test translations (and real)."""
    import numpy as np

    from keras_stackgan.metrics import ProxyEvaluator

    proxy = ProxyEvaluator.from_pretrained("flowers")
    start = time.time()
    train_stats = proxy.statistics(train.targets)
    targets = test.targets.astype("float32") / 127.5 - 1.0
    results = {"real test images": {"proxy_fid": proxy.proxy_fid(train_stats, test.targets)}}
    outputs = {}
    for name, pipeline in pipelines.items():
        out = pipeline.translate(test.inputs, seed=seed, batch_size=64)
        outputs[name] = out
        l1 = float(np.mean(np.abs(out.astype("float32") / 127.5 - 1.0 - targets)))
        results[name] = {"l1": l1, "proxy_fid": proxy.proxy_fid(train_stats, out)}
    results["seconds"] = round(time.time() - start, 1)
    results["test_pairs"] = len(test.inputs)
    return results, outputs


def comparison_sheet(test, outputs: dict, indices, path: Path):
    """input | L1 | pix2pix | target, one row per test pair."""
    import numpy as np

    from keras_stackgan.visual.grid import image_grid

    columns = [test.inputs[indices], outputs["l1"][indices], outputs["pix2pix"][indices]]
    columns.append(test.targets[indices])
    sheet = image_grid(
        np.concatenate(columns), 4, captions=["input edges", "L1 only", "pix2pix", "target"]
    )
    sheet.save(path)
    return path


def model_card(summaries: dict, results: dict, config, commands: list[str]) -> str:
    def speed(summary):
        images = summary["epochs_done"] * (summary["train_pairs"] // config.batch_size)
        images *= config.batch_size
        return images / max(summary["train_seconds_total"], 1e-9)

    rows = []
    for name, label in (("pix2pix", "pix2pix (cGAN + 100 L1)"), ("l1", "L1 only (U-Net)")):
        s, r = summaries[name], results[name]
        rows.append(
            f"| {label} | {s['epochs_done']} | {s['train_seconds_total'] / 60:.1f} min | "
            f"{speed(s):.0f} | {r['l1']:.4f} | {r['proxy_fid']:.2f} |"
        )
    real = results["real test images"]["proxy_fid"]
    return f"""# pix2pix-edges2flowers

pix2pix (Isola et al. 2017) at 64 px: Sobel edge maps of Oxford-102 flowers -> the flowers.
`keras_stackgan.load_pretrained("{PRESET}").translate(images, seed=0)` (uint8 in, any size,
uint8 64x64 out); `keras-stackgan translate edges.png -o flower.png --preset {PRESET}`.

- Generator: `UNetGenerator` (config "{config_name(config)}": gf_dim {config.gf_dim}, widths up
  to {config.max_multiplier * config.gf_dim}, 6 levels to 1x1, batch norm, dropout
  {config.dropout_rate} in the 3 deepest decoder blocks, kept at inference; masks from the seed).
- Discriminator (training only, not shipped): `PatchGANDiscriminator`, {config.d_layers}
  strided layers, receptive field {receptive_field(config)}x{receptive_field(config)} px.
- Objective: cGAN + {config.lambda_l1:g} L1, Adam(2e-4, beta_1 0.5), batch {config.batch_size},
  jitter 64 -> {config.load_size} -> 64 and mirroring; the baseline is the same U-Net with
  lambda_gan = 0.
- Data: inputs `keras_stackgan.data.derived_pairs.sobel_edge_maps` (tf.image.sobel_edges on
  the luma, magnitude / its 98th percentile >= 0.5 -> black on white); training on the
  {summaries["pix2pix"]["train_pairs"]} `train` images of `labels.csv`, measured on the
  {results["test_pairs"]} `test` images.

## Training and held-out numbers

Trained on {summaries["pix2pix"]["hardware"]}, shared with other jobs (img/s is the measured
training throughput: epochs x steps x batch / summed epoch times), by these commands
(UTC, each resuming the runs where the previous one stopped):

```
{chr(10).join(commands)}
```

| model | epochs | wall time | img/s | L1 to target (test) | proxy-FID to train images |
| --- | --- | --- | --- | --- | --- |
{chr(10).join(rows)}
| real test images | - | - | - | 0 | {real:.2f} |

L1: mean absolute difference of the uint8 outputs and the targets, both scaled to [-1, 1]
(the training loss's units), over all pixels and channels of the test pairs, dropout masks of
seed 0. Proxy-FID: `ProxyEvaluator.from_pretrained("flowers")` features of the 64 px outputs
against those of the training photographs (the statistics of `docs/evaluation.md`); a proxy
number, comparable only with other proxy-FIDs here, never with papers. Measured by
`python recipes/train_pix2pix.py --data-dir ../shared/data --no-train --package`
(translations and statistics: {results["seconds"]} s).

## Samples

`samples_test.png`: held-out test pairs, columns input edges | L1 only | pix2pix | target.
`samples_pix2pix.png` / `samples_l1.png`: the per-epoch sheets of the last epoch (validation
pairs: input | output | target).

![test](samples_test.png)
"""


def config_name(config) -> str:
    from keras_stackgan.models.pix2pix import CONFIGS

    return next((k for k, v in CONFIGS.items() if v == config), "custom")


def receptive_field(config) -> int:
    from keras_stackgan.models.pix2pix import patchgan_receptive_field

    return patchgan_receptive_field(config.d_layers)


def main(argv=None) -> int:
    from keras_stackgan.models.compile_mode import add_compile_arguments, jit_compile_argument

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default="../shared/data")
    parser.add_argument("--run-dir", default=f"runs/{PRESET}")
    parser.add_argument("--config", default="small", choices=["small", "paper"])
    parser.add_argument("--epochs", type=int, default=None, help="total epochs of each run")
    parser.add_argument("--minutes", type=float, default=None, help="pix2pix budget")
    parser.add_argument(
        "--baseline-minutes", type=float, default=None, help="L1 baseline budget (--minutes)"
    )
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    add_compile_arguments(parser, autotune=True)
    parser.add_argument("--package", action="store_true", help=f"write saved_models/{PRESET_DIR}")
    parser.add_argument("--output", default=None, help="preset folder (saved_models/...)")
    parser.add_argument(
        "--no-train", action="store_true", help="only evaluate and package the runs as they are"
    )
    args = parser.parse_args(argv)

    from keras_stackgan.models.pix2pix import Pix2PixPipeline, pix2pix_config

    config = pix2pix_config(args.config)
    epochs = args.epochs or config.epochs
    run_dir = Path(args.run_dir)
    train = load_pairs(args.data_dir, "train", config.image_size)
    samples = load_pairs(args.data_dir, "valid", config.image_size)
    picks = list(range(0, len(samples.inputs), len(samples.inputs) // SAMPLE_PAIRS))
    picks = picks[:SAMPLE_PAIRS]  # spread over the split (it is sorted by class)
    samples = samples._replace(inputs=samples.inputs[picks], targets=samples.targets[picks])
    summaries = {}
    run_dir.mkdir(parents=True, exist_ok=True)
    if not args.no_train:  # the model card lists every training command of the run
        line = " ".join(["python recipes/train_pix2pix.py", *(argv or sys.argv[1:])])
        with open(run_dir / "commands.txt", "a", encoding="utf-8") as log:
            log.write(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  {line}\n")
    for name in RUNS:
        if args.no_train:
            from keras_stackgan.pretrained.training import run_summary

            summaries[name] = run_summary(run_dir / name)
            continue
        if name == "l1" and args.skip_baseline:
            continue
        minutes = args.minutes if name == "pix2pix" else (args.baseline_minutes or args.minutes)
        print(f"=== {name}: up to {epochs} epochs, {minutes} minutes ===", flush=True)
        summaries[name] = train_run(
            name,
            train,
            samples,
            run_dir,
            config=config,
            epochs=epochs,
            minutes=minutes,
            seed=args.seed,
            precision=args.precision,
            jit_compile=jit_compile_argument(args),
            autotune=args.autotune,
        )
        print(json.dumps(summaries[name], indent=2), flush=True)
    if not args.package:
        return 0

    import shutil

    test = load_pairs(args.data_dir, "test", config.image_size)
    pipelines = {
        name: Pix2PixPipeline(load_generator(run_dir / name, config), name=f"{PRESET} ({name})")
        for name in RUNS
    }
    results, outputs = evaluate(pipelines, test, train, seed=0)
    print(json.dumps(results, indent=2), flush=True)
    output = Path(args.output or REPO / "saved_models" / PRESET_DIR)
    output.mkdir(parents=True, exist_ok=True)
    comparison_sheet(
        test,
        outputs,
        list(range(0, len(test.inputs), len(test.inputs) // 12))[:12],
        output / "samples_test.png",
    )
    for name in RUNS:
        sheets = sorted((run_dir / name / "samples").glob("epoch_*.png"))
        if sheets:
            shutil.copy(sheets[-1], output / f"samples_{name}.png")
    commands = (run_dir / "commands.txt").read_text("utf-8").strip().splitlines()
    shipped = Pix2PixPipeline(pipelines["pix2pix"].generator, name=PRESET)
    shipped.save_preset(
        output,
        family="pix2pix",
        dataset="flowers",
        direction="edges -> photo",
        input_transform="keras_stackgan.data.derived_pairs.sobel_edge_maps",
        training={name: summaries.get(name) for name in RUNS},
        evaluation=results,
    )
    (output / "README.md").write_text(model_card(summaries, results, config, commands), "utf-8")
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
