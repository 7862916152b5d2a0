"""Evaluation metrics: IS, FID, proxy-IS / proxy-FID, R-precision, nearest neighbours.

Paper metrics (``keras.applications.InceptionV3``; ImageNet weights download once, or a local
weights file, or ``None`` for a random network in tests):
- ``inception_score(images, splits=10)`` -> ``(mean, std)``.
- ``frechet_inception_distance(real, fake)`` -> float; either side may be ``FIDStatistics``.
- ``InceptionV3Extractor(weights)``: pool3 features, probabilities, ``statistics``, ``fid``.

Network-free math (float64):
- ``FIDStatistics(mu, sigma, count)``: ``from_features``, ``save`` / ``load`` (``.npz``).
- ``RunningStatistics``: streaming accumulation of ``FIDStatistics`` over batches.
- ``fid_from_statistics(a, b)``, ``frechet_distance(mu1, sigma1, mu2, sigma2)``.
- ``inception_score_from_probs(probs, splits)``.

Proxy evaluators, trained here on the real data because ImageNet weights are not available
offline. **Proxy numbers are comparable only with each other, never with paper IS / FID**:
- ``ProxyClassifier``: compact CNN species classifier, 256-d pooled features.
- ``ProxyEvaluator.from_pretrained("birds" | "flowers")``: ``proxy_inception_score``,
  ``proxy_fid``, ``features``, ``statistics``.

R-precision (1 true + 99 mismatched captions, R = 1):
- ``r_precision(images, texts_or_embeddings, image_encoder, text_encoder=None, ...)`` ->
  ``RPrecisionResult(mean, std, hits, num_mismatched)``; ``r_precision_from_embeddings``.
- ``RPrecisionEvaluator.from_pretrained("birds")``: image encoder trained onto the frozen
  ``SentenceEncoder``; ``encode_images``, ``encode_texts``, ``r_precision``.
- ``SymmetricInfoNCE`` / ``symmetric_info_nce_loss``: the contrastive loss that trains it.

Digits (MNIST), for the class-conditional GANs and InfoGAN:
- ``DigitClassifier.from_pretrained()``: small convnet trained on the shared MNIST digits.
- ``label_accuracy(classifier, images, labels)`` -> float;
  ``categorical_code_accuracy(classifier, images, codes)`` -> ``(accuracy, {code: digit})``
  under the best one-to-one matching (``code_matching_accuracy`` on predicted labels).

Memorisation check (nearest training images in a feature space, e.g. the proxy's):
- ``nearest_neighbours(generated_features, train_features, k)`` -> ``(indices, distances)``.
- ``save_nearest_neighbour_grid(path, generated, train_images, k, evaluator=...)``: a PNG
  with one row per generated image followed by its nearest training images;
  ``nearest_neighbour_grid`` gives the images only.
"""

from keras_stackgan.metrics.contrastive_loss import SymmetricInfoNCE, symmetric_info_nce_loss
from keras_stackgan.metrics.digit_classifier import (
    DigitClassifier,
    categorical_code_accuracy,
    code_matching_accuracy,
    label_accuracy,
)
from keras_stackgan.metrics.feature_extractor import FeatureExtractor
from keras_stackgan.metrics.inception import (
    InceptionV3Extractor,
    frechet_inception_distance,
    inception_score,
)
from keras_stackgan.metrics.inception_score import inception_score_from_probs
from keras_stackgan.metrics.nearest_neighbours import (
    nearest_neighbour_grid,
    nearest_neighbours,
    save_nearest_neighbour_grid,
)
from keras_stackgan.metrics.proxy_classifier import ProxyClassifier
from keras_stackgan.metrics.proxy_evaluator import ProxyEvaluator
from keras_stackgan.metrics.r_precision import (
    RPrecisionResult,
    r_precision,
    r_precision_from_embeddings,
)
from keras_stackgan.metrics.r_precision_evaluator import RPrecisionEvaluator
from keras_stackgan.metrics.statistics import (
    FIDStatistics,
    RunningStatistics,
    fid_from_statistics,
    frechet_distance,
)

__all__ = [
    "DigitClassifier",
    "FIDStatistics",
    "FeatureExtractor",
    "InceptionV3Extractor",
    "ProxyClassifier",
    "ProxyEvaluator",
    "RPrecisionEvaluator",
    "RPrecisionResult",
    "RunningStatistics",
    "SymmetricInfoNCE",
    "categorical_code_accuracy",
    "code_matching_accuracy",
    "fid_from_statistics",
    "frechet_distance",
    "frechet_inception_distance",
    "inception_score",
    "inception_score_from_probs",
    "label_accuracy",
    "nearest_neighbour_grid",
    "nearest_neighbours",
    "r_precision",
    "r_precision_from_embeddings",
    "save_nearest_neighbour_grid",
    "symmetric_info_nce_loss",
]
