"""SavedModel export of a ``StackGANPipeline`` for TF Serving (tokenizer inside the graph).

Layout: ``<path>/<version>/saved_model.pb`` + ``variables/`` + ``assets/`` (the vocabulary), the
versioned folder TF Serving watches. Signatures:

- ``generate_from_text``: ``texts`` tf.string ``[n]``, ``seed`` int64 ``[]`` ->
  ``images`` uint8 ``[n, S, S, 3]``, ``stage1_images`` uint8 ``[n, 64, 64, 3]``.
- ``generate_from_embedding``: ``embeddings`` float32 ``[n, D]``, ``seed`` int64 ``[]`` -> the
  same outputs.

``serving_default`` is ``generate_from_text``. Noise is drawn from ``seed`` with the same
stateless ops as ``StackGANPipeline.generate``, so both give the same images for one seed.
"""

from __future__ import annotations

import os
from pathlib import Path

import keras
import tensorflow as tf

from keras_stackgan.pretrained.pipeline import StackGANPipeline

SIGNATURES = ("generate_from_text", "generate_from_embedding")


def export_saved_model(
    pipeline: StackGANPipeline,
    path: str | os.PathLike,
    version: int = 1,
    sample_condition: bool = False,
    truncation: float | None = None,
) -> Path:
    """Writes ``pipeline`` as a TF Serving SavedModel under ``<path>/<version>/``.

    Args:
        pipeline: the ``StackGANPipeline`` to export (e.g. ``load_pretrained("cub")``).
        path: the model base path TF Serving is pointed at (``--model_base_path``).
        version: int >= 1, the version folder.
        sample_condition, truncation: noise options baked into the graph (see
            ``StackGANPipeline.generate``).

    Returns:
        The version folder, ``<path>/<version>``.

    Raises:
        ValueError: for a version below 1 or an existing non-empty version folder.

    Examples:
    ```python
    export_saved_model(keras_stackgan.load_pretrained("cub"), "/models/stackgan_cub")
    # docker run -p 8501:8501 -v /models/stackgan_cub:/models/stackgan_cub \
    #     -e MODEL_NAME=stackgan_cub tensorflow/serving
    ```
    """
    if int(version) < 1:
        raise ValueError(f"version must be >= 1, received {version}")
    target = Path(path) / str(int(version))
    if target.exists() and any(target.iterdir()):
        raise ValueError(f"{target} exists and is not empty; choose another version.")

    def outputs(embeddings, seed):
        images, stage1 = pipeline.images_from_embeddings(
            embeddings, seed, sample_condition, truncation, return_stage1=True
        )
        return {"images": images, "stage1_images": stage1}

    def from_text(texts, seed):
        return outputs(pipeline.text_encoder(texts), seed)

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
        outputs,
        input_signature=[
            tf.TensorSpec([None, pipeline.embedding_dim], tf.float32, name="embeddings"),
            seed_spec,
        ],
    )
    archive.write_out(str(target), verbose=False)
    return target
