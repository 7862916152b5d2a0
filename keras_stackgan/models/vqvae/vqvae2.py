"""VQ-VAE-2 (Razavi et al. 2019): a two-level hierarchy of vector-quantised latent grids."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan.layers.vector_quantizer import VectorQuantizer
from keras_stackgan.models.vqvae.vqvae_networks import downsampling_encoder, upsampling_decoder


@keras.saving.register_keras_serializable(package="keras_stackgan")
class VQVAE2(keras.Model):
    """Image -> top codes (1/8 of the side) and bottom codes (1/4) -> reconstruction.

    Razavi et al. (2019), figure 2a and algorithm 1: the bottom encoder downsamples 4x, the top
    encoder 2x more; the top features are quantised (``top_quantizer``), decoded back to the
    bottom resolution and concatenated with the bottom features, which are quantised
    conditioned on them (``bottom_quantizer``); the decoder sees the bottom codes and the
    upsampled top codes. Layer widths follow the reference code (see ``VQVAEConfig``).

    Args:
        image_size: int, image side, a multiple of 8 (64).
        channels: int, image channels (3).
        hidden_filters: int, encoder/decoder width (128).
        residual_filters: int, width of the residual blocks (32).
        num_residual_blocks: int (2).
        num_embeddings: int, codebook size K of each level (512).
        embedding_dim: int, code width D (64).
        ema: bool, EMA codebook updates (True).
        ema_decay: float (0.99).

    Inputs:
        float ``[batch, S, S, channels]`` in [-1, 1].

    Outputs (a dict, float32):
        reconstruction ``[batch, S, S, channels]`` (unbounded, ~[-1, 1]); for ``level`` in
        ``top``, ``bottom``: ``{level}_encoded`` and ``{level}_codes`` ``[batch, s, s, D]``
        (``z_e`` and its codebook vectors, for the losses) and ``{level}_indices`` int32
        ``[batch, s, s]`` with ``s = S / 8`` (top) or ``S / 4`` (bottom).
    """

    levels = ("top", "bottom")

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
        if image_size % 8:
            raise ValueError(f"image_size must be a multiple of 8, received {image_size}")
        h, r, n, d = hidden_filters, residual_filters, num_residual_blocks, embedding_dim
        quantizer = {"num_embeddings": num_embeddings, "embedding_dim": d, "ema": ema}

        # === Layers ===
        bottom_encoder = downsampling_encoder(h, r, n, 2, "bottom_encoder")
        top_encoder = downsampling_encoder(h, r, n, 1, "top_encoder")
        top_pre_quantize = keras.layers.Conv2D(d, 1, name="top_pre_quantize")
        top_quantizer = VectorQuantizer(**quantizer, decay=ema_decay, name="top_quantizer")
        top_decoder = upsampling_decoder(h, r, n, 1, d, "top_decoder")
        bottom_pre_quantize = keras.layers.Conv2D(d, 1, name="bottom_pre_quantize")
        bottom_quantizer = VectorQuantizer(**quantizer, decay=ema_decay, name="bottom_quantizer")
        upsample_top = keras.layers.Conv2DTranspose(
            d, 4, strides=2, padding="same", name="upsample_top"
        )
        decoder = upsampling_decoder(h, r, n, 2, channels, "decoder", out_dtype="float32")

        # === Functional Model ===
        images = keras.Input((image_size, image_size, channels), name="images")
        bottom_features = bottom_encoder(images)
        top_encoded = ops.cast(top_pre_quantize(top_encoder(bottom_features)), "float32")
        top = top_quantizer(top_encoded)
        top_context = top_decoder(top["quantized"])
        joined = ops.concatenate([top_context, bottom_features], axis=-1)
        bottom_encoded = ops.cast(bottom_pre_quantize(joined), "float32")
        bottom = bottom_quantizer(bottom_encoded)
        latents = ops.concatenate([upsample_top(top["quantized"]), bottom["quantized"]], axis=-1)
        reconstruction = ops.cast(decoder(latents), "float32")
        super().__init__(
            inputs=images,
            outputs={
                "reconstruction": reconstruction,
                "top_encoded": top_encoded,
                "top_codes": top["codes"],
                "top_indices": top["indices"],
                "bottom_encoded": bottom_encoded,
                "bottom_codes": bottom["codes"],
                "bottom_indices": bottom["indices"],
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
        """``{"top": S / 8, "bottom": S / 4}``: the sides of the two index grids."""
        return {"top": self.image_size // 8, "bottom": self.image_size // 4}

    def decode_indices(self, top_indices, bottom_indices):
        """float32 images ``[n, S, S, C]`` from index grids ``[n, S/8, S/8]``, ``[n, S/4, S/4]``
        (what sampling from the priors produces)."""
        top = self.get_layer("top_quantizer").lookup(top_indices)
        bottom = self.get_layer("bottom_quantizer").lookup(bottom_indices)
        upsampled = ops.cast(self.get_layer("upsample_top")(top), "float32")
        latents = ops.concatenate([upsampled, bottom], axis=-1)
        return ops.cast(self.get_layer("decoder")(latents, training=False), "float32")

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
