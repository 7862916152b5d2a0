"""``VAEPipeline``: a trained VAE as uint8 images from a seed, an image or a latent vector."""

from __future__ import annotations

import json
import os
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from keras_stackgan.images import to_uint8_tensor
from keras_stackgan.models.noise import random_seed, stateless_normal

PIPELINE = "keras_stackgan>VAEPipeline"  # what a preset's config.json names (load_pretrained)
_SALT_Z = 1
MAX_IMAGES = 10_000


def images_to_float(images, image_size: int, channels: int) -> np.ndarray:
    """uint8 ``[n, S, S, C]`` (or ``[n, S, S]`` grey, or one image) -> float32 in [-1, 1].

    Raises:
        ValueError: for another shape or dtype.
    """
    images = np.asarray(images)
    if images.dtype != np.uint8:
        raise ValueError(f"images must be uint8 in [0, 255], got {images.dtype}")
    if images.ndim == 3 and channels == 1 and images.shape[-1] != 1:
        images = images[..., None]
    if images.ndim == 3:
        images = images[None]
    if images.ndim != 4 or images.shape[1:] != (image_size, image_size, channels):
        raise ValueError(
            f"images must be [n, {image_size}, {image_size}, {channels}] uint8, got {images.shape}"
        )
    return images.astype(np.float32) / 127.5 - 1.0


@keras.saving.register_keras_serializable(package="keras_stackgan")
class VAEPipeline:
    """A trained VAE, ready to sample, encode, decode and reconstruct uint8 images.

    Images come from the decoder's Bernoulli means ``sigmoid(logits)`` (no pixel sampling).
    ``generate`` draws ``z ~ N(0, I)`` from a seed with the zoo's stateless ops, so one seed
    gives the same images in Python and in an exported graph.

    Args:
        encoder: ``VAEEncoder`` / ``ConvVAEEncoder``.
        decoder: ``VAEDecoder`` / ``ConvVAEDecoder``.
        name: str or None, the preset name.
        metadata: dict or None, what the preset's ``config.json`` says.

    Examples:
    ```python
    vae = keras_stackgan.load_pretrained("vae-mnist")
    digits = vae.generate(16, seed=0)  # uint8 [16, 28, 28, 1]
    z = vae.encode(digits)  # float32 [16, 20], the posterior means
    same = vae.reconstruct(digits)  # uint8 [16, 28, 28, 1]
    ```
    """

    def __init__(
        self,
        encoder: keras.Model,
        decoder: keras.Model,
        name: str | None = None,
        metadata: dict | None = None,
    ):
        self.encoder = encoder
        self.decoder = decoder
        self.name = name
        self.metadata = dict(metadata or {})
        self.latent_dim = int(decoder.latent_dim)
        self.image_size = int(decoder.image_size)
        self.channels = int(decoder.channels)
        self._decode_function = None

    def __repr__(self):
        size = f"{self.image_size}x{self.image_size}x{self.channels}"
        return f"VAEPipeline(name={self.name!r}, latent_dim={self.latent_dim}, {size})"

    # === Graph-friendly core ===
    def images_from_latents(self, z):
        """uint8 ``[n, S, S, C]`` of latents ``[n, latent_dim]``, in TF ops (traceable)."""
        logits = self.decoder(z, training=False)
        return to_uint8_tensor(ops.tanh(0.5 * logits))  # 2 sigmoid(l) - 1, in [-1, 1]

    def latents_from_seed(self, num_images, seed):
        """float32 ``z ~ N(0, I)`` ``[num_images, latent_dim]`` keyed by ``seed``."""
        return stateless_normal([num_images, self.latent_dim], seed, _SALT_Z)

    def images_from_seed(self, num_images, seed):
        """uint8 ``[num_images, S, S, C]`` of ``z ~ N(0, I)`` keyed by ``seed`` (traceable;
        what an exported sampler runs, and ``generate``'s images)."""
        return self.images_from_latents(self.latents_from_seed(num_images, seed))

    def networks(self) -> dict:
        """``{"encoder", "decoder"}``: the Keras networks of the pipeline."""
        return {"encoder": self.encoder, "decoder": self.decoder}

    def _decode(self, z):
        if self._decode_function is None:
            spec = tf.TensorSpec([None, self.latent_dim], tf.float32)
            self._decode_function = tf.function(self.images_from_latents, input_signature=[spec])
        return self._decode_function(z).numpy()

    # === Python API ===
    def generate(self, num_images: int = 1, seed: int | None = None, batch_size: int = 256):
        """Samples ``z ~ N(0, I)`` and decodes it: uint8 ``[num_images, S, S, C]``.

        Args:
            num_images: int in 1..10,000.
            seed: int or None (a random seed); the same seed gives the same images.
            batch_size: images per forward pass (never changes the images).
        """
        if isinstance(num_images, bool) or not 1 <= int(num_images) <= MAX_IMAGES:
            raise ValueError(f"num_images must be in 1..{MAX_IMAGES}, received {num_images}")
        seed = random_seed() if seed is None else int(seed)
        z = self.latents_from_seed(int(num_images), seed).numpy()
        return self.decode(z, batch_size)

    def encode(self, images, batch_size: int = 256) -> np.ndarray:
        """Posterior means ``mu(x)``: float32 ``[n, latent_dim]`` of uint8 images."""
        x = images_to_float(images, self.image_size, self.channels)
        means = [
            self.encoder(x[i : i + batch_size], training=False)["mean"]
            for i in range(0, len(x), batch_size)
        ]
        return np.concatenate([keras.ops.convert_to_numpy(m) for m in means])

    def decode(self, z, batch_size: int = 256) -> np.ndarray:
        """uint8 ``[n, S, S, C]`` decoded from latents ``[n, latent_dim]`` (or one vector)."""
        z = np.asarray(z, dtype=np.float32)
        if z.ndim == 1:
            z = z[None]
        if z.ndim != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(f"z must be [n, {self.latent_dim}], got {z.shape}")
        return np.concatenate(
            [self._decode(z[i : i + batch_size]) for i in range(0, len(z), batch_size)]
        )

    def reconstruct(self, images, batch_size: int = 256) -> np.ndarray:
        """``decode(encode(images))``: uint8 reconstructions from the posterior means."""
        return self.decode(self.encode(images, batch_size), batch_size)

    # === Presets ===
    def save_preset(self, directory: str | os.PathLike, *, dataset: str, training: dict) -> Path:
        """Writes ``config.json`` + ``encoder.weights.h5`` + ``decoder.weights.h5``."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        weights = {"encoder": "encoder.weights.h5", "decoder": "decoder.weights.h5"}
        self.encoder.save_weights(str(directory / weights["encoder"]))
        self.decoder.save_weights(str(directory / weights["decoder"]))
        config = {
            "format_version": 1,
            "pipeline": PIPELINE,
            "preset": self.name,
            "family": "vae",
            "dataset": dataset,
            "weights": weights,
            "encoder": keras.saving.serialize_keras_object(self.encoder),
            "decoder": keras.saving.serialize_keras_object(self.decoder),
            "training": training,
        }
        text = json.dumps(config, indent=2) + "\n"
        (directory / "config.json").write_text(text, encoding="utf-8")
        return directory

    @classmethod
    def from_preset_dir(
        cls, directory: str | os.PathLike, config: dict, name: str | None = None
    ) -> VAEPipeline:
        """The pipeline of a preset folder written by ``save_preset`` (``load_pretrained``'s
        hook)."""
        import keras_stackgan.models.vae  # noqa: F401 (registers the networks)

        directory = Path(directory)
        networks = {}
        for key in ("encoder", "decoder"):
            networks[key] = keras.saving.deserialize_keras_object(config[key])
            networks[key].load_weights(str(directory / config["weights"][key]))
        metadata = {k: v for k, v in config.items() if k not in networks}
        return cls(
            networks["encoder"],
            networks["decoder"],
            name=name or config.get("preset") or directory.name,
            metadata=metadata,
        )

    # === Config ===
    def get_config(self) -> dict:
        return {
            "encoder": keras.saving.serialize_keras_object(self.encoder),
            "decoder": keras.saving.serialize_keras_object(self.decoder),
            "name": self.name,
            "metadata": self.metadata,
        }

    @classmethod
    def from_config(cls, config: dict) -> VAEPipeline:
        config = dict(config)
        for key in ("encoder", "decoder"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)


def pipeline_from_trainer(vae, name: str | None = None) -> VAEPipeline:
    """A ``VAEPipeline`` on a ``VAE`` trainer's networks (shared, not copied)."""
    return VAEPipeline(vae.encoder, vae.decoder, name=name)
