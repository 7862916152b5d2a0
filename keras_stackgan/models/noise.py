"""All the noise of the zoo: training noise per replica, generation noise from a seed.

Both are drawn with TensorFlow's stateless ops, keyed by integers, so they are pure functions of
their seed:

- ``replica_normal`` (training steps) is the same whether a batch runs on one device or several.
  Written by hand because Keras' ``SeedGenerator`` keeps its state in a variable that each
  replica would advance separately: under ``MirroredStrategy`` every replica would draw the same
  local noise, and the noise of a global batch would depend on the number of devices. Here every
  replica draws the noise of the whole global batch and keeps its own contiguous slice (the slice
  ``tf.distribute`` gives it of the data).
- ``stateless_generation_noise`` / ``generation_inputs`` (generation) give the same images in
  Python, in a trainer's ``generate`` and in an exported SavedModel for the same seed (numpy's
  generators cannot run inside a serving graph).
"""

from __future__ import annotations

import math

import numpy as np
import tensorflow as tf

_SALT_NOISE, _SALT_CONDITION = 1, 2


def replica_normal(local_batch, dim: int, seed: int, step, salt: int):
    """Standard-normal noise ``[local_batch, dim]`` (float32) for this replica's part of a batch.

    Args:
        local_batch: int scalar tensor, this replica's batch size.
        dim: int, noise width.
        seed: int, the model's seed.
        step: int scalar tensor, e.g. an optimizer's ``iterations``; a new step gives new noise.
        salt: int, distinguishes several draws within one step (z, the CA epsilon, ...).
    """
    return _replica_slice(
        lambda shape, key: tf.random.stateless_normal(shape, key, dtype=tf.float32, alg="philox"),
        local_batch,
        dim,
        seed,
        step,
        salt,
    )


def replica_uniform(local_batch, dim: int, seed: int, step, salt: int, minval=0.0, maxval=1.0):
    """Uniform noise ``[local_batch, dim]`` in ``[minval, maxval)``, drawn like ``replica_normal``.

    (WGAN-GP's interpolation weights, InfoGAN's continuous codes.)
    """
    return _replica_slice(
        lambda shape, key: tf.random.stateless_uniform(
            shape, key, minval=minval, maxval=maxval, dtype=tf.float32, alg="philox"
        ),
        local_batch,
        dim,
        seed,
        step,
        salt,
    )


def replica_categorical(local_batch, num_classes: int, seed: int, step, salt: int):
    """Uniform class ids int32 ``[local_batch]`` in ``[0, num_classes)``, drawn per replica."""
    ids = _replica_slice(
        lambda shape, key: tf.random.stateless_uniform(
            shape, key, minval=0, maxval=num_classes, dtype=tf.int32, alg="philox"
        ),
        local_batch,
        1,
        seed,
        step,
        salt,
    )
    return ids[:, 0]


def _replica_slice(draw, local_batch, dim, seed, step, salt):
    context = tf.distribute.get_replica_context()
    replicas = tf.distribute.get_strategy().num_replicas_in_sync
    replica_id = 0 if context is None else context.replica_id_in_sync_group
    step = tf.cast(step, tf.int64)
    key = tf.stack([tf.constant(seed, tf.int64), step * 1000 + salt])
    noise = draw([local_batch * replicas, dim], key)
    start = tf.cast(replica_id, tf.int32) * local_batch
    return noise[start : start + local_batch]


def _truncated_normal(shape, seed, truncation: float):
    # Inverse-CDF sampling of N(0, 1) restricted to [-t, t]: exact for any t, stateless and
    # graph-friendly (tf.random.stateless_truncated_normal is fixed at two standard deviations).
    low = 0.5 * (1.0 + math.erf(-truncation / math.sqrt(2.0)))
    u = tf.random.stateless_uniform(shape, seed, minval=low, maxval=1.0 - low)
    return math.sqrt(2.0) * tf.math.erfinv(2.0 * u - 1.0)


def check_truncation(truncation) -> float | None:
    """``truncation`` as a float > 0 (or None); raises ValueError for 0, negatives, NaN, inf."""
    if truncation is None:
        return None
    value = float(truncation)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"truncation must be a finite number > 0, received {truncation}")
    return value


def stateless_normal(shape, seed, salt: int, truncation: float | None = None):
    """float32 N(0, 1) noise of ``shape`` keyed by ``(seed, salt)``; optionally truncated.

    Args:
        shape: list of ints or int32 scalar tensors.
        seed: int or int64 scalar tensor.
        salt: int, one per kind of draw (``z``, the CA epsilon, a code, ...).
        truncation: optional float > 0: a normal truncated to ``[-truncation, truncation]``.
    """
    key = tf.stack([tf.cast(seed, tf.int64), tf.constant(salt, tf.int64)])
    if truncation is None:
        return tf.random.stateless_normal(shape, key)
    return _truncated_normal(shape, key, float(truncation))


def stateless_generation_noise(
    batch,
    noise_dim: int,
    condition_dim: int | None,
    seed,
    sample_condition: bool = False,
    truncation: float | None = None,
    condition_truncation: float | None = None,
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
        condition_truncation: optional float > 0, the truncation of a sampled ``epsilon``
            alone, in place of ``truncation`` (``z`` keeps ``truncation``). ``2.0`` with
            ``truncation=None`` is the original TensorFlow StackGAN's test-time draw
            (``tf.truncated_normal`` epsilon, standard-normal ``z``). None: ``epsilon`` is
            truncated like ``z``.

    Returns:
        float32 tensors; ``epsilon`` is None when ``condition_dim`` is None.
    """
    truncation = check_truncation(truncation)
    condition_truncation = check_truncation(condition_truncation)
    z = stateless_normal([batch, noise_dim], seed, _SALT_NOISE, truncation)
    if condition_dim is None:
        return z, None
    if sample_condition:
        if condition_truncation is None:
            condition_truncation = truncation
        return z, stateless_normal(
            [batch, condition_dim], seed, _SALT_CONDITION, condition_truncation
        )
    return z, tf.zeros([batch, condition_dim])


def random_seed() -> int:
    """A fresh non-negative int64 seed, for calls made with ``seed=None``."""
    return int(np.random.default_rng().integers(0, 2**63 - 1))


def generation_inputs(
    embeddings,
    embedding_dim: int,
    noise_dim: int,
    condition_dim: int,
    seed: int | None = None,
    noise=None,
    sample_condition: bool = False,
    truncation: float | None = None,
) -> dict:
    """Validated generator inputs ``{"embedding", "noise", "ca_noise"}`` (numpy) for ``generate``.

    The noise is :func:`stateless_generation_noise` of ``seed``, the pipeline's and the
    SavedModel's, so a trainer's ``generate`` and a preset give the same images for one seed.

    Args:
        embeddings: float array ``[n, embedding_dim]``.
        embedding_dim, noise_dim, condition_dim: the generator's widths (``condition_dim`` 0:
            no Conditioning Augmentation; ``ca_noise`` is then ``[n, 0]``).
        seed: int or None (a fresh random seed).
        noise: optional array ``[n, noise_dim]`` to use as ``z``.
        sample_condition: bool; False uses the CA mean (epsilon = 0), True samples epsilon.
        truncation: optional float > 0, truncated-normal noise.

    Raises:
        ValueError: if ``embeddings`` is not ``[n, embedding_dim]`` or ``noise`` has the wrong
            shape.
    """
    embeddings = np.asarray(embeddings, dtype="float32")
    if embeddings.ndim != 2 or embeddings.shape[1] != embedding_dim:
        raise ValueError(
            f"embeddings must have shape [n, {embedding_dim}], received {embeddings.shape}"
        )
    batch = len(embeddings)
    seed = random_seed() if seed is None else seed
    z, epsilon = stateless_generation_noise(
        batch, noise_dim, condition_dim, seed, sample_condition, truncation
    )
    if noise is not None:
        z = np.asarray(noise, dtype="float32")
        if z.shape != (batch, noise_dim):
            raise ValueError(f"noise must have shape ({batch}, {noise_dim}), received {z.shape}")
    return {"embedding": embeddings, "noise": np.asarray(z), "ca_noise": np.asarray(epsilon)}
