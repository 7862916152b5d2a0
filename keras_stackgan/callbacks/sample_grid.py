"""``SampleGrid``: the same captions and the same noise rendered after every epoch."""

from __future__ import annotations

import os
from collections.abc import Sequence

import keras
import numpy as np

from keras_stackgan.images import to_uint8
from keras_stackgan.models.noise import stateless_generation_noise
from keras_stackgan.visual.grid import save_grid


class SampleGrid(keras.callbacks.Callback):
    """Writes a PNG grid (one column per caption, captions underneath) every ``every`` epochs.

    Noise is drawn once from ``seed`` and reused, so successive grids show how the same
    (caption, noise) pairs evolve. With ``log_dir`` the grid is also written as a TensorBoard
    image summary.

    Works with any model that has ``generate(embeddings, noise=...)`` returning images in
    [-1, 1] and ``noise_dim`` (``StageIGAN``, ``StageIIGAN``, ``GANINTCLS``, ``StackGAN``).

    Args:
        embeddings: float array ``[num_captions, embedding_dim]``, the captions' embeddings.
        captions: the ``num_captions`` caption strings, written under the columns.
        directory: folder of the PNGs (``epoch_0001.png``, ...).
        images_per_caption: int. Rows of the grid.
        seed: int. Seed of the fixed noise.
        every: int. Write every this many epochs (and always after the last).
        log_dir: optional TensorBoard folder.
    """

    def __init__(
        self,
        embeddings,
        captions: Sequence[str],
        directory: str | os.PathLike,
        images_per_caption: int = 4,
        seed: int = 0,
        every: int = 1,
        log_dir: str | os.PathLike | None = None,
    ):
        super().__init__()
        embeddings = np.asarray(embeddings, dtype="float32")
        if embeddings.ndim != 2 or len(embeddings) != len(captions):
            raise ValueError(
                f"embeddings must be [len(captions), dim]; got {embeddings.shape} for "
                f"{len(captions)} captions"
            )
        self.captions = list(captions)
        self.embeddings = np.repeat(embeddings, images_per_caption, axis=0)
        self.images_per_caption = images_per_caption
        self.directory = os.fspath(directory)
        self.seed = seed
        self.every = max(1, int(every))
        self.log_dir = None if log_dir is None else os.fspath(log_dir)
        self._noise = None
        self._writer = None
        self.last_path: str | None = None

    def render(self) -> np.ndarray:
        """The grid's images now: uint8 ``[num_captions * images_per_caption, S, S, 3]``."""
        if self._noise is None:
            z, _ = stateless_generation_noise(
                len(self.embeddings), self.model.noise_dim, None, self.seed
            )
            self._noise = z.numpy()
        return to_uint8(self.model.generate(self.embeddings, noise=self._noise))

    def write(self, epoch: int) -> str:
        """Renders and writes the grid for ``epoch`` (1-based); returns the PNG path."""
        images = self.render()
        path = os.path.join(self.directory, f"epoch_{epoch:04d}.png")
        save_grid(path, images, len(self.captions), self.captions)
        self.last_path = path
        if self.log_dir is not None:
            import tensorflow as tf

            if self._writer is None:
                self._writer = tf.summary.create_file_writer(os.path.join(self.log_dir, "samples"))
            from PIL import Image

            grid = np.asarray(Image.open(path).convert("RGB"))[None]
            with self._writer.as_default():
                tf.summary.image("samples", grid, step=epoch)
            self._writer.flush()
        return path

    def on_epoch_end(self, epoch, logs=None):
        last = self.params.get("epochs") if self.params else None
        if (epoch + 1) % self.every == 0 or (last is not None and epoch + 1 == last):
            self.write(epoch + 1)
