"""InfoGAN's MNIST generator (Chen et al. 2016, Appendix C.1): noise + latent codes -> digit."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan.layers.deconv_block import DeconvBlock
from keras_stackgan.layers.initializers import conv_init, paper_batch_norm
from keras_stackgan.models.dict_inputs import MixedDictInputs


def _batch_norm(name: str, synchronized_bn: bool) -> keras.layers.BatchNormalization:
    # The official conv_batch_norm: EMA decay 0.9, epsilon 1e-5, gamma ~ N(1, 0.02).
    return paper_batch_norm(name, synchronized=synchronized_bn)


@keras.saving.register_keras_serializable(package="keras_stackgan")
class InfoGANGenerator(MixedDictInputs, keras.Model):
    """``[z, one_hot(c1), c_cont]`` -> image, the paper's MNIST generator.

    ``Dense(hidden_dim) -> BN -> ReLU``, ``Dense(base*base*2*gf_dim) -> BN -> ReLU`` reshaped
    to ``base = image_size / 4`` (7x7x128 at the paper's ``gf_dim = 64``),
    ``4x4 stride-2 deconv(gf_dim) -> BN -> ReLU`` and ``4x4 stride-2 deconv(channels) -> tanh``
    (Chen et al. 2016, Appendix C.1, Table 1; the official code's output is a sigmoid in [0, 1],
    ours ``tanh`` in [-1, 1], the zoo's image range). Layers followed by batch norm have no
    bias. The input is ``z`` (the official code draws it from U(-1, 1); the zoo's pipelines
    draw N(0, I), and we train with that), the one-hot categorical code and the continuous
    codes, concatenated.

    Follows the ``GeneratorPipeline`` convention: ``"labels"`` is the categorical code
    (``num_classes`` values) and ``"codes"`` the ``code_dim`` continuous codes.

    Args:
        noise_dim: int, size of ``z`` (62).
        num_classes: int, values of the categorical code (10).
        code_dim: int, number of continuous codes (2), trained on U(-1, 1).
        hidden_dim: int, width of the first FC layer (1024).
        gf_dim: int, deconvolution width (64; ``2*gf_dim`` channels at ``base``).
        image_size: int, output side S, a multiple of 4 (28).
        channels: int, output channels C (1).
        synchronized_bn: bool, cross-replica batch statistics under ``tf.distribute``.

    Inputs (a dict):
        noise: float ``[batch, noise_dim]``.
        labels: int32 ``[batch]`` in ``[0, num_classes)``, the categorical code.
        codes: float ``[batch, code_dim]``, the continuous codes (in [-1, 1] where trained).

    Returns:
        float32 images ``[batch, S, S, C]`` in [-1, 1] (float32 under mixed precision too).

    Examples:
    >>> g = InfoGANGenerator()
    >>> g({"noise": np.zeros((2, 62), "float32"), "labels": np.array([3, 7]),
    ...    "codes": np.zeros((2, 2), "float32")}).shape
    TensorShape([2, 28, 28, 1])
    """

    def __init__(
        self,
        noise_dim: int = 62,
        num_classes: int = 10,
        code_dim: int = 2,
        hidden_dim: int = 1024,
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
        def dense(units, name):
            return keras.layers.Dense(
                units, use_bias=False, kernel_initializer=conv_init(), name=name
            )

        fc_1, fc_2 = dense(hidden_dim, "fc_1"), dense(base * base * 2 * gf_dim, "fc_2")
        up_1 = DeconvBlock(gf_dim, synchronized_bn=synchronized_bn, name="up_1")
        to_image = DeconvBlock(
            channels, batch_norm=False, activation=None, name="to_image", dtype="float32"
        )
        norms = [_batch_norm(f"bn_{i}", synchronized_bn) for i in range(2)]

        # === Functional Model ===
        noise = keras.Input((noise_dim,), name="noise")
        labels = keras.Input((), dtype="int32", name="labels")
        codes = keras.Input((code_dim,), name="codes")
        latent = ops.concatenate([noise, ops.one_hot(labels, num_classes), codes], axis=-1)
        x = ops.relu(norms[0](fc_1(latent)))
        x = ops.relu(norms[1](fc_2(x)))
        x = ops.reshape(x, (-1, base, base, 2 * gf_dim))
        x = up_1(x)
        images = ops.tanh(to_image(x))
        super().__init__(
            inputs={"noise": noise, "labels": labels, "codes": codes}, outputs=images, **kwargs
        )

        # === Config ===
        self.noise_dim = noise_dim
        self.num_classes = num_classes
        self.code_dim = code_dim
        self.hidden_dim = hidden_dim
        self.gf_dim = gf_dim
        self.image_size = image_size
        self.channels = channels
        self.synchronized_bn = synchronized_bn

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "noise_dim": self.noise_dim,
            "num_classes": self.num_classes,
            "code_dim": self.code_dim,
            "hidden_dim": self.hidden_dim,
            "gf_dim": self.gf_dim,
            "image_size": self.image_size,
            "channels": self.channels,
            "synchronized_bn": self.synchronized_bn,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
