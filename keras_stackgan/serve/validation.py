"""Checks of request values: limits, seeds, counts, sentences, labels and codes.

Each check returns the clean value or raises ``ServeError`` (status 400) with a sentence that
names the field and says what is accepted, so a client can fix the request from the message.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from keras_stackgan.serve.errors import ServeError

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


@dataclass(frozen=True)
class ServeLimits:
    """What one request may ask for; beyond it the server answers 400 or 413.

    Args:
        max_texts: sentences per request (page and REST).
        max_text_chars: characters per sentence.
        max_images_per_text: images per sentence (or per class) on the page.
        max_images: images per page request in total.
        max_rest_images: images per ``:predict`` request (uint8 JSON is about 4 bytes a
            value: 16 images of 256 px are about 12 MB).
        max_json_bytes: body size of JSON requests (413 beyond).
        max_upload_bytes: body size of a style-transfer upload (413 beyond).
        max_uploads: query images per style-transfer request.
        max_upload_pixels: width x height of one uploaded image (decompression bombs).
    """

    max_texts: int = 16
    max_text_chars: int = 1000
    max_images_per_text: int = 16
    max_images: int = 64
    max_rest_images: int = 16
    max_json_bytes: int = 256 * 1024
    max_upload_bytes: int = 4 * 1024 * 1024
    max_uploads: int = 4
    max_upload_pixels: int = 4096 * 4096


def is_integer(value) -> bool:
    """True for JSON integers (``int``, numpy integers), never for ``bool`` or floats."""
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def parse_seed(value, field: str = "seed") -> int | None:
    """An int64 seed, or None (the caller then draws one) for a missing value."""
    if value is None:
        return None
    if not is_integer(value) or not INT64_MIN <= int(value) <= INT64_MAX:
        raise ServeError(f"{field} must be an integer in [-2**63, 2**63 - 1], received {value!r}")
    return int(value)


def random_seed() -> int:
    """A fresh seed small enough for a person to read and type back: [0, 2**31 - 1)."""
    return int(np.random.default_rng().integers(0, 2**31 - 1))


def parse_count(value, field: str, low: int, high: int) -> int:
    """An integer in ``[low, high]``."""
    if not is_integer(value) or not low <= int(value) <= high:
        raise ServeError(f"{field} must be an integer from {low} to {high}, received {value!r}")
    return int(value)


def parse_texts(value, limits: ServeLimits, field: str = "texts") -> list[str]:
    """1 to ``limits.max_texts`` non-empty sentences of at most ``max_text_chars`` characters."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not value:
        raise ServeError(f"{field} must be a non-empty list of sentences, received {value!r}"[:200])
    if len(value) > limits.max_texts:
        raise ServeError(
            f"{field}: at most {limits.max_texts} sentences per request, received {len(value)}"
        )
    texts = []
    for i, text in enumerate(value):
        if not isinstance(text, str):
            raise ServeError(f"{field}[{i}] must be a string, received {type(text).__name__}")
        if not text.strip():
            raise ServeError(f"{field}[{i}] is empty; write a sentence, e.g. 'a red bird'")
        if len(text) > limits.max_text_chars:
            raise ServeError(
                f"{field}[{i}] has {len(text)} characters; at most {limits.max_text_chars}"
            )
        texts.append(text)
    return texts


def parse_truncation(value) -> float | None:
    """None, or a finite float > 0."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ServeError(f"truncation must be a number > 0 or null, received {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ServeError(f"truncation must be a finite number > 0, received {value!r}")
    return float(value)


def parse_flag(value, field: str) -> bool:
    """A JSON boolean (missing means False)."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ServeError(f"{field} must be true or false, received {value!r}")
    return value


def parse_codes(value, code_dim: int) -> list[float] | None:
    """None (random codes), or one row of ``code_dim`` finite numbers."""
    if value is None:
        return None
    if not code_dim:
        raise ServeError("this preset takes no continuous codes; leave 'codes' out")
    if (
        not isinstance(value, list)
        or len(value) != code_dim
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        or not all(math.isfinite(v) for v in value)
    ):
        raise ServeError(f"codes must be a list of {code_dim} finite numbers, received {value!r}")
    return [float(v) for v in value]


def parse_labels(value, num_classes: int, limits: ServeLimits) -> list | None:
    """None (no class asked), or 1 to ``max_texts`` class ids or names (checked by the model)."""
    if value is None or value == []:
        return None
    if not num_classes:
        raise ServeError("this preset is unconditional; leave 'labels' out")
    if not isinstance(value, list):
        value = [value]
    if len(value) > limits.max_texts:
        raise ServeError(f"labels: at most {limits.max_texts} classes, received {len(value)}")
    for label in value:
        if not (is_integer(label) or isinstance(label, str)):
            raise ServeError(f"a label must be a class id or name, received {label!r}")
    return value
