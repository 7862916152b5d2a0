"""``PrecomputedEmbeddings``: the original StackGAN char-CNN-RNN caption vectors, by lookup."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from keras_stackgan.data.safe_pickle import load_pickle

EMBEDDINGS_FILE = "char-CNN-RNN-embeddings.pickle"
FILENAMES_FILE = "filenames.pickle"


class PrecomputedEmbeddings:
    """Looks up the char-CNN-RNN embeddings that StackGAN ships for its datasets' captions.

    The original StackGAN data (``Data/birds/{train,test}/``, ``Data/flowers/...``) come with
    ``char-CNN-RNN-embeddings.pickle``, an array ``[num_images, num_captions, 1024]`` (10 captions
    per image for birds and flowers), and ``filenames.pickle``, the image keys in the same order
    (e.g. ``"002.Laysan_Albatross/Laysan_Albatross_0002_1027"``). The Torch7 encoder that made them
    cannot embed new text, so neither can this class: ``encode`` and ``__call__`` refuse free
    text. Use ``SentenceEncoder`` or a trained ``CharCNNRNNEncoder`` for new sentences.

    Not a Keras layer (it holds a fixed table, no computation). It shares the duck-typed text
    encoder attributes ``embedding_dim`` and ``name``.

    Args:
        embeddings: float array ``[num_images, num_captions, embedding_dim]`` (or a list of
            ``[num_captions, embedding_dim]`` arrays), stored as float32.
        filenames: sequence of ``num_images`` image keys, in the order of ``embeddings``.
        name: str. Name of this encoder, defaults to ``"char_cnn_rnn_precomputed"``.

    Examples:
    ```python
    table = PrecomputedEmbeddings.from_stackgan_dir("Data/birds/train")
    table.lookup(["002.Laysan_Albatross/Laysan_Albatross_0002_1027"], [3])  # (1, 1024)
    ```
    """

    def __init__(
        self,
        embeddings: np.ndarray | Sequence[np.ndarray],
        filenames: Sequence[str],
        name: str = "char_cnn_rnn_precomputed",
    ):
        embeddings = np.asarray(embeddings, dtype=np.float32)
        if embeddings.ndim != 3:
            raise ValueError(
                "Precomputed embeddings must have shape [num_images, num_captions, dim], got "
                f"shape {embeddings.shape}."
            )
        filenames = [_key(f) for f in filenames]
        if len(filenames) != embeddings.shape[0]:
            raise ValueError(
                f"{len(filenames)} filenames for {embeddings.shape[0]} embedding rows: the "
                "filenames pickle and the embeddings pickle must come from the same split."
            )
        self.embeddings = embeddings
        self.filenames = filenames
        self.name = name
        self._index = {key: i for i, key in enumerate(filenames)}
        if len(self._index) != len(filenames):
            raise ValueError("filenames contains duplicate keys.")
        basenames: dict[str, int | None] = {}
        for i, key in enumerate(filenames):
            base = key.rsplit("/", 1)[-1]
            basenames[base] = None if base in basenames else i
        self._basename_index = {k: v for k, v in basenames.items() if v is not None}

    @classmethod
    def from_pickles(
        cls, embeddings_path: str | os.PathLike, filenames_path: str | os.PathLike, **kwargs
    ) -> PrecomputedEmbeddings:
        """Loads StackGAN's embedding and filename pickles.

        Uses ``keras_stackgan.data.safe_pickle`` (numpy arrays and builtin containers only), so a
        tampered pickle cannot run code.
        """
        return cls(load_pickle(embeddings_path), load_pickle(filenames_path), **kwargs)

    @classmethod
    def from_stackgan_dir(
        cls, directory: str | os.PathLike, embeddings_file: str = EMBEDDINGS_FILE, **kwargs
    ) -> PrecomputedEmbeddings:
        """Loads a split folder's ``char-CNN-RNN-embeddings.pickle`` and ``filenames.pickle``.

        Args:
            directory: a StackGAN split folder, e.g. ``Data/birds/train``.
            embeddings_file: str. Name of the embeddings pickle in that folder.

        Raises:
            FileNotFoundError: if either pickle is missing (the public subsets in
                ``../shared/data`` do not include the embeddings).
        """
        directory = Path(directory)
        for file in (embeddings_file, FILENAMES_FILE):
            if not (directory / file).is_file():
                raise FileNotFoundError(
                    f"{directory / file} not found: PrecomputedEmbeddings needs StackGAN's "
                    f"{embeddings_file} and {FILENAMES_FILE} for this split."
                )
        return cls.from_pickles(directory / embeddings_file, directory / FILENAMES_FILE, **kwargs)

    @property
    def embedding_dim(self) -> int:
        """Size of each embedding (1024 for StackGAN's char-CNN-RNN)."""
        return int(self.embeddings.shape[2])

    @property
    def num_captions(self) -> int:
        """Captions per image (10 for birds and flowers)."""
        return int(self.embeddings.shape[1])

    def __len__(self) -> int:
        return len(self.filenames)

    def __contains__(self, filename: str) -> bool:
        return self._find(filename, raise_missing=False) is not None

    def lookup(
        self,
        filenames: str | Sequence[str],
        caption_indices: int | Sequence[int] | None = None,
    ) -> np.ndarray:
        """Embeddings of the given images' captions.

        Args:
            filenames: one image key or a sequence of them, as in ``filenames.pickle``; a
                ``.jpg``/``.txt`` suffix, a ``CUB_200_2011/images/`` or ``text_c10/`` prefix and a
                bare image name (when unique) are accepted.
            caption_indices: one index in ``[0, num_captions)`` per filename (an int applies to
                all), or ``None`` for all captions.

        Returns:
            float32 array ``[len(filenames), embedding_dim]``, or
            ``[len(filenames), num_captions, embedding_dim]`` when ``caption_indices`` is None.

        Raises:
            KeyError: for an unknown filename.
            IndexError: for a caption index out of range.
        """
        if isinstance(filenames, str):
            filenames = [filenames]
        rows = np.array([self._find(f) for f in filenames], dtype=np.int64)
        if caption_indices is None:
            return self.embeddings[rows]
        columns = np.broadcast_to(np.asarray(caption_indices, dtype=np.int64), rows.shape)
        bad = (columns < 0) | (columns >= self.num_captions)
        if bad.any():
            raise IndexError(
                f"caption index {int(columns[bad][0])} out of range: each image has "
                f"{self.num_captions} captions (0 to {self.num_captions - 1})."
            )
        return self.embeddings[rows, columns]

    def encode(self, texts, *args, **kwargs):
        """Refuses free text: precomputed embeddings exist only for the original captions."""
        raise TypeError(
            "PrecomputedEmbeddings cannot embed free text: it only holds the char-CNN-RNN vectors "
            f"precomputed for the original StackGAN captions ({len(self)} images x "
            f"{self.num_captions} captions). Look them up with .lookup(filename, caption_index), "
            "or use keras_stackgan.text.SentenceEncoder (or a trained CharCNNRNNEncoder) to "
            "embed new sentences."
        )

    __call__ = encode

    def _find(self, filename: str, raise_missing: bool = True) -> int | None:
        if not isinstance(filename, str):
            raise TypeError(f"Filenames must be str, got {type(filename).__name__}.")
        key = _key(filename)
        index = self._index.get(key)
        if index is None:
            index = self._basename_index.get(key.rsplit("/", 1)[-1])
        if index is None and raise_missing:
            raise KeyError(
                f"{filename!r} is not in these precomputed embeddings ({len(self)} images, "
                f"e.g. {self.filenames[0]!r})."
            )
        return index


def _key(filename: str) -> str:
    """Canonical image key: forward slashes, no extension, no images/ or text_c10/ prefix."""
    key = str(filename).replace("\\", "/")
    for suffix in (".jpg", ".txt", ".png"):
        if key.endswith(suffix):
            key = key[: -len(suffix)]
    for prefix in ("CUB_200_2011/images/", "images/", "text_c10/"):
        if prefix in key:
            key = key.split(prefix, 1)[1]
    return key
