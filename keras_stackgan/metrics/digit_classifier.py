"""``DigitClassifier``: a small MNIST convnet that measures generated digits.

Two measurements of the adversarial zoo rest on it:
- ``label_accuracy``: the fraction of a conditional GAN's digits classified as the label they
  were generated for.
- ``categorical_code_accuracy``: for InfoGAN, the accuracy of its categorical code as a digit
  label under the best one-to-one code-to-digit matching (the code's values carry no names).

The shipped weights (``DigitClassifier.from_pretrained()``, ``saved_models/evaluators/mnist/``)
were trained by ``recipes/train_digit_classifier.py`` on the 22,699 training digits of
``../shared/data/mnist``; the model card there gives the measured test accuracy.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from keras_stackgan.metrics.evaluator_files import (
    WEIGHTS_FILE,
    read_config,
    resolve_evaluator_dir,
    write_config,
)
from keras_stackgan.metrics.evaluator_presets import (
    digit_classifier_aliases,
    digit_classifier_presets,
)
from keras_stackgan.metrics.image_batches import to_unit_range

FEATURES_LAYER = "features"


def prepare_digits(images, image_size: int = 28) -> np.ndarray:
    """Digit images in any of the usual forms as the classifier's float32 input.

    Args:
        images: ``[n, H, W]``, ``[n, H, W, 1]`` or ``[n, H, W, 3]`` (averaged to grey), uint8
            in ``[0, 255]`` or float in ``[-1, 1]`` (a generator's tanh output); numpy or a
            tensor. White digits on black, as MNIST.
        image_size: int. Side of the output; other sizes (32 px DCGAN samples) are resized
            (bilinear, antialiased when shrinking).

    Returns:
        float32 ``[n, image_size, image_size, 1]`` in ``[-1, 1]``.

    Raises:
        ValueError: for another shape, or float images outside ``[-1, 1]``.
    """
    array = np.asarray(images)
    if array.ndim == 3:
        array = array[..., None]
    if array.ndim != 4 or array.shape[-1] not in (1, 3):
        raise ValueError(
            f"digit images must be [n, H, W], [n, H, W, 1] or [n, H, W, 3], got {array.shape}"
        )
    x = to_unit_range(array)
    if x.shape[-1] == 3:
        x = x.mean(axis=-1, keepdims=True)
    if x.shape[1:3] != (image_size, image_size):
        shrink = x.shape[1] > image_size or x.shape[2] > image_size
        x = tf.image.resize(x, [image_size, image_size], "bilinear", antialias=shrink)
        x = np.clip(x.numpy(), -1.0, 1.0)
    return np.ascontiguousarray(x, dtype=np.float32)


@keras.saving.register_keras_serializable(package="keras_stackgan")
class DigitClassifier(keras.Model):
    """A compact convnet classifying ``28x28`` grey digits, used as a measuring instrument.

    Stage ``i`` is a ``3x3`` convolution to ``filters[i]`` channels, followed (except in the
    last stage) by a stride-2 ``3x3`` convolution that halves the resolution; each convolution
    is followed by batch normalisation and ReLU. A global average pool gives the features
    (``filters[-1]``-d), then dropout and a linear layer the logits. The defaults
    (``(32, 64, 128)``: 28 -> 14 -> 7 px) have about 141 k parameters (0.6 MB as float32) and
    11 M multiply-adds per image.

    Args:
        num_classes: int. Number of classes. Defaults to 10.
        image_size: int. Height and width of the square input. Defaults to 28.
        filters: sequence of int. Channels of each stage. Defaults to ``(32, 64, 128)``.
        dropout: float. Dropout on the features before the logits. Defaults to 0.2.
        **kwargs: passed to ``keras.Model`` (``name``, ``trainable``).

    Call arguments:
        inputs: float32 ``[batch, image_size, image_size, 1]`` in ``[-1, 1]`` (black -1, white
            1; ``prepare_digits`` converts uint8, ``[n, H, W]`` and other sizes).

    Returns:
        float32 logits ``[batch, num_classes]``.

    Examples:
    ```python
    classifier = DigitClassifier.from_pretrained()  # saved_models/evaluators/mnist, offline
    classifier.predict_labels(uint8_digits)  # int64 [n]
    label_accuracy(classifier, generated, asked_labels)  # float in [0, 1]
    ```
    """

    def __init__(
        self,
        num_classes: int = 10,
        image_size: int = 28,
        filters: Sequence[int] = (32, 64, 128),
        dropout: float = 0.2,
        **kwargs,
    ):
        if not filters:
            raise ValueError("filters must name at least one stage")

        # === Functional Model ===
        inputs = keras.Input((image_size, image_size, 1), name="digits")
        x = inputs
        for stage, width in enumerate(filters):
            strides = (1,) if stage == len(filters) - 1 else (1, 2)
            for k, stride in enumerate(strides):
                x = keras.layers.Conv2D(
                    width,
                    3,
                    strides=stride,
                    padding="same",
                    use_bias=False,
                    name=f"stage{stage}_conv{k}",
                )(x)
                x = keras.layers.BatchNormalization(name=f"stage{stage}_norm{k}")(x)
                x = keras.layers.ReLU(name=f"stage{stage}_relu{k}")(x)
        features = keras.layers.GlobalAveragePooling2D(name=FEATURES_LAYER)(x)
        x = keras.layers.Dropout(dropout, name="dropout")(features)
        logits = keras.layers.Dense(num_classes, dtype="float32", name="logits")(x)
        super().__init__(inputs=inputs, outputs=logits, **kwargs)

        # === Config ===
        self.num_classes = num_classes
        self.image_size = image_size
        self.filters = list(filters)
        self.dropout = dropout

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "trainable": self.trainable,
            "num_classes": self.num_classes,
            "image_size": self.image_size,
            "filters": list(self.filters),
            "dropout": self.dropout,
        }

    # === Measuring ===

    def _forward(self, x: np.ndarray) -> np.ndarray:
        function = self.__dict__.get("_forward_function")
        if function is None:
            size = self.image_size
            function = tf.function(
                lambda batch: self(batch, training=False),
                input_signature=[tf.TensorSpec([None, size, size, 1], tf.float32)],
            )
            # Kept out of Keras' attribute tracking: a compiled view of this model's call.
            object.__setattr__(self, "_forward_function", function)
        return function(x).numpy()

    def predict_probabilities(self, images, batch_size: int = 500) -> np.ndarray:
        """Class probabilities of digit images (see ``prepare_digits`` for the forms accepted).

        Returns:
            float32 ``[n, num_classes]``, rows summing to 1.
        """
        x = prepare_digits(images, self.image_size)
        if len(x) == 0:
            return np.zeros((0, self.num_classes), np.float32)
        logits = np.concatenate(
            [self._forward(x[i : i + batch_size]) for i in range(0, len(x), batch_size)]
        )
        return tf.nn.softmax(logits).numpy()

    def predict_labels(self, images, batch_size: int = 500) -> np.ndarray:
        """The most probable class of each image, int64 ``[n]`` in ``[0, num_classes)``."""
        return self.predict_probabilities(images, batch_size).argmax(axis=-1)

    # === Saving and loading ===

    def save_pretrained(self, directory: str | os.PathLike, metadata: dict | None = None) -> Path:
        """Writes ``config.json`` (architecture + ``metadata``) and ``model.weights.h5``."""
        directory = Path(directory)
        # An uncompiled copy, so neither the config nor the weights file carries an optimizer.
        clean = type(self).from_config(self.get_config())
        clean.set_weights(self.get_weights())
        write_config(
            directory,
            {
                "class_name": type(self).__name__,
                "classifier": keras.saving.serialize_keras_object(clean),
                "metadata": dict(metadata or {}),
            },
        )
        clean.save_weights(directory / WEIGHTS_FILE)
        return directory

    @classmethod
    def from_directory(cls, directory: str | os.PathLike) -> DigitClassifier:
        """Loads a classifier written by ``save_pretrained``; its metadata (training command,
        measured test accuracy) is in ``.pretrained_metadata``."""
        config = read_config(directory, cls.__name__)
        model = keras.saving.deserialize_keras_object(config["classifier"])
        if not isinstance(model, cls):
            raise ValueError(f"{directory}: the classifier is a {type(model).__name__}")
        model.load_weights(Path(directory) / WEIGHTS_FILE)
        # Plain data, not Keras state: kept out of attribute tracking.
        object.__setattr__(model, "pretrained_metadata", dict(config.get("metadata") or {}))
        return model

    @classmethod
    def from_pretrained(cls, preset: str | os.PathLike = "mnist") -> DigitClassifier:
        """The shipped classifier (``"mnist"``, the default) or one saved in a directory.

        Reads only ``saved_models/evaluators/mnist/`` (no network).

        Raises:
            ValueError: for an unknown name, or a preset whose files are missing.
        """
        directory = resolve_evaluator_dir(
            preset, digit_classifier_presets, digit_classifier_aliases, "DigitClassifier"
        )
        return cls.from_directory(directory)


def _predicted_labels(classifier, images) -> np.ndarray:
    """Labels from a ``DigitClassifier`` (or anything with ``predict_labels``), or from a
    callable returning logits ``[n, C]`` for ``prepare_digits(images)``."""
    if hasattr(classifier, "predict_labels"):
        return np.asarray(classifier.predict_labels(images)).reshape(-1)
    logits = classifier(prepare_digits(images))
    return np.asarray(keras.ops.convert_to_numpy(logits)).argmax(axis=-1)


def label_accuracy(classifier, images, labels) -> float:
    """Fraction of (generated) digits that the classifier reads as the label asked for.

    Args:
        classifier: a ``DigitClassifier`` (``DigitClassifier.from_pretrained()``), any object
            with ``predict_labels(images) -> [n]``, or a callable giving logits ``[n, C]``.
        images: ``[n, H, W]`` or ``[n, H, W, 1]``, uint8 in ``[0, 255]`` or float in
            ``[-1, 1]`` (see ``prepare_digits``).
        labels: int ``[n]``, the class each image was generated for (or one-hot ``[n, C]``).

    Returns:
        float in ``[0, 1]``.

    Examples:
    ```python
    classifier = DigitClassifier.from_pretrained()
    labels = np.arange(1000) % 10
    label_accuracy(classifier, generator([noise, labels]), labels)
    ```
    """
    labels = _as_indices(labels, "labels")
    predicted = _predicted_labels(classifier, images)
    if len(predicted) != len(labels):
        raise ValueError(f"{len(predicted)} images for {len(labels)} labels")
    if len(labels) == 0:
        raise ValueError("No images were given.")
    return float(np.mean(predicted == labels))


def code_matching_accuracy(
    codes, predicted, num_codes: int | None = None, num_classes: int | None = None
) -> tuple[float, dict[int, int]]:
    """Accuracy of categorical codes as class labels under the best one-to-one matching.

    Builds the confusion matrix ``counts[code, class]`` and solves the assignment problem
    (``scipy.optimize.linear_sum_assignment``) for the matching of codes to classes that
    maximises the matched count; the accuracy is that count over ``n``. With more codes than
    classes (or fewer), only ``min(num_codes, num_classes)`` pairs are matched and samples of
    unmatched codes count as wrong.

    Args:
        codes: int ``[n]`` code values in ``[0, num_codes)``, or one-hot ``[n, num_codes]``.
        predicted: int ``[n]`` class labels (a classifier's predictions).
        num_codes: int or None. Defaults to the largest code + 1 (or the one-hot width).
        num_classes: int or None. Defaults to the largest label + 1.

    Returns:
        ``(accuracy, mapping)``: float in ``[0, 1]`` and ``{code: class}`` for matched codes.
    """
    from scipy.optimize import linear_sum_assignment

    codes_array = np.asarray(codes)
    if codes_array.ndim == 2 and num_codes is None:
        num_codes = codes_array.shape[1]
    codes = _as_indices(codes_array, "codes")
    predicted = np.asarray(predicted).reshape(-1).astype(np.int64)
    if len(codes) != len(predicted):
        raise ValueError(f"{len(codes)} codes for {len(predicted)} predictions")
    if len(codes) == 0:
        raise ValueError("No codes were given.")
    num_codes = int(num_codes if num_codes is not None else codes.max() + 1)
    num_classes = int(num_classes if num_classes is not None else predicted.max() + 1)
    if codes.min() < 0 or codes.max() >= num_codes:
        raise ValueError(f"codes must lie in [0, {num_codes}), got {codes.min()}..{codes.max()}")
    if predicted.min() < 0 or predicted.max() >= num_classes:
        raise ValueError(f"labels must lie in [0, {num_classes})")
    confusion = np.zeros((num_codes, num_classes), np.int64)
    np.add.at(confusion, (codes, predicted), 1)
    rows, cols = linear_sum_assignment(confusion, maximize=True)
    accuracy = float(confusion[rows, cols].sum() / len(codes))
    return accuracy, {int(r): int(c) for r, c in zip(rows, cols)}


def categorical_code_accuracy(
    classifier, images, codes, num_codes: int | None = None
) -> tuple[float, dict[int, int]]:
    """InfoGAN's categorical code read as a digit label: accuracy under the best matching.

    The digits generated with code value ``k`` are classified; the one-to-one code-to-digit
    assignment with the most agreements is found on the confusion matrix
    (``code_matching_accuracy``), and the accuracy is the fraction of images whose predicted
    digit is their code's matched digit. 1.0 means each code value draws one digit class.

    Args:
        classifier: as in ``label_accuracy`` (usually ``DigitClassifier.from_pretrained()``).
        images: digits generated with the codes, ``[n, H, W(, 1)]`` uint8 or float ``[-1, 1]``.
        codes: int ``[n]`` code values, or the one-hot codes ``[n, num_codes]`` fed to the
            generator.
        num_codes: int or None. Number of code values (default: from ``codes``).

    Returns:
        ``(accuracy, mapping)``: float in ``[0, 1]``, ``{code value: digit}``.

    Examples:
    ```python
    codes = np.arange(1000) % 10
    accuracy, mapping = categorical_code_accuracy(classifier, generator(noise, codes), codes)
    ```
    """
    predicted = _predicted_labels(classifier, images)
    num_classes = getattr(classifier, "num_classes", None)
    if num_classes is None:
        num_classes = max(int(predicted.max(initial=0)) + 1, 10)
    return code_matching_accuracy(codes, predicted, num_codes, num_classes)


def _as_indices(values, what: str) -> np.ndarray:
    """Int64 ``[n]`` from integer ``[n]`` or one-hot / scores ``[n, C]``."""
    array = np.asarray(values)
    if array.ndim == 2:
        array = array.argmax(axis=-1)
    if array.ndim != 1:
        raise ValueError(f"{what} must be [n] or one-hot [n, C], got shape {array.shape}")
    return array.astype(np.int64)
