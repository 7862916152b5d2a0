"""``ResumableBackup``: Keras' ``BackupAndRestore`` set up so that a run can always be resumed.

The run's full training state (both networks, both optimizers with their ``iterations`` and so
their learning-rate schedule position, and the epoch) is what ``BackupAndRestore`` saves. This
module configures it for reruns and adds what it does not check:

- ``delete_checkpoint=False``: Keras deletes the backup when ``fit`` ends, including a
  ``TimeBudget`` stop, so "running the same command again" restarted from scratch.
- ``double_checkpoint=True``: the previous state is kept as ``*.bkp`` while the new one is
  written, so a kill during the write leaves one complete state.
- A commit marker (hand-written, see ``resume_epoch``): Keras falls back to the ``.bkp`` state
  only when opening the weights raises ``OSError``. A kill while ``training_metadata.json`` is
  rewritten leaves invalid JSON (``JSONDecodeError`` on every rerun), a kill between the weights
  write and the metadata write pairs the new weights with the old epoch (a replayed epoch on
  resume), and the first epoch has no ``.bkp`` at all. ``committed.json`` records the epoch and
  the SHA-256 of the weights file once both are completely written (temporary file + rename), so
  a rerun can tell which of the two states is whole.
- Non-finite weights are never backed up (``NonFiniteError``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import warnings
from pathlib import Path

import keras

from keras_stackgan.callbacks.non_finite import check_finite_weights

WEIGHTS_FILE = "latest.weights.h5"
METADATA_FILE = "training_metadata.json"
COMMIT_FILE = "committed.json"
PREVIOUS_SUFFIX = ".bkp"  # BackupAndRestore's name for the previous state (double_checkpoint)


def file_sha256(path: str | os.PathLike) -> str | None:
    """Hex SHA-256 of a file's bytes, or None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as file:
            for chunk in iter(lambda: file.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _metadata_epoch(path: Path) -> int | None:
    data = _read_json(path)
    if isinstance(data, dict) and isinstance(data.get("epoch"), int):
        return data["epoch"]
    return None


def _opens_as_hdf5(path: Path) -> bool:
    import h5py

    try:
        with h5py.File(path, "r"):
            return True
    except Exception:  # noqa: BLE001 (h5py raises OSError, KeyError, ValueError... on torn files)
        return False


def write_atomically(path: str | os.PathLike, text: str) -> None:
    """Writes ``text`` to ``path`` through a temporary file and a rename (never torn)."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _copy_atomically(source: Path, target: Path) -> None:
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.copyfile(source, temporary)
    os.replace(temporary, target)


def resume_epoch(backup_dir: str | os.PathLike) -> int:
    """The number of finished epochs a ``ResumableBackup`` folder restores (0: start afresh).

    Picks the complete state (the latest one, or the previous ``.bkp`` one when a kill tore the
    latest) and makes it the latest, so ``BackupAndRestore`` loads exactly that state. A folder
    holding no complete state (a first epoch killed while being written) is renamed to
    ``<backup_dir>.incomplete-<time>`` and 0 is returned.

    Args:
        backup_dir: the folder given to ``ResumableBackup``.

    Returns:
        int >= 0, the epoch ``fit`` continues from (its ``initial_epoch``).
    """
    backup_dir = Path(backup_dir)
    if not backup_dir.is_dir():
        return 0
    latest = (backup_dir / WEIGHTS_FILE, backup_dir / METADATA_FILE)
    previous = tuple(p.with_name(p.name + PREVIOUS_SUFFIX) for p in latest)
    marker = _read_json(backup_dir / COMMIT_FILE)
    if isinstance(marker, dict) and "sha256" in marker and "epoch" in marker:
        for weights, metadata in (latest, previous):
            if (
                weights.is_file()
                and _metadata_epoch(metadata) == marker["epoch"]
                and file_sha256(weights) == marker["sha256"]
            ):
                if weights != latest[0]:
                    _copy_atomically(metadata, latest[1])
                    _copy_atomically(weights, latest[0])
                return int(marker["epoch"])
        warnings.warn(
            f"{backup_dir}: neither backup matches {COMMIT_FILE} (files changed by hand?); "
            "falling back to a state that opens.",
            stacklevel=2,
        )
    # No usable marker: a backup written before markers existed, or one altered by hand.
    for weights, metadata in (latest, previous):
        epoch = _metadata_epoch(metadata)
        if epoch is not None and weights.is_file() and _opens_as_hdf5(weights):
            if weights != latest[0]:
                _copy_atomically(metadata, latest[1])
                _copy_atomically(weights, latest[0])
            return epoch
    if any(backup_dir.iterdir()):
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = backup_dir.with_name(f"{backup_dir.name}.incomplete-{stamp}")
        backup_dir.rename(aside)
        warnings.warn(
            f"{backup_dir} held no complete training state (killed during its first write); "
            f"moved to {aside}, training starts from epoch 0.",
            stacklevel=2,
        )
    return 0


class ResumableBackup(keras.callbacks.BackupAndRestore):
    """``BackupAndRestore`` that keeps its state for reruns and survives kills during writes.

    Keras' callback with ``double_checkpoint=True`` and ``delete_checkpoint=False``, plus a
    ``committed.json`` written after both files of an epoch are complete (see the module
    docstring for why). ``on_train_begin`` first repairs the folder with ``resume_epoch``. Use
    ``resume_epoch(backup_dir)`` before building the data to know the epoch a rerun continues
    from; ``fit`` then runs only the remaining epochs.

    Args:
        backup_dir: folder of the state; used by nothing else.
    """

    def __init__(self, backup_dir: str | os.PathLike):
        super().__init__(
            os.fspath(backup_dir),
            save_freq="epoch",
            double_checkpoint=True,
            delete_checkpoint=False,
        )

    def on_train_begin(self, logs=None):
        resume_epoch(self.backup_dir)
        super().on_train_begin(logs)

    def on_epoch_end(self, epoch, logs=None):
        check_finite_weights(self.model, f"the training state of epoch {epoch + 1}")
        super().on_epoch_end(epoch, logs)
        digest = file_sha256(os.path.join(self.backup_dir, WEIGHTS_FILE))
        marker = {"epoch": epoch + 1, "sha256": digest, "time": time.time()}
        write_atomically(os.path.join(self.backup_dir, COMMIT_FILE), json.dumps(marker) + "\n")
