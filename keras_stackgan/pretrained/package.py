"""Writes a preset folder (``config.json`` + generator weights) that ``load_pretrained`` reads.

Both writers build the new preset in a hidden sibling folder (``.<name>.writing-<pid>``) and
swap it into place only once every file is complete, so a kill mid-write never leaves a
half-written preset under the preset's name, and an existing preset stays loadable until the
new one replaces it. Files of the existing folder that the writer does not produce (sample
sheets, model cards) are carried over.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
from pathlib import Path

import keras

FORMAT_VERSION = 1
_RENAME_EXCHANGE = 2  # renameat2 flag (Linux >= 3.15): swap two paths atomically


def _exchange(first: Path, second: Path) -> bool:
    """Atomically swaps two existing paths (Linux ``renameat2``); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_cwd = -100
    result = renameat2(
        at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), ctypes.c_uint(_RENAME_EXCHANGE)
    )
    return result == 0


def _remove_abandoned_writes(directory: Path) -> None:
    """Removes the hidden folders of writes of ``directory`` whose process is gone (killed)."""
    for leftover in directory.parent.glob(f".{directory.name}.writing-*"):
        pid = leftover.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            pass  # alive, another user's process


@contextlib.contextmanager
def atomic_folder(directory: str | os.PathLike, written: set[str]):
    """Yields a temporary sibling folder to write ``directory``'s new contents into.

    When the block ends without an exception, the existing folder's files not named in
    ``written`` are copied in (so sheets and model cards next to the weights survive), and the
    folder takes ``directory``'s place: swapped atomically where the OS can (Linux), else
    renamed aside then replaced, so at no moment does ``directory`` hold a mix of old and new
    files. On an exception the temporary folder is removed and ``directory`` is untouched.

    Args:
        directory: the folder to (re)write.
        written: file names the block writes (replacing the old folder's files of those names).
    """
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_writes(directory)
    temporary = directory.with_name(f".{directory.name}.writing-{os.getpid()}")
    if temporary.exists():
        shutil.rmtree(temporary)
    temporary.mkdir()
    try:
        yield temporary
        if directory.is_dir():
            for item in directory.iterdir():
                if item.name in written or (temporary / item.name).exists():
                    continue
                if item.is_dir():
                    shutil.copytree(item, temporary / item.name)
                else:
                    shutil.copy2(item, temporary / item.name)
            if not _exchange(temporary, directory):
                aside = directory.with_name(f".{directory.name}.previous-{os.getpid()}")
                if aside.exists():
                    shutil.rmtree(aside)
                os.rename(directory, aside)
                os.rename(temporary, directory)
                temporary = aside  # the old preset, removed below
        else:
            os.rename(temporary, directory)
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)


def write_preset(
    directory: str | os.PathLike,
    *,
    family: str,
    text_encoder: str,
    stage1_generator: keras.Model,
    stage2_generator: keras.Model | None = None,
    style_encoder: keras.Model | None = None,
    training: dict | None = None,
) -> Path:
    """Saves generators and their Keras configs as a preset folder.

    Layout::

        config.json                     family, stages, text encoder preset, generator configs,
                                        weight file names, training summary
        stage1_generator.weights.h5     the 64 px generator
        stage2_generator.weights.h5     the Stage-II generator (when given)
        style_encoder.weights.h5        GAN-INT-CLS's style encoder S (when given)

    Args:
        directory: the preset folder (written whole, then swapped in; its other files kept).
        family: ``"stackgan"`` or ``"gan-int-cls"``.
        text_encoder: the ``SentenceEncoder`` preset name the generators were trained with.
        stage1_generator: the 64 px generator.
        stage2_generator: optional Stage-II generator.
        style_encoder: optional ``StyleEncoder`` of the 64 px generator (GAN-INT-CLS), for
            ``StackGANPipeline.transfer_style``.
        training: JSON-able summary of the training runs (data, epochs, wall time, hardware).

    Returns:
        The folder.
    """
    weights = {"64": "stage1_generator.weights.h5"}
    stages = ["64"]
    if stage2_generator is not None:
        weights[str(stage2_generator.image_size)] = "stage2_generator.weights.h5"
        stages.append(str(stage2_generator.image_size))
    if style_encoder is not None:
        weights["style_encoder"] = "style_encoder.weights.h5"
    config = {
        "format_version": FORMAT_VERSION,
        "family": family,
        "stages": stages,
        "text_encoder": text_encoder,
        "weights": weights,
        "stage1_generator": keras.saving.serialize_keras_object(stage1_generator),
        "stage2_generator": (
            None
            if stage2_generator is None
            else keras.saving.serialize_keras_object(stage2_generator)
        ),
        "style_encoder": (
            None if style_encoder is None else keras.saving.serialize_keras_object(style_encoder)
        ),
        "training": training or {},
    }
    models = {"64": stage1_generator, "style_encoder": style_encoder}
    if stage2_generator is not None:
        models[stages[-1]] = stage2_generator
    with atomic_folder(directory, {*weights.values(), "config.json"}) as folder:
        for key, file_name in weights.items():
            models[key].save_weights(str(folder / file_name))
        (folder / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return Path(directory)


def write_generator_preset(
    directory: str | os.PathLike,
    *,
    family: str,
    dataset: str,
    generator: keras.Model,
    class_names: list[str] | None = None,
    training: dict | None = None,
) -> Path:
    """Saves one of the adversarial zoo's generators as a preset folder.

    Layout::

        config.json               family, dataset, the generator's Keras config, weight file
                                  name, class names (conditional models), training summary
        generator.weights.h5      the generator (see ``GeneratorPipeline`` for its convention)

    Args:
        directory: the preset folder (written whole, then swapped in; its other files kept).
        family: the model family (``"dcgan"``, ``"cgan"``, ``"infogan"``, ``"wgan-gp"``, ...).
        dataset: what it was trained on (``"flowers"``, ``"mnist"``, ...).
        generator: the trained generator.
        class_names: optional ``generator.num_classes`` names, in class-id order.
        training: JSON-able summary of the training run (data, epochs, wall time, hardware).

    Returns:
        The folder.
    """
    weights = {"generator": "generator.weights.h5"}
    config = {
        "format_version": FORMAT_VERSION,
        "family": family,
        "dataset": dataset,
        "weights": weights,
        "generator": keras.saving.serialize_keras_object(generator),
        "class_names": None if class_names is None else list(class_names),
        "training": training or {},
    }
    with atomic_folder(directory, {*weights.values(), "config.json"}) as folder:
        generator.save_weights(str(folder / weights["generator"]))
        (folder / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return Path(directory)
