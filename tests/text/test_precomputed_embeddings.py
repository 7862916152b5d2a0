"""Tests of ``PrecomputedEmbeddings`` on StackGAN-style pickles that the tests write."""

import os
import pickle

import numpy as np
import pytest

from keras_stackgan.text import PrecomputedEmbeddings

FILENAMES = [
    "001.Black_footed_Albatross/Black_Footed_Albatross_0046_18",
    "002.Laysan_Albatross/Laysan_Albatross_0002_1027",
    "002.Laysan_Albatross/Laysan_Albatross_0003_1033",
]


@pytest.fixture
def split_dir(tmp_path):
    embeddings = np.random.default_rng(0).normal(size=(3, 10, 1024)).astype("float32")
    with open(tmp_path / "char-CNN-RNN-embeddings.pickle", "wb") as f:
        pickle.dump(embeddings, f, protocol=2)  # StackGAN's files are Python 2 pickles
    with open(tmp_path / "filenames.pickle", "wb") as f:
        pickle.dump(FILENAMES, f, protocol=2)
    return tmp_path, embeddings


def test_lookup_by_filename_and_caption(split_dir):
    directory, embeddings = split_dir
    table = PrecomputedEmbeddings.from_stackgan_dir(directory)
    assert (len(table), table.num_captions, table.embedding_dim) == (3, 10, 1024)
    got = table.lookup([FILENAMES[2], FILENAMES[0]], [7, 0])
    assert got.shape == (2, 1024) and got.dtype == np.float32
    np.testing.assert_array_equal(got, embeddings[[2, 0], [7, 0]])
    np.testing.assert_array_equal(table.lookup(FILENAMES[1]), embeddings[[1]])
    # Keys are also found with an extension, an images/ prefix or the bare image name.
    for alias in [
        FILENAMES[1] + ".jpg",
        "CUB_200_2011/images/" + FILENAMES[1] + ".jpg",
        "Laysan_Albatross_0002_1027",
    ]:
        np.testing.assert_array_equal(table.lookup(alias, 3), embeddings[[1], 3])
    assert FILENAMES[0] in table and "nope" not in table


def test_refuses_free_text(split_dir):
    table = PrecomputedEmbeddings.from_stackgan_dir(split_dir[0])
    with pytest.raises(TypeError, match="cannot embed free text"):
        table.encode(["a small red bird"])
    with pytest.raises(TypeError, match="cannot embed free text"):
        table(["a small red bird"])


def test_bad_keys_and_indices(split_dir):
    table = PrecomputedEmbeddings.from_stackgan_dir(split_dir[0])
    with pytest.raises(KeyError, match="not in these precomputed"):
        table.lookup("003.Sooty_Albatross/Sooty_Albatross_0001_796402", 0)
    with pytest.raises(IndexError, match="10 captions"):
        table.lookup(FILENAMES[0], 10)


def test_mismatched_files(tmp_path):
    with pytest.raises(ValueError, match="same split"):
        PrecomputedEmbeddings(np.zeros((2, 10, 8)), FILENAMES)
    with pytest.raises(ValueError, match="shape"):
        PrecomputedEmbeddings(np.zeros((3, 8)), FILENAMES)
    with pytest.raises(FileNotFoundError, match="char-CNN-RNN-embeddings.pickle"):
        PrecomputedEmbeddings.from_stackgan_dir(tmp_path)


def test_refuses_malicious_pickle(tmp_path):
    class Exploit:
        def __reduce__(self):
            return (os.system, ("echo unsafe",))

    with open(tmp_path / "char-CNN-RNN-embeddings.pickle", "wb") as f:
        pickle.dump(Exploit(), f)
    with open(tmp_path / "filenames.pickle", "wb") as f:
        pickle.dump(FILENAMES, f)
    with pytest.raises(pickle.UnpicklingError, match="Refusing"):
        PrecomputedEmbeddings.from_stackgan_dir(tmp_path)


def test_reads_the_shared_birds_filenames(shared_data):
    """The loader reads the real (Python 2) StackGAN filename pickle of the shared subset."""
    from keras_stackgan.data.safe_pickle import load_pickle

    filenames = load_pickle(shared_data / "birds" / "train" / "filenames.pickle")
    table = PrecomputedEmbeddings(np.zeros((len(filenames), 10, 4)), filenames)
    assert table.lookup(filenames[5], 2).shape == (1, 4)
