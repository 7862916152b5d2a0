"""Noise for training steps that is the same whether a batch runs on one device or several.

Written by hand because Keras' ``SeedGenerator`` keeps its state in a variable that each replica
would advance separately: under ``MirroredStrategy`` every replica would draw the same local
noise, and the noise of a global batch would depend on the number of devices. Here the noise of a
step is a pure function of ``(seed, step, salt)``: every replica draws the noise of the whole
global batch and keeps its own contiguous slice (the slice ``tf.distribute`` gives it of the
data), so one device and N devices see identical noise for identical global batches.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf


def replica_normal(local_batch, dim: int, seed: int, step, salt: int):
    """Standard-normal noise ``[local_batch, dim]`` (float32) for this replica's part of a batch.

    Args:
        local_batch: int scalar tensor, this replica's batch size.
        dim: int, noise width.
        seed: int, the model's seed.
        step: int scalar tensor, e.g. an optimizer's ``iterations``; a new step gives new noise.
        salt: int, distinguishes several draws within one step (z, the CA epsilon, ...).
    """
    context = tf.distribute.get_replica_context()
    replicas = tf.distribute.get_strategy().num_replicas_in_sync
    replica_id = 0 if context is None else context.replica_id_in_sync_group
    step = tf.cast(step, tf.int64)
    key = tf.stack([tf.constant(seed, tf.int64), step * 1000 + salt])
    noise = tf.random.stateless_normal(
        [local_batch * replicas, dim], seed=key, dtype=tf.float32, alg="philox"
    )
    start = tf.cast(replica_id, tf.int32) * local_batch
    return noise[start : start + local_batch]


def sample_generator_noise(
    batch: int,
    noise_dim: int,
    condition_dim: int,
    seed: int | None = None,
    noise=None,
    sample_condition: bool = False,
    truncation: float | None = None,
):
    """Noise inputs for generation: ``(z [batch, noise_dim], epsilon [batch, condition_dim])``.

    Args:
        batch: int, number of images.
        noise_dim, condition_dim: ints, widths of ``z`` and of the CA noise.
        seed: int or None; the same seed gives the same noise.
        noise: optional array ``[batch, noise_dim]`` to use as ``z``.
        sample_condition: bool; False uses the CA mean (epsilon = 0), True samples epsilon.
        truncation: optional float > 0; draws ``z`` (and epsilon) from a normal truncated to
            ``[-truncation, truncation]`` (resampling outliers), trading variety for fidelity.

    Returns:
        Two float32 numpy arrays.
    """
    rng = np.random.default_rng(seed)

    def normal(shape):
        x = rng.standard_normal(shape)
        if truncation is not None:
            if truncation <= 0:
                raise ValueError(f"truncation must be > 0, received {truncation}")
            outside = np.abs(x) > truncation
            while outside.any():
                x[outside] = rng.standard_normal(int(outside.sum()))
                outside = np.abs(x) > truncation
        return x.astype("float32")

    if noise is None:
        z = normal((batch, noise_dim))
    else:
        z = np.asarray(noise, dtype="float32")
        if z.shape != (batch, noise_dim):
            raise ValueError(f"noise must have shape ({batch}, {noise_dim}), received {z.shape}")
    epsilon = normal((batch, condition_dim))
    if not sample_condition:
        epsilon = np.zeros_like(epsilon)
    return z, epsilon


def generation_inputs(
    embeddings,
    embedding_dim: int,
    noise_dim: int,
    condition_dim: int,
    **noise_options,
) -> dict:
    """Validated generator inputs ``{"embedding", "noise", "ca_noise"}`` for ``generate``.

    Args:
        embeddings: float array ``[n, embedding_dim]``.
        embedding_dim, noise_dim, condition_dim: the generator's widths.
        **noise_options: ``seed``, ``noise``, ``sample_condition``, ``truncation`` (see
            :func:`sample_generator_noise`).

    Raises:
        ValueError: if ``embeddings`` is not ``[n, embedding_dim]``.
    """
    embeddings = np.asarray(embeddings, dtype="float32")
    if embeddings.ndim != 2 or embeddings.shape[1] != embedding_dim:
        raise ValueError(
            f"embeddings must have shape [n, {embedding_dim}], received {embeddings.shape}"
        )
    z, epsilon = sample_generator_noise(len(embeddings), noise_dim, condition_dim, **noise_options)
    return {"embedding": embeddings, "noise": z, "ca_noise": epsilon}
