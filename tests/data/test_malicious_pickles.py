"""A pickle whose ``__reduce__`` runs code, in every pickle the readers open (issue 15).

The files are StackGAN's: ``filenames.pickle`` and ``class_info.pickle`` of a split folder
(``read_cub``, ``read_oxford102``), ``char-CNN-RNN-embeddings.pickle`` and its
``filenames.pickle`` (``load_char_cnn_rnn``, ``PrecomputedEmbeddings.from_stackgan_dir``). Each
payload would create a marker file; the reader refuses it (a ``DataError`` naming the file,
or for the optional ``class_info.pickle`` a note in the problem report) and the marker never
appears.
"""

import builtins
import itertools
import os
import pickle
import subprocess

import numpy as np
import pytest

from keras_stackgan.data import DataError, load_char_cnn_rnn, read_cub, read_oxford102
from keras_stackgan.text.precomputed_embeddings import PrecomputedEmbeddings
from tests.data import layouts
from tests.data.test_precomputed import write_char_cnn_rnn

pytestmark = pytest.mark.filterwarnings("ignore::keras_stackgan.data.DataWarning")


class _Payload:
    """Unpickling it calls ``function(*arguments)``."""

    def __init__(self, function, *arguments):
        self.function, self.arguments = function, arguments

    def __reduce__(self):
        return (self.function, self.arguments)


def payloads(marker):
    """Ways a pickle runs code: a shell command, ``exec``, a subprocess, ``open`` itself."""
    quoted = str(marker).replace("'", "'\\''")
    yield "os.system", _Payload(os.system, f"touch '{quoted}'")
    yield "builtins.exec", _Payload(builtins.exec, f"open({str(marker)!r}, 'w').close()")
    yield "subprocess.call", _Payload(subprocess.call, ["touch", str(marker)])
    yield "builtins.open", _Payload(builtins.open, str(marker), "w")


def cub(tmp_path):
    return layouts.make_cub(tmp_path / "birds")


def flowers(tmp_path):
    root = layouts.make_flowers(tmp_path / "flowers", with_text=True)
    layouts.write_pickle(
        root / "train" / "filenames.pickle", ["jpg/image_00004", "jpg/image_00002"]
    )
    layouts.write_pickle(root / "train" / "class_info.pickle", [np.int64(1), np.int64(2)])
    return root


def precomputed(tmp_path):
    root = layouts.make_cub(tmp_path / "birds")
    write_char_cnn_rnn(root / "train", [layouts.cub_key(i) for i in range(3, 9)])
    return root


READERS = {
    "read_cub": (cub, lambda root: read_cub(root, "train", split_source="stackgan")),
    "read_oxford102": (flowers, lambda root: read_oxford102(root, "train")),
    "load_char_cnn_rnn": (precomputed, lambda root: load_char_cnn_rnn(root / "train")),
    "PrecomputedEmbeddings": (
        precomputed,
        lambda root: PrecomputedEmbeddings.from_stackgan_dir(root / "train"),
    ),
}
CASES = [
    ("read_cub", "train/filenames.pickle"),
    ("read_cub", "train/class_info.pickle"),
    ("read_oxford102", "train/filenames.pickle"),
    ("read_oxford102", "train/class_info.pickle"),
    ("load_char_cnn_rnn", "train/char-CNN-RNN-embeddings.pickle"),
    ("load_char_cnn_rnn", "train/filenames.pickle"),
    ("PrecomputedEmbeddings", "train/char-CNN-RNN-embeddings.pickle"),
    ("PrecomputedEmbeddings", "train/filenames.pickle"),
]


@pytest.mark.parametrize("reader, relative", CASES, ids=[f"{r}-{p}" for r, p in CASES])
def test_a_code_running_pickle_never_runs(tmp_path, reader, relative):
    make, read = READERS[reader]
    root = make(tmp_path)
    marker = tmp_path / "pwned"
    for (name, payload), protocol in itertools.product(payloads(marker), (0, 2, 5)):
        # The payload hidden inside the data the file normally holds (a list of keys/numbers).
        (root / relative).write_bytes(pickle.dumps(["a", [payload], 3], protocol=protocol))
        what = f"{name}, protocol {protocol}"
        if relative.endswith("class_info.pickle"):  # optional: ignored with a note
            records, report = read(root)
            assert records, what
            notes = [p for p in report.notes if "class_info.pickle" in str(p.path)]
            assert notes and "ignored" in notes[0].reason, what
        else:
            with pytest.raises((DataError, pickle.UnpicklingError), match="(?i)refus") as error:
                read(root)
            assert relative.split("/")[-1] in str(error.value), what
        assert not marker.exists(), f"{reader} ran {what} from {relative}"
