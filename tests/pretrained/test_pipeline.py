import numpy as np
import pytest
from PIL import Image

from keras_stackgan.pretrained.pipeline import StackGANPipeline
from tests.pretrained.conftest import tiny_generators, tiny_text_encoder


def test_generate_shapes_dtype_and_order(tiny_pipeline):
    images, sketches = tiny_pipeline.generate(
        ["a red bird", "a small white bird"], images_per_text=3, seed=0, return_stage1=True
    )
    assert images.shape == (6, 128, 128, 3) and images.dtype == np.uint8
    assert sketches.shape == (6, 64, 64, 3) and sketches.dtype == np.uint8
    # Same text, same CA mean, different z: images of one text differ from each other.
    assert not np.array_equal(images[0], images[1])


def test_seed_reproducible_and_batch_size_free(tiny_pipeline):
    texts = ["a red bird", "black wings", "the bird has a beak", "white"]
    first = tiny_pipeline.generate(texts, seed=5, batch_size=4)
    np.testing.assert_array_equal(first, tiny_pipeline.generate(texts, seed=5, batch_size=1))
    assert not np.array_equal(first, tiny_pipeline.generate(texts, seed=6))


def test_the_text_changes_the_image(tiny_pipeline):
    images = tiny_pipeline.generate(["a red bird", "a black bird"], seed=0)
    noise_only = tiny_pipeline.generate(["a red bird", "a red bird"], seed=0)
    # Row 1 differs from row 0 both by noise and text; keep z fixed to isolate the text.
    embeddings = tiny_pipeline.embed(["a red bird", "a black bird"])
    same_noise = tiny_pipeline.generate_from_embeddings(
        np.stack([embeddings[0], embeddings[0]]), seed=0
    )
    other_text = tiny_pipeline.generate_from_embeddings(
        np.stack([embeddings[0], embeddings[1]]), seed=0
    )
    np.testing.assert_array_equal(same_noise[0], other_text[0])
    assert not np.array_equal(same_noise[1], other_text[1])
    assert images.shape == noise_only.shape


def test_stage1_only_pipeline_and_to_pil():
    stage1, _ = tiny_generators(stage2=False)
    pipeline = StackGANPipeline(tiny_text_encoder(), stage1)
    images = pipeline.generate("a bird", images_per_text=2, seed=0, truncation=1.0)
    assert images.shape == (2, 64, 64, 3)
    pictures = pipeline.to_pil(images)
    assert len(pictures) == 2 and isinstance(pictures[0], Image.Image)
    assert pictures[0].size == (64, 64)
    sheet = pipeline.grid(["a bird", "a red bird"], images_per_text=2)
    assert sheet.size[0] > 2 * 64 and sheet.size[1] > 2 * 64  # room for the captions


def test_bad_inputs(tiny_pipeline):
    with pytest.raises(ValueError):
        tiny_pipeline.generate([])
    with pytest.raises(ValueError):
        tiny_pipeline.generate(["  "])
    with pytest.raises(TypeError):
        tiny_pipeline.generate([3])
    with pytest.raises(ValueError, match="images_per_text"):
        tiny_pipeline.generate("a bird", images_per_text=0)
    with pytest.raises(ValueError, match=r"\[n, 8\]"):
        tiny_pipeline.generate_from_embeddings(np.zeros((2, 5)))


def test_encoder_and_generator_widths_must_match():
    stage1, _ = tiny_generators(stage2=False)
    encoder = tiny_text_encoder()
    encoder.embedding_dim = 16
    with pytest.raises(ValueError, match="16-d"):
        StackGANPipeline(encoder, stage1)
