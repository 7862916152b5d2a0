"""Writes a preset folder (``config.json`` + generator weights) that ``load_pretrained`` reads."""

from __future__ import annotations

import json
import os
from pathlib import Path

import keras

FORMAT_VERSION = 1


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
        directory: the preset folder (created; existing files of the same names replaced).
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
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    weights = {"64": "stage1_generator.weights.h5"}
    stage1_generator.save_weights(str(directory / weights["64"]))
    stages = ["64"]
    if stage2_generator is not None:
        size = str(stage2_generator.image_size)
        weights[size] = "stage2_generator.weights.h5"
        stage2_generator.save_weights(str(directory / weights[size]))
        stages.append(size)
    if style_encoder is not None:
        weights["style_encoder"] = "style_encoder.weights.h5"
        style_encoder.save_weights(str(directory / weights["style_encoder"]))
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
    (directory / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return directory


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
        directory: the preset folder (created; existing files of the same names replaced).
        family: the model family (``"dcgan"``, ``"cgan"``, ``"infogan"``, ``"wgan-gp"``, ...).
        dataset: what it was trained on (``"flowers"``, ``"mnist"``, ...).
        generator: the trained generator.
        class_names: optional ``generator.num_classes`` names, in class-id order.
        training: JSON-able summary of the training run (data, epochs, wall time, hardware).

    Returns:
        The folder.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    weights = {"generator": "generator.weights.h5"}
    generator.save_weights(str(directory / weights["generator"]))
    config = {
        "format_version": FORMAT_VERSION,
        "family": family,
        "dataset": dataset,
        "weights": weights,
        "generator": keras.saving.serialize_keras_object(generator),
        "class_names": None if class_names is None else list(class_names),
        "training": training or {},
    }
    (directory / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return directory
