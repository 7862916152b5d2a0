"""Trains VQ-VAE-2 on 64 px flowers, then its gated PixelCNN priors; ``--package`` ships
``vqvae2-flowers``.

Data, read directly from ``--data-dir`` (the folder holding ``flowers/``): the Oxford-102
training split (6,552 images at 64x64, random horizontal flips) for both stages; the test
split (819 images), used once after training, for the reported reconstruction MSE, codebook
perplexities and prior likelihood. The proxy-FID of ``--fid-samples`` prior samples is measured
on the flowers proxy evaluator against the training images (the statistics of
docs/evaluation.md).

Both stages are resumable (``train_zoo_model``; rerun the same command to continue): the
autoencoder in ``<run-dir>/vqvae`` for ``--minutes``, the priors in ``<run-dir>/prior`` for
``--prior-minutes``. ``--package`` writes ``saved_models/vqvae2_flowers/``.

    nohup flock /tmp/keras_stackgan_train.lock python recipes/train_vqvae2_flowers.py \
        --minutes 6 --prior-minutes 6 --package > runs/vqvae2-flowers.log 2>&1 &
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from pathlib import Path

import keras
import numpy as np

from keras_stackgan.assets import saved_model_path
from keras_stackgan.data import load_labelled_oxford102, make_labelled_dataset, steps_per_epoch
from keras_stackgan.layers.vector_quantizer import codebook_perplexity
from keras_stackgan.models.autotune import recipe_trainer, tuned_trainer
from keras_stackgan.models.compile_mode import add_compile_arguments, jit_compile_argument
from keras_stackgan.models.vqvae import (
    VQPriorTrainer,
    VQVAE2Pipeline,
    VQVAETrainer,
    build_autoencoder,
    build_priors,
    vqvae_config,
)
from keras_stackgan.models.vqvae.vqvae_samples import PriorSamples, ReconstructionSamples
from keras_stackgan.pretrained.zoo_training import GENERATOR_FILE, train_zoo_model
from keras_stackgan.visual.grid import save_grid
from keras_stackgan.visual.interpolation import rows_to_sheet


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="../shared/data")
    parser.add_argument("--run-dir", default="runs/vqvae2-flowers")
    parser.add_argument("--config", default="small", choices=["small", "paper"])
    parser.add_argument("--epochs", type=int, default=None, help="VQ-VAE-2 total epochs")
    parser.add_argument("--minutes", type=float, default=None, help="VQ-VAE-2 budget")
    parser.add_argument("--prior-epochs", type=int, default=None, help="prior total epochs")
    parser.add_argument("--prior-minutes", type=float, default=None, help="prior budget")
    parser.add_argument("--seed", type=int, default=0)
    add_compile_arguments(parser, autotune=True)
    parser.add_argument("--fid-samples", type=int, default=1000, help="0: skip proxy-FID")
    parser.add_argument("--train-limit", type=int, default=None, help="smoke tests only")
    parser.add_argument(
        "--package",
        nargs="?",
        const=str(saved_model_path("vqvae2_flowers")),
        default=None,
        help="write the preset folder (default saved_models/vqvae2_flowers)",
    )
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    start = time.monotonic()
    config = vqvae_config(args.config)
    root = Path(args.data_dir) / "flowers"
    train = load_labelled_oxford102(root, "train")
    test = load_labelled_oxford102(root, "test")
    images, labels = train.images[: args.train_limit], train.labels[: args.train_limit]
    run_dir = Path(args.run_dir)
    base = {"dataset": "flowers", "config": config.to_dict(), "config_name": args.config,
            "seed": args.seed, "train_records": int(len(images))}  # fmt: skip

    def data(batch_size):
        def make(initial_epoch: int):
            return make_labelled_dataset(
                images, labels, batch_size=batch_size, flip=True, seed=args.seed,
                repeat=True, initial_epoch=initial_epoch, source=root,
            )  # fmt: skip

        return make

    # Stage 1: the autoencoder, built in the fastest mode (autotune) from the run's seed.
    def build_autoencoder_trainer(jit_compile):
        trainer = VQVAETrainer(build_autoencoder(config), config.commitment_cost)
        trainer.compile(keras.optimizers.Adam(config.learning_rate), jit_compile=jit_compile)
        return trainer

    trainer, mode = recipe_trainer(
        build_autoencoder_trainer, data(config.batch_size), args, run_dir / "vqvae"
    )
    autoencoder = trainer.autoencoder
    base.update(mode.summary())
    vq_summary = train_zoo_model(
        trainer,
        data(config.batch_size),
        run_dir / "vqvae",
        steps_per_epoch=steps_per_epoch(len(images), config.batch_size),
        epochs=args.epochs or config.epochs,
        summary={**base, "family": "vqvae2", "model": "vqvae2"},
        minutes=args.minutes,
        samples=ReconstructionSamples(run_dir / "vqvae" / "samples", test.images[:16]),
    )
    trainer.load_weights(str(run_dir / "vqvae" / GENERATOR_FILE))
    results = measure_autoencoder(trainer, test.images)
    print(json.dumps(results, indent=2), flush=True)

    # Stage 2: the priors over the frozen autoencoder's codes, in the autoencoder's precision
    # (the priors read its codes) and the faster of graph and XLA.
    def build_prior_trainer(jit_compile):
        bottom_prior, top_prior = build_priors(config)
        prior_trainer = VQPriorTrainer(autoencoder, bottom_prior, top_prior)
        prior_trainer.compile(
            keras.optimizers.Adam(config.prior_learning_rate), jit_compile=jit_compile
        )
        return prior_trainer

    prior_trainer, prior_mode = tuned_trainer(
        build_prior_trainer,
        data(config.prior_batch_size),
        seed=args.seed + 1,
        precision=mode.precision,
        jit_compile=jit_compile_argument(args),
        autotune_modes=args.autotune,
        run_dir=run_dir / "prior",
    )
    bottom_prior, top_prior = prior_trainer.bottom_prior, prior_trainer.top_prior
    prior_summary = train_zoo_model(
        prior_trainer,
        data(config.prior_batch_size),
        run_dir / "prior",
        steps_per_epoch=steps_per_epoch(len(images), config.prior_batch_size),
        epochs=args.prior_epochs or config.prior_epochs,
        summary={
            **base,
            **prior_mode.summary(),
            "family": "vqvae2",
            "model": "gated-pixelcnn-prior",
        },  # fmt: skip
        minutes=args.prior_minutes,
        samples=PriorSamples(run_dir / "prior" / "samples", num_images=16, columns=4),
    )
    prior_trainer.load_weights(str(run_dir / "prior" / GENERATOR_FILE))
    test_data = make_labelled_dataset(
        test.images, test.labels, batch_size=128, shuffle=False, drop_remainder=False
    )
    prior_test = prior_trainer.evaluate(test_data, verbose=0, return_dict=True)
    results.update({f"test_prior_{k}_nats_per_code": float(v) for k, v in prior_test.items()})
    pipeline = VQVAE2Pipeline(autoencoder, bottom_prior, top_prior, name="vqvae2-flowers")
    if args.fid_samples:
        results.update(measure_fid(pipeline, args, test.images))
    print(json.dumps(results, indent=2), flush=True)
    if args.package:
        summaries = {"vqvae2": vq_summary, "prior": prior_summary}
        package(args, pipeline, summaries, results, test.images, time.monotonic() - start)
    return results


def measure_autoencoder(trainer, test_images) -> dict:
    """Reconstruction MSE (images in [-1, 1]) and codebook perplexities on held-out images."""
    x = test_images.astype("float32") / 127.5 - 1.0
    squared, codes = [], {level: [] for level in trainer.levels}
    for i in range(0, len(x), 128):
        out = trainer.autoencoder(x[i : i + 128], training=False)
        error = np.asarray(out["reconstruction"]) - x[i : i + 128]
        squared.append(np.square(error).reshape(len(error), -1).mean(axis=1))
        for level in trainer.levels:
            codes[level].append(np.asarray(out[f"{level}_indices"]))
    results = {
        "num_test_images": int(len(x)),
        "test_reconstruction_mse": float(np.concatenate(squared).mean()),
    }
    for level in trainer.levels:
        k = trainer.autoencoder.num_embeddings
        results[f"test_{level}_perplexity"] = codebook_perplexity(np.concatenate(codes[level]), k)
    return results


def measure_fid(pipeline, args, test_images) -> dict:
    """Proxy-FID of ``--fid-samples`` prior samples and of the test reconstructions."""
    from keras_stackgan.data import load_images
    from keras_stackgan.metrics import ProxyEvaluator
    from keras_stackgan.pretrained.datasets import preset_records

    proxy = ProxyEvaluator.from_pretrained("flowers")
    train_stats = proxy.statistics(load_images(preset_records("flowers", args.data_dir), 64))
    tick = time.monotonic()
    samples = pipeline.generate(args.fid_samples, seed=args.seed)
    sample_seconds = time.monotonic() - tick
    return {
        "fid_samples": int(args.fid_samples),
        "sampling_seconds": round(sample_seconds, 1),
        "proxy_fid_prior_samples": float(proxy.proxy_fid(train_stats, samples)),
        "proxy_fid_test_reconstructions": float(
            proxy.proxy_fid(train_stats, pipeline.reconstruct(test_images))
        ),
        "proxy_fid_real_test": float(proxy.proxy_fid(train_stats, test_images)),
    }


def package(args, pipeline, summaries, results, test_images, seconds) -> None:
    output = Path(args.package)
    command = "python recipes/train_vqvae2_flowers.py " + shlex.join(sys.argv[1:])
    training = {**summaries, "results": results, "command": command}
    training["recipe_seconds"] = round(seconds, 1)
    pipeline.save_preset(output, dataset="flowers", training=training)
    save_grid(output / "samples.png", pipeline.generate(64, seed=0), 8)
    originals = test_images[:16]
    rows_to_sheet(np.stack([originals, pipeline.reconstruct(originals)])).save(
        output / "reconstructions.png"
    )
    write_model_card(output, training)
    print(f"wrote {output}", flush=True)


def write_model_card(output: Path, t: dict) -> None:
    vq, prior, r = t["vqvae2"], t["prior"], t["results"]
    c = vq["config"]
    fid = ""
    if "proxy_fid_prior_samples" in r:
        fid = f"""
| proxy-FID to the training images, {r["fid_samples"]:,} prior samples (seed 0) | {r["proxy_fid_prior_samples"]:.2f} |
| proxy-FID to the training images, the 819 test reconstructions | {r["proxy_fid_test_reconstructions"]:.2f} |
| proxy-FID to the training images, the 819 real test images (floor) | {r["proxy_fid_real_test"]:.2f} |

Sampling the {r["fid_samples"]:,} images took {r["sampling_seconds"]:.0f} s (64 + 256 prior
passes). Proxy-FID uses the flowers proxy evaluator (`saved_models/evaluators/flowers`), not
Inception: compare it with the other flowers presets in docs/evaluation.md, never with papers.
"""  # noqa: E501
    text = f"""# Model card: `vqvae2-flowers`

VQ-VAE-2 (Razavi et al. 2019, *Generating Diverse High-Fidelity Images with VQ-VAE-2*) at
64 px on Oxford-102 flowers, config `{vq["config_name"]}`: an 8x8 top and a 16x16 bottom grid
of codes from two {c["num_embeddings"]} x {c["embedding_dim"]} codebooks (EMA updates, decay
{c["ema_decay"]}; commitment cost {c["commitment_cost"]}), {c["hidden_filters"]} hidden
channels; and two gated PixelCNN priors (van den Oord et al. 2016) of {c["prior_layers"]}
blocks x {c["prior_filters"]} channels: `p(top)` and `p(bottom | top)`.

- Data: the {vq["train_records"]:,} Oxford-102 training images at 64x64 (`../shared/data/flowers`,
  random horizontal flips); measured once on the 819 test images.
- VQ-VAE-2: {vq["epochs_done"]} epochs in {vq["train_seconds_total"]:.0f} s of training;
  priors: {prior["epochs_done"]} epochs in {prior["train_seconds_total"]:.0f} s
  ({vq["hardware"]}), seed {vq["seed"]}.

## Measured (test split, 819 images)

| quantity | value |
| --- | --- |
| reconstruction MSE (images in [-1, 1]) | {r["test_reconstruction_mse"]:.4f} |
| top codebook perplexity (of {c["num_embeddings"]}) | {r["test_top_perplexity"]:.1f} |
| bottom codebook perplexity (of {c["num_embeddings"]}) | {r["test_bottom_perplexity"]:.1f} |
| top prior NLL, nats per code | {r["test_prior_top_nll_nats_per_code"]:.3f} |
| bottom prior NLL, nats per code | {r["test_prior_bottom_nll_nats_per_code"]:.3f} |{fid}
Measured by the command that trained the model:

    {t["command"]}

## Pictures

- `samples.png`: 64 images sampled from the priors (seed 0) and decoded.
- `reconstructions.png`: 16 test images (top row) and their reconstructions (bottom row).

```python
vq = keras_stackgan.load_pretrained("vqvae2-flowers")
flowers = vq.generate(16, seed=0)  # uint8 [16, 64, 64, 3]
```
"""
    (output / "README.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
