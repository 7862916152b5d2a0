"""pix2pix's PatchGAN discriminator: real/fake logits for every patch of an (input, output) pair."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan.layers.initializers import conv_init
from keras_stackgan.models.dict_inputs import MixedDictInputs
from keras_stackgan.models.pix2pix.unet_generator import normalization


def patchgan_receptive_field(num_layers: int) -> int:
    """Side in pixels of the input patch each PatchGAN logit sees.

    Walking back from one logit through the two 4x4 stride-1 convolutions (``r -> r + 3``) and
    the ``num_layers`` 4x4 stride-2 ones (``r -> 2 r + 2``): 16, 34, 70, 142, 286 pixels for 1 to
    5 layers (the paper's 16x16, 70x70 and 286x286 PatchGANs).

    >>> patchgan_receptive_field(3)
    70
    """
    if num_layers < 1:
        raise ValueError(f"num_layers must be >= 1, received {num_layers}")
    field = 1 + 3 + 3
    for _ in range(num_layers):
        field = 2 * field + 2
    return field


def patchgan_output_size(image_size: int, num_layers: int) -> int:
    """Side of the logit grid: halved by each strided layer, minus 1 by each stride-1 layer.

    >>> patchgan_output_size(256, 3)  # the paper's 30x30 grid of 70x70 patches
    30
    """
    return image_size // 2**num_layers - 2


@keras.saving.register_keras_serializable(package="keras_stackgan")
class PatchGANDiscriminator(MixedDictInputs, keras.Model):
    """The pix2pix discriminator: a fully convolutional classifier of N x N patches of a pair.

    Isola et al. (2017), section 3.2.2 and appendix 6.1.2: D sees the input image and a real
    or generated output concatenated on channels, and says for each patch whether the output is
    real, penalising structure at the scale of patches (the L1 term takes care of the low
    frequencies). The 70x70 PatchGAN is ``C64-C128-C256-C512`` (4x4 convolutions,
    ``LeakyReLU(0.2)``, no norm on ``C64``) and a convolution to 1 channel; as in the authors'
    code (``NLayerDiscriminator``) the first ``num_layers`` convolutions have stride 2, the
    last two stride 1, all padded by 1 pixel. Receptive field: ``patchgan_receptive_field``
    (70 for ``num_layers=3``); logit grid ``patchgan_output_size`` (30x30 at 256 px; 14x14 for
    ``num_layers=2`` at 64 px, each logit seeing 34x34 pixels).

    Args:
        image_size: int, side of both images (256 in the paper).
        input_channels: int, channels of the condition (input) image. Defaults to 3.
        output_channels: int, channels of the real or generated output. Defaults to 3.
        df_dim: int, the first width (the paper's ``ndf``, 64); widths double up to
            ``8 * df_dim``.
        num_layers: int >= 1, stride-2 layers (3: the 70x70 PatchGAN).
        norm: ``"batch"`` (default) or ``"instance"``.

    Inputs (a dict):
        condition: float ``[batch, S, S, input_channels]`` in [-1, 1], the input image x.
        image: float ``[batch, S, S, output_channels]`` in [-1, 1], y or G(x).

    Outputs:
        float32 logits ``[batch, P, P, 1]``, ``P = patchgan_output_size(S, num_layers)``.

    Examples:
    >>> d = PatchGANDiscriminator(image_size=64, df_dim=8, num_layers=2)
    >>> x = keras.random.uniform((2, 64, 64, 3), -1, 1)
    >>> d({"condition": x, "image": x}).shape
    TensorShape([2, 14, 14, 1])
    """

    def __init__(
        self,
        image_size: int = 256,
        input_channels: int = 3,
        output_channels: int = 3,
        df_dim: int = 64,
        num_layers: int = 3,
        norm: str = "batch",
        **kwargs,
    ):
        if patchgan_output_size(image_size, num_layers) < 1:
            raise ValueError(
                f"A {num_layers}-layer PatchGAN leaves no patch of a {image_size} px image"
            )
        widths = [df_dim * min(2**i, 8) for i in range(num_layers + 1)]

        # === Layers ===
        def conv(filters, strides, name, bias, dtype=None):
            return keras.layers.Conv2D(
                filters,
                4,
                strides=strides,
                padding="valid",
                use_bias=bias,
                kernel_initializer=conv_init(),
                name=name,
                dtype=dtype,
            )

        convs = [
            conv(w, 2 if i < num_layers else 1, f"conv_{i}", bias=i == 0)
            for i, w in enumerate(widths)
        ]
        norms = {i: normalization(norm, f"conv_{i}_norm") for i in range(1, num_layers + 1)}
        to_logits = conv(1, 1, "logits", bias=True, dtype="float32")

        # === Functional Model ===
        condition = keras.Input((image_size, image_size, input_channels), name="condition")
        image = keras.Input((image_size, image_size, output_channels), name="image")
        x = ops.concatenate([condition, image], axis=-1)
        for i, layer in enumerate(convs):
            x = layer(ops.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]))
            if i in norms:
                x = norms[i](x)
            x = ops.leaky_relu(x, negative_slope=0.2)
        logits = to_logits(ops.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]))
        super().__init__(inputs={"condition": condition, "image": image}, outputs=logits, **kwargs)

        # === Config ===
        self.image_size = image_size
        self.input_channels = input_channels
        self.output_channels = output_channels
        self.df_dim = df_dim
        self.num_layers = num_layers
        self.norm = norm
        self.receptive_field = patchgan_receptive_field(num_layers)

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "image_size": self.image_size,
            "input_channels": self.input_channels,
            "output_channels": self.output_channels,
            "df_dim": self.df_dim,
            "num_layers": self.num_layers,
            "norm": self.norm,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
