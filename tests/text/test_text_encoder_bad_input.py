"""Bad input for the text encoders: empty, whitespace-only, very long, non-ASCII and emoji text,
varying batch sizes, and non-string tensors."""

import numpy as np
import pytest
import tensorflow as tf

from keras_stackgan.text import SentenceEncoder

AWKWARD_TEXTS = [
    "x" * 10_000,  # one 10k-character "word"
    "a small red bird with black wings " * 300,  # 10k characters of words
    "🐦🐦🐦 🌳",
    "Ein Vogel mit weißen Flügeln, größer als ein Spatz",
    "طائر صغير أحمر",
    "小さな赤い鳥",
    "zero\u200bwidth\u200djoiners and\x00nulls\ttabs\nnewlines",
    "\ufeff\u00a0",  # BOM and no-break space only
]


def test_awkward_text_is_finite_and_unit_norm(pretrained_sentence_encoder):
    embeddings = pretrained_sentence_encoder.encode(AWKWARD_TEXTS, allow_empty=True)
    assert embeddings.shape == (len(AWKWARD_TEXTS), 384)
    assert np.isfinite(embeddings).all()
    np.testing.assert_allclose(np.linalg.norm(embeddings, axis=1), 1.0, rtol=1e-5)


def test_long_text_is_truncated_to_sequence_length(pretrained_sentence_encoder):
    token_ids, mask = pretrained_sentence_encoder.tokenize(tf.constant(AWKWARD_TEXTS[:2]))
    assert token_ids.shape == (2, 64)
    # A word over 100 bytes is one [UNK] (as in Hugging Face's WordPiece); words are cut at 64.
    assert token_ids[0, :3].numpy().tolist() == [101, 100, 102]
    assert mask.numpy().sum(axis=1).tolist() == [3, 64]


def test_empty_text_inside_graphs_is_the_empty_sentence(pretrained_sentence_encoder):
    """Documented graph behaviour: empty and whitespace-only text embed as ``[CLS] [SEP]``."""
    embed = tf.function(
        pretrained_sentence_encoder, input_signature=[tf.TensorSpec([None], tf.string)]
    )
    outputs = embed(tf.constant(["", "   ", "\t\n", "a bird"])).numpy()
    assert np.isfinite(outputs).all()
    np.testing.assert_allclose(outputs[1], outputs[0], atol=1e-6)
    np.testing.assert_allclose(outputs[2], outputs[0], atol=1e-6)
    token_ids, mask = pretrained_sentence_encoder.tokenize(tf.constant([""]))
    assert token_ids[0, :2].numpy().tolist() == [101, 102] and int(mask.numpy().sum()) == 2


@pytest.mark.parametrize("batch_size", [0, 1, 3, 65])
def test_batch_sizes_in_one_graph(pretrained_sentence_encoder, batch_size):
    texts = [f"bird number {i} has {'red' if i % 2 else 'blue'} wings" for i in range(batch_size)]
    embed = tf.function(
        pretrained_sentence_encoder, input_signature=[tf.TensorSpec([None], tf.string)]
    )
    outputs = embed(tf.constant(texts, dtype=tf.string, shape=[batch_size]))
    assert outputs.shape == (batch_size, 384) and outputs.dtype == tf.float32


def test_results_do_not_depend_on_batching(pretrained_sentence_encoder):
    texts = ["a red bird", "a bird with a very long and thin curved beak and white belly", "sea"]
    together = pretrained_sentence_encoder.encode(texts)
    one_by_one = pretrained_sentence_encoder.encode(texts, batch_size=1)
    np.testing.assert_allclose(together, one_by_one, atol=1e-5)


def test_encode_rejects_empty_input(tiny_sentence_encoder_kwargs):
    encoder = SentenceEncoder(**tiny_sentence_encoder_kwargs)
    with pytest.raises(ValueError, match="got no texts"):
        encoder.encode([])
    with pytest.raises(ValueError, match=r"empty or whitespace-only .* index\(es\) \[1, 2\]"):
        encoder.encode(["a bird", "", "  \t"])
    assert encoder.encode(["a bird", ""], allow_empty=True).shape == (2, 8)
    with pytest.raises(ValueError, match="batch_size"):
        encoder.encode(["a bird"], batch_size=0)


def test_encode_rejects_non_strings(tiny_sentence_encoder_kwargs):
    encoder = SentenceEncoder(**tiny_sentence_encoder_kwargs)
    with pytest.raises(TypeError, match="item 1 is int"):
        encoder.encode(["a bird", 3])
    with pytest.raises(TypeError, match="item 0 is bytes"):
        encoder.encode([b"a bird"])
    with pytest.raises(TypeError, match="call the encoder on it"):
        encoder.encode(tf.constant(["a bird"]))
    with pytest.raises(TypeError, match="list of str"):
        encoder.encode(42)
    # A single str and a 1-D numpy array of str are accepted.
    assert encoder.encode("a bird").shape == (1, 8)
    assert encoder.encode(np.array(["a bird", "the bird"])).shape == (2, 8)


def test_call_rejects_non_string_tensors(tiny_sentence_encoder_kwargs):
    encoder = SentenceEncoder(**tiny_sentence_encoder_kwargs)
    with pytest.raises(TypeError, match="received dtype int32 .* not token ids"):
        encoder(tf.constant([[1, 2, 3]]))
    with pytest.raises(TypeError, match="received dtype float32"):
        encoder(np.zeros((2, 8), "float32"))
    with pytest.raises(ValueError, match="shape \\[batch\\]"):
        encoder(tf.constant([["a", "b"]]))
    with pytest.raises(TypeError, match="RaggedTensor"):
        encoder(tf.ragged.constant([["a"], ["b", "c"]]))
    # A scalar string is a batch of one.
    assert encoder(tf.constant("a bird")).shape == (1, 8)
