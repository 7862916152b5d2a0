"""``CharCNNRNNEncoder``: Reed et al.'s character-level CNN-RNN text encoder, in TensorFlow."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from keras_stackgan.text.text_encoder import TextEncoder

# Reed et al.'s alphabet (after Zhang et al.'s char-CNN): 70 symbols, "-" listed twice, so 69
# distinct characters. Text is ASCII-lower-cased; any other character is an all-zero column.
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-,;.!?:'\"/\\|_@#$%^&*~`+-=<>()[]{} "
ALPHABET_SIZE = 70
assert len(ALPHABET) == ALPHABET_SIZE


def _ascii_to_alphabet_index() -> np.ndarray:
    table = np.full(128, -1, dtype=np.int32)
    for i, char in reversed(list(enumerate(ALPHABET))):  # first occurrence wins
        table[ord(char)] = i
    return table


@keras.saving.register_keras_serializable(package="keras_stackgan")
class CharCNNRNNEncoder(TextEncoder):
    """Character-level CNN-RNN text encoder (Reed et al., CVPR 2016), trainable from scratch.

    The encoder StackGAN and GAN-INT-CLS condition on: text is lower-cased and one-hot encoded
    over a 70-symbol alphabet at ``sequence_length`` (201) characters (longer text is cut,
    shorter text padded with all-zero columns; characters outside the alphabet, including all
    non-ASCII ones, are all-zero columns). Three blocks of ``Conv1D(kernel_size) -> ReLU ->
    MaxPool1D(pool_size, stride)`` shrink the 201 positions to a few time steps, a recurrent
    layer runs over them, its hidden states are averaged over time and a linear layer maps them
    to ``embedding_dim`` (1024).

    ``CharCNNRNNEncoder.cvpr2016()`` is the char-CNN-RNN of Reed et al.'s released code
    (reedscot/cvpr2016 ``modules/HybridCNN.lua`` with ``FixedRNN.lua``): filters 384, 512, 256,
    kernel 4, pools 3/3, 3/3 and 3 with stride 2 (201 -> 66 -> 21 -> 8 time steps), a ReLU RNN of
    256 units averaged over its 8 steps. One difference remains: ``keras.layers.SimpleRNN`` has
    one bias, where Reed's first step omits the hidden-to-hidden bias. The class defaults (pools
    3/3 throughout, 6 time steps, a GRU of 512) are this package's earlier layout, kept so saved
    encoders load unchanged. Outputs are not normalised: compatibility with images is a dot
    product, as in the paper. Train it with ``JointEmbeddingModel`` and
    ``symmetric_joint_embedding_loss`` (the symmetric structured joint embedding objective,
    Reed et al. 2016, "Learning Deep Representations of Fine-Grained Visual Descriptions";
    GAN-INT-CLS sec. 3.2); see ``recipes/train_char_cnn_rnn.py``.

    Quantization runs in the graph, so the encoder takes raw ``tf.string`` text inside
    ``tf.function`` and SavedModels. Empty or whitespace-only text gives the (fixed) embedding
    of an all-zero input.

    Args:
        embedding_dim: int. Output size. Defaults to 1024.
        sequence_length: int. Characters read per text. Defaults to 201.
        conv_filters: sequence of 3 ints. Filters of the three conv blocks. Defaults to
            ``(384, 512, 512)``.
        kernel_size: int. Conv kernel width (characters). Defaults to 4.
        pool_size: int. Max-pooling width. Defaults to 3.
        pool_strides: optional sequence of 3 ints, the pooling strides (default ``pool_size``
            each; Reed's cvpr2016 encoder uses ``(3, 3, 2)``).
        rnn_type: ``"gru"``, ``"lstm"`` or ``"rnn"`` (a ReLU ``SimpleRNN``, Reed's
            ``FixedRNN``). Defaults to ``"gru"``.
        rnn_dim: int. Hidden size of the recurrent layer. Defaults to 512.
        dropout: float. Dropout before the output projection (training only). Defaults to 0.
        **kwargs: passed to ``keras.Model``.

    Call arguments:
        inputs: ``tf.string`` tensor of shape ``[batch]``.
        training: bool. Whether dropout is active.

    Returns:
        float32 tensor of shape ``[batch, embedding_dim]`` (unbounded values).

    Examples:
    ```python
    encoder = keras_stackgan.text.CharCNNRNNEncoder()
    encoder(tf.constant(["this bird is red with black wings"]))  # (1, 1024)
    ```
    """

    def __init__(
        self,
        embedding_dim: int = 1024,
        sequence_length: int = 201,
        conv_filters: tuple[int, int, int] | list[int] = (384, 512, 512),
        kernel_size: int = 4,
        pool_size: int = 3,
        pool_strides: tuple[int, ...] | list[int] | None = None,
        rnn_type: str = "gru",
        rnn_dim: int = 512,
        dropout: float = 0.0,
        **kwargs,
    ):
        if rnn_type not in ("gru", "lstm", "rnn"):
            raise ValueError(f"rnn_type must be 'gru', 'lstm' or 'rnn', got {rnn_type!r}.")
        strides = list(pool_strides or [pool_size] * len(conv_filters))
        if len(strides) != len(conv_filters):
            raise ValueError(f"pool_strides needs {len(conv_filters)} values, got {strides}.")
        steps = sequence_length
        for stride in strides:
            steps = (steps - kernel_size + 1 - pool_size) // stride + 1
        if steps < 1:
            raise ValueError(
                f"sequence_length={sequence_length} is too short for {len(conv_filters)} blocks "
                f"of kernel_size={kernel_size} and pool_size={pool_size}."
            )
        super().__init__(embedding_dim=embedding_dim, **kwargs)

        # === Layers ===
        self.conv_blocks = []
        for i, filters in enumerate(conv_filters):
            self.conv_blocks.append(
                keras.layers.Conv1D(
                    filters,
                    kernel_size,
                    activation="relu",
                    dtype=self.dtype_policy,
                    name=f"conv_{i}",
                )  # fmt: skip
            )
            self.conv_blocks.append(
                keras.layers.MaxPooling1D(
                    pool_size, strides[i], dtype=self.dtype_policy, name=f"pool_{i}"
                )
            )
        rnn_kwargs = {"return_sequences": True, "dtype": self.dtype_policy, "name": rnn_type}
        if rnn_type == "rnn":
            self.rnn = keras.layers.SimpleRNN(rnn_dim, activation="relu", **rnn_kwargs)
        else:
            rnn_class = keras.layers.GRU if rnn_type == "gru" else keras.layers.LSTM
            self.rnn = rnn_class(rnn_dim, **rnn_kwargs)
        self.dropout_layer = keras.layers.Dropout(dropout, dtype=self.dtype_policy, name="dropout")
        self.projection = keras.layers.Dense(
            embedding_dim, dtype=self.dtype_policy, name="projection"
        )
        self._index_table = tf.constant(_ascii_to_alphabet_index())

        # === Build ===
        shape = (None, sequence_length, ALPHABET_SIZE)
        for layer in self.conv_blocks:
            layer.build(shape)
            shape = layer.compute_output_shape(shape)
        self.rnn.build(shape)
        self.projection.build((None, rnn_dim))
        self.built = True

        # === Config ===
        self.sequence_length = sequence_length
        self.conv_filters = list(conv_filters)
        self.kernel_size = kernel_size
        self.pool_size = pool_size
        self.pool_strides = list(pool_strides) if pool_strides is not None else None
        self.time_steps = steps
        self.rnn_type = rnn_type
        self.rnn_dim = rnn_dim
        self.dropout = dropout

    @classmethod
    def cvpr2016(cls, embedding_dim: int = 1024, dropout: float = 0.0, **kwargs):
        """Reed et al.'s released char-CNN-RNN layout (see the class docstring): 8 time steps."""
        return cls(
            embedding_dim=embedding_dim,
            conv_filters=(384, 512, 256),
            kernel_size=4,
            pool_size=3,
            pool_strides=(3, 3, 2),
            rnn_type="rnn",
            rnn_dim=256,
            dropout=dropout,
            **kwargs,
        )

    def char_indices(self, texts) -> tf.Tensor:
        """Alphabet indices of ``texts``: int32 ``[batch, sequence_length]``, -1 = no character.

        Args:
            texts: ``tf.string`` tensor ``[batch]``.
        """
        codes = tf.strings.unicode_decode(
            tf.strings.lower(texts), "UTF-8", errors="replace", replacement_char=0
        )
        codes = codes.to_tensor(default_value=0, shape=[None, self.sequence_length])
        codes = tf.where(codes < 128, codes, 0)
        return tf.gather(self._index_table, codes)

    def encode_strings(self, texts: tf.Tensor, training: bool = False) -> tf.Tensor:
        def embed():
            x = tf.one_hot(self.char_indices(texts), ALPHABET_SIZE, dtype=self.compute_dtype)
            for layer in self.conv_blocks:
                x = layer(x)
            x = self.rnn(x, training=training)
            x = tf.reduce_mean(x, axis=1)
            x = self.dropout_layer(x, training=training)
            return tf.cast(self.projection(x), "float32")

        # CPU convolutions reject an empty batch; its embedding is simply [0, embedding_dim].
        if texts.shape[0] is not None and texts.shape[0] > 0:
            return embed()
        return tf.cond(
            tf.size(texts) > 0, embed, lambda: tf.zeros([0, self.embedding_dim], "float32")
        )

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "sequence_length": self.sequence_length,
                "conv_filters": list(self.conv_filters),
                "kernel_size": self.kernel_size,
                "pool_size": self.pool_size,
                "pool_strides": self.pool_strides,
                "rnn_type": self.rnn_type,
                "rnn_dim": self.rnn_dim,
                "dropout": self.dropout,
            }
        )
        return config
