"""The matching-aware discriminator head (GAN-CLS, Reed et al. 2016; StackGAN's D)."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan.layers.blocks import ConvBlock
from keras_stackgan.layers.initializers import conv_init, paper_batch_norm


@keras.saving.register_keras_serializable(package="keras_stackgan")
class MatchingAwareHead(keras.layers.Layer):
    """Scores whether an image feature map and a text embedding belong together.

    ``text -> Dense(projection_dim) -> LeakyReLU(0.2)``, replicated over the ``s x s`` grid of
    the image features, concatenated on channels, ``1x1 conv -> BN -> LeakyReLU``, then an
    ``s x s`` valid convolution to one logit per example. This is ``d_context_template`` of the
    original TensorFlow StackGAN code. With ``text_batch_norm`` the projection is
    ``Dense -> BatchNorm -> LeakyReLU(0.2)``, the ``fcD`` of GAN-INT-CLS's ``main_cls_int.lua``
    (``nn.Linear(txtSize, nt)``, ``nn.BatchNormalization(nt)``, ``nn.LeakyReLU(0.2)``).

    Args:
        filters: int, channels of the 1x1 joint convolution (``ndf * 8`` in the paper).
        projection_dim: int, size the text embedding is compressed to (the paper's 128).
        synchronized_bn: bool, cross-replica batch statistics.
        text_batch_norm: bool, batch-normalise the projected text before its LeakyReLU
            (default False: configs saved before this option load unchanged).

    Call arguments:
        inputs: ``(features, embedding)``: image features ``[batch, s, s, c]`` (``s`` = 4 in
            StackGAN) and text embedding ``[batch, embedding_dim]``.

    Returns:
        float32 logits ``[batch, 1]`` (float32 under mixed precision too).
    """

    def __init__(
        self,
        filters: int,
        projection_dim: int = 128,
        synchronized_bn: bool = False,
        text_batch_norm: bool = False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.filters = filters
        self.projection_dim = projection_dim
        self.synchronized_bn = synchronized_bn
        self.text_batch_norm = text_batch_norm
        self.project = keras.layers.Dense(
            projection_dim, kernel_initializer=conv_init(), name="project", dtype=self.dtype_policy
        )
        # Torch's nn.BatchNormalization defaults (eps 1e-5, momentum 0.1) and the Lua
        # weights_init's N(1, 0.02) scales, as in ConvBlock.
        self.text_bn = (
            paper_batch_norm("text_bn", synchronized=synchronized_bn, dtype=self.dtype_policy)
            if text_batch_norm
            else None
        )
        self.joint = ConvBlock(
            filters,
            kernel_size=1,
            activation="leaky_relu",
            synchronized_bn=synchronized_bn,
            name="joint",
            dtype=self.dtype_policy,
        )
        self.logits = None

    def build(self, input_shape):
        feature_shape, embedding_shape = input_shape
        size = feature_shape[1]
        self.project.build(embedding_shape)
        if self.text_bn is not None:
            self.text_bn.build((embedding_shape[0], self.projection_dim))
        joint_shape = (*feature_shape[:3], feature_shape[3] + self.projection_dim)
        self.joint.build(joint_shape)
        # The final convolution runs in float32 so logits and losses stay float32 under
        # mixed precision.
        self.logits = keras.layers.Conv2D(
            1, size, padding="valid", kernel_initializer=conv_init(), name="logits", dtype="float32"
        )
        self.logits.build((*feature_shape[:3], self.filters))
        self.built = True

    def call(self, inputs, training=None):
        features, embedding = inputs
        text = self.project(embedding)
        if self.text_bn is not None:
            text = self.text_bn(text, training=training)
        text = ops.leaky_relu(text, negative_slope=0.2)
        height, width = ops.shape(features)[1], ops.shape(features)[2]
        text = ops.tile(text[:, None, None, :], [1, height, width, 1])
        x = ops.concatenate([features, ops.cast(text, features.dtype)], axis=-1)
        x = self.joint(x, training=training)
        logits = self.logits(ops.cast(x, "float32"))
        return ops.reshape(logits, (-1, 1))

    def compute_output_shape(self, input_shape):
        return (input_shape[0][0], 1)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "filters": self.filters,
                "projection_dim": self.projection_dim,
                "synchronized_bn": self.synchronized_bn,
                "text_batch_norm": self.text_batch_norm,
            }
        )
        return config
