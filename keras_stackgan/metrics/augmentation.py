"""Training batches for the evaluator networks: an in-memory uint8 bank, random crops and flips."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import tensorflow as tf


def random_crop_flip(
    images: tf.Tensor, image_size: int, min_scale: float = 0.7, flip: bool = True
) -> tf.Tensor:
    """Random square crops (side ``U[min_scale, 1]`` of the image), resized, randomly mirrored.

    One ``tf.image.crop_and_resize`` call does everything: a box whose ``x1 > x2`` samples a
    horizontally flipped crop.

    Args:
        images: uint8 or float tensor ``[B, L, L, 3]`` with values in ``[0, 255]``.
        image_size: int. Output side ``S``.
        min_scale: float in ``(0, 1]``. Smallest crop side as a fraction of ``L``.
        flip: bool. Mirror half of the crops.

    Returns:
        float32 ``[B, S, S, 3]`` in ``[-1, 1]``.
    """
    batch = tf.shape(images)[0]
    scale = tf.random.uniform([batch], min_scale, 1.0)
    top = tf.random.uniform([batch]) * (1.0 - scale)
    left = tf.random.uniform([batch]) * (1.0 - scale)
    right = left + scale
    if flip:
        mirrored = tf.random.uniform([batch]) < 0.5
        left, right = tf.where(mirrored, right, left), tf.where(mirrored, left, right)
    boxes = tf.stack([top, left, top + scale, right], axis=1)
    crops = tf.image.crop_and_resize(
        tf.cast(images, tf.float32), boxes, tf.range(batch), [image_size, image_size]
    )
    return tf.clip_by_value(crops / 127.5 - 1.0, -1.0, 1.0)


def augmented_dataset(
    bank: np.ndarray,
    targets: np.ndarray | Callable[[tf.Tensor], tf.Tensor],
    *,
    batch_size: int = 64,
    image_size: int = 64,
    min_scale: float = 0.7,
    flip: bool = True,
    seed: int = 0,
    drop_remainder: bool = True,
) -> tf.data.Dataset:
    """One shuffled epoch of ``(augmented images, targets)`` batches from a decoded image bank.

    Args:
        bank: uint8 ``[N, L, L, 3]`` in ``[0, 255]`` (``keras_stackgan.data.load_images``).
        targets: an array ``[N, ...]`` gathered per batch (labels, one-hot rows), or a function
            from the batch's record indices (int32 ``[B]``) to a target tensor.
        batch_size: int. Batch size.
        image_size: int. Side of the output images.
        min_scale: float. See ``random_crop_flip``.
        flip: bool. See ``random_crop_flip``.
        seed: int. Seed of the shuffle.
        drop_remainder: bool. Drop the last incomplete batch.

    Returns:
        ``tf.data.Dataset`` of ``(float32 [B, S, S, 3] in [-1, 1], targets [B, ...])``.
    """
    bank_tensor = tf.constant(bank)
    if callable(targets):
        target_fn = targets
    else:
        table = tf.constant(np.asarray(targets))
        target_fn = lambda index: tf.gather(table, index)  # noqa: E731

    def make_batch(index):
        images = random_crop_flip(tf.gather(bank_tensor, index), image_size, min_scale, flip)
        return images, target_fn(index)

    return (
        tf.data.Dataset.range(len(bank))
        .shuffle(len(bank), seed=seed, reshuffle_each_iteration=True)
        .map(lambda i: tf.cast(i, tf.int32))
        .batch(batch_size, drop_remainder=drop_remainder)
        .map(make_batch, num_parallel_calls=tf.data.AUTOTUNE)
        .prefetch(tf.data.AUTOTUNE)
    )
