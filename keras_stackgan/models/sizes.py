"""Image-size arithmetic shared by the generators and discriminators."""

import math


def num_doublings(size: int, base: int, what: str) -> int:
    """How many times ``base`` doubles to reach ``size``; a clear error if it never does.

    >>> num_doublings(256, 4, "image_size")
    6
    """
    steps = math.log2(size / base) if size >= base else -1
    if steps < 1 or steps != int(steps):
        raise ValueError(f"{what} must be {base} times a power of two (>= 2), received {size}")
    return int(steps)
