"""Nearest-neighbour memorisation check: search against brute force, grid layout."""

import numpy as np
import pytest
from PIL import Image

from keras_stackgan.metrics import (
    nearest_neighbour_grid,
    nearest_neighbours,
    save_nearest_neighbour_grid,
)


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
def test_matches_brute_force(metric):
    rng = np.random.default_rng(0)
    query, base = rng.normal(size=(7, 5)), rng.normal(size=(30, 5))
    indices, distances = nearest_neighbours(query, base, k=4, metric=metric, chunk_size=3)
    if metric == "euclidean":
        full = np.linalg.norm(query[:, None] - base[None], axis=-1)
    else:
        unit = lambda x: x / np.linalg.norm(x, axis=1, keepdims=True)  # noqa: E731
        full = 1 - unit(query) @ unit(base).T
    np.testing.assert_array_equal(indices, np.argsort(full, axis=1)[:, :4])
    np.testing.assert_allclose(distances, np.sort(full, axis=1)[:, :4], atol=1e-9)


def test_training_copies_are_found():
    rng = np.random.default_rng(1)
    base = rng.normal(size=(20, 3))
    indices, distances = nearest_neighbours(base[[5, 11]], base, k=20)
    assert list(indices[:, 0]) == [5, 11] and np.allclose(distances[:, 0], 0, atol=1e-6)
    with pytest.raises(ValueError, match="k must"):
        nearest_neighbours(base, base, k=21)
    with pytest.raises(ValueError, match="metric"):
        nearest_neighbours(base, base, k=1, metric="l1")


def test_grid_layout_and_file(tmp_path):
    generated = np.full((2, 8, 8, 3), -1.0, np.float32)  # black, float
    train = np.stack([np.full((16, 16, 3), 10 * i, np.uint8) for i in range(6)])  # 16 px, resized
    indices = np.array([[3, 1], [5, 0]])
    images = nearest_neighbour_grid(generated, train, indices)
    assert images.shape == (6, 8, 8, 3) and images.dtype == np.uint8
    # Column-major: column 0 = generated, column j = j-th neighbours of both rows.
    assert [int(x[0, 0, 0]) for x in images] == [0, 0, 30, 50, 10, 0]

    class MeanFeatures:
        def features(self, images):
            return np.asarray(images, dtype=float).mean(axis=(1, 2, 3))[:, None]

    path, found = save_nearest_neighbour_grid(
        tmp_path / "nn.png", generated, train, k=2, evaluator=MeanFeatures(),
        generated_features=np.array([[12.0], [41.0]]),
    )  # fmt: skip
    assert found.tolist() == [[1, 2], [4, 5]]
    sheet = Image.open(path)
    assert sheet.width == 3 * (8 + 2) + 2 and sheet.height > 2 * (8 + 2)
    with pytest.raises(ValueError, match="evaluator"):
        save_nearest_neighbour_grid(tmp_path / "x.png", generated, train, k=1)
