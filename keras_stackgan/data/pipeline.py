"""The StackGAN input pipeline: records + caption embeddings -> ``tf.data.Dataset`` of batches.

Each element of an epoch is built from a record index and a per-example random seed, entirely
in TensorFlow ops: the real image (bbox crop, resize to 76/304, random 64/256 crop, random
flip, ``[-1, 1]``), one random caption embedding of the record (or the mean of several), and a
"wrong" image drawn uniformly from the records of other classes.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
import tensorflow as tf

from keras_stackgan.data.caption_embeddings import CaptionEmbeddings
from keras_stackgan.data.image_ops import augment, load_image, load_size_for
from keras_stackgan.data.records import DataError, DataWarning, ImageRecord

EXTRAS = ("class_id", "wrong_class_id", "index", "wrong_index", "caption")
DEFAULT_CACHE_BYTES = 1 << 30


def record_tensors(records: Sequence[ImageRecord]) -> dict[str, np.ndarray]:
    """Column arrays of the records, as the pipeline's ops read them.

    Returns:
        dict with ``path`` (object array of str ``[N]``), ``bbox`` (float32 ``[N, 4]``, zeros
        where there is none), ``has_bbox`` (bool ``[N]``) and ``class_id`` (int32 ``[N]``).
    """
    boxes = [r.bbox or (0.0, 0.0, 0.0, 0.0) for r in records]
    return {
        "path": np.array([r.image_path for r in records], dtype=object),
        "bbox": np.array(boxes, dtype=np.float32).reshape(-1, 4),
        "has_bbox": np.array([r.bbox is not None for r in records], dtype=bool),
        "class_id": np.array([r.class_id for r in records], dtype=np.int32),
    }


def load_images(
    records: Sequence[ImageRecord],
    size: int,
    *,
    bbox_crop: bool = True,
    batch_size: int = 64,
) -> np.ndarray:
    """Decodes, crops and resizes every record's image once, in parallel (``tf.data``).

    Args:
        records: the images to load.
        size: int. Side of the output images (76 for Stage-I, 304 for Stage-II).
        bbox_crop: bool. Apply StackGAN's bounding-box crop where a record has a box.
        batch_size: int. Images decoded per step of the loading loop.

    Returns:
        uint8 array ``[len(records), size, size, 3]`` in ``[0, 255]``.

    Raises:
        DataError: naming the first file TensorFlow cannot decode.
    """
    columns = record_tensors(records)
    use_bbox = columns["has_bbox"] & bbox_crop
    dataset = tf.data.Dataset.from_tensor_slices(
        (columns["path"].astype(str), columns["bbox"], use_bbox)
    )
    dataset = dataset.map(
        lambda path, bbox, use: load_image(path, bbox, use, size),
        num_parallel_calls=tf.data.AUTOTUNE,
        deterministic=True,
    )
    bank = np.empty((len(records), size, size, 3), dtype=np.uint8)
    start = 0
    try:
        for batch in dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE):
            bank[start : start + len(batch)] = batch.numpy()
            start += len(batch)
    except tf.errors.OpError as error:
        # load_image names the file in its error; say it as the readers do.
        for record in records[start:]:
            if record.image_path in error.message:
                raise DataError(record.image_path, _decode_failure(error.message, record)) from None
        raise
    return bank


def _decode_failure(message: str, record: ImageRecord) -> str:
    """The reason in a ``load_image`` error that names ``record``'s file."""
    if "end-of-image marker" in message:
        return "TensorFlow cannot decode it: JPEG without end-of-image marker (truncated?)"
    found = re.search(re.escape(record.image_path) + r": ([^\n]*)", message)
    return "TensorFlow cannot decode it" + (f": {found.group(1).strip()}" if found else "")


def native_bank_size(records: Sequence[ImageRecord], load_size: int) -> int | None:
    """Side of a lossless in-memory bank for sources smaller than ``load_size``, else None.

    Reads only the image headers (Pillow, lazily). When every image's longer side is below
    ``load_size``, the images (or their bbox crops, which are smaller still) can be stored at
    that side and enlarged per example with the same bicubic resize ``load_image`` would use.

    Returns:
        int, the largest image side over the records, or None when some image is at least
        ``load_size`` wide or high, or a header cannot be read.
    """
    from PIL import Image

    largest = 0
    for record in records:
        try:
            with Image.open(record.image_path) as image:
                largest = max(largest, *image.size)
        except OSError:
            return None
        if largest >= load_size:
            return None
    return largest or None


def wrong_index_tables(class_ids: np.ndarray) -> dict[str, np.ndarray]:
    """Tables that let a graph op draw, for record ``i``, a record of another class uniformly.

    Records are grouped by class (records with ``class_id < 0`` each form their own group, so
    for class-free data "another class" means "another image"). ``order`` lists record indices
    grouped by class; record ``i``'s group occupies ``order[start[i] : start[i] + size[i]]``.
    Drawing ``u`` uniformly in ``[0, N - size[i])`` and skipping the group
    (``u + size[i] if u >= start[i] else u``) gives a uniform record of any other group.

    Written by hand: ``tf.random`` has no "uniform over the complement of a set" sampler, and
    rejection sampling would need a data-dependent loop per example.

    Args:
        class_ids: int array ``[N]``, 0-based class ids or -1.

    Returns:
        dict of int32 arrays: ``order`` ``[N]``, ``start`` ``[N]``, ``size`` ``[N]``.
    """
    class_ids = np.asarray(class_ids, dtype=np.int64)
    groups = np.where(
        class_ids >= 0, class_ids, class_ids.max(initial=0) + 1 + np.arange(len(class_ids))
    )
    order = np.argsort(groups, kind="stable")
    sorted_groups = groups[order]
    unique, first, counts = np.unique(sorted_groups, return_index=True, return_counts=True)
    position = np.searchsorted(unique, groups)
    return {
        "order": order.astype(np.int32),
        "start": first[position].astype(np.int32),
        "size": counts[position].astype(np.int32),
    }


def make_stackgan_dataset(
    records: Sequence[ImageRecord],
    embeddings: CaptionEmbeddings | np.ndarray,
    *,
    batch_size: int = 64,
    image_size: int = 64,
    load_size: int | None = None,
    bbox_crop: bool = True,
    flip: bool = True,
    captions_per_example: int = 1,
    shuffle: bool = True,
    seed: int | None = None,
    drop_remainder: bool = True,
    repeat: bool = False,
    initial_epoch: int = 0,
    cache: Literal["auto", "memory", "none"] = "auto",
    cache_max_bytes: int = DEFAULT_CACHE_BYTES,
    image_bank: np.ndarray | None = None,
    extras: Sequence[str] = (),
    deterministic: bool | None = None,
) -> tf.data.Dataset:
    """Builds the StackGAN training pipeline: batches of ``(real_images, embeddings, wrong)``.

    Per example per epoch: the record's image is bbox-cropped as in StackGAN (when the record
    has a box and ``bbox_crop``), resized to ``load_size`` (76, or 304 for ``image_size=256``),
    randomly cropped to ``image_size``, randomly flipped and scaled to ``[-1, 1]``; one of its
    captions' embeddings is chosen at random (or the mean of ``captions_per_example`` distinct
    random ones, as StackGAN's TF code did with 4); the wrong image is another record's image
    from a different class (a different image when records have no class), with its own crop
    and flip. Everything runs in TensorFlow ops with stateless randomness seeded per example,
    so a given ``seed`` gives the same batches on every run (epoch after epoch, each epoch
    differently shuffled), whatever the parallelism.

    Images are decoded once into an in-memory uint8 bank ``[N, load_size, load_size, 3]`` when
    it fits (``cache``), so epochs only crop and flip. When it does not fit but every image is
    smaller than ``load_size`` (64 px flowers at 256 px), the bank keeps the images at their own
    size and enlarges each example (bicubic, as decoding would). Otherwise each epoch decodes
    from disk.

    Works with ``model.fit`` and ``tf.distribute.Strategy.experimental_distribute_dataset``
    (``drop_remainder=True`` keeps every replica's batch full; auto-sharding is set to
    ``DATA`` since the source is in memory, not files).

    Args:
        records: the images, e.g. from ``read_cub``; at least two.
        embeddings: ``CaptionEmbeddings`` with one row group per record (from
            ``EmbeddingCache.embed_records`` or ``align_precomputed``), or a dense float array
            ``[N, num_captions, D]``.
        batch_size: int. Examples per batch.
        image_size: int. Output side S (64 for Stage-I, 256 for Stage-II).
        load_size: int or None. Side before the random crop; defaults to ``S * 76 // 64``.
        bbox_crop: bool. Use the records' bounding boxes (StackGAN crop). Default True.
        flip: bool. Random horizontal flips. Default True.
        captions_per_example: int. 1 (default): one random caption embedding per example;
            k > 1: the mean of k distinct random ones (all of them if a record has fewer).
        shuffle: bool. Shuffle the records every epoch. Default True.
        seed: int or None. Makes shuffling, caption choice, wrong images, crops and flips
            reproducible; None draws fresh randomness.
        drop_remainder: bool. Drop the last incomplete batch. Default True.
        repeat: bool. An endless stream of epochs (then pass ``steps_per_epoch`` to ``fit``),
            each batched on its own, in which epoch ``k``'s order, captions, wrong images,
            crops and flips are a function of ``(seed, k)`` alone (what a resumable run needs).
            Without it, each pass over the dataset is reshuffled by ``tf.data``, so a fresh
            dataset always starts with the first epoch's order.
        initial_epoch: int >= 0, with ``repeat=True``: the 0-based epoch the stream starts at.
            A run resumed after ``k`` epochs passes ``initial_epoch=k`` (and ``fit(...,
            initial_epoch=k)``) and sees exactly the batches an uninterrupted run would.
        cache: ``"auto"`` (default): decode into memory when the bank takes at most
            ``cache_max_bytes``; ``"memory"``: always; ``"none"``: decode every epoch.
        cache_max_bytes: int. Memory limit of ``cache="auto"``; default 1 GiB.
        image_bank: optional uint8 ``[N, load_size, load_size, 3]`` from ``load_images``, to
            share one decoded bank between pipelines (``cache`` is then ignored).
        extras: names among ``"class_id"``, ``"wrong_class_id"``, ``"index"``,
            ``"wrong_index"``, ``"caption"``. When given, elements are
            ``(real, embeddings, wrong, {name: [B] tensor})`` (for evaluation; ``fit`` wants
            the plain 3-tuple). ``"caption"`` (tf.string) needs records whose captions match
            the embedding rows one to one; with ``captions_per_example > 1`` it is the first
            of the averaged captions.
        deterministic: bool or None. Keep element order fixed under parallel mapping; defaults
            to True when ``seed`` is given, False (faster) otherwise.

    Returns:
        A ``tf.data.Dataset`` of ``(real_images, text_embeddings, wrong_images)``: float32
        ``[B, S, S, 3]`` in ``[-1, 1]``, float32 ``[B, D]``, float32 ``[B, S, S, 3]`` in
        ``[-1, 1]`` (plus the extras dict when requested).

    Raises:
        ValueError: for fewer than two records, mismatched embeddings, unknown extras, or a
            ``load_size`` smaller than ``image_size``.

    Examples:
    ```python
    records, report = read_cub("../shared/data/birds", "train")
    embeddings = EmbeddingCache("cache").embed_records(records, encoder, "cub_train")
    dataset = make_stackgan_dataset(records, embeddings, batch_size=64, seed=0)
    gan.fit(dataset, epochs=600)
    ```
    """
    records = list(records)
    n = len(records)
    if n < 2:
        raise ValueError(f"The pipeline needs at least 2 records (wrong images), got {n}.")
    if not isinstance(embeddings, CaptionEmbeddings):
        embeddings = CaptionEmbeddings.from_dense(embeddings)
    if embeddings.num_records != n:
        raise ValueError(
            f"{embeddings.num_records} records of caption embeddings for {n} image records; "
            "they must be aligned one to one (see align_precomputed / embed_records)."
        )
    unknown = set(extras) - set(EXTRAS)
    if unknown:
        raise ValueError(f"Unknown extras {sorted(unknown)}; choose from {EXTRAS}.")
    load_size = load_size or load_size_for(image_size)
    if load_size < image_size:
        raise ValueError(f"load_size {load_size} is smaller than image_size {image_size}.")
    if captions_per_example < 1:
        raise ValueError(f"captions_per_example must be >= 1, got {captions_per_example}.")
    if isinstance(batch_size, bool) or int(batch_size) != batch_size or batch_size < 1:
        raise ValueError(f"batch_size must be an int >= 1, got {batch_size!r}.")
    if int(initial_epoch) != initial_epoch or initial_epoch < 0:
        raise ValueError(f"initial_epoch must be an int >= 0, got {initial_epoch!r}.")
    if initial_epoch and not repeat:
        raise ValueError(
            "initial_epoch needs repeat=True: only the endless stream of epochs can start at a "
            "given epoch (pass steps_per_epoch to fit)."
        )
    if deterministic is None:
        deterministic = seed is not None

    columns = record_tensors(records)
    wrong_tables = wrong_index_tables(columns["class_id"])
    if np.all(wrong_tables["size"] == n):
        warnings.warn(
            "All records have the same class: wrong images are other images of that class.",
            DataWarning,
            stacklevel=2,
        )
        wrong_tables = wrong_index_tables(np.full(n, -1))

    # Lookup tables captured by the map function (constant over epochs).
    class_ids = tf.constant(columns["class_id"])
    order = tf.constant(wrong_tables["order"])
    group_start = tf.constant(wrong_tables["start"])
    group_size = tf.constant(wrong_tables["size"])
    values = tf.constant(embeddings.values)
    row_starts = tf.constant(embeddings.row_splits[:-1])
    counts = tf.constant(embeddings.counts.astype(np.int32))
    max_count = int(embeddings.counts.max())
    k = min(captions_per_example, max_count)
    captions = None
    if "caption" in extras:
        if any(len(r.captions) != c for r, c in zip(records, embeddings.counts)):
            raise ValueError(
                'extras "caption" needs records whose captions match the embedding rows one to '
                "one (same count per record)."
            )
        captions = tf.constant([c for r in records for c in r.captions])

    bank = image_bank
    bank_size = load_size
    if bank is None:
        if cache not in ("auto", "memory", "none"):
            raise ValueError(f'cache must be "auto", "memory" or "none", got {cache!r}')
        bank_bytes = n * load_size * load_size * 3
        if cache == "memory" or (cache == "auto" and bank_bytes <= cache_max_bytes):
            bank = load_images(records, load_size, bbox_crop=bbox_crop)
        elif cache == "auto":
            # Sources smaller than the load size (64 px flowers at 256 px) are kept at their
            # own size and enlarged per example: the same pixels in a fraction of the memory.
            native = native_bank_size(records, load_size)
            if native is not None and n * native * native * 3 <= cache_max_bytes:
                bank_size = native
                bank = load_images(records, native, bbox_crop=bbox_crop)
    if bank is not None:
        if bank.shape != (n, bank_size, bank_size, 3) or bank.dtype != np.uint8:
            raise ValueError(
                f"image_bank must be uint8 {(n, bank_size, bank_size, 3)}, got "
                f"{bank.dtype} {bank.shape}"
            )
        bank_tensor = tf.constant(bank)

        if bank_size == load_size:

            def fetch(index):
                return tf.gather(bank_tensor, index)

        else:

            def fetch(index):
                image = tf.image.resize(
                    tf.gather(bank_tensor, index), [load_size, load_size], method="bicubic"
                )
                return tf.cast(tf.clip_by_value(tf.round(image), 0.0, 255.0), tf.uint8)

    else:
        paths = tf.constant(columns["path"].astype(str))
        boxes = tf.constant(columns["bbox"])
        use_bbox = tf.constant(columns["has_bbox"] & bbox_crop)

        def fetch(index):
            return load_image(paths[index], boxes[index], use_bbox[index], load_size)

    # Plain TensorFlow ops already; AutoGraph cannot read closures defined in branches.
    @tf.autograph.experimental.do_not_convert
    def example(index, random_value):
        index = tf.cast(index, tf.int32)
        key = tf.stack([random_value, tf.cast(index, tf.int64)])
        seeds = tf.random.experimental.stateless_split(key, num=4)

        # Wrong image: uniform over the records outside this record's class group.
        others = n - group_size[index]
        u = tf.random.stateless_uniform([], seeds[0], 0, others, dtype=tf.int32)
        wrong = order[tf.where(u >= group_start[index], u + group_size[index], u)]

        # Caption embedding(s): k distinct random captions of this record, averaged.
        count = counts[index]
        scores = tf.random.stateless_uniform([max_count], seeds[1])
        scores = tf.where(tf.range(max_count) < count, scores, 2.0)
        chosen = tf.argsort(scores)[:k]
        valid = tf.cast(tf.range(k) < count, tf.float32)
        rows = row_starts[index] + tf.cast(tf.minimum(chosen, count - 1), tf.int64)
        picked = tf.gather(values, rows)
        embedding = tf.reduce_sum(picked * valid[:, None], 0) / tf.reduce_sum(valid)

        real_image = augment(fetch(index), image_size, seeds[2], flip)
        wrong_image = augment(fetch(wrong), image_size, seeds[3], flip)
        extra = {}
        for name in extras:
            if name == "class_id":
                extra[name] = class_ids[index]
            elif name == "wrong_class_id":
                extra[name] = class_ids[wrong]
            elif name == "index":
                extra[name] = index
            elif name == "wrong_index":
                extra[name] = wrong
            else:
                extra[name] = captions[rows[0]]
        if extras:
            return real_image, embedding, wrong_image, extra
        return real_image, embedding, wrong_image

    def batches(elements):
        elements = elements.map(
            example, num_parallel_calls=tf.data.AUTOTUNE, deterministic=deterministic
        )
        return elements.batch(batch_size, drop_remainder=drop_remainder)

    if repeat:
        # Epoch k is drawn from (seed, k) with stateless ops, and batched on its own, so the
        # stream can start at any epoch (resumed runs) and no batch spans two epochs.
        base_seed = int(np.random.default_rng().integers(2**62) if seed is None else seed)

        def epoch_batches(epoch):
            key = tf.stack([tf.constant(base_seed, tf.int64), epoch])
            order_key, random_key = tf.unstack(tf.random.experimental.stateless_split(key, 2))
            order = tf.range(n, dtype=tf.int64)
            if shuffle:
                order = tf.argsort(tf.random.stateless_uniform([n], order_key))
            randoms = tf.random.stateless_uniform(
                [n], random_key, minval=None, maxval=None, dtype=tf.int64
            )
            return batches(tf.data.Dataset.from_tensor_slices((tf.cast(order, tf.int64), randoms)))

        dataset = tf.data.Dataset.counter(int(initial_epoch)).flat_map(epoch_batches)
    else:
        indices = tf.data.Dataset.range(n)
        if shuffle:
            indices = indices.shuffle(n, seed=seed, reshuffle_each_iteration=True)
        randoms = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True)
        dataset = batches(tf.data.Dataset.zip(indices, randoms))
    dataset = dataset.prefetch(tf.data.AUTOTUNE)

    options = tf.data.Options()
    options.deterministic = deterministic
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    return dataset.with_options(options)


def steps_per_epoch(num_records: int, batch_size: int, drop_remainder: bool = True) -> int:
    """Batches in one epoch of ``make_stackgan_dataset`` (for ``fit(steps_per_epoch=...)``)."""
    if drop_remainder:
        return num_records // batch_size
    return math.ceil(num_records / batch_size)
