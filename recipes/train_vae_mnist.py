"""Trains the MNIST VAE (Kingma & Welling 2014) and, with ``--package``, ships ``vae-mnist``.

``--dataset flowers`` trains the convolutional VAE (config ``flowers-small``) on the 64 px
Oxford-102 train split instead (``--data-dir`` holding ``flowers/``), measures it on the test
split (negative ELBO, reconstruction MSE, proxy-FID and proxy-IS of ``--fid-samples`` prior
samples under the flowers proxy evaluator) and, with ``--package``, ships ``vae-flowers``.

Data, read directly from ``--data-dir`` (the folder holding ``mnist/``): the official IDX
training digits (22,699 in ``../shared/data``) for training and the official 10,000 test digits,
used once, after training, for the reported negative ELBO. Pixel intensities in [0, 1] are the
Bernoulli targets (treated as probabilities, not binarised).

The run is resumable (``train_zoo_model``: rerun the same command to continue after a kill or a
``--minutes`` stop). ``--package`` writes ``saved_models/vae_mnist/`` (weights, ``config.json``,
sample, reconstruction, latent-traversal and interpolation sheets, model card ``README.md``).

    nohup flock /tmp/keras_stackgan_train.lock python recipes/train_vae_mnist.py \
        --data-dir ../shared/data --minutes 4 --package > runs/vae-mnist.log 2>&1 &
    nohup python recipes/train_vae_mnist.py --dataset flowers --data-dir ../shared/data \
        --run-dir runs/vae-flowers --minutes 7 --package > runs/vae-flowers.log 2>&1 &
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
from keras_stackgan.data import load_labelled_oxford102, make_labelled_dataset, read_mnist
from keras_stackgan.data.pipeline import steps_per_epoch
from keras_stackgan.models.autotune import recipe_trainer
from keras_stackgan.models.compile_mode import add_compile_arguments
from keras_stackgan.models.vae import VAEPipeline, build_vae, vae_config
from keras_stackgan.models.vae.vae_samples import VAESamples
from keras_stackgan.pretrained.zoo_training import GENERATOR_FILE, train_zoo_model
from keras_stackgan.visual.autoencoder import encoded_interpolation_sheet, traversal_sheet
from keras_stackgan.visual.grid import save_grid
from keras_stackgan.visual.interpolation import rows_to_sheet

DATASETS = {  # dataset: (default config, preset name, saved_models folder)
    "mnist": ("small", "vae-mnist", "vae_mnist"),
    "flowers": ("flowers-small", "vae-flowers", "vae_flowers"),
}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="mnist", choices=sorted(DATASETS))
    parser.add_argument("--data-dir", default="../shared/data")
    parser.add_argument("--run-dir", default=None, help="default runs/vae-<dataset>")
    parser.add_argument(
        "--config", default=None, choices=["small", "paper", "flowers", "flowers-small"],
        help="default: small (mnist), flowers-small (flowers)",
    )  # fmt: skip
    parser.add_argument("--epochs", type=int, default=None, help="total epochs (config's)")
    parser.add_argument("--minutes", type=float, default=None, help="wall-clock budget")
    parser.add_argument("--seed", type=int, default=0)
    add_compile_arguments(parser, autotune=True)
    parser.add_argument(
        "--package",
        nargs="?",
        const="",
        default=None,
        help="write the preset folder (default saved_models/vae_<dataset>)",
    )
    parser.add_argument(
        "--fid-samples", type=int, default=1000, help="flowers: prior samples; 0 skips proxy-FID"
    )
    args = parser.parse_args(argv)
    default_config, _, folder = DATASETS[args.dataset]
    args.config = args.config or default_config
    args.run_dir = args.run_dir or f"runs/vae-{args.dataset}"
    if args.package == "":
        args.package = str(saved_model_path(folder))
    return args


def load_data(args):
    """``(images, labels, test_images, test_labels, source)``: uint8 ``[n, S, S, C]`` arrays."""
    if args.dataset == "flowers":
        root = Path(args.data_dir) / "flowers"
        train = load_labelled_oxford102(root, "train", image_size=64)
        test = load_labelled_oxford102(root, "test", image_size=64)
        return train.images, train.labels, test.images, test.labels, root
    mnist_dir = Path(args.data_dir) / "mnist"
    images, labels = read_mnist(mnist_dir, "train")
    test_images, test_labels = read_mnist(mnist_dir, "test")
    return images[..., None], labels, test_images[..., None], test_labels, mnist_dir


def main(argv=None) -> dict:
    args = parse_args(argv)
    start = time.monotonic()
    config = vae_config(args.config)
    epochs = args.epochs or config.epochs
    images, labels, test_images, test_labels, source = load_data(args)
    flowers = args.dataset == "flowers"

    def make_data(initial_epoch: int):
        return make_labelled_dataset(
            images, labels, batch_size=config.batch_size, flip=flowers, seed=args.seed,
            repeat=True, initial_epoch=initial_epoch, source=source,
        )  # fmt: skip

    def build(jit_compile):
        vae = build_vae(config, seed=args.seed)
        vae.compile(keras.optimizers.Adam(config.learning_rate), jit_compile=jit_compile)
        return vae

    vae, mode = recipe_trainer(build, make_data, args, args.run_dir)
    summary = {
        "family": "vae",
        "dataset": args.dataset,
        "model": "vae",
        "config": config.to_dict(),
        "config_name": args.config,
        "seed": args.seed,
        **mode.summary(),
        "train_records": int(len(images)),
        "likelihood": (
            "Bernoulli on RGB intensities in [0, 1]" if flowers
            else "Bernoulli on grey levels in [0, 1] (not binarised)"
        ),
    }  # fmt: skip
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
        test_images, test_labels, batch_size=500, shuffle=False,
        drop_remainder=False, source=source,
    )  # fmt: skip
    measured = vae.evaluate(test, verbose=0, return_dict=True)
    results = {
        "test_negative_elbo_nats": float(measured["loss"]),
        "test_reconstruction_nats": float(measured["reconstruction"]),
        "test_kl_nats": float(measured["kl"]),
        "num_test_images": int(len(test_images)),
    }
    if flowers:
        results.update(measure_flowers(vae, args, test_images))
    print(json.dumps(results, indent=2), flush=True)
    if args.package:
        package(args, vae, summary, results, test_images, time.monotonic() - start)
    return {**summary, **results}


def measure_flowers(vae, args, test_images) -> dict:
    """Test reconstruction MSE (images in [-1, 1], from the posterior means) and, unless
    ``--fid-samples 0``, proxy-FID (``train_vqvae2_flowers.measure_fid``: prior samples, test
    reconstructions and real test images against the training images) and proxy-IS."""
    x = test_images.astype("float32") / 127.5 - 1.0
    squared = []
    for i in range(0, len(x), 128):
        mean = vae.encoder(x[i : i + 128], training=False)["mean"]
        recon = keras.ops.tanh(0.5 * vae.decoder(mean, training=False))  # 2 sigmoid - 1
        error = keras.ops.convert_to_numpy(recon) - x[i : i + 128]
        squared.append(np.square(error).reshape(len(error), -1).mean(axis=1))
    results = {"test_reconstruction_mse": float(np.concatenate(squared).mean())}
    if args.fid_samples:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from train_vqvae2_flowers import measure_fid

        from keras_stackgan.metrics import ProxyEvaluator

        pipeline = VAEPipeline(vae.encoder, vae.decoder, name="vae-flowers")
        results.update(measure_fid(pipeline, args, test_images))
        proxy = ProxyEvaluator.from_pretrained("flowers")
        samples = pipeline.generate(args.fid_samples, seed=args.seed)  # measure_fid's samples
        mean, std = proxy.proxy_inception_score(samples)
        real_mean, real_std = proxy.proxy_inception_score(test_images)
        results.update({"proxy_is_prior_samples": float(mean),
                        "proxy_is_prior_samples_std": float(std),
                        "proxy_is_real_test": float(real_mean),
                        "proxy_is_real_test_std": float(real_std)})  # fmt: skip
    return results


def package(args, vae, summary, results, test_images, seconds) -> None:
    output = Path(args.package)
    _, name, _ = DATASETS[args.dataset]
    pipeline = VAEPipeline(vae.encoder, vae.decoder, name=name)
    command = "python recipes/train_vae_mnist.py " + shlex.join(sys.argv[1:])
    training = {**summary, **results, "command": command, "recipe_seconds": round(seconds, 1)}
    pipeline.save_preset(output, dataset=args.dataset, training=training)
    digits = test_images[:16]
    save_grid(output / "samples.png", pipeline.generate(64, seed=0), 8)
    recon = np.stack([digits, pipeline.reconstruct(digits)])  # [2, 16, ...]: rows
    rows_to_sheet(recon).save(output / "reconstructions.png")
    traversal_sheet(pipeline, dims=range(10), steps=9, seed=0).save(output / "traversal.png")
    ends = test_images[16:24], test_images[24:32]
    encoded_interpolation_sheet(pipeline, *ends, steps=8).save(output / "interpolation.png")
    if args.dataset == "flowers":
        write_flowers_model_card(output, training)
    else:
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


def write_flowers_model_card(output: Path, t: dict) -> None:
    c = t["config"]
    fid = ""
    if "proxy_fid_prior_samples" in t:
        fid = f"""
| proxy-FID to the training images, {t["fid_samples"]:,} prior samples (seed {t["seed"]}) | {t["proxy_fid_prior_samples"]:.2f} |
| proxy-FID to the training images, the {t["num_test_images"]} test reconstructions | {t["proxy_fid_test_reconstructions"]:.2f} |
| proxy-FID to the training images, the {t["num_test_images"]} real test images (floor) | {t["proxy_fid_real_test"]:.2f} |
| proxy-IS, {t["fid_samples"]:,} prior samples (10 splits) | {t["proxy_is_prior_samples"]:.2f} +- {t["proxy_is_prior_samples_std"]:.2f} |
| proxy-IS, the {t["num_test_images"]} real test images | {t["proxy_is_real_test"]:.2f} +- {t["proxy_is_real_test_std"]:.2f} |

Proxy-FID and proxy-IS use the flowers proxy evaluator (`saved_models/evaluators/flowers`),
with the training images' statistics as the reference, exactly as `vqvae2-flowers` measured
(`measure_fid` of `recipes/train_vqvae2_flowers.py`); they are comparable within the zoo, not
with paper FID / IS."""  # noqa: E501
    text = f"""# Model card: `vae-flowers`

A convolutional VAE (Kingma & Welling 2014) for 64 px Oxford-102 flowers, config
`{t.get("config_name", "flowers-small")}`: `ConvVAEEncoder` (base width {c["filters"]}) giving
the mean and log-variance of a {c["latent_dim"]}-d diagonal Gaussian, the reparameterisation
trick, `ConvVAEDecoder` and the KL term in closed form; Adam({c["learning_rate"]}).

- Likelihood: {t["likelihood"]} (each channel of each pixel a Bernoulli probability).
- Data: the {t["train_records"]:,} Oxford-102 training images at 64 px
  (`load_labelled_oxford102(root, "train", image_size=64)`), random horizontal flips, batches
  of {c["batch_size"]}; evaluated once on the {t["num_test_images"]} test images.
- Training: {t["epochs_done"]} epochs (of {t["target_epochs"]} asked) in
  {t["train_seconds_total"]:.0f} s of training ({t["hardware"]}), seed {t["seed"]}; the whole
  recipe (training, measuring, packaging) took {t["recipe_seconds"]:.0f} s.

## Measured (the {t["num_test_images"]} test images)

| quantity | value |
| --- | --- |
| negative ELBO, nats per image (one-sample estimate) | {t["test_negative_elbo_nats"]:.1f} |
| reconstruction `-log p(x given z)`, nats per image | {t["test_reconstruction_nats"]:.1f} |
| KL of `q(z given x)` from `N(0, I)`, nats per image | {t["test_kl_nats"]:.1f} |
| reconstruction MSE, posterior means, pixels in [-1, 1] | {t["test_reconstruction_mse"]:.4f} |{fid}

The Bernoulli likelihood on continuous intensities is not a normalised density of RGB images:
the nats are for comparing VAE runs, not other model families. The reconstruction MSE is on the
same scale as `vqvae2-flowers`'s.

Measured by the command that trained the model:

    {t["command"]}

## Pictures

- `samples.png`: 64 decoded `z ~ N(0, I)` of seed 0.
- `reconstructions.png`: the first 16 test images (top row) and their reconstructions from the
  posterior means (bottom row).
- `traversal.png`: latent dimensions 0-9 (rows), each varied over [-3, 3] around seed 0's `z`.
- `interpolation.png`: straight lines between the posterior means of two test images.

```python
vae = keras_stackgan.load_pretrained("vae-flowers")
flowers = vae.generate(16, seed=0)  # uint8 [16, 64, 64, 3]
```
"""
    (output / "README.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
