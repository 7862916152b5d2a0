"""The size arithmetic both DCGAN networks share: from a base map of 4x4 (or 7x7) to S x S."""

from __future__ import annotations

from keras_stackgan.models.sizes import num_doublings


def base_and_doublings(image_size: int) -> tuple[int, int]:
    """``(base, n)`` with ``image_size = base * 2**n``, ``base`` 4 (64, 32 px) or 7 (28 px).

    >>> base_and_doublings(64), base_and_doublings(28)
    ((4, 4), (7, 2))

    Raises:
        ValueError: for sizes that are neither 4 nor 7 times a power of two (>= 2).
    """
    for base in (4, 7):
        try:
            return base, num_doublings(image_size, base, "image_size")
        except ValueError:
            continue
    raise ValueError(
        f"image_size must be 4 or 7 times a power of two (64, 32, 28, ...), received {image_size}"
    )
