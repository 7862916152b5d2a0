"""Restricted unpickling of the original StackGAN pickles: numpy arrays, lists, str, numbers.

The char-CNN-RNN embedding and filename pickles of StackGAN were written by Python 2. Plain
``pickle.load`` would run any callable a tampered file names; this unpickler resolves only the
numpy globals needed to rebuild arrays and refuses everything else.

TODO(dedupe): replace with ``keras_stackgan.data``'s safe unpickler once it lands.
"""

from __future__ import annotations

import os
import pickle

import numpy as np

_reconstruct = np.zeros(1).__reduce__()[0]  # numpy.(_)core.multiarray._reconstruct
_scalar = np.float32(0).__reduce__()[0]  # numpy.(_)core.multiarray.scalar
_frombuffer = np.zeros(1).__reduce_ex__(5)[0]  # numpy.(_)core.numeric._frombuffer


def _latin1_encode(text: str, encoding: str = "latin1") -> bytes:
    """``_codecs.encode`` as protocol-2 pickles use it for ``bytes``, limited to latin-1."""
    if encoding not in {"latin1", "latin-1", "iso-8859-1"}:
        raise pickle.UnpicklingError(f"Refusing _codecs.encode with encoding {encoding!r}.")
    return text.encode("latin1")


_ALLOWED_GLOBALS = {
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy.core.multiarray", "scalar"): _scalar,
    ("numpy._core.multiarray", "scalar"): _scalar,
    ("numpy.core.numeric", "_frombuffer"): _frombuffer,
    ("numpy._core.numeric", "_frombuffer"): _frombuffer,
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
    ("_codecs", "encode"): _latin1_encode,
}


class _NumpyOnlyUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        try:
            return _ALLOWED_GLOBALS[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(
                f"Refusing to unpickle {module}.{name}: only numpy arrays, lists, dicts, str and "
                "numbers are allowed in StackGAN data pickles."
            ) from None


def load_pickle(path: str | os.PathLike):
    """Loads a (Python 2 or 3) pickle holding only numpy arrays and builtin containers.

    Python 2 ``str`` objects are decoded as latin-1, as numpy requires for its array buffers.

    Raises:
        pickle.UnpicklingError: if the file references any other global (class or function).
    """
    with open(path, "rb") as file:
        return _NumpyOnlyUnpickler(file, encoding="latin1").load()
