"""Which compile mode a trainer runs in on this machine: ``jit_compile="auto"`` of every
trainer's ``compile()`` and ``precision="auto"`` of the recipes.

The rule, from ``benchmarks/train_step.py`` (every trainer, {XLA, graph} x {float32,
mixed_bfloat16}; the measured tables are in the README):

- XLA: on for a single GPU/TPU. On CPU, off for trainers of images of 64 px and more, where
  TensorFlow's graph mode (oneDNN kernels) was faster than XLA for every trainer measured
  (paper-width Stage-I in bfloat16: 47.1 against 26.1 images/s; Keras's own ``"auto"`` is
  graph mode on CPU too), and on for images of ``XLA_MAX_IMAGE_SIZE`` (32) px or less: the
  MNIST-sized steps (4-60 ms) are dominated by per-op overhead, which XLA's fusion removes
  (the MNIST VAE: 27,374 against 11,733 images/s in graph mode). Off under a multi-replica
  ``tf.distribute`` strategy, where XLA cannot compile a step that reads variables placed on
  several devices.
- Precision: ``mixed_bfloat16`` on a CPU-only machine whose CPU computes bfloat16 natively
  (AVX512-BF16 or AMX), else float32. GPUs keep float32 by default; ``mixed_float16`` (with loss
  scaling) is an explicit choice there.

The rule was measured on one kind of CPU; on another (an AVX2-only Zen 3 here) XLA won for every
trainer. The training recipes therefore time the modes instead (``keras_stackgan.models.
autotune``); this rule is the untimed default of ``compile()`` and the library's training calls.

Graph mode also compiles faster than XLA (a few seconds against tens of seconds per trainer).

``mixed_bfloat16`` keeps float32 weights and runs the layers' matmuls and convolutions in
bfloat16. On CPUs with native bfloat16 instructions (AVX512-BF16 or AMX) it is faster than
float32; on CPUs without them TensorFlow emulates it and it is several times slower. A trainer's
precision must be chosen before its layers are built (a Keras dtype policy is fixed at
construction), so recipes resolve it first and build the model under it.
"""

from __future__ import annotations

import contextlib
import functools

PRECISIONS = ("float32", "mixed_bfloat16", "mixed_float16")
# The recipes' --precision choices ("auto" resolves with default_precision).
PRECISION_CHOICES = ("auto", *PRECISIONS)
# /proc/cpuinfo flags of native bfloat16 arithmetic (x86: AVX512-BF16, AMX-BF16).
BF16_CPU_FLAGS = ("avx512_bf16", "amx_bf16")


@functools.cache
def cpu_flags() -> frozenset[str]:
    """The CPU feature flags of ``/proc/cpuinfo`` (empty where it is not readable)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as file:
            for line in file:
                if line.startswith("flags"):
                    return frozenset(line.split(":", 1)[1].split())
    except OSError:
        pass
    return frozenset()


@functools.cache
def cpu_model() -> str:
    """The ``model name`` of ``/proc/cpuinfo`` (``platform.processor()`` where it is not
    readable)."""
    import platform

    try:
        with open("/proc/cpuinfo", encoding="utf-8") as file:
            for line in file:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def cpu_has_bf16() -> bool:
    """True when the CPU computes in bfloat16 natively (AVX512-BF16 or AMX-BF16)."""
    return any(flag in cpu_flags() for flag in BF16_CPU_FLAGS)


def add_precision_argument(parser) -> None:
    """Adds the recipes' ``--precision`` option (``PRECISION_CHOICES``, default ``"auto"``) to
    an ``argparse`` parser: every training recipe offers the same choices."""
    parser.add_argument(
        "--precision",
        choices=PRECISION_CHOICES,
        default="auto",
        help="auto: mixed_bfloat16 on CPUs with native bfloat16, else float32",
    )


JIT_CHOICES = {"auto": "auto", "true": True, "false": False}


def add_compile_arguments(parser, autotune: bool = False) -> None:
    """Adds ``--precision``, ``--jit-compile`` ({auto, true, false}) and, when ``autotune``,
    ``--autotune`` / ``--no-autotune`` (default on) to a recipe's ``argparse`` parser.

    With autotuning on, the dimensions left at ``"auto"`` are measured
    (``keras_stackgan.models.autotune.tuned_trainer``) instead of resolved by the rule;
    ``jit_compile_argument(args)`` turns the parsed ``--jit-compile`` into compile's value.
    """
    import argparse

    add_precision_argument(parser)
    parser.add_argument("--jit-compile", choices=list(JIT_CHOICES), default="auto")
    if autotune:
        parser.add_argument(
            "--autotune",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="time the training step in every mode left at auto (precision, XLA) and "
            "train in the fastest; --no-autotune: the rule of compile_mode",
        )


def jit_compile_argument(args) -> bool | str:
    """The ``jit_compile`` value of a parsed ``--jit-compile`` (``"auto"``, True or False)."""
    return JIT_CHOICES[args.jit_compile]


def bf16_native() -> bool:
    """True when this machine's default device computes bfloat16 natively (a GPU of compute
    capability 8.0 or more, or a CPU with AVX512-BF16 / AMX-BF16)."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        details = tf.config.experimental.get_device_details(gpus[0])
        return details.get("compute_capability", (0, 0)) >= (8, 0)
    return cpu_has_bf16()


# On CPU, trainers of images up to this side (MNIST's 28 px) compile with XLA.
XLA_MAX_IMAGE_SIZE = 32


def trainer_image_size(model) -> int | None:
    """The side of the images a trainer works on, read from the model or its ``generator``,
    ``decoder`` or ``autoencoder`` (``image_size``); None when none of them says."""
    for owner in (
        model,
        *(getattr(model, n, None) for n in ("generator", "decoder", "autoencoder")),
    ):
        size = getattr(owner, "image_size", None)
        if isinstance(size, int):
            return size
    return None


def resolve_jit_compile(jit_compile: bool | str, image_size: int | None = None) -> bool:
    """``jit_compile`` of a trainer's ``compile()``, with ``"auto"`` resolved by the rule above:
    XLA on a single GPU/TPU; on CPU, XLA for images of at most ``XLA_MAX_IMAGE_SIZE`` px and
    graph mode otherwise (also when ``image_size`` is unknown); graph mode under a
    multi-replica strategy."""
    if jit_compile != "auto":
        return bool(jit_compile)
    import tensorflow as tf

    if tf.distribute.get_strategy().num_replicas_in_sync > 1:
        return False
    if any(d.device_type in ("GPU", "TPU") for d in tf.config.list_logical_devices()):
        return True
    return image_size is not None and image_size <= XLA_MAX_IMAGE_SIZE


def default_precision() -> str:
    """``"mixed_bfloat16"`` on a CPU-only machine with native bfloat16, else ``"float32"``.

    GPUs keep float32 by default (``mixed_float16`` is an explicit choice there).
    """
    import tensorflow as tf

    if tf.config.list_physical_devices("GPU"):
        return "float32"
    return "mixed_bfloat16" if cpu_has_bf16() else "float32"


def resolve_precision(precision: str | None) -> str:
    """``precision`` checked, with ``"auto"``/None resolved by :func:`default_precision`.

    Raises:
        ValueError: for a name outside ``PRECISIONS`` and ``"auto"``.
    """
    if precision in (None, "auto"):
        return default_precision()
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be 'auto' or one of {PRECISIONS}, got {precision!r}")
    return precision


@contextlib.contextmanager
def precision_scope(precision: str | None):
    """Builds models inside under ``resolve_precision(precision)``; restores the policy after.

    Yields:
        The resolved precision name.
    """
    import keras  # here, so that recipes read PRECISION_CHOICES without loading TensorFlow

    resolved = resolve_precision(precision)
    previous = keras.mixed_precision.dtype_policy()
    keras.mixed_precision.set_global_policy(resolved)
    try:
        yield resolved
    finally:
        keras.mixed_precision.set_global_policy(previous)
