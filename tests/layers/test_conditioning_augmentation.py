import keras
import numpy as np
import pytest
from keras import ops

from keras_stackgan.layers import ConditioningAugmentation
from keras_stackgan.losses import kl_divergence
from tests.test_case import run_serialization_test


def _numpy_ca(layer, embedding):
    kernel, bias = (w.numpy() for w in layer.dense.weights)
    x = embedding @ kernel + bias
    x = np.where(x > 0, x, 0.2 * x)
    return x[:, : layer.condition_dim], x[:, layer.condition_dim :]


def test_mu_logvar_and_sampling_match_numpy():
    layer = ConditioningAugmentation(condition_dim=4)
    embedding = np.random.default_rng(0).normal(size=(3, 6)).astype("float32")
    epsilon = np.random.default_rng(1).normal(size=(3, 4)).astype("float32")
    c, mu, logvar = layer(embedding, epsilon=epsilon)
    mu_np, logvar_np = _numpy_ca(layer, embedding)
    np.testing.assert_allclose(mu, mu_np, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(logvar, logvar_np, rtol=1e-5, atol=1e-6)
    # mu and logvar come from different columns (a bug of several Keras ports).
    assert not np.allclose(mu, logvar)
    np.testing.assert_allclose(c, mu_np + np.exp(logvar_np / 2) * epsilon, rtol=1e-5, atol=1e-6)


def test_inference_uses_mean_and_training_samples():
    layer = ConditioningAugmentation(condition_dim=8, seed=3)
    embedding = np.ones((2, 5), "float32")
    c, mu, _ = layer(embedding, training=False)
    np.testing.assert_array_equal(c, mu)
    c_train, mu_train, _ = layer(embedding, training=True)
    assert not np.allclose(c_train, mu_train)


def test_kl_divergence_matches_closed_form():
    mu = np.array([[0.5, -1.0], [0.0, 2.0]], "float32")
    logvar = np.array([[0.0, 1.0], [-1.0, 0.5]], "float32")
    # 0.5 * (var + mu^2 - 1 - logvar), averaged over all 4 elements, computed by hand:
    per_element = [
        0.5 * (1 + 0.25 - 1 - 0),
        0.5 * (np.e + 1 - 1 - 1),
        0.5 * (np.exp(-1) + 0 - 1 + 1),
        0.5 * (np.exp(0.5) + 4 - 1 - 0.5),
    ]
    assert float(kl_divergence(mu, logvar)) == pytest.approx(np.mean(per_element), rel=1e-6)
    assert float(kl_divergence(np.zeros((3, 2)), np.zeros((3, 2)))) == 0.0


def test_kl_is_float32_under_mixed_precision():
    keras.mixed_precision.set_global_policy("mixed_float16")
    layer = ConditioningAugmentation(condition_dim=4)
    c, mu, logvar = layer(np.ones((2, 3), "float32"), epsilon=np.ones((2, 4), "float32"))
    assert c.dtype == "float16"
    assert mu.dtype == logvar.dtype == "float32"
    assert kl_divergence(mu, logvar).dtype == "float32"


def test_serialization():
    layer = ConditioningAugmentation(condition_dim=16, seed=5, name="ca")
    revived = run_serialization_test(layer)
    assert revived.condition_dim == 16 and revived.seed == 5
    assert ops.shape(revived(np.zeros((1, 3), "float32"))[0]) == (1, 16)
