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


def _check_contents(obj, depth: int = 0) -> None:
    """Rejects container types other than list/tuple/dict (sets and frozensets are built by
    opcodes, not globals, so ``find_class`` alone does not see them)."""
    if depth > 100:
        raise pickle.UnpicklingError("Data pickle nested more than 100 levels deep.")
    if isinstance(obj, _PLAIN_TYPES):
        return
    if isinstance(obj, np.ndarray):
        if obj.dtype == object:
            for item in obj.flat:
                _check_contents(item, depth + 1)
        return
    if isinstance(obj, list | tuple):
        for item in obj:
            _check_contents(item, depth + 1)
        return
    if isinstance(obj, dict):
        for key, value in obj.items():
            _check_contents(key, depth + 1)
            _check_contents(value, depth + 1)
        return
    raise pickle.UnpicklingError(
        f"Refusing {type(obj).__name__} in a data pickle: only lists, dicts, tuples, str, "
        "bytes, numbers and numpy arrays or scalars are allowed."
    )


def load_pickle(path: str | os.PathLike, encoding: str = "latin1"):
    """Loads a Python 2 or 3 data pickle with ``RestrictedUnpickler``.

    Args:
        path: path of the pickle file.
        encoding: str. How Python 2 ``str`` objects are decoded; ``"latin1"`` (the default)
            is what numpy needs to rebuild arrays written by Python 2.

    Returns:
        The unpickled object: nested lists/dicts/tuples of str, bytes, numbers and numpy arrays.

    Raises:
        pickle.UnpicklingError: if the file names any other global (class or function), holds
            a set or other non-data object, or is not a valid pickle.
        FileNotFoundError: if ``path`` does not exist.
    """
    with open(path, "rb") as file:
        obj = RestrictedUnpickler(file, encoding=encoding).load()
    _check_contents(obj)
    return obj


def loads_pickle(data: bytes, encoding: str = "latin1"):
    """``load_pickle`` for bytes already in memory; same rules and errors."""
    obj = RestrictedUnpickler(io.BytesIO(data), encoding=encoding).load()
    _check_contents(obj)
    return obj
