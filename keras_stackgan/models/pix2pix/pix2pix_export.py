"""SavedModel export of a ``Pix2PixPipeline``: uint8 images and a seed in, uint8 images out."""

from __future__ import annotations

import os
from pathlib import Path

import keras
import tensorflow as tf

from keras_stackgan.models.pix2pix.pix2pix_pipeline import Pix2PixPipeline


def export_translator(pipeline: Pix2PixPipeline, path: str | os.PathLike, version: int = 1) -> Path:
    """Writes ``pipeline`` as a TF Serving SavedModel under ``<path>/<version>/``.

    Signature ``translate`` (also ``serving_default``): ``images`` uint8 ``[n, H, W, C_in]``
    (any H, W; resized in the graph) and ``seed`` int64 ``[]`` -> uint8
    ``[n, S, S, C_out]``: the same ops as ``pipeline.translate(images, seed=seed)``, so the two
    give identical pixels.

    Args:
        pipeline: the ``Pix2PixPipeline`` (e.g. ``load_pretrained("pix2pix-edges2flowers")``).
        path: the model base path TF Serving is pointed at.
        version: int >= 1, the version folder.

    Returns:
        The version folder.

    Raises:
        ValueError: for a version below 1 or an existing non-empty version folder.

    Examples:
    ```python
    folder = export_translator(load_pretrained("pix2pix-edges2flowers"), "/models/edges")
    served = tf.saved_model.load(str(folder))
    out = served.translate(images=edges_uint8, seed=tf.constant(0, tf.int64))
    ```
    """
    if int(version) < 1:
        raise ValueError(f"version must be >= 1, received {version}")
    target = Path(path) / str(int(version))
    if target.exists() and any(target.iterdir()):
        raise ValueError(f"{target} exists and is not empty; choose another version.")
    archive = keras.export.ExportArchive()
    archive.track(pipeline.generator)
    archive.add_endpoint(
        "translate",
        pipeline.translate_with_seed,
        input_signature=[
            tf.TensorSpec([None, None, None, pipeline.input_channels], tf.uint8, name="images"),
            tf.TensorSpec([], tf.int64, name="seed"),
        ],
    )
    archive.write_out(str(target), verbose=False)
    return target
