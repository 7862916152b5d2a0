"""One gated PixelCNN layer: a vertical and a horizontal stack with causal receptive fields."""

from __future__ import annotations

import keras
from keras import ops


def _shift_down(x):
    # Row i receives row i - 1 (zeros on top): the vertical stack's rows strictly above.
    return ops.pad(x, [[0, 0], [1, 0], [0, 0], [0, 0]])[:, :-1]


def _gate(x):
    a, b = ops.split(x, 2, axis=-1)
    return ops.tanh(a) * ops.sigmoid(b)


@keras.saving.register_keras_serializable(package="keras_stackgan")
class GatedPixelCNNBlock(keras.layers.Layer):
    """A gated PixelCNN layer (van den Oord et al. 2016, *Conditional Image Generation with
    PixelCNN Decoders*, section 2 and figure 2).

    Causality without a blind spot, by shapes instead of masked weights: the vertical stack is
    a ``(k//2 + 1) x k`` convolution over rows ``i - k//2 .. i`` (padded on top); it reaches the
    horizontal stack only shifted down one row, so through it pixel ``(i, j)`` sees the rows
    above. The horizontal stack is a ``1 x (k//2 + 1)`` convolution over columns
    ``j - k//2 .. j`` of its own row. Each stack is gated, ``tanh(W_f * x) * sigmoid(W_g * x)``,
    with the condition added to both halves (``V h`` for a class embedding, a 1x1 convolution
    for a spatial map); the horizontal stack ends in a 1x1 convolution and, except for the
    first layer, a residual connection. ``mask_type="A"`` (the first layer) shifts the
    horizontal input right by one column so the current position is excluded; ``"B"`` (later
    layers) includes it, since their inputs already exclude it.

    Args:
        filters: int, channels of both stacks.
        kernel_size: int, odd, the ``k`` above (3; 7 for the first layer in the paper).
        mask_type: ``"A"`` or ``"B"``.
        conditional: bool, whether ``call`` takes a ``condition`` ``[B, H, W, c]`` (a
            spatial map, or ``[B, 1, 1, c]`` for a class embedding, broadcast).

    Call arguments:
        vertical, horizontal: float ``[batch, H, W, filters]`` (the input embedding twice for
            the first layer).
        condition: float ``[batch, H or 1, W or 1, c]`` when ``conditional``.

    Returns:
        ``(vertical, horizontal)``, each ``[batch, H, W, filters]``.
    """

    def __init__(
        self,
        filters: int,
        kernel_size: int = 3,
        mask_type: str = "B",
        conditional: bool = False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if mask_type not in ("A", "B"):
            raise ValueError(f'mask_type must be "A" or "B", received {mask_type!r}')
        if kernel_size < 1 or kernel_size % 2 == 0:
            raise ValueError(f"kernel_size must be odd, received {kernel_size}")
        self.filters = int(filters)
        self.kernel_size = int(kernel_size)
        self.mask_type = mask_type
        self.conditional = bool(conditional)
        half, f2 = self.kernel_size // 2, 2 * self.filters
        common = {"dtype": self.dtype_policy}
        self.vertical_conv = keras.layers.Conv2D(
            f2, (half + 1, self.kernel_size), name="v", **common
        )
        self.horizontal_conv = keras.layers.Conv2D(f2, (1, half + 1), name="h", **common)
        self.vertical_to_horizontal = keras.layers.Conv2D(f2, 1, name="v_to_h", **common)
        self.horizontal_out = keras.layers.Conv2D(self.filters, 1, name="h_out", **common)
        if self.conditional:
            self.condition_vertical = keras.layers.Conv2D(
                f2, 1, use_bias=False, name="c_v", **common
            )
            self.condition_horizontal = keras.layers.Conv2D(
                f2, 1, use_bias=False, name="c_h", **common
            )

    def call(self, vertical, horizontal, condition=None):
        half = self.kernel_size // 2
        v = self.vertical_conv(ops.pad(vertical, [[0, 0], [half, 0], [half, half], [0, 0]]))
        shift = 1 if self.mask_type == "A" else 0
        h_in = ops.pad(horizontal, [[0, 0], [0, 0], [half + shift, 0], [0, 0]])
        if shift:
            h_in = h_in[:, :, :-1]
        h = self.horizontal_conv(h_in) + self.vertical_to_horizontal(_shift_down(v))
        if self.conditional:
            condition = ops.cast(condition, v.dtype)
            v = v + self.condition_vertical(condition)
            h = h + self.condition_horizontal(condition)
        h_out = self.horizontal_out(_gate(h))
        if self.mask_type == "B":
            h_out = h_out + horizontal
        return _gate(v), h_out

    def compute_output_shape(self, vertical_shape, horizontal_shape, condition_shape=None):
        shape = (*vertical_shape[:-1], self.filters)
        return shape, shape

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "filters": self.filters,
                "kernel_size": self.kernel_size,
                "mask_type": self.mask_type,
                "conditional": self.conditional,
            }
        )
        return config
