"""Paired images for image-to-image translation (pix2pix): the standard ``A|B`` folder layout.

The pix2pix datasets (facades, edges2shoes, maps, cityscapes, ...) are folders ``train/``,
``val/``, ``test/`` of JPEGs each holding the two images of a pair side by side, A on the left
and B on the right (``256 x 512`` for a 256 px pair)::

    facades/train/1.jpg   facades/val/1.jpg   facades/test/1.jpg ...

- ``read_paired_folder``: the usable files of a split (``ReadResult``): unreadable, truncated,
  odd-width or non-side-by-side files are skipped with their reason in the report, or raise
  ``DataError`` with ``on_error="raise"``;
- ``load_paired_folder``: decodes them into ``PairedImages(inputs, targets, keys)``, uint8,
  in the chosen direction (``"AtoB"``: A is the input; ``"BtoA"``);
- ``make_paired_dataset``: batches of ``(input_images, target_images)`` in [-1, 1] with the
  paper's jitter (resize, random crop) and mirroring applied identically to both images.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import tensorflow as tf
from PIL import Image

from keras_stackgan.data.image_checks import IMAGE_EXTENSIONS, Verify, check_image_file
from keras_stackgan.data.records import (
    DataError,
    ImageRecord,
    OnError,
    ProblemLog,
    ReadReport,
    ReadResult,
)

DIRECTIONS = ("AtoB", "BtoA")
SPLITS = ("train", "val", "test")


class PairedImages(NamedTuple):
    """Aligned pairs held in memory: ``inputs, targets, keys = load_paired_folder(...)``.

    Attributes:
        inputs: uint8 ``[n, S, S, 3]``, the images translated from.
        targets: uint8 ``[n, S, S, 3]``, the images to produce.
        keys: list of n str, where each pair came from (``"train/1"``, ``"test/image_00001"``).
        report: ``ReadReport`` of what was skipped (None for pairs made in memory).
    """

    inputs: np.ndarray
    targets: np.ndarray
    keys: list[str]
    report: ReadReport | None = None


def check_direction(direction: str) -> str:
    """``direction`` if it is ``"AtoB"`` or ``"BtoA"``; ValueError otherwise."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, received {direction!r}")
    return direction


def pair_geometry_problem(width: int, height: int, require_square: bool = True) -> str | None:
    """Why a ``width x height`` file is not an ``A|B`` pair, or None.

    >>> pair_geometry_problem(513, 256)
    'odd width: 513x256 cannot be split into two halves'
    """
    if width % 2:
        return f"odd width: {width}x{height} cannot be split into two halves"
    if require_square and width != 2 * height:
        return (
            f"not a side-by-side pair: {width}x{height}, expected width = 2 x height "
            "(two square halves)"
        )
    return None


def read_paired_folder(
    root: str | os.PathLike,
    split: str = "train",
    *,
    on_error: OnError = "skip",
    verify: Verify = "header",
    require_square: bool = True,
) -> ReadResult:
    """The usable ``A|B`` files of ``root/<split>/``, sorted by name.

    Args:
        root: the dataset folder holding ``train/``, ``val/``, ``test/``.
        split: str, the sub-folder (``"train"``, ``"val"``, ``"test"`` or any other name).
        on_error: ``"skip"`` (default): bad files are dropped and reported; ``"raise"``:
            ``DataError`` at the first.
        verify: image check (``check_image_file``): ``"header"`` (default) catches unreadable
            and truncated files; ``"full"`` also decodes every pixel.
        require_square: bool, each half must be square (``width == 2 * height``, as in every
            pix2pix dataset); False accepts any even width.

    Returns:
        ``ReadResult``: ``ImageRecord``s (``key`` ``"<split>/<stem>"``, ``split``) and the
        report of skipped files with reasons (``"odd width"``, ``"not a side-by-side pair"``,
        ``"truncated image"``, ``"unreadable image"``, ...).

    Raises:
        FileNotFoundError: if ``root/<split>`` is not a folder.
        DataError: with ``on_error="raise"`` for the first bad file; in any case when the
            folder holds no usable pair (the message counts the skipped files by reason).
    """
    folder = Path(root) / split
    if not folder.is_dir():
        raise FileNotFoundError(
            f"{folder} is not a folder (expected {root}/{{{','.join(SPLITS)}}})"
        )
    log = ProblemLog(folder, on_error)
    records = []
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_EXTENSIONS)
    for path in files:
        reason = check_image_file(path, verify)
        if reason is None:
            with Image.open(path) as image:
                reason = pair_geometry_problem(image.width, image.height, require_square)
        if reason is not None:
            log.skip(path, reason)
            continue
        records.append(ImageRecord(str(path), key=f"{split}/{path.stem}", split=split))
    if not records:
        skipped = log.report.skipped_by_reason()
        raise DataError(
            folder, f"no usable A|B image pairs ({len(files)} image files; skipped: {skipped})"
        )
    return log.finish(records)


def split_pair(pair: np.ndarray, direction: str = "AtoB") -> tuple[np.ndarray, np.ndarray]:
    """``(input, target)`` halves of one ``[H, 2W, C]`` side-by-side array."""
    check_direction(direction)
    half = pair.shape[1] // 2
    a, b = pair[:, :half], pair[:, half : 2 * half]
    return (a, b) if direction == "AtoB" else (b, a)


def load_paired_folder(
    root: str | os.PathLike,
    split: str = "train",
    *,
    direction: str = "AtoB",
    image_size: int = 256,
    on_error: OnError = "skip",
    verify: Verify = "header",
    require_square: bool = True,
) -> PairedImages:
    """Decodes a split of an ``A|B`` dataset into uint8 pairs at ``image_size``.

    Each file is read with ``read_paired_folder``, decoded as RGB, split in halves and each
    half resized to ``image_size x image_size`` (bicubic; antialiased when shrinking). A file
    that passes the checks but fails to decode is skipped (or raises) like the others.

    Args:
        root, split, on_error, verify, require_square: as ``read_paired_folder``.
        direction: ``"AtoB"`` (default: the left half is the input) or ``"BtoA"``.
        image_size: int, side of the output images (256, the pix2pix datasets' own).

    Returns:
        ``PairedImages``: uint8 inputs and targets ``[n, S, S, 3]``, keys, and the report.

    Examples:
    ```python
    pairs = load_paired_folder("datasets/facades", "train", direction="BtoA")
    print(pairs.report.summary())  # files kept and skipped, with reasons
    dataset = make_paired_dataset(pairs.inputs, pairs.targets, seed=0)
    ```
    """
    check_direction(direction)
    records, report = read_paired_folder(
        root, split, on_error=on_error, verify=verify, require_square=require_square
    )
    log = ProblemLog(report.source, on_error)
    log.report = report
    inputs, targets, keys = [], [], []
    for record in records:
        try:
            with Image.open(record.image_path) as image:
                pair = np.asarray(image.convert("RGB"))
        except Exception as error:  # noqa: BLE001 (Pillow raises many types on bad data)
            log.skip(record.image_path, f"undecodable image: {type(error).__name__}: {error}")
            continue
        for out, half in zip((inputs, targets), split_pair(pair, direction), strict=True):
            out.append(_resize(half, image_size))
        keys.append(record.key)
    report.skipped = log.report.skipped
    report.num_records = len(keys)
    if not keys:
        raise DataError(report.source, "no decodable A|B image pairs")
    return PairedImages(np.stack(inputs), np.stack(targets), keys, report)


def _resize(image: np.ndarray, size: int) -> np.ndarray:
    if image.shape[:2] == (size, size):
        return np.ascontiguousarray(image)
    resized = Image.fromarray(image).resize((size, size), Image.BICUBIC)
    return np.asarray(resized)


def _check_pairs(inputs, targets) -> tuple[np.ndarray, np.ndarray]:
    inputs, targets = np.asarray(inputs), np.asarray(targets)
    for name, array in (("inputs", inputs), ("targets", targets)):
        if array.ndim != 4 or array.shape[-1] not in (1, 3):
            raise ValueError(f"{name} must be [n, H, W, 1 or 3], got shape {array.shape}")
        if array.dtype != np.uint8:
            raise TypeError(f"{name} must be uint8 in [0, 255], got {array.dtype}")
    if inputs.shape[:3] != targets.shape[:3]:
        raise DataError(
            "pairs", f"inputs {inputs.shape} and targets {targets.shape} are not aligned pairs"
        )
    return inputs, targets


def make_paired_dataset(
    inputs,
    targets,
    *,
    batch_size: int = 1,
    image_size: int | None = None,
    load_size: int | None = None,
    flip: bool = True,
    shuffle: bool = True,
    seed: int | None = None,
    drop_remainder: bool = True,
    repeat: bool = False,
    initial_epoch: int = 0,
) -> tf.data.Dataset:
    """Batches of ``(input_images, target_images)`` in [-1, 1] from aligned uint8 pairs.

    Both images of a pair get the same augmentation, the paper's (Isola et al. 2017, appendix
    6.2): "random jitter was applied by resizing the 256 x 256 input images to 286 x 286 and
    then randomly cropping back to size 256 x 256", and mirroring. The pairs are held in memory;
    with a ``seed`` and ``repeat=True`` (resumable training with ``steps_per_epoch``) epoch
    ``e``'s order, crops and flips are a pure function of ``(seed, e)``, so a run resumed at
    ``initial_epoch`` continues with that epoch's own batches.

    Args:
        inputs, targets: uint8 ``[n, H, W, C]`` aligned pairs (C 1 or 3, H = W).
        batch_size: int, pairs per batch (1 in the paper's facades runs). Defaults to 1.
        image_size: int or None, output side S (None: H).
        load_size: int or None, side the pairs are resized to before a random ``S x S`` crop
            (286 for 256 px in the paper; None or S: no jitter).
        flip: bool, random horizontal mirroring of both images. Defaults to True.
        shuffle: bool, shuffle the pairs; with ``repeat=True`` every epoch has its own order
            (without, iterating again repeats the one epoch). Defaults to True.
        seed: int or None, seed of the order, crops and flips.
        drop_remainder: bool, drop the last incomplete batch (the default).
        repeat: bool, repeat forever.
        initial_epoch: int, with ``seed`` and ``repeat``: the epoch the stream starts at.

    Returns:
        ``tf.data.Dataset`` of ``(input_images, target_images)``, float32 ``[B, S, S, C]`` in
        [-1, 1].

    Raises:
        DataError: for inputs and targets of different counts or sizes.
        TypeError, ValueError: for arrays that are not uint8 images, or a bad size.
    """
    inputs, targets = _check_pairs(inputs, targets)
    n, height, width = inputs.shape[:3]
    size = int(image_size or height)
    load = int(load_size or size)
    if load < size:
        raise ValueError(f"load_size {load} is below image_size {size}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    split = inputs.shape[-1]
    bank = tf.constant(np.concatenate([inputs, targets], axis=-1))

    def augment(indices, key):
        x = tf.cast(tf.gather(bank, indices), tf.float32) / 127.5 - 1.0
        if (load, load) != (height, width):
            x = tf.image.resize(x, [load, load], method="bicubic", antialias=load < height)
            x = tf.clip_by_value(x, -1.0, 1.0)
        count = tf.shape(x)[0]
        if load > size:  # the same exact-pixel random crop for both images of a pair
            offsets = tf.random.stateless_uniform(
                [count, 2], tf.stack([key, tf.constant(1, tf.int64)]), 0, load - size + 1, tf.int32
            )
            start = tf.cast(offsets, tf.float32) / (load - 1)
            boxes = tf.concat([start, start + (size - 1) / (load - 1)], axis=1)
            x = tf.image.crop_and_resize(x, boxes, tf.range(count), [size, size])
        if flip:
            coin = tf.random.stateless_uniform([count], tf.stack([key, tf.constant(2, tf.int64)]))
            x = tf.where((coin < 0.5)[:, None, None, None], tf.reverse(x, axis=[2]), x)
        return x[..., :split], x[..., split:]

    seed_value = tf.constant(0 if seed is None else int(seed), tf.int64)

    def epoch_batches(epoch):
        indices = tf.range(n, dtype=tf.int64)
        if shuffle:
            key = tf.stack([seed_value, epoch])
            indices = tf.random.experimental.stateless_shuffle(indices, seed=key)
        batches = tf.data.Dataset.from_tensor_slices(indices)
        batches = batches.batch(batch_size, drop_remainder=drop_remainder).enumerate()
        return batches.map(lambda i, batch: (batch, epoch * 1_000_003 + i + seed_value))

    if seed is None:  # fresh randomness: an epoch counter drawn at random
        start = np.random.default_rng().integers(0, 2**31)
        epochs = tf.data.Dataset.range(start, start + (2**40 if repeat else 1))
    else:
        first = int(initial_epoch)
        epochs = tf.data.Dataset.range(first, 2**62 if repeat else first + 1)
    dataset = epochs.flat_map(epoch_batches)
    dataset = dataset.map(augment, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    options = tf.data.Options()
    options.deterministic = True
    return dataset.prefetch(tf.data.AUTOTUNE).with_options(options)


def pairs_from_arrays(
    inputs: Sequence[np.ndarray] | np.ndarray,
    targets: Sequence[np.ndarray] | np.ndarray,
    keys: Sequence[str] | None = None,
) -> PairedImages:
    """``PairedImages`` of in-memory uint8 arrays (checked to be aligned pairs)."""
    inputs, targets = _check_pairs(inputs, targets)
    keys = list(keys) if keys is not None else [f"pair {i}" for i in range(len(inputs))]
    if len(keys) != len(inputs):
        raise ValueError(f"{len(keys)} keys for {len(inputs)} pairs")
    return PairedImages(inputs, targets, keys, None)
