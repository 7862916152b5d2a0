"""ConditionalBatchNormalization against a hand numpy computation; Maxout's shape and max."""

import numpy as np
import pytest

from keras_stackgan.layers.conditional_batch_norm import ConditionalBatchNormalization
from keras_stackgan.layers.maxout import Maxout
from tests.test_case import run_serialization_test

EPS, MOMENTUM = 1e-5, 0.9


def _layer_with_affine(num_classes, shape, seed=0):
    layer = ConditionalBatchNormalization(num_classes, momentum=MOMENTUM, epsilon=EPS)
    layer.build([(None, *shape[1:]), (None,)])
    channels = shape[-1]
    rng = np.random.default_rng(seed)
    gamma = rng.normal(1.0, 0.5, (num_classes, channels)).astype("float32")
    beta = rng.normal(0.0, 0.5, (num_classes, channels)).astype("float32")
    layer.gamma.assign(gamma)
    layer.beta.assign(beta)
    return layer, gamma, beta


@pytest.mark.parametrize("shape", [(6, 4, 4, 3), (6, 3)])
def test_training_and_inference_match_numpy(shape):
    rng = np.random.default_rng(1)
    x = (rng.normal(size=shape) * 3.0 + 2.0).astype("float32")
    labels = np.array([0, 1, 2, 1, 0, 2], dtype="int32")
    layer, gamma, beta = _layer_with_affine(3, shape)
    axes = tuple(range(len(shape) - 1))
    expand = (slice(None),) + (None,) * (len(shape) - 2)

    # Training: the batch's own statistics (biased variance), then gamma[y], beta[y].
    y = np.asarray(layer([x, labels], training=True))
    mean, var = x.mean(axes), x.var(axes)
    x_hat = (x - mean) / np.sqrt(var + EPS)
    expected = gamma[labels][expand] * x_hat + beta[labels][expand]
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-5)

    # One step of the moving averages from (0, 1) towards the batch's statistics.
    moving_mean = np.asarray(layer.norm.moving_mean)
    np.testing.assert_allclose(moving_mean, (1 - MOMENTUM) * mean, rtol=1e-4, atol=1e-6)
    moving_var = np.asarray(layer.norm.moving_variance)
    np.testing.assert_allclose(moving_var, MOMENTUM + (1 - MOMENTUM) * var, rtol=1e-4)

    # Inference: the moving statistics, same per-class affine.
    z = np.asarray(layer([x, labels], training=False))
    x_hat = (x - moving_mean) / np.sqrt(moving_var + EPS)
    expected = gamma[labels][expand] * x_hat + beta[labels][expand]
    np.testing.assert_allclose(z, expected, rtol=1e-4, atol=1e-5)


def test_starts_as_plain_batch_norm_and_serializes():
    layer = ConditionalBatchNormalization(4, synchronized=False, name="cbn")
    x = np.random.default_rng(2).normal(size=(5, 2, 2, 3)).astype("float32")
    y = np.asarray(layer([x, np.array([0, 1, 2, 3, 3])], training=True))
    np.testing.assert_allclose(np.asarray(layer.gamma), np.ones((4, 3)))
    np.testing.assert_allclose(np.asarray(layer.beta), np.zeros((4, 3)))
    np.testing.assert_allclose(y.mean((0, 1, 2)), 0.0, atol=1e-5)
    revived = run_serialization_test(layer)
    assert revived.get_config()["num_classes"] == 4
    with pytest.raises(ValueError, match="num_classes"):
        ConditionalBatchNormalization(0)


def test_maxout_takes_the_max_of_its_pieces():
    layer = Maxout(3, pieces=2)
    x = np.random.default_rng(3).normal(size=(4, 5)).astype("float32")
    y = np.asarray(layer(x))
    kernel, bias = (w.numpy() for w in layer.dense.weights)
    expected = (x @ kernel + bias).reshape(4, 3, 2).max(-1)
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-6)
    assert run_serialization_test(layer).get_config()["pieces"] == 2
