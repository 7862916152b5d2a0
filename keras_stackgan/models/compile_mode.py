"""Which precision a trainer runs in on this machine (``precision="auto"`` of the recipes).

``mixed_bfloat16`` keeps float32 weights and runs the layers' matmuls and convolutions in
bfloat16. On CPUs with native bfloat16 instructions (AVX512-BF16 or AMX) it is faster than
float32; on CPUs without them TensorFlow emulates it and it is several times slower. A trainer's
precision must be chosen before its layers are built (a Keras dtype policy is fixed at
construction), so recipes resolve it first and build the model under it.
"""

from __future__ import annotations

import contextlib
import functools

import keras

PRECISIONS = ("float32", "mixed_bfloat16", "mixed_float16")
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


def cpu_has_bf16() -> bool:
    """True when the CPU computes in bfloat16 natively (AVX512-BF16 or AMX-BF16)."""
    return any(flag in cpu_flags() for flag in BF16_CPU_FLAGS)


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
    resolved = resolve_precision(precision)
    previous = keras.mixed_precision.dtype_policy()
    keras.mixed_precision.set_global_policy(resolved)
    try:
        yield resolved
    finally:
        keras.mixed_precision.set_global_policy(previous)
