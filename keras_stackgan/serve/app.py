"""``create_app``: the Flask app of ``keras-stackgan serve``, the demo page and its JSON API.

Routes besides TF Serving's (``keras_stackgan.serve.rest``):

- ``GET /``: the page (``page/index.html``, ``app.js``, ``style.css``; nothing from a CDN).
- ``GET /api/presets``: ``{"presets": [describe(), ...], "limits": {...}}``.
- ``POST /api/generate``: JSON ``{"preset", "texts"?, "num_images", "seed"?, "labels"?,
  "codes"?, "truncation"?, "sample_condition"?}`` -> ``{"preset", "seed", "image_size",
  "columns", "captions", "cells": [{"src", "stage1"?}, ...]}`` with PNG data URLs, row-major
  (one column per sentence or class, ``num_images`` rows).
- ``POST /api/style``: multipart ``preset``, ``texts`` (one sentence a line) and 1 to 4
  ``images`` files -> the same shape: one row per uploaded image, the query first, then one
  column per sentence (GAN-INT-CLS style transfer).

Every error is ``{"error": message}`` with its status (400 bad input, 404 unknown preset or
route, 405 wrong method, 413 body too large, 415 not an image, 503 queue full, 500 a bug), and
the server keeps running.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from flask import Blueprint, Flask, request, send_from_directory
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from keras_stackgan.serve import rest
from keras_stackgan.serve.concurrency import GenerationQueue
from keras_stackgan.serve.errors import ServeError
from keras_stackgan.serve.pictures import decode_upload, png_data_url
from keras_stackgan.serve.served import TEXT, ServedPreset, wrap_all
from keras_stackgan.serve.state import (
    EXTENSION,
    ServeState,
    get_state,
    json_response,
    read_json_object,
)
from keras_stackgan.serve.validation import (
    ServeLimits,
    parse_codes,
    parse_count,
    parse_flag,
    parse_labels,
    parse_seed,
    parse_texts,
    parse_truncation,
    random_seed,
)

logger = logging.getLogger(__name__)
PAGE_DIR = Path(__file__).parent / "page"
UPLOAD_ROUTES = ("/api/style",)
# The page loads only its own files; images are data: URLs. No CDN, fonts or scripts elsewhere.
CSP = "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'"


def create_app(
    pipelines: Mapping[str, Any],
    limits: ServeLimits | None = None,
    max_pending: int = 8,
    timeout: float = 300.0,
) -> Flask:
    """The server's Flask app for already-loaded pipelines.

    Args:
        pipelines: dict preset name -> ``StackGANPipeline`` or ``GeneratorPipeline`` (e.g.
            ``keras_stackgan.serve.load_pipelines(["flowers"])``); other kinds are skipped.
        limits: ``ServeLimits`` (defaults: 16 sentences, 64 images per page request, 16 per
            predict, 256 KiB JSON bodies, 4 MiB uploads).
        max_pending: model calls allowed to wait or run at once; more get 503.
        timeout: seconds a request waits for its images before a 503.

    Returns:
        a ``flask.Flask`` app; ``app.test_client()`` for tests, ``keras_stackgan.serve.serve``
        to run it.
    """
    limits = limits or ServeLimits()
    app = Flask(__name__, static_folder=str(PAGE_DIR), static_url_path="/static")
    app.config["MAX_CONTENT_LENGTH"] = limits.max_upload_bytes
    app.config["MAX_FORM_MEMORY_SIZE"] = limits.max_upload_bytes
    app.extensions[EXTENSION] = ServeState(
        wrap_all(pipelines), limits, GenerationQueue(max_pending, timeout)
    )
    app.register_blueprint(rest.blueprint)
    app.register_blueprint(page_api)

    @app.before_request
    def _limit_body():
        if request.path not in UPLOAD_ROUTES:
            request.max_content_length = limits.max_json_bytes

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    @app.errorhandler(ServeError)
    def _serve_error(error: ServeError):
        headers = {"Retry-After": "5"} if error.status == 503 else None
        return json_response({"error": error.message}, error.status, headers)

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(error):
        limit = request.max_content_length
        return json_response(
            {"error": f"the request body is larger than this route's limit of {limit} bytes"},
            413,
        )

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        return json_response({"error": f"{error.name}: {error.description}"}, error.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        logger.exception("error answering %s %s", request.method, request.path)
        return json_response({"error": f"internal error: {type(error).__name__}: {error}"}, 500)

    return app


# === The page and its API ===
page_api = Blueprint("page", __name__)


@page_api.get("/")
def index():
    """The demo page."""
    return send_from_directory(PAGE_DIR, "index.html", max_age=0)


@page_api.get("/api/presets")
def presets():
    """What the page offers: every served preset and the request limits."""
    state = get_state()
    limits = state.limits
    return json_response(
        {
            "presets": [preset.describe() for preset in state.presets.values()],
            "limits": {
                "max_texts": limits.max_texts,
                "max_images_per_text": limits.max_images_per_text,
                "max_images": limits.max_images,
                "max_uploads": limits.max_uploads,
                "max_upload_bytes": limits.max_upload_bytes,
            },
        }
    )


def _preset(name) -> ServedPreset:
    presets = get_state().presets
    if not isinstance(name, str) or name not in presets:
        raise ServeError(
            f"unknown preset {name!r}; this server has {', '.join(presets)}", status=404
        )
    return presets[name]


def _run(function, *args, **kwargs):
    try:
        return get_state().queue.run(function, *args, **kwargs)
    except (ValueError, TypeError) as error:  # the pipeline's own checks
        raise ServeError(str(error)) from None


def _grid(preset, seed, columns, captions, images, stage1=None, by_column=True) -> dict:
    """The page's grid: row-major ``cells`` of PNG data URLs, ``columns`` wide.

    With ``by_column`` the images come column after column (each sentence's or class's run of
    images is one column, as ``generate`` returns them); otherwise row after row.
    """
    n = len(images)
    if by_column:
        rows = n // columns
        order = [c * rows + r for r in range(rows) for c in range(columns)]
    else:
        rows = -(-n // columns)
        order = list(range(n))
    cells = []
    for i in order:
        cell = {"src": png_data_url(images[i])}
        if stage1 is not None:
            cell["stage1"] = png_data_url(stage1[i])
        cells.append(cell)
    return {
        "preset": preset.name,
        "seed": seed,
        "image_size": int(images.shape[1]),
        "columns": columns,
        "rows": rows,
        "captions": captions,
        "cells": cells,
    }


def _text_grid(preset: ServedPreset, body: dict, seed: int) -> dict:
    limits = get_state().limits
    texts = parse_texts(body.get("texts"), limits)
    num = parse_count(body.get("num_images", 4), "num_images", 1, limits.max_images_per_text)
    if len(texts) * num > limits.max_images:
        raise ServeError(
            f"{len(texts)} sentences x {num} images is more than {limits.max_images} images"
        )
    truncation = parse_truncation(body.get("truncation"))
    sample_condition = parse_flag(body.get("sample_condition"), "sample_condition")
    images, stage1 = _run(
        preset.pipeline.generate,
        texts,
        images_per_text=num,
        seed=seed,
        sample_condition=sample_condition,
        truncation=truncation,
        return_stage1=True,
    )
    return _grid(preset, seed, len(texts), texts, images, stage1 if preset.has_stage2 else None)


def _noise_grid(preset: ServedPreset, body: dict, seed: int) -> dict:
    limits, pipeline = get_state().limits, preset.pipeline
    if body.get("texts"):
        raise ServeError(f"{preset.name} draws from noise, not from sentences; leave 'texts' out")
    labels = parse_labels(body.get("labels"), pipeline.num_classes, limits)
    codes = parse_codes(body.get("codes"), pipeline.code_dim)
    truncation = parse_truncation(body.get("truncation"))
    num = parse_count(body.get("num_images", 8), "num_images", 1, limits.max_images_per_text)
    if labels is None:
        images = _run(pipeline.generate, num, codes=codes, seed=seed, truncation=truncation)
        return _grid(preset, seed, min(num, 8), None, images, by_column=False)
    try:
        ids = pipeline.label_ids(labels)
    except ValueError as error:
        raise ServeError(str(error)) from None
    if len(ids) * num > limits.max_images:
        raise ServeError(f"{len(ids)} classes x {num} images is more than {limits.max_images}")
    images = _run(
        pipeline.generate,
        labels=[int(i) for i in ids for _ in range(num)],
        codes=codes,
        seed=seed,
        truncation=truncation,
    )
    names = pipeline.class_names
    captions = [names[int(i)] if names else str(int(i)) for i in ids]
    return _grid(preset, seed, len(ids), captions, images)


@page_api.post("/api/generate")
def generate():
    """Images for the page: sentences (text presets) or classes and codes (noise presets)."""
    body = read_json_object()
    preset = _preset(body.get("preset"))
    seed = parse_seed(body.get("seed"))
    seed = random_seed() if seed is None else seed
    if preset.kind == TEXT:
        return json_response(_text_grid(preset, body, seed))
    return json_response(_noise_grid(preset, body, seed))


@page_api.post("/api/style")
def style():
    """GAN-INT-CLS style transfer of uploaded images (multipart form)."""
    limits = get_state().limits
    if request.mimetype != "multipart/form-data":
        raise ServeError(
            "send a multipart/form-data body with 'preset', 'texts' and 'images' files, "
            f"received {request.mimetype or 'no Content-Type'}"
        )
    preset = _preset(request.form.get("preset"))
    if not preset.has_style:
        styled = [p.name for p in get_state().presets.values() if p.has_style]
        raise ServeError(
            f"{preset.name} has no style encoder; style transfer needs a GAN-INT-CLS preset "
            f"({', '.join(styled) or 'none is loaded'})"
        )
    lines = "\n".join(request.form.getlist("texts")).splitlines()
    texts = parse_texts([line for line in lines if line.strip()] or lines[:1], limits)
    files = [f for f in request.files.getlist("images") if f.filename or f.content_length]
    if not 1 <= len(files) <= limits.max_uploads:
        raise ServeError(f"upload 1 to {limits.max_uploads} images as 'images', got {len(files)}")
    size = int(preset.pipeline.stage1_generator.image_size)
    queries = np.stack(
        [
            decode_upload(f.read(), f.filename or "upload", size, limits.max_upload_pixels)
            for f in files
        ]
    )
    grid = _run(preset.pipeline.transfer_style, queries, texts)  # [q, t, S, S, 3]
    cells = []
    for q, row in enumerate(grid):
        cells.append({"src": png_data_url(queries[q]), "query": True})
        cells.extend({"src": png_data_url(image)} for image in row)
    return json_response(
        {
            "preset": preset.name,
            "image_size": size,
            "columns": 1 + len(texts),
            "rows": len(queries),
            "captions": ["your image", *texts],
            "cells": cells,
        }
    )
