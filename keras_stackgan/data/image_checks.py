"""Finding missing, unreadable and truncated image files before training starts.

TensorFlow fails a whole epoch on the first image it cannot decode, without naming the file, so
readers check every image once up front and drop (or raise on) the bad ones with their path.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Literal

from PIL import Image, UnidentifiedImageError

from keras_stackgan.data.records import ImageRecord, ProblemLog

Verify = Literal["none", "exists", "header", "full"]

# Formats that ``tf.io.decode_image`` decodes (with ``expand_animations=False``).
DECODABLE_FORMATS = ("JPEG", "PNG", "GIF", "BMP")
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".bmp")
_JPEG_END = b"\xff\xd9"
_TAIL_BYTES = 1024


def check_image_file(path: str | os.PathLike, verify: Verify = "header") -> str | None:
    """Why ``path`` cannot be used as a training image, or None when it can.

    Args:
        path: path of the image file.
        verify: how hard to look. ``"none"``: no check. ``"exists"``: a non-empty file.
            ``"header"``: also Pillow reads the header as JPEG/PNG/GIF/BMP with a non-zero
            size, and a JPEG ends with its end-of-image marker (catches truncated downloads).
            ``"full"``: also decodes every pixel with Pillow (slow: a full decode per image).

    Returns:
        None, or a reason starting with ``"missing image"``, ``"empty image file"``,
        ``"unreadable image"``, ``"unsupported image format"`` or ``"truncated image"``.
    """
    if verify == "none":
        return None
    if verify not in ("exists", "header", "full"):
        raise ValueError(f'verify must be "none", "exists", "header" or "full", got {verify!r}')
    try:
        size = os.path.getsize(path)
    except OSError:
        return "missing image: no such file"
    if size == 0:
        return "empty image file: 0 bytes"
    if verify == "exists":
        return None
    try:
        with Image.open(path) as image:
            if image.format not in DECODABLE_FORMATS:
                return f"unsupported image format: {image.format} (not JPEG, PNG, GIF or BMP)"
            if image.width == 0 or image.height == 0:
                return f"unreadable image: size {image.size}"
            if image.format == "JPEG":
                with open(path, "rb") as file:
                    file.seek(max(0, size - _TAIL_BYTES))
                    if _JPEG_END not in file.read():
                        return "truncated image: JPEG has no end-of-image marker"
            if verify == "full":
                image.load()
    except UnidentifiedImageError:
        return "unreadable image: not a JPEG, PNG, GIF or BMP file"
    except (OSError, SyntaxError, ValueError) as error:
        return f"unreadable image: {error}"
    return None


def keep_readable_images(
    records: Sequence[ImageRecord],
    log: ProblemLog,
    verify: Verify = "header",
    num_threads: int = 8,
) -> list[ImageRecord]:
    """The records whose image passes ``check_image_file``; each failure goes to ``log``.

    Args:
        records: records to check.
        log: ``ProblemLog`` of the calling reader (skips or raises per its ``on_error``).
        verify: see ``check_image_file``.
        num_threads: int. Files checked in parallel (the work is mostly file I/O).

    Returns:
        list of the records that passed, in their original order.
    """
    if verify == "none" or not records:
        return list(records)
    with ThreadPoolExecutor(max_workers=num_threads) as pool:
        reasons = list(pool.map(lambda r: check_image_file(r.image_path, verify), records))
    kept = []
    for record, reason in zip(records, reasons):
        if reason is None:
            kept.append(record)
        else:
            log.skip(record.image_path, reason)
    return kept
