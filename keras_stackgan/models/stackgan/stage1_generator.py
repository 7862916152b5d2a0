"""StackGAN Stage-I generator: text + noise -> 64x64 sketch."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan.layers.blocks import UpBlock
from keras_stackgan.layers.conditioning_augmentation import ConditioningAugmentation
from keras_stackgan.layers.initializers import conv_init, paper_batch_norm
from keras_stackgan.models.dict_inputs import MixedDictInputs


@keras.saving.register_keras_serializable(package="keras_stackgan")
class StageIGenerator(MixedDictInputs, keras.Model):
    """Stage-I generator of StackGAN (Zhang et al. 2017, section 3.2).

    ``[c, z] -> Dense(4*4*gf_dim*8) -> BN -> ReLU -> 4 up-blocks (gf_dim*4, *2, *1, /2 channels)
    -> 3x3 conv -> tanh``, where ``c`` comes from the model's own Conditioning Augmentation.
    The channel widths follow StackGAN-Pytorch's ``STAGE1_G`` with ``ngf = gf_dim * 8``.

    Args:
        embedding_dim: int, width of the text embedding (1024 for char-CNN-RNN, 384 for the
            sentence encoder).
        condition_dim: int, size of the CA condition ``c`` (128).
        noise_dim: int, size of ``z`` (100).
        gf_dim: int, base generator width (128 in the paper).
        synchronized_bn: bool, cross-replica batch statistics under ``tf.distribute``.

    Inputs (a dict):
        embedding: float ``[batch, embedding_dim]``.
        noise: float ``[batch, noise_dim]``, ``z ~ N(0, I)``.
        ca_noise: float ``[batch, condition_dim]``, CA's ``epsilon``: N(0, I) to sample the
            condition, zeros to use its mean.

    Outputs (a dict):
        images: float32 ``[batch, 64, 64, 3]`` in [-1, 1].
        mu, logvar: float32 ``[batch, condition_dim]``, the CA Gaussian.

    Examples:
    >>> g = StageIGenerator(embedding_dim=16, gf_dim=8)
    >>> out = g({"embedding": keras.random.normal((2, 16)),
    ...          "noise": keras.random.normal((2, 100)),
    ...          "ca_noise": keras.ops.zeros((2, 128))})
    >>> out["images"].shape
    TensorShape([2, 64, 64, 3])
    """

    image_size = 64

    def __init__(
        self,
        embedding_dim: int = 1024,
        condition_dim: int = 128,
        noise_dim: int = 100,
        gf_dim: int = 128,
        synchronized_bn: bool = False,
        **kwargs,
    ):
        # === Layers ===
        ngf = gf_dim * 8
        ca = ConditioningAugmentation(condition_dim, name="conditioning_augmentation")
        project = keras.layers.Dense(
            4 * 4 * ngf, use_bias=False, kernel_initializer=conv_init(), name="project"
        )
        project_bn = paper_batch_norm("project_bn", synchronized=synchronized_bn)
        up_blocks = [
            UpBlock(ngf // 2**i, synchronized_bn=synchronized_bn, name=f"up_{i}")
            for i in range(1, 5)
        ]
        to_rgb = keras.layers.Conv2D(
            3, 3, padding="same", kernel_initializer=conv_init(), name="to_rgb", dtype="float32"
        )

        # === Functional Model ===
        embedding = keras.Input((embedding_dim,), name="embedding")
        noise = keras.Input((noise_dim,), name="noise")
        ca_noise = keras.Input((condition_dim,), name="ca_noise")
        c, mu, logvar = ca(embedding, epsilon=ca_noise)
        x = ops.concatenate([c, ops.cast(noise, c.dtype)], axis=-1)
        x = ops.relu(project_bn(project(x)))
        x = ops.reshape(x, (-1, 4, 4, ngf))
        for block in up_blocks:
            x = block(x)
        images = ops.tanh(to_rgb(x))
        super().__init__(
            inputs={"embedding": embedding, "noise": noise, "ca_noise": ca_noise},
            outputs={"images": images, "mu": mu, "logvar": logvar},
            **kwargs,
        )

        # === Config ===
        self.embedding_dim = embedding_dim
        self.condition_dim = condition_dim
        self.noise_dim = noise_dim
        self.gf_dim = gf_dim
        self.synchronized_bn = synchronized_bn

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "embedding_dim": self.embedding_dim,
            "condition_dim": self.condition_dim,
            "noise_dim": self.noise_dim,
            "gf_dim": self.gf_dim,
            "synchronized_bn": self.synchronized_bn,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
