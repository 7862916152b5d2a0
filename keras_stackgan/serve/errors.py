"""``ServeError``: a request the server refuses, with the HTTP status it answers with."""

from __future__ import annotations


class ServeError(Exception):
    """Bad input or an unavailable resource, answered as ``{"error": message}`` with ``status``.

    Args:
        message: str, one sentence saying what is wrong and what would be accepted.
        status: int, the HTTP status (400 bad input, 404 unknown preset, 413 too large, 415 not
            an image, 503 the generation queue is full).
    """

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = int(status)
