"""Where the shipped weights live, installed or in a source checkout."""

from __future__ import annotations

import importlib.resources
from pathlib import Path


def saved_models_root() -> Path:
    """Directory of the ``saved_models/`` folder (installed as ``keras_stackgan.saved_models``)."""
    return Path(str(importlib.resources.files("keras_stackgan.saved_models")))


def saved_model_path(*parts: str) -> Path:
    """Path of a file or folder inside ``saved_models/``.

    Each part must be a plain name (no separators, no ``..``), so user-supplied preset names can
    never escape the folder.

    Raises:
        ValueError: if a part is not a plain file or folder name.
    """
    for part in parts:
        if not part or part in {".", ".."} or "/" in part or "\\" in part or "\x00" in part:
            raise ValueError(f"Not a plain name inside saved_models/: {part!r}")
    return saved_models_root().joinpath(*parts)
