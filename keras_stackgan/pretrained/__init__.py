"""The pretrained zoo: ``load_pretrained(name)`` -> a pipeline, and how presets are made.

- ``list_pretrained()`` / ``load_pretrained(name, stage)``: shipped presets (``presets.py``).
- ``StackGANPipeline``: text encoder + Stage-I (+ Stage-II): sentences -> uint8 images.
- ``GeneratorPipeline``: the adversarial zoo's noise-to-image generators -> uint8 images.
- ``datasets``: each preset's training records; ``training.train_stage`` and
  ``zoo_training.train_zoo_model``: resumable training; ``package``: the folders
  ``load_pretrained`` reads.

The names are imported lazily, so ``keras_stackgan.pretrained.presets`` (plain data, read by
the CLI's ``--help``) loads without TensorFlow.
"""

_EXPORTS = {
    "GeneratorPipeline": "keras_stackgan.pretrained.generator_pipeline",
    "StackGANPipeline": "keras_stackgan.pretrained.pipeline",
    "list_pretrained": "keras_stackgan.pretrained.load",
    "load_pretrained": "keras_stackgan.pretrained.load",
    "load_preset_dir": "keras_stackgan.pretrained.load",
}


def __getattr__(name):
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'keras_stackgan.pretrained' has no attribute {name!r}")


__all__ = sorted(_EXPORTS)
