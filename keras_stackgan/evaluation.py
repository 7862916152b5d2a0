"""Evaluates a pretrained preset on held-out captions against real held-out images.

``evaluate_preset("cub", "../shared/data")`` draws ``num_images`` (record, caption) pairs from
the preset's **test** split, generates one image per caption, and measures on the same proxy
evaluators (``keras_stackgan.metrics``). The zoo's sampling presets (``dcgan-flowers``,
``wgan-gp-flowers``, ``vqvae2-flowers``, ...) draw ``num_images`` images from ``seed`` instead,
so every flowers model is measured by one evaluator against the same real images:

- ``is``: proxy Inception Score of the generated images; real test images as the reference.
- ``fid``: proxy FID of the generated images to the *training* images; the floor is the
  proxy FID of the real test images to the same training images.
- ``r_precision``: R-precision (1 true + 99 captions of other classes) of the generated
  images with their captions; the ceiling is the same on the real test images.

The Conditioning-Augmentation condition is sampled, as both StackGAN implementations do at test
time: ``c = mu + sigma * epsilon`` with ``epsilon`` from a standard normal truncated to
``[-2, 2]``, as the TensorFlow code draws it (``sample_encoded_context``:
``tf.truncated_normal``; StackGAN-Pytorch's ``CA_NET`` draws an untruncated normal), and ``z``
standard normal. ``condition="mean"`` uses the CA mean ``c = mu`` instead (``epsilon = 0``: the
evaluation before issue 17, which measured the tables now in ``docs/evaluation.md``). The report
records the mode in ``EvaluationReport.condition``.

Proxy numbers compare our models with each other and with real images, never with papers.
"""

from __future__ import annotations

import dataclasses
import os
import shlex

import numpy as np

from keras_stackgan.data import load_images
from keras_stackgan.models.noise import stateless_generation_noise
from keras_stackgan.pretrained.datasets import preset_records

METRICS = ("is", "fid", "r_precision")
# How the CA condition is drawn: "sample" (the originals' test time, the default) or "mean".
CONDITIONS = ("sample", "mean")
# The TF original's tf.truncated_normal: epsilon within two standard deviations.
CONDITION_TRUNCATION = 2.0


@dataclasses.dataclass
class EvaluationReport:
    """Rows of ``{"metric", "generated", "real"}`` (formatted strings) plus raw values.

    ``condition`` is how the CA condition was drawn: ``"sample"`` or ``"mean"`` (see the module
    docstring), None for models without Conditioning Augmentation.
    """

    preset: str
    num_images: int
    rows: list[dict]
    values: dict
    command: str
    condition: str | None = None

    def table(self) -> str:
        lines = [
            f"{self.preset}: {self.num_images} images from held-out captions"
            + (f", CA condition: {self.condition}" if self.condition else ""),
            f"| {'metric':<34} | {'generated':>16} | {'real held-out':>16} |",
            f"|{'-' * 36}|{'-' * 18}|{'-' * 18}|",
        ]
        for row in self.rows:
            lines.append(f"| {row['metric']:<34} | {row['generated']:>16} | {row['real']:>16} |")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


EVALUATORS = {"cub": "birds", "flowers": "flowers"}  # dataset -> proxy evaluator preset


def preset_data(preset: str) -> tuple[str, str]:
    """``(dataset, evaluator name)`` of a preset, from the registry's ``dataset`` field.

    Raises:
        ValueError: for an unknown preset or a dataset without a proxy evaluator (MNIST
            presets are measured with ``keras_stackgan.metrics.DigitClassifier``).
    """
    from keras_stackgan.pretrained.presets import PRESETS

    if preset not in PRESETS:
        raise ValueError(f"Unknown preset {preset!r}; available: {', '.join(PRESETS)}.")
    dataset = PRESETS[preset]["metadata"]["dataset"]
    if dataset not in EVALUATORS:
        raise ValueError(
            f"No proxy evaluator for {preset!r} (trained on {dataset}); evaluators exist for "
            f"{', '.join(EVALUATORS)} presets."
        )
    return dataset, EVALUATORS[dataset]


def held_out_captions(records, num: int, seed: int):
    """``num`` (record index, caption) pairs from ``records``, every record before any twice."""
    rng = np.random.default_rng(seed)
    order = np.concatenate([rng.permutation(len(records)) for _ in range(-(-num // len(records)))])
    picks = order[:num]
    captions = [records[i].captions[rng.integers(len(records[i].captions))] for i in picks]
    return picks, captions


def held_out_images(records, num: int, seed: int) -> np.ndarray:
    """``num`` distinct images of ``records`` drawn with ``seed``: uint8 ``[num, 64, 64, 3]``,
    in record order (e.g. the query images of a style-transfer sheet)."""
    picks = np.random.default_rng(seed).choice(len(records), num, replace=False)
    return load_images([records[i] for i in sorted(picks)], 64)


def check_condition(condition: str) -> str:
    """``condition`` if it is one of ``CONDITIONS``; raises ValueError otherwise."""
    if condition not in CONDITIONS:
        raise ValueError(
            f"condition must be one of {', '.join(CONDITIONS)}, received {condition!r}"
        )
    return condition


def evaluation_noise(batch, noise_dim: int, condition_dim: int | None, seed, condition="sample"):
    """``(z, epsilon or None)`` of the evaluation for ``batch`` images from ``seed``.

    ``z`` is standard normal in both modes (the same ``z`` for one seed); ``epsilon`` is a
    normal truncated to ``[-2, 2]`` with ``condition="sample"`` and zeros (the CA mean) with
    ``condition="mean"``, exactly ``StackGANPipeline.generate``'s default noise.
    """
    if check_condition(condition) == "mean":
        return stateless_generation_noise(batch, noise_dim, condition_dim, seed)
    return stateless_generation_noise(
        batch,
        noise_dim,
        condition_dim,
        seed,
        sample_condition=True,
        condition_truncation=CONDITION_TRUNCATION,
    )


def generate_for_captions(
    pipeline,
    captions,
    seed: int,
    condition: str = "sample",
    batch_size: int = 32,
    progress: bool = False,
    description: str = "generating",
) -> np.ndarray:
    """uint8 images of a ``StackGANPipeline``, one per caption, as ``evaluate_preset`` draws them.

    Chunk ``k`` of ``batch_size`` captions takes its noise from ``seed + k``
    (``evaluation_noise``). ``condition="mean"`` is the evaluation before issue 17:
    ``pipeline.generate(chunk, seed=seed + k)``.
    """
    check_condition(condition)
    chunks = range(0, len(captions), batch_size)
    if progress:
        from tqdm import tqdm

        chunks = tqdm(chunks, desc=description, unit="batch")
    generated = []
    for k, start in enumerate(chunks):
        texts = list(captions[start : start + batch_size])
        if condition == "mean":
            generated.append(pipeline.generate(texts, seed=seed + k))
            continue
        embeddings = pipeline.embed(texts)
        z, epsilon = evaluation_noise(
            len(texts), pipeline.noise_dim, pipeline.condition_dim, seed + k, condition
        )
        generated.append(pipeline.generate_from_noise(embeddings, z, epsilon))
    return np.concatenate(generated)


def evaluate_preset(
    preset: str,
    data_dir: str | os.PathLike,
    metrics=METRICS,
    num_images: int = 2000,
    seed: int = 0,
    stage: str | None = None,
    batch_size: int = 32,
    progress: bool = True,
    condition: str = "sample",
) -> EvaluationReport:
    """Measures a preset (see the module docstring) and returns an ``EvaluationReport``.

    Args:
        preset: a name from ``keras_stackgan.list_pretrained()``.
        data_dir: folder of the preset's data (``birds/``, ``bird_crops100/``, ``flowers/``).
        metrics: names among ``"is"``, ``"fid"``, ``"r_precision"``.
        num_images: generated images (one per held-out caption).
        seed: seed of the caption draw and of the generation noise.
        stage: ``"64"`` or ``"256"`` (default: the preset's largest).
        batch_size: images per generation call.
        progress: show a progress bar while generating.
        condition: ``"sample"`` (default): the CA condition ``mu + sigma * epsilon`` with
            ``epsilon`` from a normal truncated to ``[-2, 2]``, as the original StackGAN code
            at test time; ``"mean"``: the CA mean (the evaluation before issue 17). No effect
            on models without Conditioning Augmentation (recorded as None).

    Raises:
        ValueError: for unknown metrics or presets, or a metric without an evaluator.
    """
    from keras_stackgan.metrics import ProxyEvaluator, RPrecisionEvaluator
    from keras_stackgan.pretrained import load_pretrained

    unknown = set(metrics) - set(METRICS)
    if unknown:
        raise ValueError(f"Unknown metrics {sorted(unknown)}; choose from {', '.join(METRICS)}.")
    if num_images < 2:
        raise ValueError(f"num_images must be >= 2, received {num_images}")
    check_condition(condition)
    from keras_stackgan.pretrained.pipeline import StackGANPipeline

    dataset, evaluator_name = preset_data(preset)
    pipeline = load_pretrained(preset, stage)
    test = preset_records(dataset, data_dir, "test")
    used_condition = condition if getattr(pipeline, "condition_dim", None) else None
    if not isinstance(pipeline, StackGANPipeline):  # sampled from a seed: no captions
        if "r_precision" in metrics:
            raise ValueError(f"{preset} takes no text: leave r_precision out of --metrics.")
        if not hasattr(pipeline, "generate"):
            raise ValueError(f"{preset} does not sample images (it translates them).")
        generated = pipeline.generate(num_images, seed=seed)
    else:
        picks, captions = held_out_captions(test, num_images, seed)
        generated = generate_for_captions(
            pipeline, captions, seed, condition, batch_size, progress, f"generating {preset}"
        )
    real_test = load_images(test, 64)

    rows, values = [], {}
    if "is" in metrics or "fid" in metrics:
        proxy = ProxyEvaluator.from_pretrained(evaluator_name)
        if "is" in metrics:
            fake_is = proxy.proxy_inception_score(generated)
            real_is = proxy.proxy_inception_score(real_test)
            values["proxy_is"] = {"generated": fake_is, "real_test": real_is}
            rows.append(
                {
                    "metric": f"proxy-IS ({evaluator_name} classifier)",
                    "generated": f"{fake_is[0]:.2f} ± {fake_is[1]:.2f}",
                    "real": f"{real_is[0]:.2f} ± {real_is[1]:.2f}",
                }
            )
        if "fid" in metrics:
            train_stats = proxy.statistics(load_images(preset_records(dataset, data_dir), 64))
            fake_fid = proxy.proxy_fid(train_stats, generated)
            real_fid = proxy.proxy_fid(train_stats, real_test)
            values["proxy_fid"] = {"generated": fake_fid, "real_test": real_fid}
            rows.append(
                {
                    "metric": "proxy-FID to the training images",
                    "generated": f"{fake_fid:.2f}",
                    "real": f"{real_fid:.2f}",
                }
            )
    if "r_precision" in metrics:
        if evaluator_name not in RPrecisionEvaluator.presets():
            raise ValueError(
                f"No R-precision evaluator for {evaluator_name}; shipped: "
                f"{sorted(RPrecisionEvaluator.presets())}. Leave r_precision out of --metrics."
            )
        r_eval = RPrecisionEvaluator.from_pretrained(evaluator_name)
        class_ids = np.array([test[i].class_id for i in picks])
        # 99 mismatched captions of other classes (AttnGAN's protocol), fewer for tiny runs.
        _, counts = np.unique(class_ids, return_counts=True)
        mismatched = int(min(99, num_images - counts.max()))
        options = {"class_ids": class_ids, "num_mismatched": mismatched, "seed": seed}
        fake_r = r_eval.r_precision(generated, captions, **options)
        real_r = r_eval.r_precision(real_test[picks], captions, **options)
        values["r_precision"] = {"generated": fake_r.mean, "real_test": real_r.mean}
        rows.append(
            {
                "metric": f"R-precision (1 of {fake_r.num_mismatched + 1})",
                "generated": f"{100 * fake_r.mean:.1f}%",
                "real": f"{100 * real_r.mean:.1f}%",
            }
        )
    command = shlex.join(
        [
            "keras-stackgan",
            "evaluate",
            "--preset",
            preset,
            "--data-dir",
            os.fspath(data_dir),
            "--metrics",
            ",".join(metrics),
            "--num",
            str(num_images),
            "--seed",
            str(seed),
        ]
        + (["--condition", condition] if used_condition == "mean" else [])
    )
    return EvaluationReport(preset, num_images, rows, values, command, used_condition)
