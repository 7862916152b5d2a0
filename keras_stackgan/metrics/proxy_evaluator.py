"""``ProxyEvaluator``: proxy-IS and proxy-FID from a ``ProxyClassifier`` trained on real data.

**Proxy numbers are comparable only with each other** (same evaluator weights, same image
size, same number of images), never with the Inception Score or FID of papers: the classifier
sees 64x64 images, knows ~100 species instead of ImageNet's 1000 classes, and its features are
256-d instead of Inception's 2048-d. Real-image baselines (the proxy-IS of real test images, the
real-vs-real proxy-FID floor) are in each evaluator's model card.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import keras
import tensorflow as tf

from keras_stackgan.metrics.evaluator_files import (
    WEIGHTS_FILE,
    read_config,
    resolve_evaluator_dir,
    write_config,
)
from keras_stackgan.metrics.evaluator_presets import proxy_aliases, proxy_presets
from keras_stackgan.metrics.feature_extractor import FeatureExtractor
from keras_stackgan.metrics.proxy_classifier import ProxyClassifier


class ProxyEvaluator(FeatureExtractor):
    """Proxy Inception Score and proxy FID on a ``ProxyClassifier``'s pooled features.

    Images (uint8 ``[0, 255]`` or float ``[-1, 1]``, any size, e.g. 256x256 Stage-II samples)
    are resized to the classifier's input size (64) with an antialiased bilinear filter. The IS
    uses the classifier's softmax over its species; the FID uses its ``feature_dim``-d pooled
    features with float64 statistics.

    NOT COMPARABLE WITH PAPER IS / FID: compare only numbers from the same evaluator, image
    count and split.

    Args:
        classifier: a trained ``ProxyClassifier``.
        class_names: optional list of the class names, in logit order.
        metadata: optional dict (dataset, held-out accuracy, ...), saved with the evaluator.
        batch_size: int. Images per forward pass. Defaults to 128.

    Examples:
    ```python
    evaluator = ProxyEvaluator.from_pretrained("birds")
    mean, std = evaluator.proxy_inception_score(fake_images)  # uint8 or [-1, 1], any size
    fid = evaluator.proxy_fid(real_images, fake_images)
    features = evaluator.features(fake_images)  # float32 [n, 256]
    ```
    """

    def __init__(
        self,
        classifier: ProxyClassifier,
        class_names: Sequence[str] | None = None,
        metadata: dict | None = None,
        batch_size: int = 128,
    ):
        super().__init__(classifier.image_size, batch_size)
        if class_names is not None and len(class_names) != classifier.num_classes:
            raise ValueError(f"{len(class_names)} class names for {classifier.num_classes} classes")
        self.classifier = classifier
        self.class_names = list(class_names) if class_names is not None else None
        self.metadata = dict(metadata or {})
        size = classifier.image_size
        self._forward = tf.function(
            lambda x: classifier.features_model(x, training=False),
            input_signature=[tf.TensorSpec([None, size, size, 3], tf.float32)],
        )

    @property
    def feature_dim(self) -> int:
        """Size of the feature vectors (``classifier.feature_dim``)."""
        return self.classifier.feature_dim

    def forward(self, images: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        features, logits = self._forward(images)
        return features, logits

    def proxy_inception_score(self, images, splits: int = 10) -> tuple[float, float]:
        """``(mean, std)`` proxy-IS over ``splits`` parts: Inception Score's formula on this
        classifier's probabilities. In ``[1, num_classes]``; not comparable with paper IS."""
        return self.inception_score(images, splits)

    def proxy_fid(self, real, fake) -> float:
        """Proxy-FID: the Frechet distance of this classifier's features (images or
        ``FIDStatistics`` from ``statistics``). Not comparable with paper FID."""
        return self.fid(real, fake)

    # === Saving and loading ===

    def save(self, directory: str | os.PathLike) -> Path:
        """Writes ``config.json`` and ``model.weights.h5`` into ``directory``."""
        directory = Path(directory)
        write_config(
            directory,
            {
                "class_name": type(self).__name__,
                "classifier": keras.saving.serialize_keras_object(self.classifier),
                "class_names": self.class_names,
                "metadata": self.metadata,
            },
        )
        # An uncompiled copy, so optimizer variables never enter the weights file.
        clean = ProxyClassifier.from_config(self.classifier.get_config())
        clean.set_weights(self.classifier.get_weights())
        clean.save_weights(directory / WEIGHTS_FILE)
        return directory

    @classmethod
    def from_directory(cls, directory: str | os.PathLike, batch_size: int = 128) -> ProxyEvaluator:
        """Loads an evaluator written by ``save``."""
        config = read_config(directory, cls.__name__)
        classifier = keras.saving.deserialize_keras_object(config["classifier"])
        if not isinstance(classifier, ProxyClassifier):
            raise ValueError(f"{directory}: the classifier is a {type(classifier).__name__}")
        classifier.load_weights(Path(directory) / WEIGHTS_FILE)
        return cls(classifier, config.get("class_names"), config.get("metadata"), batch_size)

    @classmethod
    def from_pretrained(cls, preset: str | os.PathLike, batch_size: int = 128) -> ProxyEvaluator:
        """A shipped evaluator (``"birds"``, ``"flowers"``; aliases ``"cub"``) or a directory.

        Reads only ``saved_models/evaluators/<preset>/`` (no network).

        Raises:
            ValueError: for an unknown name, or a preset whose files are missing.
        """
        directory = resolve_evaluator_dir(preset, proxy_presets, proxy_aliases, "ProxyEvaluator")
        return cls.from_directory(directory, batch_size)

    @staticmethod
    def presets() -> dict:
        """The shipped proxy evaluator presets (name -> metadata and folder)."""
        return dict(proxy_presets)
