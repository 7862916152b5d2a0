"""Symmetric InfoNCE (CLIP / DAMSM sentence-level) loss, to train an image encoder onto fixed
text embeddings."""

from __future__ import annotations

import keras
import tensorflow as tf


def symmetric_info_nce_loss(
    image_embeddings: tf.Tensor, text_embeddings: tf.Tensor, temperature: float = 0.1
) -> tf.Tensor:
    """Per-pair symmetric InfoNCE loss of a batch of matching image and text embeddings.

    Both sides are L2-normalised; ``logits = image @ text^T / temperature``. Row ``i`` is the
    mean of the cross-entropy of image ``i`` over all texts of the batch (target: text ``i``)
    and of text ``i`` over all images (target: image ``i``); this is the sentence-level DAMSM
    loss of AttnGAN (``gamma_3 = 1 / temperature``) and CLIP's loss, written per pair so
    Keras can average it.

    Args:
        image_embeddings: float tensor ``[B, D]``.
        text_embeddings: float tensor ``[B, D]``; row ``i`` describes image ``i``.
        temperature: float ``> 0``. Softmax temperature of the cosine similarities.

    Returns:
        float32 tensor ``[B]``, each ``>= 0``; its mean is the batch loss (``log B`` for
        uninformative embeddings).
    """
    image = tf.math.l2_normalize(tf.cast(image_embeddings, "float32"), axis=-1)
    text = tf.math.l2_normalize(tf.cast(text_embeddings, "float32"), axis=-1)
    logits = tf.matmul(image, text, transpose_b=True) / temperature  # [image, text]
    targets = tf.range(tf.shape(logits)[0])
    image_to_text = tf.nn.sparse_softmax_cross_entropy_with_logits(targets, logits)
    text_to_image = tf.nn.sparse_softmax_cross_entropy_with_logits(targets, tf.transpose(logits))
    return 0.5 * (image_to_text + text_to_image)


@keras.saving.register_keras_serializable(package="keras_stackgan")
class SymmetricInfoNCE(keras.losses.Loss):
    """``symmetric_info_nce_loss`` as a Keras loss: ``y_true`` are the (fixed) text embeddings
    ``[B, D]``, ``y_pred`` the image encoder's outputs ``[B, D]``.

    The loss compares every pair in the batch, so batches must be drawn at random and hold
    more than one pair.

    Args:
        temperature: float ``> 0``. Defaults to 0.1.
        name: str. Defaults to ``"symmetric_info_nce"``.
        **kwargs: passed to ``keras.losses.Loss`` (e.g. ``reduction``).

    Examples:
    ```python
    encoder = SmallImageEncoder(embedding_dim=384)
    encoder.compile(optimizer="adam", loss=SymmetricInfoNCE(0.1))
    encoder.fit(dataset_of_images_and_text_embeddings, epochs=10)
    ```
    """

    def __init__(self, temperature: float = 0.1, name: str = "symmetric_info_nce", **kwargs):
        super().__init__(name=name, **kwargs)
        self.temperature = float(temperature)

    def call(self, y_true, y_pred):
        return symmetric_info_nce_loss(y_pred, y_true, self.temperature)

    def get_config(self) -> dict:
        config = super().get_config()
        config["temperature"] = self.temperature
        return config
