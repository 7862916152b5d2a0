"""The paper's visual analyses: sentence and noise interpolations, Stage-I next to Stage-II."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image

from keras_stackgan.visual.grid import image_grid


def _weights(steps: int) -> np.ndarray:
    if steps < 2:
        raise ValueError(f"steps must be >= 2, received {steps}")
    return np.linspace(0.0, 1.0, steps, dtype=np.float32)


def interpolate_texts(pipeline, text_a: str, text_b: str, steps: int = 8, rows: int = 2, seed=0):
    """Images along the line between two sentences' embeddings (GAN-INT), noise fixed per row.

    Args:
        pipeline: a ``StackGANPipeline``.
        text_a, text_b: the two sentences.
        steps: int >= 2, points on the line (columns).
        rows: int, noise vectors (one per row).
        seed: int, seed of the noise.

    Returns:
        uint8 ``[rows, steps, S, S, 3]``.
    """
    a, b = pipeline.embed([text_a, text_b])
    w = _weights(steps)[:, None]
    line = (1.0 - w) * a + w * b
    noise, _ = pipeline.noise(rows, seed)
    embeddings = np.tile(line, (rows, 1))
    z = np.repeat(np.asarray(noise), steps, axis=0)
    images = pipeline.generate_from_noise(embeddings, z)
    return images.reshape(rows, steps, *images.shape[1:])


def interpolate_noise(pipeline, texts: Sequence[str], steps: int = 8, seeds=(0, 1)):
    """Images between two noise vectors (a straight line) at fixed sentences.

    Returns:
        uint8 ``[len(texts), steps, S, S, 3]``: row i is ``texts[i]``.
    """
    z0 = np.asarray(pipeline.noise(1, seeds[0])[0])[0]
    z1 = np.asarray(pipeline.noise(1, seeds[1])[0])[0]
    w = _weights(steps)[:, None]
    path = (1.0 - w) * z0 + w * z1
    embeddings = np.repeat(pipeline.embed(list(texts)), steps, axis=0)
    images = pipeline.generate_from_noise(embeddings, np.tile(path, (len(texts), 1)))
    return images.reshape(len(texts), steps, *images.shape[1:])


def stages_side_by_side(pipeline, texts: Sequence[str], seed=0) -> Image.Image:
    """A sheet with, per sentence, the Stage-I sketch (enlarged) above its Stage-II image."""
    if pipeline.stage2_generator is None:
        raise ValueError("stages_side_by_side needs a pipeline with a Stage-II generator")
    texts = list(texts)
    images, sketches = pipeline.generate(texts, seed=seed, return_stage1=True)
    size = images.shape[1]
    enlarged = np.stack(
        [np.asarray(Image.fromarray(s).resize((size, size), Image.NEAREST)) for s in sketches]
    )
    stacked = np.stack([enlarged, images], axis=1).reshape(-1, size, size, 3)
    return image_grid(stacked, len(texts), texts)


def rows_to_sheet(images: np.ndarray, captions: Sequence[str] | None = None) -> Image.Image:
    """``[rows, columns, S, S, 3]`` -> a ``PIL.Image`` with the same rows and columns."""
    rows, columns = images.shape[:2]
    column_major = images.transpose(1, 0, 2, 3, 4).reshape(-1, *images.shape[2:])
    return image_grid(column_major, columns, captions)


def style_transfer_sheet(
    pipeline, query_images, texts: Sequence[str], query_caption: str = "query image"
) -> Image.Image:
    """GAN-INT-CLS style transfer as a sheet: one row per query image, the query first.

    Args:
        pipeline: a ``StackGANPipeline`` with a style encoder (GAN-INT-CLS presets).
        query_images: uint8 ``[q, H, W, 3]``.
        texts: the ``t`` sentences, one column each (captioned underneath).
        query_caption: caption of the query column.

    Returns:
        ``PIL.Image`` of ``q`` rows and ``1 + t`` columns.
    """
    texts = list(texts)
    grid = pipeline.transfer_style(query_images, texts)  # [q, t, S, S, 3]
    size = grid.shape[2]
    queries = np.stack(
        [np.asarray(Image.fromarray(q).resize((size, size), Image.BICUBIC)) for q in query_images]
    )
    return rows_to_sheet(np.concatenate([queries[:, None], grid], axis=1), [query_caption, *texts])
