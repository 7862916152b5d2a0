"""Pix2PixPipeline: uint8 translation, seeds, presets through load_pretrained's hook, export."""

import json

import numpy as np
import pytest
import tensorflow as tf

from keras_stackgan.models.pix2pix import (
    Pix2PixPipeline,
    UNetGenerator,
    export_translator,
)
from keras_stackgan.pretrained.load import list_pretrained, preset_pipeline_class


@pytest.fixture(scope="module")
def pipeline():
    generator = UNetGenerator(image_size=16, gf_dim=4, name="g")
    return Pix2PixPipeline(generator, name="tiny", metadata={"family": "pix2pix"})


def _images(n, size=16, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (n, size, size, 3), dtype=np.uint8)


def test_translate_uint8_any_size_seeded(pipeline):
    images = _images(5)
    out = pipeline.translate(images, seed=3)
    assert out.dtype == np.uint8 and out.shape == (5, 16, 16, 3)
    np.testing.assert_array_equal(out, pipeline.translate(images, seed=3, batch_size=2))
    assert not np.array_equal(out, pipeline.translate(images, seed=4))  # test-time dropout
    single = pipeline.translate(images[1], seed=3)
    assert single.shape == (16, 16, 3)
    mixed = pipeline.translate([_images(1, 40)[0], _images(1, 9)[0][..., 0]], seed=0)
    assert mixed.shape == (2, 16, 16, 3)  # any size is resized; grey is repeated to RGB
    with pytest.raises(ValueError, match="uint8"):
        pipeline.translate(images.astype("float32"))


def test_preset_round_trip_through_the_load_hook(pipeline, tmp_path):
    pipeline.save_preset(tmp_path, family="pix2pix", dataset="tiny")
    config = json.loads((tmp_path / "config.json").read_text())
    assert config["pipeline"] == "keras_stackgan>Pix2PixPipeline"
    loaded = preset_pipeline_class(config["pipeline"]).from_preset_dir(tmp_path, config)
    assert isinstance(loaded, Pix2PixPipeline) and loaded.metadata["dataset"] == "tiny"
    images = _images(3)
    np.testing.assert_array_equal(loaded.translate(images), pipeline.translate(images))
    with pytest.raises(ValueError, match="registered"):
        preset_pipeline_class("keras_stackgan>NoSuchPipeline")


def test_saved_model_export_equals_in_process(pipeline, tmp_path):
    folder = export_translator(pipeline, tmp_path / "export")
    served = tf.saved_model.load(str(folder))
    for size in (16, 30):
        images = _images(4, size, seed=size)
        exported = served.translate(images=tf.constant(images), seed=tf.constant(7, tf.int64))
        assert exported.dtype == tf.uint8
        np.testing.assert_array_equal(exported.numpy(), pipeline.translate(images, seed=7))
    with pytest.raises(ValueError, match="not empty"):
        export_translator(pipeline, tmp_path / "export")


def test_translate_command_on_the_shipped_preset(tmp_path, capsys):
    if "pix2pix-edges2flowers" not in list_pretrained():
        pytest.skip("pix2pix-edges2flowers is not shipped in this checkout")
    from PIL import Image

    from keras_stackgan import cli

    Image.fromarray(_images(1, 100)[0]).save(tmp_path / "in.jpg")
    argv = ["translate", str(tmp_path / "in.jpg"), "-o", str(tmp_path / "out.png")]
    assert cli.main([*argv, "--preset", "pix2pix-edges2flowers"]) == 0
    assert Image.open(tmp_path / "out.png").size == (64, 64)
    assert "pix2pix-edges2flowers" in capsys.readouterr().out
    assert cli.main([*argv, "--preset", "pix2pix-edges2flowers", "--seed", "1"]) == 0
    (tmp_path / "bad.jpg").write_text("not an image")
    assert cli.main(["translate", str(tmp_path / "bad.jpg")]) == 2
    assert "not a readable image" in capsys.readouterr().err
