"""InfoGAN's MNIST discriminator D and recognition network Q, sharing one body."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan.layers.blocks import DownBlock
from keras_stackgan.layers.initializers import conv_init, paper_batch_norm
from keras_stackgan.models.dict_inputs import MixedDictInputs


@keras.saving.register_keras_serializable(package="keras_stackgan")
class InfoGANDiscriminator(MixedDictInputs, keras.Model):
    """Image -> D's real/fake logit and Q's posterior over the latent codes.

    The shared body is the paper's D (Chen et al. 2016, Appendix C.1, Table 1; the official
    ``regularized_gan.py``): ``4x4 stride-2 conv(df_dim) -> lrelu``,
    ``4x4 stride-2 conv(2*df_dim) -> BN -> lrelu``, ``FC(d_hidden_dim) -> BN -> lrelu``. D's
    head is ``FC(1)``; Q's is ``FC(q_hidden_dim) -> BN -> lrelu -> FC(num_classes + code_dim)``:
    the categorical code's logits and the continuous codes' Gaussian means. Q's standard
    deviations are fixed to 1, as in the official MNIST run (``Uniform(1, fix_std=True)``),
    so ``L_I``'s continuous term is a squared error plus a constant
    (``keras_stackgan.losses.information_loss``). Because Q shares D's body, D's optimizer
    trains both (in the official code Q's layers live in D's ``d_net`` scope).

    Args:
        num_classes: int, values of the categorical code (10).
        code_dim: int, number of continuous codes (2).
        image_size: int, input side S, a multiple of 4 (28).
        channels: int, input channels C (1).
        df_dim: int, first convolution width (64).
        d_hidden_dim: int, width of the shared FC layer (1024).
        q_hidden_dim: int, width of Q's hidden layer (128).
        negative_slope: float, leaky ReLU slope (0.01, the official ``leaky_rectify``).
        fc_batch_norm: bool, batch norm on the shared FC layer and Q's hidden layer (True, the
            paper's). D sees real and fake batches separately (as in the official code), and a
            batch norm just before D's linear head normalises away the difference between
            their means, so D can only tell them apart by the shape of their feature
            distributions; with very few distinct training images (tests) that stalls G.
        synchronized_bn: bool, cross-replica batch statistics under ``tf.distribute``.

    Inputs:
        images: float ``[batch, S, S, C]`` in [-1, 1].

    Returns:
        dict of float32 tensors (float32 under mixed precision too): ``logits`` ``[batch, 1]``
        (D), ``class_logits`` ``[batch, num_classes]`` and ``code_mean`` ``[batch, code_dim]``
        (Q).
    """

    def __init__(
        self,
        num_classes: int = 10,
        code_dim: int = 2,
        image_size: int = 28,
        channels: int = 1,
        df_dim: int = 64,
        d_hidden_dim: int = 1024,
        q_hidden_dim: int = 128,
        negative_slope: float = 0.01,
        fc_batch_norm: bool = True,
        synchronized_bn: bool = False,
        **kwargs,
    ):
        if image_size % 4:
            raise ValueError(f"image_size must be a multiple of 4, received {image_size}")

        # === Layers ===
        def batch_norm(name):
            if not fc_batch_norm:
                return keras.layers.Identity(name=name)
            return paper_batch_norm(name, synchronized=synchronized_bn)

        def dense(units, name, **options):
            return keras.layers.Dense(units, kernel_initializer=conv_init(), name=name, **options)

        down_1 = DownBlock(df_dim, batch_norm=False, activation=None, name="down_1")
        down_2 = DownBlock(
            2 * df_dim, activation=None, synchronized_bn=synchronized_bn, name="down_2"
        )
        shared = dense(d_hidden_dim, "shared", use_bias=not fc_batch_norm)
        shared_bn = batch_norm("shared_bn")
        d_head = dense(1, "d_logit", dtype="float32")
        q_hidden = dense(q_hidden_dim, "q_hidden", use_bias=not fc_batch_norm)
        q_bn = batch_norm("q_bn")
        q_head = dense(num_classes + code_dim, "q_codes", dtype="float32")

        # === Functional Model ===
        def lrelu(x):
            return ops.leaky_relu(x, negative_slope=negative_slope)

        images = keras.Input((image_size, image_size, channels), name="images")
        x = lrelu(down_2(lrelu(down_1(images))))
        x = ops.reshape(x, (-1, (image_size // 4) ** 2 * 2 * df_dim))
        features = lrelu(shared_bn(shared(x)))
        q = q_head(lrelu(q_bn(q_hidden(features))))
        outputs = {
            "logits": d_head(features),
            "class_logits": q[:, :num_classes],
            "code_mean": q[:, num_classes:],
        }
        super().__init__(inputs=images, outputs=outputs, **kwargs)

        # === Config ===
        self.num_classes = num_classes
        self.code_dim = code_dim
        self.image_size = image_size
        self.channels = channels
        self.df_dim = df_dim
        self.d_hidden_dim = d_hidden_dim
        self.q_hidden_dim = q_hidden_dim
        self.negative_slope = negative_slope
        self.fc_batch_norm = fc_batch_norm
        self.synchronized_bn = synchronized_bn

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "num_classes": self.num_classes,
            "code_dim": self.code_dim,
            "image_size": self.image_size,
            "channels": self.channels,
            "df_dim": self.df_dim,
            "d_hidden_dim": self.d_hidden_dim,
            "q_hidden_dim": self.q_hidden_dim,
            "negative_slope": self.negative_slope,
            "fc_batch_norm": self.fc_batch_norm,
            "synchronized_bn": self.synchronized_bn,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
