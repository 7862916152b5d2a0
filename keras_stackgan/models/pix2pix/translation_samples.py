"""``TranslationSamples``: a fixed input | output | target sheet of an image-to-image trainer."""

from __future__ import annotations

import os

import numpy as np

from keras_stackgan.callbacks import GeneratorSamples


class TranslationSamples(GeneratorSamples):
    """Writes ``<directory>/epoch_NNNN.png`` after each epoch: fixed pairs, fixed dropout.

    Three columns: the inputs, the trainer generator's translations (inference mode, dropout
    masks from ``seed`` as ``Pix2PixPipeline.translate``) and the targets. A
    ``GeneratorSamples`` (the zoo's per-epoch sheet) whose images come from fixed inputs
    instead of noise, so ``train_zoo_model(..., samples=TranslationSamples(...))`` takes it.

    Args:
        directory: folder of the PNGs.
        inputs: uint8 ``[k, S, S, C]``, the fixed inputs.
        targets: uint8 ``[k, S, S, C]``, their targets.
        seed: int, seed of the dropout masks.
        every: int, write every this many epochs (and always after the last).
    """

    def __init__(
        self,
        directory: str | os.PathLike,
        inputs: np.ndarray,
        targets: np.ndarray,
        seed: int = 0,
        every: int = 1,
    ):
        super().__init__(directory, num_images=3 * len(inputs), columns=3, seed=seed, every=every)
        self.inputs = np.asarray(inputs, np.uint8)
        self.targets = np.asarray(targets, np.uint8)

    def render(self):
        """The sheet's images now: inputs, translations, targets (uint8, column by column)."""
        from keras_stackgan.models.pix2pix.pix2pix_pipeline import Pix2PixPipeline

        if self._pipeline is None or self._pipeline.generator is not self.model.generator:
            self._pipeline = Pix2PixPipeline(self.model.generator, name="samples")
        outputs = self._pipeline.translate(self.inputs, seed=self.seed)
        return np.concatenate([self.inputs, outputs, self.targets])
