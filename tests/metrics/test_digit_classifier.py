"""``DigitClassifier`` (build, serialize, save/load, shipped weights) and the digit measures."""

import numpy as np
import pytest

from keras_stackgan.metrics import (
    DigitClassifier,
    categorical_code_accuracy,
    code_matching_accuracy,
    label_accuracy,
)
from keras_stackgan.metrics.digit_classifier import prepare_digits
from tests.test_case import run_model_saving_test, run_serialization_test

TINY = {"num_classes": 4, "image_size": 12, "filters": (4, 8), "dropout": 0.1}


class FakeClassifier:
    """Reads the label off the image: the digit is the number of the white column."""

    num_classes = 10

    def predict_labels(self, images):
        x = prepare_digits(images)
        return x[:, 0, :10, 0].argmax(axis=1)


def fake_digits(labels, dtype="uint8"):
    labels = np.asarray(labels)
    images = np.zeros((len(labels), 28, 28), np.uint8)
    images[np.arange(len(labels)), 0, labels] = 255
    if dtype == "uint8":
        return images
    return images[..., None].astype("float32") / 127.5 - 1


def test_classifier_shapes_and_size():
    model = DigitClassifier(**TINY)
    x = np.random.default_rng(0).uniform(-1, 1, (3, 12, 12, 1)).astype("float32")
    assert model(x).shape == (3, 4)
    probabilities = model.predict_probabilities(x)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
    assert model.predict_labels(np.round((x + 1) * 127.5).astype("uint8")).shape == (3,)
    assert DigitClassifier().count_params() < 200_000  # under 1 MB as float32


def test_classifier_serialization_and_saving(tmp_path):
    model = DigitClassifier(**TINY, name="digits")
    run_serialization_test(model)
    x = np.random.default_rng(1).uniform(-1, 1, (2, 12, 12, 1)).astype("float32")
    run_model_saving_test(model, x, tmp_path)


def test_save_pretrained_round_trip(tmp_path):
    model = DigitClassifier(**TINY)
    model.compile("adam", "sparse_categorical_crossentropy")  # not saved
    model.save_pretrained(tmp_path / "digits", {"test_accuracy": 0.5})
    loaded = DigitClassifier.from_pretrained(tmp_path / "digits")
    assert loaded.get_config() == model.get_config()
    assert loaded.pretrained_metadata == {"test_accuracy": 0.5}
    x = np.random.default_rng(2).integers(0, 256, (3, 12, 12), dtype=np.uint8)
    np.testing.assert_allclose(loaded.predict_probabilities(x), model.predict_probabilities(x))
    with pytest.raises(ValueError, match="Unknown DigitClassifier preset"):
        DigitClassifier.from_pretrained("fashion")


def test_prepare_digits_forms():
    images = np.zeros((2, 32, 32), np.uint8)
    images[:, 8:24, 8:24] = 255
    x = prepare_digits(images)
    assert x.shape == (2, 28, 28, 1) and x.dtype == np.float32
    assert x.min() == -1.0 and x.max() == 1.0
    rgb = np.repeat(images[..., None], 3, axis=-1)
    np.testing.assert_allclose(prepare_digits(rgb), x)
    np.testing.assert_allclose(prepare_digits(images[..., None] / 127.5 - 1), x, atol=1e-6)
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        prepare_digits(images.astype("float32"))
    with pytest.raises(ValueError, match="digit images"):
        prepare_digits(np.zeros((2, 28), np.uint8))


def test_label_accuracy_on_a_fake_classifier():
    labels = np.arange(20) % 10
    asked = labels.copy()
    asked[:5] = (asked[:5] + 1) % 10  # 5 of the 20 generated digits are not the asked label
    classifier = FakeClassifier()
    assert label_accuracy(classifier, fake_digits(labels), asked) == 0.75
    assert label_accuracy(classifier, fake_digits(labels, "float"), labels) == 1.0
    assert label_accuracy(classifier, fake_digits(labels), np.eye(10)[asked]) == 0.75
    with pytest.raises(ValueError, match="labels"):
        label_accuracy(classifier, fake_digits(labels), asked[:3])


def test_categorical_code_accuracy_hand_computed_permutation():
    # Code k draws digit (3k + 1) % 10 (a permutation), except 4 of the 40 images.
    codes = np.arange(40) % 10
    drawn = (3 * codes + 1) % 10
    drawn[[0, 11, 22, 33]] = [5, 5, 5, 5]  # codes 0, 1, 2, 3 draw a 5 once each
    accuracy, mapping = categorical_code_accuracy(FakeClassifier(), fake_digits(drawn), codes)
    assert mapping == {k: (3 * k + 1) % 10 for k in range(10)}
    assert accuracy == pytest.approx(36 / 40)
    one_hot = np.eye(10)[codes]
    assert categorical_code_accuracy(FakeClassifier(), fake_digits(drawn), one_hot)[0] == accuracy


def test_code_matching_is_one_to_one():
    # Codes 0 and 1 both draw mostly 7s: only one of them may take 7.
    codes = np.array([0, 0, 0, 1, 1, 1, 2, 2])
    predicted = np.array([7, 7, 7, 7, 7, 2, 2, 2])
    accuracy, mapping = code_matching_accuracy(codes, predicted, num_classes=10)
    # Greedy code by code: 0 -> 7 (3), 1 -> 2 (1), 2 -> another digit (0) = 4 agreements.
    # Optimum: 0 -> 7 (3), 2 -> 2 (2), 1 -> another digit (0) = 5.
    assert accuracy == pytest.approx(5 / 8)
    assert mapping[0] == 7 and mapping[2] == 2 and mapping[1] not in (2, 7)
    # More codes than digits: only num_classes codes can be matched.
    accuracy, mapping = code_matching_accuracy(np.arange(4), np.zeros(4, int), num_classes=2)
    assert accuracy == 0.25 and len(mapping) == 2


def test_shipped_classifier_reads_real_test_digits(shared_data):
    from keras_stackgan.data import read_mnist

    classifier = DigitClassifier.from_pretrained()
    images, labels = read_mnist(shared_data / "mnist", "test")
    accuracy = label_accuracy(classifier, images[:1000], labels[:1000])
    assert accuracy >= 0.98
    # As a generator's tanh output at 32 px, the same digits still read correctly.
    x32 = np.pad(images[:200] / 127.5 - 1, ((0, 0), (2, 2), (2, 2)), constant_values=-1)
    assert label_accuracy(classifier, x32.astype("float32"), labels[:200]) >= 0.95
