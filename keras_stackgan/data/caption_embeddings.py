"""``CaptionEmbeddings``: one float32 vector per caption, grouped by record (a ragged table)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np


@dataclasses.dataclass(frozen=True)
class CaptionEmbeddings:
    """Embeddings of every caption of a list of records, stored flat with row splits.

    Record ``i`` owns rows ``values[row_splits[i]:row_splits[i + 1]]``. Stored flat (not
    ``[N, max_captions, D]``) because COCO images have 5 to 7 captions and a padded table would
    waste memory the input pipeline keeps resident.

    Attributes:
        values: float32 array ``[num_captions_total, embedding_dim]``.
        row_splits: int64 array ``[num_records + 1]``, non-decreasing, starting at 0 and ending
            at ``num_captions_total``; every record has at least one row.
    """

    values: np.ndarray
    row_splits: np.ndarray

    def __post_init__(self):
        values = np.asarray(self.values, dtype=np.float32)
        splits = np.asarray(self.row_splits, dtype=np.int64)
        if values.ndim != 2:
            raise ValueError(f"values must be [num_captions, dim], got shape {values.shape}")
        if splits.ndim != 1 or splits.size < 1 or splits[0] != 0 or splits[-1] != len(values):
            raise ValueError(
                f"row_splits must run from 0 to {len(values)}, got {splits[:3]}...{splits[-1:]}"
            )
        if np.any(np.diff(splits) <= 0):
            first = int(np.argmax(np.diff(splits) <= 0))
            raise ValueError(f"record {first} has no caption embedding (every record needs one)")
        if not np.all(np.isfinite(values)):
            raise ValueError("caption embeddings contain NaN or infinite values")
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "row_splits", splits)

    @classmethod
    def from_dense(cls, embeddings: np.ndarray) -> CaptionEmbeddings:
        """From a dense ``[num_records, captions_per_record, dim]`` array (e.g. char-CNN-RNN)."""
        embeddings = np.asarray(embeddings, dtype=np.float32)
        if embeddings.ndim == 2:
            embeddings = embeddings[:, None, :]
        if embeddings.ndim != 3:
            raise ValueError(f"expected [num_records, num_captions, dim], got {embeddings.shape}")
        n, c, d = embeddings.shape
        return cls(embeddings.reshape(n * c, d), np.arange(n + 1, dtype=np.int64) * c)

    @classmethod
    def from_lists(cls, per_record: Sequence[np.ndarray]) -> CaptionEmbeddings:
        """From one ``[num_captions_i, dim]`` array per record."""
        arrays = [np.asarray(a, dtype=np.float32).reshape(-1, np.shape(a)[-1]) for a in per_record]
        splits = np.concatenate([[0], np.cumsum([len(a) for a in arrays])]).astype(np.int64)
        return cls(np.concatenate(arrays, axis=0), splits)

    @property
    def num_records(self) -> int:
        """Number of records (rows of the ragged table)."""
        return len(self.row_splits) - 1

    @property
    def embedding_dim(self) -> int:
        """Size D of each embedding."""
        return int(self.values.shape[1])

    @property
    def counts(self) -> np.ndarray:
        """int64 ``[num_records]``: captions per record."""
        return np.diff(self.row_splits)

    def for_record(self, index: int) -> np.ndarray:
        """float32 ``[num_captions_i, dim]``: the embeddings of record ``index``."""
        return self.values[self.row_splits[index] : self.row_splits[index + 1]]

    def select(self, indices: Sequence[int]) -> CaptionEmbeddings:
        """The table restricted to the given records, in the given order."""
        if len(indices) == 0:
            return CaptionEmbeddings(np.zeros((0, self.embedding_dim), np.float32), [0])
        return CaptionEmbeddings.from_lists([self.for_record(int(i)) for i in indices])
