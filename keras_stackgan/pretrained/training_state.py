"""A run's full training state as a compact folder that can be committed, and back.

A run directory (``keras_stackgan.pretrained.training``) keeps its state in
``<run_dir>/backup/`` (``ResumableBackup``: both networks, both optimizers, the epoch) as a
float32 ``.weights.h5`` file, about 20 MB for a small-width StackGAN stage. Runs of hundreds of
epochs span sessions, and a later session may start on a fresh machine, so
:func:`export_training_state` writes the last complete state to a small folder::

    <state_dir>/state.npz     every array of the backup; float32 ones as bfloat16 bit patterns
    <state_dir>/state.json    the HDF5 layout (groups, attributes, dtypes), the epoch, a digest
    <state_dir>/run.json      the run's settings (copied)
    <state_dir>/history.csv   its per-epoch losses (copied)
    <state_dir>/training_metadata.json   BackupAndRestore's epoch record (copied)

and :func:`import_training_state` rebuilds ``<run_dir>/backup/`` from it, so the same training
command resumes after that epoch. Storing float32 values as bfloat16 (round to nearest even)
keeps 8 significant bits: a weight moves by less than one Adam step at the paper's learning rate
(2e-4 against weights of ~0.02 and more), and bfloat16 has float32's exponent range, so Adam's
second moments (1e-12 and smaller) do not underflow as they would in float16. Integer
variables (optimizer iterations, the learning-rate schedule position) are exact.

Hand-written rather than a library call: Keras saves whole models or float32 weights only, and
the state must stay a few MB per run in git (``saved_models/training_state/``, excluded from the
installed package data in ``setup.py``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import numpy as np

from keras_stackgan.callbacks.resumable_backup import (
    COMMIT_FILE,
    METADATA_FILE,
    WEIGHTS_FILE,
    file_sha256,
    resume_epoch,
    write_atomically,
)

STATE_ARRAYS = "state.npz"
STATE_LAYOUT = "state.json"
COPIED_FILES = ("run.json", "history.csv")
FORMAT_VERSION = 1


def to_bfloat16_bits(values: np.ndarray) -> np.ndarray:
    """float32 -> uint16 bfloat16 bit patterns, rounded to nearest even (NaN stays NaN)."""
    bits = np.ascontiguousarray(values, dtype=np.float32).view(np.uint32)
    rounding = ((bits >> 16) & 1) + np.uint32(0x7FFF)
    rounded = ((bits + rounding) >> 16).astype(np.uint16)
    nan = np.isnan(values)
    rounded[nan] = np.uint16(0x7FC0)
    return rounded


def from_bfloat16_bits(bits: np.ndarray) -> np.ndarray:
    """uint16 bfloat16 bit patterns -> float32 (exact)."""
    return (bits.astype(np.uint32) << 16).view(np.float32)


def _attrs(obj) -> dict:
    out = {}
    for key, value in obj.attrs.items():
        if isinstance(value, bytes):
            value = value.decode("utf-8")
        elif isinstance(value, np.ndarray):
            value = value.tolist()
        elif isinstance(value, np.generic):
            value = value.item()
        out[key] = value
    return out


def export_training_state(run_dir: str | os.PathLike, state_dir: str | os.PathLike) -> dict:
    """Writes the last complete training state of ``run_dir`` to ``state_dir`` (replaced).

    Args:
        run_dir: a run directory with a ``backup/`` folder (``train_stage``,
            ``train_gan_int_cls``, ``train_zoo_model``).
        state_dir: destination folder; its previous contents are replaced.

    Returns:
        The layout record written to ``state.json`` (``epoch``, ``bytes``, ...).

    Raises:
        FileNotFoundError: when ``run_dir`` holds no complete state.
    """
    import h5py

    run_dir, state_dir = Path(run_dir), Path(state_dir)
    backup = run_dir / "backup"
    epoch = resume_epoch(backup)  # also repairs a torn backup, as a rerun would
    weights = backup / WEIGHTS_FILE
    if epoch == 0 or not weights.is_file():
        raise FileNotFoundError(f"{run_dir} holds no complete training state to export.")

    arrays, datasets, groups = {}, [], []
    with h5py.File(weights, "r") as file:
        groups.append({"path": "/", "attrs": _attrs(file)})

        def visit(name, obj):
            if isinstance(obj, h5py.Group):
                groups.append({"path": name, "attrs": _attrs(obj)})
                return
            values = obj[()]
            key = f"a{len(datasets)}"
            encoding = "raw"
            if isinstance(values, np.ndarray) and values.dtype == np.float32:
                values, encoding = to_bfloat16_bits(values), "bfloat16"
            arrays[key] = np.asarray(values)
            datasets.append(
                {
                    "path": name,
                    "key": key,
                    "dtype": str(obj.dtype),
                    "encoding": encoding,
                    "attrs": _attrs(obj),
                }
            )

        file.visititems(visit)

    state_dir.mkdir(parents=True, exist_ok=True)
    for old in state_dir.iterdir():
        if old.is_file():
            old.unlink()
    np.savez_compressed(state_dir / STATE_ARRAYS, **arrays)
    for name in COPIED_FILES:
        if (run_dir / name).is_file():
            shutil.copyfile(run_dir / name, state_dir / name)
    shutil.copyfile(backup / METADATA_FILE, state_dir / METADATA_FILE)
    layout = {
        "format_version": FORMAT_VERSION,
        "epoch": epoch,
        "groups": groups,
        "datasets": datasets,
        "arrays_sha256": file_sha256(state_dir / STATE_ARRAYS),
        "bytes": (state_dir / STATE_ARRAYS).stat().st_size,
    }
    write_atomically(state_dir / STATE_LAYOUT, json.dumps(layout, indent=1) + "\n")
    return layout


def import_training_state(state_dir: str | os.PathLike, run_dir: str | os.PathLike) -> int:
    """Rebuilds ``<run_dir>/backup/`` from ``state_dir``, so a rerun resumes after its epoch.

    A run directory that already holds a complete state of at least that epoch is left alone
    (the local run is newer or the same).

    Args:
        state_dir: a folder written by :func:`export_training_state`.
        run_dir: the run directory the training command uses.

    Returns:
        The epoch the run now resumes after.

    Raises:
        ValueError: when the arrays do not match the digest recorded with them.
    """
    import h5py

    state_dir, run_dir = Path(state_dir), Path(run_dir)
    layout = json.loads((state_dir / STATE_LAYOUT).read_text(encoding="utf-8"))
    if file_sha256(state_dir / STATE_ARRAYS) != layout["arrays_sha256"]:
        raise ValueError(f"{state_dir / STATE_ARRAYS} does not match its recorded digest.")
    backup = run_dir / "backup"
    local = resume_epoch(backup)
    if local >= layout["epoch"]:
        return local
    if backup.exists():
        shutil.rmtree(backup)
    backup.mkdir(parents=True)
    arrays = np.load(state_dir / STATE_ARRAYS)
    weights = backup / WEIGHTS_FILE
    with h5py.File(weights, "w") as file:
        for group in layout["groups"]:
            target = file if group["path"] == "/" else file.require_group(group["path"])
            target.attrs.update(group["attrs"])
        for entry in layout["datasets"]:
            values = arrays[entry["key"]]
            if entry["encoding"] == "bfloat16":
                values = from_bfloat16_bits(values)
            dataset = file.create_dataset(entry["path"], data=values.astype(entry["dtype"]))
            dataset.attrs.update(entry["attrs"])
    shutil.copyfile(state_dir / METADATA_FILE, backup / METADATA_FILE)
    for name in COPIED_FILES:
        if (state_dir / name).is_file():
            shutil.copyfile(state_dir / name, run_dir / name)
    marker = {"epoch": layout["epoch"], "sha256": file_sha256(weights), "imported": True}
    write_atomically(backup / COMMIT_FILE, json.dumps(marker) + "\n")
    return int(layout["epoch"])


def state_digest(state_dir: str | os.PathLike) -> str:
    """SHA-256 over a state folder's files (names and bytes), for model cards and notes."""
    digest = hashlib.sha256()
    for path in sorted(Path(state_dir).iterdir()):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def add_state_dir_argument(parser) -> None:
    """Adds the recipes' ``--state-dir`` option (a ``Path``, default None) to ``parser``."""
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=None,
        help="compact training state to resume from and write back (e.g. "
        "saved_models/training_state/<run>): lets a run continue on another machine",
    )


def resume_from_state(state_dir: str | os.PathLike | None, run_dir: str | os.PathLike) -> None:
    """Rebuilds ``run_dir``'s backup from ``state_dir`` when it holds a state (else nothing)."""
    if state_dir is not None and (Path(state_dir) / STATE_LAYOUT).is_file():
        import_training_state(state_dir, run_dir)
