"""Trains the MNIST VAE (Kingma & Welling 2014) and, with ``--package``, ships ``vae-mnist``.

Data, read directly from ``--data-dir`` (the folder holding ``mnist/``): the official IDX
training digits (22,699 in ``../shared/data``) for training and the official 10,000 test digits,
used once, after training, for the reported negative ELBO. Pixel intensities in [0, 1] are the
Bernoulli targets (treated as probabilities, not binarised).

The run is resumable (``train_zoo_model``: rerun the same command to continue after a kill or a
``--minutes`` stop). ``--package`` writes ``saved_models/vae_mnist/`` (weights, ``config.json``,
sample, reconstruction, latent-traversal and interpolation sheets, model card ``README.md``).

    nohup flock /tmp/keras_stackgan_train.lock python recipes/train_vae_mnist.py \
        --data-dir ../shared/data --minutes 4 --package > runs/vae-mnist.log 2>&1 &
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
from keras_stackgan.data import make_labelled_dataset, read_mnist
from keras_stackgan.data.pipeline import steps_per_epoch
from keras_stackgan.models.vae import VAEPipeline, build_vae, vae_config
from keras_stackgan.models.vae.vae_samples import VAESamples
from keras_stackgan.pretrained.zoo_training import GENERATOR_FILE, train_zoo_model
from keras_stackgan.visual.autoencoder import encoded_interpolation_sheet, traversal_sheet
from keras_stackgan.visual.grid import save_grid
from keras_stackgan.visual.interpolation import rows_to_sheet


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="../shared/data")
    parser.add_argument("--run-dir", default="runs/vae-mnist")
    parser.add_argument("--config", default="small", choices=["small", "paper"])
    parser.add_argument("--epochs", type=int, default=None, help="total epochs (config's)")
    parser.add_argument("--minutes", type=float, default=None, help="wall-clock budget")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--package",
        nargs="?",
        const=str(saved_model_path("vae_mnist")),
        default=None,
        help="write the preset folder (default saved_models/vae_mnist)",
    )
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    start = time.monotonic()
    config = vae_config(args.config)
    epochs = args.epochs or config.epochs
    mnist_dir = Path(args.data_dir) / "mnist"
    images, labels = read_mnist(mnist_dir, "train")
    test_images, test_labels = read_mnist(mnist_dir, "test")

    def make_data(initial_epoch: int):
        return make_labelled_dataset(
            images[..., None], labels, batch_size=config.batch_size, seed=args.seed,
            repeat=True, initial_epoch=initial_epoch, source=mnist_dir,
        )  # fmt: skip

    keras.utils.set_random_seed(args.seed)
    vae = build_vae(config, seed=args.seed)
    vae.compile(keras.optimizers.Adam(config.learning_rate))
    summary = {
        "family": "vae",
        "dataset": "mnist",
        "model": "vae",
        "config": config.to_dict(),
        "config_name": args.config,
        "seed": args.seed,
        "train_records": int(len(images)),
        "likelihood": "Bernoulli on grey levels in [0, 1] (not binarised)",
    }
    summary = train_zoo_model(
        vae,
        make_data,
        args.run_dir,
        steps_per_epoch=steps_per_epoch(len(images), config.batch_size),
        epochs=epochs,
        summary=summary,
        minutes=args.minutes,
        samples=VAESamples(Path(args.run_dir) / "samples", num_images=64, seed=args.seed),
    )
    vae.load_weights(str(Path(args.run_dir) / GENERATOR_FILE))  # the last finished epoch

    test = make_labelled_dataset(
        test_images[..., None], test_labels, batch_size=500, shuffle=False,
        drop_remainder=False, source=mnist_dir,
    )  # fmt: skip
    measured = vae.evaluate(test, verbose=0, return_dict=True)
    results = {
        "test_negative_elbo_nats": float(measured["loss"]),
        "test_reconstruction_nats": float(measured["reconstruction"]),
        "test_kl_nats": float(measured["kl"]),
        "num_test_images": int(len(test_images)),
    }
    print(json.dumps(results, indent=2), flush=True)
    if args.package:
        package(args, vae, summary, results, test_images, time.monotonic() - start)
    return {**summary, **results}


def package(args, vae, summary, results, test_images, seconds) -> None:
    output = Path(args.package)
    pipeline = VAEPipeline(vae.encoder, vae.decoder, name="vae-mnist")
    command = "python recipes/train_vae_mnist.py " + shlex.join(sys.argv[1:])
    training = {**summary, **results, "command": command, "recipe_seconds": round(seconds, 1)}
    pipeline.save_preset(output, dataset="mnist", training=training)
    digits = test_images[:16, ..., None]
    save_grid(output / "samples.png", pipeline.generate(64, seed=0), 8)
    recon = np.stack([digits, pipeline.reconstruct(digits)])  # [2, 16, ...]: rows
    rows_to_sheet(recon).save(output / "reconstructions.png")
    traversal_sheet(pipeline, dims=range(10), steps=9, seed=0).save(output / "traversal.png")
    ends = test_images[16:24, ..., None], test_images[24:32, ..., None]
    encoded_interpolation_sheet(pipeline, *ends, steps=8).save(output / "interpolation.png")
    write_model_card(output, training)
    print(f"wrote {output}", flush=True)


def write_model_card(output: Path, t: dict) -> None:
    c = t["config"]
    text = f"""# Model card: `vae-mnist`

The fully connected VAE of Kingma & Welling (2014), *Auto-Encoding Variational Bayes*:
a {c["image_size"] ** 2}-{c["hidden_dim"]}-{c["latent_dim"]} encoder giving the mean and
log-variance of a {c["latent_dim"]}-d diagonal Gaussian, the reparameterisation trick, a
{c["latent_dim"]}-{c["hidden_dim"]}-{c["image_size"] ** 2} Bernoulli decoder and the KL term in
closed form. ReLU hidden units and Adam({c["learning_rate"]}) (the paper: tanh, Adagrad).

- Likelihood: {t["likelihood"]}.
- Data: the first {t["train_records"]:,} official MNIST training digits (`../shared/data/mnist`),
  batches of {c["batch_size"]}; evaluated once on the official {t["num_test_images"]:,} test
  digits.
- Training: {t["epochs_done"]} epochs in {t["train_seconds_total"]:.0f} s of training
  ({t["hardware"]}), seed {t["seed"]}, config `{t.get("config_name", "small")}`.

## Measured (official test set, 10,000 digits)

| quantity | nats per digit |
| --- | --- |
| negative ELBO (one-sample estimate, fixed noise) | {t["test_negative_elbo_nats"]:.2f} |
| reconstruction `-log p(x given z)` | {t["test_reconstruction_nats"]:.2f} |
| KL divergence of `q(z given x)` from `p(z) = N(0, I)` | {t["test_kl_nats"]:.2f} |

The negative ELBO is an upper bound on `-log p(x)`. Because the targets are grey levels, not
binarised digits, these numbers are not comparable with the binarised-MNIST figures of papers
(about 85-100 nats): a grey pixel costs entropy even under a perfect model.

Measured by the command that trained the model:

    {t["command"]}

## Pictures

- `samples.png`: 64 decoded `z ~ N(0, I)` of seed 0.
- `reconstructions.png`: the first 16 test digits (top row) and their reconstructions from
  the posterior means (bottom row).
- `traversal.png`: latent dimensions 0-9 (rows), each varied over [-3, 3] (columns) around the
  `z` of seed 0.
- `interpolation.png`: straight lines between the posterior means of two test digits.

```python
vae = keras_stackgan.load_pretrained("vae-mnist")
digits = vae.generate(16, seed=0)  # uint8 [16, 28, 28, 1]
```
"""
    (output / "README.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
