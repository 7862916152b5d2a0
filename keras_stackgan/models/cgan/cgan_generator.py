"""The conditional GAN's generator as in Mirza & Osindero (2014): an MLP fed ``z`` and the label."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan.layers.initializers import conv_init
from keras_stackgan.models.dict_inputs import MixedDictInputs


def _dense(units: int, name: str, dtype=None) -> keras.layers.Dense:
    return keras.layers.Dense(units, kernel_initializer=conv_init(), name=name, dtype=dtype)


@keras.saving.register_keras_serializable(package="keras_stackgan")
class CGANGenerator(MixedDictInputs, keras.Model):
    """Label + noise -> image with the label concatenated in (Mirza & Osindero 2014, sec. 4.1).

    ``z -> Dense(noise_units) -> ReLU`` and ``one_hot(y) -> Dense(label_units) -> ReLU`` are
    concatenated, then ``Dense(hidden_units) -> ReLU -> Dropout`` and ``Dense(S*S*C) -> tanh``
    reshaped to the image. The paper's sizes are 200, 1000 and 1200 units, dropout 0.5 and a
    sigmoid output; ours is ``tanh`` to [-1, 1], the zoo's image range, and ``z`` is drawn from
    N(0, I) (the zoo's noise; the paper's is uniform in the unit hypercube). Follows the
    ``GeneratorPipeline`` convention with ``num_classes`` and ``code_dim = 0``.

    Args:
        num_classes: int, number of labels (10).
        noise_dim: int, size of ``z`` (100).
        noise_units: int, hidden units of ``z`` (200).
        label_units: int, hidden units of the label (1000).
        hidden_units: int, joint hidden units (1200).
        dropout: float, dropout rate after the joint layer (0.5; off at inference).
        image_size: int, output side S (28).
        channels: int, output channels C (1).

    Inputs (a dict):
        noise: float ``[batch, noise_dim]``.
        labels: int32 ``[batch]`` in ``[0, num_classes)``.

    Returns:
        float32 images ``[batch, S, S, C]`` in [-1, 1] (float32 under mixed precision too).

    Examples:
    >>> g = CGANGenerator()
    >>> g({"noise": np.zeros((2, 100), "float32"), "labels": np.array([3, 7])}).shape
    TensorShape([2, 28, 28, 1])
    """

    code_dim = 0

    def __init__(
        self,
        num_classes: int = 10,
        noise_dim: int = 100,
        noise_units: int = 200,
        label_units: int = 1000,
        hidden_units: int = 1200,
        dropout: float = 0.5,
        image_size: int = 28,
        channels: int = 1,
        **kwargs,
    ):
        # === Layers ===
        noise_dense = _dense(noise_units, "noise_dense")
        label_dense = _dense(label_units, "label_dense")
        joint_dense = _dense(hidden_units, "joint_dense")
        joint_dropout = keras.layers.Dropout(dropout, name="joint_dropout")
        to_pixels = _dense(image_size * image_size * channels, "to_pixels", dtype="float32")

        # === Functional Model ===
        noise = keras.Input((noise_dim,), name="noise")
        labels = keras.Input((), dtype="int32", name="labels")
        h_noise = ops.relu(noise_dense(noise))
        h_label = ops.relu(label_dense(ops.one_hot(labels, num_classes)))
        h = ops.relu(joint_dense(ops.concatenate([h_noise, h_label], axis=-1)))
        pixels = ops.tanh(to_pixels(joint_dropout(h)))
        images = ops.reshape(pixels, (-1, image_size, image_size, channels))
        super().__init__(inputs={"noise": noise, "labels": labels}, outputs=images, **kwargs)

        # === Config ===
        self.num_classes = num_classes
        self.noise_dim = noise_dim
        self.noise_units = noise_units
        self.label_units = label_units
        self.hidden_units = hidden_units
        self.dropout = dropout
        self.image_size = image_size
        self.channels = channels

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "num_classes": self.num_classes,
            "noise_dim": self.noise_dim,
            "noise_units": self.noise_units,
            "label_units": self.label_units,
            "hidden_units": self.hidden_units,
            "dropout": self.dropout,
            "image_size": self.image_size,
            "channels": self.channels,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
