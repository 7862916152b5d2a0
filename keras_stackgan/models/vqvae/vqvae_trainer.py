"""``VQVAETrainer``: VQ-VAE's training step (van den Oord et al. 2017, eq. 3), one or two levels."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan.layers.vector_quantizer import batch_perplexity
from keras_stackgan.losses import vector_quantization_loss
from keras_stackgan.models.one_optimizer import OneOptimizerModel


@keras.saving.register_keras_serializable(package="keras_stackgan")
class VQVAETrainer(OneOptimizerModel):
    """Trains a ``VQVAE`` or ``VQVAE2`` on reconstruction + codebook + commitment losses.

    One step, per van den Oord et al. (2017, eq. 3) and Razavi et al. (2019, algorithm 1)::

        loss = ||x - D(e)||^2 + sum_levels ( ||sg[z_e] - e||^2 + beta ||z_e - sg[e]||^2 )

    (the reconstruction a mean squared error on images in [-1, 1]; with EMA codebooks the
    codebook term is replaced by the moving-average update inside ``VectorQuantizer``). The
    decoder's gradient reaches the encoder through the straight-through estimator. Logged:
    ``loss``, ``reconstruction_mse``, ``commitment`` (summed over levels) and
    ``{level}_perplexity`` per batch. ``compile()`` defaults to Adam(3e-4) (Razavi et al.).

    Args:
        autoencoder: ``VQVAE`` or ``VQVAE2``.
        commitment_cost: float, beta (0.25).

    Inputs of ``fit``: images ``[B, S, S, C]`` in [-1, 1], or ``(images, labels)``.
    """

    default_learning_rate = 3e-4

    def __init__(self, autoencoder: keras.Model, commitment_cost: float = 0.25, **kwargs):
        self.levels = tuple(autoencoder.levels)
        self.metric_names = ("loss", "reconstruction_mse", "commitment") + tuple(
            f"{level}_perplexity" for level in self.levels
        )
        super().__init__(**kwargs)
        self.autoencoder = autoencoder
        self.commitment_cost = float(commitment_cost)

    def losses_of(self, data, training: bool = False) -> dict:
        """The step's float32 losses and perplexities for images in [-1, 1]."""
        images = data[0] if isinstance(data, tuple | list) else data
        out = self.autoencoder(images, training=training)
        mse = ops.mean(ops.square(out["reconstruction"] - ops.cast(images, "float32")))
        values = {"reconstruction_mse": mse, "loss": mse, "commitment": 0.0}
        codebook = not self.autoencoder.ema
        for level in self.levels:
            vq = vector_quantization_loss(
                out[f"{level}_encoded"], out[f"{level}_codes"], self.commitment_cost, codebook
            )
            values["loss"] = values["loss"] + vq["loss"]
            values["commitment"] = values["commitment"] + vq["commitment"]
            values[f"{level}_perplexity"] = batch_perplexity(
                out[f"{level}_indices"], self.autoencoder.num_embeddings
            )
        return values

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "autoencoder": keras.saving.serialize_keras_object(self.autoencoder),
            "commitment_cost": self.commitment_cost,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["autoencoder"] = keras.saving.deserialize_keras_object(config["autoencoder"])
        return cls(**config)
