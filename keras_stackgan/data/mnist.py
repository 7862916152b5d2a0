"""MNIST in its official IDX files, read directly (gzipped or not), and its ``tf.data`` pipeline.

Layout (Yann LeCun's distribution; Fashion-MNIST and KMNIST use the same names):
```
mnist/
  train-images-idx3-ubyte[.gz]   magic 2051, [n, 28, 28] uint8, white digits on black
  train-labels-idx1-ubyte[.gz]   magic 2049, [n] uint8 in 0-9
  t10k-images-idx3-ubyte[.gz]    the official 10,000-image test set
  t10k-labels-idx1-ubyte[.gz]
```
An IDX file is a big-endian header (two zero bytes, a type code, the number of dimensions,
then one uint32 per dimension) followed by the values. The header's first dimension is the
number of items, so a cut file (``../shared/data/mnist`` holds the first 22,699 training
images, with a header that says so) reads like a full one.
"""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path
from typing import Literal

import numpy as np

from keras_stackgan.data.records import DataError

IMAGES_MAGIC = 0x00000803  # uint8, 3 dimensions
LABELS_MAGIC = 0x00000801  # uint8, 1 dimension
MNIST_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
# IDX type codes: numpy big-endian dtypes.
_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path: str | os.PathLike, magic: int | None = None) -> np.ndarray:
    """Reads one IDX file (``.gz`` or raw) into a numpy array of the shape its header gives.

    Args:
        path: the file. Names ending in ``.gz`` are decompressed.
        magic: int or None. The expected magic number (``IMAGES_MAGIC`` = 2051 for
            ``[n, rows, cols]`` uint8 images, ``LABELS_MAGIC`` = 2049 for ``[n]`` uint8 labels);
            None accepts any valid IDX type.

    Returns:
        An array with the header's shape and type (uint8 for MNIST), native byte order.

    Raises:
        FileNotFoundError: if the file does not exist.
        DataError: for a wrong magic number, a header cut short, a file holding fewer values
            than its header says (truncated download) or more (not an IDX file of this shape),
            or a corrupt gzip stream. The message names the file.
    """
    path = Path(path)
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rb") as file:
            data = file.read()
    except (EOFError, OSError, zlib.error) as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise DataError(path, f"truncated or corrupt gzip file ({error})") from error

    if len(data) < 4:
        raise DataError(path, f"not an IDX file: {len(data)} bytes, shorter than the magic number")
    found = int.from_bytes(data[:4], "big")
    type_code, ndim = data[2], data[3]
    valid = data[:2] == b"\x00\x00" and type_code in _IDX_TYPES and ndim >= 1
    if not valid or (magic is not None and found != magic):
        expected = f"0x{magic:08X}" if magic is not None else "an IDX magic number"
        what = {IMAGES_MAGIC: " (uint8 images)", LABELS_MAGIC: " (uint8 labels)"}
        raise DataError(
            path,
            f"wrong magic number 0x{found:08X}{what.get(found, '')}, expected "
            f"{expected}{what.get(magic, '')}",
        )
    header_bytes = 4 + 4 * ndim
    if len(data) < header_bytes:
        raise DataError(path, f"truncated IDX header: {len(data)} bytes, need {header_bytes}")
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(_IDX_TYPES[type_code])
    item_bytes = int(np.prod(shape[1:], dtype=np.int64)) * dtype.itemsize
    expected_bytes = shape[0] * item_bytes
    payload = len(data) - header_bytes
    if payload < expected_bytes:
        complete = payload // item_bytes if item_bytes else 0
        raise DataError(
            path,
            f"truncated IDX file: the header says {shape[0]:,} items of shape {shape[1:]} "
            f"({expected_bytes:,} bytes) but the file holds {payload:,} bytes "
            f"({complete:,} complete items)",
        )
    if payload > expected_bytes:
        raise DataError(
            path,
            f"IDX file longer than its header says: {shape[0]:,} items of shape {shape[1:]} "
            f"take {expected_bytes:,} bytes, the file holds {payload:,}",
        )
    array = np.frombuffer(data, dtype=dtype, count=int(np.prod(shape)), offset=header_bytes)
    return array.reshape(shape).astype(dtype.newbyteorder("="), copy=True)


def find_idx_file(directory: str | os.PathLike, stem: str) -> Path:
    """``directory/stem`` if it exists, else ``directory/stem.gz``.

    Raises:
        FileNotFoundError: if neither exists (the message names both).
    """
    directory = Path(directory)
    for candidate in (directory / stem, directory / f"{stem}.gz"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"No {stem} or {stem}.gz in {directory}.")


def read_mnist(
    directory: str | os.PathLike,
    split: Literal["train", "test"] = "train",
    *,
    num_classes: int = 10,
) -> tuple[np.ndarray, np.ndarray]:
    """Reads an MNIST split from its official IDX files (gzipped or not).

    Args:
        directory: the folder holding ``train-images-idx3-ubyte[.gz]`` and the others.
        split: ``"train"`` (``train-*``) or ``"test"`` (``t10k-*``).
        num_classes: int. Labels must lie in ``[0, num_classes)``. Defaults to 10.

    Returns:
        ``(images, labels)``: uint8 ``[n, 28, 28]`` in ``[0, 255]`` (white digits on black;
        rows and columns as the header gives) and uint8 ``[n]`` in ``[0, num_classes)``.

    Raises:
        FileNotFoundError: if a file of the split is missing.
        DataError: for a bad IDX file (see ``read_idx``), images and labels of different
            counts, or a label outside ``[0, num_classes)``. The message names the file.

    Examples:
    ```python
    images, labels = read_mnist("../shared/data/mnist", "test")
    images.shape, labels[:5]  # ((10000, 28, 28), array([7, 2, 1, 0, 4], dtype=uint8))
    ```
    """
    if split not in MNIST_FILES:
        raise ValueError(f'split must be "train" or "test", received {split!r}')
    images_stem, labels_stem = MNIST_FILES[split]
    images_path = find_idx_file(directory, images_stem)
    labels_path = find_idx_file(directory, labels_stem)
    images = read_idx(images_path, IMAGES_MAGIC)
    labels = read_idx(labels_path, LABELS_MAGIC)
    if len(images) != len(labels):
        raise DataError(
            labels_path,
            f"{len(labels):,} labels for the {len(images):,} images of {images_path.name}: "
            "images and labels must have the same count",
        )
    check_labels(labels, num_classes, labels_path)
    return images, labels


def check_labels(labels: np.ndarray, num_classes: int | None, source: str | os.PathLike) -> None:
    """Raises ``DataError`` naming ``source`` and the first bad label if a label is outside
    ``[0, num_classes)`` (or negative, when ``num_classes`` is None)."""
    labels = np.asarray(labels)
    if labels.size == 0:
        return
    upper = np.iinfo(np.int64).max if num_classes is None else num_classes
    bad = np.flatnonzero((labels < 0) | (labels >= upper))
    if bad.size:
        first = int(bad[0])
        allowed = f"0..{num_classes - 1}" if num_classes is not None else ">= 0"
        raise DataError(
            source,
            f"label {int(labels[first])} of item {first} is outside {allowed} "
            f"({bad.size:,} labels out of range)",
        )


def make_mnist_dataset(
    directory: str | os.PathLike,
    split: Literal["train", "test"] = "train",
    *,
    batch_size: int = 64,
    image_size: int | None = None,
    resize_method: str = "bilinear",
    channels: int = 1,
    shuffle: bool = True,
    seed: int | None = None,
    drop_remainder: bool = True,
    repeat: bool = False,
):
    """MNIST batches of ``(images, labels)`` for GAN training: ``read_mnist`` + the labelled
    pipeline (``make_labelled_dataset``).

    Args:
        directory: the MNIST folder (see ``read_mnist``).
        split: ``"train"`` or ``"test"``.
        batch_size: int. Examples per batch.
        image_size: int or None. Output side; None keeps 28. 32 for the 32 px DCGAN variants.
        resize_method: ``"bilinear"`` (default) or another ``tf.image.resize`` method, or
            ``"pad"``: centre the 28x28 digit on a black ``image_size`` canvas.
        channels: int. 1 (default) or 3 (the grey value repeated, for RGB networks).
        shuffle: bool. Reshuffle every epoch. Default True.
        seed: int or None. Same seed, same batches in every run and epoch order.
        drop_remainder: bool. Drop the last incomplete batch. Default True.
        repeat: bool. Repeat forever (then pass ``steps_per_epoch`` to ``fit``).

    Returns:
        A ``tf.data.Dataset`` of ``(images, labels)``: float32 ``[B, S, S, channels]`` in
        ``[-1, 1]`` (black background at -1) and int32 ``[B]`` in ``[0, 10)``.

    Examples:
    ```python
    dataset = make_mnist_dataset("../shared/data/mnist", batch_size=64, image_size=32, seed=0)
    images, labels = next(iter(dataset))  # (64, 32, 32, 1) float32, (64,) int32
    ```
    """
    from keras_stackgan.data.labelled import make_labelled_dataset

    images, labels = read_mnist(directory, split)
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3, received {channels}")
    images = images[..., None]
    if channels == 3:
        images = np.repeat(images, 3, axis=-1)
    return make_labelled_dataset(
        images,
        labels,
        batch_size=batch_size,
        num_classes=10,
        image_size=image_size,
        resize_method=resize_method,
        shuffle=shuffle,
        seed=seed,
        drop_remainder=drop_remainder,
        repeat=repeat,
        source=find_idx_file(directory, MNIST_FILES[split][0]),
    )
