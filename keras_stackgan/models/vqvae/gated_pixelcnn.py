"""A gated PixelCNN over grids of discrete codes: the VQ-VAE priors."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan.models.dict_inputs import MixedDictInputs
from keras_stackgan.models.vqvae.gated_pixelcnn_block import GatedPixelCNNBlock


@keras.saving.register_keras_serializable(package="keras_stackgan")
class GatedPixelCNN(MixedDictInputs, keras.Model):
    """Autoregressive model ``p(c) = prod_(i, j) p(c_ij | c_<ij)`` of an ``H x W`` index grid.

    The gated PixelCNN of van den Oord et al. (2016) over VQ-VAE codes, as the VQ-VAE priors
    (van den Oord et al. 2017, section 4.2; Razavi et al. 2019, section 3.2): the indices are
    embedded, pass a mask-A ``GatedPixelCNNBlock`` of ``first_kernel_size`` and ``num_layers
    - 1`` mask-B blocks, and ``ReLU -> 1x1 conv -> ReLU -> 1x1 conv`` of the horizontal stack
    gives ``K`` logits per position. The logits at ``(i, j)`` depend only on the indices before
    ``(i, j)`` in raster order. Optional conditions, added inside every gate: a class label
    (``num_classes > 0``; the paper's class-conditional PixelCNN) and a coarser index grid
    (``condition_size > 0``: VQ-VAE-2's bottom prior conditioned on the top codes, embedded,
    upsampled to ``H x W`` by nearest neighbour and mixed by a 3x3 convolution).

    Args:
        grid_size: int, ``H = W`` of the index grid.
        num_embeddings: int, ``K``, the codebook size.
        filters: int, width of the stacks (128).
        num_layers: int >= 1, gated blocks (10).
        first_kernel_size: int, odd, kernel of the first (mask A) block (7).
        kernel_size: int, odd, kernel of the later blocks (3).
        num_classes: int, 0 (unconditional) or the number of class labels.
        condition_size: int, 0 or the side of the conditioning grid (dividing ``grid_size``).
        condition_embeddings: int, codebook size of the conditioning grid (when used).

    Inputs (a dict):
        indices: int ``[batch, H, W]`` in ``[0, K)``.
        labels: int ``[batch]`` (when ``num_classes``).
        condition: int ``[batch, condition_size, condition_size]`` (when ``condition_size``).

    Outputs:
        float32 logits ``[batch, H, W, K]``.
    """

    def __init__(
        self,
        grid_size: int,
        num_embeddings: int,
        filters: int = 128,
        num_layers: int = 10,
        first_kernel_size: int = 7,
        kernel_size: int = 3,
        num_classes: int = 0,
        condition_size: int = 0,
        condition_embeddings: int = 0,
        **kwargs,
    ):
        if num_layers < 1:
            raise ValueError(f"num_layers must be >= 1, received {num_layers}")
        if condition_size and grid_size % condition_size:
            raise ValueError(f"condition_size {condition_size} must divide grid_size {grid_size}")
        conditional = bool(num_classes or condition_size)

        # === Layers ===
        embed = keras.layers.Embedding(num_embeddings, filters, name="embedding")
        blocks = [
            GatedPixelCNNBlock(
                filters,
                first_kernel_size if i == 0 else kernel_size,
                "A" if i == 0 else "B",
                conditional=conditional,
                name=f"gated_{i}",
            )
            for i in range(num_layers)
        ]
        hidden = keras.layers.Conv2D(filters, 1, name="out_hidden")
        to_logits = keras.layers.Conv2D(num_embeddings, 1, dtype="float32", name="logits")
        if num_classes:
            label_embed = keras.layers.Embedding(num_classes, filters, name="label_embedding")
        if condition_size:
            condition_embed = keras.layers.Embedding(
                condition_embeddings, filters, name="condition_embedding"
            )
            upsample = keras.layers.UpSampling2D(grid_size // condition_size, name="upsample")
            condition_conv = keras.layers.Conv2D(filters, 3, padding="same", name="condition_conv")

        # === Functional Model ===
        inputs = {"indices": keras.Input((grid_size, grid_size), dtype="int32", name="indices")}
        condition = None
        if num_classes:
            inputs["labels"] = keras.Input((), dtype="int32", name="labels")
            condition = ops.reshape(label_embed(inputs["labels"]), (-1, 1, 1, filters))
        if condition_size:
            shape = (condition_size, condition_size)
            inputs["condition"] = keras.Input(shape, dtype="int32", name="condition")
            spatial = condition_conv(upsample(condition_embed(inputs["condition"])))
            condition = spatial if condition is None else spatial + condition
        vertical = horizontal = embed(inputs["indices"])
        for block in blocks:
            vertical, horizontal = block(vertical, horizontal, condition=condition)
        logits = to_logits(ops.relu(hidden(ops.relu(horizontal))))
        super().__init__(inputs=inputs, outputs=logits, **kwargs)

        # === Config ===
        self.grid_size = grid_size
        self.num_embeddings = num_embeddings
        self.filters = filters
        self.num_layers = num_layers
        self.first_kernel_size = first_kernel_size
        self.kernel_size = kernel_size
        self.num_classes = num_classes
        self.condition_size = condition_size
        self.condition_embeddings = condition_embeddings

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "grid_size": self.grid_size,
            "num_embeddings": self.num_embeddings,
            "filters": self.filters,
            "num_layers": self.num_layers,
            "first_kernel_size": self.first_kernel_size,
            "kernel_size": self.kernel_size,
            "num_classes": self.num_classes,
            "condition_size": self.condition_size,
            "condition_embeddings": self.condition_embeddings,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
