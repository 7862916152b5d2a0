"""Caption embeddings computed once per caption with a text encoder, cached as ``.npy``."""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from keras_stackgan.data.caption_embeddings import CaptionEmbeddings
from keras_stackgan.data.records import ImageRecord

logger = logging.getLogger("keras_stackgan.data")


class TextEncoderLike(Protocol):
    """What the cache needs from a text encoder (duck typed; ``keras_stackgan.text`` fits)."""

    name: str
    embedding_dim: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


def captions_digest(captions: Sequence[str]) -> str:
    """SHA-256 hex digest of an ordered caption list (length-prefixed, so unambiguous)."""
    digest = hashlib.sha256()
    for caption in captions:
        data = caption.encode("utf-8")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", str(text)).strip("-") or "unnamed"


class EmbeddingCache:
    """Embeds captions with a text encoder once and keeps the result in ``directory``.

    The file for a caption list is ``<dataset>__<encoder.name>__<sha256[:16]>.npy``: a float32
    array ``[num_captions, encoder.embedding_dim]``, one row per caption in order. Training then
    loads it instead of running the encoder. A cache file with the wrong shape, dtype or
    non-finite values is recomputed (and the event logged).

    Args:
        directory: folder for the ``.npy`` files (created when needed). Keep it outside the
            repository: these are generated files.

    Examples:
    ```python
    cache = EmbeddingCache("~/.cache/keras_stackgan")
    embeddings = cache.embed_records(records, SentenceEncoder.from_pretrained(), "cub_train")
    ```
    """

    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory).expanduser()

    def path_for(self, captions: Sequence[str], encoder_name: str, dataset: str) -> Path:
        """Cache file for ``captions`` embedded by the encoder called ``encoder_name``."""
        digest = captions_digest(captions)[:16]
        return self.directory / f"{_safe_name(dataset)}__{_safe_name(encoder_name)}__{digest}.npy"

    def embed(
        self,
        captions: Sequence[str],
        encoder: TextEncoderLike,
        dataset: str,
        batch_size: int = 256,
    ) -> np.ndarray:
        """Embeddings of ``captions``, from the cache or computed (once per distinct caption).

        Args:
            captions: sequence of str, in the order the rows should have.
            encoder: object with ``name``, ``embedding_dim`` and ``encode(list[str])`` returning
                ``[n, embedding_dim]`` floats.
            dataset: str. Dataset name for the cache key (e.g. ``"cub_train"``).
            batch_size: int. Captions per ``encode`` call.

        Returns:
            float32 array ``[len(captions), encoder.embedding_dim]``.

        Raises:
            ValueError: if the encoder returns the wrong shape or non-finite values.
        """
        captions = [str(c) for c in captions]
        if not captions:
            raise ValueError("No captions to embed.")
        dim = int(encoder.embedding_dim)
        path = self.path_for(captions, encoder.name, dataset)
        if path.is_file():
            try:
                cached = np.load(path, allow_pickle=False)
            except (OSError, ValueError) as error:
                logger.warning("recomputing unreadable embedding cache %s: %s", path, error)
            else:
                if (
                    cached.shape == (len(captions), dim)
                    and cached.dtype == np.float32
                    and np.all(np.isfinite(cached))
                ):
                    return cached
                logger.warning(
                    "recomputing embedding cache %s: shape %s dtype %s, expected %s float32",
                    path,
                    cached.shape,
                    cached.dtype,
                    (len(captions), dim),
                )
        # Encode each distinct caption once (Reed's CUB captions repeat).
        unique, inverse = np.unique(np.array(captions, dtype=object), return_inverse=True)
        chunks = []
        for start in range(0, len(unique), batch_size):
            batch = [str(c) for c in unique[start : start + batch_size]]
            out = np.asarray(encoder.encode(batch), dtype=np.float32)
            if out.shape != (len(batch), dim):
                raise ValueError(
                    f"Encoder {encoder.name!r} returned shape {out.shape} for {len(batch)} "
                    f"captions, expected {(len(batch), dim)}."
                )
            chunks.append(out)
        embeddings = np.concatenate(chunks)[inverse.reshape(-1)]
        if not np.all(np.isfinite(embeddings)):
            raise ValueError(f"Encoder {encoder.name!r} returned NaN or infinite embeddings.")
        self.directory.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + f".{os.getpid()}.tmp")
        with open(temporary, "wb") as file:
            np.save(file, embeddings, allow_pickle=False)
        os.replace(temporary, path)  # atomic: a crash never leaves a half-written cache
        return embeddings

    def embed_records(
        self,
        records: Sequence[ImageRecord],
        encoder: TextEncoderLike,
        dataset: str,
        batch_size: int = 256,
    ) -> CaptionEmbeddings:
        """Embeddings of every caption of every record, grouped by record.

        Args:
            records: records that each have at least one caption.
            encoder: see ``embed``.
            dataset: str. Dataset name for the cache key.
            batch_size: int. Captions per ``encode`` call.

        Returns:
            ``CaptionEmbeddings`` with ``values`` float32 ``[total captions, D]`` and one row
            group per record, aligned with ``records``.

        Raises:
            ValueError: if a record has no caption.
        """
        empty = [r.key for r in records if not r.captions]
        if empty:
            raise ValueError(
                f"{len(empty)} record(s) have no caption (e.g. {empty[0]!r}); attach captions "
                "first (CUBAttributeCaptioner.attach, ClassNameCaptioner.attach)."
            )
        flat = [c for r in records for c in r.captions]
        splits = np.concatenate([[0], np.cumsum([len(r.captions) for r in records])])
        return CaptionEmbeddings(self.embed(flat, encoder, dataset, batch_size), splits)
