"""The encoder and decoder stacks VQ-VAE and VQ-VAE-2 are assembled from (Sequential blocks).

Layer orders follow van den Oord et al. (2017, section 4.1) and Razavi et al. (2019, figure 2 and
appendix A): strided 4x4 convolutions with ReLU to downsample, a 3x3 convolution and a residual
stack; the decoder mirrors it with 4x4 stride-2 transposed convolutions.
"""

from __future__ import annotations

import keras

from keras_stackgan.models.vqvae.residual_stack import ResidualStack


def downsampling_encoder(
    hidden: int, residual: int, blocks: int, halvings: int, name: str
) -> keras.Sequential:
    """``halvings`` x (4x4 stride-2 conv, ReLU) -> 3x3 conv -> residual stack (ends in ReLU).

    The first of two halvings has ``hidden / 2`` channels, as in the papers' encoders.
    """
    layers = []
    for i in range(halvings):
        width = hidden // 2 if i < halvings - 1 else hidden
        layers.append(
            keras.layers.Conv2D(
                width, 4, strides=2, padding="same", activation="relu", name=f"down_{i}"
            )
        )
    layers.append(keras.layers.Conv2D(hidden, 3, padding="same", name="conv"))
    layers.append(ResidualStack(blocks, residual, name="residual_stack"))
    return keras.Sequential(layers, name=name)


def upsampling_decoder(
    hidden: int, residual: int, blocks: int, doublings: int, out_channels: int, name: str,
    out_dtype: str | None = None,
) -> keras.Sequential:  # fmt: skip
    """3x3 conv -> residual stack (ends in ReLU) -> ``doublings`` x 4x4 stride-2 transposed
    convs (ReLU between them, ``hidden / 2`` channels before the last), linear output."""
    layers = [
        keras.layers.Conv2D(hidden, 3, padding="same", name="conv"),
        ResidualStack(blocks, residual, name="residual_stack"),
    ]
    for i in range(doublings - 1):
        layers.append(
            keras.layers.Conv2DTranspose(
                hidden // 2, 4, strides=2, padding="same", activation="relu", name=f"up_{i}"
            )
        )
    layers.append(
        keras.layers.Conv2DTranspose(
            out_channels, 4, strides=2, padding="same", name="out", dtype=out_dtype
        )
    )
    return keras.Sequential(layers, name=name)
