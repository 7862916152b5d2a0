"""Reading and writing evaluator folders: ``config.json`` + ``model.weights.h5`` (+ model card)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keras_stackgan.assets import saved_model_path
from keras_stackgan.metrics.evaluator_presets import EVALUATORS_DIR

CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.weights.h5"


def resolve_evaluator_dir(
    preset: str | os.PathLike, presets: dict, aliases: dict, kind: str
) -> Path:
    """The folder of a shipped preset name, or ``preset`` itself when it is a directory.

    Raises:
        ValueError: if ``preset`` is neither a known name nor an existing directory.
    """
    if isinstance(preset, str) and not os.path.isdir(preset):
        name = aliases.get(preset, preset)
        if name in presets:
            return saved_model_path(EVALUATORS_DIR, presets[name]["path"])
        known = sorted(presets) + sorted(aliases)
        raise ValueError(f"Unknown {kind} preset {preset!r}: not one of {known} nor a directory.")
    if not os.path.isdir(preset):
        raise ValueError(f"{kind} directory {os.fspath(preset)!r} does not exist.")
    return Path(preset)


def write_config(directory: str | os.PathLike, config: dict) -> Path:
    """Writes ``config`` as ``directory/config.json`` (creating the folder)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / CONFIG_FILE
    path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read_config(directory: str | os.PathLike, class_name: str) -> dict:
    """Reads ``directory/config.json`` and checks it describes a ``class_name``.

    Raises:
        ValueError: if the file is missing, the weights file is missing, or the class differs.
    """
    directory = Path(directory)
    path = directory / CONFIG_FILE
    if not path.is_file():
        raise ValueError(
            f"{directory} holds no {CONFIG_FILE}: train it first "
            "(recipes/train_proxy_evaluator.py, recipes/train_r_precision_encoder.py)."
        )
    if not (directory / WEIGHTS_FILE).is_file():
        raise ValueError(f"{directory} holds no {WEIGHTS_FILE}.")
    config = json.loads(path.read_text(encoding="utf-8"))
    if config.get("class_name") != class_name:
        raise ValueError(f"{path} describes a {config.get('class_name')!r}, not a {class_name}.")
    return config
