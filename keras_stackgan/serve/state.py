"""What every request handler shares: the served presets, the limits and the model queue."""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import Response, current_app, request

from keras_stackgan.serve.concurrency import GenerationQueue
from keras_stackgan.serve.errors import ServeError
from keras_stackgan.serve.served import ServedPreset
from keras_stackgan.serve.validation import ServeLimits

EXTENSION = "keras_stackgan_serve"


@dataclass
class ServeState:
    """The app's state (``app.extensions["keras_stackgan_serve"]``).

    Attributes:
        presets: dict name -> ``ServedPreset``, loaded once at start.
        limits: the ``ServeLimits`` every request is checked against.
        queue: the ``GenerationQueue`` every model call goes through.
    """

    presets: dict[str, ServedPreset]
    limits: ServeLimits
    queue: GenerationQueue


def get_state() -> ServeState:
    """The state of the app answering the current request."""
    return current_app.extensions[EXTENSION]


def json_response(payload, status: int = 200, headers: dict | None = None) -> Response:
    """A compact JSON response (``NaN`` never occurs: outputs are uint8 or finite)."""
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return Response(body, status=status, mimetype="application/json", headers=headers)


def read_json_object() -> dict:
    """The request body as a JSON object (any Content-Type, like TF Serving); 400 otherwise.

    The body size is limited before it is read (``ServeLimits.max_json_bytes``: 413).
    """
    raw = request.get_data(cache=False)
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ServeError(f"JSON Parse error: {error}") from None
    if not isinstance(body, dict):
        raise ServeError(f"the request body must be a JSON object, received {type(body).__name__}")
    return body
