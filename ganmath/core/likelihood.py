r"""Maximum likelihood as minimizing :math:`\mathrm{KL}(p_\mathrm{data}\,\|\,p_\mathrm{model})`.

The expected log-likelihood of a model splits into a term that does not depend on the model and minus the KL
divergence (Goodfellow 2016, Section 2.1; Arjovsky et al. 2017, Section 1):

.. math::
    \mathbb E_{x\sim p_\mathrm{data}}[\log p_\mathrm{model}(x)]
    = -H(p_\mathrm{data}) - \mathrm{KL}(p_\mathrm{data}\,\|\,p_\mathrm{model}),

so the parameters that maximize the likelihood of many samples are those that minimize the KL. For a normal
model the KL minimizer matches the first two moments of the data.

The two fits here are numerical on purpose (Nelder-Mead in :math:`(\mu, \log\sigma)`), so that the closed
forms (sample mean and standard deviation, the data's mean and standard deviation) check them.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize

from ganmath._validation import as_real_array
from ganmath.core.densities import Density, Normal, check_density
from ganmath.core.divergences import kl_divergence, weighted
from ganmath.core.quadrature import integrate, panel_edges

__all__ = [
    "entropy",
    "cross_entropy",
    "mean_log_likelihood",
    "normal_cross_entropy",
    "fit_normal_by_likelihood",
    "fit_normal_by_kl",
]

_FIT_OPTIONS = {"xatol": 1e-10, "fatol": 1e-15, "maxiter": 4000, "maxfev": 8000}
_KL_DIRECTIONS = ("forward", "reverse")


def entropy(p: Density) -> float:
    r"""Differential entropy :math:`H(p) = -\int p \log p\,dx` in nats (the 0 log 0 = 0 convention)."""
    check_density("p", p)
    return -integrate(lambda x: weighted(p.logpdf(x), p.logpdf(x)), panel_edges(p))


def cross_entropy(p: Density, q: Density) -> float:
    r"""Cross-entropy :math:`H(p, q) = -\int p \log q\,dx = -\mathbb E_p[\log q]` in nats.

    Returns
    -------
    float
        ``+inf`` when ``q`` is 0 somewhere ``p`` is positive.
    """
    check_density("p", p)
    check_density("q", q)

    def integrand(x):
        log_p, log_q = p.logpdf(x), q.logpdf(x)
        with np.errstate(invalid="ignore"):
            value = weighted(log_p, -log_q)
        return np.where((log_p > -np.inf) & (log_q == -np.inf), np.inf, value)

    return integrate(integrand, panel_edges(p, q))


def mean_log_likelihood(model: Density, samples) -> float:
    r"""The average log-likelihood :math:`\frac1n\sum_i \log p_\mathrm{model}(x_i)` of ``samples``.

    Parameters
    ----------
    model : Density
    samples : array_like, shape (n,)
        Finite, n >= 1.

    Returns
    -------
    float
        ``-inf`` when a sample lies where the model is 0.
    """
    check_density("model", model)
    x = _samples(samples)
    return float(np.mean(model.logpdf(x)))


def normal_cross_entropy(p: Density, mu, sigma):
    r"""Cross-entropy :math:`-\mathbb E_p[\log \mathcal N(x; \mu, \sigma^2)]` in closed form.

    .. math:: H(p, \mathcal N(\mu, \sigma^2)) = \tfrac12\log(2\pi\sigma^2)
              + \frac{\mathrm{Var}_p + (\mathbb E_p[x] - \mu)^2}{2\sigma^2},

    minimized at :math:`\mu = \mathbb E_p[x]`, :math:`\sigma^2 = \mathrm{Var}_p`.

    Parameters
    ----------
    p : Density
        With ``mean`` and ``std`` (Normal, Uniform, Mixture); otherwise they are integrated.
    mu, sigma : float or array_like
        Broadcast together; ``sigma > 0``.

    Returns
    -------
    float or ndarray, the broadcast shape of ``mu`` and ``sigma``
    """
    check_density("p", p)
    mu = as_real_array(mu, "mu", finite=True)
    sigma = as_real_array(sigma, "sigma", finite=True)
    if np.any(sigma <= 0):
        raise ValueError(f"sigma must be > 0, got sigma={sigma!r}")
    mean, variance = _moments(p)
    values = 0.5 * np.log(2.0 * np.pi * sigma**2) + (variance + (mean - mu) ** 2) / (2.0 * sigma**2)
    return float(values) if values.ndim == 0 else values


def _moments(p: Density) -> tuple[float, float]:
    if hasattr(p, "mean") and hasattr(p, "std"):
        return float(p.mean), float(p.std) ** 2
    edges = panel_edges(p)
    mean = integrate(lambda x: x * p.pdf(x), edges)
    return mean, integrate(lambda x: (x - mean) ** 2 * p.pdf(x), edges)


def _samples(samples) -> np.ndarray:
    x = as_real_array(samples, "samples", finite=True)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"samples must be a non-empty 1-D array, got shape {x.shape}")
    return x


def _normal(params) -> Normal:
    mu, log_sigma = params
    return Normal(mu, np.exp(log_sigma))


def _start(start, default: Normal) -> np.ndarray:
    if start is None:
        return np.array([default.mu, np.log(default.sigma)])
    if not isinstance(start, Normal):
        raise TypeError(f"start must be a ganmath Normal or None, got start={start!r}")
    return np.array([start.mu, np.log(start.sigma)])


def _minimize(objective, x0) -> Normal:
    result = optimize.minimize(objective, x0, method="Nelder-Mead", options=_FIT_OPTIONS)
    if not result.success:
        raise RuntimeError(f"the fit did not converge: {result.message}")
    return _normal(result.x)


def fit_normal_by_likelihood(samples, start: Normal | None = None) -> Normal:
    r"""The normal model that maximizes the log-likelihood of ``samples``, found numerically.

    Maximizes :math:`\frac1n\sum_i\log\mathcal N(x_i; \mu, \sigma^2)` over :math:`(\mu, \log\sigma)` by
    Nelder-Mead. The closed form, a check on it, is the sample mean and the standard deviation with
    divisor n.

    Parameters
    ----------
    samples : array_like, shape (n,)
        n >= 2, not all equal.
    start : Normal, optional
        Starting point; ``Normal(0, 1)`` by default.

    Returns
    -------
    Normal
    """
    x = _samples(samples)
    if x.size < 2 or np.all(x == x[0]):
        raise ValueError(f"samples must hold at least two distinct values, got samples={x!r}")
    return _minimize(lambda params: -mean_log_likelihood(_normal(params), x), _start(start, Normal(0.0, 1.0)))


def fit_normal_by_kl(p_data: Density, direction: str = "forward", start: Normal | None = None) -> Normal:
    r"""The normal model closest to ``p_data`` in KL, found numerically from :func:`ganmath.kl_divergence`.

    ``direction="forward"`` minimizes :math:`\mathrm{KL}(p_\mathrm{data}\,\|\,\mathcal N(\mu,\sigma^2))`, what
    maximum likelihood does: the fit covers all of the data (its mean and standard deviation are the
    data's). ``direction="reverse"`` minimizes :math:`\mathrm{KL}(\mathcal N(\mu,\sigma^2)\,\|\,p_\mathrm{data})`,
    which punishes model mass where the data has little: on multimodal data it settles on one mode, the one
    nearest ``start``.

    Parameters
    ----------
    p_data : Density
    direction : {"forward", "reverse"}
    start : Normal, optional
        Starting point; ``Normal(0, 1)`` by default.

    Returns
    -------
    Normal
    """
    check_density("p_data", p_data)
    if direction not in _KL_DIRECTIONS:
        raise ValueError(f"direction must be one of {_KL_DIRECTIONS}, got direction={direction!r}")
    if direction == "forward":
        return _minimize(lambda params: kl_divergence(p_data, _normal(params)), _start(start, Normal(0.0, 1.0)))
    return _minimize(lambda params: kl_divergence(_normal(params), p_data), _start(start, Normal(0.0, 1.0)))
