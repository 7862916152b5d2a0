"""Image inputs of the metrics: arrays or streams of batches, uint8 or ``[-1, 1]`` floats."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
import tensorflow as tf


def iterate_batches(images, batch_size: int = 64) -> Iterator[np.ndarray]:
    """Yields batches ``[b, H, W, 3]`` from an array or from an iterable of batches.

    Args:
        images: an array(-like) ``[n, H, W, 3]`` (cut into ``batch_size`` batches), or an
            iterable of such batches (a generator, a list of arrays, a ``tf.data.Dataset``);
            when an element is a tuple (e.g. ``(images, labels)``) its first item is used.
        batch_size: int. Batch size when ``images`` is a single array.

    Yields:
        numpy arrays ``[b, H, W, 3]`` with the input's dtype.
    """
    if isinstance(images, np.ndarray | tf.Tensor):
        array = np.asarray(images)
        _check_images(array)
        for start in range(0, len(array), batch_size):
            yield array[start : start + batch_size]
        return
    if not isinstance(images, Iterable):
        raise TypeError(f"images must be an array or an iterable of batches, got {type(images)}")
    for batch in images:
        if isinstance(batch, tuple):
            batch = batch[0]
        batch = np.asarray(batch)
        _check_images(batch)
        yield batch


def _check_images(array: np.ndarray) -> None:
    if array.ndim != 4 or array.shape[-1] != 3:
        raise ValueError(f"images must be [n, H, W, 3], got shape {array.shape}")


def to_unit_range(images) -> np.ndarray:
    """uint8 images in ``[0, 255]`` or float images in ``[-1, 1]`` as float32 in ``[-1, 1]``.

    Integer arrays are scaled by ``x / 127.5 - 1``; float arrays are taken to be in ``[-1, 1]``
    already (a float array with values above 1.5 raises, as it is almost certainly ``[0, 255]``).
    """
    images = np.asarray(images)
    if np.issubdtype(images.dtype, np.integer):
        return images.astype(np.float32) / 127.5 - 1.0
    images = images.astype(np.float32, copy=False)
    if images.size and float(np.max(images)) > 1.5:
        raise ValueError(
            "Float images must be in [-1, 1]; got values up to "
            f"{float(np.max(images)):.1f} (pass uint8 for [0, 255] images)."
        )
    return images


def prepare_images(images, size: int) -> tf.Tensor:
    """``to_unit_range`` then a bilinear (antialiased) resize to ``size x size``.

    Args:
        images: ``[b, H, W, 3]`` uint8 in ``[0, 255]`` or float in ``[-1, 1]``.
        size: int. Output side.

    Returns:
        float32 tensor ``[b, size, size, 3]`` in ``[-1, 1]``.
    """
    images = tf.convert_to_tensor(to_unit_range(images))
    if images.shape[1] != size or images.shape[2] != size:
        images = tf.image.resize(images, (size, size), method="bilinear", antialias=True)
        images = tf.clip_by_value(images, -1.0, 1.0)
    return images
