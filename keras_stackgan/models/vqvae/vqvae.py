"""VQ-VAE (van den Oord et al. 2017): one vector-quantised latent grid."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan.layers.vector_quantizer import VectorQuantizer
from keras_stackgan.models.vqvae.vqvae_networks import downsampling_encoder, upsampling_decoder


@keras.saving.register_keras_serializable(package="keras_stackgan")
class VQVAE(keras.Model):
    """Image -> one grid of codes at 1/4 of the side -> reconstruction.

    van den Oord et al. (2017), section 4.1: two 4x4 stride-2 convolutions with ReLU, a 3x3
    convolution and two residual blocks, a 1x1 convolution to the code width, the
    ``VectorQuantizer``, and a decoder mirroring the encoder with transposed convolutions.

    Args:
        image_size: int, image side, a multiple of 4 (64).
        channels: int, image channels (3).
        hidden_filters: int, encoder/decoder width (128; the paper's 256).
        residual_filters: int, width of the residual blocks (32).
        num_residual_blocks: int (2).
        num_embeddings: int, codebook size K (512).
        embedding_dim: int, code width D (64).
        ema: bool, EMA codebook updates (True).
        ema_decay: float (0.99).

    Inputs:
        float ``[batch, S, S, channels]`` in [-1, 1].

    Outputs (a dict, float32):
        reconstruction ``[batch, S, S, channels]``; ``bottom_encoded``, ``bottom_codes``
        ``[batch, S/4, S/4, D]`` and ``bottom_indices`` int32 ``[batch, S/4, S/4]`` (one
        level, named like VQ-VAE-2's bottom level).
    """

    levels = ("bottom",)

    def __init__(
        self,
        image_size: int = 64,
        channels: int = 3,
        hidden_filters: int = 128,
        residual_filters: int = 32,
        num_residual_blocks: int = 2,
        num_embeddings: int = 512,
        embedding_dim: int = 64,
        ema: bool = True,
        ema_decay: float = 0.99,
        **kwargs,
    ):
        if image_size % 4:
            raise ValueError(f"image_size must be a multiple of 4, received {image_size}")
        h, r, n = hidden_filters, residual_filters, num_residual_blocks

        # === Layers ===
        encoder = downsampling_encoder(h, r, n, 2, "encoder")
        pre_quantize = keras.layers.Conv2D(embedding_dim, 1, name="pre_quantize")
        quantizer = VectorQuantizer(
            num_embeddings, embedding_dim, ema=ema, decay=ema_decay, name="quantizer"
        )
        decoder = upsampling_decoder(h, r, n, 2, channels, "decoder", out_dtype="float32")

        # === Functional Model ===
        images = keras.Input((image_size, image_size, channels), name="images")
        encoded = ops.cast(pre_quantize(encoder(images)), "float32")
        quantized = quantizer(encoded)
        reconstruction = ops.cast(decoder(quantized["quantized"]), "float32")
        super().__init__(
            inputs=images,
            outputs={
                "reconstruction": reconstruction,
                "bottom_encoded": encoded,
                "bottom_codes": quantized["codes"],
                "bottom_indices": quantized["indices"],
            },
            **kwargs,
        )

        # === Config ===
        self.image_size = image_size
        self.channels = channels
        self.hidden_filters = hidden_filters
        self.residual_filters = residual_filters
        self.num_residual_blocks = num_residual_blocks
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        self.ema = ema
        self.ema_decay = ema_decay

    @property
    def grid_sizes(self) -> dict:
        """``{"bottom": S / 4}``: the side of the index grid."""
        return {"bottom": self.image_size // 4}

    def decode_indices(self, bottom_indices):
        """float32 images ``[n, S, S, C]`` from an index grid ``[n, S/4, S/4]``."""
        codes = self.get_layer("quantizer").lookup(bottom_indices)
        return ops.cast(self.get_layer("decoder")(codes, training=False), "float32")

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "image_size": self.image_size,
            "channels": self.channels,
            "hidden_filters": self.hidden_filters,
            "residual_filters": self.residual_filters,
            "num_residual_blocks": self.num_residual_blocks,
            "num_embeddings": self.num_embeddings,
            "embedding_dim": self.embedding_dim,
            "ema": self.ema,
            "ema_decay": self.ema_decay,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)
