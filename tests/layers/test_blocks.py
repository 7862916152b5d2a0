import keras
import numpy as np
import pytest

from keras_stackgan.layers import ConvBlock, DownBlock, MatchingAwareHead, ResidualBlock, UpBlock
from tests.test_case import assert_outputs_equal, run_serialization_test

X = np.random.default_rng(0).normal(size=(2, 8, 8, 6)).astype("float32")


@pytest.mark.parametrize(
    "layer, expected_shape",
    [
        (ConvBlock(5, 3, activation="leaky_relu"), (2, 8, 8, 5)),
        (ConvBlock(5, 1, batch_norm=False, activation=None), (2, 8, 8, 5)),
        (UpBlock(4), (2, 16, 16, 4)),
        (DownBlock(7), (2, 4, 4, 7)),
        (DownBlock(7, batch_norm=False, activation="relu"), (2, 4, 4, 7)),
        (ResidualBlock(), (2, 8, 8, 6)),
    ],
)
def test_block_shapes_and_serialization(layer, expected_shape):
    layer.build(X.shape)
    assert all(sub.built for sub in layer._flatten_layers())
    y = layer(X, training=True)
    assert tuple(y.shape) == expected_shape
    assert tuple(layer.compute_output_shape(X.shape)) == expected_shape
    revived = run_serialization_test(layer)
    revived(X)
    revived.set_weights(layer.get_weights())
    assert_outputs_equal(layer(X, training=False), revived(X, training=False))


def test_activations():
    relu = ConvBlock(4, batch_norm=False, activation="relu")(X)
    assert float(np.min(relu)) >= 0.0
    leaky = ConvBlock(4, batch_norm=False, activation="leaky_relu")(X)
    assert float(np.min(leaky)) < 0.0
    with pytest.raises(ValueError, match="activation"):
        ConvBlock(4, activation="gelu")


def test_dcgan_initialisation():
    block = ConvBlock(64, 3)
    block(np.zeros((1, 8, 8, 32), "float32"))
    kernel = block.conv.kernel.numpy()
    assert abs(kernel.std() - 0.02) < 0.003 and abs(kernel.mean()) < 0.003
    assert abs(block.bn.gamma.numpy().mean() - 1.0) < 0.01


def test_residual_block_adds_its_input():
    block = ResidualBlock()
    block(X)
    for w in block.conv2.weights:  # zero branch: output is relu(x)
        if "kernel" in w.path or "gamma" in w.path:
            w.assign(np.zeros(w.shape))
    np.testing.assert_allclose(block(X, training=False), np.maximum(X, 0), atol=1e-6)


def test_matching_aware_head():
    head = MatchingAwareHead(filters=8, projection_dim=4)
    features = np.random.default_rng(1).normal(size=(3, 4, 4, 5)).astype("float32")
    text = np.random.default_rng(2).normal(size=(3, 10)).astype("float32")
    logits = head([features, text], training=True)
    assert tuple(logits.shape) == (3, 1) and logits.dtype == "float32"
    # The logit depends on the text (the head is matching-aware).
    other = head([features, text[::-1]], training=False)
    assert not np.allclose(head([features, text], training=False), other)
    revived = run_serialization_test(head)
    assert revived.projection_dim == 4


def test_head_logits_are_float32_under_mixed_precision():
    keras.mixed_precision.set_global_policy("mixed_float16")
    head = MatchingAwareHead(filters=8)
    features = np.zeros((2, 4, 4, 5), "float32")
    assert head([features, np.zeros((2, 3), "float32")]).dtype == "float32"
