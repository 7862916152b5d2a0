"""R-precision on synthetic embeddings, the InfoNCE loss, and ``RPrecisionEvaluator``."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_stackgan.metrics import (
    RPrecisionEvaluator,
    SymmetricInfoNCE,
    r_precision,
    r_precision_from_embeddings,
    symmetric_info_nce_loss,
)
from keras_stackgan.metrics.r_precision import sample_mismatched
from keras_stackgan.text import SmallImageEncoder


def synthetic(n=300, dim=16, seed=0):
    """Text embeddings and 'images' that are those embeddings laid out as [n, 4, 4, 1] x 3."""
    rng = np.random.default_rng(seed)
    text = rng.normal(size=(n, dim)).astype(np.float32)
    images = np.repeat(text.reshape(n, 4, 4, 1), 3, axis=-1) / 10.0  # float, within [-1, 1]
    return images, text


def exact_encoder(batch):
    return np.asarray(batch)[..., 0].reshape(len(batch), -1)


def test_perfect_encoder_scores_one():
    images, text = synthetic()
    result = r_precision(images, text, exact_encoder, class_ids=np.arange(300) % 30)
    assert result.mean == 1.0 and result.std == 0.0 and result.hits.all()
    assert result.chance == pytest.approx(0.01)


def test_random_encoder_scores_chance():
    images, text = synthetic(n=1000)
    rng = np.random.default_rng(1)
    projection = rng.normal(size=(16, 16))

    def random_encoder(batch):  # unrelated to the captions
        return rng.normal(size=(len(batch), 16)) @ projection

    result = r_precision(images, text, random_encoder, seed=3)
    assert abs(result.mean - 0.01) < 0.015
    assert result.std == pytest.approx(np.sqrt(result.mean * (1 - result.mean)))


def test_text_encoder_is_used_for_strings():
    captions = [f"caption {i}" for i in range(120)]
    table = {c: np.random.default_rng(i).normal(size=8) for i, c in enumerate(captions)}

    class TableEncoder:
        def encode(self, texts):
            return np.stack([table[t] for t in texts])

    image_embeddings = np.stack([table[c] for c in captions])
    result = r_precision(image_embeddings, captions, lambda x: x, TableEncoder(), batch_size=7)
    assert result.mean == 1.0


def test_keras_encoders_reject_non_images():
    encoder = SmallImageEncoder(16, filters=(4,), embedding_dim=8)
    with pytest.raises(ValueError, match="n, H, W, 3"):
        r_precision(np.zeros((4, 8)), np.zeros((4, 8)), encoder, num_mismatched=3)


def test_mismatched_captions_come_from_other_classes():
    class_ids = np.arange(200) % 4
    drawn = sample_mismatched(200, 99, class_ids, seed=0)
    assert drawn.shape == (200, 99)
    assert not np.any(class_ids[drawn] == class_ids[:, None])
    assert all(len(set(row)) == 99 for row in drawn)
    plain = sample_mismatched(100, 99, seed=0)
    assert not np.any(plain == np.arange(100)[:, None])
    with pytest.raises(ValueError, match="other classes"):
        sample_mismatched(100, 99, np.arange(100) % 2)
    with pytest.raises(ValueError, match="cannot give"):
        sample_mismatched(50, 99)


def test_ties_count_as_misses():
    text = np.ones((101, 4))
    assert r_precision_from_embeddings(text, text).mean == 0.0


def test_info_nce_loss_matches_numpy():
    rng = np.random.default_rng(0)
    image, text = rng.normal(size=(5, 6)), rng.normal(size=(5, 6))
    unit = lambda x: x / np.linalg.norm(x, axis=1, keepdims=True)  # noqa: E731
    logits = unit(image) @ unit(text).T / 0.1

    def cross_entropy(rows):
        rows = rows - rows.max(1, keepdims=True)
        return -np.diag(rows - np.log(np.exp(rows).sum(1, keepdims=True)))

    expected = 0.5 * (cross_entropy(logits) + cross_entropy(logits.T))
    got = symmetric_info_nce_loss(tf.constant(image), tf.constant(text), 0.1).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    loss = SymmetricInfoNCE(0.1)
    assert float(loss(text, image)) == pytest.approx(expected.mean(), rel=1e-5)
    revived = keras.losses.deserialize(keras.losses.serialize(loss))
    assert isinstance(revived, SymmetricInfoNCE) and revived.temperature == 0.1


def test_evaluator_encodes_trains_and_round_trips(tmp_path):
    rng = np.random.default_rng(0)
    captions = ["red", "blue", "green", "white"]
    table = {c: rng.normal(size=8).astype(np.float32) for c in captions}

    class TableEncoder:
        def encode(self, texts):
            return np.stack([table[t] for t in texts])

    # Four colour classes; the image encoder learns to map each colour to its caption.
    labels = np.arange(64) % 4
    images = np.zeros((64, 16, 16, 3), np.float32) - 1
    for k, channel in enumerate([0, 2, 1, None]):
        if channel is None:
            images[labels == k] = 1
        else:
            images[labels == k, :, :, channel] = 1
    targets = TableEncoder().encode([captions[k] for k in labels])
    encoder = SmallImageEncoder(16, filters=(8, 8), embedding_dim=8, dropout=0.0)
    encoder.compile(keras.optimizers.Adam(1e-2), SymmetricInfoNCE(0.2))
    encoder.fit(images, targets, batch_size=16, epochs=15, verbose=0, shuffle=True)

    evaluator = RPrecisionEvaluator(encoder, TableEncoder(), {"note": "tiny"}, batch_size=10)
    texts = [captions[k] for k in labels]
    result = evaluator.r_precision(images, texts, class_ids=labels, num_mismatched=3)
    assert result.mean > 0.9 and result.chance == 0.25
    embeddings = evaluator.encode_images(images)
    assert embeddings.shape == (64, 8)

    evaluator.save(tmp_path / "rp")
    loaded = RPrecisionEvaluator.from_directory(tmp_path / "rp", text_encoder=TableEncoder())
    np.testing.assert_allclose(loaded.encode_images(images), embeddings, atol=1e-5)
    assert loaded.metadata == {"note": "tiny"}
    with pytest.raises(ValueError, match="Unknown RPrecisionEvaluator preset"):
        RPrecisionEvaluator.from_pretrained("dogs")


def test_shipped_evaluator_loads():
    evaluator = RPrecisionEvaluator.from_pretrained("birds", text_encoder="unused")
    assert evaluator.image_size == 64 and evaluator.metadata["r_precision_real_test"] > 0.02
    images = np.zeros((3, 128, 128, 3), np.uint8)
    assert evaluator.encode_images(images).shape == (3, 384)
