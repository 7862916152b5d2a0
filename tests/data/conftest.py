"""Fixtures of the data tests: tiny layouts in ``tmp_path`` and a fake text encoder."""

import pytest

from tests.data import layouts


@pytest.fixture(autouse=True)
def _reset_keras_state():
    """Overrides the suite-wide fixture of ``tests/conftest.py`` for the data tests.

    Data tests build no Keras models (the one ``fit`` test clears its own session), and
    ``keras.backend.clear_session()`` after every test costs ~0.4 s on a shared 2-core machine,
    which would double the run time of these ~100 fast tests.
    """
    yield


@pytest.fixture
def cub_root(tmp_path):
    return layouts.make_cub(tmp_path / "birds")


@pytest.fixture
def encoder():
    return layouts.HashingEncoder(embedding_dim=16)
