"""Finding missing, unreadable and truncated image files before training starts.

TensorFlow fails a whole epoch on the first image it cannot decode, without naming the file, so
readers check every image once up front and drop (or raise on) the bad ones with their path.
"""

from __future__ import annotations

import os
import warnings
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
_PNG_END = b"IEND\xaeB`\x82"  # the IEND chunk's type and CRC, the last 8 bytes of a PNG
_GIF_END = b"\x3b"
_TAIL_BYTES = 1024
# Pillow's own decompression-bomb threshold (89.5 megapixels, ~268 MB as RGB): a 20000 x 20000
# PNG header would make TensorFlow allocate 1.2 GB per decode.
DEFAULT_MAX_PIXELS = 89_478_485


def check_image_file(
    path: str | os.PathLike, verify: Verify = "header", max_pixels: int | None = DEFAULT_MAX_PIXELS
) -> str | None:
    """Why ``path`` cannot be used as a training image, or None when it can.

    Args:
        path: path of the image file.
        verify: how hard to look. ``"none"``: no check. ``"exists"``: a non-empty file.
            ``"header"``: also Pillow reads the header as JPEG/PNG/GIF/BMP with a non-zero
            size of at most ``max_pixels``, and the file is not truncated: a JPEG ends with its
            end-of-image marker, a PNG with its ``IEND`` chunk, a GIF with its trailer, a BMP
            is as long as its header says (catches cut-off downloads and copies).
            ``"full"``: also decodes every pixel with Pillow (slow: a full decode per image).
        max_pixels: int or None. Largest ``width * height`` accepted (default Pillow's 89.5
            megapixels); None: no limit of ours (Pillow still refuses images of more than
            twice its ``Image.MAX_IMAGE_PIXELS``, reported as too large).

    Returns:
        None, or a reason starting with ``"missing image"``, ``"empty image file"``,
        ``"unreadable image"``, ``"unsupported image format"``, ``"truncated image"`` or
        ``"image too large"``.
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
        with warnings.catch_warnings():
            # Sizes are checked against max_pixels below; Pillow's own warning would be noise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.format not in DECODABLE_FORMATS:
                    return f"unsupported image format: {image.format} (not JPEG, PNG, GIF or BMP)"
                if image.width == 0 or image.height == 0:
                    return f"unreadable image: size {image.size}"
                pixels = image.width * image.height
                if max_pixels is not None and pixels > max_pixels:
                    return (
                        f"image too large: {image.width}x{image.height} = {pixels:,} pixels, "
                        f"more than max_pixels={max_pixels:,}"
                    )
                truncated = _truncation(path, image, size)
                if truncated:
                    return truncated
                if verify == "full":
                    image.load()
    except UnidentifiedImageError:
        return "unreadable image: not a JPEG, PNG, GIF or BMP file"
    except Image.DecompressionBombError as error:
        return f"image too large: {error}"
    except Exception as error:  # noqa: BLE001
        # Pillow raises OSError, SyntaxError, ValueError, but also struct.error, IndexError,
        # EOFError... on malformed headers; whatever it is, the file is skipped and named.
        return f"unreadable image: {type(error).__name__}: {error}"
    return None


def _truncation(path, image, size: int) -> str | None:
    """Why an opened image's file is cut short, or None (end markers, BMP length)."""
    with open(path, "rb") as file:
        if image.format == "BMP":
            declared = int.from_bytes(file.read(6)[2:6], "little")
            if declared > size:
                return f"truncated image: BMP header says {declared} bytes, the file has {size}"
            return None
        file.seek(max(0, size - _TAIL_BYTES))
        tail = file.read()
    if image.format == "JPEG" and _JPEG_END not in tail:
        return "truncated image: JPEG has no end-of-image marker"
    if image.format == "PNG" and _PNG_END not in tail:
        return "truncated image: PNG has no IEND chunk"
    # A GIF's last byte is its trailer (some writers pad with NULs after it).
    if image.format == "GIF" and not tail.rstrip(b"\x00").endswith(_GIF_END):
        return "truncated image: GIF has no trailer"
    return None


def keep_readable_images(
    records: Sequence[ImageRecord],
    log: ProblemLog,
    verify: Verify = "header",
    num_threads: int = 8,
    max_pixels: int | None = DEFAULT_MAX_PIXELS,
) -> list[ImageRecord]:
    """The records whose image passes ``check_image_file``; each failure goes to ``log``.

    Args:
        records: records to check.
        log: ``ProblemLog`` of the calling reader (skips or raises per its ``on_error``).
        verify: see ``check_image_file``.
        num_threads: int. Files checked in parallel (the work is mostly file I/O).
        max_pixels: int or None, see ``check_image_file``.

    Returns:
        list of the records that passed, in their original order.
    """
    if verify == "none" or not records:
        return list(records)
    with ThreadPoolExecutor(max_workers=num_threads) as pool:
        reasons = list(
            pool.map(lambda r: check_image_file(r.image_path, verify, max_pixels), records)
        )
    kept = []
    for record, reason in zip(records, reasons):
        if reason is None:
            kept.append(record)
        else:
            log.skip(record.image_path, reason)
    return kept
