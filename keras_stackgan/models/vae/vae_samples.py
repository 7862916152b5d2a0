"""``VAESamples``: the fixed sample sheet of a ``VAE`` run after each epoch."""

from __future__ import annotations

from keras_stackgan.callbacks import GeneratorSamples


class VAESamples(GeneratorSamples):
    """``GeneratorSamples`` for a ``VAE`` trainer: decoded ``z ~ N(0, I)`` of a fixed seed.

    Args: those of ``GeneratorSamples`` (``labels`` and ``codes`` are not used).
    """

    def render(self):
        from keras_stackgan.models.vae.vae_pipeline import VAEPipeline

        model = self.model
        if self._pipeline is None or self._pipeline.decoder is not model.decoder:
            self._pipeline = VAEPipeline(model.encoder, model.decoder, name="samples")
        return self._pipeline.generate(self.num_images, seed=self.seed)
