import os
import pickle

import numpy as np
import pytest

from keras_stackgan.data import (
    DataError,
    DataWarning,
    align_precomputed,
    load_char_cnn_rnn,
    make_stackgan_dataset,
    read_cub,
)
from tests.data import layouts


def write_char_cnn_rnn(split_dir, keys, as_list=False, seed=0):
    """A fake ``char-CNN-RNN-embeddings.pickle``: [N, 10, 1024] float32, protocol 2 (Python 2)."""
    rng = np.random.default_rng(seed)
    embeddings = rng.normal(size=(len(keys), 10, 1024)).astype(np.float32)
    obj = list(embeddings) if as_list else embeddings
    layouts.write_pickle(split_dir / "char-CNN-RNN-embeddings.pickle", obj)
    layouts.write_pickle(split_dir / "filenames.pickle", keys)
    return embeddings


@pytest.mark.parametrize("as_list", [False, True])
def test_load_and_align_with_records(cub_root, as_list):
    keys = [layouts.cub_key(i) for i in range(3, 9)] + ["003.Gamma_Bird/Gamma_Bird_0099_99"]
    table = write_char_cnn_rnn(cub_root / "train", keys, as_list=as_list)
    loaded = load_char_cnn_rnn(cub_root / "train")
    assert loaded.keys == keys
    assert loaded.embeddings.values.shape == (70, 1024)
    assert loaded.embeddings.values.dtype == np.float32
    with pytest.warns(DataWarning):  # the key without image
        records, _ = read_cub(cub_root, "train")
    # Records in another order than the pickle still get their own rows.
    aligned = align_precomputed(records[::-1], loaded)
    assert [r.key for r in aligned.records] == [r.key for r in records[::-1]]
    assert aligned.report.num_skipped == 0
    assert any("1 rows have no record" in p.reason for p in aligned.report.notes)
    np.testing.assert_array_equal(aligned.embeddings.for_record(0), table[5])
    batch = next(iter(make_stackgan_dataset(aligned.records, aligned.embeddings, batch_size=2)))
    assert batch[1].shape == (2, 1024)


def test_records_without_embeddings_are_reported(cub_root):
    write_char_cnn_rnn(cub_root / "test", [layouts.cub_key(1)])
    records, _ = read_cub(cub_root, None)
    table = load_char_cnn_rnn(cub_root / "test")
    with pytest.warns(DataWarning, match="7 skipped"):
        aligned = align_precomputed(records, table)
    assert [r.key for r in aligned.records] == [layouts.cub_key(1)]
    assert aligned.report.num_skipped == 7
    assert all(p.reason.startswith("no precomputed embedding") for p in aligned.report.skipped)
    with pytest.raises(DataError, match="no precomputed embedding"):
        align_precomputed(records, table, on_error="raise")


def test_length_mismatch_is_reported_not_fatal(cub_root):
    write_char_cnn_rnn(cub_root / "test", [layouts.cub_key(1), layouts.cub_key(2)])
    layouts.write_pickle(cub_root / "test" / "filenames.pickle", [layouts.cub_key(1)])
    with pytest.warns(DataWarning, match="2 embedding rows for 1 filenames"):
        table = load_char_cnn_rnn(cub_root / "test")
    assert table.embeddings.num_records == 1
    with pytest.raises(DataError, match="length mismatch"):
        load_char_cnn_rnn(cub_root / "test", on_error="raise")


class _Payload:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


def test_malicious_embedding_pickle_is_refused(cub_root):
    write_char_cnn_rnn(cub_root / "test", [layouts.cub_key(1)])
    (cub_root / "test" / "char-CNN-RNN-embeddings.pickle").write_bytes(
        pickle.dumps([_Payload()], protocol=2)
    )
    with pytest.raises(DataError, match="Refusing to unpickle global"):
        load_char_cnn_rnn(cub_root / "test")


def test_missing_pickle_is_a_clear_error(cub_root):
    with pytest.raises(FileNotFoundError, match="char-CNN-RNN-embeddings.pickle"):
        load_char_cnn_rnn(cub_root / "train")
