"""The zoo's one conversion from model images to pixels: float [-1, 1] -> uint8 [0, 255]."""

from __future__ import annotations

import numpy as np
import tensorflow as tf


def to_uint8_tensor(images):
    """float images in [-1, 1] -> uint8 [0, 255] (rounded half to even, clipped), in TF ops.

    Args:
        images: float tensor or array of any shape (``[n, H, W, C]``), nominally in [-1, 1].

    Returns:
        uint8 tensor of the same shape (traceable, used inside exported SavedModels).
    """
    images = tf.cast(images, tf.float32)
    return tf.cast(tf.clip_by_value(tf.round((images + 1.0) * 127.5), 0.0, 255.0), tf.uint8)


def to_uint8(images) -> np.ndarray:
    """``to_uint8_tensor`` as a numpy array (for Python callers, grids and callbacks)."""
    return to_uint8_tensor(images).numpy()
