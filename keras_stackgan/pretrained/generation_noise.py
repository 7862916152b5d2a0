"""Generation noise drawn with TensorFlow's stateless ops from an integer seed.

The pipeline and the exported SavedModel both draw their noise here, so one seed gives the same
images in Python and in TF Serving (numpy's generators cannot run inside a serving graph).
"""

from __future__ import annotations

import math

import tensorflow as tf

_SALT_NOISE, _SALT_CONDITION = 1, 2


def _truncated_normal(shape, seed, truncation: float):
    # Inverse-CDF sampling of N(0, 1) restricted to [-t, t]: exact for any t, stateless and
    # graph-friendly (tf.random.stateless_truncated_normal is fixed at two standard deviations).
    low = 0.5 * (1.0 + math.erf(-truncation / math.sqrt(2.0)))
    u = tf.random.stateless_uniform(shape, seed, minval=low, maxval=1.0 - low)
    return math.sqrt(2.0) * tf.math.erfinv(2.0 * u - 1.0)


def stateless_generation_noise(
    batch,
    noise_dim: int,
    condition_dim: int | None,
    seed,
    sample_condition: bool = False,
    truncation: float | None = None,
):
    """``(z [batch, noise_dim], epsilon [batch, condition_dim] or None)`` from ``seed``.

    Args:
        batch: int or int32 scalar tensor, number of images.
        noise_dim: int, width of ``z``.
        condition_dim: int or None (models without Conditioning Augmentation).
        seed: int or int64 scalar tensor; the same seed gives the same noise.
        sample_condition: bool; False gives ``epsilon = 0`` (the CA mean), True samples it.
        truncation: optional float > 0: ``z`` (and ``epsilon``) from a normal truncated to
            ``[-truncation, truncation]``, trading variety for fidelity.

    Returns:
        float32 tensors; ``epsilon`` is None when ``condition_dim`` is None.
    """
    if truncation is not None and truncation <= 0:
        raise ValueError(f"truncation must be > 0, received {truncation}")
    seed = tf.cast(seed, tf.int64)

    def draw(shape, salt):
        key = tf.stack([seed, tf.constant(salt, tf.int64)])
        if truncation is None:
            return tf.random.stateless_normal(shape, key)
        return _truncated_normal(shape, key, float(truncation))

    z = draw([batch, noise_dim], _SALT_NOISE)
    if condition_dim is None:
        return z, None
    if sample_condition:
        return z, draw([batch, condition_dim], _SALT_CONDITION)
    return z, tf.zeros([batch, condition_dim])
