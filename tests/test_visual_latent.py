"""Latent-space analyses of the DCGAN paper: interpolation paths and vector arithmetic."""

import keras
import numpy as np
import pytest

from keras_stackgan.models.gan import GANGenerator
from keras_stackgan.pretrained.generator_pipeline import GeneratorPipeline
from keras_stackgan.visual.latent import (
    arithmetic_noise,
    interpolate_latent,
    interpolation_sheet,
    lerp,
    render,
    slerp,
    vector_arithmetic,
    vector_arithmetic_sheet,
)


def _generator():
    return GANGenerator(noise_dim=6, image_size=8, channels=1, hidden_units=(16,))


def _conditional_generator(num_classes=3):
    """A tiny generator of the convention with labels: the class shifts the image."""
    noise = keras.Input((6,), name="noise")
    labels = keras.Input((), dtype="int32", name="labels")
    x = keras.layers.Dense(64)(noise) + keras.layers.Embedding(num_classes, 64)(labels)
    images = keras.ops.reshape(keras.ops.tanh(x), (-1, 8, 8, 1))
    model = keras.Model({"noise": noise, "labels": labels}, images)
    model.noise_dim, model.image_size, model.channels = 6, 8, 1
    model.num_classes, model.code_dim = num_classes, 0
    return model


def test_slerp_and_lerp_by_hand():
    z0, z1 = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    t = np.array([0.0, 0.5, 1.0])
    path = slerp(z0, z1, t)
    assert path.dtype == np.float32 and path.shape == (3, 2)
    # Orthogonal unit vectors: the midpoint is (cos 45, sin 45), still of norm 1.
    np.testing.assert_allclose(path, [[1, 0], [np.sqrt(0.5), np.sqrt(0.5)], [0, 1]], atol=1e-6)
    np.testing.assert_allclose(lerp(z0, z1, t)[1], [0.5, 0.5])
    # Parallel vectors fall back to the straight line.
    np.testing.assert_allclose(slerp(z0, 2 * z0, t)[1], [1.5, 0.0], atol=1e-6)
    # Gaussian z: slerp keeps the norm between the ends', the straight line shrinks it.
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(2, 100))
    mid = np.array([0.5])
    ends = sorted([np.linalg.norm(a), np.linalg.norm(b)])
    assert ends[0] - 1e-3 <= np.linalg.norm(slerp(a, b, mid)) <= ends[1] + 1e-3
    assert np.linalg.norm(lerp(a, b, mid)) < 0.8 * ends[0]


def test_interpolation_rows_end_at_the_pipeline_images():
    generator = _generator()
    rows = interpolate_latent(generator, rows=2, steps=5, seed=3)
    assert rows.dtype == np.uint8 and rows.shape == (2, 5, 8, 8, 1)
    ends = GeneratorPipeline(generator).generate(4, seed=3)
    np.testing.assert_array_equal(rows[:, 0], ends[0::2])
    np.testing.assert_array_equal(rows[:, -1], ends[1::2])
    linear = interpolate_latent(
        GeneratorPipeline(generator), rows=2, steps=5, seed=3, method="linear"
    )
    np.testing.assert_array_equal(linear[:, 0], rows[:, 0])
    assert not np.array_equal(linear[:, 2], rows[:, 2])  # other midpoints
    sheet = interpolation_sheet(generator, rows=2, steps=5, seed=3)
    assert sheet.size == (5 * 10 + 2, 2 * 10 + 2)
    with pytest.raises(ValueError, match="method"):
        interpolate_latent(generator, method="cubic")
    # Conditional generators: one class per row, reaching the generator.
    conditional = _conditional_generator()
    rows_02 = interpolate_latent(conditional, rows=2, steps=3, labels=[0, 2])
    rows_12 = interpolate_latent(conditional, rows=2, steps=3, labels=[1, 2])
    assert rows_02.shape == (2, 3, 8, 8, 1)
    assert not np.array_equal(rows_02[0], rows_12[0])
    np.testing.assert_array_equal(rows_02[1], rows_12[1])


def test_vector_arithmetic_by_hand():
    generator = _generator()
    rng = np.random.default_rng(0)
    z_a, z_b, z_c = rng.normal(size=(3, 3, 6)).astype("float32")
    y = arithmetic_noise(z_a, z_b, z_c)
    np.testing.assert_allclose(y, z_a.mean(0) - z_b.mean(0) + z_c.mean(0), rtol=1e-6)
    images = vector_arithmetic(generator, z_a, z_b, z_c, num_samples=9, seed=1)
    assert images.dtype == np.uint8 and images.shape == (9, 8, 8, 1)
    np.testing.assert_array_equal(images[0], render(generator, y[None])[0])  # G(Y) first
    assert not np.array_equal(images[1], images[0])  # then Y + U[-0.25, 0.25] samples
    same = vector_arithmetic(generator, z_a, z_b, z_c, num_samples=3, noise_scale=0.0)
    assert all(np.array_equal(same[0], s) for s in same)
    sheet = vector_arithmetic_sheet(GeneratorPipeline(generator), z_a, z_b, z_c)
    assert sheet.size == (4 * 10 + 2, 4 * 10 + 2)  # rows A, B, C, A - B + C; 3 + 1 columns
    with pytest.raises(ValueError, match="z_b"):
        vector_arithmetic(generator, z_a, np.zeros((3, 5)), z_c)
    with_label = vector_arithmetic(_conditional_generator(), z_a, z_b, z_c, num_samples=2, label=2)
    assert with_label.shape == (2, 8, 8, 1)
