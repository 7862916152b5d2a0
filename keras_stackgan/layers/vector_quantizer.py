"""``VectorQuantizer``: VQ-VAE's nearest-neighbour codebook with a straight-through gradient."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import ops


@keras.saving.register_keras_serializable(package="keras_stackgan")
class VectorQuantizer(keras.layers.Layer):
    """Maps each ``D``-vector of its input to the nearest of ``K`` learned codebook vectors.

    van den Oord et al. (2017), section 3.1: ``z_q(x) = e_k`` with
    ``k = argmin_j ||z_e(x) - e_j||_2``. The decoder receives the straight-through value
    ``z_e + stop_gradient(e_k - z_e)``: equal to ``e_k`` forward, with the identity as its
    gradient with respect to ``z_e`` (section 3.2), so the reconstruction gradient reaches the
    encoder unchanged. The codebook is learned either by the codebook loss
    ``||sg[z_e] - e||^2`` (``keras_stackgan.losses.vector_quantization_loss``, on the
    returned ``codes``) or, with ``ema=True``, by exponential moving averages (appendix A.1;
    Razavi et al. 2019, eq. 2-4), applied during training calls::

        N_i <- decay N_i + (1 - decay) n_i          (n_i: inputs assigned to code i)
        m_i <- decay m_i + (1 - decay) sum_j z_j    (the assigned inputs)
        e_i <- m_i / N~_i,   N~_i = (N_i + eps) / (sum N + K eps) * sum N   (Laplace smoothing)

    All computation is float32, also under mixed precision; under ``tf.distribute`` the
    counts and sums are summed over replicas first.

    Args:
        num_embeddings: int, ``K``, the codebook size (512 in both papers).
        embedding_dim: int, ``D``, the vector width (64).
        ema: bool, EMA codebook updates (the codebook is then not trainable). Default False.
        decay: float, the EMA decay (0.99).
        epsilon: float, the Laplace smoothing of the EMA counts (1e-5).

    Call arguments:
        inputs: float ``[..., D]``, the encoder outputs ``z_e``.
        training: bool, EMA updates happen only when True.

    Returns:
        dict: ``quantized`` float32 ``[..., D]`` (straight-through, for the decoder),
        ``codes`` float32 ``[..., D]`` (the codebook vectors ``e_k``, for the losses) and
        ``indices`` int32 ``[...]`` (``k``).
    """

    def __init__(
        self,
        num_embeddings: int = 512,
        embedding_dim: int = 64,
        ema: bool = False,
        decay: float = 0.99,
        epsilon: float = 1e-5,
        **kwargs,
    ):
        kwargs.setdefault("dtype", "float32")
        super().__init__(**kwargs)
        self.num_embeddings = int(num_embeddings)
        self.embedding_dim = int(embedding_dim)
        self.ema = bool(ema)
        self.decay = float(decay)
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        if input_shape[-1] != self.embedding_dim:
            raise ValueError(
                f"VectorQuantizer of embedding_dim {self.embedding_dim} received inputs of "
                f"width {input_shape[-1]}"
            )
        shape = (self.num_embeddings, self.embedding_dim)
        initializer = keras.initializers.VarianceScaling(distribution="uniform")
        self.codebook = self.add_weight(
            shape=shape, initializer=initializer, trainable=not self.ema, name="codebook"
        )
        if self.ema:
            self.ema_count = self.add_weight(
                shape=(self.num_embeddings,), initializer="zeros", trainable=False, name="count"
            )
            self.ema_sum = self.add_weight(
                shape=shape, initializer="zeros", trainable=False, name="sum"
            )
            self.ema_sum.assign(self.codebook)  # m_i / N_i starts at the codebook

    def nearest(self, flat):
        """int32 ``[N]``: the index of the nearest codebook vector of each row of ``flat``."""
        distances = (
            ops.sum(ops.square(flat), axis=1, keepdims=True)
            - 2.0 * ops.matmul(flat, ops.transpose(self.codebook))
            + ops.sum(ops.square(self.codebook), axis=1)[None, :]
        )
        return ops.cast(ops.argmin(distances, axis=1), "int32")

    def lookup(self, indices):
        """float32 ``[..., D]``: the codebook vectors of int ``indices [...]``."""
        return ops.take(self.codebook, ops.cast(indices, "int32"), axis=0)

    def call(self, inputs, training=None):
        z = ops.cast(inputs, "float32")
        flat = ops.reshape(z, (-1, self.embedding_dim))
        flat_indices = self.nearest(flat)
        if training and self.ema:
            self._ema_update(flat, flat_indices)
        indices = ops.reshape(flat_indices, ops.shape(z)[:-1])
        codes = self.lookup(indices)
        quantized = z + ops.stop_gradient(codes - z)
        return {"quantized": quantized, "codes": codes, "indices": indices}

    def _ema_update(self, flat, indices):
        one_hot = ops.one_hot(indices, self.num_embeddings, dtype="float32")
        counts = ops.sum(one_hot, axis=0)
        sums = ops.matmul(ops.transpose(one_hot), ops.stop_gradient(flat))
        context = tf.distribute.get_replica_context()
        if context is not None and context.num_replicas_in_sync > 1:
            counts, sums = context.all_reduce("sum", [counts, sums])
        d = self.decay
        count = self.ema_count * d + (1.0 - d) * counts
        total = self.ema_sum * d + (1.0 - d) * sums
        n = ops.sum(count)
        smoothed = (count + self.epsilon) / (n + self.num_embeddings * self.epsilon) * n
        self.ema_count.assign(count)
        self.ema_sum.assign(total)
        self.codebook.assign(total / smoothed[:, None])

    def compute_output_spec(self, inputs, training=None):
        shape = inputs.shape
        vectors = keras.KerasTensor(shape, dtype="float32")
        return {
            "quantized": vectors,
            "codes": keras.KerasTensor(shape, dtype="float32"),
            "indices": keras.KerasTensor(shape[:-1], dtype="int32"),
        }

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_embeddings": self.num_embeddings,
                "embedding_dim": self.embedding_dim,
                "ema": self.ema,
                "decay": self.decay,
                "epsilon": self.epsilon,
            }
        )
        return config


def codebook_perplexity(indices, num_embeddings: int) -> float:
    """``exp(-sum_k p_k log p_k)`` of the code frequencies ``p`` in ``indices`` (numpy).

    The effective number of codes in use: 1 when one code takes everything, ``K`` when all
    are used equally (the "perplexity" reported by Sonnet's VQ-VAE and the papers' code).
    Measure it over a whole held-out set (``batch_perplexity`` is the per-batch training log).

    Args:
        indices: int array or tensor of any shape, codes in ``[0, num_embeddings)``.
        num_embeddings: int, ``K``.

    Returns:
        float in ``[1, K]``.
    """
    flat = np.asarray(keras.ops.convert_to_numpy(indices)).reshape(-1).astype(np.int64)
    counts = np.bincount(flat, minlength=num_embeddings).astype(np.float64)
    p = counts[counts > 0] / max(counts.sum(), 1.0)
    return float(np.exp(-np.sum(p * np.log(p))))


def batch_perplexity(indices, num_embeddings: int):
    """``codebook_perplexity`` of one batch as a float32 scalar tensor (traceable, XLA)."""
    one_hot = ops.one_hot(ops.reshape(ops.cast(indices, "int32"), (-1,)), num_embeddings)
    p = ops.mean(one_hot, axis=0)
    return ops.exp(-ops.sum(p * ops.log(p + 1e-10)))
