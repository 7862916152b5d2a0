"""Latent-space pictures of autoencoders (VAE): one latent dimension varied, interpolations.

Both work with any pipeline exposing ``latent_dim``, ``latents_from_seed(n, seed)``,
``encode(uint8 images)`` and ``decode(z)`` (``VAEPipeline``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image

from keras_stackgan.visual.interpolation import rows_to_sheet


def latent_traversal(
    pipeline,
    dims: Sequence[int] | None = None,
    steps: int = 9,
    span: float = 3.0,
    seed: int = 0,
    z=None,
) -> np.ndarray:
    """Rows of images, each varying one latent dimension over ``[-span, span]``.

    Args:
        pipeline: e.g. a ``VAEPipeline``.
        dims: latent dimensions, one row each (default: the first ``min(latent_dim, 10)``).
        steps: int >= 2, values per row (columns).
        span: float > 0, the range in prior standard deviations.
        seed: int, seed of the base latent (when ``z`` is None).
        z: optional base latent ``[latent_dim]`` (e.g. ``pipeline.encode(image)[0]``).

    Returns:
        uint8 ``[len(dims), steps, S, S, C]``.
    """
    if steps < 2:
        raise ValueError(f"steps must be >= 2, received {steps}")
    dims = list(range(min(pipeline.latent_dim, 10))) if dims is None else list(dims)
    if any(not 0 <= d < pipeline.latent_dim for d in dims):
        raise ValueError(f"dims must lie in 0..{pipeline.latent_dim - 1}, received {dims}")
    base = np.asarray(pipeline.latents_from_seed(1, seed))[0] if z is None else np.asarray(z)
    values = np.linspace(-span, span, steps, dtype=np.float32)
    latents = np.tile(base.astype(np.float32), (len(dims), steps, 1))
    for row, d in enumerate(dims):
        latents[row, :, d] = values
    images = pipeline.decode(latents.reshape(-1, pipeline.latent_dim))
    return images.reshape(len(dims), steps, *images.shape[1:])


def encoded_interpolation(pipeline, images_a, images_b, steps: int = 8) -> np.ndarray:
    """Decoded straight lines between the posterior means of pairs of images.

    Args:
        pipeline: e.g. a ``VAEPipeline``.
        images_a, images_b: uint8 ``[n, S, S, C]``, the two ends of each row.
        steps: int >= 2, points per line (the ends included).

    Returns:
        uint8 ``[n, steps, S, S, C]``.
    """
    if steps < 2:
        raise ValueError(f"steps must be >= 2, received {steps}")
    a, b = pipeline.encode(images_a), pipeline.encode(images_b)
    if a.shape != b.shape:
        raise ValueError(f"{len(a)} start images for {len(b)} end images")
    w = np.linspace(0.0, 1.0, steps, dtype=np.float32)[None, :, None]
    latents = (1.0 - w) * a[:, None] + w * b[:, None]
    images = pipeline.decode(latents.reshape(-1, pipeline.latent_dim))
    return images.reshape(len(a), steps, *images.shape[1:])


def traversal_sheet(pipeline, dims=None, steps: int = 9, span: float = 3.0, seed=0) -> Image.Image:
    """``latent_traversal`` as one sheet: row ``k`` varies dimension ``dims[k]``."""
    return rows_to_sheet(latent_traversal(pipeline, dims, steps, span, seed))


def encoded_interpolation_sheet(pipeline, images_a, images_b, steps: int = 8) -> Image.Image:
    """``encoded_interpolation`` as one sheet, one pair per row."""
    return rows_to_sheet(encoded_interpolation(pipeline, images_a, images_b, steps))
