"""``QualityCurve``: a measurement of the model every few epochs, one CSV row each (resumable)."""

from __future__ import annotations

import csv
import os
import time
from collections.abc import Callable
from pathlib import Path

import keras

from keras_stackgan.callbacks.resumable_backup import write_atomically


def read_curve(path: str | os.PathLike) -> list[dict]:
    """The rows of a ``QualityCurve`` CSV in epoch order, values as floats (empty cells None);
    an epoch written twice (replayed after a kill) keeps its last row."""
    path = Path(path)
    if not path.is_file():
        return []
    rows = {}
    with open(path, newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            rows[int(row["epoch"])] = {
                k: (float(v) if v not in ("", None) else None) for k, v in row.items()
            }
    return [rows[e] for e in sorted(rows)]


def _cell(value) -> str:
    if value is None:
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.6g}"


class QualityCurve(keras.callbacks.Callback):
    """Every ``every`` epochs, measures the model and appends a row to the CSV ``path``.

    A row holds ``epoch`` (1-based, finished epochs), ``generator_steps`` (the iterations of
    the model's ``g_optimizer``, or of its ``optimizer``), the epoch's logs named in
    ``log_keys``, the floats ``measure(model)`` returns, and ``train_seconds``: training time
    summed over the run's epochs, measurements excluded (continued from the last row when a
    run resumes). The file is rewritten atomically after each measurement, so a kill never
    leaves a torn file, and a replayed epoch replaces its row.

    Written by hand: Keras has no callback that records a metric computed outside ``fit``
    (proxy-FID of samples) per epoch across resumed runs.

    Args:
        path: the CSV file.
        measure: ``model -> {name: float}`` (e.g. ``{"proxy_fid": ...}``); the same names
            every call.
        every: epochs between measurements (>= 1).
        log_keys: names of the epoch's logs copied into each row (missing ones stay empty).
        label: the first word of the line printed after each measurement.
    """

    def __init__(
        self,
        path: str | os.PathLike,
        measure: Callable[[keras.Model], dict],
        *,
        every: int = 1,
        log_keys=(),
        label: str = "curve",
    ):
        super().__init__()
        if int(every) < 1:
            raise ValueError(f"every must be >= 1, received {every}")
        self.path = Path(path)
        self.measure = measure
        self.every = int(every)
        self.log_keys = tuple(log_keys)
        self.label = label
        self.rows = read_curve(self.path)
        self.seconds = 0.0

    def on_train_begin(self, logs=None):
        self.rows = read_curve(self.path)
        self.seconds = self.rows[-1]["train_seconds"] if self.rows else 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self.began = time.monotonic()

    def _steps(self) -> int:
        optimizer = getattr(self.model, "g_optimizer", None) or self.model.optimizer
        return int(optimizer.iterations)

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        self.seconds += time.monotonic() - self.began
        if (epoch + 1) % self.every:
            return
        began = time.monotonic()
        measured = {k: float(v) for k, v in self.measure(self.model).items()}
        row = {
            "epoch": epoch + 1,
            "generator_steps": self._steps(),
            **{k: logs.get(k) for k in self.log_keys},
            **measured,
            "train_seconds": round(self.seconds, 1),
        }
        self.rows = [r for r in self.rows if r["epoch"] != row["epoch"]] + [row]
        fields = list(dict.fromkeys(k for r in self.rows for k in r))
        fields.remove("train_seconds")
        fields.append("train_seconds")
        lines = [",".join(fields)]
        for r in self.rows:
            lines.append(",".join(_cell(r.get(k)) for k in fields))
        write_atomically(self.path, "\n".join(lines) + "\n")
        values = " ".join(f"{k} {v:.4g}" for k, v in measured.items())
        print(
            f"{self.label}: epoch {row['epoch']} step {row['generator_steps']} {values} "
            f"({time.monotonic() - began:.0f} s)",
            flush=True,
        )
