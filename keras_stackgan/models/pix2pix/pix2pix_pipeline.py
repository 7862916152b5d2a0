"""``Pix2PixPipeline``: a trained pix2pix generator as uint8 image -> uint8 image translation."""

from __future__ import annotations

import json
import os
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from keras_stackgan.images import to_uint8_tensor
from keras_stackgan.models.noise import random_seed
from keras_stackgan.models.pix2pix.unet_generator import UNetGenerator

PIPELINE = "keras_stackgan>Pix2PixPipeline"
WEIGHTS_FILE = "generator.weights.h5"
_SALT_DROPOUT = 5  # the dropout noise of a translation


def dropout_noise(num_images, noise_dim: int, seed) -> tf.Tensor:
    """U[0, 1) float32 ``[num_images, noise_dim]`` keyed by ``seed`` (stateless, traceable)."""
    key = tf.stack([tf.cast(seed, tf.int64), tf.constant(_SALT_DROPOUT, tf.int64)])
    return tf.random.stateless_uniform([num_images, noise_dim], key, dtype=tf.float32)


@keras.saving.register_keras_serializable(package="keras_stackgan")
class Pix2PixPipeline:
    """A trained :class:`UNetGenerator`, ready to translate uint8 images.

    Images of any size are resized (bilinear, antialiased when shrinking) to the generator's
    ``image_size``, scaled to [-1, 1], translated and returned as uint8. With the paper's
    dropout at inference the dropout masks are drawn from ``seed``, so one seed gives one
    translation, the same here, in any batch split and in the exported SavedModel
    (``export_translator``).

    Args:
        generator: a trained :class:`UNetGenerator`.
        name: str or None, the preset name.
        metadata: dict, what the preset's ``config.json`` says (family, dataset, training).

    Examples:
    ```python
    pix2pix = keras_stackgan.load_pretrained("pix2pix-edges2flowers")
    flowers = pix2pix.translate(edge_maps, seed=0)  # uint8 [n, 64, 64, 3]
    ```
    """

    def __init__(
        self, generator: UNetGenerator, name: str | None = None, metadata: dict | None = None
    ):
        self.generator = generator
        self.name = name
        self.metadata = dict(metadata or {})
        self.image_size = int(generator.image_size)
        self.input_channels = int(generator.input_channels)
        self.output_channels = int(generator.output_channels)
        self.noise_dim = int(generator.dropout_noise_dim)
        self._function = None

    def __repr__(self):
        shape = f"{self.image_size}x{self.image_size}"
        channels = f"{self.input_channels} -> {self.output_channels} channels"
        return f"Pix2PixPipeline(name={self.name!r}, {shape}, {channels})"

    # === Graph-friendly core ===
    def translate_tensor(self, images, noise):
        """uint8 ``[n, H, W, C_in]`` + noise ``[n, noise_dim]`` -> uint8 ``[n, S, S, C_out]``."""
        x = tf.cast(images, tf.float32)
        size = self.image_size
        shrink = tf.logical_or(tf.shape(x)[1] > size, tf.shape(x)[2] > size)
        x = tf.cond(
            tf.reduce_all(tf.equal(tf.shape(x)[1:3], [size, size])),
            lambda: x,
            lambda: tf.cond(
                shrink,
                lambda: tf.image.resize(x, [size, size], antialias=True),
                lambda: tf.image.resize(x, [size, size]),
            ),
        )
        x = tf.ensure_shape(x, [None, size, size, self.input_channels]) / 127.5 - 1.0
        outputs = self.generator({"images": x, "dropout_noise": noise}, training=False)
        return to_uint8_tensor(outputs)

    def translate_with_seed(self, images, seed):
        """The exported signature: uint8 images and an int64 seed -> uint8 translations."""
        return self.translate_tensor(
            images, dropout_noise(tf.shape(images)[0], self.noise_dim, seed)
        )

    def _compiled(self):
        if self._function is None:
            self._function = tf.function(
                self.translate_tensor,
                input_signature=[
                    tf.TensorSpec([None, None, None, self.input_channels], tf.uint8),
                    tf.TensorSpec([None, self.noise_dim], tf.float32),
                ],
            )
        return self._function

    # === Python API ===
    def as_batch(self, images) -> tuple[list[np.ndarray], bool]:
        """Images as uint8 ``[H, W, C_in]`` arrays, and whether one image was given."""
        if isinstance(images, np.ndarray | tf.Tensor) and np.ndim(images) in (2, 3):
            images, single = [np.asarray(images)], True
        elif isinstance(images, np.ndarray | tf.Tensor):
            images, single = list(np.asarray(images)), False
        else:
            images, single = [np.asarray(image) for image in images], False
        out = []
        for image in images:
            if image.dtype != np.uint8:
                raise ValueError(f"images must be uint8 in [0, 255], received {image.dtype}")
            if image.ndim == 2:
                image = image[..., None]
            if image.ndim != 3 or min(image.shape[:2]) < 1:
                raise ValueError(f"an image must be [H, W] or [H, W, C], received {image.shape}")
            channels = image.shape[-1]
            if channels == 4:  # RGBA: drop alpha
                image, channels = image[..., :3], 3
            if channels != self.input_channels:
                if channels == 1 and self.input_channels == 3:
                    image = np.repeat(image, 3, axis=-1)
                elif channels == 3 and self.input_channels == 1:
                    image = tf.image.rgb_to_grayscale(image).numpy()
                else:
                    raise ValueError(
                        f"{self.name or 'The model'} takes {self.input_channels}-channel "
                        f"images, received {image.shape}"
                    )
            out.append(image)
        if not out:
            raise ValueError("give at least one image")
        return out, single

    def translate(self, images, seed: int | None = 0, batch_size: int = 32) -> np.ndarray:
        """Translates images: uint8 in, uint8 ``[n, S, S, C_out]`` out.

        Args:
            images: one uint8 image ``[H, W]`` / ``[H, W, C]`` (the result drops the batch
                axis), a uint8 batch ``[n, H, W, C]``, or a list of images of any sizes. Each
                is resized to ``S x S``; grey inputs of an RGB model are repeated on 3
                channels, RGBA loses alpha.
            seed: int, seed of the dropout masks (None: a fresh random one). The same seed and
                images give the same output whatever ``batch_size``.
            batch_size: int, images per forward pass (memory vs speed).

        Returns:
            uint8 ``[n, S, S, C_out]`` (or ``[S, S, C_out]`` for a single image).
        """
        batch, single = self.as_batch(images)
        if int(batch_size) < 1:
            raise ValueError(f"batch_size must be >= 1, received {batch_size}")
        seed = random_seed() if seed is None else int(seed)
        noise = dropout_noise(len(batch), self.noise_dim, seed).numpy()
        function = self._compiled()
        outputs = []
        same_size = len({image.shape for image in batch}) == 1
        step = int(batch_size) if same_size else 1
        stacked = np.stack(batch) if same_size else None
        for start in range(0, len(batch), step):
            chunk = stacked[start : start + step] if same_size else batch[start][None]
            outputs.append(function(chunk, noise[start : start + step]).numpy())
        result = np.concatenate(outputs)
        return result[0] if single else result

    def grid(self, images, columns: int, captions=None):
        """A ``PIL.Image`` sheet of uint8 images, ``columns`` wide, optional captions."""
        from keras_stackgan.visual.grid import image_grid

        return image_grid(images, columns, captions)

    # === Presets ===
    def save_preset(self, directory: str | os.PathLike, **metadata) -> Path:
        """Writes ``config.json`` (naming this class for ``load_pretrained``) and the weights.

        Args:
            directory: the preset folder (created).
            **metadata: JSON-able fields of ``config.json`` (``family``, ``dataset``,
                ``direction``, ``training``, ...).
        """
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.generator.save_weights(str(directory / WEIGHTS_FILE))
        config = {
            "format_version": 1,
            "pipeline": PIPELINE,
            "name": self.name,
            **{k: v for k, v in self.metadata.items() if k not in ("pipeline", "weights")},
            **metadata,
            "weights": {"generator": WEIGHTS_FILE},
            "unet_generator": keras.saving.serialize_keras_object(self.generator),
        }
        (directory / "config.json").write_text(json.dumps(config, indent=2) + "\n", "utf-8")
        return directory

    @classmethod
    def from_preset_dir(cls, directory: str | os.PathLike, config: dict) -> Pix2PixPipeline:
        """Loads a folder written by ``save_preset`` (``load_pretrained``'s hook)."""
        directory = Path(directory)
        weights = config["weights"]["generator"]
        if Path(weights).name != weights:
            raise ValueError(f"Weight file names must be plain file names, received {weights!r}")
        generator = keras.saving.deserialize_keras_object(config["unet_generator"], safe_mode=True)
        if not isinstance(generator, UNetGenerator):
            raise ValueError(f"{directory}: the generator is a {type(generator).__name__}")
        generator.load_weights(str(directory / weights))
        metadata = {k: v for k, v in config.items() if k != "unet_generator"}
        return cls(generator, name=config.get("name") or directory.name, metadata=metadata)

    # === Config (a registered Keras class, so a preset can name it) ===
    def get_config(self) -> dict:
        return {
            "generator": keras.saving.serialize_keras_object(self.generator),
            "name": self.name,
            "metadata": self.metadata,
        }

    @classmethod
    def from_config(cls, config: dict) -> Pix2PixPipeline:
        config = dict(config)
        config["generator"] = keras.saving.deserialize_keras_object(config["generator"])
        return cls(**config)
