"""Inception Score of class probabilities against closed forms."""

import numpy as np
import pytest

from keras_stackgan.metrics import inception_score_from_probs


def test_uniform_predictions_score_one():
    mean, std = inception_score_from_probs(np.full((50, 10), 0.1), splits=5)
    assert mean == pytest.approx(1.0, abs=1e-12) and std == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("num_classes", [1, 4, 10])
def test_one_hot_predictions_over_k_classes_score_k(num_classes):
    # Each of the 10 splits holds every class equally often.
    labels = np.tile(np.arange(num_classes), 10 * 3)
    probs = np.eye(num_classes)[labels]
    mean, std = inception_score_from_probs(probs, splits=10)
    assert mean == pytest.approx(num_classes, rel=1e-12) and std == pytest.approx(0.0, abs=1e-9)


def test_identical_confident_predictions_score_one():
    probs = np.tile(np.eye(5)[2], (20, 1))
    assert inception_score_from_probs(probs, splits=2)[0] == pytest.approx(1.0)


def test_matches_the_original_formula():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(40, 7)) * 3
    probs = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    scores = []
    for k in range(4):  # the original code's split slicing
        part = probs[k * 40 // 4 : (k + 1) * 40 // 4]
        py = part.mean(0, keepdims=True)
        scores.append(np.exp(np.mean(np.sum(part * (np.log(part) - np.log(py)), 1))))
    mean, std = inception_score_from_probs(probs, splits=4)
    assert mean == pytest.approx(np.mean(scores)) and std == pytest.approx(np.std(scores))


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="splits"):
        inception_score_from_probs(np.full((3, 2), 0.5), splits=4)
    with pytest.raises(ValueError, match="probability"):
        inception_score_from_probs(np.ones((4, 2)), splits=1)
    with pytest.raises(ValueError, match="num_classes"):
        inception_score_from_probs(np.ones(4), splits=1)
