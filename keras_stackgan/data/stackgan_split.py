"""StackGAN's split lists: ``<split>/filenames.pickle`` and ``<split>/class_info.pickle``.

The original code prepared ``Data/birds/{train,test}/`` and ``Data/flowers/{train,test}/`` with
these pickles: image keys such as ``"002.Laysan_Albatross/Laysan_Albatross_0002_1027"`` (birds)
or ``"jpg/image_06734"`` (flowers), and one 1-based class number per key. Both are loaded with the
restricted unpickler.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from keras_stackgan.data.records import DataError, ProblemLog
from keras_stackgan.data.safe_pickle import load_pickle

FILENAMES_FILE = "filenames.pickle"
CLASS_INFO_FILE = "class_info.pickle"


def has_stackgan_split(root: str | os.PathLike, split: str | None) -> bool:
    """Whether ``root/<split>/filenames.pickle`` exists."""
    return split is not None and (Path(root) / split / FILENAMES_FILE).is_file()


def normalize_key(key) -> str:
    """An image key as str with forward slashes and no image/text extension."""
    if isinstance(key, bytes):
        key = key.decode("latin1")
    key = str(key).strip().replace("\\", "/")
    for suffix in (".jpg", ".jpeg", ".png", ".txt"):
        if key.lower().endswith(suffix):
            return key[: -len(suffix)]
    return key


def load_stackgan_split(
    split_dir: str | os.PathLike, log: ProblemLog
) -> tuple[list[str], list[int] | None]:
    """The image keys of a StackGAN split folder, and their class numbers when consistent.

    Args:
        split_dir: a folder holding ``filenames.pickle`` and optionally ``class_info.pickle``.
        log: ``ProblemLog`` receiving notes (mismatched or unreadable ``class_info.pickle``,
            duplicate keys, which are dropped).

    Returns:
        ``(keys, class_numbers)``: list of str keys in pickle order, and a list of the same
        length of 1-based int class numbers, or None when ``class_info.pickle`` is absent or
        does not match ``filenames.pickle`` one to one (the public birds subset ships the full
        8,855-entry ``class_info.pickle`` with a 275-entry ``filenames.pickle``).

    Raises:
        DataError: if ``filenames.pickle`` cannot be read or is not a list of str.
    """
    split_dir = Path(split_dir)
    filenames_path = split_dir / FILENAMES_FILE
    try:
        raw = load_pickle(filenames_path)  # PickleDataError (a DataError) names the file
    except OSError as error:
        raise DataError(filenames_path, f"cannot read filenames pickle: {error}") from error
    if isinstance(raw, np.ndarray):
        raw = raw.tolist()
    if not isinstance(raw, list | tuple) or not all(isinstance(k, str | bytes) for k in raw):
        raise DataError(filenames_path, "expected a list of str image keys")
    keys = [normalize_key(k) for k in raw]

    class_numbers = None
    class_path = split_dir / CLASS_INFO_FILE
    if class_path.is_file():
        try:
            info = load_pickle(class_path)
            info = [int(c) for c in np.asarray(info).reshape(-1)]
        except DataError as error:
            log.note(class_path, f"ignored: cannot read class numbers ({error.reason})")
        except (OSError, ValueError, TypeError, OverflowError) as error:
            log.note(class_path, f"ignored: cannot read class numbers ({error})")
        else:
            if len(info) == len(keys):
                class_numbers = info
            else:
                log.note(
                    class_path,
                    f"ignored: {len(info)} class numbers for {len(keys)} filenames in "
                    f"{filenames_path}; class ids taken from the dataset's own labels",
                )

    seen = set()
    unique_keys, unique_numbers = [], []
    for i, key in enumerate(keys):
        if key in seen:
            log.note(filenames_path, f"duplicate key {key!r} dropped")
            continue
        seen.add(key)
        unique_keys.append(key)
        if class_numbers is not None:
            unique_numbers.append(class_numbers[i])
    return unique_keys, (unique_numbers if class_numbers is not None else None)
