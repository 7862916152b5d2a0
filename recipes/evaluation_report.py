"""Evaluates every shipped preset and writes ``docs/evaluation.md`` with its pictures.

For each preset: ``evaluate_preset`` (proxy-IS, proxy-FID, R-precision where an evaluator
exists) on held-out captions, saved as ``saved_models/<preset>/evaluation.json`` (the model
cards read it); then StackGAN next to GAN-INT-CLS for identical captions and noise, Stage-I next
to Stage-II, sentence and noise interpolations, and the GAN-INT-CLS style-transfer sheet::

    python recipes/evaluation_report.py --data-dir ../shared/data --num 1000

StackGAN's Conditioning-Augmentation condition is sampled as in the original code at test time
(``epsilon`` from a normal truncated to [-2, 2]); ``--condition mean`` measures with the CA mean
instead. Each ``evaluation.json`` records the mode (``"condition"``).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
IMAGES = DOCS / "images"

PAIRS = {"cub": "gan-int-cls-cub", "flowers": "gan-int-cls-flowers"}
METRICS = {"cub": ["is", "fid", "r_precision"], "flowers": ["is", "fid", "r_precision"]}


def report_condition(preset: str, report: dict) -> str | None:
    """How a report drew the CA condition: ``"sample"``, ``"mean"`` or None (no CA).

    Reports saved before the mode was recorded measured StackGAN with the CA mean."""
    if "condition" in report:
        return report["condition"]
    from keras_stackgan.pretrained.presets import PRESETS

    return "mean" if PRESETS[preset]["metadata"].get("family") == "stackgan" else None


def evaluate_all(data_dir: Path, num: int, seed: int, condition: str = "sample") -> dict:
    from keras_stackgan.assets import saved_model_path
    from keras_stackgan.evaluation import evaluate_preset, preset_data
    from keras_stackgan.pretrained import list_pretrained
    from keras_stackgan.pretrained.presets import PRESETS

    reports = {}
    text_presets = [p for p in list_pretrained() if "stages" in PRESETS[p]["metadata"]]
    for preset in text_presets:  # the zoo's noise-to-image presets: recipes/zoo_report.py
        dataset, _ = preset_data(preset)
        start = time.monotonic()
        report = evaluate_preset(
            preset, data_dir, METRICS[dataset], num_images=num, seed=seed, condition=condition
        )
        record = report.to_dict()
        record["seconds"] = round(time.monotonic() - start, 1)
        path = saved_model_path(PRESETS[preset]["path"], "evaluation.json")
        path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        print(report.table(), flush=True)
        reports[preset] = record
    return reports


def pictures(data_dir: Path, seed: int) -> list[str]:
    """Comparison sheets under docs/images; returns markdown lines."""
    import numpy as np

    from keras_stackgan.evaluation import held_out_images
    from keras_stackgan.pretrained import list_pretrained, load_pretrained
    from keras_stackgan.pretrained.datasets import preset_records
    from keras_stackgan.pretrained.presets import PRESETS
    from keras_stackgan.pretrained.training import SAMPLE_CAPTIONS as CARD_CAPTIONS
    from keras_stackgan.visual import (
        image_grid,
        interpolate_noise,
        interpolate_texts,
        rows_to_sheet,
        stages_side_by_side,
        style_transfer_sheet,
    )

    IMAGES.mkdir(parents=True, exist_ok=True)
    shipped = set(list_pretrained())
    lines = []
    for stackgan, baseline in PAIRS.items():
        if stackgan not in shipped or baseline not in shipped:
            continue
        captions = list(CARD_CAPTIONS[stackgan])
        ours = load_pretrained(stackgan, "64")
        theirs = load_pretrained(baseline)
        # Same captions and the same z (both draw z from seed 0 the same way; GAN-INT-CLS
        # has no CA, StackGAN uses the CA mean).
        a = ours.generate(captions, images_per_text=2, seed=0)
        b = theirs.generate(captions, images_per_text=2, seed=0)
        both = np.concatenate(
            [a.reshape(len(captions), 2, 64, 64, 3), b.reshape(len(captions), 2, 64, 64, 3)], axis=1
        )
        name = f"compare_{stackgan}.png"
        image_grid(both.reshape(-1, 64, 64, 3), len(captions), captions).save(IMAGES / name)
        lines += [
            f"### StackGAN Stage-I vs GAN-INT-CLS, `{stackgan}` data",
            "",
            "Per caption: two StackGAN Stage-I images (rows 1-2) and two GAN-INT-CLS images "
            "(rows 3-4) with the same two noise vectors (seed 0).",
            "",
            f"![{name}](images/{name})",
            "",
        ]
    if "cub" in shipped:
        full = load_pretrained("cub")
        if full.stage2_generator is not None:
            stages_side_by_side(full, list(CARD_CAPTIONS["cub"][:4]), seed=0).save(
                IMAGES / "stages_cub.png"
            )
            lines += [
                "### Stage-I sketch (enlarged) above the Stage-II image, `cub`",
                "",
                "![stages_cub.png](images/stages_cub.png)",
                "",
            ]
        sketch = load_pretrained("cub", "64")
        texts = ("this bird is red with black wings.", "this bird is yellow with black wings.")
        rows_to_sheet(interpolate_texts(sketch, *texts, steps=8, rows=3)).save(
            IMAGES / "interpolate_text_cub.png"
        )
        rows_to_sheet(
            interpolate_noise(sketch, [texts[0], "a blue bird with a white belly."], steps=8)
        ).save(IMAGES / "interpolate_noise_cub.png")
        lines += [
            "### Interpolations (`cub`, Stage-I)",
            "",
            f'Between the embeddings of "{texts[0]}" (left) and "{texts[1]}" (right), three '
            "noise vectors (rows):",
            "",
            "![interpolate_text_cub.png](images/interpolate_text_cub.png)",
            "",
            "Between two noise vectors (seeds 0 and 1) at fixed sentences (rows):",
            "",
            "![interpolate_noise_cub.png](images/interpolate_noise_cub.png)",
            "",
        ]
    for dataset in ("cub", "flowers"):
        baseline = PAIRS[dataset]
        pipeline = load_pretrained(baseline) if baseline in shipped else None
        if pipeline is None or pipeline.style_encoder is None:
            continue
        queries = held_out_images(preset_records(dataset, data_dir, "test"), 4, seed)
        name = f"style_transfer_{dataset}.png"
        captions = CARD_CAPTIONS[dataset]
        style_transfer_sheet(pipeline, queries, captions, "real held-out image").save(IMAGES / name)
        # Generated queries (4 images of the last sentence): S's home ground, where the last
        # column should give the queries back.
        generated_name = f"style_transfer_generated_{dataset}.png"
        generated = pipeline.generate(captions[-1], images_per_text=4, seed=3)
        style_transfer_sheet(pipeline, generated, captions, "generated query").save(
            IMAGES / generated_name
        )
        errors = pipeline.metadata["training"]["style_encoder"]["held_out"]
        grid = pipeline.transfer_style(queries, captions).astype(np.float32)
        spread = {  # pixel std (0-255) across the queries (style) and across the sentences
            "queries": float(grid.std(axis=0).mean()),
            "sentences": float(grid.std(axis=1).mean()),
        }
        norms = {  # how far S's codes sit from N(0, I)'s shell (norm about sqrt(noise_dim))
            kind: np.linalg.norm(
                pipeline.style_encoder.predict(images / 127.5 - 1.0, verbose=0), axis=1
            )
            for kind, images in (("real", queries), ("generated", generated))
        }
        lines += [
            f"### GAN-INT-CLS style transfer, `{baseline}`",
            "",
            "Real held-out images (left column) redrawn with each sentence: the style encoder "
            "S estimates each image's z, and G draws that z with the sentence. On held-out "
            "captions, G(S(x), t) redraws a generated x = G(z, t) with a pixel MSE of "
            f"{errors['reconstruction']:.4f}, against {errors['random_noise']:.4f} for a fresh "
            f"z and {errors['zero_noise']:.4f} for z = 0 (model card: "
            f"`saved_models/{PRESETS[baseline]['path']}/README.md`).",
            "",
            f"![{name}](images/{name})",
            "",
            f"S's codes for these real images have norms {norms['real'].min():.1f} to "
            f"{norms['real'].max():.1f}, against {norms['generated'].min():.1f} to "
            f"{norms['generated'].max():.1f} for the generated queries below and "
            f"{np.sqrt(pipeline.noise_dim):.1f} for a typical z: real photos lie outside what "
            "the CPU-budget generator draws. Across the four queries a pixel of this sheet "
            f"varies by {spread['queries']:.1f} (standard deviation, 0-255), across the "
            f"sentences by {spread['sentences']:.1f}: the text decides more than the style.",
            "",
            "The same with generated query images (four images of the last sentence, "
            "`generate(sentence, images_per_text=4, seed=3)`), so that the last column should "
            "give the queries back:",
            "",
            f"![{generated_name}](images/{generated_name})",
            "",
        ]
    return lines


def write_markdown(reports: dict, picture_lines: list[str], num: int) -> None:
    lines = [
        "# Evaluation",
        "",
        "Every number here was measured by `python recipes/evaluation_report.py "
        f"--data-dir ../shared/data --num {num}` on the development machine (2 CPU cores, no "
        "GPU); each table also names the single `keras-stackgan evaluate` command behind it.",
        "",
        "**Proxy metrics.** ImageNet Inception weights cannot be downloaded here, so IS and FID "
        "are computed with small classifiers trained on our real data "
        "(`saved_models/evaluators/`, held-out accuracies in their model cards). They compare "
        "our models with each other and with real images only; they are **not comparable** "
        "with the Inception Score / FID numbers in papers (StackGAN's 3.70 on CUB, etc.). "
        "`keras_stackgan.metrics.inception_score` / `frechet_inception_distance` compute the "
        "real ones where ImageNet weights are available.",
        "",
        "Generated images come from held-out (test-split) captions, one image per caption; "
        "the *real* column measures the real test images of the same records the same way "
        "(proxy-FID: to the training images, the floor; R-precision: the ceiling).",
        "",
        "**CA condition.** StackGAN's Conditioning-Augmentation condition is sampled as both "
        "original implementations do at test time, `c = mu + sigma * epsilon`: epsilon from a "
        "standard normal truncated to [-2, 2], as the TensorFlow code's `sample_encoded_context` "
        "draws it (`tf.truncated_normal`; StackGAN-Pytorch draws an untruncated normal), z "
        "standard normal. `python recipes/evaluation_report.py --condition mean` "
        '(`evaluate_preset(..., condition="mean")`) measures with the CA mean `c = mu` '
        "instead. GAN-INT-CLS has no CA. Each table names its mode.",
        "",
    ]
    mean_presets = [p for p, r in reports.items() if report_condition(p, r) == "mean"]
    if mean_presets:
        lines += [
            "**Measured with the CA mean:** "
            + ", ".join(f"`{p}`" for p in mean_presets)
            + " (the evaluation's default before issue 17).",
            "",
        ]
    lines += [
        "The zoo's other models (DCGAN, WGAN-GP, VAE, VQ-VAE-2 on flowers; cGAN and InfoGAN on "
        "MNIST) are measured on the same evaluators in [zoo.md](zoo.md).",
        "",
    ]
    for preset, report in reports.items():
        lines += [
            f"## `{preset}`",
            "",
            "| metric | generated | real held-out images |",
            "| --- | --- | --- |",
        ]
        lines += [f"| {r['metric']} | {r['generated']} | {r['real']} |" for r in report["rows"]]
        condition = report_condition(preset, report)
        mode = {
            "sample": "CA condition sampled (epsilon truncated to [-2, 2])",
            "mean": "CA condition: the mean",
            None: "no CA",
        }[condition]
        lines += ["", f"`{report['command']}` ({report['seconds']:.0f} s; {mode})", ""]
    for stackgan, baseline in PAIRS.items():
        if stackgan in reports and baseline in reports:
            lines += [f"## Side by side: StackGAN vs GAN-INT-CLS on `{stackgan}` data", ""]
            lines += ["| metric | StackGAN | GAN-INT-CLS | real |", "| --- | --- | --- | --- |"]
            for ours, theirs in zip(
                reports[stackgan]["rows"], reports[baseline]["rows"], strict=True
            ):
                lines.append(
                    f"| {ours['metric']} | {ours['generated']} | {theirs['generated']} | "
                    f"{ours['real']} |"
                )
            lines += [
                "",
                "GAN-INT-CLS and the evaluators work at 64x64; "
                + (
                    "the StackGAN row is the full 256 px pipeline, resized to 64 px."
                    if stackgan == "cub"
                    else "StackGAN's `flowers` preset is Stage-I at 64 px."
                ),
                "",
            ]
    lines += [
        "## Reading these numbers",
        "",
        "- The real column uses every test image of the preset (proxy-IS, proxy-FID) or the "
        "test images of the drawn captions (R-precision); proxy-FID of 1,000 generated images "
        "carries more sampling bias than the real floor's.",
        "- R-precision's real-image ceiling is low because the frozen sentence embeddings "
        "barely separate bird species (see "
        "`saved_models/evaluators/r_precision_birds/README.md`).",
        "- Learning curves: the text-to-image recipes (`train_cub.py`, `train_flowers.py`, "
        "`train_gan_int_cls.py`) measure their generator every `--curve-every` epochs on "
        "`--curve-images` held-out captions with these evaluators, drawn the same way "
        "(`curve.csv` in the run; `keras_stackgan.evaluation.caption_curve`); "
        "`python recipes/learning_curve.py <run dirs> --plot curves.png` tabulates and "
        "plots them. A curve of 500 images is noisier and biased upwards in proxy-FID "
        "against the 1,000 of these tables: compare rows of one curve with each other.",
        "",
    ]
    lines += ["## Pictures", ""] + picture_lines
    (DOCS / "evaluation.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--num", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--condition",
        choices=("sample", "mean"),
        default="sample",
        help="StackGAN's CA condition: sampled with epsilon truncated to [-2, 2] as the "
        "original code at test time (default), or the CA mean",
    )
    parser.add_argument(
        "--skip-metrics", action="store_true", help="reuse the saved evaluation.json files"
    )
    args = parser.parse_args()
    DOCS.mkdir(exist_ok=True)
    if args.skip_metrics:  # reuse the saved saved_models/<preset>/evaluation.json
        from keras_stackgan.assets import saved_model_path
        from keras_stackgan.pretrained import list_pretrained
        from keras_stackgan.pretrained.presets import PRESETS

        reports = {}
        for preset in list_pretrained():
            path = saved_model_path(PRESETS[preset]["path"], "evaluation.json")
            if path.is_file():
                reports[preset] = json.loads(path.read_text(encoding="utf-8"))
    else:
        reports = evaluate_all(args.data_dir, args.num, args.seed, args.condition)
    write_markdown(reports, pictures(args.data_dir, args.seed), args.num)
    print(f"wrote {DOCS / 'evaluation.md'}")


if __name__ == "__main__":
    main()
