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
from pathlib import Path

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


def check_metrics(metrics, num_images: int) -> None:
    """Raises ValueError for names outside ``METRICS`` or fewer than 2 images."""
    unknown = set(metrics) - set(METRICS)
    if unknown:
        raise ValueError(f"Unknown metrics {sorted(unknown)}; choose from {', '.join(METRICS)}.")
    if num_images < 2:
        raise ValueError(f"num_images must be >= 2, received {num_images}")


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
    embeddings=None,
) -> np.ndarray:
    """uint8 images of a ``StackGANPipeline``, one per caption, as ``evaluate_preset`` draws them.

    Chunk ``k`` of ``batch_size`` captions takes its noise from ``seed + k``
    (``evaluation_noise``). ``condition="mean"`` is the evaluation before issue 17:
    ``pipeline.generate(chunk, seed=seed + k)``. ``embeddings`` (float ``[len(captions), D]``,
    optional): the captions' embeddings, computed once by a caller that generates for the same
    captions again (a training curve); by default each chunk is embedded as it is generated.
    """
    check_condition(condition)
    chunks = range(0, len(captions), batch_size)
    if progress:
        from tqdm import tqdm

        chunks = tqdm(chunks, desc=description, unit="batch")
    generated = []
    for k, start in enumerate(chunks):
        texts = list(captions[start : start + batch_size])
        if condition == "mean" and embeddings is None:
            generated.append(pipeline.generate(texts, seed=seed + k))
            continue
        chunk = (
            pipeline.embed(texts) if embeddings is None else embeddings[start : start + len(texts)]
        )
        z, epsilon = evaluation_noise(
            len(texts), pipeline.noise_dim, pipeline.condition_dim, seed + k, condition
        )
        generated.append(pipeline.generate_from_noise(chunk, z, epsilon))
    return np.concatenate(generated)


class HeldOutMetrics:
    """The evaluators, held-out captions and real-image references of one dataset, loaded once.

    ``num_images`` (record, caption) pairs of the **test** split drawn with ``seed``
    (``held_out_captions``), and for each of ``metrics``:

    - ``"is"``: the proxy Inception Score (``ProxyEvaluator``) of a batch of images;
    - ``"fid"``: the proxy FID of a batch to the *training* images' statistics;
    - ``"r_precision"``: R-precision of one image per held-out caption against 99 captions of
      other classes (fewer for tiny draws).

    ``evaluate_preset`` measures a preset with it; ``QualityCurve`` measures a training run's
    generator with it every few epochs (``generated_values``).
    """

    def __init__(self, dataset: str, data_dir, metrics=METRICS, num_images: int = 2000, seed=0):
        from keras_stackgan.metrics import ProxyEvaluator, RPrecisionEvaluator

        check_metrics(metrics, num_images)
        if dataset not in EVALUATORS:
            raise ValueError(f"No proxy evaluator for {dataset!r}; evaluators: {list(EVALUATORS)}")
        self.dataset, self.metrics, self.seed = dataset, tuple(metrics), seed
        self.evaluator_name = EVALUATORS[dataset]
        self.data_dir = data_dir
        self.test = preset_records(dataset, data_dir, "test")
        self.picks, self.captions = held_out_captions(self.test, num_images, seed)
        self._real_test = None
        self.proxy = self.train_statistics = self.r_evaluator = None
        if "is" in metrics or "fid" in metrics:
            self.proxy = ProxyEvaluator.from_pretrained(self.evaluator_name)
        if "fid" in metrics:
            train = load_images(preset_records(dataset, data_dir), 64)
            self.train_statistics = self.proxy.statistics(train)
        if "r_precision" in metrics:
            if self.evaluator_name not in RPrecisionEvaluator.presets():
                raise ValueError(
                    f"No R-precision evaluator for {self.evaluator_name}; shipped: "
                    f"{sorted(RPrecisionEvaluator.presets())}. Leave r_precision out of "
                    "--metrics."
                )
            self.r_evaluator = RPrecisionEvaluator.from_pretrained(self.evaluator_name)
            class_ids = np.array([self.test[i].class_id for i in self.picks])
            # 99 mismatched captions of other classes (AttnGAN's protocol), fewer for tiny runs.
            _, counts = np.unique(class_ids, return_counts=True)
            mismatched = int(min(99, num_images - counts.max()))
            if mismatched < 1:
                raise ValueError(
                    "R-precision needs held-out captions of at least two classes; these are "
                    f"all of class {class_ids[0]}. Leave r_precision out of the metrics."
                )
            self.r_options = {"class_ids": class_ids, "num_mismatched": mismatched, "seed": seed}

    @property
    def num_images(self) -> int:
        return len(self.captions)

    @property
    def real_test(self) -> np.ndarray:
        """uint8 ``[n, 64, 64, 3]``: every real test image (the reference column)."""
        if self._real_test is None:
            self._real_test = load_images(self.test, 64)
        return self._real_test

    def _values(self, images, r_images) -> dict:
        values = {}
        if "is" in self.metrics:
            values["proxy_is"] = self.proxy.proxy_inception_score(images)
        if "fid" in self.metrics:
            values["proxy_fid"] = self.proxy.proxy_fid(self.train_statistics, images)
        if "r_precision" in self.metrics:
            values["r_precision"] = self.r_evaluator.r_precision(
                r_images, self.captions, **self.r_options
            )
        return values

    def generated_values(self, generated) -> dict:
        """``{"proxy_is": (mean, std), "proxy_fid": float, "r_precision": RPrecision}`` (the
        requested metrics) of uint8 images, one per held-out caption in order."""
        return self._values(generated, generated)

    def real_values(self) -> dict:
        """The same of the real test images (R-precision: the held-out captions' own images)."""
        return self._values(self.real_test, self.real_test[self.picks])

    def generate(self, pipeline, condition="sample", batch_size=32, progress=False, **kwargs):
        """One image per held-out caption (``generate_for_captions`` from ``seed``)."""
        return generate_for_captions(
            pipeline, self.captions, self.seed, condition, batch_size, progress, **kwargs
        )


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
    from keras_stackgan.pretrained import load_pretrained
    from keras_stackgan.pretrained.pipeline import StackGANPipeline

    check_metrics(metrics, num_images)
    check_condition(condition)
    dataset, evaluator_name = preset_data(preset)
    pipeline = load_pretrained(preset, stage)
    used_condition = condition if getattr(pipeline, "condition_dim", None) else None
    text = isinstance(pipeline, StackGANPipeline)
    if not text:  # sampled from a seed: no captions
        if "r_precision" in metrics:
            raise ValueError(f"{preset} takes no text: leave r_precision out of --metrics.")
        if not hasattr(pipeline, "generate"):
            raise ValueError(f"{preset} does not sample images (it translates them).")
    held_out = HeldOutMetrics(dataset, data_dir, metrics, num_images, seed)
    if text:
        generated = held_out.generate(
            pipeline, condition, batch_size, progress, description=f"generating {preset}"
        )
    else:
        generated = pipeline.generate(num_images, seed=seed)
    fake, real = held_out.generated_values(generated), held_out.real_values()

    rows, values = [], {}
    if "is" in metrics:
        values["proxy_is"] = {"generated": fake["proxy_is"], "real_test": real["proxy_is"]}
        rows.append(
            {
                "metric": f"proxy-IS ({evaluator_name} classifier)",
                "generated": "{:.2f} ± {:.2f}".format(*fake["proxy_is"]),
                "real": "{:.2f} ± {:.2f}".format(*real["proxy_is"]),
            }
        )
    if "fid" in metrics:
        values["proxy_fid"] = {"generated": fake["proxy_fid"], "real_test": real["proxy_fid"]}
        rows.append(
            {
                "metric": "proxy-FID to the training images",
                "generated": f"{fake['proxy_fid']:.2f}",
                "real": f"{real['proxy_fid']:.2f}",
            }
        )
    if "r_precision" in metrics:
        fake_r, real_r = fake["r_precision"], real["r_precision"]
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


CURVE_FILE = "curve.csv"


def caption_curve(
    run_dir,
    dataset: str,
    data_dir,
    text_encoder,
    *,
    every: int,
    num_images: int = 500,
    seed: int = 0,
    metrics=METRICS,
    condition: str = "sample",
):
    """A ``QualityCurve`` of a text-to-image training run: ``<run_dir>/curve.csv``.

    Every ``every`` epochs the run's generator (Stage-I, Stage-I + II, or GAN-INT-CLS)
    draws one image per held-out caption exactly as ``evaluate_preset`` draws them (the same
    ``num_images`` captions and noise of ``seed``; the captions embedded once), and the row
    records ``proxy_is`` (its ``proxy_is_std``), ``proxy_fid`` and ``r_precision`` of them
    (``HeldOutMetrics``; ``metrics`` chooses). The last row of a finished run equals
    ``evaluate_preset(..., num_images=num_images, seed=seed)`` of the packaged preset up to the
    captions' batch composition in the text encoder.
    """
    from keras_stackgan.callbacks import QualityCurve
    from keras_stackgan.pretrained.pipeline import StackGANPipeline

    check_condition(condition)
    held_out = HeldOutMetrics(dataset, data_dir, metrics, num_images, seed)
    embeddings = np.asarray(text_encoder.encode(list(held_out.captions)), dtype=np.float32)

    def measure(model) -> dict:
        stage1 = getattr(model, "stage1_generator", None)
        generators = (model.generator,) if stage1 is None else (stage1, model.generator)
        pipeline = StackGANPipeline(text_encoder, *generators, name="curve")
        generated = held_out.generate(pipeline, condition, embeddings=embeddings)
        values = held_out.generated_values(generated)
        row = {}
        if "proxy_is" in values:
            row["proxy_is"], row["proxy_is_std"] = values["proxy_is"]
        if "proxy_fid" in values:
            row["proxy_fid"] = values["proxy_fid"]
        if "r_precision" in values:
            row["r_precision"] = values["r_precision"].mean
        return row

    return QualityCurve(
        Path(run_dir) / CURVE_FILE,
        measure,
        every=every,
        log_keys=("d_loss", "g_loss", "kl"),
        label=f"curve ({num_images} held-out captions)",
    )
