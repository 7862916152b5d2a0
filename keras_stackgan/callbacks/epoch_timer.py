"""``EpochTimer``: adds each epoch's wall-clock seconds to the logs (for ``CSVLogger``)."""

from __future__ import annotations

import time

import keras


class EpochTimer(keras.callbacks.Callback):
    """Puts ``epoch_seconds`` into the epoch logs, so ``CSVLogger`` and TensorBoard record it.

    Written by hand: Keras logs no timings per epoch. Place it before ``CSVLogger`` in the
    callback list. Model cards sum the column to report training wall time across resumed runs.
    """

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.monotonic()

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["epoch_seconds"] = time.monotonic() - self._start
