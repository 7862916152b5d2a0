"""SavedModel export of a ``StackGANPipeline`` for TF Serving (tokenizer inside the graph).

Layout: ``<path>/<version>/saved_model.pb`` + ``variables/`` + ``assets/`` (the vocabulary), the
versioned folder TF Serving watches. Signatures:

- ``generate_from_text``: ``texts`` tf.string ``[n]``, ``seed`` int64 ``[]`` ->
  ``images`` uint8 ``[n, S, S, 3]``, ``stage1_images`` uint8 ``[n, 64, 64, 3]``.
- ``generate_from_embedding``: ``embeddings`` float32 ``[n, D]``, ``seed`` int64 ``[]`` -> the
  same outputs.

``serving_default`` is ``generate_from_text``. Noise is drawn from ``seed`` with the same
stateless ops as ``StackGANPipeline.generate``, so both give the same images for one seed.
Both refuse what ``generate`` refuses: an empty batch, an empty or blank sentence, NaN/inf
embeddings (``INVALID_ARGUMENT`` with a message saying which).

Each export is written to a hidden temporary folder and renamed into place, so an interrupted
export never leaves a half-written version folder for TF Serving to load; without ``version``
it becomes the next version after the highest already there.
"""

from __future__ import annotations

import os
import shutil
import uuid
import warnings
from pathlib import Path

import keras
import tensorflow as tf

from keras_stackgan.pretrained.pipeline import StackGANPipeline, check_generation_arguments

SIGNATURES = ("generate_from_text", "generate_from_embedding")


def export_saved_model(
    pipeline: StackGANPipeline,
    path: str | os.PathLike,
    version: int | None = None,
    sample_condition: bool = False,
    truncation: float | None = None,
) -> Path:
    """Writes ``pipeline`` as a TF Serving SavedModel under ``<path>/<version>/``.

    Args:
        pipeline: the ``StackGANPipeline`` to export (e.g. ``load_pretrained("cub")``).
        path: the model base path TF Serving is pointed at (``--model_base_path``); created
            if missing.
        version: int >= 1, the version folder, or None (default): one more than the highest
            version already in ``path`` (1 for a new path), so a re-export adds a version.
        sample_condition, truncation: noise options baked into the graph (see
            ``StackGANPipeline.generate``).

    Returns:
        The version folder, ``<path>/<version>``.

    Raises:
        ValueError: for a version below 1, an existing non-empty version folder, a ``path``
            that is a file, or a bad ``truncation``.

    Examples:
    ```python
    export_saved_model(keras_stackgan.load_pretrained("cub"), "/models/stackgan_cub")
    # docker run -p 8501:8501 -v /models/stackgan_cub:/models/stackgan_cub \
    #     -e MODEL_NAME=stackgan_cub tensorflow/serving
    ```
    """
    base = Path(path)
    if base.exists() and not base.is_dir():
        raise ValueError(
            f"{base} is a file, not a folder: give the model base path TF Serving watches"
        )
    _, truncation, _ = check_generation_arguments(None, truncation)
    versions = (
        sorted(int(p.name) for p in base.iterdir() if p.name.isdigit()) if base.exists() else []
    )
    for number in versions:
        if not (base / str(number) / "saved_model.pb").is_file():
            warnings.warn(
                f"{base / str(number)} has no saved_model.pb (an interrupted export?); TF "
                "Serving cannot load it: remove it.",
                stacklevel=2,
            )
    if version is None:
        version = (versions[-1] if versions else 0) + 1
    if isinstance(version, bool) or int(version) != version or int(version) < 1:
        raise ValueError(f"version must be an integer >= 1, received {version!r}")
    target = base / str(int(version))
    if target.exists() and any(target.iterdir()):
        following = (versions[-1] if versions else 0) + 1
        raise ValueError(
            f"{target} exists and is not empty; leave out the version to write version "
            f"{following}, or give another one."
        )

    def outputs(embeddings, seed):
        images, stage1 = pipeline.images_from_embeddings(
            embeddings, seed, sample_condition, truncation, return_stage1=True
        )
        return {"images": images, "stage1_images": stage1}

    def from_text(texts, seed):
        blank = tf.equal(tf.strings.length(tf.strings.strip(texts)), 0)
        checks = [
            tf.debugging.assert_positive(tf.size(texts), message="texts: give at least one text"),
            tf.debugging.Assert(
                tf.logical_not(tf.reduce_any(blank)), ["texts must not be empty or blank"]
            ),
        ]
        with tf.control_dependencies(checks):
            return outputs(pipeline.text_encoder(tf.identity(texts)), seed)

    def from_embedding(embeddings, seed):
        checks = [
            tf.debugging.assert_positive(
                tf.shape(embeddings)[0], message="embeddings: give at least one row"
            ),
            tf.debugging.assert_all_finite(embeddings, "embeddings hold NaN or inf values"),
        ]
        with tf.control_dependencies(checks):
            return outputs(tf.identity(embeddings), seed)

    archive = keras.export.ExportArchive()
    archive.track(pipeline.text_encoder)
    archive.track(pipeline.stage1_generator)
    if pipeline.stage2_generator is not None:
        archive.track(pipeline.stage2_generator)
    seed_spec = tf.TensorSpec([], tf.int64, name="seed")
    archive.add_endpoint(
        "generate_from_text",
        from_text,
        input_signature=[tf.TensorSpec([None], tf.string, name="texts"), seed_spec],
    )
    archive.add_endpoint(
        "generate_from_embedding",
        from_embedding,
        input_signature=[
            tf.TensorSpec([None, pipeline.embedding_dim], tf.float32, name="embeddings"),
            seed_spec,
        ],
    )
    # Written under a hidden name (TF Serving loads only folders named by a number) and renamed
    # into place, so a kill mid-write never leaves a half-written version folder.
    base.mkdir(parents=True, exist_ok=True)
    temporary = base / f".export-{int(version)}-{uuid.uuid4().hex[:8]}"
    try:
        archive.write_out(str(temporary), verbose=False)
        try:
            os.rename(temporary, target)  # replaces an empty folder, never a full one
        except OSError as error:
            raise ValueError(f"{target} appeared while exporting ({error}); export again") from None
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    return target
