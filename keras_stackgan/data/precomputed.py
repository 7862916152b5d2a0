"""StackGAN's precomputed char-CNN-RNN caption embeddings, aligned with image records.

``Data/<dataset>/<split>/char-CNN-RNN-embeddings.pickle`` holds an array (or list of arrays)
``[num_images, 10, 1024]`` in the order of ``filenames.pickle``; users of the original data can
train with it and no text encoder.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np

from keras_stackgan.data.caption_embeddings import CaptionEmbeddings
from keras_stackgan.data.records import (
    DataError,
    DataWarning,
    ImageRecord,
    OnError,
    ProblemLog,
    ReadReport,
)
from keras_stackgan.data.safe_pickle import load_pickle
from keras_stackgan.data.stackgan_split import FILENAMES_FILE, normalize_key

EMBEDDINGS_FILE = "char-CNN-RNN-embeddings.pickle"


class PrecomputedTable(NamedTuple):
    """Image keys and their caption embeddings, as StackGAN's pickles store them.

    Attributes:
        keys: list of str, ``num_images`` image keys (``filenames.pickle`` order).
        embeddings: ``CaptionEmbeddings`` with one row group per key (10 rows of 1024 for the
            original birds and flowers).
    """

    keys: list[str]
    embeddings: CaptionEmbeddings


class AlignedEmbeddings(NamedTuple):
    """Records that have precomputed embeddings, the embeddings in the same order, a report."""

    records: list[ImageRecord]
    embeddings: CaptionEmbeddings
    report: ReadReport


def load_char_cnn_rnn(
    split_dir: str | os.PathLike,
    embeddings_file: str = EMBEDDINGS_FILE,
    on_error: OnError = "skip",
) -> PrecomputedTable:
    """Loads a split's embedding and filename pickles with the restricted unpickler.

    Args:
        split_dir: e.g. ``Data/birds/train``, holding ``filenames.pickle`` and the embeddings.
        embeddings_file: str. Name of the embeddings pickle.
        on_error: when the two pickles have different lengths, ``"skip"`` keeps the common
            prefix and warns; ``"raise"`` raises ``DataError``.

    Returns:
        ``PrecomputedTable(keys, embeddings)``; embeddings are float32.

    Raises:
        FileNotFoundError: if a pickle is missing.
        DataError: if a pickle is unreadable, holds anything but arrays/lists/str/numbers, or
            the embeddings are not ``[num_images, num_captions, dim]`` (a list of
            ``[num_captions, dim]`` arrays is accepted too).
    """
    split_dir = Path(split_dir)
    embeddings_path = split_dir / embeddings_file
    filenames_path = split_dir / FILENAMES_FILE
    for path in (embeddings_path, filenames_path):
        if not path.is_file():
            raise FileNotFoundError(f"{path} not found (needed for precomputed embeddings).")
    raw = load_pickle(embeddings_path)  # PickleDataError (a DataError) names a bad file
    keys = load_pickle(filenames_path)
    keys = [normalize_key(k) for k in (keys.tolist() if isinstance(keys, np.ndarray) else keys)]
    try:
        if isinstance(raw, np.ndarray) and raw.dtype != object:
            per_image = list(raw if raw.ndim == 3 else raw[:, None, :])
        else:
            per_image = [np.asarray(a, dtype=np.float32) for a in raw]
        per_image = [a.reshape(-1, a.shape[-1]) for a in per_image]
    except (TypeError, ValueError, IndexError) as error:
        raise DataError(embeddings_path, f"not an array of embeddings: {error}") from error
    dims = {a.shape[-1] for a in per_image}
    if len(dims) != 1:
        raise DataError(embeddings_path, f"embeddings of different sizes {sorted(dims)}")
    if len(per_image) != len(keys):
        count = min(len(per_image), len(keys))
        reason = f"{len(per_image)} embedding rows for {len(keys)} filenames in {filenames_path}"
        if on_error == "raise":
            raise DataError(embeddings_path, f"length mismatch: {reason}")
        warnings.warn(
            f"{embeddings_path}: {reason}; keeping the first {count} (the rest are skipped)",
            DataWarning,
            stacklevel=2,
        )
        per_image, keys = per_image[:count], keys[:count]
    return PrecomputedTable(keys, CaptionEmbeddings.from_lists(per_image))


def align_precomputed(
    records: Sequence[ImageRecord],
    table: PrecomputedTable,
    on_error: OnError = "skip",
) -> AlignedEmbeddings:
    """Pairs each record with its precomputed embeddings, by key (or unique basename).

    Args:
        records: e.g. from ``read_cub(root, "train")``.
        table: from ``load_char_cnn_rnn``.
        on_error: records without embeddings are skipped and reported (``"skip"``), or raise
            ``DataError`` (``"raise"``). Embeddings without a record are noted.

    Returns:
        ``AlignedEmbeddings(records, embeddings, report)``: the kept records in their order and
        their embeddings (``CaptionEmbeddings``, float32 ``[total, D]``).
    """
    log = ProblemLog("precomputed embeddings", on_error)
    index = {key: i for i, key in enumerate(table.keys)}
    by_base: dict[str, int | None] = {}
    for i, key in enumerate(table.keys):
        base = key.rsplit("/", 1)[-1]
        by_base[base] = None if base in by_base else i
    kept, rows, used = [], [], set()
    for record in records:
        key = normalize_key(record.key)
        row = index.get(key)
        if row is None:
            row = by_base.get(key.rsplit("/", 1)[-1])
        if row is None:
            log.skip(record.image_path, f"no precomputed embedding for key {record.key!r}")
            continue
        kept.append(record)
        rows.append(row)
        used.add(row)
    if len(used) < len(table.keys):
        log.note("precomputed embeddings", f"{len(table.keys) - len(used)} rows have no record")
    result = log.finish(kept)
    return AlignedEmbeddings(kept, table.embeddings.select(rows), result.report)
