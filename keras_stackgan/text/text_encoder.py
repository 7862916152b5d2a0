"""The interface every text encoder implements: strings in, float32 embeddings out."""

from __future__ import annotations

import weakref
from collections.abc import Sequence

import keras
import numpy as np
import tensorflow as tf


def as_string_batch(inputs) -> tf.Tensor:
    """Converts ``inputs`` to a rank-1 ``tf.string`` tensor ``[batch]``, rejecting other dtypes.

    A scalar string becomes a batch of one. Usable inside ``tf.function``.

    Args:
        inputs: a ``tf.string`` tensor of shape ``[batch]`` or ``[]``, or anything
            ``tf.convert_to_tensor`` turns into one (a list of ``str`` or ``bytes``).

    Returns:
        A ``tf.string`` tensor of shape ``[batch]``.

    Raises:
        TypeError: if ``inputs`` is not a string tensor (e.g. token ids or embeddings).
        ValueError: if ``inputs`` has rank 2 or more.
    """
    if isinstance(inputs, tf.RaggedTensor):
        raise TypeError(
            "Text encoders take a dense tf.string tensor of shape [batch], not a RaggedTensor."
        )
    try:
        tensor = tf.convert_to_tensor(inputs)
    except (TypeError, ValueError) as error:
        raise TypeError(
            "Text encoders take a tf.string tensor of shape [batch] (one sentence per row); "
            f"could not convert {type(inputs).__name__} to one: {error}"
        ) from error
    if tensor.dtype != tf.string:
        raise TypeError(
            "Text encoders take a tf.string tensor of shape [batch] (raw sentences), received "
            f"dtype {tensor.dtype.name} with shape {tensor.shape}. Tokenization happens inside the "
            "encoder: pass the text itself, not token ids or embeddings."
        )
    if tensor.shape.rank is not None and tensor.shape.rank > 1:
        raise ValueError(
            "Text encoders take a tf.string tensor of shape [batch] (one sentence per row), "
            f"received shape {tensor.shape}."
        )
    if tensor.shape.rank == 0:
        tensor = tf.reshape(tensor, [1])
    return tensor


def check_texts(texts, allow_empty: bool = False) -> list[str]:
    """Validates the Python-side input of ``TextEncoder.encode``.

    Args:
        texts: a ``str`` (one sentence) or a sequence of ``str`` (list, tuple, 1-D numpy array).
        allow_empty: whether empty or whitespace-only strings are allowed.

    Returns:
        The texts as a list of ``str``.

    Raises:
        TypeError: if ``texts`` or one of its elements is not a ``str``.
        ValueError: if there are no texts, or (unless ``allow_empty``) a text is empty or only
            whitespace.
    """
    if isinstance(texts, str):
        texts = [texts]
    elif isinstance(texts, np.ndarray):
        if texts.ndim != 1:
            raise ValueError(
                f"encode() takes a 1-D sequence of str, got an array of shape {texts.shape}."
            )
        texts = texts.tolist()
    elif isinstance(texts, tf.Tensor | bytes) or not isinstance(texts, Sequence):
        raise TypeError(
            f"encode() takes a list of str, got {type(texts).__name__}. To encode a tf.string "
            "tensor, call the encoder on it instead: `encoder(tf.constant([...]))`."
        )
    texts = list(texts)
    if not texts:
        raise ValueError("encode() got no texts: pass a non-empty list of str.")
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(
                f"encode() takes a list of str; item {i} is {type(text).__name__}: {text!r:.80}"
            )
    if not allow_empty:
        empty = [i for i, text in enumerate(texts) if not text.strip()]
        if empty:
            raise ValueError(
                f"encode() got {len(empty)} empty or whitespace-only text(s) at index(es) "
                f"{empty[:10]}{'...' if len(empty) > 10 else ''}. They carry no description to "
                "condition on; pass allow_empty=True to encode them anyway (they then get the "
                "encoder's fixed embedding of the empty sentence)."
            )
    return texts


class _CompiledFunctions:
    """Holds an encoder's compiled ``tf.function`` outside TensorFlow's object tracking.

    Keeping it in a plain (non-trackable) object stops ``tf.saved_model.save`` from trying to
    export this helper along with the encoder.
    """

    def __init__(self):
        self.encode_fn = None


@keras.saving.register_keras_serializable(package="keras_stackgan")
class TextEncoder(keras.Model):
    """Base class of the text encoders: raw text in, float32 embeddings out.

    Subclasses implement ``call`` on a ``tf.string`` tensor of shape ``[batch]`` and return a
    float32 tensor of shape ``[batch, embedding_dim]``. Tokenization is part of the graph, so an
    encoder works inside ``tf.function``, ``tf.data`` maps and exported SavedModels that take raw
    text. ``encode`` is the Python convenience API: a list of ``str`` in, a numpy array out, with
    strict input checks (empty input raises ``ValueError``).

    Inside graphs an empty or whitespace-only string is never an error: each encoder documents
    the embedding it returns for it. An empty batch (shape ``[0]``) gives shape
    ``[0, embedding_dim]``.

    Args:
        embedding_dim: int. Size of the output embeddings.
        **kwargs: passed to ``keras.Model`` (``name``, ``dtype``, ...).
    """

    def __init__(self, embedding_dim: int, **kwargs):
        super().__init__(**kwargs)
        self.embedding_dim = int(embedding_dim)
        self._compiled = _CompiledFunctions()

    def encode_strings(self, texts: tf.Tensor, training: bool = False) -> tf.Tensor:
        """Embeds a validated ``tf.string`` tensor ``[batch]``; subclasses implement this.

        Returns:
            float32 tensor ``[batch, embedding_dim]``.
        """
        raise NotImplementedError

    def call(self, inputs, training: bool = False) -> tf.Tensor:
        """Embeds raw text.

        Args:
            inputs: ``tf.string`` tensor of shape ``[batch]`` (a scalar is a batch of one).
            training: bool. Whether dropout etc. are active.

        Returns:
            float32 tensor of shape ``[batch, embedding_dim]``.

        Raises:
            TypeError: if ``inputs`` is not a string tensor.
        """
        texts = as_string_batch(inputs)
        outputs = self.encode_strings(texts, training=training)
        return tf.cast(outputs, "float32")

    def compute_output_spec(self, inputs, training: bool = False):
        return keras.KerasTensor((inputs.shape[0], self.embedding_dim), dtype="float32")

    def _encode_fn(self):
        if self._compiled.encode_fn is None:
            ref = weakref.ref(self)

            @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
            def encode_fn(texts):
                return ref()(texts, training=False)

            self._compiled.encode_fn = encode_fn
        return self._compiled.encode_fn

    def encode(
        self, texts: str | Sequence[str], batch_size: int = 64, allow_empty: bool = False
    ) -> np.ndarray:
        """Embeds a list of sentences (Python API; runs a compiled graph in batches).

        Args:
            texts: a list (or tuple, or 1-D numpy array) of ``str``; a single ``str`` is a list
                of one. Any length, language or characters; each encoder documents how it
                truncates long text.
            batch_size: int. Number of sentences per graph call.
            allow_empty: bool. If ``False`` (default), empty or whitespace-only texts raise
                ``ValueError``; if ``True`` they get the encoder's embedding of empty text.

        Returns:
            float32 numpy array of shape ``[len(texts), embedding_dim]``.

        Raises:
            TypeError: if ``texts`` is not a sequence of ``str``.
            ValueError: if ``texts`` is empty, or holds empty texts and ``allow_empty`` is
                ``False``.
        """
        texts = check_texts(texts, allow_empty=allow_empty)
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}.")
        encode_fn = self._encode_fn()
        chunks = [
            encode_fn(tf.constant(texts[start : start + batch_size], dtype=tf.string)).numpy()
            for start in range(0, len(texts), batch_size)
        ]
        return np.concatenate(chunks, axis=0).astype(np.float32, copy=False)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"embedding_dim": self.embedding_dim})
        return config
