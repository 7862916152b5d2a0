"""A DCGAN-like 28 px conditional generator whose batch norms are conditional on the label."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan.layers.conditional_batch_norm import ConditionalBatchNormalization
from keras_stackgan.layers.initializers import conv_init
from keras_stackgan.models.dict_inputs import MixedDictInputs


def _deconv(filters: int, name: str) -> keras.layers.Conv2DTranspose:
    # 4x4 stride-2 transposed convolution without bias: the conditional batch norm's beta
    # follows (DeconvBlock without its own batch norm would add one).
    return keras.layers.Conv2DTranspose(
        filters,
        4,
        strides=2,
        padding="same",
        use_bias=False,
        kernel_initializer=conv_init(),
        name=name,
    )


@keras.saving.register_keras_serializable(package="keras_stackgan")
class CBNGenerator(MixedDictInputs, keras.Model):
    """Label + noise -> image; the label enters only through conditional batch norms.

    ``z -> Dense(base*base*4*gf_dim) -> CBN -> ReLU`` at ``base = image_size / 4`` (7 for 28 px),
    ``4x4 stride-2 deconv(2*gf_dim) -> CBN -> ReLU`` (14 px),
    ``4x4 stride-2 deconv(gf_dim) -> CBN -> ReLU`` (28 px) and ``3x3 conv(channels) -> tanh``.
    Every normalisation is a :class:`ConditionalBatchNormalization`: batch statistics without
    learned affine parameters, then a per-class ``gamma[y]``, ``beta[y]`` (de Vries et al. 2017;
    the class-conditional generators of Miyato & Koyama 2018), so the label modulates every
    layer instead of being concatenated to ``z`` once (Mirza & Osindero 2014). The layer widths
    are DCGAN's (Radford et al. 2016) at ``gf_dim = 64``. Follows the ``GeneratorPipeline``
    convention with ``num_classes`` and ``code_dim = 0``.

    Args:
        num_classes: int, number of labels (10).
        noise_dim: int, size of ``z ~ N(0, I)`` (100).
        gf_dim: int, base width (64; 32 in the ``"small"`` config).
        image_size: int, output side S, a multiple of 4 (28).
        channels: int, output channels C (1).
        synchronized_bn: bool, cross-replica batch statistics under ``tf.distribute``.

    Inputs (a dict):
        noise: float ``[batch, noise_dim]``.
        labels: int32 ``[batch]`` in ``[0, num_classes)``.

    Returns:
        float32 images ``[batch, S, S, C]`` in [-1, 1] (float32 under mixed precision too).

    Examples:
    >>> g = CBNGenerator(gf_dim=8)
    >>> g({"noise": np.zeros((2, 100), "float32"), "labels": np.array([3, 7])}).shape
    TensorShape([2, 28, 28, 1])
    """

    code_dim = 0

    def __init__(
        self,
        num_classes: int = 10,
        noise_dim: int = 100,
        gf_dim: int = 64,
        image_size: int = 28,
        channels: int = 1,
        synchronized_bn: bool = False,
        **kwargs,
    ):
        if image_size % 4 or image_size < 8:
            raise ValueError(f"image_size must be a multiple of 4 (>= 8), received {image_size}")
        base = image_size // 4

        # === Layers ===
        def cbn(name):
            return ConditionalBatchNormalization(
                num_classes, synchronized=synchronized_bn, name=name
            )

        project = keras.layers.Dense(
            base * base * 4 * gf_dim, use_bias=False, kernel_initializer=conv_init(), name="project"
        )
        up_1, up_2 = _deconv(2 * gf_dim, "up_1"), _deconv(gf_dim, "up_2")
        norms = [cbn("project_cbn"), cbn("up_1_cbn"), cbn("up_2_cbn")]
        to_image = keras.layers.Conv2D(
            channels,
            3,
            padding="same",
            kernel_initializer=conv_init(),
            name="to_image",
            dtype="float32",
        )

        # === Functional Model ===
        noise = keras.Input((noise_dim,), name="noise")
        labels = keras.Input((), dtype="int32", name="labels")
        x = ops.reshape(project(noise), (-1, base, base, 4 * gf_dim))
        x = ops.relu(norms[0]([x, labels]))
        x = ops.relu(norms[1]([up_1(x), labels]))
        x = ops.relu(norms[2]([up_2(x), labels]))
        images = ops.tanh(to_image(x))
        super().__init__(inputs={"noise": noise, "labels": labels}, outputs=images, **kwargs)

        # === Config ===
        self.num_classes = num_classes
        self.noise_dim = noise_dim
        self.gf_dim = gf_dim
        self.image_size = image_size
        self.channels = channels
        self.synchronized_bn = synchronized_bn

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "num_classes": self.num_classes,
            "noise_dim": self.noise_dim,
            "gf_dim": self.gf_dim,
            "image_size": self.image_size,
            "channels": self.channels,
            "synchronized_bn": self.synchronized_bn,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
