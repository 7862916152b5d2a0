"""Conditioning Augmentation (StackGAN, Zhang et al. 2017, section 3.1)."""

from __future__ import annotations

import keras
from keras import ops

from keras_stackgan.layers.initializers import conv_init


@keras.saving.register_keras_serializable(package="keras_stackgan")
class ConditioningAugmentation(keras.layers.Layer):
    """Maps a text embedding to a Gaussian and samples the generator's condition from it.

    ``embedding -> Dense(2 * condition_dim) -> LeakyReLU(0.2) -> (mu, logvar)``, then
    ``c = mu + exp(logvar / 2) * epsilon`` with ``epsilon ~ N(0, I)``. The layers are those of
    the original TensorFlow code (``generate_condition``: fully connected layer, leaky ReLU 0.2,
    first half of the columns the mean); StackGAN-Pytorch's ``CA_NET`` uses a plain ReLU. The
    second half is read as in StackGAN-Pytorch, as a log-*variance* (``reparametrize``:
    ``std = logvar.mul(0.5).exp_()``; KL from ``logvar``). The TensorFlow code reads it as a
    log-*standard deviation* instead (``sample_encoded_context``: ``stddev =
    tf.exp(c_mean_logsigma[1])``, ``KL_loss(mu, log_sigma)``), so the same Dense output gives
    a standard deviation ``exp(h / 2)`` here and ``exp(h)`` there. Both original codes sample
    ``epsilon`` at test time too (TensorFlow: ``tf.truncated_normal``, within two standard
    deviations; PyTorch: a normal); see ``keras_stackgan.evaluation``.

    The noise ``epsilon`` is an input rather than drawn inside the layer, so the caller decides:
    training steps pass fresh standard-normal noise, inference passes zeros (``c = mu``) or noise
    drawn from a seed. When ``epsilon`` is omitted, the layer samples in training mode with its own
    seed generator and returns ``mu`` otherwise.

    The KL divergence of ``N(mu, diag(exp(logvar)))`` to ``N(0, I)`` is available from
    ``keras_stackgan.losses.kl_divergence(mu, logvar)``.

    Args:
        condition_dim: int, size of ``c`` (the paper's ``N_g``, 128).
        seed: int or None, seed of the internal generator used when ``epsilon`` is omitted.

    Call arguments:
        embedding: float tensor ``[batch, embedding_dim]``.
        epsilon: optional float tensor ``[batch, condition_dim]``, standard-normal noise.

    Returns:
        ``(c, mu, logvar)``, each ``[batch, condition_dim]``; ``mu`` and ``logvar`` are float32
        whatever the dtype policy, because the KL term is computed from them.

    Examples:
    >>> ca = ConditioningAugmentation(condition_dim=4)
    >>> c, mu, logvar = ca(keras.random.normal((2, 8)))
    >>> c.shape
    TensorShape([2, 4])
    """

    def __init__(self, condition_dim: int = 128, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.condition_dim = condition_dim
        self.seed = seed
        self.dense = keras.layers.Dense(
            2 * condition_dim, kernel_initializer=conv_init(), name="dense", dtype=self.dtype_policy
        )
        self.seed_generator = keras.random.SeedGenerator(seed)

    def build(self, input_shape):
        self.dense.build(input_shape)
        self.built = True

    def call(self, embedding, epsilon=None, training=None):
        x = ops.leaky_relu(self.dense(embedding), negative_slope=0.2)
        x = ops.cast(x, "float32")
        mu = x[:, : self.condition_dim]
        logvar = x[:, self.condition_dim :]
        if epsilon is None:
            if not training:
                return ops.cast(mu, self.compute_dtype), mu, logvar
            epsilon = keras.random.normal(ops.shape(mu), seed=self.seed_generator)
        c = mu + ops.exp(0.5 * logvar) * ops.cast(epsilon, "float32")
        return ops.cast(c, self.compute_dtype), mu, logvar

    def compute_output_shape(self, input_shape):
        shape = (input_shape[0], self.condition_dim)
        return shape, shape, shape

    def get_config(self):
        config = super().get_config()
        config.update({"condition_dim": self.condition_dim, "seed": self.seed})
        return config
