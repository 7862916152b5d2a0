"""``recipes/package_preset.py`` never ships non-finite weights (issue 18)."""

import dataclasses
import importlib.util
import json

import numpy as np
import pytest

from keras_stackgan.models.stackgan import StageIGAN
from tests.conftest import REPO_ROOT
from tests.models.stackgan.conftest import TINY


def package_preset():
    path = REPO_ROOT / "recipes" / "package_preset.py"
    spec = importlib.util.spec_from_file_location("package_preset", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_diverged_generator_is_refused(tmp_path):
    generator = StageIGAN.from_stackgan_config(TINY).generator
    stage1 = tmp_path / "runs" / "cub" / "stage1"
    stage1.mkdir(parents=True)
    (stage1 / "run.json").write_text(json.dumps({"config": dataclasses.asdict(TINY)}))
    recipe = package_preset()

    generator.save_weights(str(stage1 / "stage1_generator.weights.h5"))
    family, loaded, stage2, _ = recipe.stage_generators("cub", stage1.parent)
    assert family == "stackgan" and stage2 is None and loaded.count_params() > 0

    kernel = generator.trainable_weights[0]
    kernel.assign(np.full(kernel.shape, np.nan, "float32"))
    generator.save_weights(str(stage1 / "stage1_generator.weights.h5"))
    with pytest.raises(FloatingPointError, match="NaN or inf"):
        recipe.stage_generators("cub", stage1.parent)
