"""``StopOnNonFinite``: end ``fit`` at the first NaN/inf loss, before anything is checkpointed.

A GAN that diverges keeps "training" with every metric ``nan``, and each epoch end would then
write non-finite weights over the last good checkpoint. ``keras.callbacks.TerminateOnNaN`` does
not cover it: it reads only a ``loss`` key (our models log ``d_loss``, ``g_loss``, ``kl``, ...),
and it sets ``stop_training``, after which Keras 3 still runs every callback's ``on_epoch_end``
(so the checkpoints would be written anyway). This callback raises instead.
"""

from __future__ import annotations

import math
import numbers

import keras
import numpy as np


class NonFiniteError(FloatingPointError):
    """Training produced a NaN or infinite loss or weight; nothing non-finite was saved.

    Attributes:
        epoch: int or None. 1-based epoch in which it happened.
        step: int or None. 1-based step of that epoch (None when found at the epoch end).
        values: dict of the non-finite log values, e.g. ``{"d_loss": nan}``.
    """

    def __init__(self, message: str, epoch=None, step=None, values=None):
        super().__init__(message)
        self.epoch = epoch
        self.step = step
        self.values = dict(values or {})


def non_finite_logs(logs) -> dict:
    """The entries of a Keras ``logs`` dict that are numbers but not finite.

    Args:
        logs: dict ``{name: float | numpy scalar | 0-d array}`` (any keys: ``d_loss``,
            ``g_loss``, ``kl``, ``val_...``); non-numeric entries are ignored.

    Returns:
        dict ``{name: float}`` of the NaN or +-inf entries (empty when all are finite).
    """
    bad = {}
    for name, value in (logs or {}).items():
        if isinstance(value, numbers.Number) and not isinstance(value, bool):
            number = float(value)
        elif isinstance(value, np.ndarray | np.generic) and np.size(value) == 1:
            number = float(np.asarray(value).reshape(()))
        else:
            continue
        if not math.isfinite(number):
            bad[name] = number
    return bad


def non_finite_weights(variables) -> list[str]:
    """Paths of the variables holding any NaN or +-inf (e.g. ``model.weights``)."""
    names = []
    for variable in variables:
        value = keras.ops.convert_to_numpy(variable)
        if np.issubdtype(value.dtype, np.floating) and not np.all(np.isfinite(value)):
            names.append(getattr(variable, "path", None) or getattr(variable, "name", "?"))
    return names


def check_finite_weights(model, what: str = "weights") -> None:
    """Raises ``NonFiniteError`` when any of ``model.weights`` is NaN or infinite.

    Args:
        model: a ``keras.Model`` (a GAN trainer, a generator...).
        what: str. What is about to be written, for the message.
    """
    bad = non_finite_weights(model.weights)
    if bad:
        shown = ", ".join(bad[:3]) + (f" and {len(bad) - 3} more" if len(bad) > 3 else "")
        raise NonFiniteError(
            f"Refusing to write {what}: {len(bad)} variable(s) hold NaN or inf ({shown})."
        )


class StopOnNonFinite(keras.callbacks.Callback):
    """Raises ``NonFiniteError`` at the first batch whose logs hold a NaN or infinite value.

    Every numeric log entry is checked (whatever the model calls its losses), after every
    training batch and at every epoch end (validation logs). Raising, rather than setting
    ``stop_training``, keeps Keras from calling the other callbacks' ``on_epoch_end``, so no
    checkpoint, snapshot or sample sheet of the diverged epoch is written; the run's last
    checkpoint stays the last finite epoch. Put it first in the callback list.

    The logs are running means over the epoch, so the first non-finite batch is the batch whose
    own loss was the first non-finite one.
    """

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        self._check(logs, step=batch + 1)

    def on_epoch_end(self, epoch, logs=None):
        self._epoch = epoch
        self._check(logs, step=None)

    def _check(self, logs, step):
        bad = non_finite_logs(logs)
        if not bad:
            return
        epoch = getattr(self, "_epoch", 0) + 1
        where = f"epoch {epoch}, step {step}" if step is not None else f"the end of epoch {epoch}"
        values = ", ".join(f"{k} = {v}" for k, v in bad.items())
        raise NonFiniteError(
            f"Training diverged at {where}: {values}. Stopped before writing any checkpoint "
            "of this epoch; lower the learning rate, or resume from the last finite epoch.",
            epoch=epoch,
            step=step,
            values=bad,
        )
