"""The documented transforms that make pix2pix pairs from our real images."""

import numpy as np
import pytest

from keras_stackgan.data.derived_pairs import (
    derive_pairs,
    grayscale_images,
    load_edges2flowers,
    sobel_edge_maps,
)


def _step_image(size=16):
    image = np.full((size, size, 3), 30, np.uint8)
    image[:, size // 2 :] = 220  # one vertical edge in the middle
    return image


def test_edges_are_deterministic_black_on_white_at_the_edge():
    rng = np.random.default_rng(0)
    photos = np.concatenate([_step_image()[None], rng.integers(0, 256, (3, 16, 16, 3), np.uint8)])
    edges = sobel_edge_maps(photos)
    assert edges.shape == photos.shape and edges.dtype == np.uint8
    assert set(np.unique(edges)) <= {0, 255}
    np.testing.assert_array_equal(edges[..., 0], edges[..., 2])  # 3 identical channels
    np.testing.assert_array_equal(edges, sobel_edge_maps(photos))
    np.testing.assert_array_equal(edges[1:], sobel_edge_maps(photos[1:], batch_size=1))
    black = np.nonzero(edges[0, ..., 0] == 0)[1]
    assert set(black) == {7, 8}  # the columns either side of the step
    flat = np.full((1, 8, 8, 3), 128, np.uint8)
    assert (sobel_edge_maps(flat) == 255).all()  # no gradient, no edge


def test_grayscale_is_bt601_luma():
    rng = np.random.default_rng(1)
    photos = rng.integers(0, 256, (2, 8, 8, 3), np.uint8)
    grey = grayscale_images(photos)
    luma = photos.astype("float64") @ np.array([0.2989, 0.5870, 0.1140])
    assert grey.shape == photos.shape and grey.dtype == np.uint8
    np.testing.assert_allclose(grey[..., 1], luma, atol=1.0)
    pairs = derive_pairs(photos, "grayscale")
    np.testing.assert_array_equal(pairs.targets, photos)
    with pytest.raises(ValueError, match="kind"):
        derive_pairs(photos, "sketch")
    with pytest.raises(ValueError, match="uint8"):
        sobel_edge_maps(photos.astype("float32"))


def test_edges2flowers_follows_the_flowers_split(shared_data):
    pairs = load_edges2flowers(shared_data / "flowers", "valid")
    assert pairs.inputs.shape == pairs.targets.shape == (818, 64, 64, 3)
    assert 0.05 < float((pairs.inputs == 0).mean()) < 0.3  # edges are a minority of pixels
