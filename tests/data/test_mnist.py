"""MNIST IDX reader (``read_idx``, ``read_mnist``) and the MNIST / labelled ``tf.data`` batches."""

import gzip
import struct

import numpy as np
import pytest

from keras_stackgan.data import (
    DataError,
    make_labelled_dataset,
    make_mnist_dataset,
    read_idx,
    read_mnist,
)
from keras_stackgan.data.mnist import IMAGES_MAGIC, LABELS_MAGIC


def idx_bytes(array, magic=None, count=None) -> bytes:
    """An IDX file of a uint8 array; ``magic`` / ``count`` override the header's fields."""
    array = np.asarray(array, np.uint8)
    magic = magic if magic is not None else 0x0800 + array.ndim
    shape = list(array.shape)
    if count is not None:
        shape[0] = count
    return struct.pack(">I", magic) + struct.pack(f">{len(shape)}I", *shape) + array.tobytes()


def write_idx(path, array, gz=False, **header):
    data = idx_bytes(array, **header)
    path.parent.mkdir(parents=True, exist_ok=True)
    if gz:
        path = path.with_name(path.name + ".gz")
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(data)
    return path


def digits(n=12, size=28, seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, size, size), dtype=np.uint8), (np.arange(n) % 10)


def write_mnist(root, split="train", n=12, gz=False, seed=0):
    prefix = "train" if split == "train" else "t10k"
    images, labels = digits(n, seed=seed)
    write_idx(root / f"{prefix}-images-idx3-ubyte", images, gz)
    write_idx(root / f"{prefix}-labels-idx1-ubyte", labels, gz)
    return images, labels


@pytest.mark.parametrize("gz", [False, True])
def test_read_mnist_raw_and_gzipped(tmp_path, gz):
    images, labels = write_mnist(tmp_path, "train", n=12, gz=gz)
    test_images, test_labels = write_mnist(tmp_path, "test", n=5, gz=gz, seed=1)
    got_images, got_labels = read_mnist(tmp_path, "train")
    assert got_images.dtype == np.uint8 and got_images.shape == (12, 28, 28)
    assert got_labels.dtype == np.uint8 and got_labels.shape == (12,)
    np.testing.assert_array_equal(got_images, images)
    np.testing.assert_array_equal(got_labels, labels)
    got_images, got_labels = read_mnist(tmp_path, "test")
    np.testing.assert_array_equal(got_images, test_images)
    np.testing.assert_array_equal(got_labels, test_labels)


def test_read_idx_other_types_and_missing_files(tmp_path):
    values = np.arange(6, dtype=">i4").reshape(2, 3)
    path = tmp_path / "ints-idx2"
    path.write_bytes(struct.pack(">I2I", 0x0C02, 2, 3) + values.tobytes())
    np.testing.assert_array_equal(read_idx(path), values)
    assert read_idx(path).dtype == np.int32
    with pytest.raises(FileNotFoundError, match="train-images-idx3-ubyte"):
        read_mnist(tmp_path, "train")
    with pytest.raises(ValueError, match="split"):
        read_mnist(tmp_path, "valid")


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_idx_file(tmp_path, gz):
    images, labels = digits(10)
    # The header says 12 images, the file holds 10 (a cut download).
    path = write_idx(tmp_path / "train-images-idx3-ubyte", images, gz, count=12)
    write_idx(tmp_path / "train-labels-idx1-ubyte", labels, gz)
    with pytest.raises(DataError, match=r"truncated IDX file: the header says 12 items") as info:
        read_mnist(tmp_path, "train")
    assert info.value.path == str(path)
    assert "10 complete items" in str(info.value)


def test_truncated_gzip_stream(tmp_path):
    images, labels = digits(10)
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(gzip.compress(idx_bytes(images))[:-40])
    write_idx(tmp_path / "train-labels-idx1-ubyte", labels, gz=True)
    with pytest.raises(DataError, match="truncated or corrupt gzip") as info:
        read_mnist(tmp_path, "train")
    assert info.value.path == str(path)


@pytest.mark.parametrize("gz", [False, True])
def test_wrong_magic_number(tmp_path, gz):
    images, labels = digits(4)
    write_idx(tmp_path / "train-images-idx3-ubyte", images, gz)
    # A labels file that is really an images file.
    path = write_idx(tmp_path / "train-labels-idx1-ubyte", images, gz)
    with pytest.raises(DataError, match=r"wrong magic number 0x00000803 \(uint8 images\)") as info:
        read_mnist(tmp_path, "train")
    assert info.value.path == str(path)
    assert f"0x{LABELS_MAGIC:08X}" in str(info.value)
    garbage = tmp_path / "garbage"
    garbage.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(40))
    with pytest.raises(DataError, match="wrong magic number 0x89504E47"):
        read_idx(garbage, IMAGES_MAGIC)


@pytest.mark.parametrize("gz", [False, True])
def test_images_and_labels_of_different_counts(tmp_path, gz):
    images, labels = digits(6)
    write_idx(tmp_path / "train-images-idx3-ubyte", images, gz)
    path = write_idx(tmp_path / "train-labels-idx1-ubyte", labels[:5], gz)
    with pytest.raises(DataError, match="5 labels for the 6 images") as info:
        read_mnist(tmp_path, "train")
    assert info.value.path == str(path)


@pytest.mark.parametrize("gz", [False, True])
def test_label_out_of_range(tmp_path, gz):
    images, labels = digits(6)
    labels = labels.copy()
    labels[3] = 10
    write_idx(tmp_path / "t10k-images-idx3-ubyte", images, gz)
    path = write_idx(tmp_path / "t10k-labels-idx1-ubyte", labels, gz)
    with pytest.raises(DataError, match=r"label 10 of item 3 is outside 0\.\.9") as info:
        read_mnist(tmp_path, "test")
    assert info.value.path == str(path)
    labels[3] = 2  # 0..5 now; 5 is outside num_classes=5
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", labels, gz)
    with pytest.raises(DataError, match=r"label 5 of item 5 is outside 0\.\.4"):
        read_mnist(tmp_path, "test", num_classes=5)


def test_idx_file_longer_than_its_header(tmp_path):
    path = tmp_path / "labels"
    path.write_bytes(idx_bytes(np.arange(4), count=3))
    with pytest.raises(DataError, match="longer than its header"):
        read_idx(path, LABELS_MAGIC)


def batches(dataset):
    return [(x.numpy(), y.numpy()) for x, y in dataset]


def test_mnist_dataset_shapes_ranges_and_resize(tmp_path):
    images, labels = write_mnist(tmp_path, "train", n=10, gz=True)
    dataset = make_mnist_dataset(tmp_path, batch_size=4, seed=0)
    out = batches(dataset)
    assert len(out) == 2 == len(dataset)  # drop_remainder: 10 // 4
    x, y = out[0]
    assert x.shape == (4, 28, 28, 1) and x.dtype == np.float32
    assert y.shape == (4,) and y.dtype == np.int32
    assert x.min() >= -1.0 and x.max() <= 1.0
    # Each batch is the images of its labels, scaled by x / 127.5 - 1.
    unshuffled = batches(make_mnist_dataset(tmp_path, batch_size=10, shuffle=False))
    np.testing.assert_allclose(unshuffled[0][0][..., 0], images / 127.5 - 1, atol=1e-6)
    np.testing.assert_array_equal(unshuffled[0][1], labels)

    out = batches(make_mnist_dataset(tmp_path, batch_size=4, drop_remainder=False, seed=0))
    assert [len(y) for _, y in out] == [4, 4, 2]
    assert sorted(np.concatenate([y for _, y in out])) == sorted(labels)

    x32, _ = batches(make_mnist_dataset(tmp_path, batch_size=4, image_size=32, seed=0))[0]
    assert x32.shape == (4, 32, 32, 1) and x32.min() >= -1 and x32.max() <= 1
    padded = batches(
        make_mnist_dataset(
            tmp_path, batch_size=10, image_size=32, resize_method="pad", shuffle=False
        )
    )[0][0]
    np.testing.assert_allclose(padded[:, 2:30, 2:30, 0], images / 127.5 - 1, atol=1e-6)
    assert np.all(padded[:, :2] == -1.0) and np.all(padded[:, :, 30:] == -1.0)
    rgb, _ = batches(make_mnist_dataset(tmp_path, batch_size=4, channels=3, seed=0))[0]
    assert rgb.shape == (4, 28, 28, 3)


def test_labelled_dataset_is_deterministic_and_reshuffles():
    images, labels = digits(16, size=8)

    def epochs(seed, count=2):
        dataset = make_labelled_dataset(images, labels, batch_size=4, num_classes=10, seed=seed)
        return [np.concatenate([y for _, y in batches(dataset)]) for _ in range(count)]

    first, again, other = epochs(0), epochs(0), epochs(1)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)  # same seed, same batches, epoch by epoch
    assert not np.array_equal(first[0], first[1])  # each epoch shuffled anew
    assert not np.array_equal(first[0], other[0])
    assert sorted(first[0]) == sorted(labels)  # one epoch = every image once
    # Images stay paired with their labels through the shuffle.
    lookup = {images[i].tobytes(): labels[i] for i in range(16)}
    dataset = make_labelled_dataset(images, labels, batch_size=4, seed=0)
    for x, y in batches(dataset):
        pixels = np.round((x[..., 0] + 1) * 127.5).astype(np.uint8)
        assert [lookup[p.tobytes()] for p in pixels] == list(y)


def test_labelled_dataset_flip_and_repeat():
    images = np.zeros((4, 6, 6, 3), np.uint8)
    images[:, :, :3] = 255  # left half white
    dataset = make_labelled_dataset(
        images, np.arange(4), batch_size=4, flip=True, seed=3, repeat=True
    )
    x = np.concatenate([b for b, _ in dataset.take(8)])
    left_white = (x[:, :, :3] == 1).all(axis=(1, 2, 3))
    right_white = (x[:, :, 3:] == 1).all(axis=(1, 2, 3))
    assert np.all(left_white ^ right_white) and 0 < left_white.sum() < len(x)


def test_labelled_dataset_rejects_bad_input(tmp_path):
    good = np.zeros((28, 28), np.uint8)
    with pytest.raises(DataError, match=r"wrong image size 27x28, expected 28x28") as info:
        make_labelled_dataset(
            [good, good, np.zeros((27, 28), np.uint8)],
            [0, 1, 2],
            source=["a.png", "b.png", "c.png"],
        )
    assert info.value.path == "c.png"
    with pytest.raises(DataError, match="wrong channel count 3, expected 1") as info:
        make_labelled_dataset(
            [good, np.zeros((28, 28, 3), np.uint8)], [0, 1], source=tmp_path / "digits"
        )
    assert "digits (image 1)" in info.value.path
    with pytest.raises(DataError, match=r"wrong image size 32x32, expected 28x28"):
        make_labelled_dataset(np.zeros((2, 32, 32), np.uint8), [0, 1], image_shape=(28, 28))
    with pytest.raises(DataError, match="wrong channel count 1, expected 3"):
        make_labelled_dataset(np.zeros((2, 8, 8), np.uint8), [0, 1], image_shape=(8, 8, 3))
    with pytest.raises(DataError, match="3 labels .* for 2 images") as info:
        make_labelled_dataset(np.zeros((2, 8, 8), np.uint8), [0, 1, 2], source="imgs.idx")
    assert info.value.path == "imgs.idx"
    with pytest.raises(DataError, match=r"label 3 of item 1 is outside 0\.\.2"):
        make_labelled_dataset(np.zeros((2, 8, 8), np.uint8), [0, 3], num_classes=3)
    with pytest.raises(DataError, match="label -1 of item 0"):
        make_labelled_dataset(np.zeros((2, 8, 8), np.uint8), [-1, 0])
    with pytest.raises(TypeError, match="uint8"):
        make_labelled_dataset(np.zeros((2, 8, 8), np.float32), [0, 1])
    with pytest.raises(ValueError, match="resize_method"):
        make_labelled_dataset(np.zeros((2, 8, 8), np.uint8), [0, 1], resize_method="cubic")
    with pytest.raises(ValueError, match="pad"):
        make_labelled_dataset(
            np.zeros((2, 8, 8), np.uint8), [0, 1], image_size=6, resize_method="pad"
        )


def test_shared_mnist(shared_data):
    images, labels = read_mnist(shared_data / "mnist", "train")
    assert images.shape == (22699, 28, 28) and labels.shape == (22699,)
    test_images, test_labels = read_mnist(shared_data / "mnist", "test")
    assert test_images.shape == (10000, 28, 28)
    assert list(test_labels[:5]) == [7, 2, 1, 0, 4]  # the official test set's first labels
    assert list(labels[:5]) == [5, 0, 4, 1, 9]
    assert np.bincount(test_labels).tolist()[:2] == [980, 1135]
