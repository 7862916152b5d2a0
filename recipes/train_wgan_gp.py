"""Trains WGAN-GP (or WGAN) on Oxford-102 flowers at 64 px, resumable, tracking the critic's
Wasserstein estimate against proxy-FID; ``--package`` ships the ``wgan-gp-flowers`` preset.

Data: the 6,552 training images of Oxford-102 at 64x64 from ``--data-dir``
(``load_labelled_oxford102(root, "train", image_size=64)``, labels unused), random horizontal
flips. A ``fit`` batch holds ``n_critic * m`` images (5 * 32 = 160 for the small config): the
step's ``n_critic`` critic updates each take ``m`` of them, then G takes one update (see
``keras_stackgan.models.wgan.WassersteinGAN``).

Every ``--eval-every`` epochs the ``QualityCurve`` callback writes a row of
``<run_dir>/curve.csv``: the epoch's mean Wasserstein estimate ``mean(D(real)) - mean(D(fake))``
(the critic's, on the training batches) and the proxy-FID of ``--curve-images`` samples (a fixed
seed) to the training images, measured like ``docs/evaluation.md`` (flowers proxy evaluator,
statistics of the preset's training images). The run is resumable (``train_zoo_model``):
``--epochs`` is the total to reach, the same command continues after a kill or a ``--minutes``
stop. Training goes through the shared lock::

    nohup flock /tmp/keras_stackgan_train.lock python recipes/train_wgan_gp.py \\
        --minutes 20 --package > runs/wgan-gp-flowers.log 2>&1 &

``--package`` (after training, or alone on a run: nothing left to train is trained) writes
``saved_models/<name>/`` (default ``wgan_gp_flowers``, or ``wgan_flowers`` for ``--model
wgan``): ``config.json`` + ``generator.weights.h5`` (``write_generator_preset``, read by
``keras_stackgan.load_pretrained``), ``samples.png`` (64 images of seed 0), ``curve.png`` and
``curve.csv`` (the tracked curve), ``evaluation.json`` (proxy-IS / proxy-FID of ``--num-eval``
samples, the real test images as reference; the Pearson and Spearman correlations of the
curve) and the model card ``README.md``.
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
MODELS = {"wgan-gp": "wgan_gp_flowers", "wgan": "wgan_flowers"}  # model -> preset folder
CURVE_FILE = "curve.csv"
CURVE_SEED = 1  # the curve's samples: the same z every epoch (samples.png uses seed 0)


def parse_args(argv=None) -> argparse.Namespace:
    from keras_stackgan.models.compile_mode import add_compile_arguments

    parser = argparse.ArgumentParser(
        description="Train WGAN-GP / WGAN on 64 px flowers (resumable); --package ships a preset.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--model", choices=sorted(MODELS), default="wgan-gp")
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--run-dir", type=Path, default=None, help="default runs/<preset>")
    parser.add_argument("--config", choices=["small", "paper"], default="small")
    parser.add_argument("--epochs", type=int, default=None, help="total epochs (config's)")
    parser.add_argument("--minutes", type=float, default=None, help="wall-clock budget")
    parser.add_argument("--seed", type=int, default=0)
    add_compile_arguments(parser, autotune=True)
    parser.add_argument("--curve-images", type=int, default=500, help="samples per curve FID")
    parser.add_argument("--eval-every", type=int, default=1, help="epochs between curve rows")
    parser.add_argument(
        "--package",
        nargs="?",
        const="",
        default=None,
        help="write saved_models/<name> (default wgan_gp_flowers / wgan_flowers)",
    )
    parser.add_argument("--num-eval", type=int, default=1000, help="images for proxy IS/FID")
    parser.add_argument(
        "--note", action="append", default=[], help="a line for the model card's Notes"
    )
    return parser.parse_args(argv)


def _command(argv=None) -> str:
    return "python recipes/train_wgan_gp.py " + shlex.join(sys.argv[1:] if argv is None else argv)


def model_config(model: str, config_name: str):
    """The ``WGANGPConfig`` / ``WGANConfig`` of ``model`` named ``config_name``."""
    if model == "wgan-gp":
        from keras_stackgan.models.wgan_gp import wgan_gp_config

        return wgan_gp_config(config_name)
    from keras_stackgan.models.wgan import wgan_config

    return wgan_config(config_name)


def build(model: str, config, seed: int, jit_compile):
    """The compiled trainer of ``model`` (``config``: ``model_config``'s) with the config's
    optimizers."""
    if model == "wgan-gp":
        from keras_stackgan.models.wgan_gp import WGANGP, wgan_gp_optimizers

        gan = WGANGP.from_wgan_gp_config(config, seed=seed)
        gan.compile(
            *wgan_gp_optimizers(config),
            n_critic=config.n_critic,
            gradient_penalty_weight=config.gradient_penalty_weight,
            jit_compile=jit_compile,
        )
        return gan
    from keras_stackgan.models.wgan import WGAN, wgan_optimizers

    gan = WGAN.from_wgan_config(config, seed=seed)
    gan.compile(
        *wgan_optimizers(config),
        n_critic=config.n_critic,
        clip_value=config.clip_value,
        jit_compile=jit_compile,
    )
    return gan


class FlowersFID:
    """Proxy-FID of generated images to the flowers training images, as ``docs/evaluation.md``.

    The flowers ``ProxyEvaluator`` and the statistics of the preset's training images
    (``load_images(preset_records("flowers", data_dir), 64)``, what ``evaluate_preset`` uses),
    computed once.
    """

    def __init__(self, data_dir: Path):
        from keras_stackgan.data import load_images
        from keras_stackgan.metrics import ProxyEvaluator
        from keras_stackgan.pretrained.datasets import preset_records

        self.data_dir = Path(data_dir)
        self.evaluator = ProxyEvaluator.from_pretrained("flowers")
        train = load_images(preset_records("flowers", self.data_dir), 64)
        self.train_statistics = self.evaluator.statistics(train)

    def fid(self, images) -> float:
        return float(self.evaluator.proxy_fid(self.train_statistics, images))

    def evaluate(self, pipeline, num_images: int, seed: int = 0) -> dict:
        """Proxy-IS and proxy-FID of ``num_images`` samples of ``seed``, and of the real test
        images (the reference column of ``docs/evaluation.md``)."""
        from keras_stackgan.data import load_images
        from keras_stackgan.pretrained.datasets import preset_records

        began = time.monotonic()
        generated = pipeline.generate(num_images, seed=seed)
        real_test = load_images(preset_records("flowers", self.data_dir, "test"), 64)
        fake_is = self.evaluator.proxy_inception_score(generated)
        real_is = self.evaluator.proxy_inception_score(real_test)
        return {
            "num_images": num_images,
            "seed": seed,
            "proxy_is": {"generated": list(fake_is), "real_test": list(real_is)},
            "proxy_fid": {"generated": self.fid(generated), "real_test": self.fid(real_test)},
            "num_real_test": int(len(real_test)),
            "seconds": round(time.monotonic() - began, 1),
        }


def read_curve(path: Path) -> list[dict]:
    """The rows of ``curve.csv`` (``keras_stackgan.callbacks.read_curve``)."""
    from keras_stackgan.callbacks import read_curve as read

    return read(path)


def _curve_callback(run_dir: Path, fid: FlowersFID, num_images: int, every: int):
    """A ``QualityCurve`` of ``curve.csv``: the epoch's Wasserstein estimate, gradient
    penalty and losses, and the proxy-FID of ``num_images`` samples of ``CURVE_SEED``."""
    from keras_stackgan.callbacks import QualityCurve
    from keras_stackgan.pretrained.generator_pipeline import GeneratorPipeline

    def measure(gan) -> dict:
        pipeline = GeneratorPipeline(gan.generator, name="curve")
        return {"proxy_fid": fid.fid(pipeline.generate(num_images, seed=CURVE_SEED))}

    return QualityCurve(
        run_dir / CURVE_FILE,
        measure,
        every=every,
        log_keys=("wasserstein", "gradient_penalty", "d_loss", "g_loss"),
        label=f"curve proxy-FID({num_images})",
    )


def main(argv=None) -> dict:
    args = parse_args(argv)
    args.argv = argv
    from keras_stackgan.data import load_labelled_oxford102, make_labelled_dataset
    from keras_stackgan.data.pipeline import steps_per_epoch
    from keras_stackgan.models.autotune import recipe_trainer
    from keras_stackgan.pretrained.zoo_training import train_zoo_model

    run_dir = Path(args.run_dir or REPO / "runs" / MODELS[args.model].replace("_", "-"))
    images, labels, _ = load_labelled_oxford102(args.data_dir / "flowers", "train", image_size=64)
    config = model_config(args.model, args.config)
    epochs = config.epochs if args.epochs is None else args.epochs
    fit_batch = config.fit_batch_size

    def make_data(initial_epoch: int):
        return make_labelled_dataset(
            images,
            labels,
            batch_size=fit_batch,
            flip=True,
            seed=args.seed,
            repeat=True,
            initial_epoch=initial_epoch,
            source=args.data_dir / "flowers",
        )

    gan, mode = recipe_trainer(
        lambda jit_compile: build(args.model, config, args.seed, jit_compile),
        make_data,
        args,
        run_dir,
    )
    fid = FlowersFID(args.data_dir)
    summary = {
        "family": args.model,
        "model": args.model,
        "dataset": "flowers",
        "config": config.to_dict(),
        "config_name": args.config,
        "seed": args.seed,
        **mode.summary(),
        "train_records": int(len(images)),
        "fit_batch_size": fit_batch,
        "curve_images": args.curve_images,
        # The call that trains (kept in run.json: a later call with nothing left to train,
        # e.g. packaging, does not rewrite it).
        "command": _command(argv),
    }
    steps = steps_per_epoch(len(images), fit_batch)
    summary = train_zoo_model(
        gan,
        make_data,
        run_dir,
        steps_per_epoch=steps,
        epochs=epochs,
        summary=summary,
        minutes=args.minutes,
        callbacks=[_curve_callback(run_dir, fid, args.curve_images, args.eval_every)],
    )
    done, seconds = summary["epochs_done"], summary["train_seconds_total"]
    summary["steps_per_epoch"] = steps
    summary["generator_steps"] = done * steps
    summary["images_per_second"] = round(done * steps * fit_batch / max(seconds, 1e-9), 1)
    print(json.dumps(summary, indent=2), flush=True)
    if args.package is not None:
        package(args, gan, run_dir, summary, fid)
    return summary


def curve_correlations(rows: list[dict], skip: int = 0) -> dict:
    """Pearson and Spearman correlations of the Wasserstein estimate with proxy-FID over the
    curve's rows (after the first ``skip``); positive when the two fall together."""
    from scipy import stats

    rows = [r for r in rows[skip:] if r["wasserstein"] is not None]
    w = [r["wasserstein"] for r in rows]
    f = [r["proxy_fid"] for r in rows]
    if len(rows) < 3:
        return {"points": len(rows)}
    pearson, spearman = stats.pearsonr(w, f), stats.spearmanr(w, f)
    return {
        "points": len(rows),
        "from_epoch": int(rows[0]["epoch"]),
        "pearson_r": float(pearson[0]),
        "pearson_p": float(pearson[1]),
        "spearman_rho": float(spearman[0]),
        "spearman_p": float(spearman[1]),
    }


def plot_curve(rows: list[dict], path: Path, title: str) -> None:
    """Two panels: the Wasserstein estimate and proxy-FID per epoch."""
    from keras_stackgan.visual import plot_curve as plot

    series = [
        ("critic's Wasserstein estimate (epoch mean)", "wasserstein", "navy"),
        ("proxy-FID of the curve's samples", "proxy_fid", "darkred"),
    ]
    plot(rows, path, title, series)


def package(args, gan, run_dir: Path, summary: dict, fid: FlowersFID) -> Path:
    """Writes the preset folder from the run's last finished epoch."""
    import shutil

    from keras_stackgan.assets import saved_model_path
    from keras_stackgan.pretrained.generator_pipeline import GeneratorPipeline
    from keras_stackgan.pretrained.package import write_generator_preset
    from keras_stackgan.pretrained.zoo_training import GENERATOR_FILE
    from keras_stackgan.visual import save_grid

    name = args.package or MODELS[args.model]
    output = saved_model_path(name)
    generator = gan.generator
    generator.load_weights(str(Path(run_dir) / GENERATOR_FILE))  # the last finished epoch
    preset = name.replace("_", "-")
    pipeline = GeneratorPipeline(generator, name=preset)
    evaluation = fid.evaluate(pipeline, args.num_eval)
    rows = read_curve(Path(run_dir) / CURVE_FILE)
    evaluation["curve"] = {
        "images": summary.get("curve_images", args.curve_images),
        "all": curve_correlations(rows),
        "after_first_quarter": curve_correlations(rows, skip=len(rows) // 4),
    }
    print(json.dumps(evaluation, indent=2), flush=True)
    training = {
        **summary,
        "package_command": _command(args.argv),
        "notes": list(args.note),
        "generator_parameters": int(generator.count_params()),
        "critic_parameters": int(gan.discriminator.count_params()),
        "evaluation": evaluation,
    }
    write_generator_preset(
        output, family=args.model, dataset="flowers", generator=generator, training=training
    )
    save_grid(output / "samples.png", pipeline.generate(64, seed=0), 8)
    if rows:
        shutil.copyfile(Path(run_dir) / CURVE_FILE, output / CURVE_FILE)
        plot_curve(rows, output / "curve.png", f"{preset}: tracked during training")
    (output / "evaluation.json").write_text(json.dumps(evaluation, indent=2) + "\n")
    write_model_card(output, preset, training, rows)
    print(f"wrote {output}", flush=True)
    return output


def _correlation_sentence(c: dict) -> str:
    if "pearson_r" not in c:
        return f"too few points ({c['points']})"
    return (
        f"Pearson r = {c['pearson_r']:.2f} (p = {c['pearson_p']:.2g}), Spearman rho = "
        f"{c['spearman_rho']:.2f} (p = {c['spearman_p']:.2g}) over {c['points']} epochs "
        f"from epoch {c['from_epoch']}"
    )


def _curve_summary(rows: list[dict], late: dict) -> list[str]:
    """Measured sentences on the curve: where each series peaked and how the halves moved."""
    if len(rows) < 4:
        return []
    peak = max(rows, key=lambda r: r["wasserstein"])
    best = min(rows, key=lambda r: r["proxy_fid"])
    mid, last = rows[len(rows) // 2], rows[-1]

    def change(key):
        return 100.0 * (last[key] - mid[key]) / abs(mid[key])

    tracks = "pearson_r" in late and late["spearman_p"] < 0.05 and late["spearman_rho"] > 0.5
    verdict = (
        "so in this run the two still move together late in training"
        if tracks
        else "so in this run the estimate follows sample quality while both fall fast, but not "
        "once proxy-FID has levelled off: there it keeps falling on its own"
    )
    return [
        f"- The estimate peaked at {peak['wasserstein']:.2f} (epoch {int(peak['epoch'])}) and "
        f"ended at {last['wasserstein']:.2f}; proxy-FID was best at {best['proxy_fid']:.2f} "
        f"(epoch {int(best['epoch'])}) and ended at {last['proxy_fid']:.2f}. From epoch "
        f"{int(mid['epoch'])} to the end the estimate changed by {change('wasserstein'):+.0f}% "
        f"and proxy-FID by {change('proxy_fid'):+.0f}%, {verdict}.",
    ]


def write_model_card(output: Path, preset: str, t: dict, rows: list[dict]) -> None:
    c, e = t["config"], t["evaluation"]
    gp = t["model"] == "wgan-gp"
    minutes = t["train_seconds_total"] / 60
    if gp:
        method = (
            f"WGAN-GP (Gulrajani et al. 2017) at 64x64, config `{t['config_name']}`: the DCGAN "
            f"generator ({c['noise_dim']}-d `z`, 4x4x{8 * c['gf_dim']} projection, "
            f"{c['kernel_size']}x{c['kernel_size']} transposed convolutions with batch norm) "
            f"against a critic of strided convolutions with layer norm and no sigmoid (widths "
            f"{c['df_dim']}..{8 * c['df_dim']}); gradient penalty lambda = "
            f"{c['gradient_penalty_weight']:g} on `eps x + (1 - eps) G(z)`, eps ~ U[0, 1]; "
            f"Adam({c['learning_rate']:g}, beta_1={c['beta_1']:g}, beta_2={c['beta_2']:g}) for "
            f"both; n_critic = {c['n_critic']} critic updates of m = {c['batch_size']} per "
            f"generator update (a `fit` batch of {t['fit_batch_size']} images)."
        )
    else:
        method = (
            f"WGAN (Arjovsky et al. 2017) at 64x64, config `{t['config_name']}`: the DCGAN "
            f"generator against a batch-normalised critic without sigmoid, weights clipped to "
            f"[-{c['clip_value']:g}, {c['clip_value']:g}] after every critic update; "
            f"RMSprop({c['learning_rate']:g}) for both; n_critic = {c['n_critic']} of m = "
            f"{c['batch_size']} per generator update (a `fit` batch of {t['fit_batch_size']})."
        )
    fake_is, real_is = e["proxy_is"]["generated"], e["proxy_is"]["real_test"]
    curve = e["curve"]
    lines = [
        f"# `{preset}`",
        "",
        method,
        "",
        "![samples](samples.png)",
        "",
        "`samples.png`: 64 images of seed 0 "
        f'(`keras_stackgan.load_pretrained("{preset}").generate(64, seed=0)`).',
        "",
        "## Training",
        "",
        f"- Data: Oxford-102 flowers, the {t['train_records']:,} training images at 64x64 "
        "(`../shared/data/flowers`, labels unused), random horizontal flips.",
        f"- {t['epochs_done']} epochs of {t['steps_per_epoch']} steps: "
        f"{t['generator_steps']:,} generator and {c['n_critic'] * t['generator_steps']:,} "
        f"critic updates in {minutes:.1f} min of training (curve measurements included), "
        f"{t['images_per_second']} real training images/s ({t['hardware']}, shared with other "
        "jobs: an upper bound on what the run needs alone); seed "
        f"{t['seed']}; generator parameters {t['generator_parameters']:,}, critic "
        f"{t['critic_parameters']:,}; XLA {'on' if t['jit_compile'] else 'off'}.",
        f"- Trained by (resumable: the same command continues a stopped run): `{t['command']}`",
        f"- Packaged and measured by: `{t['package_command']}`",
        "",
        "## Evaluation",
        "",
        "Proxy metrics use the small flowers classifier trained on our real data "
        "(`saved_models/evaluators/flowers`): they compare our models with each other and with "
        "real images, **never** with the Inception Score / FID numbers of papers. Same "
        "evaluator, statistics and image count as the flowers rows of `docs/evaluation.md`: "
        f"proxy-FID to the training images; the real column measures the {e['num_real_test']} "
        "real test images the same way.",
        "",
        "| metric | generated | real held-out images |",
        "| --- | --- | --- |",
        f"| proxy-IS (flowers classifier) | {fake_is[0]:.2f} ± {fake_is[1]:.2f} | "
        f"{real_is[0]:.2f} ± {real_is[1]:.2f} |",
        f"| proxy-FID to the training images | {e['proxy_fid']['generated']:.2f} | "
        f"{e['proxy_fid']['real_test']:.2f} |",
        "",
        f"{e['num_images']:,} generated images of seed {e['seed']}, measured in "
        f"{e['seconds']:.0f} s by the packaging command above.",
        "",
        "## Does the critic's Wasserstein estimate track sample quality?",
        "",
        "![curve](curve.png)",
        "",
        "Tracked after every epoch (`curve.csv`): the epoch's mean of the critic's estimate "
        "`mean(D(real)) - mean(D(fake))` on the training batches (at each step's last critic "
        f"update), and the proxy-FID of {curve['images']} samples of one fixed seed "
        f"({CURVE_SEED}; the table above uses 1,000 of seed 0) to the training images.",
        "",
        f"- Whole run: {_correlation_sentence(curve['all'])}.",
        f"- After the first quarter: {_correlation_sentence(curve['after_first_quarter'])}.",
        *_curve_summary(rows, curve["after_first_quarter"]),
        "",
        "| epoch | generator steps | Wasserstein estimate | proxy-FID |",
        "| ---: | ---: | ---: | ---: |",
    ]
    shown = rows if len(rows) <= 12 else rows[:: max(1, len(rows) // 10)] + rows[-1:]
    seen = set()
    for r in shown:
        if r["epoch"] in seen:
            continue
        seen.add(r["epoch"])
        lines.append(
            f"| {int(r['epoch'])} | {int(r['generator_steps']):,} | {r['wasserstein']:.4f} | "
            f"{r['proxy_fid']:.2f} |"
        )
    notes = t.get("notes") or []
    lines += ["", *(["## Notes", "", *(f"- {n}" for n in notes), ""] if notes else [])]
    lines += [
        "## Known limits",
        "",
        f"- Trained for a CPU budget: {t['generator_steps']:,} generator updates at "
        f"{c['gf_dim'] / 64:.2g} of the paper's widths, against the authors' 200,000 at full "
        "width; expect flower colours, green or dark backgrounds and blob shapes with a "
        "speckled high-frequency texture (the 5x5 stride-2 transposed convolutions), not "
        "petals.",
        "- Unconditional: the flower class cannot be chosen.",
        "- Weights are float32 `.weights.h5`; the Oxford-102 licence (non-commercial research "
        "use) applies.",
        "",
    ]
    (output / "README.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
