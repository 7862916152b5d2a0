"""Image-to-image pairs derived from our real images by fixed, documented transforms.

No paired dataset ships with ``../shared/data``, so the pix2pix presets learn to undo a
deterministic transform of real photographs (as edges2shoes / edges2handbags were made with an
edge detector, Isola et al. 2017, section 4):

- ``sobel_edge_maps`` (edges -> flowers): TensorFlow's 3x3 Sobel filter
  (``tf.image.sobel_edges``) on the luma, its gradient magnitude normalised per image by its
  98th percentile, thresholded at ``threshold`` (0.5): edge pixels black, the rest white;
- ``grayscale_images`` (grayscale -> colour birds): ``tf.image.rgb_to_grayscale`` (ITU-R
  BT.601 luma ``0.2989 R + 0.5870 G + 0.1140 B``), rounded.

Both are pure functions of the pixels (no randomness), and give 3 identical channels, so any
RGB image file can be fed to the trained models. The held-out splits are the datasets' own:
Oxford-102's ``labels.csv`` train / valid / test and the crops' ``train_test_split.txt``.
"""

from __future__ import annotations

import os

import numpy as np
import tensorflow as tf

from keras_stackgan.data.labelled import load_labelled_cub_crops, load_labelled_oxford102
from keras_stackgan.data.paired import PairedImages

EDGE_THRESHOLD = 0.5
EDGE_PERCENTILE = 98.0
KINDS = ("edges", "grayscale")


def _check_images(images) -> np.ndarray:
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[None]
    if images.ndim != 4 or images.shape[-1] != 3 or images.dtype != np.uint8:
        raise ValueError(f"images must be uint8 [n, H, W, 3], got {images.dtype} {images.shape}")
    return images


def _luma(images: np.ndarray) -> tf.Tensor:
    return tf.image.rgb_to_grayscale(tf.cast(images, tf.float32) / 255.0)


def sobel_edge_maps(
    images,
    threshold: float = EDGE_THRESHOLD,
    percentile: float = EDGE_PERCENTILE,
    batch_size: int = 256,
) -> np.ndarray:
    """Black-on-white edge maps of RGB images: the inputs of edges -> flowers.

    For each image: luma ``L`` in [0, 1] (``tf.image.rgb_to_grayscale``), Sobel gradients
    ``(g_y, g_x) = tf.image.sobel_edges(L)`` (3x3 kernels, reflect padding), magnitude
    ``m = sqrt(g_x^2 + g_y^2)``, normalised ``m / max(P(m), 1e-6)`` with ``P`` the image's
    ``percentile``-th percentile (robust to a few very strong edges), and every pixel with a
    normalised magnitude ``>= threshold`` drawn black (0), the rest white (255).

    Args:
        images: uint8 ``[n, H, W, 3]`` (or one ``[H, W, 3]`` image).
        threshold: float > 0, on the normalised magnitude (0.5).
        percentile: float in (0, 100], the normalising percentile (98).
        batch_size: int, images per TensorFlow call (memory only; never the result).

    Returns:
        uint8 ``[n, H, W, 3]``, values 0 or 255, three identical channels.
    """
    images = _check_images(images)
    if threshold <= 0 or not 0 < percentile <= 100:
        raise ValueError(
            f"need threshold > 0 and percentile in (0, 100], got {threshold}, {percentile}"
        )
    out = []
    for start in range(0, len(images), batch_size):
        gradients = tf.image.sobel_edges(_luma(images[start : start + batch_size]))
        magnitude = tf.norm(gradients, axis=-1)  # [b, H, W, 1]
        flat = tf.reshape(magnitude, [tf.shape(magnitude)[0], -1]).numpy()
        scale = np.maximum(np.percentile(flat, percentile, axis=1), 1e-6)
        edges = magnitude.numpy() / scale[:, None, None, None] >= threshold
        out.append(np.where(edges, 0, 255).astype(np.uint8).repeat(3, axis=-1))
    return np.concatenate(out) if out else np.zeros((0, *images.shape[1:]), np.uint8)


def grayscale_images(images, batch_size: int = 256) -> np.ndarray:
    """BT.601 luma of RGB images, rounded, on 3 identical channels: grayscale -> colour inputs.

    Returns:
        uint8 ``[n, H, W, 3]``.
    """
    images = _check_images(images)
    out = []
    for start in range(0, len(images), batch_size):
        luma = tf.round(_luma(images[start : start + batch_size]) * 255.0).numpy()
        out.append(np.clip(luma, 0, 255).astype(np.uint8).repeat(3, axis=-1))
    return np.concatenate(out) if out else np.zeros((0, *images.shape[1:]), np.uint8)


def derive_pairs(images, kind: str, keys=None) -> PairedImages:
    """``PairedImages(transform(images), images, keys)`` for ``kind`` ``"edges"`` or
    ``"grayscale"`` (the real images are the targets)."""
    images = _check_images(images)
    if kind == "edges":
        inputs = sobel_edge_maps(images)
    elif kind == "grayscale":
        inputs = grayscale_images(images)
    else:
        raise ValueError(f"kind must be one of {KINDS}, received {kind!r}")
    keys = list(keys) if keys is not None else [f"{kind} {i}" for i in range(len(images))]
    return PairedImages(inputs, images, keys, None)


def load_edges2flowers(
    root: str | os.PathLike, split: str = "train", *, image_size: int = 64
) -> PairedImages:
    """Edges -> flowers pairs of an Oxford-102 split (``labels.csv``: train / valid / test).

    Args:
        root: the flowers folder (``../shared/data/flowers``).
        split: ``"train"`` (6,552 pairs in the shared copy), ``"valid"`` (818) or ``"test"``
            (819).
        image_size: int, side of the images (64, the shared copy's own).

    Returns:
        ``PairedImages``: ``sobel_edge_maps`` of the flowers, the flowers, keys
        ``"<split>/<index>"``.
    """
    flowers = load_labelled_oxford102(root, split, image_size=image_size).images
    return derive_pairs(flowers, "edges", [f"{split}/{i}" for i in range(len(flowers))])


def load_gray2birds(
    root: str | os.PathLike, split: str = "train", *, image_size: int = 64
) -> PairedImages:
    """Grayscale -> colour pairs of the CUB bird crops (``bird_crops100``, its own split).

    Args:
        root: the crops folder (``../shared/data/bird_crops100``).
        split: ``"train"`` (2,999) or ``"test"`` (2,903).
        image_size: int, side the 227 px crops are resized to (64).
    """
    birds = load_labelled_cub_crops(root, split, image_size=image_size).images
    return derive_pairs(birds, "grayscale", [f"{split}/{i}" for i in range(len(birds))])
