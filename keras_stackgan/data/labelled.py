"""Class-labelled images for class-conditional GANs: in-memory arrays and their ``tf.data`` batches.

- ``load_labelled_oxford102`` / ``load_labelled_cub_crops``: a split of Oxford-102 flowers or
  of the CUB bird crops (``bird_crops100``) as ``LabelledImages(images, labels, class_names)``,
  decoded once through the existing readers (``read_oxford102``, ``read_cub_crops``).
- ``make_labelled_dataset``: batches of ``(images in [-1, 1], int32 labels)`` from any uint8
  image array with labels (these, MNIST from ``read_mnist``, or a user's own), shuffled every
  epoch from a seed, optionally resized.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import tensorflow as tf

from keras_stackgan.data.cub_crops import read_cub_crops
from keras_stackgan.data.image_checks import Verify
from keras_stackgan.data.mnist import check_labels
from keras_stackgan.data.oxford102 import load_cat_to_name, read_oxford102
from keras_stackgan.data.pipeline import load_images
from keras_stackgan.data.records import DataError, ImageRecord
from keras_stackgan.data.text_files import read_table

RESIZE_METHODS = ("bilinear", "bicubic", "area", "nearest", "lanczos3", "mitchellcubic", "pad")


class LabelledImages(NamedTuple):
    """A labelled image set held in memory: ``images, labels, class_names = load_...(...)``.

    Attributes:
        images: uint8 ``[n, S, S, 3]`` in ``[0, 255]``.
        labels: int32 ``[n]`` in ``[0, len(class_names))``.
        class_names: list of str, the name of each label (all classes of the dataset, also
            those absent from this split).
    """

    images: np.ndarray
    labels: np.ndarray
    class_names: list[str]


def labelled_from_records(
    records: Sequence[ImageRecord],
    class_names: Sequence[str],
    image_size: int,
    *,
    bbox_crop: bool = True,
    source: str | os.PathLike = "records",
) -> LabelledImages:
    """Decodes records (0-based ``class_id``) into a ``LabelledImages`` at ``image_size``.

    Args:
        records: ``ImageRecord``s with ``class_id`` in ``[0, len(class_names))``.
        class_names: the name of every class, in label order.
        image_size: int. Output side S; images are resized to ``S x S`` (bicubic, antialiased
            when shrinking; aspect not kept).
        bbox_crop: bool. Crop to a record's bounding box first (StackGAN's crop) if it has one.
        source: what the records were read from, named in errors.

    Returns:
        ``LabelledImages``: uint8 ``[n, S, S, 3]``, int32 ``[n]``, ``list(class_names)``.

    Raises:
        DataError: if a record's class is outside ``[0, len(class_names))``.
    """
    labels = np.array([r.class_id for r in records], dtype=np.int32)
    check_labels(labels, len(class_names), source)
    if records:
        images = load_images(records, image_size, bbox_crop=bbox_crop)
    else:
        images = np.zeros((0, image_size, image_size, 3), np.uint8)
    return LabelledImages(images, labels, list(class_names))


def load_labelled_oxford102(
    root: str | os.PathLike,
    split: str = "train",
    *,
    image_size: int = 64,
    num_classes: int | None = None,
    verify: Verify = "header",
) -> LabelledImages:
    """A split of Oxford-102 flowers as uint8 images with 0-based class labels and names.

    Reads with ``read_oxford102`` (``labels.csv``, ``.mat`` files or StackGAN's split pickles;
    class ids 1-102 become labels 0-101). Names come from ``cat_to_name.json``
    (``"pink primrose"``), or are ``"class 1"``... when it is absent.

    Args:
        root: the flowers folder holding ``jpg/`` (``../shared/data/flowers``).
        split: ``"train"`` (default), ``"valid"``, ``"test"`` or None for every image.
        image_size: int. Output side S. Defaults to 64 (the shared copy's native size).
        num_classes: int or None. Number of classes; None (default) takes the largest of
            ``cat_to_name.json``'s class numbers and the split's (102 for Oxford-102).
        verify: image check, see ``check_image_file``.

    Returns:
        ``LabelledImages``: uint8 ``[n, S, S, 3]``, int32 ``[n]`` in ``[0, C)``, C names.

    Raises:
        FileNotFoundError, DataError: as ``read_oxford102``; DataError for a class outside
            ``num_classes``.

    Examples:
    ```python
    images, labels, names = load_labelled_oxford102("../shared/data/flowers", "train")
    images.shape, len(names)  # ((6552, 64, 64, 3), 102)
    ```
    """
    root = Path(root)
    records = read_oxford102(root, split, verify=verify).records
    names_path = root / "cat_to_name.json"
    names = load_cat_to_name(names_path) if names_path.is_file() else {}
    if num_classes is None:
        num_classes = max([*names, *(r.class_id + 1 for r in records), 0])
    class_names = [names.get(i + 1, f"class {i + 1}") for i in range(num_classes)]
    return labelled_from_records(records, class_names, image_size, source=root / "labels.csv")


def load_labelled_cub_crops(
    root: str | os.PathLike,
    split: str = "train",
    *,
    image_size: int = 64,
    train_flag: int = 0,
    verify: Verify = "header",
) -> LabelledImages:
    """A split of the CUB bird crops (``bird_crops100``) as uint8 images, labels and names.

    Reads with ``read_cub_crops``; labels are the 0-based ids of ``classes.txt`` (100 species
    in ``../shared/data/bird_crops100``), names its species (``"Black_footed_Albatross"``;
    ``readable_class_name`` gives ``"black footed albatross"``).

    Args:
        root: the folder holding ``classes.txt`` and ``images/``.
        split: ``"train"`` (default), ``"test"`` or None for every image.
        image_size: int. Output side S; the 227 px crops are resized (antialiased). Default 64.
        train_flag: int. The ``train_test_split.txt`` value of training images (see
            ``read_cub_crops``; 0 for ``bird_crops100``).
        verify: image check, see ``check_image_file``.

    Returns:
        ``LabelledImages``: uint8 ``[n, S, S, 3]``, int32 ``[n]`` in ``[0, C)``, C names.

    Raises:
        FileNotFoundError, DataError: as ``read_cub_crops``.

    Examples:
    ```python
    images, labels, names = load_labelled_cub_crops("../shared/data/bird_crops100", "test")
    images.shape, len(names)  # ((2903, 64, 64, 3), 100)
    ```
    """
    root = Path(root)
    records = read_cub_crops(root, split, train_flag=train_flag, verify=verify).records
    try:
        table = {int(i): name for i, name in read_table(root / "classes.txt", 2, sep=",")}
    except ValueError as error:
        raise DataError(root / "classes.txt", str(error)) from error
    num_classes = max(table, default=-1) + 1
    class_names = [table.get(i, f"class {i}") for i in range(num_classes)]
    return labelled_from_records(
        records, class_names, image_size, bbox_crop=False, source=root / "image_class_labels.txt"
    )


def _image_sources(source, n: int) -> list[str]:
    if source is None:
        return [f"images[{i}]" for i in range(n)]
    if isinstance(source, str | os.PathLike):
        return [f"{os.fspath(source)} (image {i})" for i in range(n)]
    return [os.fspath(s) for s in source]


def _stack_images(images, image_shape, source) -> np.ndarray:
    """Checks every image against ``image_shape`` (or the first image) and stacks them."""
    if isinstance(images, np.ndarray | tf.Tensor):
        array = np.asarray(images)
        if array.ndim == 3:
            array = array[..., None]
        if array.ndim != 4:
            raise ValueError(f"images must be [n, H, W] or [n, H, W, C], got shape {array.shape}")
        items = None
    else:
        items = [np.asarray(image) for image in images]
        items = [image[..., None] if image.ndim == 2 else image for image in items]
        array = None
    first = array.shape[1:] if items is None else (items[0].shape if items else None)
    expected = tuple(image_shape) if image_shape is not None else first
    if expected is not None and len(expected) == 2:
        expected = (*expected, 1)
    if expected is not None and expected[-1] not in (1, 3):
        raise ValueError(f"images must have 1 or 3 channels, got shape {expected}")

    def check(shape, where):
        if len(shape) != 3:
            raise DataError(where, f"image has shape {shape}, expected [H, W] or [H, W, C]")
        if shape[:2] != expected[:2]:
            raise DataError(
                where,
                f"wrong image size {shape[0]}x{shape[1]}, expected {expected[0]}x{expected[1]}",
            )
        if shape[2] != expected[2]:
            raise DataError(where, f"wrong channel count {shape[2]}, expected {expected[2]}")

    if items is None:
        if len(array):
            check(array.shape[1:], os.fspath(source) if source is not None else "images")
    else:
        names = _image_sources(source, len(items))
        for image, where in zip(items, names, strict=False):
            check(image.shape, where)
        array = np.stack(items) if items else np.zeros((0, *(expected or (1, 1, 1))), np.uint8)
    if array.dtype != np.uint8:
        raise TypeError(f"images must be uint8 in [0, 255], got {array.dtype}")
    return array


def make_labelled_dataset(
    images,
    labels,
    *,
    batch_size: int = 64,
    num_classes: int | None = None,
    image_shape: Sequence[int] | None = None,
    image_size: int | None = None,
    resize_method: str = "bilinear",
    flip: bool = False,
    shuffle: bool = True,
    seed: int | None = None,
    drop_remainder: bool = True,
    repeat: bool = False,
    source: str | os.PathLike | Sequence[str | os.PathLike] | None = None,
    initial_epoch: int = 0,
) -> tf.data.Dataset:
    """Batches of ``(images, labels)`` from labelled uint8 images, for class-conditional GANs.

    The images are held in memory (one uint8 constant); each epoch reshuffles the indices and
    each batch is gathered, scaled to ``[-1, 1]`` and resized in a few vectorised ops. With a
    ``seed``, every run gives the same batches (each epoch differently shuffled). With a ``seed``
    and ``repeat=True`` (the endless stream resumable training reads, with ``steps_per_epoch``)
    epoch ``e``'s order and flips are a pure function of ``(seed, e)`` (stateless ops), so a run
    resumed at ``initial_epoch`` continues with that epoch's own order; batches never straddle
    two epochs.

    Args:
        images: uint8 ``[n, H, W, C]`` or ``[n, H, W]`` (C = 1) in ``[0, 255]``, or a sequence
            of uint8 ``[H, W, C]`` / ``[H, W]`` arrays, which must all have one shape.
        labels: integer ``[n]``, 0-based class labels.
        batch_size: int. Examples per batch. Defaults to 64.
        num_classes: int or None. Labels must lie in ``[0, num_classes)``; None checks only
            that they are non-negative.
        image_shape: ``(H, W, C)`` or ``(H, W)``, or None. The shape every image must have;
            None: the first image's.
        image_size: int or None. Output side S (e.g. 32 for 28 px MNIST in a 32 px DCGAN);
            None keeps ``H x W``.
        resize_method: ``"bilinear"`` (default), another ``tf.image.resize`` method
            (``"bicubic"``, ``"area"``, ``"nearest"``; antialiased when shrinking), or
            ``"pad"``: centre the image on a black (-1) ``S x S`` canvas (S >= H, W).
        flip: bool. Random horizontal flips (not for digits). Default False.
        shuffle: bool. Reshuffle every epoch. Default True.
        seed: int or None. Seed of the shuffle and flips; None draws fresh randomness.
        drop_remainder: bool. Drop the last incomplete batch (static batch size, what GAN
            ``train_step``s want). Default True.
        repeat: bool. Repeat forever (then pass ``steps_per_epoch`` to ``fit``).
        source: where the images came from, named in errors: one file, or one name per image.
        initial_epoch: int. With a ``seed`` and ``repeat``: the epoch the stream starts at (a
            resumed run's).

    Returns:
        A ``tf.data.Dataset`` of ``(images, labels)``: float32 ``[B, S, S, C]`` in ``[-1, 1]``
        and int32 ``[B]``.

    Raises:
        DataError: if images and labels have different counts, an image has the wrong size or
            channel count, or a label is out of range; the message names ``source``.
        TypeError: for images that are not uint8.
        ValueError: for an unknown resize method or a pad smaller than the images.

    Examples:
    ```python
    images, labels, names = load_labelled_oxford102("../shared/data/flowers", "train")
    dataset = make_labelled_dataset(images, labels, num_classes=len(names), flip=True, seed=0)
    batch_images, batch_labels = next(iter(dataset))  # (64, 64, 64, 3) float32, (64,) int32
    ```
    """
    array = _stack_images(images, image_shape, source)
    labels = np.asarray(labels)
    where = os.fspath(source) if isinstance(source, str | os.PathLike) else "labels"
    if labels.ndim != 1 or len(labels) != len(array):
        raise DataError(
            where,
            f"{labels.shape[0] if labels.ndim else 0:,} labels (shape {labels.shape}) for "
            f"{len(array):,} images: images and labels must have the same count",
        )
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        raise TypeError(f"labels must be integers, got {labels.dtype}")
    check_labels(labels, num_classes, where)
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    n, height, width, channels = array.shape
    size = image_size
    if size is not None and resize_method == "pad" and (size < height or size < width):
        raise ValueError(f'resize_method="pad" needs image_size >= {max(height, width)}')
    if resize_method not in RESIZE_METHODS:
        raise ValueError(f"resize_method must be one of {RESIZE_METHODS}, got {resize_method!r}")

    bank = tf.constant(array)
    label_table = tf.constant(labels.astype(np.int32))

    def convert(batch: tf.Tensor, random_value: tf.Tensor) -> tf.Tensor:
        x = tf.cast(batch, tf.float32) / 127.5 - 1.0
        if size is not None and (size, size) != (height, width):
            if resize_method == "pad":
                top, left = (size - height) // 2, (size - width) // 2
                paddings = [[0, 0], [top, size - height - top], [left, size - width - left]]
                x = tf.pad(x, [*paddings, [0, 0]], constant_values=-1.0)
            else:
                shrink = size < height or size < width
                x = tf.image.resize(x, [size, size], method=resize_method, antialias=shrink)
                x = tf.clip_by_value(x, -1.0, 1.0)
        if flip:
            key = tf.stack([random_value, tf.constant(0, tf.int64)])
            coin = tf.random.stateless_uniform(tf.shape(x)[:1], key) < 0.5
            x = tf.where(coin[:, None, None, None], tf.reverse(x, axis=[2]), x)
        return x

    def batch_of(indices, random_value):
        return convert(tf.gather(bank, indices), random_value), tf.gather(label_table, indices)

    if seed is None or not repeat:
        dataset = tf.data.Dataset.range(n)
        if shuffle:
            dataset = dataset.shuffle(max(n, 1), seed=seed, reshuffle_each_iteration=True)
        if repeat:
            dataset = dataset.repeat()
        dataset = dataset.batch(batch_size, drop_remainder=drop_remainder)
        randoms = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True)
        dataset = tf.data.Dataset.zip(dataset, randoms)
    else:
        seed_value = tf.constant(int(seed), tf.int64)

        def epoch_batches(epoch):
            indices = tf.range(n, dtype=tf.int64)
            if shuffle:
                key = tf.stack([seed_value, epoch])
                indices = tf.random.experimental.stateless_shuffle(indices, seed=key)
            batches = tf.data.Dataset.from_tensor_slices(indices)
            batches = batches.batch(batch_size, drop_remainder=drop_remainder).enumerate()
            # Each batch's flip key: a function of (epoch, batch), so resumed runs match.
            return batches.map(lambda i, batch: (batch, epoch * 1_000_003 + i + seed_value))

        dataset = tf.data.Dataset.range(int(initial_epoch), 2**62).flat_map(epoch_batches)
    dataset = dataset.map(batch_of, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    dataset = dataset.prefetch(tf.data.AUTOTUNE)
    options = tf.data.Options()
    options.deterministic = True
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    return dataset.with_options(options)
