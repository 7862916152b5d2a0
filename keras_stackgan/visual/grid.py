"""Image grids with an optional caption under each column (sample sheets, model cards)."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from keras_stackgan.images import to_uint8


def _as_uint8(images) -> np.ndarray:
    images = np.asarray(images)
    if images.dtype != np.uint8:
        images = to_uint8(images)
    if images.ndim == 4 and images.shape[-1] == 1:  # grey (MNIST): shown as RGB
        images = np.repeat(images, 3, axis=-1)
    return images


def image_grid(
    images,
    columns: int,
    captions: Sequence[str] | None = None,
    padding: int = 2,
    caption_chars: int | None = None,
    background: int = 255,
) -> Image.Image:
    """Lays out images column by column, with a wrapped caption under each column.

    Args:
        images: ``[n, H, W, 3]`` (or grey ``[n, H, W, 1]``) uint8 in [0, 255] or float in
            [-1, 1]; image ``i`` goes to
            column ``i // rows`` and row ``i % rows`` where ``rows = ceil(n / columns)``, so
            consecutive images of one caption fill one column.
        columns: int. Number of columns.
        captions: optional ``columns`` strings written under the columns.
        padding: int. Pixels between images.
        caption_chars: int or None. Wrap width of captions in characters (default: from the
            column width).
        background: int. Grey level of the padding and caption area.

    Returns:
        A ``PIL.Image.Image`` (RGB).

    Raises:
        ValueError: for images that are not ``[n, H, W, 3]`` or a caption count that is not
            ``columns``.
    """
    images = _as_uint8(images)
    if images.ndim != 4 or images.shape[-1] != 3:
        raise ValueError(f"images must be [n, H, W, 3], got shape {images.shape}")
    if captions is not None and len(captions) != columns:
        raise ValueError(f"{len(captions)} captions for {columns} columns")
    n, height, width, _ = images.shape
    rows = -(-n // columns)
    font = ImageFont.load_default()
    lines: list[list[str]] = []
    line_height = 11
    if captions is not None:
        chars = caption_chars or max(8, width // 6)
        lines = [textwrap.wrap(c, chars)[:6] for c in captions]
    caption_height = (max((len(x) for x in lines), default=0) * line_height + 4) if lines else 0
    sheet_width = columns * (width + padding) + padding
    sheet_height = rows * (height + padding) + padding + caption_height
    sheet = Image.new("RGB", (sheet_width, sheet_height), (background,) * 3)
    for i in range(n):
        column, row = divmod(i, rows)
        sheet.paste(
            Image.fromarray(images[i]),
            (padding + column * (width + padding), padding + row * (height + padding)),
        )
    draw = ImageDraw.Draw(sheet)
    top = rows * (height + padding) + padding
    for column, caption_lines in enumerate(lines):
        for k, line in enumerate(caption_lines):
            draw.text(
                (padding + column * (width + padding), top + k * line_height),
                line,
                fill=(0, 0, 0),
                font=font,
            )
    return sheet


def save_grid(path: str | os.PathLike, images, columns: int, captions=None, **kwargs) -> str:
    """``image_grid(...)`` saved to ``path`` (format from the extension); returns the path."""
    path = os.fspath(path)
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    image_grid(images, columns, captions, **kwargs).save(path)
    return path
