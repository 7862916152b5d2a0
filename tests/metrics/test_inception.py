"""IS and FID through ``keras.applications.InceptionV3``, randomly initialised (offline)."""

import numpy as np
import pytest

from keras_stackgan.metrics import (
    FIDStatistics,
    InceptionV3Extractor,
    frechet_inception_distance,
    inception_score,
)
from keras_stackgan.metrics.image_batches import prepare_images, to_unit_range


@pytest.fixture(scope="module")
def extractor():
    return InceptionV3Extractor(weights=None, batch_size=2)


def tiny_images(n=4, size=24, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (n, size, size, 3), dtype=np.uint8)


def test_image_path_with_random_inception(extractor):
    images = tiny_images()
    features, probs = extractor.features_and_probs(images)
    assert features.shape == (4, 2048) and probs.shape == (4, 1000)
    assert np.all(features >= 0)  # pool3 follows ReLUs
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)

    # uint8 [0, 255] and float [-1, 1] inputs, array and stream of batches: the same features.
    as_float = images.astype(np.float32) / 127.5 - 1.0
    streamed = extractor.features((b,) for b in np.array_split(as_float, 2))
    np.testing.assert_allclose(streamed, features, rtol=1e-4, atol=1e-4)

    stats = extractor.statistics(images)  # streamed float64 accumulation
    direct = FIDStatistics.from_features(features)
    assert stats.count == 4 and stats.dim == 2048
    np.testing.assert_allclose(stats.mu, direct.mu, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(stats.sigma, direct.sigma, rtol=1e-4, atol=1e-7)

    mean, std = inception_score(images, splits=2, extractor=extractor)
    assert 1.0 - 1e-6 <= mean <= 1000 and std >= 0


def test_precomputed_statistics_and_probabilities_skip_the_network():
    rng = np.random.default_rng(0)
    a = FIDStatistics.from_features(rng.normal(size=(50, 4)))
    assert frechet_inception_distance(a, a) == pytest.approx(0.0, abs=1e-8)
    assert inception_score(np.full((20, 4), 0.25), splits=2) == pytest.approx((1.0, 0.0))


@pytest.mark.slow
def test_fid_end_to_end_with_random_inception(extractor):
    """``scipy.linalg.sqrtm`` of a singular 2048x2048 product takes ~25 s on 2 shared cores."""
    images = tiny_images(6)
    real_stats = extractor.statistics(images)
    assert frechet_inception_distance(real_stats, images[::-1], extractor=extractor) == (
        pytest.approx(0.0, abs=1e-3)
    )
    assert frechet_inception_distance(images, tiny_images(6, seed=1), extractor=extractor) > 0


def test_image_preparation():
    images = tiny_images(2, size=8)
    np.testing.assert_allclose(to_unit_range(images), images / 127.5 - 1.0, atol=1e-6)
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        to_unit_range(images.astype(np.float32))
    resized = prepare_images(images, 16).numpy()
    assert resized.shape == (2, 16, 16, 3) and resized.min() >= -1 and resized.max() <= 1


def test_missing_weights_file_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        InceptionV3Extractor(weights=tmp_path / "missing.h5")
