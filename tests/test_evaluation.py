"""The preset evaluation driver: caption draws, the CA condition, report formatting, and (slow)
a real run."""

import numpy as np
import pytest
from keras import ops

from keras_stackgan.data import ImageRecord
from keras_stackgan.evaluation import (
    EvaluationReport,
    evaluate_preset,
    evaluation_noise,
    generate_for_captions,
    held_out_captions,
)
from keras_stackgan.layers import ConditioningAugmentation
from keras_stackgan.models.noise import stateless_generation_noise
from keras_stackgan.pretrained import list_pretrained
from keras_stackgan.pretrained.pipeline import StackGANPipeline
from tests.pretrained.conftest import EMBEDDING_DIM, tiny_generators, tiny_text_encoder

CAPTIONS = ["a small red bird.", "the bird has black wings.", "a white bird", "red wings."]


def records(n):
    return [ImageRecord(f"{i}.jpg", f"k{i}", i % 3, (f"a{i}", f"b{i}")) for i in range(n)]


def test_held_out_captions_cover_records_before_repeating():
    picks, captions = held_out_captions(records(5), 12, seed=0)
    assert len(picks) == len(captions) == 12
    assert sorted(picks[:5]) == list(range(5)) and sorted(picks[5:10]) == list(range(5))
    for index, caption in zip(picks, captions, strict=True):
        assert caption in (f"a{index}", f"b{index}")
    again = held_out_captions(records(5), 12, seed=0)
    np.testing.assert_array_equal(picks, again[0])
    assert captions == again[1]


def test_report_table_and_dict():
    report = EvaluationReport(
        "cub", 8, [{"metric": "proxy-FID", "generated": "12.00", "real": "3.00"}], {}, "cmd"
    )
    assert "proxy-FID" in report.table() and "12.00" in report.table()
    assert report.to_dict()["rows"][0]["real"] == "3.00"


def test_unknown_metric():
    with pytest.raises(ValueError, match="Unknown metrics"):
        evaluate_preset("cub", ".", metrics=["bleu"])


def test_unknown_condition():
    with pytest.raises(ValueError, match="condition must be one of sample, mean"):
        evaluate_preset("cub", ".", metrics=["is"], condition="zero")
    with pytest.raises(ValueError, match="condition"):
        evaluation_noise(2, 3, 4, seed=0, condition="median")


def test_default_condition_is_sampled_within_two_std_and_reproducible():
    z, eps = evaluation_noise(64, 6, 4, seed=7)  # the default: "sample"
    z_mean, eps_mean = evaluation_noise(64, 6, 4, seed=7, condition="mean")
    np.testing.assert_array_equal(z, z_mean)  # z: the same standard normal in both modes
    np.testing.assert_array_equal(eps_mean, 0.0)
    eps = np.asarray(eps)
    assert np.all(np.abs(eps) <= 2.0 + 1e-5) and np.abs(eps).min() > 0.0
    np.testing.assert_array_equal(eps, evaluation_noise(64, 6, 4, seed=7)[1])  # same seed
    assert not np.allclose(eps, evaluation_noise(64, 6, 4, seed=8)[1])

    # The condition c itself: off the CA mean, within two standard deviations of it.
    ca = ConditioningAugmentation(condition_dim=4)
    embeddings = np.random.default_rng(0).normal(size=(64, EMBEDDING_DIM)).astype("float32")
    c, mu, logvar = (np.asarray(t) for t in ca(embeddings, epsilon=eps))
    c_mean, _, _ = ca(embeddings, epsilon=eps_mean)
    np.testing.assert_allclose(c_mean, mu)
    assert not np.allclose(c, mu)
    std = np.asarray(ops.exp(0.5 * logvar))
    assert np.all(np.abs(c - mu) <= 2.0 * std + 1e-5)


def test_mean_condition_reproduces_the_old_evaluation():
    # The old evaluation: pipeline.generate(chunk, seed=seed + k) per chunk, epsilon = 0.
    assert np.all(np.asarray(stateless_generation_noise(3, 6, 4, seed=1)[1]) == 0.0)
    stage1, _ = tiny_generators(stage2=False)
    pipeline = StackGANPipeline(tiny_text_encoder(), stage1, name="tiny")
    old = np.concatenate(
        [pipeline.generate(CAPTIONS[:3], seed=5), pipeline.generate(CAPTIONS[3:], seed=6)]
    )
    mean = generate_for_captions(pipeline, CAPTIONS, seed=5, condition="mean", batch_size=3)
    np.testing.assert_array_equal(mean, old)

    sampled = generate_for_captions(pipeline, CAPTIONS, seed=5, batch_size=3)
    assert sampled.shape == mean.shape and sampled.dtype == np.uint8
    assert not np.array_equal(sampled, mean)
    np.testing.assert_array_equal(
        sampled, generate_for_captions(pipeline, CAPTIONS, seed=5, batch_size=3)
    )
    # The sampled images are the pipeline's own for the evaluation's noise.
    z, eps = evaluation_noise(3, pipeline.noise_dim, pipeline.condition_dim, seed=5)
    first = pipeline.generate_from_noise(pipeline.embed(CAPTIONS[:3]), z, eps)
    np.testing.assert_array_equal(sampled[:3], first)


def test_report_records_the_condition():
    report = EvaluationReport("cub", 8, [], {}, "cmd", condition="sample")
    assert report.to_dict()["condition"] == "sample"
    assert "CA condition: sample" in report.table()
    assert EvaluationReport("x", 8, [], {}, "cmd").to_dict()["condition"] is None


@pytest.mark.slow
@pytest.mark.skipif("cub" not in list_pretrained(), reason="the cub preset is not shipped")
def test_evaluate_cub_end_to_end(shared_data):
    report = evaluate_preset("cub", shared_data, num_images=16, progress=False)
    names = [row["metric"] for row in report.rows]
    assert len(names) == 3 and "keras-stackgan evaluate" in report.command
    assert report.condition == "sample" and "--condition" not in report.command
    assert report.values["proxy_fid"]["real_test"] >= 0.0
    assert 0.0 <= report.values["r_precision"]["generated"] <= 1.0


def test_evaluation_report_markdown_names_the_condition(tmp_path):
    import importlib.util

    from tests.conftest import REPO_ROOT

    path = REPO_ROOT / "recipes" / "evaluation_report.py"
    spec = importlib.util.spec_from_file_location("evaluation_report_recipe", path)
    recipe = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(recipe)
    recipe.DOCS = tmp_path
    row = {"metric": "proxy-FID", "generated": "12.00", "real": "3.00"}
    old = {"rows": [row], "command": "old", "seconds": 1.0}  # saved before the mode was recorded
    reports = {
        "cub": old,
        "flowers": dict(old, command="new", condition="sample"),
        "gan-int-cls-cub": old,
    }
    recipe.write_markdown(reports, [], 8)
    text = (tmp_path / "evaluation.md").read_text(encoding="utf-8")
    assert "**Measured with the CA mean:** `cub` (" in text
    assert "`old` (1 s; CA condition: the mean)" in text
    assert "`new` (1 s; CA condition sampled" in text and "`old` (1 s; no CA)" in text
    assert "--condition mean" in text
