import os
import pickle

import numpy as np
import pytest

from keras_stackgan.data.safe_pickle import load_pickle, loads_pickle


class _Evil:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (os.mkdir, (self.path,))


@pytest.mark.parametrize("protocol", [0, 2, 4, 5])
def test_loads_data_types(protocol):
    data = {
        "names": ["a", "b"],
        "tuple": (1, 2.5, None, True, 3 + 4j),
        "bytes": b"\x00\xff",
        "array": np.arange(6, dtype=np.float32).reshape(2, 3),
        "ints": [np.int64(7), np.float32(0.5)],
        "objects": np.array([np.zeros(2), np.ones(3)], dtype=object),
    }
    out = loads_pickle(pickle.dumps(data, protocol=protocol))
    assert out["names"] == ["a", "b"] and out["tuple"] == data["tuple"]
    assert out["bytes"] == b"\x00\xff"
    np.testing.assert_array_equal(out["array"], data["array"])
    assert out["array"].dtype == np.float32
    assert out["ints"][0] == 7 and isinstance(out["ints"][0], np.int64)
    np.testing.assert_array_equal(out["objects"][1], np.ones(3))


def test_python2_style_pickle_with_numpy_ints(tmp_path):
    path = tmp_path / "class_info.pickle"
    path.write_bytes(pickle.dumps([np.int64(2)] * 3, protocol=2))
    assert load_pickle(path) == [2, 2, 2]


@pytest.mark.parametrize("protocol", [0, 2, 5])
def test_refuses_code_and_runs_nothing(tmp_path, protocol):
    target = tmp_path / "pwned"
    with pytest.raises(pickle.UnpicklingError, match="posix.mkdir|os.mkdir|nt.mkdir"):
        loads_pickle(pickle.dumps([_Evil(str(target))], protocol=protocol))
    assert not target.exists()


@pytest.mark.parametrize("obj", [{1, 2}, frozenset([1]), [np.ma.masked_array([1, 2])]])
def test_refuses_non_data_types(obj):
    with pytest.raises(pickle.UnpicklingError):
        loads_pickle(pickle.dumps(obj, protocol=4))


def test_truncated_pickle_raises():
    data = pickle.dumps(list(range(100)), protocol=2)
    with pytest.raises((pickle.UnpicklingError, EOFError)):
        loads_pickle(data[: len(data) // 2])
