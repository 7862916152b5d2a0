"""Shared pytest configuration.

TensorFlow is quietened and seeded here; tests that need several logical devices run in a
subprocess (see ``tests/models/test_distribution.py``), because the device layout must be set
before TensorFlow initialises.
"""

import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


def load_recipe(name: str):
    """The module of ``recipes/<name>.py`` (recipes are scripts, not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "recipes" / f"{name}.py")
    recipe = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(recipe)
    return recipe


@pytest.fixture
def shared_data():
    """Path of ``../shared/data``; skips the test when a fresh checkout does not have it."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present (fresh checkout)")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _reset_keras_state():
    """Every test starts from float32, a fresh Keras session and fixed seeds."""
    import keras

    keras.mixed_precision.set_global_policy("float32")
    keras.utils.set_random_seed(1234)
    yield
    keras.mixed_precision.set_global_policy("float32")
    keras.backend.clear_session()
