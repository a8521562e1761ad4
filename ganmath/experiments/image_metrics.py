r"""Scores of a set of images that need no download: an Inception-style score, the Fréchet distance, and the
distance of each image to its nearest neighbour in a reference set.

* **Inception-style score** (Salimans et al. 2016) with a classifier's :math:`p(y \mid x)`:
  :math:`\exp\big(\mathbb E_x\, \mathrm{KL}(p(y \mid x)\,\|\,p(y))\big)`, :math:`p(y) = \mathbb E_x\, p(y \mid x)`:
  high when each sample is one clear class and the classes come equally often (at most their number).
* **Fréchet distance** (Heusel et al. 2017) between Gaussians fitted to two sets of features:
  :math:`\|\mu_1 - \mu_2\|^2 + \mathrm{tr}\big(\Sigma_1 + \Sigma_2 - 2(\Sigma_1^{1/2}\Sigma_2\Sigma_1^{1/2})^{1/2}\big)`.
* **Nearest neighbours**: a generator that copied its training images would have samples at distance 0 (the
  DCGAN paper's Figure 2 shows each sample beside its nearest training image).
"""

from __future__ import annotations

import numpy as np
from scipy import special

__all__ = ["inception_score", "gaussian_frechet_distance", "frechet_distance", "nearest_neighbours"]


# --- the metrics ----------------------------------------------------------------------------------


def _matrix(name: str, values, columns: int | None = None) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 2 or array.shape[0] < 1 or (columns is not None and array.shape[1] != columns):
        raise ValueError(f"{name} must be a 2-D array (n, features), got {name}.shape={array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite")
    return array


def _rows(name: str, images) -> np.ndarray:
    """Images ``(n, 1, 8, 8)`` (or any ``(n, ...)``) as rows ``(n, d)``."""
    array = np.asarray(images, dtype=np.float64)
    return _matrix(name, array.reshape(len(array), -1))


def inception_score(probabilities) -> float:
    r"""The Inception-style score of class probabilities ``(n, classes)``, one row per sample:

    .. math:: \exp\Big(\frac1n \sum_i \mathrm{KL}\big(p(y \mid x_i)\,\|\,\bar p(y)\big)\Big),
              \qquad \bar p(y) = \frac1n \sum_i p(y \mid x_i)

    1 when every sample gets the same distribution, the number of classes when each sample is certain of
    its class and the classes come equally often. (The KL terms by ``scipy.special.rel_entr``: 0 log 0 = 0.)
    """
    p = _matrix("probabilities", probabilities)
    if np.any(p < 0) or not np.allclose(p.sum(axis=1), 1.0, atol=1e-9):
        raise ValueError("probabilities must be non-negative rows that sum to 1")
    marginal = p.mean(axis=0)
    return float(np.exp(np.mean(special.rel_entr(p, marginal).sum(axis=1))))


def gaussian_frechet_distance(mean_a, cov_a, mean_b, cov_b) -> float:
    r"""The squared Fréchet (2-Wasserstein) distance between :math:`N(\mu_a, \Sigma_a)` and :math:`N(\mu_b, \Sigma_b)`:

    .. math:: \|\mu_a - \mu_b\|^2 + \mathrm{tr}\,\Sigma_a + \mathrm{tr}\,\Sigma_b
              - 2\,\mathrm{tr}\big(\Sigma_a^{1/2}\,\Sigma_b\,\Sigma_a^{1/2}\big)^{1/2}

    The trace term from symmetric eigendecompositions (:math:`\Sigma_a^{1/2}\Sigma_b\Sigma_a^{1/2}` is
    symmetric positive semi-definite; its tiny negative eigenvalues from rounding count as 0), instead of
    the complex ``sqrtm`` of the non-symmetric :math:`\Sigma_a\Sigma_b`: the same trace, real by construction.
    """
    mean_a, mean_b = np.asarray(mean_a, dtype=np.float64), np.asarray(mean_b, dtype=np.float64)
    cov_a, cov_b = np.asarray(cov_a, dtype=np.float64), np.asarray(cov_b, dtype=np.float64)
    d = mean_a.size
    if mean_a.shape != (d,) or mean_b.shape != (d,) or cov_a.shape != (d, d) or cov_b.shape != (d, d):
        raise ValueError(f"means must be (d,) and covariances (d, d) with one d, got {mean_a.shape}, "
                         f"{cov_a.shape}, {mean_b.shape}, {cov_b.shape}")
    values, vectors = np.linalg.eigh((cov_a + cov_a.T) / 2.0)
    root_a = (vectors * np.sqrt(np.maximum(values, 0.0))) @ vectors.T
    middle = root_a @ cov_b @ root_a
    trace_root = float(np.sum(np.sqrt(np.maximum(np.linalg.eigvalsh((middle + middle.T) / 2.0), 0.0))))
    difference = mean_a - mean_b
    return float(difference @ difference + np.trace(cov_a) + np.trace(cov_b) - 2.0 * trace_root)


def frechet_distance(features_a, features_b) -> float:
    """:func:`gaussian_frechet_distance` of Gaussians fitted (mean, covariance with ``n - 1``) to two sets of
    feature rows ``(n_a, d)`` and ``(n_b, d)``."""
    a, b = _matrix("features_a", features_a), _matrix("features_b", features_b)
    if a.shape[1] != b.shape[1] or min(len(a), len(b)) < 2:
        raise ValueError(f"features must share their width and have two rows or more, got {a.shape} and {b.shape}")
    return gaussian_frechet_distance(a.mean(axis=0), np.cov(a, rowvar=False), b.mean(axis=0), np.cov(b, rowvar=False))


def _squared_distances(x, centres) -> np.ndarray:
    """``|x_i - c_j|^2`` for rows ``x (n, d)`` and ``centres (N, d)``, shape ``(n, N)``, by one product."""
    return (np.einsum("ij,ij->i", x, x)[:, None] + np.einsum("ij,ij->i", centres, centres)[None, :]
            - 2.0 * (x @ centres.T))


def nearest_neighbours(samples, reference) -> tuple[np.ndarray, np.ndarray]:
    """For every row of ``samples``, its nearest row of ``reference`` (Euclidean): ``(distances, indices)``.

    The candidates are ranked by the expanded squared distance (one matrix product); the distance to the
    winner is then computed directly, as the root of a sum of squares.
    """
    samples, reference = _rows("samples", samples), _rows("reference", reference)
    if samples.shape[1] != reference.shape[1]:
        raise ValueError(f"samples and reference must have the same width, got {samples.shape} and {reference.shape}")
    indices = np.argmin(_squared_distances(samples, reference), axis=1)
    distances = np.sqrt(np.sum((samples - reference[indices]) ** 2, axis=1))
    return distances, indices
