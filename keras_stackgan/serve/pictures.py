"""Pixels to and from the wire: PNG data URLs for the page, uploaded files to uint8 arrays."""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image, UnidentifiedImageError

from keras_stackgan.serve.errors import ServeError


def png_data_url(image: np.ndarray) -> str:
    """``data:image/png;base64,...`` of one uint8 image ``[H, W, 1 or 3]`` (or ``[H, W]``)."""
    pixels = np.asarray(image, dtype=np.uint8)
    if pixels.ndim == 3 and pixels.shape[-1] == 1:
        pixels = pixels[..., 0]
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def decode_upload(data: bytes, filename: str, size: int, max_pixels: int) -> np.ndarray:
    """An uploaded image file as uint8 ``[size, size, 3]`` (RGB, squashed like the CLI's).

    Args:
        data: the file's bytes.
        filename: its name, for the error message.
        size: int, the side of the square the model takes (its ``image_size``).
        max_pixels: int, the largest width x height accepted before decoding.

    Raises:
        ServeError: 415 when PIL cannot read ``data`` as an image, 413 when it is larger than
            ``max_pixels``.
    """
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > max_pixels:
                raise ServeError(
                    f"{filename!r} is {width}x{height} pixels; at most {max_pixels} pixels",
                    status=413,
                )
            square = image.convert("RGB").resize((size, size), Image.BICUBIC)
    except ServeError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise ServeError(
            f"{filename!r} is not an image this server can read (PNG, JPEG, GIF, BMP, WebP): "
            f"{error}",
            status=415,
        ) from None
    return np.asarray(square, dtype=np.uint8)
