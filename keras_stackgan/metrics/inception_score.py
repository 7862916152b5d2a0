"""The Inception Score of class probabilities (Salimans et al. 2016), network-free."""

from __future__ import annotations

import numpy as np
import scipy.special


def inception_score_from_probs(probs, splits: int = 10) -> tuple[float, float]:
    """Inception Score ``exp(E_x KL(p(y|x) || p(y)))`` of predicted class probabilities.

    As in the original code (and StackGAN's evaluation), the images are cut into ``splits``
    consecutive, near-equal parts; ``p(y)`` is the mean prediction of a part, the score is
    computed per part, and the mean and standard deviation over parts are returned. Computed in
    float64; ``0 log 0`` counts as 0.

    Args:
        probs: float array ``[n, num_classes]``, rows are probability vectors (``>= 0``,
            summing to 1).
        splits: int. Number of parts, ``1 <= splits <= n``. Defaults to 10.

    Returns:
        ``(mean, std)`` floats. The score lies in ``[1, num_classes]``: 1 when every image gets
        the same prediction, ``K`` when each part holds confident predictions spread evenly over
        ``K`` classes.

    Raises:
        ValueError: for a non-2-D array, negative values, rows not summing to 1 (within 1e-3)
            or an invalid ``splits``.
    """
    probs = np.asarray(probs, dtype=np.float64)
    if probs.ndim != 2:
        raise ValueError(f"probs must be [n, num_classes], got shape {probs.shape}")
    if not 1 <= splits <= probs.shape[0]:
        raise ValueError(f"splits must be in [1, {probs.shape[0]}] for {len(probs)} rows")
    if np.any(probs < 0) or not np.allclose(probs.sum(axis=1), 1.0, atol=1e-3):
        raise ValueError("probs rows must be probability vectors (non-negative, summing to 1)")
    scores = []
    for part in np.array_split(probs, splits):
        marginal = part.mean(axis=0, keepdims=True)
        kl = scipy.special.xlogy(part, part) - scipy.special.xlogy(part, marginal)
        scores.append(np.exp(np.mean(np.sum(kl, axis=1))))
    return float(np.mean(scores)), float(np.std(scores))
