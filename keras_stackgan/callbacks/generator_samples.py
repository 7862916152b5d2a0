"""``GeneratorSamples``: a fixed sheet of the zoo's noise-to-image generators after each epoch."""

from __future__ import annotations

import os

import keras


class GeneratorSamples(keras.callbacks.Callback):
    """Writes ``<directory>/epoch_NNNN.png``: the same seed, labels and codes every epoch.

    Works with any trainer whose ``generator`` follows ``GeneratorPipeline``'s convention
    (the adversarial zoo: GAN, DCGAN, cGAN, InfoGAN, WGAN, WGAN-GP).

    Args:
        directory: folder of the PNGs.
        num_images: int, images per sheet.
        columns: int, columns of the sheet (consecutive images fill a column).
        labels: optional class ids (one per image) for conditional generators.
        codes: optional continuous codes ``[num_images, code_dim]`` (InfoGAN).
        seed: int, seed of the fixed noise.
        every: int, write every this many epochs (and always after the last).
    """

    def __init__(
        self,
        directory: str | os.PathLike,
        num_images: int = 64,
        columns: int = 8,
        labels=None,
        codes=None,
        seed: int = 0,
        every: int = 1,
    ):
        super().__init__()
        self.directory = os.fspath(directory)
        self.num_images = int(num_images)
        self.columns = int(columns)
        self.labels = labels
        self.codes = codes
        self.seed = int(seed)
        self.every = max(1, int(every))
        self.last_path: str | None = None
        self._pipeline = None

    def render(self):
        """The sheet's images now: uint8 ``[num_images, S, S, C]``."""
        from keras_stackgan.pretrained.generator_pipeline import GeneratorPipeline

        if self._pipeline is None or self._pipeline.generator is not self.model.generator:
            self._pipeline = GeneratorPipeline(self.model.generator, name="samples")
        return self._pipeline.generate(
            self.num_images, labels=self.labels, codes=self.codes, seed=self.seed
        )

    def write(self, epoch: int) -> str:
        """Renders and writes the sheet for ``epoch`` (1-based); returns the PNG path."""
        path = os.path.join(self.directory, f"epoch_{epoch:04d}.png")
        # Imported here: keras_stackgan.visual imports keras_stackgan.models, whose pix2pix
        # package imports this callback, so a top-level import made
        # `import keras_stackgan.callbacks` fail (circular import).
        from keras_stackgan.visual.grid import save_grid

        self.last_path = save_grid(path, self.render(), self.columns)
        return self.last_path

    def on_epoch_end(self, epoch, logs=None):
        last = self.params.get("epochs") if self.params else None
        if (epoch + 1) % self.every == 0 or (last is not None and epoch + 1 == last):
            self.write(epoch + 1)
