"""Inception Score and FID with ``keras.applications.InceptionV3``.

The paper metrics: InceptionV3 at 299x299, pool3 (the 2048-d global average pool) features for
FID and softmax class probabilities for IS. Weights are ``"imagenet"`` (Keras downloads them the
first time, so the user must be online once), the path of a local weights file with the top
(e.g. ``~/.keras/models/inception_v3_weights_tf_dim_ordering_tf_kernels.h5``), or ``None`` for a
random network (tests only: the numbers then mean nothing).

Keras' InceptionV3 (1000 classes) is not the 2015 TensorFlow Inception graph (1008 classes) that
the original IS code and TTUR's FID use, so values differ somewhat from published ones even on
the same images; compare models with the same extractor and sample count.
"""

from __future__ import annotations

import os

import keras
import numpy as np
import tensorflow as tf

from keras_stackgan.metrics.feature_extractor import FeatureExtractor
from keras_stackgan.metrics.inception_score import inception_score_from_probs
from keras_stackgan.metrics.statistics import FIDStatistics, fid_from_statistics

INCEPTION_IMAGE_SIZE = 299


class InceptionV3Extractor(FeatureExtractor):
    """pool3 features (2048-d) and ImageNet class probabilities (1000) of InceptionV3.

    Images (uint8 ``[0, 255]`` or float ``[-1, 1]``, any size) are resized to 299x299 and put in
    ``[-1, 1]``, which is InceptionV3's ``preprocess_input`` scaling.

    Args:
        weights: ``"imagenet"`` (downloaded once when online), the path of a local InceptionV3
            weights file with the classification top, or None (random initialisation).
        batch_size: int. Images per forward pass. Defaults to 32.

    Examples:
    ```python
    extractor = InceptionV3Extractor("imagenet")
    real_stats = extractor.statistics(real_images)  # FIDStatistics, 2048-d
    real_stats.save("cub_test_inception.npz")
    fid = extractor.fid(real_stats, fake_images)
    mean, std = extractor.inception_score(fake_images, splits=10)
    ```
    """

    def __init__(self, weights: str | os.PathLike | None = "imagenet", batch_size: int = 32):
        super().__init__(INCEPTION_IMAGE_SIZE, batch_size)
        if weights is not None and weights != "imagenet":
            weights = os.fspath(weights)
            if not os.path.isfile(weights):
                raise FileNotFoundError(f"No InceptionV3 weights file at {weights}")
        base = keras.applications.InceptionV3(
            include_top=True, weights=weights, classifier_activation=None
        )
        self.model = keras.Model(
            base.input, [base.get_layer("avg_pool").output, base.output], name="inception_v3_eval"
        )
        self._forward = tf.function(
            lambda x: self.model(x, training=False),
            input_signature=[tf.TensorSpec([None, 299, 299, 3], tf.float32)],
        )

    def forward(self, images: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        features, logits = self._forward(images)
        return features, logits


def _extractor(extractor, weights, batch_size) -> FeatureExtractor:
    return extractor if extractor is not None else InceptionV3Extractor(weights, batch_size)


def inception_score(
    images,
    splits: int = 10,
    *,
    weights: str | os.PathLike | None = "imagenet",
    batch_size: int = 32,
    extractor: FeatureExtractor | None = None,
) -> tuple[float, float]:
    """Inception Score ``(mean, std)`` over ``splits`` parts (Salimans et al. 2016).

    StackGAN reports IS on 30,000 generated images with 10 splits; use at least several
    thousand images, since the score is biased low for small samples.

    Args:
        images: ``[n, H, W, 3]`` uint8 in ``[0, 255]`` or float in ``[-1, 1]``, or an iterable
            of such batches (streamed, never held at 299 px all at once); or class
            probabilities ``[n, num_classes]`` already computed (no network is built).
        splits: int. Number of parts. Defaults to 10.
        weights: InceptionV3 weights (see ``InceptionV3Extractor``); ignored with ``extractor``.
        batch_size: int. Images per forward pass.
        extractor: optional ``FeatureExtractor`` to reuse (an ``InceptionV3Extractor``, or a
            ``ProxyEvaluator`` for proxy-IS).

    Returns:
        ``(mean, std)`` floats.
    """
    if isinstance(images, np.ndarray) and images.ndim == 2:
        return inception_score_from_probs(images, splits)
    return _extractor(extractor, weights, batch_size).inception_score(images, splits)


def frechet_inception_distance(
    real,
    fake,
    *,
    weights: str | os.PathLike | None = "imagenet",
    batch_size: int = 32,
    extractor: FeatureExtractor | None = None,
) -> float:
    """FID between two image sets (Heusel et al. 2017), on InceptionV3 pool3 features.

    Args:
        real: images (as in ``inception_score``) or precomputed ``FIDStatistics`` of the same
            extractor (compute a dataset's once with ``extractor.statistics`` and ``save``).
        fake: images or ``FIDStatistics``.
        weights: InceptionV3 weights (see ``InceptionV3Extractor``); ignored with ``extractor``.
        batch_size: int. Images per forward pass.
        extractor: optional ``FeatureExtractor`` to reuse.

    Returns:
        float, ``>= 0`` (0 for identical statistics). Lower is better. Biased by the sample
        count: compare values computed with equal numbers of images.
    """
    if isinstance(real, FIDStatistics) and isinstance(fake, FIDStatistics):
        return fid_from_statistics(real, fake)
    return _extractor(extractor, weights, batch_size).fid(real, fake)
