"""``GeneratorCheckpoint``: the generator's weights alone, after every epoch."""

from __future__ import annotations

import os

import keras

from keras_stackgan.callbacks.non_finite import check_finite_weights


class GeneratorCheckpoint(keras.callbacks.Callback):
    """Saves ``model.generator`` to ``path`` (``.weights.h5``) at every epoch end, atomically.

    ``keras.callbacks.ModelCheckpoint`` saves the whole trainer (both networks and both
    optimizers); shipping and Stage-II training need only the generator, so this writes it
    alone, to a temporary file first so that an interrupted run never leaves a torn file.
    Non-finite weights are never written: ``NonFiniteError`` is raised instead and the last
    good snapshot stays.

    Args:
        path: str, ending in ``.weights.h5``.
    """

    def __init__(self, path: str | os.PathLike):
        super().__init__()
        self.path = os.fspath(path)
        if not self.path.endswith(".weights.h5"):
            raise ValueError(f"path must end in .weights.h5, got {self.path!r}")

    def on_epoch_end(self, epoch, logs=None):
        check_finite_weights(self.model.generator, f"{self.path} (epoch {epoch + 1})")
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        temporary = self.path[: -len(".weights.h5")] + ".tmp.weights.h5"
        self.model.generator.save_weights(temporary)
        os.replace(temporary, self.path)
