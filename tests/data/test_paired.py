"""The A|B paired reader on files the test makes, and the paired tf.data pipeline."""

import numpy as np
import pytest
from PIL import Image

from keras_stackgan.data import DataError, DataWarning
from keras_stackgan.data.paired import (
    load_paired_folder,
    make_paired_dataset,
    read_paired_folder,
)


def _pair_file(path, width=32, height=16, left=(255, 0, 0), right=(0, 0, 255)):
    pixels = np.zeros((height, width, 3), np.uint8)
    pixels[:, : width // 2] = left
    pixels[:, width // 2 :] = right
    Image.fromarray(pixels).save(path, quality=95)


@pytest.fixture
def dataset(tmp_path):
    for split in ("train", "val"):
        (tmp_path / split).mkdir()
    for i in range(3):
        _pair_file(tmp_path / "train" / f"{i}.jpg")
    _pair_file(tmp_path / "train" / "odd.jpg", width=33)
    _pair_file(tmp_path / "train" / "wide.jpg", width=48)
    good = (tmp_path / "train" / "0.jpg").read_bytes()
    (tmp_path / "train" / "corrupt.jpg").write_bytes(good[: len(good) // 2])
    (tmp_path / "train" / "notes.txt").write_text("not an image")
    _pair_file(tmp_path / "val" / "0.jpg")
    return tmp_path


def test_directions_and_sizes(dataset):
    with pytest.warns(DataWarning):
        a_to_b = load_paired_folder(dataset, "train", image_size=8)
    assert a_to_b.inputs.shape == a_to_b.targets.shape == (3, 8, 8, 3)
    assert a_to_b.inputs.dtype == np.uint8 and a_to_b.keys == ["train/0", "train/1", "train/2"]
    red, blue = a_to_b.inputs[0, 4, 4], a_to_b.targets[0, 4, 4]
    assert red[0] > 200 > red[2] and blue[2] > 200 > blue[0]  # A (left) -> B (right)
    with pytest.warns(DataWarning):
        b_to_a = load_paired_folder(dataset, "train", direction="BtoA", image_size=8)
    np.testing.assert_array_equal(b_to_a.inputs, a_to_b.targets)
    np.testing.assert_array_equal(b_to_a.targets, a_to_b.inputs)
    with pytest.raises(ValueError, match="direction"):
        load_paired_folder(dataset, "val", direction="A2B")


def test_bad_files_are_skipped_with_their_reasons(dataset):
    with pytest.warns(DataWarning):
        records, report = read_paired_folder(dataset, "train")
    assert len(records) == 3 and report.num_skipped == 3
    reasons = {p.path.rsplit("/", 1)[-1]: p.reason for p in report.skipped}
    assert reasons["odd.jpg"].startswith("odd width: 33x16")
    assert reasons["wide.jpg"].startswith("not a side-by-side pair: 48x16")
    assert reasons["corrupt.jpg"].startswith(("truncated image", "unreadable image"))
    # Halves of any even width when squares are not required.
    with pytest.warns(DataWarning):
        loose, _ = read_paired_folder(dataset, "train", require_square=False)
    assert len(loose) == 4


def test_one_clear_error_when_asked_or_when_nothing_is_usable(dataset):
    with pytest.raises(DataError, match="corrupt.jpg"):  # the first bad file, by name
        read_paired_folder(dataset, "train", on_error="raise")
    (dataset / "empty").mkdir()
    _pair_file(dataset / "empty" / "odd.jpg", width=33)
    with pytest.raises(DataError, match="no usable A\\|B image pairs"):
        read_paired_folder(dataset, "empty")
    with pytest.raises(FileNotFoundError, match="test"):
        read_paired_folder(dataset, "test")


def test_paired_dataset_same_jitter_for_both_and_resumable():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (6, 16, 16, 3), dtype=np.uint8)
    kwargs = {"batch_size": 2, "load_size": 20, "flip": True, "seed": 3, "repeat": True}
    stream = list(make_paired_dataset(images, images, **kwargs).take(6))
    for x, y in stream:
        assert x.shape == (2, 16, 16, 3) and x.dtype == "float32"
        assert -1.0 <= float(np.min(x)) and float(np.max(x)) <= 1.0
        np.testing.assert_array_equal(x, y)  # one crop and flip for both images of a pair
    again = list(make_paired_dataset(images, images, **kwargs).take(6))
    for (a, _), (b, _) in zip(stream, again, strict=True):
        np.testing.assert_array_equal(a, b)
    resumed = list(make_paired_dataset(images, images, initial_epoch=1, **kwargs).take(3))
    for (a, _), (b, _) in zip(stream[3:], resumed, strict=True):
        np.testing.assert_array_equal(a, b)  # epoch 1 of the full stream
    plain = next(iter(make_paired_dataset(images, images[::-1], flip=False, shuffle=False)))
    np.testing.assert_allclose(plain[0][0], images[0] / 127.5 - 1.0, atol=1e-6)
    with pytest.raises(DataError, match="aligned"):
        make_paired_dataset(images, images[:5])
