"""LayerNormDownBlock: shapes, per-example layer norm against numpy, config and saving."""

import keras
import numpy as np

from keras_stackgan.layers.layer_norm_down_block import LayerNormDownBlock
from tests.test_case import assert_outputs_equal, run_model_saving_test, run_serialization_test

X = np.random.default_rng(0).normal(size=(3, 8, 8, 4)).astype("float32")


def test_shape_normalisation_and_serialization(tmp_path):
    block = LayerNormDownBlock(6, kernel_size=3)
    y = np.asarray(block(X))
    assert y.shape == (3, 4, 4, 6) == tuple(block.compute_output_shape(X.shape))
    assert block.conv.use_bias is False
    # Before the LeakyReLU: per example, zero mean and unit variance over (H, W, C).
    conv = np.asarray(block.conv(X)).reshape(3, -1)
    expected = (conv - conv.mean(1, keepdims=True)) / np.sqrt(conv.var(1, keepdims=True) + 1e-5)
    expected = np.where(expected > 0, expected, 0.2 * expected).reshape(y.shape)
    np.testing.assert_allclose(y, expected, atol=1e-4)
    # Per-channel scale and offset, as the WGAN-GP authors' Layernorm.
    assert [tuple(w.shape) for w in block.norm.weights] == [(6,), (6,)]
    # Each example on its own: the batch does not change its output.
    np.testing.assert_allclose(np.asarray(block(X[:1])), y[:1], atol=1e-6)

    revived = run_serialization_test(block)
    assert revived.get_config()["kernel_size"] == 3 and revived.get_config()["epsilon"] == 1e-5
    revived(X)
    revived.set_weights(block.get_weights())
    assert_outputs_equal(block(X), revived(X))

    inputs = keras.Input((8, 8, 4))
    model = keras.Model(inputs, LayerNormDownBlock(5, name="block")(inputs))
    run_model_saving_test(model, X, tmp_path)


def test_mixed_precision_statistics_in_float32():
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        block = LayerNormDownBlock(4)
        y = block(X * 1000.0)  # float16 statistics of these would overflow
    finally:
        keras.mixed_precision.set_global_policy("float32")
    assert y.dtype == "float16" and np.all(np.isfinite(np.asarray(y, "float32")))
