import json

import numpy as np
import pytest

from keras_stackgan import pretrained
from keras_stackgan.pretrained import load
from keras_stackgan.pretrained.package import write_preset
from keras_stackgan.pretrained.presets import PRESETS
from tests.pretrained.conftest import tiny_generators


def test_listed_presets_are_known_and_shipped():
    names = pretrained.list_pretrained()
    assert set(names) <= set(PRESETS)
    for name in names:
        assert (load.preset_dir(name) / "config.json").is_file()


@pytest.mark.parametrize("name", ["nope", "../cub", "cub/../flowers", "/etc", "", None])
def test_unknown_names_are_never_paths(name):
    with pytest.raises(ValueError, match="Unknown pretrained model") as error:
        pretrained.load_pretrained(name)
    for available in pretrained.list_pretrained():
        assert available in str(error.value)


@pytest.fixture
def saved_models(tmp_path, monkeypatch):
    """``saved_models/`` redirected to a temporary folder."""
    monkeypatch.setattr(load, "saved_model_path", lambda *parts: tmp_path.joinpath(*parts))
    return tmp_path


def test_write_then_load_round_trip(saved_models, monkeypatch):
    from tests.pretrained import conftest

    stage1, stage2 = tiny_generators()
    write_preset(
        saved_models / PRESETS["cub"]["path"],
        family="stackgan",
        text_encoder="unused",
        stage1_generator=stage1,
        stage2_generator=stage2,
        training={"epochs": 1},
    )
    # The tiny generators go with the tiny text encoder, not the shipped one.
    monkeypatch.setattr(
        "keras_stackgan.text.SentenceEncoder.from_pretrained",
        staticmethod(lambda name: conftest.tiny_text_encoder()),
    )
    assert "cub" in load.list_pretrained()
    config = json.loads((saved_models / "cub" / "config.json").read_text())
    assert config["stages"] == ["64", "128"] and config["training"] == {"epochs": 1}

    full = load.load_pretrained("cub")
    sketch_only = load.load_pretrained("cub", stage="64")
    assert full.image_size == 128 and sketch_only.image_size == 64
    embeddings = full.embed(["a red bird"])
    for loaded, original in [(full.stage1_generator, stage1), (full.stage2_generator, stage2)]:
        for a, b in zip(loaded.weights, original.weights, strict=True):
            np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    images, sketches = full.generate_from_embeddings(embeddings, seed=0, return_stage1=True)
    np.testing.assert_array_equal(
        sketches, sketch_only.generate_from_embeddings(embeddings, seed=0)
    )
    with pytest.raises(ValueError, match="has stages"):
        load.load_pretrained("cub", stage="256")
    with pytest.raises(ValueError, match="not shipped"):
        load.load_pretrained("flowers")


def test_every_shipped_preset_loads_in_a_fresh_process():
    """A new interpreter has imported nothing of the package: the generator classes must be
    registered by ``load_pretrained`` itself (regression: 'Could not locate StageIGenerator')."""
    import subprocess
    import sys

    code = (
        "import keras_stackgan\n"
        "for name in keras_stackgan.list_pretrained():\n"
        "    pipeline = keras_stackgan.load_pretrained(name)\n"
        "    if hasattr(pipeline, 'stage1_generator'):  # text to image\n"
        "        images = pipeline.generate('a red bird with black wings', seed=0)\n"
        "        assert pipeline.stage1_generator.trainable\n"
        "    elif hasattr(pipeline, 'translate'):  # image to image (pix2pix)\n"
        "        import numpy as np\n"
        "        images = pipeline.translate(np.zeros((2, 70, 50, 3), 'uint8'), seed=0)\n"
        "    else:  # the zoo's GeneratorPipeline (and pipelines that draw from a seed)\n"
        "        images = pipeline.generate(2, seed=0)\n"
        "    assert images.dtype.name == 'uint8' and images.shape[1] == pipeline.image_size\n"
        "    print(name, images.shape)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-2000:]
    for name in pretrained.list_pretrained():
        assert name in result.stdout
