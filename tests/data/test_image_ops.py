import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from keras_stackgan.data import load_image, load_images, load_size_for, stackgan_crop_window
from keras_stackgan.data.image_ops import augment
from keras_stackgan.data.records import ImageRecord


def original_custom_crop_window(shape, bbox):
    """``custom_crop`` of StackGAN's ``misc/utils.py``, returning the window instead."""
    center_x = int((2 * bbox[0] + bbox[2]) / 2)
    center_y = int((2 * bbox[1] + bbox[3]) / 2)
    radius = int(np.maximum(bbox[2], bbox[3]) * 0.75)
    y1 = np.maximum(0, center_y - radius)
    y2 = np.minimum(shape[0], center_y + radius)
    x1 = np.maximum(0, center_x - radius)
    x2 = np.minimum(shape[1], center_x + radius)
    return [y1, x1, y2 - y1, x2 - x1]


def test_crop_window_matches_original_preprocessing():
    rng = np.random.default_rng(0)
    for _ in range(200):
        height, width = rng.integers(40, 600, size=2)
        x, y = rng.uniform(0, width - 5), rng.uniform(0, height - 5)
        w, h = rng.uniform(3, width - x), rng.uniform(3, height - y)
        bbox = [float(x), float(y), float(w), float(h)]
        window = stackgan_crop_window(tf.constant(bbox), int(height), int(width)).numpy()
        assert window.tolist() == original_custom_crop_window((height, width), bbox)


def test_load_size():
    assert (load_size_for(64), load_size_for(256), load_size_for(128)) == (76, 304, 152)


def coordinate_image(path, height=90, width=120, fmt="PNG"):
    """Red = 2 * x, green = 2 * y: each pixel says where it came from."""
    y, x = np.mgrid[0:height, 0:width]
    pixels = np.stack([2 * x, 2 * y, np.full_like(x, 50)], -1).astype(np.uint8)
    Image.fromarray(pixels).save(path, fmt)
    return pixels


def test_load_image_crops_the_stackgan_window_exactly(tmp_path):
    pixels = coordinate_image(tmp_path / "a.png")
    bbox = (40.0, 30.0, 20.0, 16.0)  # window: centre (50, 38), R = 15 -> y 23:53, x 35:65
    out = load_image(tf.constant(str(tmp_path / "a.png")), tf.constant(bbox), True, 30).numpy()
    assert out.dtype == np.uint8 and out.shape == (30, 30, 3)
    np.testing.assert_array_equal(out, pixels[23:53, 35:65])
    whole = load_image(tf.constant(str(tmp_path / "a.png")), tf.constant(bbox), False, 30)
    assert whole.shape == (30, 30, 3) and whole.numpy()[..., 0].max() > 200


def test_load_image_clips_window_at_border_and_squashes(tmp_path):
    pixels = coordinate_image(tmp_path / "a.png")
    out = load_image(
        tf.constant(str(tmp_path / "a.png")), tf.constant((0.0, 0.0, 8.0, 40.0)), True, 16
    )
    # centre (4, 20), R = 30: window y 0:50, x 0:34 (clipped), resized to 16 x 16.
    expected = tf.image.resize(pixels[0:50, 0:34], [16, 16], "bicubic", antialias=True)
    np.testing.assert_allclose(out.numpy(), np.clip(np.round(expected.numpy()), 0, 255), atol=1)


def test_large_jpeg_uses_reduced_scale_decode_and_keeps_the_window(tmp_path):
    # 640 x 480 JPEG with four colour quadrants; the window lies inside the top-right one.
    image = np.zeros((480, 640, 3), np.uint8)
    image[:240, :320] = (200, 30, 30)
    image[:240, 320:] = (30, 200, 30)
    image[240:, :320] = (30, 30, 200)
    image[240:, 320:] = (200, 200, 30)
    Image.fromarray(image).save(tmp_path / "q.jpg", quality=95)
    bbox = tf.constant((420.0, 60.0, 120.0, 120.0))  # window x 390:570, y 30:210 (side 180)
    out = load_image(tf.constant(str(tmp_path / "q.jpg")), bbox, True, 76).numpy()
    np.testing.assert_allclose(out.reshape(-1, 3).mean(0), (30, 200, 30), atol=4)


@pytest.mark.parametrize("mode", ["L", "CMYK", "RGBA", "P"])
def test_any_colour_mode_gives_rgb(tmp_path, mode):
    fmt = "JPEG" if mode in ("L", "CMYK") else "PNG"
    path = tmp_path / f"x.{fmt.lower()}"
    Image.new("RGB", (20, 10), (10, 120, 230)).convert(mode).save(path, fmt)
    out = load_image(tf.constant(str(path)), tf.zeros(4), False, 8)
    assert out.shape == (8, 8, 3) and out.dtype == tf.uint8


def test_load_images_bank(tmp_path):
    records = []
    for i in range(3):
        Image.new("RGB", (30, 20), (i * 100, 0, 0)).save(tmp_path / f"{i}.png")
        records.append(ImageRecord(str(tmp_path / f"{i}.png"), str(i), bbox=(0.0, 0.0, 30.0, 20.0)))
    bank = load_images(records, 12, batch_size=2)
    assert bank.shape == (3, 12, 12, 3) and bank.dtype == np.uint8
    np.testing.assert_array_equal(bank[:, 0, 0, 0], [0, 100, 200])


def test_augment_range_and_determinism():
    image = tf.constant(np.random.default_rng(0).integers(0, 256, (76, 76, 3)), tf.uint8)
    seed = tf.constant([3, 4])
    a, b = augment(image, 64, seed), augment(image, 64, seed)
    assert a.shape == (64, 64, 3) and a.dtype == tf.float32
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert -1.0 <= float(tf.reduce_min(a)) and float(tf.reduce_max(a)) <= 1.0
    extremes = augment(tf.constant([[[0, 255, 0]]], tf.uint8), 1, seed).numpy()
    np.testing.assert_allclose(extremes.reshape(-1), [-1.0, 1.0, -1.0])
    seeds = [augment(image, 64, tf.constant([s, 0])).numpy() for s in range(8)]
    assert len({x.tobytes() for x in seeds}) > 1
