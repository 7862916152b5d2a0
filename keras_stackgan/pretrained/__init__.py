"""The pretrained zoo: ``load_pretrained(name)`` -> ``StackGANPipeline``, and how presets are made.

- ``list_pretrained()`` / ``load_pretrained(name, stage)``: shipped presets (``presets.py``).
- ``StackGANPipeline``: text encoder + Stage-I (+ Stage-II): sentences -> uint8 images.
- ``datasets``: each preset's training records; ``training.train_stage``: resumable training;
  ``package.write_preset``: the folder ``load_pretrained`` reads.
"""

from keras_stackgan.pretrained.load import list_pretrained, load_pretrained
from keras_stackgan.pretrained.pipeline import StackGANPipeline

__all__ = ["StackGANPipeline", "list_pretrained", "load_pretrained"]
