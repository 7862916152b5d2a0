"""Gaussian feature statistics and the Frechet distance between them (the math of FID).

Everything here is numpy in float64 and independent of any network: ``FIDStatistics`` holds the
mean, covariance and sample count of a set of feature vectors (saved and reloaded as ``.npz`` so a
dataset's statistics are computed once), ``RunningStatistics`` accumulates them over batches
without keeping the features, and ``fid_from_statistics`` is the Frechet distance

    ||mu_1 - mu_2||^2 + Tr(S_1 + S_2 - 2 (S_1 S_2)^{1/2})

of Heusel et al. (2017), with the matrix square root from ``scipy.linalg.sqrtm``.
"""

from __future__ import annotations

import dataclasses
import os

import numpy as np
import scipy.linalg


@dataclasses.dataclass
class FIDStatistics:
    """Mean, covariance and count of a set of feature vectors (float64).

    Attributes:
        mu: float64 array ``[D]``, the mean feature.
        sigma: float64 array ``[D, D]``, the unbiased (``n - 1``) covariance.
        count: int. Number of feature vectors the statistics summarise.

    Examples:
    ```python
    stats = FIDStatistics.from_features(features)  # features: [n, D]
    stats.save("cub_test_proxy.npz")
    fid = fid_from_statistics(FIDStatistics.load("cub_test_proxy.npz"), other)
    ```
    """

    mu: np.ndarray
    sigma: np.ndarray
    count: int

    def __post_init__(self):
        self.mu = np.asarray(self.mu, dtype=np.float64).reshape(-1)
        self.sigma = np.asarray(self.sigma, dtype=np.float64)
        self.count = int(self.count)
        dim = self.mu.shape[0]
        if self.sigma.shape != (dim, dim):
            raise ValueError(
                f"sigma must be [{dim}, {dim}] for a {dim}-d mean, got {self.sigma.shape}"
            )

    @property
    def dim(self) -> int:
        """Feature dimension ``D``."""
        return int(self.mu.shape[0])

    @classmethod
    def from_features(cls, features) -> FIDStatistics:
        """Statistics of ``features``, a float array ``[n, D]`` with ``n >= 2``."""
        features = np.asarray(features, dtype=np.float64)
        if features.ndim != 2 or features.shape[0] < 2:
            raise ValueError(f"features must be [n >= 2, D], got shape {features.shape}")
        return cls(features.mean(axis=0), np.cov(features, rowvar=False), features.shape[0])

    def save(self, path: str | os.PathLike) -> str:
        """Writes ``mu``, ``sigma`` and ``count`` to an ``.npz`` file; returns the path."""
        path = os.fspath(path)
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "wb") as file:
            np.savez(file, mu=self.mu, sigma=self.sigma, count=np.int64(self.count))
        return path

    @classmethod
    def load(cls, path: str | os.PathLike) -> FIDStatistics:
        """Reads statistics written by ``save`` (no pickles are loaded)."""
        with np.load(os.fspath(path), allow_pickle=False) as data:
            return cls(data["mu"], data["sigma"], int(data["count"]))


class RunningStatistics:
    """Accumulates ``FIDStatistics`` over batches of features (Chan et al.'s parallel update).

    Keeps the count, the float64 mean and the float64 sum of squared deviations ``M2`` (``[D, D]``);
    merging batch moments this way stays accurate where ``sum(x x^T) - n mu mu^T`` would cancel.

    Examples:
    ```python
    running = RunningStatistics()
    for batch in batches:
        running.update(extract(batch))  # [b, D]
    stats = running.result()
    ```
    """

    def __init__(self):
        self.count = 0
        self.mean: np.ndarray | None = None
        self.m2: np.ndarray | None = None

    def update(self, features) -> None:
        """Adds a batch of features, float ``[b, D]`` (``b >= 1``)."""
        features = np.asarray(features, dtype=np.float64)
        if features.ndim != 2:
            raise ValueError(f"features must be [b, D], got shape {features.shape}")
        n_b = features.shape[0]
        if n_b == 0:
            return
        mean_b = features.mean(axis=0)
        centred = features - mean_b
        m2_b = centred.T @ centred
        if self.mean is None:
            self.count, self.mean, self.m2 = n_b, mean_b, m2_b
            return
        if mean_b.shape != self.mean.shape:
            raise ValueError(f"feature size {mean_b.shape[0]} after {self.mean.shape[0]}")
        total = self.count + n_b
        delta = mean_b - self.mean
        self.mean = self.mean + delta * (n_b / total)
        self.m2 = self.m2 + m2_b + np.outer(delta, delta) * (self.count * n_b / total)
        self.count = total

    def result(self) -> FIDStatistics:
        """The statistics of everything added so far (at least two vectors)."""
        if self.count < 2:
            raise ValueError(f"FID statistics need at least 2 feature vectors, got {self.count}")
        return FIDStatistics(self.mean, self.m2 / (self.count - 1), self.count)


def frechet_distance(mu1, sigma1, mu2, sigma2, eps: float = 1e-6) -> float:
    """Frechet distance between the Gaussians ``N(mu1, sigma1)`` and ``N(mu2, sigma2)``.

    ``||mu1 - mu2||^2 + Tr(sigma1) + Tr(sigma2) - 2 Tr((sigma1 sigma2)^{1/2})``, computed in
    float64 as in the reference implementations (TTUR, pytorch-fid): when the square root of a
    singular product is not finite, ``eps * I`` is added to both covariances; a complex result
    from round-off is replaced by its real part (an imaginary diagonal above 1e-3 is an error).

    Args:
        mu1, mu2: float arrays ``[D]``.
        sigma1, sigma2: float arrays ``[D, D]``, symmetric positive semi-definite.
        eps: float. Diagonal offset used only when the plain square root fails.

    Returns:
        float, ``>= 0`` up to round-off.

    Raises:
        ValueError: for mismatched shapes or a square root with a large imaginary part.
    """
    mu1, mu2 = (np.atleast_1d(np.asarray(m, dtype=np.float64)) for m in (mu1, mu2))
    sigma1, sigma2 = (np.atleast_2d(np.asarray(s, dtype=np.float64)) for s in (sigma1, sigma2))
    if mu1.shape != mu2.shape or sigma1.shape != sigma2.shape:
        raise ValueError(
            f"Mismatched statistics: means {mu1.shape} vs {mu2.shape}, "
            f"covariances {sigma1.shape} vs {sigma2.shape}"
        )
    if sigma1.shape != (mu1.shape[0], mu1.shape[0]):
        raise ValueError(f"Covariance {sigma1.shape} does not match mean {mu1.shape}")
    diff = mu1 - mu2
    covmean = scipy.linalg.sqrtm(sigma1 @ sigma2)
    if not np.all(np.isfinite(covmean)):
        offset = np.eye(sigma1.shape[0]) * eps
        covmean = scipy.linalg.sqrtm((sigma1 + offset) @ (sigma2 + offset))
    if np.iscomplexobj(covmean):
        largest = np.max(np.abs(np.diagonal(covmean).imag))
        if largest > 1e-3:
            raise ValueError(f"Matrix square root has an imaginary component of {largest:.3g}")
        covmean = covmean.real
    return float(diff @ diff + np.trace(sigma1) + np.trace(sigma2) - 2.0 * np.trace(covmean))


def fid_from_statistics(a: FIDStatistics, b: FIDStatistics, eps: float = 1e-6) -> float:
    """Frechet distance between two ``FIDStatistics`` (see ``frechet_distance``)."""
    return frechet_distance(a.mu, a.sigma, b.mu, b.sigma, eps)
