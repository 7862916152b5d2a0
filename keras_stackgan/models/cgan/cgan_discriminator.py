"""The conditional GAN's discriminator as in Mirza & Osindero (2014): maxout MLPs of image and
label, concatenated."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan.layers.initializers import conv_init
from keras_stackgan.layers.maxout import Maxout
from keras_stackgan.models.dict_inputs import MixedDictInputs


@keras.saving.register_keras_serializable(package="keras_stackgan")
class CGANDiscriminator(MixedDictInputs, keras.Model):
    """Image + label -> one "real for this label" logit, label concatenated in (Mirza &
    Osindero 2014, section 4.1).

    The flattened image goes to a :class:`Maxout` layer of ``image_units`` units with
    ``image_pieces`` pieces and the one-hot label to ``label_units`` x ``label_pieces``; both
    (after dropout) are concatenated into a joint maxout layer of ``joint_units`` x
    ``joint_pieces`` and, after dropout, a linear logit (the paper's sigmoid unit, whose
    sigmoid is in the loss). The paper's sizes: 240 x 5, 50 x 5, 240 x 4, dropout 0.5.

    Args:
        num_classes: int, number of labels (10).
        image_size: int, input side S (28).
        channels: int, input channels C (1).
        image_units, image_pieces: int, the image's maxout layer (240, 5).
        label_units, label_pieces: int, the label's maxout layer (50, 5).
        joint_units, joint_pieces: int, the joint maxout layer (240, 4).
        dropout: float, dropout rate after each maxout layer (0.5).

    Inputs (a dict):
        images: float ``[batch, S, S, C]`` in [-1, 1].
        labels: int32 ``[batch]`` in ``[0, num_classes)``.

    Returns:
        float32 logits ``[batch, 1]`` (float32 under mixed precision too).
    """

    def __init__(
        self,
        num_classes: int = 10,
        image_size: int = 28,
        channels: int = 1,
        image_units: int = 240,
        image_pieces: int = 5,
        label_units: int = 50,
        label_pieces: int = 5,
        joint_units: int = 240,
        joint_pieces: int = 4,
        dropout: float = 0.5,
        **kwargs,
    ):
        # === Layers ===
        image_maxout = Maxout(image_units, image_pieces, name="image_maxout")
        label_maxout = Maxout(label_units, label_pieces, name="label_maxout")
        joint_maxout = Maxout(joint_units, joint_pieces, name="joint_maxout")
        drops = [keras.layers.Dropout(dropout, name=f"dropout_{i}") for i in range(3)]
        to_logit = keras.layers.Dense(
            1, kernel_initializer=conv_init(), name="logit", dtype="float32"
        )

        # === Functional Model ===
        images = keras.Input((image_size, image_size, channels), name="images")
        labels = keras.Input((), dtype="int32", name="labels")
        pixels = ops.reshape(images, (-1, image_size * image_size * channels))
        h_image = drops[0](image_maxout(pixels))
        h_label = drops[1](label_maxout(ops.one_hot(labels, num_classes)))
        h = drops[2](joint_maxout(ops.concatenate([h_image, h_label], axis=-1)))
        logits = to_logit(h)
        super().__init__(inputs={"images": images, "labels": labels}, outputs=logits, **kwargs)

        # === Config ===
        self.num_classes = num_classes
        self.image_size = image_size
        self.channels = channels
        self.image_units = image_units
        self.image_pieces = image_pieces
        self.label_units = label_units
        self.label_pieces = label_pieces
        self.joint_units = joint_units
        self.joint_pieces = joint_pieces
        self.dropout = dropout

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "num_classes": self.num_classes,
            "image_size": self.image_size,
            "channels": self.channels,
            "image_units": self.image_units,
            "image_pieces": self.image_pieces,
            "label_units": self.label_units,
            "label_pieces": self.label_pieces,
            "joint_units": self.joint_units,
            "joint_pieces": self.joint_pieces,
            "dropout": self.dropout,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
