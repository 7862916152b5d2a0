"""``SmallImageEncoder``: a small CNN image embedder to train text encoders against."""

from __future__ import annotations

import keras


@keras.saving.register_keras_serializable(package="keras_stackgan")
class SmallImageEncoder(keras.Model):
    """A small convolutional image encoder ``phi(v)`` for joint text-image embedding training.

    ``len(filters)`` blocks of ``Conv2D(3x3, stride 2) -> BatchNorm -> LeakyReLU(0.2)`` halve the
    image each time, then global average pooling, dropout and a linear projection to
    ``embedding_dim``. Small enough to train from scratch on CPU with ``JointEmbeddingModel``
    (Reed et al. used fixed GoogLeNet features; no pretrained image network is available
    offline here).

    Args:
        image_size: int. Height and width of the (square) input images. Defaults to 64.
        filters: sequence of int. Filters per block. Defaults to ``(32, 64, 128, 256)``.
        embedding_dim: int. Output size. Defaults to 1024.
        dropout: float. Dropout before the projection. Defaults to 0.2.
        **kwargs: passed to ``keras.Model``.

    Call arguments:
        inputs: float tensor ``[batch, image_size, image_size, 3]``, values in ``[-1, 1]``.

    Returns:
        float32 tensor ``[batch, embedding_dim]`` (unbounded values).

    Examples:
    ```python
    encoder = SmallImageEncoder(image_size=64, embedding_dim=1024)
    encoder(np.zeros((2, 64, 64, 3), "float32")).shape  # (2, 1024)
    ```
    """

    def __init__(
        self,
        image_size: int = 64,
        filters: tuple[int, ...] | list[int] = (32, 64, 128, 256),
        embedding_dim: int = 1024,
        dropout: float = 0.2,
        **kwargs,
    ):
        # === Functional Model ===
        inputs = keras.Input((image_size, image_size, 3), name="images")
        x = inputs
        for i, width in enumerate(filters):
            x = keras.layers.Conv2D(width, 3, strides=2, padding="same", name=f"conv_{i}")(x)
            x = keras.layers.BatchNormalization(name=f"norm_{i}")(x)
            x = keras.layers.LeakyReLU(0.2, name=f"act_{i}")(x)
        x = keras.layers.GlobalAveragePooling2D(name="pool")(x)
        x = keras.layers.Dropout(dropout, name="dropout")(x)
        outputs = keras.layers.Dense(embedding_dim, name="projection")(x)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)

        # === Config ===
        self.image_size = image_size
        self.filters = list(filters)
        self.embedding_dim = embedding_dim
        self.dropout = dropout

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "trainable": self.trainable,
            "image_size": self.image_size,
            "filters": list(self.filters),
            "embedding_dim": self.embedding_dim,
            "dropout": self.dropout,
        }
