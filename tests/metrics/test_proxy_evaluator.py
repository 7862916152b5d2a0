"""``ProxyClassifier`` (build, serialize, save/load, tiny fit) and ``ProxyEvaluator``."""

import keras
import numpy as np
import pytest

from keras_stackgan.metrics import FIDStatistics, ProxyClassifier, ProxyEvaluator
from keras_stackgan.metrics.augmentation import augmented_dataset, random_crop_flip
from tests.test_case import run_model_saving_test, run_serialization_test

TINY = {"num_classes": 3, "image_size": 16, "filters": (4, 8), "depths": (1, 2)}


def images(n=6, size=16, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (n, size, size, 3), dtype=np.uint8)


def test_classifier_shapes_and_features():
    model = ProxyClassifier(**TINY)
    x = images().astype("float32") / 127.5 - 1
    assert model(x).shape == (6, 3)
    features, logits = model.features_model(x)
    assert features.shape == (6, 8) and model.feature_dim == 8
    assert np.all(keras.ops.convert_to_numpy(features) >= 0)
    np.testing.assert_allclose(logits, model(x), atol=1e-6)
    assert model.features_model is model.features_model
    # The features model shares variables and is not tracked twice.
    assert len(model.weights) == len({id(w) for w in model.weights})


def test_default_classifier_is_small():
    model = ProxyClassifier(num_classes=103)
    assert model.count_params() < 750_000  # under 3 MB as float32
    assert model.feature_dim == 256


def test_classifier_serialization_and_saving(tmp_path):
    model = ProxyClassifier(**TINY, dropout=0.1, name="proxy")
    run_serialization_test(model)
    run_model_saving_test(model, images().astype("float32") / 127.5 - 1, tmp_path)


def test_classifier_rejects_mismatched_stages():
    with pytest.raises(ValueError, match="depths"):
        ProxyClassifier(3, filters=(4, 8), depths=(1,))


def test_tiny_fit_learns_colour_classes():
    rng = np.random.default_rng(0)
    labels = np.arange(48) % 3
    bank = np.zeros((48, 20, 20, 3), np.uint8)
    bank[np.arange(48), :, :, labels] = 255  # class = the lit colour channel
    bank = np.clip(bank.astype(int) + rng.integers(0, 40, bank.shape), 0, 255).astype(np.uint8)
    model = ProxyClassifier(**TINY)
    dataset = augmented_dataset(bank, np.eye(3, dtype="float32")[labels], batch_size=16,
                                image_size=16)  # fmt: skip
    model.compile(
        keras.optimizers.Adam(1e-2),
        keras.losses.CategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    history = model.fit(dataset, epochs=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    evaluator = ProxyEvaluator(model, ["red", "green", "blue"])
    assert np.mean(evaluator.probabilities(bank).argmax(1) == labels) > 0.9


def test_random_crop_flip():
    image = np.arange(8 * 8 * 3, dtype=np.uint8).reshape(1, 8, 8, 3)
    out = random_crop_flip(np.repeat(image, 64, 0), 8, min_scale=1.0, flip=True).numpy()
    unit = image[0] / 127.5 - 1
    same = [np.allclose(o, unit, atol=1e-5) for o in out]
    mirrored = [np.allclose(o, unit[:, ::-1], atol=1e-5) for o in out]
    assert all(a or b for a, b in zip(same, mirrored)) and any(same) and any(mirrored)
    crops = random_crop_flip(images(4, 32), 16, min_scale=0.5).numpy()
    assert crops.shape == (4, 16, 16, 3) and crops.min() >= -1 and crops.max() <= 1


def test_evaluator_metrics_save_and_load(tmp_path):
    keras.utils.set_random_seed(0)
    evaluator = ProxyEvaluator(ProxyClassifier(**TINY), ["a", "b", "c"], {"note": "tiny"})
    real = images(12)
    features = evaluator.features(real)
    assert features.shape == (12, 8)
    # Larger images are resized to the classifier's input; float [-1, 1] input equals uint8.
    flat = np.full((2, 48, 48, 3), 200, np.uint8)
    np.testing.assert_allclose(evaluator.features(flat), evaluator.features(flat[:, :16, :16]),
                               atol=1e-5)  # fmt: skip
    np.testing.assert_allclose(evaluator.features(real / 127.5 - 1), features, atol=1e-5)

    mean, std = evaluator.proxy_inception_score(real, splits=3)
    assert 1.0 - 1e-6 <= mean <= 3.0 + 1e-6
    stats = evaluator.statistics(real)
    assert isinstance(stats, FIDStatistics) and stats.count == 12
    assert evaluator.proxy_fid(stats, real) == pytest.approx(0.0, abs=1e-4)
    assert evaluator.proxy_fid(real, images(12, seed=1)) > 0

    evaluator.classifier.compile(keras.optimizers.Adam(), "mse")  # no optimizer state saved
    evaluator.save(tmp_path / "proxy")
    assert sorted(p.name for p in (tmp_path / "proxy").iterdir()) == [
        "config.json",
        "model.weights.h5",
    ]
    loaded = ProxyEvaluator.from_pretrained(str(tmp_path / "proxy"))
    np.testing.assert_allclose(loaded.features(real), features, atol=1e-6)
    assert loaded.class_names == ["a", "b", "c"] and loaded.metadata == {"note": "tiny"}


def test_unknown_preset_raises():
    with pytest.raises(ValueError, match="Unknown ProxyEvaluator preset"):
        ProxyEvaluator.from_pretrained("dogs")


@pytest.mark.parametrize("preset", ["birds", "flowers"])
def test_shipped_evaluators_load(preset):
    evaluator = ProxyEvaluator.from_pretrained(preset)
    assert evaluator.feature_dim == 256 and evaluator.image_size == 64
    assert evaluator.metadata["dataset"] == preset and evaluator.metadata["test_top1"] > 0.1
    features, probs = evaluator.features_and_probs(images(2, 256))
    assert features.shape == (2, 256) and probs.shape == (2, evaluator.classifier.num_classes)
