"""A projection discriminator (Miyato & Koyama 2018) for small class-labelled images."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan.layers.blocks import DownBlock
from keras_stackgan.layers.initializers import conv_init
from keras_stackgan.models.dict_inputs import MixedDictInputs


@keras.saving.register_keras_serializable(package="keras_stackgan")
class ProjectionDiscriminator(MixedDictInputs, keras.Model):
    """Image + label -> logit ``psi(phi(x)) + <embed(y), phi(x)>`` (Miyato & Koyama 2018).

    ``phi``: two 4x4 stride-2 convolutions (``df_dim``, ``2*df_dim`` channels; batch norm on
    the second; LeakyReLU(0.2); 28 -> 14 -> 7 px, the DCGAN MNIST discriminator), flattened,
    then ``Dense(feature_dim) -> LeakyReLU(0.2)``. ``psi`` is a linear unconditional logit and
    ``embed`` a ``num_classes x feature_dim`` table: the label's row is projected onto the
    features. We use projection rather than concatenating the label (Mirza & Osindero's
    :class:`CGANDiscriminator`) because it is the form of ``log p(y|x)`` of a log-linear
    classifier, so the label can only act by making ``phi(x)`` agree with its class, which
    Miyato & Koyama found gives both better images and better class fidelity than
    concatenation; it also costs one embedding lookup and a dot product.

    Args:
        num_classes: int, number of labels (10).
        image_size: int, input side S, a multiple of 4 (28).
        channels: int, input channels C (1).
        df_dim: int, base width (64; 32 in the ``"small"`` config).
        feature_dim: int, width of ``phi(x)`` and of the label embedding (1024).
        synchronized_bn: bool, cross-replica batch statistics under ``tf.distribute``.

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
        df_dim: int = 64,
        feature_dim: int = 1024,
        synchronized_bn: bool = False,
        **kwargs,
    ):
        if image_size % 4:
            raise ValueError(f"image_size must be a multiple of 4, received {image_size}")

        # === Layers ===
        down_1 = DownBlock(df_dim, batch_norm=False, name="down_1")
        down_2 = DownBlock(2 * df_dim, synchronized_bn=synchronized_bn, name="down_2")
        features = keras.layers.Dense(feature_dim, kernel_initializer=conv_init(), name="features")
        psi = keras.layers.Dense(1, kernel_initializer=conv_init(), name="psi", dtype="float32")
        embed = keras.layers.Embedding(
            num_classes, feature_dim, embeddings_initializer=conv_init(), name="embed"
        )

        # === Functional Model ===
        images = keras.Input((image_size, image_size, channels), name="images")
        labels = keras.Input((), dtype="int32", name="labels")
        x = down_2(down_1(images))
        x = ops.reshape(x, (-1, (image_size // 4) ** 2 * 2 * df_dim))
        phi = ops.cast(ops.leaky_relu(features(x), negative_slope=0.2), "float32")
        projection = ops.sum(ops.cast(embed(labels), "float32") * phi, axis=-1, keepdims=True)
        logits = psi(phi) + projection
        super().__init__(inputs={"images": images, "labels": labels}, outputs=logits, **kwargs)

        # === Config ===
        self.num_classes = num_classes
        self.image_size = image_size
        self.channels = channels
        self.df_dim = df_dim
        self.feature_dim = feature_dim
        self.synchronized_bn = synchronized_bn

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "num_classes": self.num_classes,
            "image_size": self.image_size,
            "channels": self.channels,
            "df_dim": self.df_dim,
            "feature_dim": self.feature_dim,
            "synchronized_bn": self.synchronized_bn,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
