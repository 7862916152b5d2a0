"""Copies trained generators from run directories into ``saved_models/<preset>/``.

Writes ``config.json`` and the ``.weights.h5`` files ``load_pretrained`` reads, ``samples.png``
(fixed captions, seed 0, through the loaded pipeline), the last training sample sheet of each
stage (from the ``SampleGrid`` callback) and the model card ``README.md``, whose numbers all come
from the runs' ``history.csv``/``run.json`` and, when present, the preset's ``evaluation.json``
(written by ``keras-stackgan evaluate ... --output saved_models/<preset>/evaluation.json``)::

    python recipes/package_preset.py --preset cub --run-dir runs/cub
    python recipes/package_preset.py --preset flowers --run-dir runs/flowers
    python recipes/package_preset.py --preset gan-int-cls-cub --run-dir runs/gan-int-cls-cub

For GAN-INT-CLS presets it also ships the style encoder S, its measurements and its
style-transfer sheet when ``recipes/train_style_encoder.py`` has left them in the run directory.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from PIL import Image

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

REPO = Path(__file__).resolve().parent.parent


def check_finite(model, source) -> None:
    """Refuses to package a model with NaN/inf weights (a diverged run): ``NonFiniteError``."""
    from keras_stackgan.callbacks.non_finite import check_finite_weights

    check_finite_weights(model, f"a preset from {source}")


def stage_generators(preset: str, run_dir: Path):
    """``(family, stage1_generator, stage2_generator or None, [run summaries])``.

    Raises:
        NonFiniteError: when a generator's weights hold NaN or inf.
    """
    from keras_stackgan.pretrained.training import run_summary

    if preset.startswith("gan-int-cls"):
        from keras_stackgan.models.gan_int_cls import GANINTCLS, gan_int_cls_config

        summary = run_summary(run_dir)
        gan = GANINTCLS.from_gan_int_cls_config(gan_int_cls_config(summary["config"]))
        weights = run_dir / "gan_int_cls_generator.weights.h5"
        gan.generator.load_weights(str(weights))
        check_finite(gan.generator, weights)
        return "gan-int-cls", gan.generator, None, [summary]

    from keras_stackgan.models.stackgan import StageIIGAN, stackgan_config
    from keras_stackgan.pretrained.training import build_stage1_generator, stage_file

    first = run_summary(run_dir / "stage1")
    config = stackgan_config(first["config"])
    stage1 = build_stage1_generator(config, run_dir / "stage1" / stage_file(1))
    check_finite(stage1, run_dir / "stage1" / stage_file(1))
    summaries, stage2 = [first], None
    if (run_dir / "stage2" / stage_file(2)).is_file():
        summaries.append(run_summary(run_dir / "stage2"))
        gan = StageIIGAN.from_stackgan_config(stage1, config)
        gan.generator.load_weights(str(run_dir / "stage2" / stage_file(2)))
        check_finite(gan.generator, run_dir / "stage2" / stage_file(2))
        stage2 = gan.generator
    return "stackgan", stage1, stage2, summaries


def save_sheet(image, directory: Path, stem: str) -> str:
    """Saves a sample sheet: PNG when small, JPEG (quality 88) for 256 px sheets, whose PNGs
    take megabytes that would stay in git history forever."""
    for old in directory.glob(f"{stem}.*"):
        old.unlink()
    if image.size[0] * image.size[1] <= 600 * 600:
        name = f"{stem}.png"
        image.save(directory / name)
    else:
        name = f"{stem}.jpg"
        image.convert("RGB").save(directory / name, quality=88)
    return name


def last_sheet(stage_run_dir: Path) -> Path | None:
    sheets = sorted((stage_run_dir / "samples").glob("epoch_*.png"))
    return sheets[-1] if sheets else None


def fmt_minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f} min"


def style_encoder(run_dir: Path, generator):
    """``(StyleEncoder, summary)`` from ``recipes/train_style_encoder.py``'s files, or None."""
    summary_path = run_dir / "style_encoder.json"
    if not summary_path.is_file():
        return None
    from keras_stackgan.models.gan_int_cls import StyleEncoder

    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    encoder = StyleEncoder(
        generator.noise_dim, generator.image_size, summary["df_dim"], name="style_encoder"
    )
    encoder.load_weights(str(run_dir / "style_encoder.weights.h5"))
    check_finite(encoder, run_dir / "style_encoder.weights.h5")
    return encoder, summary


def style_section(style: dict, sheet: str) -> list[str]:
    """The model card's style-transfer section, every number from ``style_encoder.json``."""
    errors = style["held_out"]
    curve = style["loss_curve"]
    return [
        "## Style transfer",
        "",
        f"![style transfer]({sheet})",
        "",
        "Real held-out images (left column) redrawn with each sentence: the style encoder S "
        "estimates each image's `z` and the generator draws it with the sentence "
        "(`pipeline.transfer_style(images, sentences)`).",
        "",
        f"S was trained for {style['steps']:,} steps (batch {style['batch_size']}, "
        f"{fmt_minutes(style['seconds'])}) on `||z - S(G(z, t))||^2` against the frozen "
        f"generator: the loss per dimension went from {curve[0]:.3f} (first tenth) to "
        f"{curve[-1]:.3f} (last tenth); 1.0 is what answering `z = 0` scores.",
        "",
        f"On {style['held_out_captions']} held-out captions, `G(S(x), t)` redraws a generated "
        f"`x = G(z, t)` with a pixel mean squared error (in [-1, 1] units) of "
        f"**{errors['reconstruction']:.4f}**, against {errors['random_noise']:.4f} for a "
        f"fresh `z` and {errors['zero_noise']:.4f} for `z = 0`.",
        "",
        f"Command: `{style['command']}`",
        "",
    ]


def card(
    preset, description, family, summaries, generators, evaluation, sheets, samples, style=None
) -> str:
    lines = [f"# `{preset}`", "", description, ""]
    lines += [
        f"![samples]({samples})",
        "",
        f"`{samples}`: one column per caption (written underneath), 4 images each, seed 0: "
        f"`keras-stackgan generate ... --preset {preset} --num 4 --seed 0 --captions`.",
        "",
        "## Training",
        "",
        "| stage | image size | epochs | wall time | train images | captions | batch | "
        "generator parameters |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for summary, generator in zip(summaries, generators, strict=False):
        size = summary["image_size"]
        lines.append(
            f"| {summary.get('stage', 1)} | {size}x{size} | {summary['epochs_done']} | "
            f"{fmt_minutes(summary['train_seconds_total'])} | {summary['train_records']:,} | "
            f"{summary['train_captions']:,} | {summary['config']['batch_size']} | "
            f"{generator.count_params():,} |"
        )
    first = summaries[0]
    lines += [
        "",
        f"- Hardware: {first['hardware']}, shared with other jobs (wall time is an upper "
        "bound on what the run needs alone).",
        f"- Text encoder: `{first['encoder']}` (all-MiniLM-L6-v2, 384-d, frozen); captions "
        "embedded once and cached.",
        f"- Configuration: `{family}` small widths (`config.json` holds them all); Adam 2e-4, "
        "beta_1 0.5; seed 0; test splits held out.",
        "- Reproduce: "
        + {
            "cub": "`python recipes/train_cub.py --stage 1` then `--stage 2` (resumable; "
            "pass the same `--epochs` as above).",
            "flowers": "`python recipes/train_flowers.py` (resumable).",
        }.get(
            preset,
            f"`python recipes/train_gan_int_cls.py --dataset {preset.split('-')[-1]} "
            f"--minutes {first['train_seconds_total'] / 60:.1f}` (the StackGAN Stage-I run's "
            "wall time).",
        ),
        "",
        "Sample sheets written by the `SampleGrid` callback during training (fixed captions "
        "and noise), last epoch of each stage:",
        "",
    ]
    for name in sheets:
        lines += [f"![{name}]({name})", ""]
    if style is not None:
        lines += style_section(*style)
    lines += ["## Evaluation", ""]
    if evaluation:
        lines += [
            "Proxy metrics use small classifiers trained on our real data "
            "(`saved_models/evaluators/`): they compare our models with each other and with "
            "real images, **never** with the Inception Score / FID numbers of papers.",
            "",
            "| metric | generated | real held-out images |",
            "| --- | --- | --- |",
        ]
        for row in evaluation["rows"]:
            lines.append(f"| {row['metric']} | {row['generated']} | {row['real']} |")
        lines += ["", f"Command: `{evaluation['command']}`", ""]
    else:
        lines += ["Not evaluated yet.", ""]
    lines += [
        "## Known limits",
        "",
        "- Trained for a CPU budget, far fewer epochs than the paper's 600 per stage and a "
        "quarter of its widths: expect blurry shapes with the right colours, not photographs.",
        "- The captions it knows are CUB-style sentences about birds (or flower class names); "
        "other subjects give images of the training domain.",
        "- Weights are float32 `.weights.h5`; licences of the training data (CUB-200-2011, "
        "Oxford-102: non-commercial research use) apply.",
    ]
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", required=True)
    parser.add_argument("--run-dir", type=Path, required=True)
    args = parser.parse_args()

    from keras_stackgan.assets import saved_model_path
    from keras_stackgan.pretrained import load_pretrained
    from keras_stackgan.pretrained.package import write_preset
    from keras_stackgan.pretrained.presets import PRESETS

    preset = PRESETS[args.preset]
    family, stage1, stage2, summaries = stage_generators(args.preset, args.run_dir)
    style = style_encoder(args.run_dir, stage1) if family == "gan-int-cls" else None
    training = {f"stage{i + 1}": s for i, s in enumerate(summaries)}
    if style is not None:
        training["style_encoder"] = style[1]
    directory = saved_model_path(preset["path"])
    write_preset(
        directory,
        family=family,
        text_encoder="all_minilm_l6_v2_en",
        stage1_generator=stage1,
        stage2_generator=stage2,
        style_encoder=None if style is None else style[0],
        training=training,
    )
    pipeline = load_pretrained(args.preset)
    from keras_stackgan.pretrained.training import SAMPLE_CAPTIONS

    captions = list(SAMPLE_CAPTIONS["flowers" if "flowers" in args.preset else "cub"])
    samples = save_sheet(pipeline.grid(captions, images_per_text=4, seed=0), directory, "samples")

    sheets = []
    stage_dirs = (
        [args.run_dir]
        if family == "gan-int-cls"
        else [args.run_dir / f"stage{i + 1}" for i in range(len(summaries))]
    )
    for i, stage_dir in enumerate(stage_dirs):
        sheet = last_sheet(stage_dir)
        if sheet is not None:
            with Image.open(sheet) as image:
                sheets.append(save_sheet(image, directory, f"training_samples_stage{i + 1}"))
    style_card = None
    if style is not None:
        with Image.open(args.run_dir / style[1]["sheet"]) as image:
            style_card = (style[1], save_sheet(image, directory, "style_transfer"))
    evaluation_path = directory / "evaluation.json"
    evaluation = None
    if evaluation_path.is_file():
        evaluation = json.loads(evaluation_path.read_text(encoding="utf-8"))
    generators = [g for g in (stage1, stage2) if g is not None]
    text = card(
        args.preset,
        preset["metadata"]["description"],
        family,
        summaries,
        generators,
        evaluation,
        sheets,
        samples,
        style_card,
    )
    (directory / "README.md").write_text(text, encoding="utf-8")
    print(f"wrote {directory}: " + ", ".join(sorted(p.name for p in directory.iterdir())))


if __name__ == "__main__":
    main()
