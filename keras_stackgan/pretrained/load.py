"""``load_pretrained`` / ``list_pretrained``: shipped presets, offline, by name only."""

from __future__ import annotations

import json
from pathlib import Path

import keras

from keras_stackgan.assets import saved_model_path
from keras_stackgan.pretrained.generator_pipeline import GeneratorPipeline
from keras_stackgan.pretrained.pipeline import StackGANPipeline
from keras_stackgan.pretrained.presets import PRESETS

CONFIG_FILE = "config.json"


def preset_dir(name: str) -> Path:
    """The ``saved_models/`` folder of a preset name (names are never paths)."""
    if not isinstance(name, str) or name not in PRESETS:
        raise ValueError(
            f"Unknown pretrained model {name!r}. Available: {', '.join(list_pretrained())}."
        )
    return saved_model_path(PRESETS[name]["path"])


def list_pretrained() -> list[str]:
    """Names of the presets shipped with this installation, e.g. ``["cub", "flowers"]``."""
    return [
        name
        for name, preset in PRESETS.items()
        if saved_model_path(preset["path"], CONFIG_FILE).is_file()
    ]


def _weights_path(directory: Path, file_name: str) -> Path:
    # A config names its weight files; a name with a separator could point outside the folder.
    if Path(file_name).name != file_name or file_name in {"", ".", ".."}:
        raise ValueError(f"Weight file names must be plain file names, received {file_name!r}")
    return directory / file_name


def preset_pipeline_class(registered_name: str) -> type:
    """The pipeline class a preset's ``config.json`` names (``"keras_stackgan>Pix2PixPipeline"``).

    Families whose presets are not noise-to-image generators (image-to-image, likelihood models)
    ship their own pipeline, a registered Keras class with a classmethod
    ``from_preset_dir(directory, config)``; ``load_pretrained`` hands such a preset to it.

    Raises:
        ValueError: for a name that is not a registered class with ``from_preset_dir``.
    """
    import keras_stackgan.models  # noqa: F401 (registers every family's classes)

    cls = keras.saving.get_registered_object(registered_name)
    if not isinstance(cls, type) or not hasattr(cls, "from_preset_dir"):
        raise ValueError(
            f"The preset names the pipeline {registered_name!r}, which is not a registered "
            "class with a from_preset_dir(directory, config) method."
        )
    return cls


def build_generator(config: dict, weights_path: Path, safe_mode: bool = True) -> keras.Model:
    """Deserialises a generator (or style encoder) from its Keras config and loads its weights.

    The generators are functional models, built by their constructor.

    Args:
        config: the model's ``keras.saving.serialize_keras_object`` config.
        weights_path: its ``.weights.h5`` file.
        safe_mode: passed to ``keras.saving.deserialize_keras_object``. True (default) refuses
            configs that carry code (``Lambda`` layers); False runs that code: only for folders
            you wrote yourself.
    """
    import keras_stackgan.models  # noqa: F401 (registers every generator class)

    generator = keras.saving.deserialize_keras_object(config, safe_mode=bool(safe_mode))
    generator.load_weights(str(weights_path))
    # Stage-I is frozen while Stage-II trains, and was saved so; fine-tuning starts trainable.
    generator.trainable = True
    return generator


def load_pretrained(
    name: str, stage: str | int | None = None
) -> StackGANPipeline | GeneratorPipeline:
    """Loads a shipped preset, offline: text-to-image or one of the zoo's generators.

    Args:
        name: a name from ``list_pretrained()`` (``"cub"``, ``"flowers"``, ...). Never a
            path: use ``StackGANPipeline`` directly for your own weights.
        stage: ``"256"`` (Stage-I + Stage-II, where the preset has it), ``"64"`` (Stage-I
            only), or None for the preset's largest.

    Returns:
        ``StackGANPipeline`` for the text-to-image families (``stackgan``, ``gan-int-cls``):
        ``generate(texts)`` returns uint8 ``[n, S, S, 3]``; GAN-INT-CLS presets also carry
        their style encoder, ``transfer_style(images, texts)``. ``GeneratorPipeline`` for the
        adversarial zoo (``dcgan-flowers``, ``cgan-mnist``, ...): ``generate(num_images,
        labels=..., codes=..., seed=...)`` returns uint8 ``[n, S, S, C]``.

    Raises:
        ValueError: for an unknown name (the message lists the available ones), a preset not
            shipped in this installation, or a stage the preset does not have.

    Examples:
    ```python
    pipeline = keras_stackgan.load_pretrained("cub")
    images = pipeline.generate("a small red bird with black wings", images_per_text=4, seed=0)
    ```
    """
    directory = preset_dir(name)
    if not (directory / CONFIG_FILE).is_file():
        raise ValueError(
            f"The preset {name!r} is not shipped in this installation (no "
            f"{directory / CONFIG_FILE}). Available: {', '.join(list_pretrained())}."
        )
    return load_preset_dir(directory, name=name, stage=stage)


def load_preset_dir(
    directory: str | Path,
    name: str | None = None,
    stage: str | int | None = None,
    safe_mode: bool = True,
) -> StackGANPipeline | GeneratorPipeline:
    """Loads a preset folder written by ``write_preset`` / ``write_generator_preset``.

    ``load_pretrained(name)`` calls this on a shipped folder; call it yourself on a folder of
    your own (e.g. a preset packaged from your run). Keras deserialises the networks in safe
    mode: a config holding a ``Lambda`` layer (arbitrary code) is refused unless you opt in
    with ``safe_mode=False``.

    Args:
        directory: the preset folder (``config.json`` and the weight files).
        name: the name the pipeline reports (default: the folder's name).
        stage: as in ``load_pretrained``.
        safe_mode: True (default): Keras' safe-mode deserialisation, configs carrying code
            are refused. False: such configs load and their code runs; only for a folder you
            trust (one you wrote). Shipped presets always load in safe mode.

    Raises:
        ValueError: for a folder without ``config.json`` or a stage the preset lacks.
    """
    directory = Path(directory)
    name = name or directory.name
    config_path = directory / CONFIG_FILE
    if not config_path.is_file():
        raise ValueError(f"{directory} holds no {CONFIG_FILE}: not a preset folder.")
    config = json.loads(config_path.read_text(encoding="utf-8"))
    if config.get("pipeline"):  # a family's own pipeline (image-to-image, VAEs): its loader
        if stage is not None:
            raise ValueError(f"The preset {name!r} has one stage; do not pass stage={stage!r}.")
        return preset_pipeline_class(config["pipeline"]).from_preset_dir(directory, config)
    if "generator" in config:  # the adversarial zoo: one noise-to-image generator
        if stage is not None:
            raise ValueError(f"The preset {name!r} has one stage; do not pass stage={stage!r}.")
        weights = _weights_path(directory, config["weights"]["generator"])
        generator = build_generator(config["generator"], weights, safe_mode)
        metadata = {k: v for k, v in config.items() if k != "generator"}
        return GeneratorPipeline(
            generator, name=name, metadata=metadata, class_names=config.get("class_names")
        )
    stages = tuple(str(s) for s in config["stages"])
    stage = stages[-1] if stage is None else str(stage)
    if stage not in stages:
        raise ValueError(f"The preset {name!r} has stages {list(stages)}, not {stage!r}.")

    from keras_stackgan.text import SentenceEncoder

    text_encoder = SentenceEncoder.from_pretrained(config["text_encoder"])
    stage1 = build_generator(
        config["stage1_generator"], _weights_path(directory, config["weights"]["64"]), safe_mode
    )
    stage2 = None
    if stage != "64":
        stage2 = build_generator(
            config["stage2_generator"],
            _weights_path(directory, config["weights"][stage]),
            safe_mode,
        )
    style_encoder = None
    if config.get("style_encoder"):
        style_encoder = build_generator(
            config["style_encoder"],
            _weights_path(directory, config["weights"]["style_encoder"]),
            safe_mode,
        )
    models = ("stage1_generator", "stage2_generator", "style_encoder")
    metadata = {k: v for k, v in config.items() if k not in models}
    return StackGANPipeline(
        text_encoder, stage1, stage2, name=name, metadata=metadata, style_encoder=style_encoder
    )
