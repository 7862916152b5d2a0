"""``StackGANPipeline.generate`` refuses bad arguments up front, naming them (issue 18)."""

import numpy as np
import pytest

from keras_stackgan.pretrained import pipeline as pipeline_module
from keras_stackgan.pretrained.pipeline import StackGANPipeline
from tests.pretrained.conftest import tiny_generators, tiny_text_encoder


@pytest.fixture(scope="module")
def pipeline():
    stage1, _ = tiny_generators(stage2=False)
    return StackGANPipeline(tiny_text_encoder(), stage1, None, name="tiny-64")


def test_truncation_must_be_a_finite_positive_number(pipeline):
    for truncation in (float("nan"), float("inf"), 0.0, -1.0):
        with pytest.raises(ValueError, match="truncation must be a finite number > 0"):
            pipeline.generate("a red bird", images_per_text=2, seed=0, truncation=truncation)


def test_too_many_images_are_refused_before_any_work(pipeline, monkeypatch):
    def no_encoding(texts):
        raise AssertionError("the texts should not have been encoded")

    monkeypatch.setattr(pipeline, "embed", no_encoding)
    limit = pipeline_module.MAX_IMAGES
    with pytest.raises(ValueError, match=f"the limit is {limit}"):
        pipeline.generate("a red bird", images_per_text=10**6)
    with pytest.raises(ValueError, match=f"the limit is {limit}"):
        pipeline.generate(["a", "b"], images_per_text=limit // 2 + 1)
    with pytest.raises(ValueError, match="limit"):
        pipeline.generate_from_embeddings(np.zeros((limit + 1, 8), "float32"))
    for bad in (0, -2):
        with pytest.raises(ValueError, match="images_per_text must be >= 1"):
            pipeline.generate("a red bird", images_per_text=bad)
    with pytest.raises(TypeError, match="images_per_text must be an integer"):
        pipeline.generate("a red bird", images_per_text=2.5)


def test_seeds_are_int64_integers(pipeline):
    cases = [
        (2**63, ValueError, "seed must fit in int64"),
        (-(2**63) - 1, ValueError, "seed must be >="),
        (1.5, TypeError, "seed must be an integer"),
        ("7", TypeError, "seed must be an integer"),
        (True, TypeError, "seed must be an integer"),
    ]
    for seed, error, message in cases:
        with pytest.raises(error, match=message):
            pipeline.generate("a red bird", seed=seed)
    a = pipeline.generate("a red bird", seed=np.int64(2**63 - 1))
    np.testing.assert_array_equal(a, pipeline.generate("a red bird", seed=2**63 - 1))
    assert pipeline.generate("a red bird", seed=-(2**63)).dtype == np.uint8


def test_batch_size_and_non_finite_inputs(pipeline):
    embeddings = np.zeros((3, 8), "float32")
    for batch_size in (0, -1, 2.0):
        with pytest.raises((ValueError, TypeError), match="batch_size must be"):
            pipeline.generate("a red bird", images_per_text=3, batch_size=batch_size)
        with pytest.raises((ValueError, TypeError), match="batch_size must be"):
            pipeline.generate_from_noise(embeddings, np.zeros((3, 6)), batch_size=batch_size)
    # NaN embeddings used to give black images without an error.
    embeddings[1, 3] = np.nan
    with pytest.raises(ValueError, match="embeddings hold NaN or inf"):
        pipeline.generate_from_embeddings(embeddings, seed=0)
    noise = np.zeros((3, 6), "float32")
    noise[0, 0] = np.inf
    with pytest.raises(ValueError, match="noise hold NaN or inf"):
        pipeline.generate_from_noise(np.zeros((3, 8), "float32"), noise)
