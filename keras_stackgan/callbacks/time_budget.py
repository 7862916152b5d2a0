"""``TimeBudget``: stop ``fit`` cleanly at an epoch boundary once a wall-clock budget is spent."""

from __future__ import annotations

import time

import keras


class TimeBudget(keras.callbacks.Callback):
    """Stops training after the first epoch that ends past ``minutes`` of wall-clock time.

    Written by hand: Keras' callbacks stop on metrics (``EarlyStopping``), not on time, and
    shared-CPU training runs here must fit into a session. Stopping only at epoch ends keeps
    the last epoch's checkpoints and sample grid consistent.

    Args:
        minutes: float or None (no limit).
    """

    def __init__(self, minutes: float | None):
        super().__init__()
        self.seconds = None if minutes is None else float(minutes) * 60.0
        self.start = None
        self.stopped_epoch: int | None = None

    def on_train_begin(self, logs=None):
        self.start = time.monotonic()

    def on_epoch_end(self, epoch, logs=None):
        if self.seconds is not None and time.monotonic() - self.start >= self.seconds:
            self.stopped_epoch = epoch + 1
            self.model.stop_training = True
