"""One-dimensional probability densities: Normal, Uniform, TruncatedNormal, Mixture and a wrapped callable.

Every density offers the same interface, which the integrators and the theory functions use. As in
:class:`scipy.stats.rv_continuous`, the base class :class:`Density` gives all of it with correct but slow
defaults (quadrature and bisection), so that a subclass need only define ``logpdf`` and ``support``;
Normal, Uniform and Mixture override the rest with closed forms.

``logpdf(x)``, ``pdf(x)``, ``cdf(x)``, ``sf(x)``
    Vectorized over ``x`` (any shape; the result has the shape of ``x``). ``sf = 1 - cdf``, computed
    without the cancellation where ``cdf`` is close to 1.
``ppf(q)``
    The quantile function (``central = p.ppf([0.025, 0.975])`` is the central 95% of ``p``).
``mean``, ``std``
    The first two moments.
``sample(n, rng)``
    ``n`` draws with an explicit :class:`numpy.random.Generator`.
``support``
    The closed interval ``(low, high)`` outside which the density is zero (ends may be infinite).
``integration_range``
    A finite interval outside which the density is below ``1e-290``, so that no integral the
    project computes can see the mass left out.
``breakpoints``
    Finite points where an integrand built from this density may have a kink, a jump or a narrow
    peak: support ends, component centres and a ladder of points at multiples of each component's
    scale. The integrator starts its panels there.

:func:`log_density_ratio` gives :math:`\\log p(x) - \\log q(x)` where the two log-densities separately
overflow (a normal's :math:`-z^2/2` is below the smallest float for :math:`|z| > 1.9 \\times 10^{154}`).
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
from scipy import special

from ganmath._validation import (
    as_real_array,
    check_finite_real,
    check_positive_int,
    check_rng,
)
from ganmath.constants import LOG_SQRT_2PI
from ganmath.core.quadrature import bisect, cumulative_integral, integrate, panel_edges

__all__ = ["Density", "check_density", "Normal", "Uniform", "TruncatedNormal", "Mixture", "CustomDensity",
           "log_density_ratio", "draw_raw"]

# exp(-0.5 * 36.5**2) = 1e-290: a Normal's density is negligible beyond 36.5 standard deviations.
_NORMAL_TAIL = 36.5
# Panel ends, in units of a component's scale, on each side of its centre.
_SCALE_LADDER = np.array([0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 18.0, 26.0, _NORMAL_TAIL])
# A mixture evaluates its normal components as one (components, points) array, this many entries at a time.
_BLOCK_ENTRIES = 1 << 20


def draw_raw(out, rngs, method: str):
    """Row r of ``out`` (shape ``(R, n)``, float64) filled by ``rngs[r].<method>(out=row)``: the raw draws
    (``"standard_normal"``, ``"random"``) a density transforms, one generator per row.

    A generator's draws come one after another from its stream, so one call for ``n1 + n2`` numbers gives
    the numbers of a call for ``n1`` followed by a call for ``n2``.
    """
    _check_rngs(out, rngs)
    for row, rng in zip(out, rngs):
        getattr(rng, method)(out=row)


def _check_rngs(out, rngs):
    if len(rngs) != len(out):
        raise ValueError(f"rngs must hold one generator per row of out ({len(out)}), got {len(rngs)}")
    for index, rng in enumerate(rngs):
        if not isinstance(rng, np.random.Generator):  # the name is formatted only for the error
            check_rng(rng, name=f"rngs[{index}]")


class Density:
    """Base class of the 1-D densities.

    A subclass must define ``logpdf`` and ``support`` (and ``integration_range`` when the support is
    infinite). Everything else has a default computed from those, correct but slow: ``cdf`` by adaptive
    quadrature of ``pdf``, ``sf = 1 - cdf``, ``ppf`` by bisection on ``cdf``, ``mean`` and ``std`` by
    quadrature, ``sample`` by inverting the CDF. Subclasses override them where a closed form is known.
    """

    def logpdf(self, x):
        """Log-density at ``x`` (``-inf`` outside the support)."""
        raise NotImplementedError(f"{type(self).__name__} must define logpdf")

    def pdf(self, x):
        """Density at ``x``: ``exp(logpdf(x))``."""
        return np.exp(self.logpdf(x))

    def cdf(self, x):
        r"""Cumulative distribution function :math:`F(x) = \int_{-\infty}^x p`, by adaptive quadrature of ``pdf``.

        Parameters
        ----------
        x : array_like
            Real points (``+-inf`` allowed).

        Returns
        -------
        ndarray, the shape of ``x``, in ``[0, 1]``
        """
        x = as_real_array(x)
        return np.clip(cumulative_integral(self.pdf, self._quadrature_edges(), x), 0.0, 1.0)

    def sf(self, x):
        """Survival function ``1 - cdf(x)``; subclasses compute it without the cancellation near ``cdf = 1``."""
        return 1.0 - self.cdf(x)

    def dlogpdf(self, x):
        """Derivative of ``logpdf`` in ``x`` (the score), where the density is positive and smooth."""
        raise NotImplementedError(f"{type(self).__name__} does not define dlogpdf")

    def sample(self, n, rng):
        """Draw ``n`` samples, shape ``(n,)``, using the generator ``rng``: ``ppf`` of uniform draws."""
        n = check_positive_int("n", n, allow_zero=True)
        return self.ppf(check_rng(rng).uniform(size=n))

    def sample_into(self, out, rng):
        """Fill the 1-D float64 array ``out`` with ``len(out)`` samples: the numbers of
        ``sample(len(out), rng)``, written in place (a training loop draws into the same buffer each step)."""
        if self.raw_draws is not None:
            getattr(check_rng(rng), self.raw_draws)(out=out)
            self.from_raw(out)
            return
        out[...] = self.sample(out.shape[0], rng)

    #: The ``numpy.random.Generator`` method (``"standard_normal"`` or ``"random"``) whose draws this density
    #: transforms elementwise, one draw per sample, by :meth:`from_raw`; None when a sample is made otherwise.
    raw_draws: str | None = None

    def from_raw(self, out):
        """Turn raw draws of :attr:`raw_draws` into samples, in place (``out`` of any shape, float64)."""
        raise NotImplementedError(f"{type(self).__name__} does not sample by transforming raw draws")

    def sample_runs(self, out, rngs):
        """Fill each row of ``out`` (shape ``(R, n)``, float64) from its own generator: row r holds the
        numbers of ``sample(n, rngs[r])``. A population of R runs draws its minibatches this way; densities
        that transform raw draws elementwise do the transform once for all rows."""
        if self.raw_draws is not None:
            draw_raw(out, rngs, self.raw_draws)
            self.from_raw(out)
            return
        _check_rngs(out, rngs)
        for row, rng in zip(out, rngs):
            self.sample_into(row, rng)

    def ppf(self, q):
        """Quantile function, the inverse of ``cdf``: bisection on the exact CDF to machine precision.

        Parameters
        ----------
        q : array_like
            Probabilities in ``[0, 1]``.

        Returns
        -------
        ndarray, the shape of ``q``
            ``ppf(0)`` and ``ppf(1)`` are the ends of the support.
        """
        q = _as_probabilities(q)
        low = np.full(q.shape, self.integration_range[0])
        high = np.full(q.shape, self.integration_range[1])
        low, high = bisect(lambda mid: self.cdf(mid) < q, low, high)
        # q = 0 and 1 are the ends of the support (scipy's convention), not wherever the CDF first rounds to 0 or 1.
        return np.where(q == 0, self.support[0], np.where(q == 1, self.support[1], 0.5 * (low + high)))

    @property
    def mean(self) -> float:
        r""":math:`\mathbb E[x] = \int x\,p(x)\,dx`, by quadrature."""
        return self._moments()[0]

    @property
    def std(self) -> float:
        r"""Standard deviation :math:`\sqrt{\int (x - \mathbb E x)^2 p(x)\,dx}`, by quadrature."""
        return self._moments()[1]

    def _moments(self) -> tuple[float, float]:
        edges = self._quadrature_edges()
        # Tolerances in the units of the integrals, so that a density on [1e6, 1e6 + 1] or of width 1e-9
        # costs what one on [0, 1] does.
        reach = float(np.max(np.abs(edges)))
        width = float(edges[-1] - edges[0])
        mean = integrate(lambda x: x * self.pdf(x), edges, atol=1e-15 * reach)
        variance = integrate(lambda x: (x - mean) ** 2 * self.pdf(x), edges, atol=1e-15 * width**2)
        return float(mean), math.sqrt(max(variance, 0.0))

    def _quadrature_edges(self) -> np.ndarray:
        low, high = self.integration_range
        if not (np.isfinite(low) and np.isfinite(high)):
            raise NotImplementedError(
                f"{type(self).__name__} has an infinite integration_range {(low, high)}: define integration_range "
                "(or cdf, mean and std) to integrate it"
            )
        return panel_edges(self)

    @property
    def support(self) -> tuple[float, float]:
        raise NotImplementedError(f"{type(self).__name__} must define support")

    @property
    def integration_range(self) -> tuple[float, float]:
        return self.support

    @property
    def breakpoints(self) -> np.ndarray:
        low, high = self.support
        return np.array([v for v in (low, high) if np.isfinite(v)])

    def __eq__(self, other):
        return type(self) is type(other) and self._key() == other._key()

    def __hash__(self):
        return hash((type(self).__name__, self._key()))

    def _key(self):
        return id(self)


def _as_probabilities(q) -> np.ndarray:
    q = as_real_array(q, "q")
    if np.any((q < 0) | (q > 1)):
        raise ValueError(f"q must lie in [0, 1], got q={q!r}")
    return q


def _scale_ladder(centre: float, scale: float) -> np.ndarray:
    return np.concatenate([centre - scale * _SCALE_LADDER[::-1], [centre], centre + scale * _SCALE_LADDER])


def _logsumexp_rows(logs: np.ndarray) -> np.ndarray:
    """``log(sum(exp(logs), axis=0))`` for a (terms, ...) array of log-densities, overwriting ``logs``.

    Shifted by the largest term of each column so that nothing underflows; ``-inf`` where every term is
    ``-inf``, ``+inf`` where one is ``+inf``. In place, because for a mixture of 50 normals on the
    integrator's 10^5 points the passes over this array are the cost of every divergence.
    """
    top = logs.max(axis=0)
    shift = np.where(np.isfinite(top), top, 0.0)
    logs -= shift
    np.exp(logs, out=logs)
    with np.errstate(divide="ignore"):
        total = np.log(logs.sum(axis=0))
    total += shift
    return total


def check_density(name: str, value) -> Density:
    """``value`` if it is a ganmath :class:`Density` (Normal, Uniform, Mixture, ...), else TypeError naming ``name``."""
    if not isinstance(value, Density):
        raise TypeError(f"{name} must be a ganmath density (Normal, Uniform, Mixture, CustomDensity, ...), "
                        f"got {name}={value!r}")
    return value


class Normal(Density):
    r"""The normal density :math:`\mathcal N(\mu, \sigma^2)`.

    Parameters
    ----------
    mu : float
        Mean.
    sigma : float
        Standard deviation, > 0, with :math:`\mu \pm 36.5\sigma` (the integration range) finite floats.
    """

    def __init__(self, mu: float = 0.0, sigma: float = 1.0):
        self.mu = check_finite_real("mu", mu)
        self.sigma = check_finite_real("sigma", sigma)
        if self.sigma <= 0:
            raise ValueError(f"sigma must be > 0, got sigma={sigma!r}")
        reach = _NORMAL_TAIL * self.sigma
        if not (np.isfinite(self.mu - reach) and np.isfinite(self.mu + reach)):
            raise ValueError(
                f"mu +- {_NORMAL_TAIL:g} sigma (the integration range) must be finite floats, "
                f"got mu={self.mu!r}, sigma={self.sigma!r}"
            )

    def __repr__(self):
        return f"Normal(mu={self.mu:g}, sigma={self.sigma:g})"

    def _key(self):
        return (self.mu, self.sigma)

    @property
    def mean(self) -> float:
        return self.mu

    @property
    def std(self) -> float:
        return self.sigma

    def logpdf(self, x):
        z = (as_real_array(x) - self.mu) / self.sigma
        # Beyond |z| = 1.9e154 the log-density is below the smallest float: -inf, without a warning.
        # log_density_ratio compares two normals there.
        with np.errstate(over="ignore"):
            return -0.5 * z * z - np.log(self.sigma) - LOG_SQRT_2PI

    def cdf(self, x):
        return special.ndtr((as_real_array(x) - self.mu) / self.sigma)

    def sf(self, x):
        return special.ndtr((self.mu - as_real_array(x)) / self.sigma)

    def dlogpdf(self, x):
        return -(as_real_array(x) - self.mu) / self.sigma**2

    def sample(self, n, rng):
        n = check_positive_int("n", n, allow_zero=True)
        return check_rng(rng).normal(self.mu, self.sigma, size=n)

    raw_draws = "standard_normal"

    def from_raw(self, out):
        # numpy's normal(mu, sigma) is mu + sigma * z for its standard normal z: the same numbers
        # (tests/core/test_densities.py checks it bit for bit).
        out *= self.sigma
        out += self.mu

    def ppf(self, q):
        q = _as_probabilities(q)
        return self.mu + self.sigma * special.ndtri(q)

    @property
    def support(self):
        return (-np.inf, np.inf)

    @property
    def integration_range(self):
        return (self.mu - _NORMAL_TAIL * self.sigma, self.mu + _NORMAL_TAIL * self.sigma)

    @property
    def breakpoints(self):
        return _scale_ladder(self.mu, self.sigma)


class Uniform(Density):
    """The uniform density on the closed interval ``[low, high]``.

    Parameters
    ----------
    low, high : float
        Interval ends, finite, ``low < high``, with a width ``high - low`` that is a finite float.
    """

    def __init__(self, low: float = 0.0, high: float = 1.0):
        self.low = check_finite_real("low", low)
        self.high = check_finite_real("high", high)
        if not self.low < self.high:
            raise ValueError(f"low must be < high, got low={low!r}, high={high!r}")
        # The density is 1 / (high - low): an infinite width would make it 0 everywhere.
        if not np.isfinite(self.high - self.low):
            raise ValueError(
                f"the width high - low must be a finite float (the density is its inverse), got low={low!r}, "
                f"high={high!r}"
            )

    def __repr__(self):
        return f"Uniform(low={self.low:g}, high={self.high:g})"

    def _key(self):
        return (self.low, self.high)

    @property
    def mean(self) -> float:
        return 0.5 * (self.low + self.high)

    @property
    def std(self) -> float:
        return (self.high - self.low) / np.sqrt(12.0)

    def logpdf(self, x):
        x = as_real_array(x)
        inside = (x >= self.low) & (x <= self.high)
        return np.where(inside, -np.log(self.high - self.low), -np.inf)

    def cdf(self, x):
        return np.clip((as_real_array(x) - self.low) / (self.high - self.low), 0.0, 1.0)

    def sf(self, x):
        return np.clip((self.high - as_real_array(x)) / (self.high - self.low), 0.0, 1.0)

    def dlogpdf(self, x):
        """0 inside the interval (the density is flat), NaN outside, where log p is -inf."""
        x = as_real_array(x)
        return np.where((x >= self.low) & (x <= self.high), 0.0, np.nan)

    def sample(self, n, rng):
        n = check_positive_int("n", n, allow_zero=True)
        return check_rng(rng).uniform(self.low, self.high, size=n)

    raw_draws = "random"

    def from_raw(self, out):
        # numpy's uniform(low, high) is low + (high - low) * u for its u in [0, 1): the same numbers.
        out *= self.high - self.low
        out += self.low

    def ppf(self, q):
        q = _as_probabilities(q)
        return self.low + q * (self.high - self.low)

    @property
    def support(self):
        return (self.low, self.high)


class TruncatedNormal(Density):
    r"""The normal density :math:`\mathcal N(\mu, \sigma^2)` restricted to ``[low, high]`` and renormalized.

    A bell with compact support: the law of :math:`\mu + \sigma\,\Phi^{-1}(u)` for :math:`u` uniform on
    :math:`[\Phi(\alpha), \Phi(\beta)]`, :math:`\alpha = (\mathrm{low} - \mu)/\sigma`,
    :math:`\beta = (\mathrm{high} - \mu)/\sigma`, so a smooth increasing map of bounded uniform noise
    reaches it, where the tails of an untruncated normal are out of reach.

    .. math:: p(x) = \frac{\varphi((x - \mu)/\sigma)}{\sigma\,(\Phi(\beta) - \Phi(\alpha))}, \qquad
              \mathrm{low} \le x \le \mathrm{high}

    Parameters
    ----------
    mu, sigma : float
        The untruncated normal's mean and standard deviation (sigma > 0).
    low, high : float
        Finite ends, ``low < high``, holding a normal mass that float64 can represent.
    """

    def __init__(self, mu: float = 0.0, sigma: float = 1.0, low: float = -2.0, high: float = 2.0):
        self.mu = check_finite_real("mu", mu)
        self.sigma = check_finite_real("sigma", sigma)
        if self.sigma <= 0:
            raise ValueError(f"sigma must be > 0, got sigma={sigma!r}")
        self.low = check_finite_real("low", low)
        self.high = check_finite_real("high", high)
        if not self.low < self.high:
            raise ValueError(f"low must be < high, got low={low!r}, high={high!r}")
        self._alpha, self._beta = (self.low - self.mu) / self.sigma, (self.high - self.mu) / self.sigma
        # On the upper side the survival function keeps the digits the cdf loses to 1 - tiny.
        self._upper = self._alpha > 0
        if self._upper:
            self._mass = special.ndtr(-self._alpha) - special.ndtr(-self._beta)
        else:
            self._mass = special.ndtr(self._beta) - special.ndtr(self._alpha)
        if not self._mass > 0:
            raise ValueError(f"[low, high] holds no normal mass in float64, got mu={mu!r}, sigma={sigma!r}, "
                             f"low={low!r}, high={high!r}")

    def __repr__(self):
        return f"TruncatedNormal(mu={self.mu:g}, sigma={self.sigma:g}, low={self.low:g}, high={self.high:g})"

    def _key(self):
        return (self.mu, self.sigma, self.low, self.high)

    @property
    def mean(self) -> float:
        a, b = self._alpha, self._beta
        return self.mu + self.sigma * float(np.exp(-0.5 * a * a) - np.exp(-0.5 * b * b)) / (
            np.sqrt(2 * np.pi) * self._mass)

    @property
    def std(self) -> float:
        a, b = self._alpha, self._beta
        phi_a, phi_b = np.exp(-0.5 * a * a) / np.sqrt(2 * np.pi), np.exp(-0.5 * b * b) / np.sqrt(2 * np.pi)
        shift = (phi_a - phi_b) / self._mass
        return self.sigma * float(np.sqrt(1.0 + (a * phi_a - b * phi_b) / self._mass - shift * shift))

    def logpdf(self, x):
        x = as_real_array(x)
        z = (x - self.mu) / self.sigma
        with np.errstate(over="ignore"):
            inside = -0.5 * z * z - np.log(self.sigma) - LOG_SQRT_2PI - np.log(self._mass)
        return np.where((x >= self.low) & (x <= self.high), inside, -np.inf)

    def cdf(self, x):
        z = (np.clip(as_real_array(x), self.low, self.high) - self.mu) / self.sigma
        if self._upper:
            return np.clip((special.ndtr(-self._alpha) - special.ndtr(-z)) / self._mass, 0.0, 1.0)
        return np.clip((special.ndtr(z) - special.ndtr(self._alpha)) / self._mass, 0.0, 1.0)

    def sf(self, x):
        z = (np.clip(as_real_array(x), self.low, self.high) - self.mu) / self.sigma
        if self._upper:
            return np.clip((special.ndtr(-z) - special.ndtr(-self._beta)) / self._mass, 0.0, 1.0)
        return np.clip((special.ndtr(self._beta) - special.ndtr(z)) / self._mass, 0.0, 1.0)

    def dlogpdf(self, x):
        """The normal's score inside ``[low, high]``, NaN outside, where log p is -inf."""
        x = as_real_array(x)
        return np.where((x >= self.low) & (x <= self.high), -(x - self.mu) / self.sigma**2, np.nan)

    def ppf(self, q):
        q = _as_probabilities(q)
        if self._upper:  # from the far end, where the tail probabilities are tiny but exact
            z = -special.ndtri(special.ndtr(-self._beta) + (1.0 - q) * self._mass)
        else:
            z = special.ndtri(special.ndtr(self._alpha) + q * self._mass)
        return np.clip(self.mu + self.sigma * z, self.low, self.high)

    def sample(self, n, rng):
        n = check_positive_int("n", n, allow_zero=True)
        return self.ppf(check_rng(rng).random(n))

    raw_draws = "random"

    def from_raw(self, out):
        out[...] = self.ppf(out)

    @property
    def support(self):
        return (self.low, self.high)

    @property
    def breakpoints(self):
        ladder = _scale_ladder(self.mu, self.sigma)
        return np.unique(np.concatenate([[self.low, self.high], ladder[(ladder > self.low) & (ladder < self.high)]]))


class Mixture(Density):
    r"""A finite mixture :math:`\sum_k w_k p_k(x)` of densities.

    Parameters
    ----------
    components : sequence of Density
        The component densities, at least one.
    weights : array_like, shape (n_components,), optional
        Non-negative real weights summing to 1 (to within 1e-9, then renormalized exactly).
        Equal weights by default.

    Notes
    -----
    The normal components are evaluated together, as one (components, points) array, so that a mixture
    of 50 normals costs a few numpy calls per evaluation rather than 50.
    """

    def __init__(self, components, weights=None):
        if isinstance(components, Density):
            components = [components]
        try:
            components = list(components)
        except TypeError:
            raise TypeError(
                f"components must be a sequence of ganmath densities, got components={components!r}"
            ) from None
        if not components:
            raise ValueError("components must hold at least one density, got an empty sequence")
        for i, c in enumerate(components):
            if not isinstance(c, Density):
                raise TypeError(f"components[{i}] must be a ganmath Density, got {c!r}")
        if weights is None:
            weights = np.full(len(components), 1.0 / len(components))
        w = as_real_array(weights, "weights")
        if w.shape != (len(components),):
            raise ValueError(
                f"weights must have shape ({len(components)},) to match components, got weights={weights!r}"
            )
        if not np.all(np.isfinite(w)):
            raise ValueError(f"weights must be finite, got weights={weights!r}")
        if np.any(w < 0):
            raise ValueError(f"weights must be non-negative, got weights={weights!r}")
        if abs(w.sum() - 1.0) > 1e-9:
            raise ValueError(f"weights must sum to 1, got weights={weights!r} (sum {w.sum()!r})")
        keep = w > 0
        self.components = [c for c, k in zip(components, keep) if k]
        self.weights = w[keep] / w[keep].sum()
        self._log_weights = np.log(self.weights)
        normal = np.array([type(c) is Normal for c in self.components])
        self._normal_mu = np.array([c.mu for c, n in zip(self.components, normal) if n])[:, None]
        self._normal_sigma = np.array([c.sigma for c, n in zip(self.components, normal) if n])[:, None]
        self._normal_weights = self.weights[normal]
        # log(w_k N(x; mu_k, sigma_k)) = offset_k + curvature_k (x - mu_k)^2: four passes per term.
        self._normal_curvature = -0.5 / self._normal_sigma**2
        self._normal_offset = self._log_weights[normal][:, None] - np.log(self._normal_sigma) - LOG_SQRT_2PI
        self._others = [(w, lw, c) for w, lw, c, n in zip(self.weights, self._log_weights, self.components, normal)
                        if not n]

    def __repr__(self):
        parts = ", ".join(f"{w:.3g}*{c!r}" for w, c in zip(self.weights, self.components))
        return f"Mixture({parts})"

    def _key(self):
        return (tuple(self.components), tuple(self.weights))

    @property
    def mean(self) -> float:
        return float(sum(w * c.mean for w, c in zip(self.weights, self.components)))

    @property
    def std(self) -> float:
        # The law of total variance, sum w_k (sigma_k^2 + (mu_k - mu)^2): no cancellation of E[x^2] - mu^2.
        mean = self.mean
        variance = sum(w * (c.std**2 + (c.mean - mean) ** 2) for w, c in zip(self.weights, self.components))
        return float(np.sqrt(variance))

    def _blocks(self, x: np.ndarray):
        """Slices of the flattened ``x`` small enough for a (normal components, points) array."""
        size = max(1, _BLOCK_ENTRIES // max(1, self._normal_mu.shape[0]))
        return [slice(start, start + size) for start in range(0, x.size, size)] or [slice(0, 0)]

    def _log_terms(self, x: np.ndarray) -> np.ndarray:
        """``log w_k + log p_k(x)`` for every component, shape (n_components, x.size), normals first."""
        terms = np.empty((len(self.components), x.size))
        normals = terms[: self._normal_mu.shape[0]]
        np.subtract(x, self._normal_mu, out=normals)
        with np.errstate(over="ignore"):
            np.square(normals, out=normals)
        normals *= self._normal_curvature
        normals += self._normal_offset
        for row, (_, lw, c) in enumerate(self._others, start=normals.shape[0]):
            terms[row] = lw + c.logpdf(x)
        return terms

    def logpdf(self, x):
        x = as_real_array(x)
        flat = x.ravel()
        out = np.empty(flat.shape)
        for block in self._blocks(flat):
            out[block] = _logsumexp_rows(self._log_terms(flat[block]))
        return out.reshape(x.shape)

    def _weighted_sum(self, x, normal_part: Callable, name: str):
        """``sum_k w_k F_k(x)`` with ``F`` the components' ``cdf`` or ``sf`` (``normal_part`` of z for normals)."""
        x = as_real_array(x)
        flat = x.ravel()
        out = np.zeros(flat.shape)
        for block in self._blocks(flat):
            part = flat[block]
            if self._normal_mu.size:
                # einsum rather than a BLAS matrix-vector product, which measured several times slower here.
                z = (part - self._normal_mu) / self._normal_sigma
                out[block] = np.einsum("k,kn->n", self._normal_weights, normal_part(z))
            for w, _, c in self._others:
                out[block] += w * getattr(c, name)(part)
        return out.reshape(x.shape)

    def cdf(self, x):
        return self._weighted_sum(x, special.ndtr, "cdf")

    def sf(self, x):
        return self._weighted_sum(x, lambda z: special.ndtr(-z), "sf")

    def dlogpdf(self, x):
        """The components' scores weighted by their responsibilities ``w_k p_k(x) / p(x)``."""
        x = as_real_array(x)
        logs = np.stack([lw + c.logpdf(x) for lw, c in zip(self._log_weights, self.components)])
        responsibilities = np.exp(logs - special.logsumexp(logs, axis=0))
        scores = np.stack([np.where(r > 0, c.dlogpdf(x), 0.0) for r, c in zip(responsibilities, self.components)])
        return np.sum(responsibilities * scores, axis=0)

    def sample(self, n, rng):
        n = check_positive_int("n", n, allow_zero=True)
        rng = check_rng(rng)
        which = rng.choice(len(self.components), size=n, p=self.weights)
        out = np.empty(n)
        for k, component in enumerate(self.components):
            chosen = which == k
            out[chosen] = component.sample(int(chosen.sum()), rng)
        return out

    @property
    def support(self):
        lows, highs = zip(*(c.support for c in self.components))
        return (min(lows), max(highs))

    @property
    def integration_range(self):
        lows, highs = zip(*(c.integration_range for c in self.components))
        return (min(lows), max(highs))

    @property
    def breakpoints(self):
        return np.unique(np.concatenate([c.breakpoints for c in self.components]))


class CustomDensity(Density):
    """Wrap any 1-D density given as a callable, with its support.

    Parameters
    ----------
    pdf : callable
        ``pdf(x) -> array`` of the shape of ``x``, non-negative, integrating to 1 over ``support``.
        It is only called at points of the support: outside, the density is 0 (so ``-4 x log x`` on
        ``(0, 1)`` is fine although it is NaN at negative ``x``).
    support : tuple of float
        ``(low, high)``, finite, ``low < high``. The density must be zero outside.
    logpdf, cdf : callable, optional
        Exact log-density and CDF when known, called on the support only. Otherwise ``logpdf`` is
        ``log(pdf)`` and ``cdf`` is computed by adaptive quadrature of ``pdf``.
    breakpoints : array_like, optional
        Interior points where ``pdf`` has a kink, a jump or a narrow peak; the integrators split there.
    check_normalized : bool
        Integrate ``pdf`` once and raise ``ValueError`` if the total differs from 1 by more than 1e-6.

    Notes
    -----
    Sampling inverts the CDF (:meth:`Density.ppf`, bisection on the exact CDF to machine precision);
    ``mean`` and ``std`` are integrated once and kept.
    """

    def __init__(self, pdf: Callable, support, *, logpdf=None, cdf=None, breakpoints=(), check_normalized=True):
        if not callable(pdf):
            raise TypeError(f"pdf must be callable, got pdf={pdf!r}")
        for name, f in (("logpdf", logpdf), ("cdf", cdf)):
            if f is not None and not callable(f):
                raise TypeError(f"{name} must be callable or None, got {name}={f!r}")
        try:
            low, high = support
        except (TypeError, ValueError):
            raise TypeError(f"support must be a pair (low, high), got support={support!r}") from None
        low = check_finite_real("support[0]", low)
        high = check_finite_real("support[1]", high)
        if not low < high:
            raise ValueError(f"support must have low < high, got support={support!r}")
        self._pdf, self._logpdf, self._cdf = pdf, logpdf, cdf
        self._support = (low, high)
        points = as_real_array(breakpoints, "breakpoints").ravel()
        if not np.all(np.isfinite(points)):
            raise ValueError(f"breakpoints must be finite, got breakpoints={breakpoints!r}")
        self._breakpoints = np.unique(np.concatenate([[low, high], points[(points > low) & (points < high)]]))
        self._moment_cache = None
        if check_normalized:
            total = integrate(self.pdf, self._breakpoints)
            if not abs(total - 1.0) <= 1e-6:
                raise ValueError(f"pdf must integrate to 1 over support={support!r}, it integrates to {total:.12g}")

    def __repr__(self):
        name = getattr(self._pdf, "__name__", type(self._pdf).__name__)
        return f"CustomDensity({name}, support={self._support})"

    def _on_support(self, name: str, f: Callable, x: np.ndarray, outside: float):
        """``f`` at the points of ``x`` in the support, ``outside`` elsewhere (where ``f`` is not called)."""
        low, high = self._support
        inside = (x >= low) & (x <= high)
        out = np.full(x.shape, outside)
        if not inside.any():
            return out, inside
        points = x[inside]
        values = np.asarray(f(points))
        if values.dtype.kind not in "fiu":
            raise TypeError(f"{name} must return real numbers, got an array of dtype {values.dtype} at x={points[0]!r}")
        if values.shape != points.shape:
            raise ValueError(f"{name} must return an array of the shape of x {points.shape}, got shape {values.shape}")
        out[inside] = values
        return out, inside

    def pdf(self, x):
        x = as_real_array(x)
        values, inside = self._on_support("pdf", self._pdf, x, 0.0)
        bad = inside & ((values < 0) | np.isnan(values))
        if bad.any():
            where = x[bad][0]
            raise ValueError(
                f"pdf returned negative or NaN values on its support, e.g. pdf({where!r}) = {values[bad][0]!r}"
            )
        return values

    def logpdf(self, x):
        x = as_real_array(x)
        if self._logpdf is None:
            with np.errstate(divide="ignore"):
                return np.log(self.pdf(x))
        return self._on_support("logpdf", self._logpdf, x, -np.inf)[0]

    def cdf(self, x):
        x = as_real_array(x)
        if self._cdf is None:
            return super().cdf(x)
        # 0 below the support and 1 above it, without calling the given cdf there.
        values, _ = self._on_support("cdf", self._cdf, x, 0.0)
        return np.clip(np.where(x > self._support[1], 1.0, values), 0.0, 1.0)

    def _moments(self):
        # The callable never changes: integrate the moments once.
        if self._moment_cache is None:
            self._moment_cache = super()._moments()
        return self._moment_cache

    @property
    def support(self):
        return self._support

    @property
    def breakpoints(self):
        return self._breakpoints


# --- the log-ratio of two densities ---------------------------------------------------------------


def _terms(density: Density, log_weight: float = 0.0) -> list[tuple[float, Density]]:
    """``(log weight, component)`` pairs: a mixture's components, nested mixtures flattened; else the density."""
    if isinstance(density, Mixture):
        return [term for lw, c in zip(density._log_weights, density.components) for term in _terms(c, log_weight + lw)]
    return [(log_weight, density)]


def _normal_log_ratio(a: Normal, b: Normal, x: np.ndarray) -> np.ndarray:
    r""":math:`\log a(x) - \log b(x) = -\tfrac12 (z_a - z_b)(z_a + z_b) + \log(\sigma_b/\sigma_a)`.

    The difference of squares in factored form: finite (linear in x) for equal sigmas however large x
    is, and of the right sign when it overflows for unequal ones.
    """
    log_sigmas = np.log(b.sigma) - np.log(a.sigma)
    if a.sigma == b.sigma:
        difference = (b.mu - a.mu) / a.sigma
        if difference == 0.0:
            return np.full(x.shape, 0.0)
        with np.errstate(over="ignore"):
            return -0.5 * difference * ((x - a.mu) / a.sigma + (x - b.mu) / b.sigma) + log_sigmas
    with np.errstate(over="ignore", invalid="ignore"):
        z_a, z_b = (x - a.mu) / a.sigma, (x - b.mu) / b.sigma
        value = -0.5 * (z_a - z_b) * (z_a + z_b) + log_sigmas
    # Both z overflowed (inf - inf): the narrower normal is the smaller density there.
    return np.where(np.isnan(value), -np.inf if a.sigma < b.sigma else np.inf, value)


def log_density_ratio(p: Density, q: Density, x) -> np.ndarray:
    r""":math:`\log p(x) - \log q(x)`, exact where the two log-densities separately overflow or cancel.

    Far out (``|x - mu| > 1.9e154 sigma``) a normal's log-density is below the smallest float, and well
    before that the difference of two log-densities of size :math:`10^{20}` has lost its digits. Both
    sides are therefore written relative to one reference normal :math:`R` (the normal component of
    largest :math:`\sigma` in ``p`` or ``q``),

    .. math:: \log\frac pq = \operatorname{logsumexp}_k\Big[\log w_k + \log\frac{p_k}{R}\Big]
              - \operatorname{logsumexp}_j\Big[\log v_j + \log\frac{q_j}{R}\Big],

    and the log-ratio of two normals is taken in factored form (:math:`z_a^2 - z_b^2 = (z_a - z_b)(z_a + z_b)`).
    Without normal components it is ``p.logpdf(x) - q.logpdf(x)``.

    Parameters
    ----------
    p, q : Density
    x : array_like
        Real points.

    Returns
    -------
    ndarray, the shape of ``x``
        ``+inf`` where only ``p`` is positive, ``-inf`` where only ``q`` is, NaN where both are zero.
    """
    x = as_real_array(x)
    if type(p) is Normal and type(q) is Normal:
        return _normal_log_ratio(p, q, x)
    p_terms, q_terms = _terms(p), _terms(q)
    normals = [c for _, c in p_terms + q_terms if type(c) is Normal]
    with np.errstate(invalid="ignore"):
        if not normals:
            return p.logpdf(x) - q.logpdf(x)
        reference = max(normals, key=lambda c: c.sigma)
        others = any(type(c) is not Normal for _, c in p_terms + q_terms)
        reference_log = reference.logpdf(x) if others else None
        ratio = (_log_relative(p_terms, reference, reference_log, x)
                 - _log_relative(q_terms, reference, reference_log, x))
        # Where the reference itself underflows inside a non-normal component's support, fall back to the
        # plain difference (NaN there too only where both densities are 0).
        fallback = np.isnan(ratio)
        if fallback.any():
            ratio = np.where(fallback, p.logpdf(x) - q.logpdf(x), ratio)
    return ratio


def _log_relative(terms, reference: Normal, reference_log, x: np.ndarray) -> np.ndarray:
    """``log(sum_k w_k p_k(x) / R(x))`` for the ``(log w_k, p_k)`` terms and the reference normal ``R``."""
    rows = np.empty((len(terms),) + x.shape)
    for k, (log_weight, c) in enumerate(terms):
        if type(c) is Normal:
            rows[k] = log_weight + _normal_log_ratio(c, reference, x)
        else:
            # A component that is exactly 0 (off its support) stays 0 even where the reference underflows.
            log_c = c.logpdf(x)
            rows[k] = np.where(log_c == -np.inf, -np.inf, log_weight + log_c - reference_log)
    # The log-sum-exp of a single row is that row, bit for bit: skip it.
    return rows[0] if len(terms) == 1 else _logsumexp_rows(rows)
