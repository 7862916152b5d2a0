"""pix2pix's U-Net generator (Isola et al. 2017): an image -> an image, with skip connections."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan.layers.initializers import conv_init, gamma_init
from keras_stackgan.models.dict_inputs import MixedDictInputs
from keras_stackgan.models.pix2pix.noise_dropout import NoiseDropout
from keras_stackgan.models.pix2pix.pix2pix_config import NORMS
from keras_stackgan.models.sizes import num_doublings


def normalization(norm: str, name: str, dtype=None) -> keras.layers.Layer:
    """Batch norm (momentum 0.9, epsilon 1e-5, N(1, 0.02) scales) or instance norm.

    ``"instance"`` is ``GroupNormalization(groups=-1)`` (one group per channel): the
    normalisation batch norm performs with a batch of 1 and the test batch's own statistics,
    which is how the paper runs its generator at test time.
    """
    if norm == "batch":
        return keras.layers.BatchNormalization(
            momentum=0.9, epsilon=1e-5, gamma_initializer=gamma_init(), name=name, dtype=dtype
        )
    if norm == "instance":
        return keras.layers.GroupNormalization(
            groups=-1, epsilon=1e-5, gamma_initializer=gamma_init(), name=name, dtype=dtype
        )
    raise ValueError(f"norm must be one of {NORMS}, received {norm!r}")


def unet_widths(image_size: int, gf_dim: int, max_multiplier: int = 8) -> list[int]:
    """Encoder widths, one per level down to 1x1: ``gf_dim * min(2**i, max_multiplier)``.

    >>> unet_widths(256, 64)  # the paper's C64-C128-C256-C512-C512-C512-C512-C512
    [64, 128, 256, 512, 512, 512, 512, 512]
    """
    levels = num_doublings(image_size, 1, "image_size")
    return [gf_dim * min(2**i, max_multiplier) for i in range(levels)]


@keras.saving.register_keras_serializable(package="keras_stackgan")
class UNetGenerator(MixedDictInputs, keras.Model):
    """The pix2pix generator: an encoder-decoder with skip connections (a U-Net).

    Isola et al. (2017), appendix 6.1.1. The encoder halves the image down to 1x1 with
    ``LeakyReLU(0.2) -> 4x4 stride-2 conv -> norm`` blocks (``C64-C128-C256-C512-...``; no norm
    on the first and on the 1x1 bottleneck, whose statistics at batch 1 would be degenerate).
    The decoder doubles back with ``ReLU -> 4x4 stride-2 transposed conv -> norm [-> dropout
    0.5]`` blocks, each concatenated with the mirrored encoder activation (the skip), and ends
    in ``ReLU -> transposed conv -> tanh``. Dropout in the first (deepest) ``dropout_blocks``
    decoder blocks is the only noise (the paper's "CD" blocks); its masks come from the
    ``dropout_noise`` input (see :class:`NoiseDropout`). The layer order is that of the
    authors' code (``UnetSkipConnectionBlock`` of junyanz/pytorch-CycleGAN-and-pix2pix).
    Convolutions carry a bias only where no normalisation follows. N(0, 0.02) kernels.

    Args:
        image_size: int, square side of input and output, a power of two >= 8 (256 in the
            paper; one level per halving down to 1x1: 8 levels at 256, 6 at 64).
        input_channels: int, channels of the input image. Defaults to 3.
        output_channels: int, channels of the output image. Defaults to 3.
        gf_dim: int, the first encoder width (the paper's ``ngf``, 64).
        max_multiplier: int, widths stop doubling at ``max_multiplier * gf_dim`` (8 in the
            paper: 512).
        norm: ``"batch"`` (default, the paper's) or ``"instance"``.
        dropout_rate: float in [0, 1), dropout of the deepest decoder blocks (0.5).
        dropout_blocks: int, how many decoder blocks have dropout (3).
        dropout_at_inference: bool, keep dropout at test time, as the paper does (True).

    Inputs (a dict):
        images: float ``[batch, image_size, image_size, input_channels]`` in [-1, 1].
        dropout_noise: float ``[batch, dropout_noise_dim]`` drawn from U[0, 1) (ignored when
            dropout is inactive: pass zeros).

    Outputs:
        float32 ``[batch, image_size, image_size, output_channels]`` in [-1, 1] (float32 under
        mixed precision too).

    Examples:
    >>> g = UNetGenerator(image_size=64, gf_dim=8)
    >>> x = keras.random.uniform((2, 64, 64, 3), -1, 1)
    >>> g({"images": x, "dropout_noise": keras.random.uniform((2, g.dropout_noise_dim))}).shape
    TensorShape([2, 64, 64, 3])
    """

    def __init__(
        self,
        image_size: int = 256,
        input_channels: int = 3,
        output_channels: int = 3,
        gf_dim: int = 64,
        max_multiplier: int = 8,
        norm: str = "batch",
        dropout_rate: float = 0.5,
        dropout_blocks: int = 3,
        dropout_at_inference: bool = True,
        **kwargs,
    ):
        widths = unet_widths(image_size, gf_dim, max_multiplier)
        levels = len(widths)
        if levels < 3:
            raise ValueError(f"image_size must be at least 8, received {image_size}")
        dropout_blocks = min(int(dropout_blocks), levels - 1)
        # Decoder block j (j = 0 deepest) makes widths[levels - 2 - j] at side 2**(j + 1).
        noise_sizes = [(2 ** (j + 1)) ** 2 * widths[levels - 2 - j] for j in range(dropout_blocks)]

        # === Layers ===
        def conv(cls, filters, name, bias, dtype=None):
            return cls(
                filters,
                4,
                strides=2,
                padding="same",
                use_bias=bias,
                kernel_initializer=conv_init(),
                name=name,
                dtype=dtype,
            )

        down = [
            conv(keras.layers.Conv2D, w, f"down_{i}", bias=i in (0, levels - 1))
            for i, w in enumerate(widths)
        ]
        down_norm = {i: normalization(norm, f"down_{i}_norm") for i in range(1, levels - 1)}
        up = [
            conv(keras.layers.Conv2DTranspose, widths[levels - 2 - j], f"up_{j}", bias=False)
            for j in range(levels - 1)
        ]
        up_norm = [normalization(norm, f"up_{j}_norm") for j in range(levels - 1)]
        dropout = [
            NoiseDropout(dropout_rate, dropout_at_inference, name=f"up_{j}_dropout")
            for j in range(dropout_blocks)
        ]
        to_image = conv(
            keras.layers.Conv2DTranspose, output_channels, "to_image", bias=True, dtype="float32"
        )

        # === Functional Model ===
        images = keras.Input((image_size, image_size, input_channels), name="images")
        noise = keras.Input((max(sum(noise_sizes), 1),), name="dropout_noise")
        x = images
        skips = []
        for i in range(levels):
            if i > 0:
                x = ops.leaky_relu(x, negative_slope=0.2)
            x = down[i](x)
            if i in down_norm:
                x = down_norm[i](x)
            skips.append(x)
        offset = 0
        for j in range(levels - 1):
            x = up_norm[j](up[j](ops.relu(x)))
            if j < dropout_blocks:
                x = dropout[j](x, noise[:, offset : offset + noise_sizes[j]])
                offset += noise_sizes[j]
            x = ops.concatenate([x, skips[levels - 2 - j]], axis=-1)
        outputs = ops.tanh(to_image(ops.relu(x)))
        super().__init__(
            inputs={"images": images, "dropout_noise": noise}, outputs=outputs, **kwargs
        )

        # === Config ===
        self.image_size = image_size
        self.input_channels = input_channels
        self.output_channels = output_channels
        self.gf_dim = gf_dim
        self.max_multiplier = max_multiplier
        self.norm = norm
        self.dropout_rate = dropout_rate
        self.dropout_blocks = dropout_blocks
        self.dropout_at_inference = dropout_at_inference
        self.dropout_noise_dim = max(sum(noise_sizes), 1)

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "image_size": self.image_size,
            "input_channels": self.input_channels,
            "output_channels": self.output_channels,
            "gf_dim": self.gf_dim,
            "max_multiplier": self.max_multiplier,
            "norm": self.norm,
            "dropout_rate": self.dropout_rate,
            "dropout_blocks": self.dropout_blocks,
            "dropout_at_inference": self.dropout_at_inference,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
