"""``HubTextEncoder``: any TF-Hub text embedding model or local SavedModel as a ``TextEncoder``."""

from __future__ import annotations

import os

import keras
import tensorflow as tf
import tensorflow_hub as hub

from keras_stackgan.text.text_encoder import TextEncoder


@keras.saving.register_keras_serializable(package="keras_stackgan")
class HubTextEncoder(TextEncoder):
    """Wraps a TF-Hub handle or a local SavedModel that maps ``tf.string [batch]`` to vectors.

    The model is loaded with ``tensorflow_hub.load``: a local directory works offline; a
    ``https://tfhub.dev/...`` / Kaggle handle (e.g. the Universal Sentence Encoder) needs network
    access on first use (then TF-Hub's cache). The loaded object must be callable on a
    ``tf.string`` tensor of shape ``[batch]`` and return ``[batch, D]`` floats, or a dict holding
    them under ``output_key``. Its variables are not trained (``trainable=False``) and are not
    part of ``.keras`` / ``.weights.h5`` files: saving stores the handle, loading re-opens it.
    ``tf.saved_model.save`` of a module holding the encoder does embed the loaded model.

    How empty text is embedded inside graphs is up to the wrapped model.

    Args:
        handle: str. TF-Hub handle/URL or path of a SavedModel directory.
        embedding_dim: int or ``None``. Output size; ``None`` (default) infers it by embedding
            one probe sentence at construction.
        output_key: str or ``None``. Key of the embeddings when the model returns a dict
            (e.g. ``"default"`` or ``"outputs"``); ``None`` when it returns a tensor.
        **kwargs: passed to ``keras.Model``.

    Call arguments:
        inputs: ``tf.string`` tensor of shape ``[batch]``.

    Returns:
        float32 tensor of shape ``[batch, embedding_dim]``.

    Examples:
    ```python
    encoder = keras_stackgan.text.HubTextEncoder("/path/to/universal-sentence-encoder_4")
    encoder.encode(["a small red bird"])  # (1, 512) float32
    ```
    """

    def __init__(
        self,
        handle: str,
        embedding_dim: int | None = None,
        output_key: str | None = None,
        **kwargs,
    ):
        handle = os.fspath(handle)
        module = hub.load(handle)
        if not callable(module):
            raise ValueError(
                f"{handle!r} loaded, but the object is not callable: HubTextEncoder needs a "
                "model whose __call__ takes a tf.string tensor [batch]."
            )
        if embedding_dim is None:
            probe = _select_output(module(tf.constant(["a bird"])), output_key, handle)
            embedding_dim = int(probe.shape[-1])
        kwargs.setdefault("trainable", False)
        super().__init__(embedding_dim=embedding_dim, **kwargs)
        self.module = module
        self.handle = handle
        self.output_key = output_key
        self.built = True

    def encode_strings(self, texts: tf.Tensor, training: bool = False) -> tf.Tensor:
        outputs = _select_output(self.module(texts), self.output_key, self.handle)
        outputs = tf.ensure_shape(tf.cast(outputs, "float32"), [None, self.embedding_dim])
        return outputs

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"handle": self.handle, "output_key": self.output_key})
        return config


def _select_output(outputs, output_key: str | None, handle: str) -> tf.Tensor:
    if isinstance(outputs, dict):
        if output_key is None or output_key not in outputs:
            raise ValueError(
                f"{handle!r} returns a dict with keys {sorted(outputs)}; pass "
                "output_key=<one of them> to HubTextEncoder."
            )
        outputs = outputs[output_key]
    elif output_key is not None:
        raise ValueError(f"{handle!r} returns a tensor, not a dict; leave output_key=None.")
    if outputs.shape.rank != 2:
        raise ValueError(
            f"{handle!r} returns shape {outputs.shape}; a text encoder must return [batch, dim]."
        )
    return outputs
