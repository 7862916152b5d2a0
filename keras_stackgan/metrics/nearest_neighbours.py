"""Memorisation check (StackGAN sec. 5.3): the nearest training images of generated images."""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
import tensorflow as tf

from keras_stackgan.images import to_uint8
from keras_stackgan.metrics.image_batches import to_unit_range
from keras_stackgan.visual import save_grid


def nearest_neighbours(
    generated_features,
    train_features,
    k: int = 5,
    metric: str = "euclidean",
    chunk_size: int = 1024,
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` training feature vectors nearest to each generated one.

    Args:
        generated_features: float array ``[n, D]`` (e.g. ``ProxyEvaluator.features``).
        train_features: float array ``[m, D]``, ``m >= k``.
        k: int. Neighbours per generated vector.
        metric: ``"euclidean"`` (default) or ``"cosine"`` (distance ``1 - cos``).
        chunk_size: int. Generated rows per distance block (memory ``chunk_size * m``).

    Returns:
        ``(indices, distances)``: int64 ``[n, k]`` rows of ``train_features``, nearest first,
        and float64 ``[n, k]`` distances.

    Raises:
        ValueError: for mismatched dimensions, ``k > m`` or an unknown metric.
    """
    query = np.asarray(generated_features, dtype=np.float64)
    base = np.asarray(train_features, dtype=np.float64)
    if query.ndim != 2 or base.ndim != 2 or query.shape[1] != base.shape[1]:
        raise ValueError(f"features must be [n, D] and [m, D], got {query.shape}, {base.shape}")
    if not 1 <= k <= len(base):
        raise ValueError(f"k must be in [1, {len(base)}], got {k}")
    if metric == "cosine":
        query = query / np.maximum(np.linalg.norm(query, axis=1, keepdims=True), 1e-12)
        base = base / np.maximum(np.linalg.norm(base, axis=1, keepdims=True), 1e-12)
    elif metric != "euclidean":
        raise ValueError(f'metric must be "euclidean" or "cosine", got {metric!r}')
    base_sq = np.sum(base**2, axis=1)
    indices = np.empty((len(query), k), dtype=np.int64)
    distances = np.empty((len(query), k), dtype=np.float64)
    for start in range(0, len(query), chunk_size):
        block = query[start : start + chunk_size]
        if metric == "cosine":
            dist = 1.0 - block @ base.T
        else:
            sq = np.sum(block**2, axis=1, keepdims=True) + base_sq - 2.0 * block @ base.T
            dist = np.sqrt(np.maximum(sq, 0.0))
        if k < len(base):
            part = np.argpartition(dist, k - 1, axis=1)[:, :k]
        else:
            part = np.broadcast_to(np.arange(len(base)), dist.shape)
        part_dist = np.take_along_axis(dist, part, axis=1)
        order = np.argsort(part_dist, axis=1, kind="stable")
        indices[start : start + len(block)] = np.take_along_axis(part, order, axis=1)
        distances[start : start + len(block)] = np.take_along_axis(part_dist, order, axis=1)
    return indices, distances


def nearest_neighbour_grid(generated_images, train_images, indices) -> np.ndarray:
    """The images of a memorisation grid in ``save_grid``'s column order (StackGAN's Fig. 8):
    column 0 holds the generated images, column ``j`` their ``j``-th nearest training images.

    Args:
        generated_images: ``[n, H, W, 3]`` uint8 or float in ``[-1, 1]``.
        train_images: ``[m, H', W', 3]`` uint8 or float in ``[-1, 1]`` (resized to ``H x W``).
        indices: int array ``[n, k]`` from ``nearest_neighbours``.

    Returns:
        uint8 ``[(k + 1) * n, H, W, 3]``; ``save_grid(path, images, columns=k + 1)`` shows row
        ``i`` as generated image ``i`` followed by its neighbours, nearest first.
    """
    generated = _to_uint8(generated_images)
    indices = np.asarray(indices)
    neighbours = _to_uint8(np.asarray(train_images)[indices.reshape(-1)])
    if neighbours.shape[1:3] != generated.shape[1:3]:
        resized = tf.image.resize(
            to_unit_range(neighbours), generated.shape[1:3], "bilinear", antialias=True
        )
        neighbours = _to_uint8(np.clip(resized.numpy(), -1.0, 1.0))
    neighbours = neighbours.reshape(indices.shape + neighbours.shape[1:])  # [n, k, H, W, 3]
    rows = np.concatenate([generated[:, None], neighbours], axis=1)  # [n, k + 1, H, W, 3]
    return np.swapaxes(rows, 0, 1).reshape((-1,) + generated.shape[1:])  # column-major


def save_nearest_neighbour_grid(
    path: str | os.PathLike,
    generated_images,
    train_images,
    k: int = 5,
    *,
    evaluator=None,
    generated_features=None,
    train_features=None,
    captions: Sequence[str] | None = None,
    metric: str = "euclidean",
) -> tuple[str, np.ndarray]:
    """Saves the memorisation check of StackGAN (sec. 5.3): one row per generated image, the
    image first, then its ``k`` nearest training images in a feature space, nearest first.

    Args:
        path: output image file (``.png``).
        generated_images: ``[n, H, W, 3]`` uint8 or float in ``[-1, 1]``.
        train_images: ``[m, H', W', 3]`` uint8 or float in ``[-1, 1]``.
        k: int. Neighbours per generated image.
        evaluator: object with ``features(images)`` (e.g. ``ProxyEvaluator``), used for the
            features not given.
        generated_features: optional float ``[n, D]`` (computed with ``evaluator`` if None).
        train_features: optional float ``[m, D]`` of ``train_images`` (likewise; pass them
            when checking many batches against one training set).
        captions: ``k + 1`` column captions; default ``"generated", "NN 1", ..., "NN k"``.
        metric: ``"euclidean"`` or ``"cosine"``.

    Returns:
        ``(path, indices)``: the written file and the int64 ``[n, k]`` neighbour indices.

    Examples:
    ```python
    evaluator = ProxyEvaluator.from_pretrained("birds")
    save_nearest_neighbour_grid("nn.png", fake[:8], train_bank, k=5, evaluator=evaluator)
    ```
    """
    if generated_features is None or train_features is None:
        if evaluator is None:
            raise ValueError("Pass an evaluator, or both generated_features and train_features.")
        if generated_features is None:
            generated_features = evaluator.features(generated_images)
        if train_features is None:
            train_features = evaluator.features(train_images)
    indices, _ = nearest_neighbours(generated_features, train_features, k, metric)
    images = nearest_neighbour_grid(generated_images, train_images, indices)
    if captions is None:
        captions = ["generated"] + [f"NN {j}" for j in range(1, k + 1)]
    return save_grid(path, images, columns=k + 1, captions=captions), indices


def _to_uint8(images) -> np.ndarray:
    images = np.asarray(images)
    if images.dtype == np.uint8:
        return images
    return to_uint8(to_unit_range(images))
