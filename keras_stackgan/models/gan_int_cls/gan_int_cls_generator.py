"""GAN-INT-CLS generator (Reed et al., ICML 2016): text + noise -> 64x64 image."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan.layers.initializers import conv_init, paper_batch_norm
from keras_stackgan.models.dict_inputs import MixedDictInputs
from keras_stackgan.models.gan_int_cls.bottleneck_block import BottleneckBlock
from keras_stackgan.models.sizes import num_doublings


def _batch_norm(name: str, synchronized_bn: bool) -> keras.layers.BatchNormalization:
    return paper_batch_norm(name, synchronized=synchronized_bn)


def _deconv(filters: int, name: str, dtype=None) -> keras.layers.Conv2DTranspose:
    # 4x4 stride-2 transposed convolution (Torch's SpatialFullConvolution(4, 4, 2, 2, 1, 1));
    # the Lua code zeroes every convolution bias at each step, so there is none.
    return keras.layers.Conv2DTranspose(
        filters,
        4,
        strides=2,
        padding="same",
        use_bias=False,
        kernel_initializer=conv_init(),
        name=name,
        dtype=dtype,
    )


@keras.saving.register_keras_serializable(package="keras_stackgan")
class GANINTCLSGenerator(MixedDictInputs, keras.Model):
    """Generator of GAN-INT-CLS (Reed et al. 2016, section 4), a text-conditioned DCGAN.

    ``text -> Dense(projection_dim) -> LeakyReLU(0.2)``, concatenated with ``z``, then
    ``Dense(4*4*8*gf_dim) -> BN -> bottleneck block`` at 4x4,
    ``4x4 stride-2 deconv(4*gf_dim) -> BN -> bottleneck block`` at 8x8,
    ``deconv -> BN -> ReLU`` to ``2*gf_dim`` (16x16) and ``gf_dim`` (32x32), and a last
    ``deconv`` to 3 channels with ``tanh`` (64x64). This is ``netG`` of the authors' Torch code
    (``main_cls_int.lua``), whose ``ngf`` is our ``gf_dim`` (128 in the paper's runs); the two
    residual :class:`BottleneckBlock` s are in that code, not in the paper's figure. There is no
    Conditioning Augmentation: the text projection is deterministic (``condition_dim`` is 0).

    Args:
        embedding_dim: int, width of the text embedding (1024 for char-CNN-RNN, 384 for the
            sentence encoder).
        noise_dim: int, size of ``z`` (100).
        projection_dim: int, size the text is compressed to (the Lua code's ``nt``, 128).
        gf_dim: int, base width (``ngf``: 128 in the paper's runs; 32 in the ``"small"``
            config).
        image_size: int, output size, 8 times a power of two (64).
        synchronized_bn: bool, cross-replica batch statistics under ``tf.distribute``.

    Inputs (a dict):
        embedding: float ``[batch, embedding_dim]``.
        noise: float ``[batch, noise_dim]``, ``z ~ N(0, I)``.

    Outputs (a dict):
        images: float32 ``[batch, image_size, image_size, 3]`` in [-1, 1] (float32 under mixed
            precision too).

    Examples:
    >>> g = GANINTCLSGenerator(embedding_dim=16, gf_dim=8)
    >>> out = g({"embedding": keras.random.normal((2, 16)),
    ...          "noise": keras.random.normal((2, 100))})
    >>> out["images"].shape
    TensorShape([2, 64, 64, 3])
    """

    # No Conditioning Augmentation: generation draws no condition noise.
    condition_dim = 0

    def __init__(
        self,
        embedding_dim: int = 1024,
        noise_dim: int = 100,
        projection_dim: int = 128,
        gf_dim: int = 128,
        image_size: int = 64,
        synchronized_bn: bool = False,
        **kwargs,
    ):
        num_up = num_doublings(image_size, 8, "image_size") + 1
        ngf = gf_dim * 8
        widths = [max(ngf // 2**i, 1) for i in range(1, num_up)]

        # === Layers ===
        text_projection = keras.layers.Dense(
            projection_dim, kernel_initializer=conv_init(), name="text_projection"
        )
        project = keras.layers.Dense(
            4 * 4 * ngf, use_bias=False, kernel_initializer=conv_init(), name="project"
        )
        project_bn = _batch_norm("project_bn", synchronized_bn)
        bottleneck_4 = BottleneckBlock(synchronized_bn=synchronized_bn, name="bottleneck_4")
        up = [_deconv(width, f"up_{i}") for i, width in enumerate(widths)]
        up_bn = [_batch_norm(f"up_{i}_bn", synchronized_bn) for i in range(len(widths))]
        bottleneck_8 = BottleneckBlock(synchronized_bn=synchronized_bn, name="bottleneck_8")
        to_rgb = _deconv(3, "to_rgb", dtype="float32")

        # === Functional Model ===
        embedding = keras.Input((embedding_dim,), name="embedding")
        noise = keras.Input((noise_dim,), name="noise")
        text = ops.leaky_relu(text_projection(embedding), negative_slope=0.2)
        x = ops.concatenate([ops.cast(noise, text.dtype), text], axis=-1)
        x = ops.reshape(project(x), (-1, 4, 4, ngf))
        x = bottleneck_4(project_bn(x))
        for i, (deconv, bn) in enumerate(zip(up, up_bn, strict=True)):
            x = bn(deconv(x))
            x = bottleneck_8(x) if i == 0 else ops.relu(x)
        images = ops.tanh(to_rgb(x))
        super().__init__(
            inputs={"embedding": embedding, "noise": noise},
            outputs={"images": images},
            **kwargs,
        )

        # === Config ===
        self.embedding_dim = embedding_dim
        self.noise_dim = noise_dim
        self.projection_dim = projection_dim
        self.gf_dim = gf_dim
        self.image_size = image_size
        self.synchronized_bn = synchronized_bn

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "embedding_dim": self.embedding_dim,
            "noise_dim": self.noise_dim,
            "projection_dim": self.projection_dim,
            "gf_dim": self.gf_dim,
            "image_size": self.image_size,
            "synchronized_bn": self.synchronized_bn,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
