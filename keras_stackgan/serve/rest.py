"""TF Serving's REST API for the served presets, so a TF Serving client can be developed locally.

Routes (``<name>`` is a preset; the only version is ``1``, TF Serving's layout of
``keras-stackgan export``):

- ``GET /v1/models/<name>[/versions/1]``: model status, ``{"model_version_status": [...]}``.
- ``GET /v1/models/<name>[/versions/1]/metadata``: ``{"model_spec", "metadata":
  {"signature_def": {"signature_def": {...}}}}`` with every signature's inputs and outputs.
- ``POST /v1/models/<name>[/versions/1]:predict``: ``{"signature_name"?, "inputs" | "instances"}``
  -> ``{"outputs": ...}`` (columnar request) or ``{"predictions": [...]}`` (row request).

Signatures of text-to-image presets are those of ``keras_stackgan.export``, so the same request
works against ``tensorflow/serving`` running the exported SavedModel:

- ``generate_from_text`` (``serving_default``): ``texts`` string ``[n]``, ``seed`` int64 ``[]``
  -> ``images`` uint8 ``[n, S, S, 3]``, ``stage1_images`` uint8 ``[n, 64, 64, 3]``.
- ``generate_from_embedding``: ``embeddings`` float32 ``[n, D]``, ``seed`` int64 ``[]`` -> the
  same outputs.

Noise-to-image presets (no SavedModel export exists for them yet; these signatures are this
server's, shaped like the exported ones):

- ``generate`` (``serving_default``): ``seed`` int64 ``[]`` plus ``labels`` int32 ``[n]`` (class
  models) or ``num_images`` int32 ``[]`` (unconditional), and ``codes`` float32
  ``[n, code_dim]`` (InfoGAN) -> ``images`` uint8 ``[n, S, S, C]``, as
  ``GeneratorPipeline.generate(num_images, labels=, codes=, seed=)``.
- ``generate_from_noise``: ``noise`` float32 ``[n, noise_dim]`` (plus ``labels`` / ``codes``)
  -> ``images``; every input is batched, so it also takes the row format.

As in TF Serving, the row format (``instances``) batches every named input along a new 0-th
dimension; a signature with a scalar input (``seed``) therefore needs the columnar format
(``inputs``), and gets a 400 saying so. Numerics are ``pipeline.generate``'s for the same seed.
Errors are ``{"error": message}`` with TF Serving's statuses: 404 for an unknown model or
version, 400 for a bad request.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from flask import Blueprint, request

from keras_stackgan.serve.errors import ServeError
from keras_stackgan.serve.served import TEXT, ServedPreset
from keras_stackgan.serve.state import get_state, json_response, read_json_object
from keras_stackgan.serve.validation import ServeLimits, parse_texts

VERSION = "1"
DEFAULT = "serving_default"
PREDICT_METHOD = "tensorflow/serving/predict"

blueprint = Blueprint("rest", __name__)

_PATH = re.compile(
    r"^(?P<name>[^/:]+)"
    r"(?:/versions/(?P<version>[^/:]+)|/labels/(?P<label>[^/:]+))?"
    r"(?P<verb>:[a-z]+|/metadata)?$"
)


@dataclass(frozen=True)
class TensorInfo:
    """One named input or output: TF dtype name and shape (-1 for any size)."""

    name: str
    dtype: str
    shape: tuple[int, ...]

    def to_json(self, signature: str) -> dict:
        """TF Serving's ``TensorInfo`` JSON (tensor names are indicative)."""
        return {
            "dtype": self.dtype,
            "tensor_shape": {
                "dim": [{"size": str(size), "name": ""} for size in self.shape],
                "unknown_rank": False,
            },
            "name": f"{signature}_{self.name}:0",
        }


@dataclass(frozen=True)
class Signature:
    """A served signature: named inputs and outputs, and the function computing them.

    ``run`` takes a dict of validated numpy inputs and returns a dict of uint8 outputs; it is
    called on the generation queue's worker thread. ``check`` (optional) validates the inputs
    before they are queued, raising ``ServeError``.
    """

    name: str
    inputs: tuple[TensorInfo, ...]
    outputs: tuple[TensorInfo, ...]
    run: Callable[[dict], dict]
    check: Callable[[dict], object] | None = None

    def to_json(self) -> dict:
        return {
            "inputs": {i.name: i.to_json(self.name) for i in self.inputs},
            "outputs": {o.name: o.to_json(self.name) for o in self.outputs},
            "method_name": PREDICT_METHOD,
        }


def signatures(preset: ServedPreset, limits: ServeLimits) -> dict[str, Signature]:
    """The preset's signatures by name, ``serving_default`` included (the first)."""
    table = _text_signatures(preset, limits) if preset.kind == TEXT else _noise_signatures(preset)
    return {DEFAULT: next(iter(table.values())), **table}


def _text_signatures(preset: ServedPreset, limits: ServeLimits) -> dict[str, Signature]:
    pipeline = preset.pipeline
    size, small = int(pipeline.image_size), int(pipeline.stage1_generator.image_size)
    outputs = (
        TensorInfo("images", "DT_UINT8", (-1, size, size, 3)),
        TensorInfo("stage1_images", "DT_UINT8", (-1, small, small, 3)),
    )
    seed = TensorInfo("seed", "DT_INT64", ())

    def check_texts(inputs):
        return parse_texts(list(inputs["texts"]), limits, field="input 'texts'")

    def from_text(inputs):
        images, stage1 = pipeline.generate(
            check_texts(inputs), images_per_text=1, seed=int(inputs["seed"]), return_stage1=True
        )
        return {"images": images, "stage1_images": stage1}

    def from_embedding(inputs):
        images, stage1 = pipeline.generate_from_embeddings(
            inputs["embeddings"], seed=int(inputs["seed"]), return_stage1=True
        )
        return {"images": images, "stage1_images": stage1}

    text_inputs = (TensorInfo("texts", "DT_STRING", (-1,)), seed)
    embedding = TensorInfo("embeddings", "DT_FLOAT", (-1, int(pipeline.embedding_dim)))
    return {
        "generate_from_text": Signature(
            "generate_from_text", text_inputs, outputs, from_text, check_texts
        ),
        "generate_from_embedding": Signature(
            "generate_from_embedding", (embedding, seed), outputs, from_embedding
        ),
    }


def _noise_signatures(preset: ServedPreset) -> dict[str, Signature]:
    pipeline = preset.pipeline
    size, channels = int(pipeline.image_size), int(pipeline.channels)
    outputs = (TensorInfo("images", "DT_UINT8", (-1, size, size, channels)),)
    conditional = [TensorInfo("labels", "DT_INT32", (-1,))] if pipeline.num_classes else []
    if pipeline.code_dim:
        conditional.append(TensorInfo("codes", "DT_FLOAT", (-1, int(pipeline.code_dim))))
    count = [] if pipeline.num_classes else [TensorInfo("num_images", "DT_INT32", ())]

    def generate(inputs):
        images = pipeline.generate(
            None if pipeline.num_classes else int(inputs["num_images"]),
            labels=inputs.get("labels"),
            codes=inputs.get("codes"),
            seed=int(inputs["seed"]),
        )
        return {"images": images}

    def from_noise(inputs):
        import tensorflow as tf

        n = len(inputs["noise"])
        labels = inputs.get("labels", np.zeros([n], np.int32))
        codes = inputs.get("codes", np.zeros([n, 1], np.float32))
        for key, value in (("labels", labels), ("codes", codes)):
            if len(value) != n:
                raise ServeError(f"{key} has {len(value)} rows for {n} rows of noise")
        if pipeline.num_classes and not np.all((labels >= 0) & (labels < pipeline.num_classes)):
            raise ServeError(f"labels must be class ids 0..{pipeline.num_classes - 1}")
        images = pipeline.images_from_inputs(
            tf.constant(inputs["noise"]), tf.constant(labels), tf.constant(codes)
        )
        return {"images": np.asarray(images)}

    seed = TensorInfo("seed", "DT_INT64", ())
    noise = TensorInfo("noise", "DT_FLOAT", (-1, int(pipeline.noise_dim)))
    return {
        "generate": Signature("generate", (*count, *conditional, seed), outputs, generate),
        "generate_from_noise": Signature(
            "generate_from_noise", (noise, *conditional), outputs, from_noise
        ),
    }


# === Request parsing ===
def _strings(value, where: str):
    """Nested lists of str (or TF Serving's ``{"b64": ...}``) -> nested lists of str."""
    if isinstance(value, list):
        return [_strings(v, where) for v in value]
    if isinstance(value, dict) and set(value) == {"b64"}:
        try:
            return base64.b64decode(value["b64"], validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, TypeError) as error:
            raise ServeError(f"{where}: a b64 value is not base64 of UTF-8 text: {error}") from None
    if not isinstance(value, str):
        raise ServeError(f"{where} must hold strings (DT_STRING), received {value!r}"[:200])
    return value


def to_array(value, info: TensorInfo, where: str, row_format: bool) -> np.ndarray:
    """One JSON value as a numpy array of ``info``'s dtype and shape; 400 otherwise."""
    try:
        if info.dtype == "DT_STRING":
            array = np.asarray(_strings(value, where), dtype=object)
        else:
            array = np.asarray(value)
    except ValueError:
        raise ServeError(f"{where} is a ragged list; tensors need equal lengths per axis") from None
    if info.dtype != "DT_STRING":
        kinds = "iu" if info.dtype.startswith(("DT_INT", "DT_UINT")) else "iuf"
        if array.dtype.kind not in kinds or array.dtype == bool:
            wanted = "integers" if kinds == "iu" else "numbers"
            raise ServeError(f"{where} must hold {wanted} ({info.dtype}), received {value!r}"[:200])
        numpy_dtype = {"DT_INT32": np.int32, "DT_INT64": np.int64, "DT_FLOAT": np.float32}
        target = numpy_dtype[info.dtype]
        if (
            kinds == "iu"
            and array.size
            and (array.min() < np.iinfo(target).min or array.max() > np.iinfo(target).max)
        ):
            raise ServeError(f"{where} is out of the range of {info.dtype}")
        array = array.astype(target)
    wanted = "[" + ", ".join("n" if s == -1 else str(s) for s in info.shape) + "]"
    fits = array.ndim == len(info.shape) and all(
        s in (-1, d) for s, d in zip(info.shape, array.shape, strict=False)
    )
    if not fits:
        message = f"{where} must have shape {wanted}, received {list(array.shape)}"
        if row_format and not info.shape:
            message += (
                f". '{info.name}' is a scalar: the row format ('instances') batches every named "
                "input along its 0-th dimension, so send this signature's request in the "
                "columnar format ('inputs'), as TF Serving requires for inputs of different "
                "0-th dimensions"
            )
        raise ServeError(message)
    return array


def named_inputs(body: dict, signature: Signature) -> tuple[dict, bool]:
    """``(name -> JSON value, row_format)`` from a predict body, TF Serving's two formats."""
    if ("inputs" in body) == ("instances" in body):
        raise ServeError(
            "the request must have exactly one of 'inputs' (columnar) and 'instances' (row)"
        )
    names = [i.name for i in signature.inputs]
    if "inputs" in body:
        value = body["inputs"]
        if isinstance(value, dict):
            return value, False
        if len(names) == 1:
            return {names[0]: value}, False
        raise ServeError(
            f"'inputs' must be an object with the inputs {names} of signature {signature.name}"
        )
    rows = body["instances"]
    if not isinstance(rows, list) or not rows:
        raise ServeError("'instances' must be a non-empty list of rows")
    if all(isinstance(row, dict) for row in rows):
        keys = set(rows[0])
        if any(set(row) != keys for row in rows):
            raise ServeError("every row of 'instances' must have the same named inputs")
        return {key: [row[key] for row in rows] for key in rows[0]}, True
    if len(names) == 1:
        return {names[0]: rows}, True
    raise ServeError(
        f"each row of 'instances' must be an object with the inputs {names} of signature "
        f"{signature.name}"
    )


def parse_inputs(body: dict, signature: Signature, limits: ServeLimits) -> tuple[dict, bool]:
    """Validated numpy inputs of ``signature`` and whether the request used the row format."""
    values, row_format = named_inputs(body, signature)
    expected = {i.name for i in signature.inputs}
    unknown = sorted(set(values) - expected)
    if unknown:
        raise ServeError(
            f"unknown input(s) {unknown} for signature {signature.name}; it takes "
            f"{sorted(expected)}"
        )
    missing = sorted(expected - set(values))
    if missing:
        raise ServeError(f"missing input(s) {missing} of signature {signature.name}")
    arrays = {
        info.name: to_array(values[info.name], info, f"input '{info.name}'", row_format)
        for info in signature.inputs
    }
    for info in signature.inputs:
        array = arrays[info.name]
        count = int(array) if info.name == "num_images" else (len(array) if info.shape else None)
        if count is not None and not 1 <= count <= limits.max_rest_images:
            raise ServeError(
                f"input '{info.name}' asks for {count} images; 1 to {limits.max_rest_images} "
                "per request"
            )
    return arrays, row_format


def format_outputs(outputs: dict, signature: Signature, row_format: bool) -> dict:
    """TF Serving's response: ``predictions`` (row) or ``outputs`` (columnar); one output
    unnamed."""
    names = [o.name for o in signature.outputs]
    if row_format:
        if len(names) == 1:
            return {"predictions": np.asarray(outputs[names[0]]).tolist()}
        columns = {k: np.asarray(outputs[k]).tolist() for k in names}
        count = len(columns[names[0]])
        return {"predictions": [{k: columns[k][i] for k in names} for i in range(count)]}
    if len(names) == 1:
        return {"outputs": np.asarray(outputs[names[0]]).tolist()}
    return {"outputs": {k: np.asarray(outputs[k]).tolist() for k in names}}


# === Routes ===
def _resolve(path: str) -> tuple[ServedPreset, str]:
    match = _PATH.match(path)
    if not match:
        raise ServeError(f"Malformed request: {request.method} /v1/models/{path}", status=404)
    name, version, label = match["name"], match["version"], match["label"]
    presets = get_state().presets
    if name not in presets:
        raise ServeError(f"Servable not found for request: Latest({name})", status=404)
    if version is not None and version != VERSION:
        raise ServeError(f"Servable not found for request: Specific({name}, {version})", 404)
    if label is not None:
        raise ServeError(f"Unrecognized servable version label: {label}", status=404)
    return presets[name], match["verb"] or ""


@blueprint.route("/v1/models/<path:path>", methods=["GET", "POST"])
def models(path: str):
    """Model status, metadata and predict, dispatched on the URL's verb as TF Serving does."""
    preset, verb = _resolve(path)
    state = get_state()
    if verb in ("", "/metadata") and request.method != "GET":
        raise ServeError(f"use GET for /v1/models/{path}", status=405)
    if verb == "":
        return json_response(
            {
                "model_version_status": [
                    {
                        "version": VERSION,
                        "state": "AVAILABLE",
                        "status": {"error_code": "OK", "error_message": ""},
                    }
                ]
            }
        )
    table = signatures(preset, state.limits)
    if verb == "/metadata":
        return json_response(
            {
                "model_spec": {"name": preset.name, "signature_name": "", "version": VERSION},
                "metadata": {
                    "signature_def": {
                        "signature_def": {name: sig.to_json() for name, sig in table.items()}
                    }
                },
            }
        )
    if verb != ":predict":
        raise ServeError(f"{verb[1:]} is not served here; this server answers :predict", 400)
    if request.method != "POST":
        raise ServeError("use POST for :predict", status=405)
    body = read_json_object()
    name = body.get("signature_name") or DEFAULT
    if not isinstance(name, str) or name not in table:
        known = ", ".join(table)
        raise ServeError(
            f'Serving signature name: "{name}" not found in signature def (known: {known})'
        )
    signature = table[name]
    inputs, row_format = parse_inputs(body, signature, state.limits)
    if signature.check is not None:
        signature.check(inputs)
    try:
        outputs = state.queue.run(signature.run, inputs)
    except (ValueError, TypeError) as error:
        raise ServeError(str(error)) from None
    return json_response(format_outputs(outputs, signature, row_format))
