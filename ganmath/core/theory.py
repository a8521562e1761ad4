r"""The quantities of the 2014 GAN paper for 1-D densities: D*, V(D, G) and C(G).

Goodfellow et al. (2014), Eq. 1, Proposition 1 and Theorem 1:

.. math::
    V(D, G) = \mathbb E_{p_\mathrm{data}}[\log D(x)] + \mathbb E_{p_g}[\log(1 - D(x))], \qquad
    D^*_G(x) = \frac{p_\mathrm{data}(x)}{p_\mathrm{data}(x) + p_g(x)}, \qquad
    C(G) = \max_D V(D, G) = -\log 4 + 2\,\mathrm{JSD}(p_\mathrm{data}\,\|\,p_g).
"""

from __future__ import annotations

import numpy as np
from scipy import special

from ganmath._validation import as_real_array, check_bool
from ganmath.core.densities import log_density_ratio
from ganmath.core.divergences import check_density, weighted
from ganmath.core.quadrature import integrate, panel_edges

__all__ = ["optimal_discriminator", "optimal_discriminator_logit", "value_function", "virtual_criterion", "criterion_terms",
           "functional_gradient"]


def optimal_discriminator_logit(p_data, p_g, x):
    r"""The logit of the optimal discriminator, :math:`\log p_\mathrm{data}(x) - \log p_g(x)`.

    Parameters
    ----------
    p_data, p_g : Density
    x : array_like
        Finite points.

    Returns
    -------
    ndarray, the shape of ``x``
        ``+inf`` where only ``p_data`` is positive, ``-inf`` where only ``p_g`` is, NaN where both
        densities are zero (D* is undefined there: the paper defines it on the union of the supports).
        Exact however far out ``x`` is: for ``N(0, 1)`` against ``N(1, 1)`` it is ``0.5 - x`` at
        ``x = 1e200`` (see :func:`ganmath.core.densities.log_density_ratio`).
    """
    check_density("p_data", p_data)
    check_density("p_g", p_g)
    x = as_real_array(x, "x", finite=True)
    # Not log p_data(x) - log p_g(x): far out both are below the smallest float (-inf - -inf = NaN), and
    # before that their difference has lost its digits.
    return log_density_ratio(p_data, p_g, x)


def optimal_discriminator(p_data, p_g, x):
    r"""The optimal discriminator :math:`D^*(x) = p_\mathrm{data}(x) / (p_\mathrm{data}(x) + p_g(x))`.

    Computed as ``expit(log p_data - log p_g)`` so that it is exact far in the tails: a D* of
    ``1e-34`` comes back as ``1e-34``, not as 0 or NaN.

    Parameters
    ----------
    p_data, p_g : Density
    x : array_like
        Finite points.

    Returns
    -------
    ndarray, the shape of ``x``
        In ``[0, 1]``; NaN where both densities are zero, because D* is undefined there.
    """
    return special.expit(optimal_discriminator_logit(p_data, p_g, x))


def _discriminator_values(D, x, relevant, logit):
    """D(x) checked for shape, NaN and range on ``relevant`` points (where a density is positive)."""
    out = D(x)
    try:
        raw = np.asarray(out)
    except (TypeError, ValueError):
        raise TypeError(f"D must return an array of numbers, got {out!r}") from None
    if raw.dtype.kind == "c":
        raise TypeError(f"D must return real numbers, got complex values such as D(x)={raw.ravel()[0]!r}")
    try:
        values = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"D must return an array of numbers, got {out!r}") from None
    if values.shape != x.shape:
        raise ValueError(f"D must return an array of the shape of its input {x.shape}, got shape {values.shape}")
    # D need only be defined on the union of the supports (Goodfellow et al. 2014, Proposition 1).
    values = np.where(relevant, values, 0.0)
    if np.isnan(values).any():
        raise ValueError(f"D returned NaN at x={float(x[np.isnan(values)][0])!r}")
    if not logit and ((values < 0).any() or (values > 1).any()):
        bad = float(values[(values < 0) | (values > 1)][0])
        raise ValueError(f"D must return probabilities in [0, 1], got D(x)={bad!r}")
    return values


def value_function(D, p_data, p_g, *, logit: bool = False) -> float:
    r"""The GAN value function :math:`V(D, G) = \mathbb E_{p_\mathrm{data}}[\log D] + \mathbb E_{p_g}[\log(1 - D)]`.

    Parameters
    ----------
    D : callable
        The discriminator, ``D(x) -> array`` of the shape of ``x`` with values in ``[0, 1]``
        (or, with ``logit=True``, logits ``a`` in ``[-inf, inf]`` with ``D = expit(a)``). It is only
        read on the union of the supports: NaN elsewhere is allowed.
    p_data, p_g : Density
    logit : bool
        ``D`` returns logits. Then ``log D = log_expit(a)`` and ``log(1 - D) = log_expit(-a)``
        keep full precision where D is within 1e-16 of 0 or 1.

    Returns
    -------
    float
        Terms ``0 log 0`` count as 0; ``-inf`` when D is 0 where ``p_data > 0`` or 1 where ``p_g > 0``.

    Notes
    -----
    A probability is a lossy way to hand over a discriminator that saturates: ``expit(-800)`` is exactly 0
    and ``expit(40)`` exactly 1 in float64, and a D that is exactly 0 where ``p_data`` is positive (however
    small) has :math:`V = -\infty`. Give such discriminators, D* among them, as logits::

        value_function(lambda x: optimal_discriminator_logit(p_data, p_g, x), p_data, p_g, logit=True)

    which equals :func:`virtual_criterion` ``(p_data, p_g)``.
    """
    if not callable(D):
        raise TypeError(f"D must be callable (x -> probability), got D={D!r}")
    check_density("p_data", p_data)
    check_density("p_g", p_g)
    logit = check_bool("logit", logit)

    def integrand(x):
        log_data, log_g = p_data.logpdf(x), p_g.logpdf(x)
        d = _discriminator_values(D, x, (log_data > -np.inf) | (log_g > -np.inf), logit)
        if logit:
            log_d, log_not_d = special.log_expit(d), special.log_expit(-d)
            return weighted(log_data, log_d) + weighted(log_g, log_not_d)
        return special.xlogy(np.exp(log_data), d) + special.xlog1py(np.exp(log_g), -d)

    return integrate(integrand, panel_edges(p_data, p_g))


def virtual_criterion(p_data, p_g) -> float:
    r"""The virtual training criterion :math:`C(G) = \max_D V(D, G) = V(D^*_G, G)`.

    Integrated directly from the log-densities,

    .. math:: C(G) = \int p_\mathrm{data} \log \sigma(\ell) + p_g \log \sigma(-\ell)\,dx,
              \quad \ell = \log p_\mathrm{data} - \log p_g,

    so that it is an independent computation of what Theorem 1 states equals
    :math:`-\log 4 + 2\,\mathrm{JSD}`. Minimum ``-log 4`` exactly at ``p_g = p_data``; 0 for disjoint supports.
    """
    check_density("p_data", p_data)
    check_density("p_g", p_g)
    return integrate(lambda x: criterion_terms(p_data.logpdf(x), p_g.logpdf(x)), panel_edges(p_data, p_g))


def criterion_terms(log_data, log_g):
    r"""The integrand of C(G), :math:`p_\mathrm{data}\log\sigma(\ell) + p_g\log\sigma(-\ell)` with
    :math:`\ell = \log p_\mathrm{data} - \log p_g`, from the two log-densities; 0 where a density is 0."""
    with np.errstate(invalid="ignore"):
        logit = log_data - log_g
        return weighted(log_data, special.log_expit(logit)) + weighted(log_g, special.log_expit(-logit))


def functional_gradient(p_data, p_g, x) -> np.ndarray:
    r"""The functional derivative of C(G) in :math:`p_g`: :math:`\frac{\delta C}{\delta p_g}(x) = \log(1 - D^*(x))`.

    With :math:`C = \int p_\mathrm{data}\log\frac{p_\mathrm{data}}{p_\mathrm{data}+p_g} + p_g\log\frac{p_g}{p_\mathrm{data}+p_g}`,
    the derivative of the integrand in :math:`p_g` is :math:`\log\frac{p_g}{p_\mathrm{data}+p_g}`; the other terms
    cancel. From the logit of D* (:func:`ganmath.optimal_discriminator_logit`), as ``log_expit(-logit)``.

    Returns
    -------
    ndarray, the shape of ``x``
        :math:`\le 0`; ``-inf`` where only p_data is positive, 0 where only p_g is, NaN where neither.
    """
    return special.log_expit(-optimal_discriminator_logit(p_data, p_g, x))
