"""Tests of ``HubTextEncoder`` on small SavedModels that the tests export themselves."""

import numpy as np
import pytest
import tensorflow as tf

from keras_stackgan.text import HubTextEncoder
from tests.test_case import run_model_saving_test, run_serialization_test


class _BagOfWords(tf.Module):
    """A tiny text embedder: mean of hashed word vectors, [batch] strings -> [batch, 4]."""

    def __init__(self, as_dict=False):
        super().__init__()
        self.table = tf.Variable(tf.random.stateless_normal([16, 4], seed=[1, 2]))
        self.as_dict = as_dict

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
    def __call__(self, texts):
        words = tf.strings.split(tf.strings.lower(texts))
        buckets = tf.strings.to_hash_bucket_fast(words, 16)
        vectors = tf.ragged.map_flat_values(tf.gather, self.table, buckets)
        embeddings = tf.reduce_mean(vectors, axis=1)  # empty text: NaN-free zeros below
        embeddings = tf.where(tf.math.is_nan(embeddings), 0.0, embeddings)
        return {"outputs": embeddings} if self.as_dict else embeddings


@pytest.fixture
def hub_dir(tmp_path):
    path = str(tmp_path / "bag_of_words")
    tf.saved_model.save(_BagOfWords(), path)
    return path


def test_call_and_encode(hub_dir):
    encoder = HubTextEncoder(hub_dir)
    assert encoder.embedding_dim == 4 and not encoder.trainable
    outputs = encoder(tf.constant(["a red bird", "A RED BIRD", "a white seabird"]))
    assert outputs.shape == (3, 4) and outputs.dtype == tf.float32
    np.testing.assert_allclose(outputs[0], outputs[1])
    encoded = encoder.encode(["a red bird"])
    assert encoded.dtype == np.float32
    np.testing.assert_allclose(encoded[0], outputs[0], rtol=1e-6)


def test_dict_outputs_need_output_key(tmp_path):
    path = str(tmp_path / "dict_model")
    tf.saved_model.save(_BagOfWords(as_dict=True), path)
    with pytest.raises(ValueError, match="output_key"):
        HubTextEncoder(path)
    encoder = HubTextEncoder(path, output_key="outputs")
    assert encoder(tf.constant(["a bird"])).shape == (1, 4)


def test_serialization_and_saving(hub_dir, tmp_path):
    encoder = HubTextEncoder(hub_dir, name="bow")
    revived = run_serialization_test(encoder)
    assert revived.handle == hub_dir
    run_model_saving_test(encoder, tf.constant(["a small red bird", ""]), tmp_path)


def test_in_tf_function_and_saved_model(hub_dir, tmp_path):
    encoder = HubTextEncoder(hub_dir)
    module = tf.Module()
    module.encoder = encoder
    module.embed = tf.function(encoder, input_signature=[tf.TensorSpec([None], tf.string)])
    tf.saved_model.save(module, str(tmp_path / "export"))
    restored = tf.saved_model.load(str(tmp_path / "export"))
    texts = tf.constant(["a small red bird", "a large white seabird"])
    np.testing.assert_allclose(restored.embed(texts), encoder(texts), rtol=1e-6)


def test_missing_handle(tmp_path):
    with pytest.raises((OSError, ValueError)):
        HubTextEncoder(str(tmp_path / "missing"))
