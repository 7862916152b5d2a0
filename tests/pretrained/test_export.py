"""The TF Serving export: signatures, numerics equal to the pipeline, the README's REST example."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import tensorflow as tf

from keras_stackgan.export import SIGNATURES, export_saved_model
from keras_stackgan.pretrained.pipeline import StackGANPipeline
from tests.conftest import REPO_ROOT
from tests.pretrained.conftest import tiny_generators, tiny_text_encoder

TEXTS = ["this bird is red with black wings", "a small white bird"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """A tiny pipeline (tokenizer in the graph), exported once, and its loaded SavedModel."""
    stage1, stage2 = tiny_generators()
    pipeline = StackGANPipeline(tiny_text_encoder(), stage1, stage2, name="tiny")
    base = tmp_path_factory.mktemp("serving") / "stackgan"
    path = export_saved_model(pipeline, base, version=3)
    return pipeline, path, tf.saved_model.load(str(path))


def test_tf_serving_layout(exported):
    _, path, _ = exported
    assert path.name == "3" and (path / "saved_model.pb").is_file()
    assert (path / "variables").is_dir()


def test_signatures_match_the_pipeline(exported):
    pipeline, _, loaded = exported
    assert set(SIGNATURES) <= set(loaded.signatures)
    seed = tf.constant(7, tf.int64)
    from_text = loaded.signatures["generate_from_text"](texts=tf.constant(TEXTS), seed=seed)
    images, sketches = pipeline.generate(TEXTS, seed=7, return_stage1=True)
    assert from_text["images"].dtype == tf.uint8
    np.testing.assert_array_equal(from_text["images"].numpy(), images)
    np.testing.assert_array_equal(from_text["stage1_images"].numpy(), sketches)

    embeddings = pipeline.embed(TEXTS)
    from_embedding = loaded.signatures["generate_from_embedding"](
        embeddings=tf.constant(embeddings), seed=seed
    )
    np.testing.assert_array_equal(from_embedding["images"].numpy(), images)
    other_seed = loaded.signatures["generate_from_text"](
        texts=tf.constant(TEXTS), seed=tf.constant(8, tf.int64)
    )
    assert not np.array_equal(other_seed["images"].numpy(), images)


def test_saved_model_cli_lists_both_signatures(exported):
    _, path, _ = exported
    cli = shutil.which("saved_model_cli")
    command = [cli] if cli else [sys.executable, "-m", "tensorflow.python.tools.saved_model_cli"]
    result = subprocess.run(
        [*command, "show", "--dir", str(path), "--all"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    for name in SIGNATURES:
        assert f"signature_def['{name}']" in result.stdout
    assert "tensorflow/serving/predict" in result.stdout
    assert "DT_STRING" in result.stdout and "DT_UINT8" in result.stdout


def readme_block(marker):
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- {marker} -->\s*```(?:json|text)?\n(.*?)```", text, re.S)
    assert match, f"README.md has no block marked <!-- {marker} -->"
    return match.group(1)


def test_readme_rest_example_matches_the_signature(exported):
    """The README's :predict request runs against the signature; its response has the
    outputs, dtypes and shapes the README shows."""
    _, _, loaded = exported
    request = json.loads(readme_block("predict-request"))
    signature = loaded.signatures[request["signature_name"]]
    specs = signature.structured_input_signature[1]
    assert set(request["inputs"]) == set(specs)
    inputs = {k: tf.constant(v, dtype=specs[k].dtype) for k, v in request["inputs"].items()}
    outputs = signature(**inputs)
    # TF Serving's columnar ("inputs") format answers {"outputs": {name: nested lists}}.
    response = {"outputs": {k: v.numpy().tolist() for k, v in outputs.items()}}

    shown = readme_block("predict-response")
    n = len(request["inputs"]["texts"])
    for name, tensor in outputs.items():
        assert f'"{name}"' in shown
        side = tensor.shape[1]
        # The README shows the cub preset (256 px); the tiny model here is 128 px.
        expected = "256" if side == 128 else "64"
        assert re.search(rf'"{name}".*{n} x {expected} x {expected} x 3', shown)
        assert np.array(response["outputs"][name]).shape == (n, side, side, 3)


# === Issue 18: inputs generate() refuses, re-exports, interrupted exports ===


def test_signatures_refuse_what_generate_refuses(exported):
    pipeline, _, loaded = exported
    seed = tf.constant(0, tf.int64)
    with pytest.raises(ValueError, match="empty or whitespace-only"):
        pipeline.generate(["a bird", "  "])
    from_text = loaded.signatures["generate_from_text"]
    with pytest.raises(tf.errors.InvalidArgumentError, match="texts must not be empty or blank"):
        from_text(texts=tf.constant(["a bird", "  "]), seed=seed)
    with pytest.raises(tf.errors.InvalidArgumentError, match="give at least one text"):
        from_text(texts=tf.constant([], tf.string), seed=seed)
    from_embedding = loaded.signatures["generate_from_embedding"]
    width = pipeline.embedding_dim
    with pytest.raises(tf.errors.InvalidArgumentError, match="give at least one row"):
        from_embedding(embeddings=tf.zeros([0, width]), seed=seed)
    with pytest.raises(tf.errors.InvalidArgumentError, match="NaN or inf"):
        from_embedding(embeddings=tf.fill([2, width], float("nan")), seed=seed)


def test_signatures_take_any_text_and_refuse_non_strings(exported):
    """Issue 15 through the SavedModel: emoji, CJK, RTL and a 20,000-character sentence give
    the pipeline's images; a negative seed is valid; numbers for texts, a seed that is not an
    int64 and a text matrix are refused by the signature (no images, one error)."""
    from tests.pretrained.test_generation_inputs import UNUSUAL_TEXTS

    pipeline, _, loaded = exported
    from_text = loaded.signatures["generate_from_text"]
    texts = list(UNUSUAL_TEXTS.values())
    out = from_text(texts=tf.constant(texts), seed=tf.constant(-3, tf.int64))
    np.testing.assert_array_equal(out["images"].numpy(), pipeline.generate(texts, seed=-3))
    for bad in (
        dict(texts=tf.constant([1, 2]), seed=tf.constant(0, tf.int64)),
        dict(texts=tf.constant(["a bird"]), seed=tf.constant(0.5)),
        dict(texts=tf.constant([["a bird"]]), seed=tf.constant(0, tf.int64)),
    ):
        with pytest.raises((TypeError, ValueError, tf.errors.InvalidArgumentError)):
            from_text(**bad)


def test_reexport_adds_the_next_version_and_never_leaves_half_a_version(
    exported, monkeypatch, tmp_path
):
    """An export killed while writing leaves no numbered folder (TF Serving would load it);
    the next export, without a version, becomes the version after the highest. (Keras'
    ``write_out`` is replaced by fakes: the ``exported`` fixture covers a real one.)"""
    import keras

    pipeline, _, _ = exported
    base = tmp_path / "serving"
    (base / "1").mkdir(parents=True)
    (base / "1" / "saved_model.pb").write_bytes(b"an earlier export")

    def killed(self, path, **kwargs):
        (Path(path) / "variables").mkdir(parents=True)
        (Path(path) / "saved_model.pb").write_bytes(b"half")
        raise KeyboardInterrupt  # what a kill mid-write looks like to this process

    def written(self, path, **kwargs):
        Path(path).mkdir(parents=True)
        (Path(path) / "saved_model.pb").write_bytes(b"complete")

    # ExportArchive() builds the backend's archive class: patch that one.
    archive_class = type(keras.export.ExportArchive())
    monkeypatch.setattr(archive_class, "write_out", killed)
    with pytest.raises(KeyboardInterrupt):
        export_saved_model(pipeline, base)
    assert sorted(p.name for p in base.iterdir()) == ["1"]  # no 2/, no temporary left

    monkeypatch.setattr(archive_class, "write_out", written)
    with pytest.raises(ValueError, match="leave out the version to write version 2"):
        export_saved_model(pipeline, base, version=1)
    assert export_saved_model(pipeline, base) == base / "2"
    assert export_saved_model(pipeline, base) == base / "3"
    assert sorted(p.name for p in base.iterdir()) == ["1", "2", "3"]
    assert (base / "3" / "saved_model.pb").read_bytes() == b"complete"


def test_export_onto_a_file_is_a_clear_error(exported, tmp_path):
    pipeline, _, _ = exported
    target = tmp_path / "model"
    target.write_text("x")
    with pytest.raises(ValueError, match="is a file"):
        export_saved_model(pipeline, target)
    with pytest.raises(ValueError, match="truncation"):
        export_saved_model(pipeline, tmp_path / "other", truncation=float("nan"))
