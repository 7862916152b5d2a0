"""GAN-INT-CLS style transfer through presets: training S, shipping it, and the pipeline."""

import json

import numpy as np
import pytest

from keras_stackgan.models.gan_int_cls import GANINTCLSGenerator, StyleEncoder
from keras_stackgan.pretrained import load
from keras_stackgan.pretrained.package import write_preset
from keras_stackgan.pretrained.pipeline import StackGANPipeline
from keras_stackgan.pretrained.presets import PRESETS
from keras_stackgan.pretrained.style import train_style_encoder
from tests.pretrained import conftest
from tests.pretrained.conftest import EMBEDDING_DIM, tiny_text_encoder


def _generator():
    return conftest._spread(GANINTCLSGenerator(EMBEDDING_DIM, noise_dim=6, gf_dim=4), 0)


def test_train_style_encoder_summary_and_frozen_generator():
    generator = _generator()
    weights = [np.asarray(w).copy() for w in generator.weights]
    rng = np.random.default_rng(0)
    captions = rng.normal(size=(64, EMBEDDING_DIM)).astype("float32")
    encoder, summary = train_style_encoder(
        generator, captions, captions[:16], steps=20, df_dim=4, batch_size=8
    )
    assert isinstance(encoder, StyleEncoder) and encoder.noise_dim == 6
    assert summary["steps"] == 20 and len(summary["loss_curve"]) == 10
    assert summary["final_loss"] == summary["loss_curve"][-1]
    assert set(summary["held_out"]) == {"reconstruction", "random_noise", "zero_noise"}
    json.dumps(summary)  # written as the run's style_encoder.json
    assert generator.trainable  # given trainable, returned trainable
    for w, value in zip(generator.weights, weights, strict=True):
        np.testing.assert_array_equal(np.asarray(w), value)
    with pytest.raises(ValueError, match="steps"):
        train_style_encoder(generator, captions, captions, steps=5)


def test_train_style_encoder_autotunes_and_records_the_mode(capsys):
    from keras_stackgan.models.autotune import machine

    generator = _generator()
    captions = np.random.default_rng(0).normal(size=(64, EMBEDDING_DIM)).astype("float32")
    _, summary = train_style_encoder(
        generator, captions, captions[:16], steps=10, df_dim=4, batch_size=8,
        precision="float32", autotune=True, verbose=1,
    )  # fmt: skip
    out = capsys.readouterr().out.splitlines()
    timed = [line for line in out if line.startswith("autotune ") and "ms/step" in line]
    assert len(timed) == 2  # graph and XLA, float32 fixed
    assert summary["precision"] == "float32" and summary["compile_machine"] == machine()
    assert isinstance(summary["jit_compile"], bool)


def test_pipeline_transfer_style_shapes_and_order():
    generator = _generator()
    encoder = StyleEncoder(6, df_dim=4)
    pipeline = StackGANPipeline(tiny_text_encoder(), generator, style_encoder=encoder)
    rng = np.random.default_rng(0)
    queries = rng.integers(0, 256, (2, 80, 80, 3), dtype=np.uint8)  # resized to 64
    texts = ["a red bird", "a blue bird with black wings", "a small bird"]
    grid = pipeline.transfer_style(queries, texts)
    assert grid.shape == (2, 3, 64, 64, 3) and grid.dtype == np.uint8
    # grid[q, t] = G(S(q), t): the same query's row as generate_from_noise with S's z.
    resized = pipeline.transfer_style(queries[1], texts[2])  # one image, one sentence
    assert resized.shape == (1, 1, 64, 64, 3)
    np.testing.assert_array_equal(resized[0, 0], grid[1, 2])
    assert not np.array_equal(grid[0, 0], grid[0, 1])  # the text changes the image
    with pytest.raises(ValueError, match=r"\[q, H, W, 3\]"):
        pipeline.transfer_style(queries[..., :1], texts)
    without = StackGANPipeline(tiny_text_encoder(), generator, name="plain")
    with pytest.raises(ValueError, match="no style encoder"):
        without.transfer_style(queries, texts)


def test_preset_ships_and_loads_the_style_encoder(tmp_path, monkeypatch):
    monkeypatch.setattr(load, "saved_model_path", lambda *parts: tmp_path.joinpath(*parts))
    text_encoder = tiny_text_encoder()
    monkeypatch.setattr(
        "keras_stackgan.text.SentenceEncoder.from_pretrained",
        staticmethod(lambda name: text_encoder),
    )
    generator, encoder = _generator(), conftest._spread(StyleEncoder(6, df_dim=4), 1)
    directory = tmp_path / PRESETS["gan-int-cls-cub"]["path"]
    write_preset(
        directory,
        family="gan-int-cls",
        text_encoder="unused",
        stage1_generator=generator,
        style_encoder=encoder,
    )
    config = json.loads((directory / "config.json").read_text())
    assert config["weights"]["style_encoder"] == "style_encoder.weights.h5"
    pipeline = load.load_pretrained("gan-int-cls-cub")
    for a, b in zip(pipeline.style_encoder.weights, encoder.weights, strict=True):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    assert "style_encoder" not in pipeline.metadata
    queries = np.random.default_rng(0).integers(0, 256, (2, 64, 64, 3), dtype=np.uint8)
    expected = StackGANPipeline(text_encoder, generator, style_encoder=encoder)
    np.testing.assert_array_equal(
        pipeline.transfer_style(queries, ["a red bird"]),
        expected.transfer_style(queries, ["a red bird"]),
    )
    # Presets written without one (StackGAN) load without one.
    write_preset(directory, family="gan-int-cls", text_encoder="unused", stage1_generator=generator)
    assert load.load_pretrained("gan-int-cls-cub").style_encoder is None
