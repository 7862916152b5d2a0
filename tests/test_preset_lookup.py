"""Preset names are never shadowed by local folders (issue 18).

``keras-stackgan evaluate --data-dir .`` run inside the data folder (which has ``birds/`` and
``flowers/``) looked up the ``birds`` evaluator as the local ``birds/`` folder. Names resolve to
shipped presets; a folder is given as a path (a ``Path``, or a string with a separator).
"""

import pytest

from keras_stackgan.metrics import ProxyEvaluator
from keras_stackgan.metrics.evaluator_files import resolve_evaluator_dir
from keras_stackgan.metrics.evaluator_presets import (
    proxy_aliases,
    proxy_presets,
    r_precision_aliases,
    r_precision_presets,
)
from keras_stackgan.text import sentence_encoder


@pytest.fixture
def inside_a_data_folder(tmp_path, monkeypatch):
    """The current folder holds folders named like every preset (but no models)."""
    for name in ("birds", "flowers", "cub", "sentence_encoder", "all_minilm_l6_v2_en"):
        (tmp_path / name).mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_evaluator_names_resolve_to_shipped_presets(inside_a_data_folder):
    for name in ("birds", "flowers", "cub"):
        directory = resolve_evaluator_dir(name, proxy_presets, proxy_aliases, "ProxyEvaluator")
        assert (directory / "config.json").is_file(), directory
        assert directory != inside_a_data_folder / name
    directory = resolve_evaluator_dir(
        "birds", r_precision_presets, r_precision_aliases, "RPrecisionEvaluator"
    )
    assert directory.name == "r_precision_birds" and (directory / "config.json").is_file()
    assert ProxyEvaluator.from_pretrained("birds").feature_dim > 0


def test_folders_are_given_as_paths(inside_a_data_folder):
    for folder in ("./birds", str(inside_a_data_folder / "birds"), inside_a_data_folder / "birds"):
        directory = resolve_evaluator_dir(folder, proxy_presets, proxy_aliases, "X")
        assert directory.samefile(inside_a_data_folder / "birds")
    with pytest.raises(ValueError, match="holds no config.json"):
        ProxyEvaluator.from_pretrained("./birds")
    with pytest.raises(ValueError, match=r"Unknown ProxyEvaluator preset 'dogs'.*'\./dogs'"):
        ProxyEvaluator.from_pretrained("dogs")


def test_sentence_encoder_names_resolve_to_the_shipped_preset(inside_a_data_folder):
    for name in ("all_minilm_l6_v2_en", "sentence_encoder"):
        directory = sentence_encoder._resolve_preset(name)
        assert (directory / "config.json").is_file() and directory.parent != inside_a_data_folder
    assert sentence_encoder._resolve_preset("./sentence_encoder").samefile("sentence_encoder")
    with pytest.raises(ValueError, match="Unknown SentenceEncoder preset 'birds'"):
        sentence_encoder._resolve_preset("birds")
