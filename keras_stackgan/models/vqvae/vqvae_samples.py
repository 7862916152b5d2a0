"""Sample sheets of VQ-VAE runs after each epoch: reconstructions, then prior samples."""

from __future__ import annotations

import numpy as np

from keras_stackgan.callbacks import GeneratorSamples


class ReconstructionSamples(GeneratorSamples):
    """``GeneratorSamples`` for a ``VQVAETrainer``: fixed images next to their reconstructions.

    Args:
        directory: folder of the PNGs.
        images: uint8 ``[n, S, S, C]``, the fixed images (held out).
        every: int, write every this many epochs (and after the last).

    The sheet has two columns per image pair when ``columns`` is ``2 * k``: originals in the
    first ``k`` columns, reconstructions in the last ``k``.
    """

    def __init__(self, directory, images, columns: int = 8, every: int = 1):
        super().__init__(directory, num_images=2 * len(images), columns=columns, every=every)
        self.images = np.asarray(images)

    def render(self):
        from keras_stackgan.models.vqvae.vqvae2_pipeline import reconstruct_images

        return np.concatenate(
            [self.images, reconstruct_images(self.model.autoencoder, self.images)]
        )


class PriorSamples(GeneratorSamples):
    """``GeneratorSamples`` for a ``VQPriorTrainer``: images sampled from the priors (seed)."""

    def render(self):
        from keras_stackgan.models.vqvae.vqvae2_pipeline import VQVAE2Pipeline

        model = self.model
        pipeline = VQVAE2Pipeline(model.autoencoder, model.bottom_prior, model.top_prior)
        return pipeline.generate(self.num_images, seed=self.seed)
