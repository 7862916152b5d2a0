"""Reading and writing evaluator folders: ``config.json`` + ``model.weights.h5`` (+ model card)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keras_stackgan.assets import saved_model_path
from keras_stackgan.metrics.evaluator_presets import EVALUATORS_DIR

CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.weights.h5"


def names_a_folder(preset: str | os.PathLike) -> bool:
    """Whether ``preset`` is meant as a folder rather than a preset name.

    A ``pathlib.Path`` (any ``os.PathLike``), or a string with a path separator or starting with
    ``.`` or ``~`` (``./birds``, ``/models/birds``, ``.``). A bare word such as ``"birds"`` is
    always a preset name, even when the current folder has a ``birds/`` (the data folder does).
    """
    if not isinstance(preset, str):
        return True
    separators = {"/", os.sep} | ({os.altsep} if os.altsep else set())
    return any(s in preset for s in separators) or preset.startswith((".", "~"))


def resolve_evaluator_dir(
    preset: str | os.PathLike, presets: dict, aliases: dict, kind: str
) -> Path:
    """The folder of a shipped preset name, or ``preset`` itself when it names a folder.

    Names resolve to shipped presets first and only (see ``names_a_folder``): a user folder is
    given as a path, e.g. ``"./my_evaluator"`` or ``Path("my_evaluator")``.

    Raises:
        ValueError: if ``preset`` is neither a known name nor an existing directory.
    """
    if not names_a_folder(preset):
        name = aliases.get(preset, preset)
        if name in presets:
            return saved_model_path(EVALUATORS_DIR, presets[name]["path"])
        known = sorted(presets) + sorted(aliases)
        raise ValueError(
            f"Unknown {kind} preset {preset!r}: not one of {known}. To load a folder, give it "
            f"as a path (e.g. './{preset}')."
        )
    directory = Path(os.path.expanduser(os.fspath(preset)))
    if not directory.is_dir():
        raise ValueError(f"{kind} directory {os.fspath(preset)!r} does not exist.")
    return directory


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
