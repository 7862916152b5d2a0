"""Ancestral sampling of index grids from a ``GatedPixelCNN``, one position at a time.

Each code is drawn by inverting the cumulative distribution of its softmax at a uniform number
``u[image, position]`` drawn up front from a seed with stateless ops, so an image depends only
on the seed and its index in the request: not on the batch size, and the same in Python and in
an exported graph.
"""

from __future__ import annotations

import tensorflow as tf


def sampling_uniforms(num_images, grid_size: int, seed, salt: int):
    """float32 U[0, 1) ``[num_images, grid_size**2]`` keyed by ``(seed, salt)``."""
    key = tf.stack([tf.cast(seed, tf.int64), tf.constant(salt, tf.int64)])
    return tf.random.stateless_uniform([num_images, grid_size * grid_size], key)


def sample_indices(prior, uniforms, labels=None, condition=None, temperature: float = 1.0):
    """int32 ``[n, H, W]`` codes sampled in raster order from ``prior`` (traceable).

    Args:
        prior: a ``GatedPixelCNN`` over ``H x W`` grids.
        uniforms: float32 ``[n, H * W]`` in [0, 1), from ``sampling_uniforms``.
        labels: int32 ``[n]`` when the prior is class-conditional.
        condition: int32 ``[n, h, w]`` conditioning grid (VQ-VAE-2's top codes) when the prior
            takes one.
        temperature: float > 0; logits are divided by it (1: the model's distribution).

    Returns:
        int32 ``[n, H, W]``. Costs ``H * W`` forward passes of the prior.
    """
    size = prior.grid_size
    n = tf.shape(uniforms)[0]
    extra = {}
    if prior.num_classes:
        extra["labels"] = tf.cast(labels, tf.int32)
    if prior.condition_size:
        extra["condition"] = tf.cast(condition, tf.int32)

    def step(position, grid):
        logits = prior({"indices": grid, **extra}, training=False)
        logits = tf.cast(logits[:, position // size, position % size], tf.float32)
        cdf = tf.math.cumsum(tf.nn.softmax(logits / temperature), axis=-1)
        u = uniforms[:, position][:, None]
        code = tf.minimum(tf.reduce_sum(tf.cast(cdf <= u, tf.int32), -1), prior.num_embeddings - 1)
        place = tf.reshape(tf.one_hot(position, size * size, dtype=tf.int32), [1, size, size])
        return position + 1, grid + place * code[:, None, None]

    grid = tf.zeros([n, size, size], tf.int32)
    _, grid = tf.while_loop(lambda p, g: p < size * size, step, [tf.constant(0), grid])
    return grid
