"""``VQPriorTrainer``: fits gated PixelCNN priors to a frozen VQ-VAE(-2)'s codes."""

from __future__ import annotations

import keras
import tensorflow as tf

from keras_stackgan.losses import autoregressive_nll
from keras_stackgan.models.one_optimizer import OneOptimizerModel


@keras.saving.register_keras_serializable(package="keras_stackgan")
class VQPriorTrainer(OneOptimizerModel):
    """Maximum likelihood of the codes of a frozen autoencoder under PixelCNN priors.

    van den Oord et al. (2017, section 3.3) and Razavi et al. (2019, algorithm 1, stage 2):
    after the VQ-VAE is trained, each training image is encoded to its index grids and the
    priors are fitted to them; for VQ-VAE-2 ``p(top) p(bottom | top)``, the bottom prior
    taking the top grid as its condition. One step::

        loss = -log p(top) / (h w) - log p(bottom | top) / (H W)    (nats per code)

    ``compile()`` defaults to Adam(3e-4).

    Args:
        autoencoder: a trained ``VQVAE`` or ``VQVAE2`` (frozen here).
        bottom_prior: ``GatedPixelCNN`` over the bottom grid (conditioned on the top grid
            when there is a ``top_prior``).
        top_prior: ``GatedPixelCNN`` over the top grid (VQ-VAE-2), or None (VQ-VAE).

    Inputs of ``fit``: ``(images, labels)`` (labels used by class-conditional priors) or
    images.
    """

    default_learning_rate = 3e-4

    def __init__(
        self,
        autoencoder: keras.Model,
        bottom_prior: keras.Model,
        top_prior: keras.Model | None = None,
        **kwargs,
    ):
        self.metric_names = ("loss", "bottom_nll") + (("top_nll",) if top_prior else ())
        super().__init__(**kwargs)
        self.autoencoder = autoencoder
        self.autoencoder.trainable = False
        self.bottom_prior = bottom_prior
        self.top_prior = top_prior

    def losses_of(self, data, training: bool = False) -> dict:
        """Float32 negative log-likelihoods (nats per code) of a batch's codes."""
        images, labels = data if isinstance(data, tuple | list) else (data, None)
        codes = self.autoencoder(images, training=False)
        bottom = tf.stop_gradient(codes["bottom_indices"])
        extra = {"labels": labels} if self.bottom_prior.num_classes else {}
        values, bottom_inputs = {}, {"indices": bottom, **extra}
        if self.top_prior is not None:
            top = tf.stop_gradient(codes["top_indices"])
            top_logits = self.top_prior({"indices": top, **extra}, training=training)
            values["top_nll"] = autoregressive_nll(top, top_logits)
            bottom_inputs["condition"] = top
        logits = self.bottom_prior(bottom_inputs, training=training)
        values["bottom_nll"] = autoregressive_nll(bottom, logits)
        values["loss"] = values["bottom_nll"] + values.get("top_nll", 0.0)
        return values

    def get_config(self):
        serialize = keras.saving.serialize_keras_object
        return {
            "name": self.name,
            "trainable": self.trainable,
            "autoencoder": serialize(self.autoencoder),
            "bottom_prior": serialize(self.bottom_prior),
            "top_prior": None if self.top_prior is None else serialize(self.top_prior),
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("autoencoder", "bottom_prior", "top_prior"):
            if config.get(key) is not None:
                config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)
