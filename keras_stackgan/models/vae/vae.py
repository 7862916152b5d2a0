"""``VAE``: the variational autoencoder's training step (Kingma & Welling 2014, algorithm 1)."""

from __future__ import annotations

import random

import keras
from keras import ops

from keras_stackgan.losses import bernoulli_nll, gaussian_kl
from keras_stackgan.models.adversarial import TEST_STEP
from keras_stackgan.models.noise import replica_normal
from keras_stackgan.models.one_optimizer import OneOptimizerModel, TrainerWeights

__all__ = ["VAE", "TrainerWeights", "build_vae"]

_SALT_EPSILON = 1  # the reparameterisation noise of a training step


@keras.saving.register_keras_serializable(package="keras_stackgan")
class VAE(OneOptimizerModel):
    """Trains an encoder ``q(z | x)`` and a Bernoulli decoder ``p(x | z)`` on the negative ELBO.

    One ``fit`` step is the AEVB algorithm (Kingma & Welling 2014, algorithm 1) with one
    sample per image: ``(mu, log sigma^2) = encoder(x)``; ``z = mu + sigma * epsilon`` with
    ``epsilon ~ N(0, I)`` (the reparameterisation trick, noise keyed by the step, see
    ``keras_stackgan.models.noise``); ``loss = -log p(x | z) + KL(q(z | x) || N(0, I))``, both
    in nats per image, the KL in closed form (appendix B). Pixel values in [0, 1] are the
    Bernoulli targets (the grey levels as probabilities, not binarised). ``evaluate`` reports
    the same quantities with fixed noise: its ``loss`` is a one-sample estimate of the negative
    ELBO, an upper bound of ``-log p(x)``.

    Args:
        encoder: ``VAEEncoder`` or ``ConvVAEEncoder`` (images in [-1, 1] -> ``mean``,
            ``log_var``).
        decoder: ``VAEDecoder`` or ``ConvVAEDecoder`` (``z`` -> float32 logits).
        seed: int or None, seed of the training noise (a random one when None).

    Inputs of ``fit``: batches of images ``[B, S, S, C]`` in [-1, 1], or ``(images, labels)``
    (labels are ignored). ``compile()`` defaults to Adam(1e-3).

    Examples:
    ```python
    vae = VAE(VAEEncoder(), VAEDecoder(), seed=0)
    vae.compile()  # Adam(1e-3)
    vae.fit(make_mnist_dataset("../shared/data/mnist", batch_size=100), epochs=10)
    ```
    """

    metric_names = ("loss", "reconstruction", "kl")

    def __init__(
        self,
        encoder: keras.Model,
        decoder: keras.Model,
        seed: int | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.seed = seed
        self._seed_value = random.randint(0, 2**31 - 1) if seed is None else int(seed)
        self.latent_dim = int(decoder.latent_dim)

    # === The algorithm ===
    def negative_elbo(self, images, epsilon, training: bool = False) -> dict:
        """``{"loss", "reconstruction", "kl"}`` (float32 nats per image) for ``epsilon``.

        Args:
            images: float ``[B, S, S, C]`` in [-1, 1].
            epsilon: float ``[B, latent_dim]``, the N(0, I) draw of the reparameterisation.
        """
        posterior = self.encoder(images, training=training)
        mean, log_var = posterior["mean"], posterior["log_var"]
        z = mean + ops.exp(0.5 * log_var) * epsilon
        logits = self.decoder(z, training=training)
        reconstruction = bernoulli_nll((ops.cast(images, "float32") + 1.0) * 0.5, logits)
        kl = gaussian_kl(mean, log_var)
        return {"loss": reconstruction + kl, "reconstruction": reconstruction, "kl": kl}

    def losses_of(self, data, training: bool = False) -> dict:
        images = data[0] if isinstance(data, tuple | list) else data
        step = self.optimizer.iterations if training else TEST_STEP
        epsilon = replica_normal(
            ops.shape(images)[0], self.latent_dim, self._seed_value, step, _SALT_EPSILON
        )
        return self.negative_elbo(images, epsilon, training=training)

    # === Config ===
    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "encoder": keras.saving.serialize_keras_object(self.encoder),
            "decoder": keras.saving.serialize_keras_object(self.decoder),
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("encoder", "decoder"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)


def build_vae(config, seed: int | None = None) -> VAE:
    """An uncompiled ``VAE`` of a ``VAEConfig`` (dense or convolutional networks)."""
    from keras_stackgan.models.vae.conv_vae_decoder import ConvVAEDecoder
    from keras_stackgan.models.vae.conv_vae_encoder import ConvVAEEncoder
    from keras_stackgan.models.vae.vae_decoder import VAEDecoder
    from keras_stackgan.models.vae.vae_encoder import VAEEncoder

    sizes = {
        "image_size": config.image_size,
        "channels": config.channels,
        "latent_dim": config.latent_dim,
    }
    if config.architecture == "dense":
        encoder = VAEEncoder(hidden_dim=config.hidden_dim, **sizes)
        decoder = VAEDecoder(hidden_dim=config.hidden_dim, **sizes)
    elif config.architecture == "conv":
        encoder = ConvVAEEncoder(filters=config.filters, **sizes)
        decoder = ConvVAEDecoder(filters=config.filters, **sizes)
    else:
        raise ValueError(f'architecture must be "dense" or "conv", got {config.architecture!r}')
    return VAE(encoder, decoder, seed=seed)
