import numpy as np
import pytest

from keras_stackgan.data import CaptionEmbeddings, EmbeddingCache, ImageRecord


def records_with(captions_per_record):
    return [
        ImageRecord(f"{i}.jpg", f"k{i}", captions=tuple(c))
        for i, c in enumerate(captions_per_record)
    ]


def test_embeds_once_and_reuses_the_cache(tmp_path, encoder):
    records = records_with([["a red bird", "a blue bird"], ["a red bird"], ["green wings"]])
    cache = EmbeddingCache(tmp_path / "cache")
    embeddings = cache.embed_records(records, encoder, "toy")
    assert isinstance(embeddings, CaptionEmbeddings)
    assert embeddings.values.shape == (4, 16) and embeddings.values.dtype == np.float32
    np.testing.assert_array_equal(embeddings.row_splits, [0, 2, 3, 4])
    np.testing.assert_array_equal(embeddings.values[0], embeddings.values[2])  # same caption
    assert encoder.encoded == 3  # distinct captions only
    files = list((tmp_path / "cache").glob("*.npy"))
    assert len(files) == 1 and files[0].name.startswith("toy__hashing_bow__")

    again = cache.embed_records(records, encoder, "toy")
    assert encoder.calls == 1  # served from the cache: the encoder did not run
    np.testing.assert_array_equal(again.values, embeddings.values)


def test_key_depends_on_captions_dataset_and_encoder(tmp_path, encoder):
    cache = EmbeddingCache(tmp_path)
    base = cache.path_for(["a", "b"], "enc", "cub")
    assert base != cache.path_for(["a", "b", "c"], "enc", "cub")
    assert base != cache.path_for(["b", "a"], "enc", "cub")
    assert base != cache.path_for(["ab"], "enc", "cub")  # no ambiguity from concatenation
    assert base != cache.path_for(["a", "b"], "other", "cub")
    assert base != cache.path_for(["a", "b"], "enc", "flowers")
    assert "/" not in cache.path_for(["a"], "org/model:v1", "my data").name


def test_bad_cache_file_is_recomputed(tmp_path, encoder):
    cache = EmbeddingCache(tmp_path)
    captions = ["one", "two"]
    path = cache.path_for(captions, encoder.name, "d")
    np.save(path, np.zeros((3, 16), np.float32))  # wrong shape
    out = cache.embed(captions, encoder, "d")
    assert out.shape == (2, 16) and encoder.calls == 1
    path.write_bytes(b"garbage")
    cache.embed(captions, encoder, "d")
    assert encoder.calls == 2
    assert np.load(path).shape == (2, 16)


def test_encoder_output_is_checked(tmp_path, encoder):
    class Broken:
        name, embedding_dim = "broken", 4

        def encode(self, texts):
            return np.full((len(texts), 3), np.nan)

    with pytest.raises(ValueError, match="returned shape"):
        EmbeddingCache(tmp_path).embed(["x"], Broken(), "d")


def test_records_without_captions_are_refused(tmp_path, encoder):
    with pytest.raises(ValueError, match="no caption"):
        EmbeddingCache(tmp_path).embed_records(records_with([["a"], []]), encoder, "d")
