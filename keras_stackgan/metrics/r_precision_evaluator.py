"""``RPrecisionEvaluator``: an image encoder trained onto the frozen sentence encoder, for
R-precision of generated images against their captions."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from keras_stackgan.metrics.evaluator_files import (
    WEIGHTS_FILE,
    read_config,
    resolve_evaluator_dir,
    write_config,
)
from keras_stackgan.metrics.evaluator_presets import r_precision_aliases, r_precision_presets
from keras_stackgan.metrics.image_batches import iterate_batches, prepare_images
from keras_stackgan.metrics.r_precision import RPrecisionResult, encode_texts, r_precision

DEFAULT_TEXT_ENCODER = "all_minilm_l6_v2_en"


class RPrecisionEvaluator:
    """Image and text encoders sharing one embedding space, for R-precision.

    The image encoder (a ``keras.Model`` on float ``[-1, 1]`` images, e.g.
    ``SmallImageEncoder``) was trained contrastively (symmetric InfoNCE, DAMSM's sentence loss)
    onto the *frozen* text encoder's embeddings, the shipped ``SentenceEncoder`` by default,
    which is loaded on first use. R-precision then asks whether each image's own caption scores
    highest among 1 true + 99 mismatched ones (AttnGAN's protocol, with our encoders instead of
    DAMSM's: values are comparable with other values of this evaluator, not with AttnGAN's
    67.8 %). The model card gives the ceiling measured on real held-out images.

    Args:
        image_encoder: ``keras.Model``, ``[B, S, S, 3]`` float in ``[-1, 1]`` -> ``[B, D]``.
        text_encoder: object with ``encode(list[str]) -> [n, D]``, or a ``SentenceEncoder``
            preset name (loaded lazily). Defaults to ``"all_minilm_l6_v2_en"``.
        metadata: optional dict saved with the evaluator (data, ceiling, ...).
        batch_size: int. Images per forward pass. Defaults to 128.

    Examples:
    ```python
    evaluator = RPrecisionEvaluator.from_pretrained("birds")
    result = evaluator.r_precision(fake_images, captions, class_ids=labels)
    result.mean, result.std, result.chance  # e.g. 0.45, 0.50, 0.01
    ```
    """

    def __init__(
        self,
        image_encoder: keras.Model,
        text_encoder=DEFAULT_TEXT_ENCODER,
        metadata: dict | None = None,
        batch_size: int = 128,
    ):
        self.image_encoder = image_encoder
        self._text_encoder = text_encoder
        self.metadata = dict(metadata or {})
        self.batch_size = int(batch_size)
        self.image_size = int(image_encoder.input_shape[1])
        size = self.image_size
        self._forward = tf.function(
            lambda x: image_encoder(x, training=False),
            input_signature=[tf.TensorSpec([None, size, size, 3], tf.float32)],
        )

    @property
    def text_encoder(self):
        """The text encoder (a preset name is loaded here, once)."""
        if isinstance(self._text_encoder, str):
            from keras_stackgan.text import SentenceEncoder

            self._text_encoder = SentenceEncoder.from_pretrained(self._text_encoder)
        return self._text_encoder

    def encode_images(self, images) -> np.ndarray:
        """Image embeddings, float32 ``[n, D]``, of uint8 ``[0, 255]`` or float ``[-1, 1]``
        images of any size (resized to the encoder's input, batch by batch)."""
        outputs = [
            np.asarray(self._forward(prepare_images(batch, self.image_size)))
            for batch in iterate_batches(images, self.batch_size)
            if len(batch)
        ]
        return np.concatenate(outputs).astype(np.float32)

    def encode_texts(self, texts: Sequence[str]) -> np.ndarray:
        """Text embeddings, float32 ``[n, D]``, with the (frozen) text encoder."""
        return np.asarray(self.text_encoder.encode(list(texts)), dtype=np.float32)

    def r_precision(
        self,
        images,
        texts_or_embeddings,
        *,
        class_ids=None,
        num_mismatched: int = 99,
        seed: int = 0,
    ) -> RPrecisionResult:
        """``r_precision`` with this evaluator's encoders (captions or their embeddings)."""
        return r_precision(
            images,
            encode_texts(texts_or_embeddings, self),
            self,
            class_ids=class_ids,
            num_mismatched=num_mismatched,
            seed=seed,
        )

    # === Saving and loading ===

    def save(self, directory: str | os.PathLike) -> Path:
        """Writes ``config.json`` and ``model.weights.h5`` (image encoder only) to ``directory``.

        The text encoder is recorded by preset name (it is frozen and shipped separately).
        """
        text_encoder = self._text_encoder
        if not isinstance(text_encoder, str):
            text_encoder = self.metadata.get("text_encoder_preset", DEFAULT_TEXT_ENCODER)
        directory = Path(directory)
        write_config(
            directory,
            {
                "class_name": type(self).__name__,
                "image_encoder": keras.saving.serialize_keras_object(self.image_encoder),
                "text_encoder": text_encoder,
                "metadata": self.metadata,
            },
        )
        clean = type(self.image_encoder).from_config(self.image_encoder.get_config())
        clean.set_weights(self.image_encoder.get_weights())  # no optimizer state in the file
        clean.save_weights(directory / WEIGHTS_FILE)
        return directory

    @classmethod
    def from_directory(
        cls, directory: str | os.PathLike, text_encoder=None, batch_size: int = 128
    ) -> RPrecisionEvaluator:
        """Loads an evaluator written by ``save``; ``text_encoder`` overrides the saved name."""
        config = read_config(directory, cls.__name__)
        image_encoder = keras.saving.deserialize_keras_object(config["image_encoder"])
        image_encoder.load_weights(Path(directory) / WEIGHTS_FILE)
        return cls(
            image_encoder,
            text_encoder if text_encoder is not None else config["text_encoder"],
            config.get("metadata"),
            batch_size,
        )

    @classmethod
    def from_pretrained(
        cls, preset: str | os.PathLike = "birds", text_encoder=None, batch_size: int = 128
    ) -> RPrecisionEvaluator:
        """A shipped evaluator (``"birds"``, alias ``"cub"``) or a directory; offline.

        Raises:
            ValueError: for an unknown name, or a preset whose files are missing.
        """
        directory = resolve_evaluator_dir(
            preset, r_precision_presets, r_precision_aliases, "RPrecisionEvaluator"
        )
        return cls.from_directory(directory, text_encoder, batch_size)

    @staticmethod
    def presets() -> dict:
        """The shipped R-precision evaluator presets (name -> metadata and folder)."""
        return dict(r_precision_presets)
