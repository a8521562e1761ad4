r"""The Parzen-window evaluation of Goodfellow et al. (2014), Table 1: points on the line, or rows such as images.

The paper fits a Gaussian Parzen window to samples of the generator, chooses its width by the likelihood of a
validation set, and reports the mean log-likelihood of test data under it with the standard error of that mean.
The window density of samples :math:`s_1, \dots, s_n` with width :math:`\sigma` is

.. math:: \hat p_\sigma(x) = \frac1n \sum_{j=1}^n \mathcal N(x;\, s_j, \sigma^2),

and the reported number is :math:`\bar\ell = \frac1m\sum_i \log\hat p_\sigma(x_i)` over test points
:math:`x_1, \dots, x_m`, with standard error :math:`s_\ell/\sqrt m`, :math:`s_\ell` the sample standard deviation
of the :math:`\log\hat p_\sigma(x_i)`.

Each :math:`\log\hat p_\sigma(x_i)` is a log-sum-exp over the samples, so that a test point far from every sample
(where every Gaussian term underflows to 0) still gets its exact logarithm: :math:`-(x - s_j)^2 / 2\sigma^2` of the
nearest sample, less :math:`\log(n\sigma\sqrt{2\pi})`, plus what the others add.
"""

from __future__ import annotations

import math

import numpy as np

from ganmath._validation import as_real_array, check_positive
from ganmath.constants import LOG_SQRT_2PI

__all__ = ["parzen_log_density", "parzen_log_likelihood", "parzen_bandwidth", "parzen_scores"]

# Entries of the (points, samples) array computed at once: bounds the memory of 10^5 samples x 10^4 points.
_BLOCK_ENTRIES = 1 << 21


def _points(name: str, values) -> np.ndarray:
    """Points as rows, shape (m, d): a scalar or a 1-D array is m points on the line (d = 1); an array of shape
    (m, ...) is m points whose trailing axes (an image's pixels) are flattened into d coordinates."""
    array = as_real_array(values, name, finite=True)
    if array.ndim <= 1:
        array = np.atleast_1d(array)[:, None]
    else:
        array = array.reshape(array.shape[0], -1)
    if array.size == 0:
        raise ValueError(f"{name} must hold at least one point, got an empty array of shape {np.shape(values)}")
    return array


def _widths(sigmas) -> np.ndarray:
    """The candidate widths, a non-empty 1-D array of numbers > 0."""
    widths = np.atleast_1d(as_real_array(sigmas, "sigmas", finite=True))
    if widths.ndim != 1 or widths.size == 0:
        raise ValueError(f"sigmas must be a non-empty 1-D array of widths, got shape {widths.shape}")
    for index, sigma in enumerate(widths):
        check_positive(f"sigmas[{index}]", float(sigma))
    return widths


def _same_width(samples: np.ndarray, x: np.ndarray, name: str) -> None:
    if samples.shape[1] != x.shape[1]:
        raise ValueError(f"samples and {name} must have the same number of coordinates per point, got "
                         f"{samples.shape[1]} and {x.shape[1]}")


def _log_densities(samples: np.ndarray, x: np.ndarray, sigmas: np.ndarray) -> np.ndarray:
    r"""log p_sigma(x) for every width, shape (k, m), for samples (n, d) and points x (m, d): the squared distances
    computed once per block of points.

    The largest term of each log-sum-exp is the nearest sample's, :math:`-d_\min^2/2\sigma^2`; the sum is taken
    relative to it, so that it is at least 1 and its logarithm exact. On the line the distances are differences;
    in d > 1 coordinates they come from one matrix product, :math:`|x|^2 + |s|^2 - 2\,x\cdot s` (clipped at 0).
    """
    n, d = samples.shape
    out = np.empty((sigmas.size, len(x)))
    block = max(1, _BLOCK_ENTRIES // n)
    work = np.empty((min(block, len(x)), n))
    sample_norms = np.einsum("ij,ij->i", samples, samples) if d > 1 else None
    for start in range(0, len(x), block):
        chunk = x[start:start + block]
        squared = work[: len(chunk)]
        if d == 1:
            np.subtract(chunk, samples[:, 0][None, :], out=squared)
            np.square(squared, out=squared)
        else:
            np.matmul(chunk, samples.T, out=squared)
            squared *= -2.0
            squared += np.einsum("ij,ij->i", chunk, chunk)[:, None]
            squared += sample_norms[None, :]
            np.maximum(squared, 0.0, out=squared)
        nearest = squared.min(axis=1)
        squared -= nearest[:, None]
        scaled = np.empty_like(squared)
        for row, sigma in enumerate(sigmas):
            np.multiply(squared, -0.5 / sigma**2, out=scaled)
            np.exp(scaled, out=scaled)
            out[row, start:start + block] = np.log(scaled.sum(axis=1)) - 0.5 * nearest / sigma**2
    out -= math.log(n) + d * (np.log(sigmas)[:, None] + LOG_SQRT_2PI)
    return out


def parzen_log_density(samples, x, sigma) -> np.ndarray:
    r""":math:`\log\hat p_\sigma(x)` of the Gaussian Parzen window on ``samples``, at each point of ``x``.

    Parameters
    ----------
    samples : array_like, shape (n,) or (n, ...)
        The window centres (generated samples), finite; rows of more than one axis (images) are points in
        d = the product of their trailing axes' lengths.
    x : array_like, shape (m,) or (m, ...)
        Where to evaluate, finite, with the samples' d.
    sigma : float > 0
        The window width.

    Returns
    -------
    ndarray, shape (m,)
        Finite everywhere: far from every sample the nearest one's term is kept in log space.
    """
    samples, x = _points("samples", samples), _points("x", x)
    _same_width(samples, x, "x")
    sigma = check_positive("sigma", sigma)
    return _log_densities(samples, x, np.array([sigma]))[0]


def parzen_log_likelihood(samples, x, sigma) -> tuple[float, float]:
    r"""The mean log-likelihood of ``x`` under the Parzen window on ``samples``, and its standard error.

    Parameters
    ----------
    samples : array_like, shape (n,) or (n, ...)
        Generated samples (the window centres), points on the line or rows (images).
    x : array_like, shape (m,) or (m, ...)
        Test points, with the samples' d.
    sigma : float > 0
        The window width.

    Returns
    -------
    mean : float
        :math:`\bar\ell = \frac1m \sum_i \log\hat p_\sigma(x_i)`.
    standard_error : float
        :math:`\sqrt{\frac{1}{m(m-1)}\sum_i(\log\hat p_\sigma(x_i) - \bar\ell)^2}`, the standard error of the mean
        over the test points (NaN for a single test point, whose spread is unknown).
    """
    values = parzen_log_density(samples, x, sigma)
    mean = float(np.mean(values))
    if values.size < 2:
        return mean, math.nan
    return mean, float(np.std(values, ddof=1) / math.sqrt(values.size))


def parzen_bandwidth(samples, validation, sigmas) -> float:
    r"""The width the paper's procedure chooses: the one of ``sigmas`` under which ``validation`` is most likely.

    Parameters
    ----------
    samples : array_like, shape (n,) or (n, ...)
        Generated samples.
    validation : array_like, shape (m,) or (m, ...)
        Validation data (held out from the test data), with the samples' d.
    sigmas : array_like, shape (k,)
        Candidate widths, each > 0.

    Returns
    -------
    float
        The first of the candidates with the largest mean validation log-likelihood.
    """
    samples, validation = _points("samples", samples), _points("validation", validation)
    _same_width(samples, validation, "validation")
    sigmas = _widths(sigmas)
    scores = _log_densities(samples, validation, sigmas).mean(axis=1)
    return float(sigmas[int(np.argmax(scores))])


def parzen_scores(samples, x, sigmas) -> np.ndarray:
    r"""The mean log-likelihood of ``x`` under the Parzen window of each width in ``sigmas``, shape ``(k,)``.

    What :func:`parzen_bandwidth` maximizes; one pass over the squared distances for all the widths.
    """
    samples, x = _points("samples", samples), _points("x", x)
    _same_width(samples, x, "x")
    return _log_densities(samples, x, _widths(sigmas)).mean(axis=1)
