r"""Why the Jensen-Shannon divergence stops guiding the generator: the JS of two separating densities and
the generator's gradient through a frozen optimal discriminator.

Two unit Gaussians :math:`p = \mathcal N(0, \sigma^2)`, :math:`q = \mathcal N(d, \sigma^2)`: the JS depends on
:math:`t = d/\sigma` only, and with :math:`\ell(x) = t x - t^2/2` (the log-ratio :math:`\log q/p` in units of
:math:`\sigma`) and :math:`x \sim \mathcal N(0, 1)`,

.. math::
    \log 2 - \mathrm{JS}(t) = \mathbb E\big[\mathrm{softplus}(\ell(x))\big], \qquad
    \frac{d\,\mathrm{JS}}{dt} = t\,\mathbb E\big[\sigma(\ell(x))^2\big]
    \quad\text{(Stein's lemma: } \mathbb E[x f(x)] = \mathbb E[f'(x)]\text{)}.

Both expectations are integrated by :func:`ganmath.core.quadrature.integrate` after multiplying the integrand by
:math:`e^{t^2/8}`, the size of the overlap, so they keep their relative accuracy at any separation
(:math:`\log 2 - \mathrm{JS} \sim \sqrt{2\pi}\,e^{-t^2/8}/t` for large t). Two uniforms of width w shifted by
a have :math:`\mathrm{JS} = \min(a/w, 1)\log 2`, exactly flat once the supports are disjoint.

:func:`generator_gradient` is the gradient that backpropagation hands the generator when D is frozen at
:math:`D^*` and the generator shifts its samples, :math:`G_\theta(z) = z + \theta`: minimax, non-saturating or
maximum-likelihood cost (Goodfellow et al. 2014, Section 3; Goodfellow 2016, Section 3.2.3; Arjovsky & Bottou 2017).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, special

from ganmath._validation import (
    as_real_array,
    check_finite_real,
    check_in_range,
    check_positive,
)
from ganmath.constants import LOG2, LOG_SQRT_2PI
from ganmath.core.costs import check_generator_loss, generator_cost_grad
from ganmath.core.densities import Density, Mixture, Normal, Uniform
from ganmath.core.divergences import check_density
from ganmath.core.quadrature import integrate, panel_edges

__all__ = [
    "gaussian_js",
    "gaussian_js_deficit",
    "gaussian_js_slope",
    "gaussian_distance_at_js",
    "shifted_uniforms_js",
    "shifted_uniforms_js_slope",
    "shifted",
    "generator_gradient",
]

# A unit-scale integrand is below 1e-290 beyond 36.5 of its scales from its centre (see densities.py).
_TAIL = 36.5
_LADDER = np.array([0.0, 0.25, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 18.0, 26.0, _TAIL])


def _distances(distance, name: str = "distance") -> np.ndarray:
    d = as_real_array(distance, name, finite=True)
    if np.any(d < 0):
        raise ValueError(f"{name} must be >= 0 (a distance between the means), got {name}={distance!r}")
    return d


def _sigma(sigma) -> float:
    return check_positive("sigma", sigma)


def _overlap_edges(t: float) -> np.ndarray:
    """Panel ends around the standard normal's centre and around x = t/2, where the two densities cross."""
    width = 1.0 / max(t, 1.0)
    around_zero = np.concatenate([-_LADDER[::-1], _LADDER])
    crossing = 0.5 * t + width * around_zero
    return np.unique(np.concatenate([around_zero, crossing, [0.5 * t - _TAIL, 0.5 * t + _TAIL]]))


def _log_softplus(v: np.ndarray) -> np.ndarray:
    """``log(log(1 + e^v))`` without underflow: for v < -30, ``log1p(e^v) = e^v (1 - e^v/2 + ...)``."""
    small = v < -30.0
    safe = np.where(small, 0.0, v)
    return np.where(small, v - 0.5 * np.exp(np.minimum(v, 0.0)), np.log(np.logaddexp(0.0, safe)))


def _scaled_expectation(t: float, log_f) -> float:
    r""":math:`e^{t^2/8}\,\mathbb E_{x\sim\mathcal N(0,1)}[f(\ell(x))]` with ``log_f`` the log of f."""
    shift = t * t / 8.0

    def integrand(x):
        log_phi = -0.5 * x * x - LOG_SQRT_2PI
        return np.exp(log_phi + shift + log_f(t * x - 0.5 * t * t))

    return integrate(integrand, _overlap_edges(t))


def _map(function, d: np.ndarray):
    values = np.array([function(float(v)) for v in d.ravel()]).reshape(d.shape)
    return float(values) if values.ndim == 0 else values


def gaussian_js_deficit(distance, sigma=1.0):
    r""":math:`\log 2 - \mathrm{JS}(\mathcal N(0,\sigma^2), \mathcal N(d,\sigma^2))`, to full relative precision.

    .. math:: \log 2 - \mathrm{JS} = \mathbb E_{x\sim\mathcal N(0,1)}\big[\mathrm{softplus}(t x - t^2/2)\big],
              \qquad t = d/\sigma.

    Parameters
    ----------
    distance : float or array_like
        :math:`d \ge 0`, the distance between the means.
    sigma : float
        The common standard deviation, > 0.

    Returns
    -------
    float or ndarray, the shape of ``distance``
        Positive for every finite distance (two Gaussians always overlap); ``log 2`` at ``d = 0``.
    """
    d, sigma = _distances(distance), _sigma(sigma)

    def deficit(value):
        t = value / sigma
        return math.exp(-t * t / 8.0) * _scaled_expectation(t, _log_softplus)

    return _map(deficit, d)


def gaussian_js(distance, sigma=1.0):
    r"""Jensen-Shannon divergence (nats) of :math:`\mathcal N(0,\sigma^2)` and :math:`\mathcal N(d,\sigma^2)`.

    Computed as ``log 2 - gaussian_js_deficit(distance, sigma)``; see :func:`gaussian_js_deficit`.
    Small d: :math:`\mathrm{JS} \approx t^2/8`; it stays below :math:`\log 2` for every finite d.

    Returns
    -------
    float or ndarray, the shape of ``distance``
    """
    return LOG2 - gaussian_js_deficit(distance, sigma)


def gaussian_js_slope(distance, sigma=1.0):
    r"""Derivative of :func:`gaussian_js` in the distance d.

    .. math:: \frac{d\,\mathrm{JS}}{d\,d} = \frac{t}{\sigma}\,\mathbb E_{x\sim\mathcal N(0,1)}
              \big[\sigma(t x - t^2/2)^2\big], \qquad t = d/\sigma,

    from differentiating :math:`-\mathbb E[\mathrm{softplus}(t x - t^2/2)]` under the expectation and Stein's
    lemma :math:`\mathbb E[x\,\sigma(\ell)] = t\,\mathbb E[\sigma(\ell)(1 - \sigma(\ell))]`.

    Returns
    -------
    float or ndarray, the shape of ``distance``
        0 at d = 0; largest (0.23366 / sigma) near d = 1.636 sigma; then it decays like
        :math:`\sqrt{2\pi}\,e^{-t^2/8}/(4\sigma)`.
    """
    d, sigma = _distances(distance), _sigma(sigma)

    def slope(value):
        t = value / sigma
        if t == 0.0:
            return 0.0
        second_moment = _scaled_expectation(t, lambda v: 2.0 * special.log_expit(v))
        return t / sigma * math.exp(-t * t / 8.0) * second_moment

    return _map(slope, d)


def gaussian_distance_at_js(js, sigma=1.0) -> float:
    r"""The distance d at which :func:`gaussian_js` equals ``js``: the inverse of the increasing map d -> JS.

    Solved on :math:`\log(\log 2 - \mathrm{JS})`, which falls smoothly with d, so that values of ``js``
    within 1e-12 of :math:`\log 2` are inverted as accurately as small ones.

    Parameters
    ----------
    js : float
        In ``[0, log 2)`` nats.
    sigma : float

    Returns
    -------
    float
    """
    js = check_in_range("js", js, 0.0, LOG2, high_open=True)
    sigma = _sigma(sigma)
    if js == 0.0:
        return 0.0
    target = math.log(LOG2 - js)

    def excess(t):
        return math.log(gaussian_js_deficit(t)) - target

    upper = 1.0
    while excess(upper) > 0:
        upper *= 2.0
    return sigma * optimize.brentq(excess, 0.0 if upper == 1.0 else upper / 2.0, upper, xtol=1e-14, rtol=1e-14)


def _shift_and_width(shift, width):
    w = check_positive("width", width)
    return _distances(shift, "shift"), w


def shifted_uniforms_js(shift, width=1.0):
    r"""JS of :math:`U[0, w]` and :math:`U[a, a + w]`: :math:`\min(a/w, 1)\log 2`.

    On :math:`[a, w]` the densities are equal and contribute nothing; on the rest only one is positive and
    contributes :math:`\tfrac12\log 2` per unit of its mass. For :math:`a \ge w` the supports are disjoint
    and the JS is exactly :math:`\log 2`, whatever the distance.

    Parameters
    ----------
    shift : float or array_like
        :math:`a \ge 0`.
    width : float
        :math:`w > 0`.

    Returns
    -------
    float or ndarray, the shape of ``shift``
    """
    a, w = _shift_and_width(shift, width)
    values = np.minimum(a / w, 1.0) * LOG2
    return float(values) if values.ndim == 0 else values


def shifted_uniforms_js_slope(shift, width=1.0):
    r"""Right derivative of :func:`shifted_uniforms_js` in the shift: :math:`\log 2 / w` for
    :math:`0 \le a < w`, exactly 0 for :math:`a \ge w` (disjoint supports: no gradient at all).

    Returns
    -------
    float or ndarray, the shape of ``shift``
    """
    a, w = _shift_and_width(shift, width)
    values = np.where(a < w, LOG2 / w, 0.0)
    return float(values) if values.ndim == 0 else values


def shifted(density: Density, by: float) -> Density:
    """The density of ``x + by`` for ``x ~ density``: the location family through ``density``.

    Parameters
    ----------
    density : Normal, Uniform or Mixture (of these)
    by : float

    Returns
    -------
    Density of the same kind.
    """
    check_density("density", density)
    by = check_finite_real("by", by)
    if isinstance(density, Normal):
        return Normal(density.mu + by, density.sigma)
    if isinstance(density, Uniform):
        return Uniform(density.low + by, density.high + by)
    if isinstance(density, Mixture):
        return Mixture([shifted(c, by) for c in density.components], density.weights)
    raise TypeError(f"density must be a Normal, Uniform or Mixture to be shifted, got density={density!r}")


def _check_score(name: str, density: Density) -> None:
    probe = np.array([density.integration_range[0]])
    try:
        density.dlogpdf(probe)
    except NotImplementedError:
        raise TypeError(
            f"{name} must have an exact score dlogpdf (Normal, Uniform, Mixture), got {name}={density!r}"
        ) from None


def generator_gradient(p_data, p_g, loss: str) -> float:
    r"""The generator's gradient through the frozen optimal discriminator, for a shift of its samples.

    The generator moves its samples, :math:`G_\theta(z) = G_{\theta_0}(z) + (\theta - \theta_0)`, so that
    :math:`p_{g_\theta}` is ``p_g`` shifted; D stays frozen at :math:`D^* = \sigma(a)`,
    :math:`a = \log p_\mathrm{data} - \log p_g`. Backpropagation through D* gives the pathwise gradient

    .. math:: \frac{\partial}{\partial\theta}\,\mathbb E_z\big[c\big(a(G_\theta(z))\big)\big]\Big|_{\theta_0}
              = \int p_g(x)\,c'(a(x))\,\big(s_\mathrm{data}(x) - s_g(x)\big)\,dx,
              \qquad s = \frac{d}{dx}\log p,

    with the cost c of ``loss`` and :math:`c'` from :func:`ganmath.core.costs.generator_cost_grad`:
    :math:`c'(a) = -D^*` (minimax), :math:`-(1 - D^*)` (non-saturating), :math:`-e^a` (maximum likelihood).
    Where D* is smooth this is the derivative of the expected cost; it equals
    :math:`2\,\partial_\theta\mathrm{JS}` (minimax, the envelope argument of Goodfellow et al. 2014),
    :math:`\partial_\theta[\mathrm{KL}(p_g\|p_\mathrm{data}) - 2\,\mathrm{JS}]` (non-saturating;
    Arjovsky & Bottou 2017, Theorem 2.5) and :math:`\partial_\theta\mathrm{KL}(p_\mathrm{data}\|p_g)`
    (maximum likelihood; Goodfellow 2016).

    Parameters
    ----------
    p_data, p_g : Density
        With an exact score ``dlogpdf`` (Normal, Uniform, Mixture).
    loss : {"minimax", "non-saturating", "maximum-likelihood"}

    Returns
    -------
    float
        A gradient descent step moves :math:`\theta` by minus this. Exactly 0 where D* is locally
        constant on the generator's support (disjoint uniforms).

    Raises
    ------
    ValueError
        For the non-saturating cost when ``p_g`` has mass where ``p_data`` is 0: :math:`-\log D^*` is
        infinite there.
    """
    check_density("p_data", p_data)
    check_density("p_g", p_g)
    check_generator_loss(loss)
    _check_score("p_data", p_data)
    _check_score("p_g", p_g)

    def integrand(x):
        log_data, log_g = p_data.logpdf(x), p_g.logpdf(x)
        sampled = log_g > -np.inf
        weight = np.zeros_like(x)
        if loss == "non-saturating" and np.any(sampled & (log_data == -np.inf)):
            raise ValueError(
                "the non-saturating cost -log D* is infinite where p_g > 0 and p_data = 0: "
                f"p_data={p_data!r}, p_g={p_g!r}"
            )
        if loss == "maximum-likelihood":
            # p_g * (-e^a) = -p_data, written without dividing by p_g.
            weight[sampled] = -np.exp(log_data[sampled])
        else:
            logit = log_data[sampled] - log_g[sampled]  # -inf where only p_g is positive: D* = 0
            weight[sampled] = np.exp(log_g[sampled]) * generator_cost_grad(logit, loss)
        moving = weight != 0
        values = np.zeros_like(x)
        values[moving] = weight[moving] * (p_data.dlogpdf(x[moving]) - p_g.dlogpdf(x[moving]))
        return values

    return integrate(integrand, panel_edges(p_data, p_g))
