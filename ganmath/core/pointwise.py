r"""Proposition 1 point by point: at each x the discriminator maximizes its own small objective.

Goodfellow et al. (2014), proof of Proposition 1: :math:`V(D, G) = \int p_\mathrm{data}\log D + p_g\log(1-D)\,dx`,
and for :math:`(a, b) \ne (0, 0)` the function :math:`y \mapsto a\log y + b\log(1-y)` peaks at
:math:`a/(a+b)`. With one-sided label smoothing (real targets :math:`\alpha < 1`, fake targets 0) the
pointwise objective becomes :math:`a[\alpha\log y + (1-\alpha)\log(1-y)] + b\log(1-y)`, with its peak at
:math:`\alpha a/(a+b)`.

Everything is computed from D's logit s (:math:`D = \sigma(s)`, :math:`\log D` = ``log_expit(s)``), so that
a D within 1e-300 of 0 or 1 keeps its digits.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, special

from ganmath._validation import as_real_array, check_in_range
from ganmath.core.divergences import check_density
from ganmath.core.theory import criterion_terms, optimal_discriminator

__all__ = [
    "pointwise_objective",
    "numeric_pointwise_argmax",
    "smoothed_optimal_discriminator",
    "criterion_integrand",
]

# A logit of +-60 is a D within 1e-26 of 0 or 1: far enough for any argmax that is not exactly 0 or 1.
_LOGIT_BOUND = 60.0


def _alpha(alpha) -> float:
    return check_in_range("alpha", alpha, 0.0, 1.0, low_open=True)


def _weights(p_data_value, p_g_value):
    a = as_real_array(p_data_value, "p_data_value", finite=True)
    b = as_real_array(p_g_value, "p_g_value", finite=True)
    if np.any(a < 0) or np.any(b < 0):
        raise ValueError(f"density values must be >= 0, got p_data_value={p_data_value!r}, p_g_value={p_g_value!r}")
    a, b = np.broadcast_arrays(a, b)
    if np.any((a == 0) & (b == 0)):
        raise ValueError("p_data_value and p_g_value are both 0 at some point: D is not defined there")
    return a, b


def _times(weight, log_value):
    """``weight * log_value`` with 0 where the weight is 0 (0 log 0 = 0: an infinite logit where it has no weight)."""
    with np.errstate(invalid="ignore"):
        return np.where(weight == 0, 0.0, weight * log_value)


def pointwise_objective(logit, p_data_value, p_g_value, alpha=1.0):
    r"""The pointwise objective of D, :math:`a[\alpha\log D + (1-\alpha)\log(1-D)] + b\log(1-D)`, at :math:`D = \sigma(s)`.

    Parameters
    ----------
    logit : float or array_like
        D's logit s.
    p_data_value, p_g_value : float or array_like
        :math:`a = p_\mathrm{data}(x) \ge 0` and :math:`b = p_g(x) \ge 0`, not both 0; broadcast with ``logit``.
    alpha : float in (0, 1]
        The target for real samples; 1 is the paper's objective, < 1 one-sided label smoothing.

    Returns
    -------
    float or ndarray, the broadcast shape
    """
    s = as_real_array(logit, "logit")
    a, b = _weights(p_data_value, p_g_value)
    alpha = _alpha(alpha)
    log_d, log_not_d = special.log_expit(s), special.log_expit(-s)
    values = _times(a * alpha, log_d) + _times(a * (1.0 - alpha), log_not_d) + _times(b, log_not_d)
    return float(values) if np.ndim(values) == 0 else values


def numeric_pointwise_argmax(p_data_value, p_g_value, alpha=1.0):
    r"""The D in [0, 1] that maximizes :func:`pointwise_objective`, found by a derivative-free search.

    Brent's bounded search over the logit in :math:`[-60, 60]`, one point at a time, with the objective
    divided by :math:`a + b` (which does not move its peak). It knows nothing of the closed form
    :math:`\alpha a/(a+b)`, which is what it checks.

    Parameters
    ----------
    p_data_value, p_g_value : float or array_like
        Density values :math:`a, b \ge 0`, not both 0.
    alpha : float in (0, 1]

    Returns
    -------
    float or ndarray, the broadcast shape of the inputs
        D at the peak; within about 1e-8 of the true argmax (the peak is flat to second order).
    """
    a, b = _weights(p_data_value, p_g_value)
    alpha = _alpha(alpha)
    total = a + b
    found = np.empty(a.shape)
    for index in np.ndindex(a.shape):
        wa, wb = a[index] / total[index], b[index] / total[index]

        def negative(s, wa=wa, wb=wb):
            log_d, log_not_d = special.log_expit(s), special.log_expit(-s)
            return -(wa * (alpha * log_d + (1.0 - alpha) * log_not_d) + wb * log_not_d)

        result = optimize.minimize_scalar(
            negative, bounds=(-_LOGIT_BOUND, _LOGIT_BOUND), method="bounded", options={"xatol": 1e-12}
        )
        found[index] = special.expit(result.x)
    return float(found) if found.ndim == 0 else found


def smoothed_optimal_discriminator(p_data, p_g, x, alpha):
    r"""The optimal discriminator under one-sided label smoothing, :math:`\alpha\,p_\mathrm{data}/(p_\mathrm{data} + p_g)`.

    Real samples are labelled :math:`\alpha < 1`, generated ones 0 (Goodfellow 2016, Section 4.2; the
    derivation is :func:`ganmath.core.symbolic.optimal_discriminator`). Where only the data has mass it is
    :math:`\alpha`, not 1; where only the generator has mass it stays 0.

    Parameters
    ----------
    p_data, p_g : Density
    x : array_like
        Finite points.
    alpha : float in (0, 1]

    Returns
    -------
    ndarray, the shape of ``x``
        NaN where both densities are 0.
    """
    alpha = _alpha(alpha)
    return alpha * optimal_discriminator(p_data, p_g, x)


def criterion_integrand(p_data, p_g, x):
    r"""The integrand of :math:`C(G) = V(D^*, G)`: :math:`p_\mathrm{data}\log D^* + p_g\log(1 - D^*)`.

    Computed from the logit :math:`\ell = \log p_\mathrm{data} - \log p_g` as
    :math:`p_\mathrm{data}\log\sigma(\ell) + p_g\log\sigma(-\ell)`, with 0 where a density is 0.
    Never below :math:`-(p_\mathrm{data} + p_g)\log 2`, reached where the densities agree; never positive;
    0 where the supports do not overlap.

    Parameters
    ----------
    p_data, p_g : Density
    x : array_like
        Finite points.

    Returns
    -------
    ndarray, the shape of ``x``
        0 where both densities are 0.
    """
    check_density("p_data", p_data)
    check_density("p_g", p_g)
    x = as_real_array(x, "x", finite=True)
    return criterion_terms(p_data.logpdf(x), p_g.logpdf(x))
