"""Tests of ``SentenceEncoder``: a tiny random encoder for the mechanics, the shipped
all-MiniLM-L6-v2 preset for parity with sentence-transformers."""

import json
import socket
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_stackgan.assets import saved_model_path
from keras_stackgan.text import SentenceEncoder
from tests.test_case import run_model_saving_test, run_serialization_test

FIXTURE = Path(__file__).parent / "fixtures" / "minilm_reference.json"


def cosine(a, b):
    return np.sum(a * b, axis=-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))


# === Tiny random encoder ===


def test_call_shape_dtype_and_unit_norm(tiny_sentence_encoder_kwargs):
    encoder = SentenceEncoder(**tiny_sentence_encoder_kwargs)
    outputs = encoder(tf.constant(["a small red bird", "the large white bird has black wings"]))
    assert outputs.shape == (2, 8) and outputs.dtype == tf.float32
    np.testing.assert_allclose(np.linalg.norm(outputs.numpy(), axis=1), 1.0, rtol=1e-5)
    assert encoder.embedding_dim == 8


def test_tokenize_packs_cls_sep_and_truncates(tiny_sentence_encoder_kwargs):
    encoder = SentenceEncoder(**tiny_sentence_encoder_kwargs)
    token_ids, mask = encoder.tokenize(tf.constant(["a red bird", "bird " * 50]))
    vocab = tiny_sentence_encoder_kwargs["vocabulary"]
    assert token_ids.shape == (2, 12) and token_ids.dtype == tf.int32
    ids = [vocab.index(t) for t in ["[CLS]", "a", "red", "bird", "[SEP]"]]
    assert token_ids[0, :5].numpy().tolist() == ids
    assert mask.numpy().sum(axis=1).tolist() == [5, 12]
    assert token_ids[1, -1] == vocab.index("[SEP]")


def test_serialization(tiny_sentence_encoder_kwargs):
    kwargs = {**tiny_sentence_encoder_kwargs, "sequence_length": 10}
    encoder = SentenceEncoder(**kwargs, name="enc")
    revived = run_serialization_test(encoder)
    assert revived.vocabulary == encoder.vocabulary and revived.sequence_length == 10


def test_model_saving(tiny_sentence_encoder_kwargs, tmp_path):
    encoder = SentenceEncoder(**tiny_sentence_encoder_kwargs)
    inputs = tf.constant(["a small red bird", "", "cafe!"])
    run_model_saving_test(encoder, inputs, tmp_path)


def test_preset_round_trip(tiny_sentence_encoder_kwargs, tmp_path):
    encoder = SentenceEncoder(**tiny_sentence_encoder_kwargs)
    inputs = tf.constant(["a small red bird with black wings"])
    expected = encoder(inputs).numpy()
    encoder.save_to_preset(tmp_path / "f32", weights_dtype="float32")
    np.testing.assert_array_equal(
        SentenceEncoder.from_pretrained(tmp_path / "f32")(inputs), expected
    )
    encoder.save_to_preset(tmp_path / "f16")
    restored = SentenceEncoder.from_pretrained(str(tmp_path / "f16"), sequence_length=10)
    assert restored.sequence_length == 10
    assert cosine(restored(inputs).numpy(), expected).min() > 0.999


def test_unknown_preset_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="Unknown SentenceEncoder preset"):
        SentenceEncoder.from_pretrained("no_such_preset")
    with pytest.raises(ValueError, match="no config.json"):
        SentenceEncoder.from_pretrained(tmp_path)


def test_preset_weights_must_match(tiny_sentence_encoder_kwargs, tmp_path):
    SentenceEncoder(**tiny_sentence_encoder_kwargs).save_to_preset(tmp_path)
    with pytest.raises(ValueError, match="shape"):
        SentenceEncoder.from_pretrained(tmp_path, intermediate_dim=24)


def test_dropout_only_in_training(tiny_sentence_encoder_kwargs):
    encoder = SentenceEncoder(**tiny_sentence_encoder_kwargs, dropout=0.5)
    inputs = tf.constant(["a small red bird with black wings"])
    np.testing.assert_array_equal(encoder(inputs), encoder(inputs, training=False))
    assert not np.allclose(encoder(inputs, training=True), encoder(inputs))


def test_fine_tunes_with_fit(tiny_sentence_encoder_kwargs):
    encoder = SentenceEncoder(**tiny_sentence_encoder_kwargs, normalize=False)
    texts = tf.constant(["a small red bird", "the large white bird"] * 4)
    targets = np.zeros((8, 8), "float32")
    encoder.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    before = keras.ops.convert_to_numpy(encoder.backbone.weights[0]).copy()
    encoder.fit(texts, targets, batch_size=4, epochs=1, verbose=0)
    assert not np.allclose(before, keras.ops.convert_to_numpy(encoder.backbone.weights[0]))


# === Shipped all-MiniLM-L6-v2 preset ===


def test_shipped_preset_is_small_and_licensed():
    folder = saved_model_path("sentence_encoder")
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert size < 50e6
    for name in ["config.json", "backbone_weights.h5", "README.md", "NOTICE", "LICENSE"]:
        assert (folder / name).is_file(), name
    assert "Apache License" in (folder / "LICENSE").read_text()


def test_loads_offline(monkeypatch):
    """No network: any socket connection fails, Hugging Face and Kaggle clients are offline."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("KAGGLE_OFFLINE", "1")

    def refuse(*args, **kwargs):
        raise OSError("network access attempted while loading the shipped encoder")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    encoder = SentenceEncoder.from_pretrained("sentence_encoder")
    assert encoder.embedding_dim == 384 and encoder.name == "sentence_encoder"


def test_tokenizer_matches_huggingface(pretrained_sentence_encoder):
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    token_ids, mask = pretrained_sentence_encoder.tokenize(tf.constant(fixture["sentences"]))
    for i, reference in enumerate(fixture["token_ids"]):
        length = int(mask[i].numpy().sum())
        assert token_ids[i, :length].numpy().tolist() == reference, fixture["sentences"][i]


def test_parity_with_sentence_transformers(pretrained_sentence_encoder):
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert fixture["max_seq_length"] == pretrained_sentence_encoder.sequence_length
    ours = pretrained_sentence_encoder.encode(fixture["sentences"], allow_empty=True)
    reference = np.asarray(fixture["embeddings"], dtype="float32")
    assert ours.shape == reference.shape == (12, 384) and ours.dtype == np.float32
    assert cosine(ours, reference).min() >= 0.999


def test_semantic_sanity(pretrained_sentence_encoder):
    anchor, close, far = pretrained_sentence_encoder.encode(
        [
            "a small red bird with black wings",
            "a red bird with dark wings",
            "a large white seabird with a hooked bill",
        ]
    )
    assert cosine(anchor, close) > cosine(anchor, far) + 0.1


def test_saved_model_round_trip(pretrained_sentence_encoder, tmp_path):
    """An exported encoder takes a tf.string batch and returns the in-process embeddings."""
    encoder = pretrained_sentence_encoder
    module = tf.Module()
    module.encoder = encoder
    module.embed = tf.function(
        lambda texts: {"embeddings": encoder(texts)},
        input_signature=[tf.TensorSpec([None], tf.string, name="texts")],
    )
    tf.saved_model.save(module, str(tmp_path), signatures={"serving_default": module.embed})
    restored = tf.saved_model.load(str(tmp_path))
    texts = ["a small red bird with black wings", "", "🐦 " * 3]
    expected = encoder.encode(texts, allow_empty=True)
    np.testing.assert_allclose(
        restored.embed(tf.constant(texts))["embeddings"], expected, atol=1e-5
    )
    signature = restored.signatures["serving_default"]
    got = signature(texts=tf.constant(texts[:1]))["embeddings"].numpy()
    np.testing.assert_allclose(got, expected[:1], atol=1e-5)
