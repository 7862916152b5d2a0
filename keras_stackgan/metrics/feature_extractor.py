"""``FeatureExtractor``: streams images through a classifier for features and probabilities."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from keras_stackgan.metrics.image_batches import iterate_batches, prepare_images
from keras_stackgan.metrics.inception_score import inception_score_from_probs
from keras_stackgan.metrics.statistics import FIDStatistics, RunningStatistics, fid_from_statistics


class FeatureExtractor:
    """Base of the evaluators: a classifier giving ``(features, logits)`` for a batch of images.

    Subclasses set ``image_size`` and implement ``forward``. Images of any size are converted to
    float32 ``[-1, 1]`` and resized (bilinear, antialiased) to ``image_size`` batch by batch, so
    memory stays bounded whatever the number of images.

    Args:
        image_size: int. Side of the classifier's input.
        batch_size: int. Images per forward pass when given one array.
    """

    def __init__(self, image_size: int, batch_size: int = 64):
        self.image_size = int(image_size)
        self.batch_size = int(batch_size)

    def forward(self, images: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        """Features ``[b, D]`` and logits ``[b, num_classes]`` of float32 images in ``[-1, 1]``
        of shape ``[b, image_size, image_size, 3]``."""
        raise NotImplementedError

    def _stream(self, images):
        for batch in iterate_batches(images, self.batch_size):
            if len(batch) == 0:
                continue
            features, logits = self.forward(prepare_images(batch, self.image_size))
            yield (
                np.asarray(features, dtype=np.float32),
                np.asarray(tf.nn.softmax(tf.cast(logits, "float32")), dtype=np.float32),
            )

    def features_and_probs(self, images) -> tuple[np.ndarray, np.ndarray]:
        """Features ``[n, D]`` and class probabilities ``[n, num_classes]`` (float32).

        Args:
            images: ``[n, H, W, 3]`` uint8 in ``[0, 255]`` or float in ``[-1, 1]``, or an
                iterable of such batches (see ``iterate_batches``).
        """
        features, probs = [], []
        for f, p in self._stream(images):
            features.append(f)
            probs.append(p)
        if not features:
            raise ValueError("No images were given.")
        return np.concatenate(features), np.concatenate(probs)

    def features(self, images) -> np.ndarray:
        """Features, float32 ``[n, D]`` (see ``features_and_probs``)."""
        return self.features_and_probs(images)[0]

    def probabilities(self, images) -> np.ndarray:
        """Class probabilities, float32 ``[n, num_classes]`` (see ``features_and_probs``)."""
        return self.features_and_probs(images)[1]

    def statistics(self, images) -> FIDStatistics:
        """``FIDStatistics`` of the images' features, accumulated in float64 over batches."""
        running = RunningStatistics()
        for features, _ in self._stream(images):
            running.update(features)
        return running.result()

    def inception_score(self, images, splits: int = 10) -> tuple[float, float]:
        """``(mean, std)`` Inception Score of the images under this classifier."""
        return inception_score_from_probs(self.probabilities(images), splits)

    def fid(self, real, fake) -> float:
        """Frechet distance between the feature statistics of ``real`` and ``fake``.

        Each of ``real`` and ``fake`` is images (as in ``features_and_probs``) or precomputed
        ``FIDStatistics`` of this extractor.
        """
        a = real if isinstance(real, FIDStatistics) else self.statistics(real)
        b = fake if isinstance(fake, FIDStatistics) else self.statistics(fake)
        return fid_from_statistics(a, b)
