"""``JointEmbeddingModel``: trains a text encoder and an image encoder into one space."""

from __future__ import annotations

import keras
import tensorflow as tf

from keras_stackgan.text.joint_embedding_loss import symmetric_joint_embedding_loss
from keras_stackgan.text.text_encoder import TextEncoder


@keras.saving.register_keras_serializable(package="keras_stackgan")
class JointEmbeddingModel(keras.Model):
    """Text encoder ``psi`` + image encoder ``phi`` trained with the symmetric structured joint
    embedding loss (Reed et al. 2016; GAN-INT-CLS sec. 3.2).

    ``fit`` takes batches ``{"images": [B, H, W, 3] float in [-1, 1], "texts": tf.string [B],
    "labels": int [B]}`` where text ``i`` describes image ``i`` and ``labels`` are class ids;
    each batch should hold several classes (the loss compares classes within the batch). Both
    encoders are updated by one optimizer. Calling the model returns the two embeddings.

    Args:
        text_encoder: a ``TextEncoder`` (e.g. ``CharCNNRNNEncoder``).
        image_encoder: a ``keras.Model`` mapping images to ``[B, text_encoder.embedding_dim]``.
        margin: float. Hinge margin of the loss. Defaults to 1.
        **kwargs: passed to ``keras.Model``.

    Call arguments:
        inputs: dict with ``"images"`` and ``"texts"`` as above.

    Returns:
        dict ``{"image_embeddings": [B, D], "text_embeddings": [B, D]}``, float32.

    Examples:
    ```python
    model = JointEmbeddingModel(CharCNNRNNEncoder(), SmallImageEncoder())
    model.compile(optimizer=keras.optimizers.Adam(3e-4))
    model.fit(dataset_of_dicts, epochs=10)
    ```
    """

    def __init__(
        self,
        text_encoder: TextEncoder,
        image_encoder: keras.Model,
        margin: float = 1.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.text_encoder = text_encoder
        self.image_encoder = image_encoder
        self.margin = margin
        self.loss_tracker = keras.metrics.Mean(name="loss")

    def call(self, inputs, training: bool = False) -> dict:
        return {
            "image_embeddings": tf.cast(
                self.image_encoder(inputs["images"], training=training), "float32"
            ),
            "text_embeddings": self.text_encoder(inputs["texts"], training=training),
        }

    @property
    def metrics(self) -> list:
        return [self.loss_tracker]

    def train_step(self, data):
        with tf.GradientTape() as tape:
            outputs = self(data, training=True)
            loss = symmetric_joint_embedding_loss(
                outputs["image_embeddings"], outputs["text_embeddings"], data["labels"],
                self.margin,
            )  # fmt: skip
        variables = self.trainable_variables
        self.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

    def test_step(self, data):
        outputs = self(data, training=False)
        loss = symmetric_joint_embedding_loss(
            outputs["image_embeddings"], outputs["text_embeddings"], data["labels"], self.margin
        )
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "text_encoder": keras.saving.serialize_keras_object(self.text_encoder),
                "image_encoder": keras.saving.serialize_keras_object(self.image_encoder),
                "margin": self.margin,
            }
        )
        return config

    @classmethod
    def from_config(cls, config: dict) -> JointEmbeddingModel:
        config = dict(config)
        config["text_encoder"] = keras.saving.deserialize_keras_object(config["text_encoder"])
        config["image_encoder"] = keras.saving.deserialize_keras_object(config["image_encoder"])
        return cls(**config)
