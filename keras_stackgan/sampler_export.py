"""SavedModel export of the likelihood models' samplers (VAE, VQ-VAE-2): seed in, images out.

Layout: ``<path>/<version>/saved_model.pb`` + ``variables/``, the versioned folder TF Serving
watches. One endpoint, ``generate``: ``seed`` int64 ``[]`` and
``num_images`` int32 ``[]`` -> ``images`` uint8 ``[num_images, S, S, C]``. The graph draws its
noise (VAE: ``z``; VQ-VAE-2: the uniforms of the prior's ancestral sampling) with the same
stateless ops as the pipeline's ``generate``, so both give the same images for one seed.
"""

from __future__ import annotations

import os
from pathlib import Path

import keras
import tensorflow as tf


def export_sampler(pipeline, path: str | os.PathLike, version: int = 1) -> Path:
    """Writes ``pipeline``'s sampler as a SavedModel under ``<path>/<version>/``.

    Args:
        pipeline: a ``VAEPipeline`` or an unconditional ``VQVAE2Pipeline`` (anything with
            ``networks()`` and a traceable ``images_from_seed(num_images, seed)``).
        path: the model base path.
        version: int >= 1, the version folder.

    Returns:
        The version folder.

    Raises:
        ValueError: for a version below 1, an existing non-empty folder, or a class-conditional
            pipeline (its labels are not part of this signature).

    Examples:
    ```python
    export_sampler(keras_stackgan.load_pretrained("vae-mnist"), "/models/vae_mnist")
    served = tf.saved_model.load("/models/vae_mnist/1")
    images = served.generate(seed=tf.constant(0, tf.int64), num_images=tf.constant(16))
    ```
    """
    if int(version) < 1:
        raise ValueError(f"version must be >= 1, received {version}")
    if getattr(pipeline, "num_classes", 0):
        raise ValueError("export_sampler exports unconditional samplers only")
    target = Path(path) / str(int(version))
    if target.exists() and any(target.iterdir()):
        raise ValueError(f"{target} exists and is not empty; choose another version.")

    def generate(seed, num_images):
        return {"images": pipeline.images_from_seed(num_images, seed)}

    archive = keras.export.ExportArchive()
    for network in pipeline.networks().values():
        archive.track(network)
    archive.add_endpoint(
        "generate",
        generate,
        input_signature=[
            tf.TensorSpec([], tf.int64, name="seed"),
            tf.TensorSpec([], tf.int32, name="num_images"),
        ],
    )
    archive.write_out(str(target), verbose=False)
    return target
