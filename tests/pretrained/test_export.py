"""The TF Serving export: signatures, numerics equal to the pipeline, the README's REST example."""

import json
import re
import shutil
import subprocess
import sys

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
