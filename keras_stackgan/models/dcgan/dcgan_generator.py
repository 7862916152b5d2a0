"""DCGAN's generator (Radford et al. 2016): z -> projection -> fractionally-strided convolutions."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan.layers.deconv_block import DeconvBlock
from keras_stackgan.layers.initializers import conv_init, paper_batch_norm
from keras_stackgan.models.dcgan.dcgan_sizes import base_and_doublings


@keras.saving.register_keras_serializable(package="keras_stackgan")
class DCGANGenerator(keras.Model):
    """``z -> Dense -> 4x4 x 8*gf_dim -> BN-ReLU -> [deconv-BN-ReLU] x 3 -> deconv -> tanh``.

    The generator of "Unsupervised Representation Learning with Deep Convolutional Generative
    Adversarial Networks" (Radford et al. 2016, Figure 1) and its architecture guidelines: the
    noise projection (a matrix multiplication reshaped to a ``base x base`` map) is the
    only dense layer; every other layer is a stride-2 fractionally-strided convolution
    (:class:`~keras_stackgan.layers.DeconvBlock`), halving the width as it doubles the size;
    batch normalisation and ReLU everywhere except the output layer, which has ``tanh`` and
    no batch normalisation; no pooling. At 64 px with ``gf_dim=128`` this is the paper's
    ``4x4x1024 -> 8x8x512 -> 16x16x256 -> 32x32x128 -> 64x64x3``. The same rules give the
    MNIST variants: 32 px from a 4x4 base (``4x4x4*gf_dim -> ... -> 32x32x1``) and 28 px from a
    7x7 base (``7x7x2*gf_dim -> 14x14xgf_dim -> 28x28x1``). It follows the zoo's generator
    convention (``keras_stackgan.pretrained.generator_pipeline``).

    Args:
        noise_dim: int, size of ``z``. Defaults to 100.
        image_size: int, output side S, 4 or 7 times a power of two (64, 32, 28). Defaults to
            64.
        channels: int, 3 (RGB) or 1 (grey). Defaults to 3.
        gf_dim: int, width of the last hidden layer; the projection has
            ``gf_dim * 2**(n - 1)`` channels for ``S = base * 2**n``. Defaults to 128 (the
            paper's 1024 at 4x4).
        kernel_size: int, kernel of the fractionally-strided convolutions (5 in the authors'
            code, 4 in dcgan.torch). Defaults to 5.
        synchronized_bn: bool, cross-replica batch statistics under ``tf.distribute`` (a
            global batch split over devices is normalised as on one device). Defaults to
            False.

    Inputs (a dict):
        noise: float ``[batch, noise_dim]``, ``z ~ N(0, I)``.

    Returns:
        float32 images ``[batch, image_size, image_size, channels]`` in [-1, 1] (float32
        under mixed precision too).

    Examples:
    >>> g = DCGANGenerator(gf_dim=8)
    >>> g({"noise": keras.random.normal((2, 100))}).shape
    TensorShape([2, 64, 64, 3])
    """

    # The generator convention: unconditional, no continuous codes.
    num_classes = 0
    code_dim = 0

    def __init__(
        self,
        noise_dim: int = 100,
        image_size: int = 64,
        channels: int = 3,
        gf_dim: int = 128,
        kernel_size: int = 5,
        synchronized_bn: bool = False,
        **kwargs,
    ):
        base, doublings = base_and_doublings(image_size)
        widths = [gf_dim * 2 ** (doublings - 1 - i) for i in range(doublings)]
        common = {"kernel_size": kernel_size, "synchronized_bn": synchronized_bn}

        # === Layers ===
        project = keras.layers.Dense(
            base * base * widths[0], use_bias=False, kernel_initializer=conv_init(), name="project"
        )
        project_bn = paper_batch_norm("project_bn", synchronized=synchronized_bn)
        up = [DeconvBlock(width, name=f"up_{i}", **common) for i, width in enumerate(widths[1:])]
        to_image = DeconvBlock(
            channels, batch_norm=False, activation=None, name="to_image", dtype="float32", **common
        )

        # === Functional Model ===
        noise = keras.Input((noise_dim,), name="noise")
        x = ops.reshape(project(noise), (-1, base, base, widths[0]))
        x = ops.relu(project_bn(x))
        for block in up:
            x = block(x)
        images = ops.tanh(to_image(x))
        super().__init__(inputs={"noise": noise}, outputs=images, **kwargs)

        # === Config ===
        self.noise_dim = noise_dim
        self.image_size = image_size
        self.channels = channels
        self.gf_dim = gf_dim
        self.kernel_size = kernel_size
        self.synchronized_bn = synchronized_bn

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "noise_dim": self.noise_dim,
            "image_size": self.image_size,
            "channels": self.channels,
            "gf_dim": self.gf_dim,
            "kernel_size": self.kernel_size,
            "synchronized_bn": self.synchronized_bn,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
