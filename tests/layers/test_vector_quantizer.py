import numpy as np
import pytest
import tensorflow as tf

from keras_stackgan.layers.vector_quantizer import (
    VectorQuantizer,
    batch_perplexity,
    codebook_perplexity,
)
from keras_stackgan.losses import vector_quantization_loss
from tests.test_case import run_serialization_test


def _layer(ema=False, k=6, d=3):
    layer = VectorQuantizer(k, d, ema=ema, decay=0.9)
    layer.build((None, 2, 2, d))
    return layer


def _inputs(seed=0, d=3):
    return np.random.default_rng(seed).normal(size=(2, 2, 2, d)).astype("float32")


@pytest.mark.parametrize("ema", [False, True])
def test_get_config_round_trip(ema):
    revived = run_serialization_test(VectorQuantizer(8, 4, ema=ema, decay=0.95, epsilon=1e-4))
    assert (revived.num_embeddings, revived.embedding_dim, revived.ema) == (8, 4, ema)


def test_nearest_codebook_vectors_match_numpy():
    layer, x = _layer(), _inputs()
    out = layer(x)
    codebook = layer.codebook.numpy()
    distances = ((x.reshape(-1, 1, 3) - codebook[None]) ** 2).sum(-1)
    expected = distances.argmin(1).reshape(2, 2, 2)
    np.testing.assert_array_equal(out["indices"], expected)
    np.testing.assert_allclose(out["codes"], codebook[expected], atol=1e-6)
    np.testing.assert_allclose(out["quantized"], codebook[expected], atol=1e-6)


def test_straight_through_gradient_is_the_identity():
    layer, x = _layer(), tf.constant(_inputs())
    weights = tf.constant(np.random.default_rng(1).normal(size=x.shape).astype("float32"))
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = tf.reduce_sum(weights * layer(x)["quantized"])
    np.testing.assert_allclose(tape.gradient(out, x), weights, atol=1e-6)  # d z_q / d z_e = I


def test_commitment_and_codebook_losses_match_numpy_and_route_gradients():
    layer, x = _layer(), tf.constant(_inputs())
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        codes = layer(x)["codes"]
        losses = vector_quantization_loss(x, codes, commitment_cost=0.25)
    e = layer.codebook.numpy()[layer(x)["indices"].numpy()]
    squared = np.mean((x.numpy() - e) ** 2)
    np.testing.assert_allclose(losses["commitment"], squared, rtol=1e-5)
    np.testing.assert_allclose(losses["codebook"], squared, rtol=1e-5)
    np.testing.assert_allclose(losses["loss"], 1.25 * squared, rtol=1e-5)
    # The commitment term trains the encoder only; the codebook term the codebook only.
    grad_x = tape.gradient(losses["commitment"], x).numpy()
    np.testing.assert_allclose(grad_x, 2 * (x.numpy() - e) / x.numpy().size, rtol=1e-4, atol=1e-7)
    assert tape.gradient(losses["commitment"], layer.codebook) is None
    assert tape.gradient(losses["codebook"], x) is None
    ema_only = vector_quantization_loss(x, codes, 0.25, codebook=False)
    np.testing.assert_allclose(ema_only["loss"], 0.25 * squared, rtol=1e-5)


def test_ema_update_matches_numpy():
    layer, x = _layer(ema=True), _inputs()
    before = layer.codebook.numpy()
    count0, sum0 = layer.ema_count.numpy(), layer.ema_sum.numpy()
    np.testing.assert_array_equal(sum0, before)  # m / N starts at the codebook
    assert not layer.codebook.trainable
    flat = x.reshape(-1, 3)
    indices = ((flat[:, None] - before[None]) ** 2).sum(-1).argmin(1)
    layer(x, training=False)  # inference never updates
    np.testing.assert_array_equal(layer.codebook.numpy(), before)
    layer(x, training=True)
    one_hot = np.eye(6)[indices]
    count = 0.9 * count0 + 0.1 * one_hot.sum(0)
    total = 0.9 * sum0 + 0.1 * one_hot.T @ flat
    n = count.sum()
    smoothed = (count + 1e-5) / (n + 6 * 1e-5) * n
    np.testing.assert_allclose(layer.ema_count.numpy(), count, rtol=1e-5)
    np.testing.assert_allclose(layer.ema_sum.numpy(), total, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layer.codebook.numpy(), total / smoothed[:, None], rtol=1e-4)


def test_perplexity_counts_codes_in_use():
    assert codebook_perplexity(np.zeros((4, 4), int), 8) == pytest.approx(1.0)
    assert codebook_perplexity(np.arange(8).repeat(3), 8) == pytest.approx(8.0)
    two = np.array([0, 0, 0, 1])
    entropy = -(0.75 * np.log(0.75) + 0.25 * np.log(0.25))
    assert codebook_perplexity(two, 8) == pytest.approx(np.exp(entropy))
    assert float(batch_perplexity(two, 8)) == pytest.approx(np.exp(entropy), rel=1e-5)


def test_wrong_input_width_raises():
    with pytest.raises(ValueError, match="embedding_dim 3"):
        VectorQuantizer(4, 3)(np.zeros((1, 2, 2, 5), "float32"))
