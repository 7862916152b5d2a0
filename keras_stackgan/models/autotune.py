"""Explicit auto-tuning of a trainer's compile mode: build it in every mode this machine runs,
time a few training steps of each, keep the fastest.

The rule of ``compile_mode`` (``jit_compile="auto"``, ``precision="auto"``) picks a mode within
10% of the fastest for every trainer of 64 px and more measured here, but not for the steps of a
few milliseconds (the MNIST-sized trainers, pix2pix at batch 16), whose fastest mode changes
with the machine and from run to run. Their recipes call :func:`tuned_trainer`, which measures
instead of predicting.

Cost: one build, trace or XLA compile and ``warmup + steps`` training steps per candidate mode
(up to four: {graph, XLA} x {float32, mixed_bfloat16 where bfloat16 is native}); for the MNIST
trainers here about 10-60 s in all. A resumed run reuses the mode its first call recorded in
``run.json`` and tunes nothing, so a run keeps one precision from start to end on one kind of
machine; moved to another kind (another CPU model, vector width or bfloat16 support, or GPU),
it is tuned again there.

Timing picks the mode, so two fresh runs on different machines (or on a busy one) may train
in different precisions, which changes the numbers they produce; pass an explicit precision and
``jit_compile`` (or ``autotune=False``) where a run must be reproducible bit for bit.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable
from pathlib import Path

import keras
import numpy as np

from keras_stackgan.models import compile_mode


@dataclasses.dataclass(frozen=True)
class CompileMode:
    """One way to run a trainer: the Keras dtype policy it is built under and XLA on or off."""

    precision: str
    jit_compile: bool

    def summary(self) -> dict:
        """What a run records of its mode in ``run.json`` (``recorded_mode`` reads it back)."""
        return {
            "precision": self.precision,
            "jit_compile": self.jit_compile,
            "compile_machine": machine(),
        }

    @property
    def label(self) -> str:
        """e.g. ``"graph/bf16"`` or ``"xla/f32"``."""
        kind = {"float32": "f32", "mixed_bfloat16": "bf16", "mixed_float16": "f16"}
        return f"{'xla' if self.jit_compile else 'graph'}/{kind[self.precision]}"


# The CPU features the fastest mode depends on (the vector width and native bfloat16).
ISA_FLAGS = ("avx2", "avx512f", "avx512_bf16", "amx_bf16")


def machine() -> str:
    """What decides which mode is fastest here: the CPU model and its vector and bfloat16
    features, and the accelerators; e.g. ``"AMD EPYC; avx2 avx512f avx512_bf16; no GPU"``."""
    import tensorflow as tf

    flags = " ".join(f for f in ISA_FLAGS if f in compile_mode.cpu_flags()) or "no AVX2"
    gpus = [
        tf.config.experimental.get_device_details(gpu).get("device_name", "GPU")
        for gpu in tf.config.list_physical_devices("GPU")
    ]
    return f"{compile_mode.cpu_model()}; {flags}; {', '.join(gpus) or 'no GPU'}"


def candidate_modes(precision: str = "auto", jit_compile: bool | str = "auto") -> list[CompileMode]:
    """Every mode left open by ``precision`` and ``jit_compile``.

    ``"auto"`` leaves a dimension open: precision float32, plus ``mixed_bfloat16`` where this
    machine computes bfloat16 natively (``compile_mode.bf16_native``); jit both off and on
    (only off under a multi-replica strategy, where XLA cannot compile the step). A fixed value
    closes it.
    """
    import tensorflow as tf

    if precision in (None, "auto"):
        precisions = ["float32", *(["mixed_bfloat16"] if compile_mode.bf16_native() else [])]
    else:
        precisions = [compile_mode.resolve_precision(precision)]
    if jit_compile != "auto":
        jits = [bool(jit_compile)]
    elif tf.distribute.get_strategy().num_replicas_in_sync > 1:
        jits = [False]
    else:
        jits = [False, True]
    return [CompileMode(p, j) for p in precisions for j in jits]


class StepTimes(keras.callbacks.Callback):
    """The wall-clock time of every training step (batch end to batch end) of one ``fit``."""

    def on_train_begin(self, logs=None):
        self.ends = [time.perf_counter()]

    def on_train_batch_end(self, batch, logs=None):
        self.ends.append(time.perf_counter())

    def median(self) -> float:
        """Median seconds per step. The median, not the mean: the shared virtual machines here
        stall now and then for a whole time slice, which a mean would count."""
        return float(np.median(np.diff(self.ends)))


def seconds_per_step(
    model: keras.Model, data, *, steps: int, warmup: int, min_seconds: float = 0.0
) -> float:
    """Median seconds of at least ``steps`` training steps of a compiled ``model`` on ``data``
    (an endless ``tf.data.Dataset``), after ``warmup`` steps that trace or compile it. Steps of
    a few milliseconds are timed again in rounds of ``steps`` until ``min_seconds`` of them
    are measured: ten such steps are too few for a median that separates two modes."""
    if warmup:  # (steps_per_epoch=0 would mean "until the data ends": never, here)
        model.fit(data, steps_per_epoch=warmup, epochs=1, verbose=0)
    times = []
    while not times or sum(times) < min_seconds:
        timer = StepTimes()
        model.fit(data, steps_per_epoch=steps, epochs=1, verbose=0, callbacks=[timer])
        times.extend(np.diff(timer.ends))
    return float(np.median(times))


def autotune(
    build: Callable[[bool], keras.Model],
    data,
    modes: list[CompileMode],
    *,
    steps: int = 10,
    warmup: int = 3,
    min_seconds: float = 3.0,
    log: Callable[[str], None] | None = print,
) -> tuple[CompileMode, dict[str, float]]:
    """Times ``build(jit_compile)`` (built under each mode's precision) on ``data``.

    Args:
        build: ``jit_compile -> compiled trainer``; called inside the candidate's
            ``compile_mode.precision_scope``. Each candidate's trainer is thrown away.
        data: an endless ``tf.data.Dataset`` of the trainer's batches.
        modes: the candidates (``candidate_modes``).
        steps, warmup: timed (at least) and untimed steps per candidate.
        min_seconds: short steps are timed until this many seconds of them are measured.
        log: where one line per candidate goes (None: nowhere).

    Returns:
        ``(fastest mode, {mode label: seconds per step})``.
    """
    timings = {}
    for mode in modes:
        keras.backend.clear_session()
        began = time.perf_counter()
        with compile_mode.precision_scope(mode.precision):
            model = build(mode.jit_compile)
        timings[mode] = seconds_per_step(
            model, data, steps=steps, warmup=warmup, min_seconds=min_seconds
        )
        del model
        if log:
            log(
                f"autotune {mode.label}: {timings[mode] * 1e3:.1f} ms/step (median; "
                f"{time.perf_counter() - began:.0f} s with build and warm-up)"
            )
    keras.backend.clear_session()
    best = min(timings, key=timings.get)
    if log:
        log(f"autotune: {best.label} is the fastest")
    return best, {mode.label: seconds for mode, seconds in timings.items()}


def recorded_mode(run_dir: str | Path | None) -> dict:
    """The mode a run recorded in ``<run_dir>/run.json`` (``CompileMode.summary``):
    ``{"precision": ..., "jit_compile": bool}``, or empty when there is no such run or it was
    recorded on another kind of machine (``machine``), where another mode may be fastest."""
    path = Path(run_dir) / "run.json" if run_dir is not None else None
    if path is None or not path.is_file():
        return {}
    run = json.loads(path.read_text(encoding="utf-8"))
    if run.get("compile_machine") != machine() or run.get("precision") not in (
        compile_mode.PRECISIONS
    ):
        return {}
    return {"precision": run["precision"], "jit_compile": bool(run["jit_compile"])}


def tuned_trainer(
    build: Callable[[bool | str], keras.Model],
    make_data: Callable[[int], object],
    *,
    seed: int,
    precision: str = "auto",
    jit_compile: bool | str = "auto",
    autotune_modes: bool = True,
    run_dir: str | Path | None = None,
    log: Callable[[str], None] | None = print,
) -> tuple[keras.Model, CompileMode]:
    """Builds the trainer a recipe trains, in the fastest mode (or the one its run recorded).

    Args:
        build: ``jit_compile -> compiled trainer`` (``jit_compile`` a bool, or ``"auto"`` when
            not tuning); called under the chosen precision.
        make_data: ``initial_epoch -> endless tf.data.Dataset`` (epoch 0 feeds the timing).
        seed: seeds the final build (``keras.utils.set_random_seed``), so that the trainer's
            initial weights are the same as without tuning.
        precision, jit_compile: fixed values, or ``"auto"`` to tune that dimension.
        autotune_modes: False: no timing, ``compile_mode``'s rule resolves ``"auto"``.
        run_dir: a run directory whose ``run.json`` fixes the mode it recorded (resuming on
            the same kind of machine): a run keeps its mode from start to end there.
        log: progress lines (None: silent).

    Returns:
        ``(compiled trainer, its CompileMode)``.
    """
    recorded = recorded_mode(run_dir)
    precision = recorded.get("precision", precision)
    jit_compile = recorded.get("jit_compile", jit_compile)
    if autotune_modes:
        modes = candidate_modes(precision, jit_compile)
        if len(modes) > 1:
            best, _ = autotune(build, make_data(0), modes, log=log)
            precision, jit_compile = best.precision, best.jit_compile
    keras.utils.set_random_seed(seed)
    with compile_mode.precision_scope(precision) as resolved:
        model = build(jit_compile)
    return model, CompileMode(resolved, bool(model.jit_compile))


def recipe_trainer(build, make_data, args, run_dir) -> tuple[keras.Model, CompileMode]:
    """:func:`tuned_trainer` with a recipe's parsed options: ``args.seed``, and
    ``args.precision``, ``args.jit_compile`` and ``args.autotune`` from
    ``compile_mode.add_compile_arguments(parser, autotune=True)``. The same initial weights for
    the same seed, whichever mode the timing picks."""
    return tuned_trainer(
        build,
        make_data,
        seed=args.seed,
        precision=args.precision,
        jit_compile=compile_mode.jit_compile_argument(args),
        autotune_modes=args.autotune,
        run_dir=run_dir,
    )
