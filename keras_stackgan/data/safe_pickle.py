"""Restricted unpickling for StackGAN's data pickles: containers, str, numbers, numpy arrays.

``filenames.pickle``, ``class_info.pickle`` and ``char-CNN-RNN-embeddings.pickle`` are
downloaded files written by Python 2. Plain ``pickle.load`` calls any callable a tampered file
names; this unpickler resolves only the few numpy functions that rebuild arrays and numpy
scalars (and ``complex``) and refuses every other global. Lists, dicts, tuples, str, bytes,
ints, floats, bools and None need no global at all.
"""

from __future__ import annotations

import io
import os
import pickle

import numpy as np

from keras_stackgan.data.records import DataError

# The callables numpy's own ``__reduce__`` names, found from numpy itself so that pickles
# written under numpy 1 (``numpy.core``) and numpy 2 (``numpy._core``) both resolve.
_RECONSTRUCT = np.zeros(1).__reduce__()[0]
_SCALAR = np.float32(0).__reduce__()[0]
_FROMBUFFER = np.zeros(1).__reduce_ex__(5)[0]


def _latin1_encode(text: str, encoding: str = "latin1") -> bytes:
    """``_codecs.encode`` as protocol-2 pickles use it to store ``bytes``; latin-1 only."""
    if encoding not in ("latin1", "latin-1", "iso-8859-1"):
        raise pickle.UnpicklingError(f"Refusing _codecs.encode with encoding {encoding!r}.")
    return text.encode("latin1")


_ALLOWED = {}
for _module in ("numpy.core", "numpy._core"):
    _ALLOWED[(f"{_module}.multiarray", "_reconstruct")] = _RECONSTRUCT
    _ALLOWED[(f"{_module}.multiarray", "scalar")] = _SCALAR
    _ALLOWED[(f"{_module}.numeric", "_frombuffer")] = _FROMBUFFER
_ALLOWED[("numpy", "ndarray")] = np.ndarray
_ALLOWED[("numpy", "dtype")] = np.dtype
_ALLOWED[("_codecs", "encode")] = _latin1_encode
_ALLOWED[("builtins", "complex")] = complex
_ALLOWED[("__builtin__", "complex")] = complex


class RestrictedUnpickler(pickle.Unpickler):
    """A ``pickle.Unpickler`` that admits only containers, str, bytes, numbers and numpy arrays.

    Any other global (a class or function named by the pickle) raises
    ``pickle.UnpicklingError`` before it is looked up, so no code from the file runs.
    """

    def find_class(self, module: str, name: str):
        try:
            return _ALLOWED[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(
                f"Refusing to unpickle global {module}.{name}: data pickles may only hold "
                "lists, dicts, tuples, str, bytes, numbers and numpy arrays or scalars."
            ) from None


_PLAIN_TYPES = (str, bytes, bytearray, int, float, complex, bool, type(None), np.generic)
MAX_DEPTH = 100
# Items a data pickle may hold once shared references are expanded (each list, tuple, dict and
# object array counts 1 plus its items; numeric arrays count 1). StackGAN's biggest pickle,
# CUB's 8,855-entry filenames.pickle, expands to 8,856.
MAX_ITEMS = 100_000_000


class PickleDataError(DataError, pickle.UnpicklingError):
    """A data pickle that is refused (code, non-data types, a reference bomb) or corrupt.

    Both a ``DataError`` (a ``ValueError`` naming the file) and a ``pickle.UnpicklingError``.
    """


def _check_contents(obj) -> None:
    """Rejects anything but lists, tuples, dicts, plain values and numpy arrays (sets and
    frozensets are built by opcodes, not globals, so ``find_class`` alone does not see them),
    and pickles that expand to more than ``MAX_ITEMS`` items.

    The walk remembers every container it has sized (``id`` -> expanded size), so a pickle made
    of shared references (``[x] * 1000`` nested six times: 15 KB, 10^18 items) costs one visit
    per distinct object instead of one per expanded item, and is refused by its expanded size.

    Raises:
        pickle.UnpicklingError: naming what was refused.
    """
    sizes: dict[int, int] = {}
    open_ids: set[int] = set()

    def size_of(item, depth: int) -> int:
        if isinstance(item, _PLAIN_TYPES):
            return 1
        key = id(item)
        if key in sizes:
            return sizes[key]
        if key in open_ids:
            raise pickle.UnpicklingError("Data pickle refers to itself (a cycle).")
        if depth > MAX_DEPTH:
            raise pickle.UnpicklingError(f"Data pickle nested more than {MAX_DEPTH} levels deep.")
        if isinstance(item, np.ndarray):
            children = item.flat if item.dtype == object else ()
        elif isinstance(item, list | tuple):
            children = item
        elif isinstance(item, dict):
            children = (x for pair in item.items() for x in pair)
        else:
            raise pickle.UnpicklingError(
                f"Refusing {type(item).__name__} in a data pickle: only lists, dicts, tuples, "
                "str, bytes, numbers and numpy arrays or scalars are allowed."
            )
        open_ids.add(key)
        total = 1
        for child in children:
            total += size_of(child, depth + 1)
            if total > MAX_ITEMS:
                raise pickle.UnpicklingError(
                    f"Data pickle expands to more than {MAX_ITEMS:,} items through shared "
                    "references (a pickle bomb?); refusing it."
                )
        open_ids.discard(key)
        sizes[key] = total
        return total

    size_of(obj, 0)


def _load(file, source: str, encoding: str):
    try:
        obj = RestrictedUnpickler(file, encoding=encoding).load()
        _check_contents(obj)
    except PickleDataError:
        raise
    except pickle.UnpicklingError as error:
        raise PickleDataError(source, str(error)) from None
    except Exception as error:  # noqa: BLE001
        # A corrupted pickle makes the unpickler (and numpy's array rebuilders it calls) raise
        # almost anything: EOFError, TypeError, AttributeError, KeyError, MemoryError,
        # OverflowError, UnicodeDecodeError... Readers catch one error type, naming the file.
        raise PickleDataError(
            source, f"not a valid data pickle ({type(error).__name__}: {error})"
        ) from None
    return obj


def load_pickle(path: str | os.PathLike, encoding: str = "latin1"):
    """Loads a Python 2 or 3 data pickle with ``RestrictedUnpickler``.

    Args:
        path: path of the pickle file.
        encoding: str. How Python 2 ``str`` objects are decoded; ``"latin1"`` (the default)
            is what numpy needs to rebuild arrays written by Python 2.

    Returns:
        The unpickled object: nested lists/dicts/tuples of str, bytes, numbers and numpy arrays.

    Raises:
        PickleDataError: (a ``DataError`` and a ``pickle.UnpicklingError``, naming ``path``) if
            the file names any other global (class or function), holds a set or other non-data
            object, expands to more than ``MAX_ITEMS`` items through shared references, refers
            to itself, or is not a valid pickle (truncated, corrupted).
        FileNotFoundError: if ``path`` does not exist.
    """
    with open(path, "rb") as file:
        return _load(file, os.fspath(path), encoding)


def loads_pickle(data: bytes, encoding: str = "latin1"):
    """``load_pickle`` for bytes already in memory; same rules and errors (path ``<bytes>``)."""
    return _load(io.BytesIO(data), "<bytes>", encoding)
