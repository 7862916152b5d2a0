"""FID math against closed forms: ``FIDStatistics``, ``RunningStatistics``, ``frechet_distance``."""

import numpy as np
import pytest
import scipy.linalg

from keras_stackgan.metrics import (
    FIDStatistics,
    RunningStatistics,
    fid_from_statistics,
    frechet_distance,
)


def random_covariance(rng, dim):
    a = rng.normal(size=(dim, dim))
    return a @ a.T / dim + 0.1 * np.eye(dim)


def test_identical_gaussians_have_zero_distance():
    rng = np.random.default_rng(0)
    stats = FIDStatistics(rng.normal(size=16), random_covariance(rng, 16), 100)
    assert fid_from_statistics(stats, stats) == pytest.approx(0.0, abs=1e-8)


def test_diagonal_gaussians_match_the_closed_form():
    rng = np.random.default_rng(1)
    mu1, mu2 = rng.normal(size=8), rng.normal(size=8)
    var1, var2 = rng.uniform(0.1, 3.0, size=8), rng.uniform(0.1, 3.0, size=8)
    expected = np.sum((mu1 - mu2) ** 2) + np.sum((np.sqrt(var1) - np.sqrt(var2)) ** 2)
    got = frechet_distance(mu1, np.diag(var1), mu2, np.diag(var2))
    assert got == pytest.approx(expected, rel=1e-10)


def test_full_covariances_match_the_formula():
    rng = np.random.default_rng(2)
    mu1, mu2 = rng.normal(size=6), rng.normal(size=6)
    s1, s2 = random_covariance(rng, 6), random_covariance(rng, 6)
    # Tr((S1 S2)^1/2) = Tr((S1^1/2 S2 S1^1/2)^1/2), the symmetric form, as an independent check.
    root1 = scipy.linalg.sqrtm(s1).real
    cross = np.trace(scipy.linalg.sqrtm(root1 @ s2 @ root1).real)
    expected = np.sum((mu1 - mu2) ** 2) + np.trace(s1) + np.trace(s2) - 2 * cross
    assert frechet_distance(mu1, s1, mu2, s2) == pytest.approx(expected, rel=1e-8)
    # Only the mean differs: the distance is the squared mean difference.
    assert frechet_distance(mu1, s1, mu2, s1) == pytest.approx(np.sum((mu1 - mu2) ** 2), rel=1e-8)


def test_singular_covariances_use_the_offset():
    rng = np.random.default_rng(3)
    features = rng.normal(size=(4, 10))  # 4 samples in 10-d: rank-3 covariance
    stats = FIDStatistics.from_features(features)
    assert fid_from_statistics(stats, stats) == pytest.approx(0.0, abs=1e-4)


def test_from_features_and_running_statistics_agree():
    rng = np.random.default_rng(4)
    features = rng.normal(loc=1000.0, size=(257, 5)).astype(np.float32)  # large mean
    direct = FIDStatistics.from_features(features)
    running = RunningStatistics()
    for start in range(0, len(features), 50):
        running.update(features[start : start + 50])
    streamed = running.result()
    assert streamed.count == direct.count == 257
    np.testing.assert_allclose(streamed.mu, direct.mu, rtol=1e-12)
    np.testing.assert_allclose(streamed.sigma, direct.sigma, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(direct.sigma, np.cov(features.astype(np.float64), rowvar=False))
    assert direct.mu.dtype == np.float64 and direct.sigma.dtype == np.float64


def test_save_and_load_round_trip(tmp_path):
    rng = np.random.default_rng(5)
    stats = FIDStatistics.from_features(rng.normal(size=(20, 3)))
    path = stats.save(tmp_path / "sub" / "stats.npz")
    loaded = FIDStatistics.load(path)
    np.testing.assert_array_equal(loaded.mu, stats.mu)
    np.testing.assert_array_equal(loaded.sigma, stats.sigma)
    assert loaded.count == 20 and loaded.dim == 3


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="sigma"):
        FIDStatistics(np.zeros(3), np.eye(2), 5)
    with pytest.raises(ValueError, match="n >= 2"):
        FIDStatistics.from_features(np.zeros((1, 3)))
    with pytest.raises(ValueError, match="at least 2"):
        RunningStatistics().result()
    with pytest.raises(ValueError, match="Mismatched"):
        frechet_distance(np.zeros(2), np.eye(2), np.zeros(3), np.eye(3))
