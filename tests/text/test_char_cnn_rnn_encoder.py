"""Tests of ``CharCNNRNNEncoder``, ``SmallImageEncoder``, the joint embedding loss and
``JointEmbeddingModel``; the slow test trains on the shared birds (recipe)."""

import importlib.util
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_stackgan.text import (
    CharCNNRNNEncoder,
    JointEmbeddingModel,
    SmallImageEncoder,
    symmetric_joint_embedding_loss,
)
from keras_stackgan.text.char_cnn_rnn_encoder import ALPHABET
from tests.test_case import run_model_saving_test, run_serialization_test

TINY = {"embedding_dim": 16, "conv_filters": (8, 8, 8), "rnn_dim": 8}
RECIPE = Path(__file__).resolve().parents[2] / "recipes" / "train_char_cnn_rnn.py"


def reed_joint_embedding_loss(image, text, margin=1.0):
    """Reed et al.'s JointEmbeddingLoss hinge terms (Torch7 loops), one pair per class, both
    directions, divided by the batch size as ``joint_embedding_loss`` does (Reed's Torch code
    divides by ``batch * num_class``, a constant factor ``num_class`` smaller)."""
    total = 0.0
    for a, b in [(image, text), (text, image)]:
        scores = a @ b.T
        for i in range(len(a)):
            for j in range(len(a)):
                if i != j:
                    total += max(0.0, margin + scores[i, j] - scores[i, i]) / len(a)
    return total


def structured_loss_numpy(image, text, labels, margin=1.0):
    """The class-averaged structured loss, written with explicit loops."""
    classes = sorted(set(labels))
    total = 0.0
    for a, b in [(image, text), (text, image)]:
        for i in range(len(a)):
            mean_score = {
                c: np.mean([a[i] @ b[j] for j in range(len(b)) if labels[j] == c]) for c in classes
            }
            own = mean_score[labels[i]]
            total += sum(
                max(0.0, margin + mean_score[c] - own) for c in classes if c != labels[i]
            ) / len(a)
    return total


def test_output_shape_and_paper_defaults():
    encoder = CharCNNRNNEncoder()
    outputs = encoder(tf.constant(["this bird is red with black wings", ""]))
    assert outputs.shape == (2, 1024) and outputs.dtype == tf.float32
    assert encoder.sequence_length == 201 and len(ALPHABET) == 70


def test_char_indices():
    encoder = CharCNNRNNEncoder(**TINY)
    indices = encoder.char_indices(tf.constant(["Ab z!é", "x" * 500, ""])).numpy()
    assert indices.shape == (3, 201)
    assert indices[0, :7].tolist() == [0, 1, 69, 25, 40, -1, -1]  # é and padding are -1
    assert (indices[1] == ALPHABET.index("x")).all()  # cut at 201 characters
    assert (indices[2] == -1).all()


def test_cvpr2016_layout_matches_reeds_hybrid_cnn():
    """reedscot/cvpr2016 HybridCNN.lua: 201 -> 66 -> 21 -> 8 steps, 256-d ReLU RNN averaged."""
    encoder = CharCNNRNNEncoder.cvpr2016()
    assert encoder.time_steps == 8
    assert [layer.filters for layer in encoder.conv_blocks[::2]] == [384, 512, 256]
    assert [layer.strides for layer in encoder.conv_blocks[1::2]] == [(3,), (3,), (2,)]
    assert isinstance(encoder.rnn, keras.layers.SimpleRNN) and encoder.rnn.units == 256
    assert encoder(tf.constant(["a red bird"])).shape == (1, 1024)
    assert CharCNNRNNEncoder().time_steps == 6  # the earlier default layout loads unchanged


@pytest.mark.parametrize("rnn_type", ["gru", "lstm", "rnn"])
def test_serialization_and_saving(rnn_type, tmp_path):
    encoder = CharCNNRNNEncoder(**TINY, rnn_type=rnn_type, name="text")
    run_serialization_test(encoder)
    run_model_saving_test(encoder, tf.constant(["a small red bird", "", "🐦 " * 300]), tmp_path)


def test_in_tf_function_and_empty_batch():
    encoder = CharCNNRNNEncoder(**TINY)
    embed = tf.function(encoder, input_signature=[tf.TensorSpec([None], tf.string)])
    assert embed(tf.constant([], tf.string)).shape == (0, 16)
    np.testing.assert_allclose(
        embed(tf.constant(["a bird"])), encoder(tf.constant(["a bird"])), rtol=1e-5
    )
    with pytest.raises(TypeError, match="tf.string"):
        encoder(tf.constant([1.0, 2.0]))


def test_rejects_bad_config():
    with pytest.raises(ValueError, match="rnn_type"):
        CharCNNRNNEncoder(rnn_type="transformer")
    with pytest.raises(ValueError, match="too short"):
        CharCNNRNNEncoder(sequence_length=20)


def test_image_encoder_serialization_and_saving(tmp_path):
    encoder = SmallImageEncoder(image_size=16, filters=(4, 8), embedding_dim=6)
    run_serialization_test(encoder)
    images = np.random.default_rng(0).uniform(-1, 1, (2, 16, 16, 3)).astype("float32")
    run_model_saving_test(encoder, images, tmp_path)


def test_loss_matches_reed_with_one_pair_per_class():
    rng = np.random.default_rng(0)
    image, text = rng.normal(size=(5, 4)), rng.normal(size=(5, 4))
    loss = symmetric_joint_embedding_loss(image, text, tf.constant([3, 1, 4, 0, 9]))
    np.testing.assert_allclose(loss, reed_joint_embedding_loss(image, text), rtol=1e-5)


def test_loss_averages_over_classes():
    rng = np.random.default_rng(1)
    image, text = rng.normal(size=(7, 4)), rng.normal(size=(7, 4))
    labels = [2, 2, 5, 5, 5, 7, 2]
    loss = symmetric_joint_embedding_loss(image, text, tf.constant(labels), margin=0.5)
    np.testing.assert_allclose(loss, structured_loss_numpy(image, text, labels, 0.5), rtol=1e-5)
    # Perfectly separated embeddings give zero loss.
    separated = np.eye(3)[[0, 0, 1, 2]] * 3.0
    assert (
        float(symmetric_joint_embedding_loss(separated, separated, tf.constant([0, 0, 1, 2])))
        == 0.0
    )


def test_joint_model_fit_updates_both_encoders(tmp_path):
    model = JointEmbeddingModel(
        CharCNNRNNEncoder(**TINY), SmallImageEncoder(image_size=16, filters=(4,), embedding_dim=16)
    )
    rng = np.random.default_rng(0)
    data = {
        "images": rng.uniform(-1, 1, (8, 16, 16, 3)).astype("float32"),
        "texts": np.array(["a red bird", "a white bird", "a black bird", "a tiny bird"] * 2),
        "labels": np.array([0, 1, 2, 3] * 2),
    }
    model.compile(optimizer=keras.optimizers.Adam(1e-2))
    text_before = keras.ops.convert_to_numpy(model.text_encoder.projection.kernel).copy()
    image_before = keras.ops.convert_to_numpy(
        model.image_encoder.get_layer("projection").kernel
    ).copy()
    history = model.fit(tf.data.Dataset.from_tensor_slices(data).batch(8).repeat(5), verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    assert not np.allclose(text_before, model.text_encoder.projection.kernel)
    assert not np.allclose(image_before, model.image_encoder.get_layer("projection").kernel)
    assert np.isfinite(model.evaluate(tf.data.Dataset.from_tensor_slices(data).batch(8), verbose=0))
    revived = run_serialization_test(model)
    assert isinstance(revived.text_encoder, CharCNNRNNEncoder)


@pytest.mark.slow
def test_recipe_beats_chance_on_shared_birds(shared_data):
    """Short training run of the recipe (the full run is documented in its docstring)."""
    spec = importlib.util.spec_from_file_location("train_char_cnn_rnn", RECIPE)
    recipe = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(recipe)
    _, metrics = recipe.train(shared_data / "birds", steps=1500, verbose=0)
    test = metrics["test"]
    assert test["num_classes"] == 10 and test["chance"] == pytest.approx(0.1)
    assert test["image_to_text_top1"] >= 2.5 * test["chance"]
