"""``VQVAE2Pipeline``: a VQ-VAE-2 and its priors as uint8 images from a seed, or reconstructions."""

from __future__ import annotations

import json
import os
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from keras_stackgan.images import to_uint8_tensor
from keras_stackgan.models.noise import random_seed
from keras_stackgan.models.vae.vae_pipeline import images_to_float
from keras_stackgan.models.vqvae.pixelcnn_sampling import sample_indices, sampling_uniforms

PIPELINE = "keras_stackgan>VQVAE2Pipeline"
_SALT_TOP, _SALT_BOTTOM, _SALT_LABELS = 11, 12, 13
MAX_IMAGES = 10_000
NETWORKS = ("autoencoder", "bottom_prior", "top_prior")


def _plain_name(name: str) -> str:
    if Path(name).name != name or name in {"", ".", ".."}:
        raise ValueError(f"Weight file names must be plain file names, received {name!r}")
    return name


@keras.saving.register_keras_serializable(package="keras_stackgan")
class VQVAE2Pipeline:
    """A trained VQ-VAE-2 (or VQ-VAE) with its PixelCNN priors, ready to draw uint8 images.

    ``generate`` samples the top grid from the top prior, the bottom grid from the bottom prior
    given the top one, and decodes both (Razavi et al. 2019, algorithm 1, stage 2); with a
    single-level ``VQVAE`` it samples the one grid. ``reconstruct`` encodes and decodes.

    Args:
        autoencoder: ``VQVAE2`` (or ``VQVAE``).
        bottom_prior: ``GatedPixelCNN`` over the bottom codes (conditioned on the top codes for
            VQ-VAE-2).
        top_prior: ``GatedPixelCNN`` over the top codes (None for VQ-VAE).
        name: str or None, the preset name.
        metadata: dict or None, what the preset's ``config.json`` says.

    Examples:
    ```python
    vq = keras_stackgan.load_pretrained("vqvae2-flowers")
    flowers = vq.generate(8, seed=0)  # uint8 [8, 64, 64, 3], 64 + 256 prior passes
    same = vq.reconstruct(flowers)  # uint8 [8, 64, 64, 3]
    ```
    """

    def __init__(
        self,
        autoencoder: keras.Model,
        bottom_prior: keras.Model,
        top_prior: keras.Model | None = None,
        name: str | None = None,
        metadata: dict | None = None,
    ):
        self.autoencoder = autoencoder
        self.bottom_prior = bottom_prior
        self.top_prior = top_prior
        self.name = name
        self.metadata = dict(metadata or {})
        self.image_size = int(autoencoder.image_size)
        self.channels = int(autoencoder.channels)
        self.num_classes = int(bottom_prior.num_classes)
        self._functions = {}

    def __repr__(self):
        size = f"{self.image_size}x{self.image_size}x{self.channels}"
        return f"VQVAE2Pipeline(name={self.name!r}, {size})"

    # === Graph-friendly core ===
    def images_from_codes(self, codes: dict):
        """uint8 ``[n, S, S, C]`` decoded from index grids, in TF ops."""
        if self.top_prior is None:
            images = self.autoencoder.decode_indices(codes["bottom_indices"])
        else:
            images = self.autoencoder.decode_indices(codes["top_indices"], codes["bottom_indices"])
        return to_uint8_tensor(images)

    def images_from_seed(self, num_images, seed, labels=None, temperature: float = 1.0):
        """uint8 ``[num_images, S, S, C]`` sampled for ``seed`` (traceable; exported)."""
        return self._batch_images(seed, 0, num_images, labels, temperature)

    def _sampler(self, temperature: float):
        if temperature not in self._functions:
            spec = [
                tf.TensorSpec([], tf.int64),
                tf.TensorSpec([], tf.int32),
                tf.TensorSpec([None], tf.int32),
            ]

            def sample(seed, offset, labels):
                # Draws for images offset .. offset + n of the request (batch-independent).
                n = tf.shape(labels)[0]
                return self._batch_images(seed, offset, n, labels, temperature)

            self._functions[temperature] = tf.function(sample, input_signature=spec)
        return self._functions[temperature]

    def _batch_images(self, seed, offset, n, labels, temperature):
        # Images offset .. offset + n of a request: prior codes, then the decoder.
        total = offset + n
        codes, condition = {}, None
        if self.top_prior is not None:
            u = sampling_uniforms(total, self.top_prior.grid_size, seed, _SALT_TOP)[offset:]
            codes["top_indices"] = sample_indices(self.top_prior, u, labels, None, temperature)
            condition = codes["top_indices"]
        u = sampling_uniforms(total, self.bottom_prior.grid_size, seed, _SALT_BOTTOM)[offset:]
        codes["bottom_indices"] = sample_indices(
            self.bottom_prior, u, labels, condition, temperature
        )
        return self.images_from_codes(codes)

    # === Python API ===
    def generate(
        self,
        num_images: int = 1,
        seed: int | None = None,
        labels=None,
        temperature: float = 1.0,
        batch_size: int = 250,
    ) -> np.ndarray:
        """Samples new images from the priors: uint8 ``[num_images, S, S, C]``.

        Args:
            num_images: int in 1..10,000.
            seed: int or None (a random seed); the same seed gives the same images, whatever
                the ``batch_size``.
            labels: class ids, one per image (class-conditional priors only); drawn uniformly
                from ``seed`` when omitted.
            temperature: float > 0, divides the prior logits (below 1: less varied images).
            batch_size: images per sampling pass.
        """
        if isinstance(num_images, bool) or not 1 <= int(num_images) <= MAX_IMAGES:
            raise ValueError(f"num_images must be in 1..{MAX_IMAGES}, received {num_images}")
        if not float(temperature) > 0:
            raise ValueError(f"temperature must be > 0, received {temperature}")
        n, seed = int(num_images), random_seed() if seed is None else int(seed)
        if labels is not None and not self.num_classes:
            raise ValueError(f"{self.name or 'This model'} is unconditional: no labels.")
        if self.num_classes and labels is None:
            key = tf.constant([seed, _SALT_LABELS], tf.int64)
            labels = tf.random.stateless_uniform([n], key, 0, self.num_classes, tf.int32).numpy()
        labels = np.zeros([n], np.int32) if labels is None else np.asarray(labels, np.int32)
        if labels.shape != (n,):
            labels = np.broadcast_to(labels, (n,)).astype(np.int32)
        sampler = self._sampler(float(temperature))
        out = [
            sampler(np.int64(seed), np.int32(i), labels[i : i + batch_size]).numpy()
            for i in range(0, n, batch_size)
        ]
        return np.concatenate(out)

    def encode(self, images, batch_size: int = 128) -> dict:
        """The index grids of uint8 images: ``{"top_indices", "bottom_indices"}`` int32."""
        x = images_to_float(images, self.image_size, self.channels)
        keys = [f"{level}_indices" for level in self.autoencoder.levels]
        parts = {key: [] for key in keys}
        for i in range(0, len(x), batch_size):
            out = self.autoencoder(x[i : i + batch_size], training=False)
            for key in keys:
                parts[key].append(keras.ops.convert_to_numpy(out[key]))
        return {key: np.concatenate(value) for key, value in parts.items()}

    def reconstruct(self, images, batch_size: int = 128) -> np.ndarray:
        """uint8 reconstructions ``[n, S, S, C]`` of uint8 images (through the codebooks)."""
        return reconstruct_images(self.autoencoder, images, batch_size)

    def decode(self, codes: dict) -> np.ndarray:
        """uint8 images of index grids ``{"top_indices", "bottom_indices"}`` (numpy)."""
        tensors = {k: tf.convert_to_tensor(v, tf.int32) for k, v in codes.items()}
        return self.images_from_codes(tensors).numpy()

    # === Presets ===
    def networks(self) -> dict:
        return {key: getattr(self, key) for key in NETWORKS if getattr(self, key) is not None}

    def save_preset(self, directory: str | os.PathLike, *, dataset: str, training: dict) -> Path:
        """Writes ``config.json`` and one ``<network>.weights.h5`` per network."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        weights = {}
        config = {"format_version": 1, "pipeline": PIPELINE, "preset": self.name}
        config.update({"family": "vqvae2", "dataset": dataset})
        for key, network in self.networks().items():
            weights[key] = f"{key}.weights.h5"
            network.save_weights(str(directory / weights[key]))
            config[key] = keras.saving.serialize_keras_object(network)
        config["weights"] = weights
        config["training"] = training
        text = json.dumps(config, indent=2) + "\n"
        (directory / "config.json").write_text(text, encoding="utf-8")
        return directory

    @classmethod
    def from_preset_dir(
        cls, directory: str | os.PathLike, config: dict, name: str | None = None
    ) -> VQVAE2Pipeline:
        """The pipeline of a preset folder written by ``save_preset`` (``load_pretrained``'s
        hook)."""
        import keras_stackgan.models.vqvae  # noqa: F401 (registers the networks)

        directory = Path(directory)
        networks = {}
        for key in NETWORKS:
            if config.get(key) is None:
                continue
            networks[key] = keras.saving.deserialize_keras_object(config[key])
            networks[key].load_weights(str(directory / _plain_name(config["weights"][key])))
        metadata = {k: v for k, v in config.items() if k not in NETWORKS}
        name = name or config.get("preset") or directory.name
        return cls(**networks, name=name, metadata=metadata)

    # === Config ===
    def get_config(self) -> dict:
        config = {k: keras.saving.serialize_keras_object(v) for k, v in self.networks().items()}
        config.setdefault("top_prior", None)
        return {**config, "name": self.name, "metadata": self.metadata}

    @classmethod
    def from_config(cls, config: dict) -> VQVAE2Pipeline:
        config = dict(config)
        for key in NETWORKS:
            if config.get(key) is not None:
                config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)


def reconstruct_images(autoencoder: keras.Model, images, batch_size: int = 128) -> np.ndarray:
    """uint8 reconstructions ``[n, S, S, C]`` of uint8 images by a ``VQVAE`` / ``VQVAE2``."""
    x = images_to_float(images, autoencoder.image_size, autoencoder.channels)
    out = [
        to_uint8_tensor(autoencoder(x[i : i + batch_size])["reconstruction"]).numpy()
        for i in range(0, len(x), batch_size)
    ]
    return np.concatenate(out)
