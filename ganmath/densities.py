"""One-dimensional probability densities: Normal, Uniform, Mixture and a wrapped callable.

Every density offers the same small interface, which the integrators and the theory functions use:

``logpdf(x)``, ``pdf(x)``, ``cdf(x)``
    Vectorized over ``x`` (any shape; the result has the shape of ``x``).
``sample(n, rng)``
    ``n`` draws with an explicit :class:`numpy.random.Generator`.
``support``
    The closed interval ``(low, high)`` outside which the density is zero (ends may be infinite).
``integration_range``
    A finite interval outside which the density is below ``1e-290``, so that no integral the
    project computes can see the mass left out.
``ppf(q)``
    The quantile function (``central = p.ppf([0.025, 0.975])`` is the central 95% of ``p``).
``breakpoints``
    Finite points where an integrand built from this density may have a kink, a jump or a narrow
    peak: support ends, component centres and a ladder of points at multiples of each component's
    scale. The integrator starts its panels there.
"""

from __future__ import annotations

import numbers
from typing import Callable

import numpy as np
from scipy import special

from ganmath._validation import as_x, check_finite_real, check_rng, check_positive_int

__all__ = ["Density", "Normal", "Uniform", "Mixture", "CustomDensity"]

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)
# exp(-0.5 * 36.5**2) = 1e-290: a Normal's density is negligible beyond 36.5 standard deviations.
_NORMAL_TAIL = 36.5
# Panel ends, in units of a component's scale, on each side of its centre.
_SCALE_LADDER = np.array([0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 18.0, 26.0, _NORMAL_TAIL])


class Density:
    """Base class of the 1-D densities; subclasses define ``logpdf``, ``cdf``, ``sample`` and the ranges."""

    def logpdf(self, x):
        """Log-density at ``x`` (``-inf`` outside the support)."""
        raise NotImplementedError

    def pdf(self, x):
        """Density at ``x``: ``exp(logpdf(x))``."""
        return np.exp(self.logpdf(x))

    def cdf(self, x):
        """Cumulative distribution function at ``x``."""
        raise NotImplementedError

    def dlogpdf(self, x):
        """Derivative of ``logpdf`` in ``x`` (the score), where the density is positive and smooth."""
        raise NotImplementedError(f"{type(self).__name__} does not define dlogpdf")

    def sample(self, n, rng):
        """Draw ``n`` samples, shape ``(n,)``, using the generator ``rng``."""
        raise NotImplementedError

    def sample_into(self, out, rng):
        """Fill the 1-D float64 array ``out`` with ``len(out)`` samples: the numbers of
        ``sample(len(out), rng)``, written in place (a training loop draws into the same buffer each step)."""
        out[...] = self.sample(out.shape[0], rng)

    def ppf(self, q):
        """Quantile function, the inverse of ``cdf``: bisection on the exact CDF to machine precision.

        Parameters
        ----------
        q : array_like
            Probabilities in ``[0, 1]``.

        Returns
        -------
        ndarray, the shape of ``q``
        """
        q = _as_probabilities(q)
        low = np.full(q.shape, self.integration_range[0])
        high = np.full(q.shape, self.integration_range[1])
        for _ in range(200):
            mid = 0.5 * (low + high)
            if np.all((mid <= low) | (mid >= high)):
                break
            below = self.cdf(mid) < q
            low, high = np.where(below, mid, low), np.where(below, high, mid)
        return 0.5 * (low + high)

    @property
    def support(self) -> tuple[float, float]:
        raise NotImplementedError

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
    q = as_x(q, "q")
    if np.any((q < 0) | (q > 1)):
        raise ValueError(f"q must lie in [0, 1], got q={q!r}")
    return q


def _scale_ladder(centre: float, scale: float) -> np.ndarray:
    return np.concatenate([centre - scale * _SCALE_LADDER[::-1], [centre], centre + scale * _SCALE_LADDER])


class Normal(Density):
    r"""The normal density :math:`\mathcal N(\mu, \sigma^2)`.

    Parameters
    ----------
    mu : float
        Mean.
    sigma : float
        Standard deviation, > 0.
    """

    def __init__(self, mu: float = 0.0, sigma: float = 1.0):
        self.mu = check_finite_real("mu", mu)
        self.sigma = check_finite_real("sigma", sigma)
        if self.sigma <= 0:
            raise ValueError(f"sigma must be > 0, got sigma={sigma!r}")

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
        z = (as_x(x) - self.mu) / self.sigma
        return -0.5 * z * z - np.log(self.sigma) - _LOG_SQRT_2PI

    def cdf(self, x):
        return special.ndtr((as_x(x) - self.mu) / self.sigma)

    def dlogpdf(self, x):
        return -(as_x(x) - self.mu) / self.sigma**2

    def sample(self, n, rng):
        n = check_positive_int("n", n, allow_zero=True)
        return check_rng(rng).normal(self.mu, self.sigma, size=n)

    def sample_into(self, out, rng):
        # numpy's normal(mu, sigma) is mu + sigma * z for its standard normal z: the same numbers
        # (tests/test_densities.py checks it bit for bit).
        check_rng(rng).standard_normal(out=out)
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
        Interval ends, finite, ``low < high``.
    """

    def __init__(self, low: float = 0.0, high: float = 1.0):
        self.low = check_finite_real("low", low)
        self.high = check_finite_real("high", high)
        if not self.low < self.high:
            raise ValueError(f"low must be < high, got low={low!r}, high={high!r}")

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
        x = as_x(x)
        inside = (x >= self.low) & (x <= self.high)
        return np.where(inside, -np.log(self.high - self.low), -np.inf)

    def cdf(self, x):
        return np.clip((as_x(x) - self.low) / (self.high - self.low), 0.0, 1.0)

    def dlogpdf(self, x):
        """0 inside the interval (the density is flat), NaN outside, where log p is -inf."""
        x = as_x(x)
        return np.where((x >= self.low) & (x <= self.high), 0.0, np.nan)

    def sample(self, n, rng):
        n = check_positive_int("n", n, allow_zero=True)
        return check_rng(rng).uniform(self.low, self.high, size=n)

    def sample_into(self, out, rng):
        # numpy's uniform(low, high) is low + (high - low) * u for its u in [0, 1): the same numbers.
        check_rng(rng).random(out=out)
        out *= self.high - self.low
        out += self.low

    def ppf(self, q):
        q = _as_probabilities(q)
        return self.low + q * (self.high - self.low)

    @property
    def support(self):
        return (self.low, self.high)


class Mixture(Density):
    r"""A finite mixture :math:`\sum_k w_k p_k(x)` of densities.

    Parameters
    ----------
    components : sequence of Density
        The component densities, at least one.
    weights : array_like, shape (n_components,), optional
        Non-negative weights summing to 1 (to within 1e-9, then renormalized exactly).
        Equal weights by default.
    """

    def __init__(self, components, weights=None):
        components = list(components) if not isinstance(components, Density) else [components]
        if not components:
            raise ValueError("components must hold at least one density, got an empty sequence")
        for i, c in enumerate(components):
            if not isinstance(c, Density):
                raise TypeError(f"components[{i}] must be a ganmath Density, got {c!r}")
        if weights is None:
            weights = np.full(len(components), 1.0 / len(components))
        try:
            w = np.asarray(weights, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"weights must be an array of numbers, got weights={weights!r}") from None
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
        second = sum(w * (c.std**2 + c.mean**2) for w, c in zip(self.weights, self.components))
        return float(np.sqrt(second - self.mean**2))

    def logpdf(self, x):
        x = as_x(x)
        logs = np.stack([lw + c.logpdf(x) for lw, c in zip(self._log_weights, self.components)])
        return special.logsumexp(logs, axis=0)

    def cdf(self, x):
        x = as_x(x)
        return sum(w * c.cdf(x) for w, c in zip(self.weights, self.components))

    def dlogpdf(self, x):
        """The components' scores weighted by their responsibilities ``w_k p_k(x) / p(x)``."""
        x = as_x(x)
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
    support : tuple of float
        ``(low, high)``, finite, ``low < high``. The density must be zero outside.
    logpdf, cdf : callable, optional
        Exact log-density and CDF when known. Otherwise ``logpdf`` is ``log(pdf)`` and ``cdf`` is
        computed by adaptive quadrature of ``pdf``.
    breakpoints : array_like, optional
        Interior points where ``pdf`` has a kink, a jump or a narrow peak; the integrators split there.
    check_normalized : bool
        Integrate ``pdf`` once and raise ``ValueError`` if the total differs from 1 by more than 1e-6.

    Notes
    -----
    Sampling inverts the CDF (:meth:`Density.ppf`, bisection on the exact CDF to machine precision).
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
        points = np.asarray(breakpoints, dtype=float).ravel()
        if not np.all(np.isfinite(points)):
            raise ValueError(f"breakpoints must be finite, got breakpoints={breakpoints!r}")
        self._breakpoints = np.unique(np.concatenate([[low, high], points[(points > low) & (points < high)]]))
        if check_normalized:
            from ganmath.quadrature import integrate

            total = integrate(self.pdf, self._breakpoints)
            if not abs(total - 1.0) <= 1e-6:
                raise ValueError(f"pdf must integrate to 1 over support={support!r}, it integrates to {total:.12g}")

    def __repr__(self):
        name = getattr(self._pdf, "__name__", type(self._pdf).__name__)
        return f"CustomDensity({name}, support={self._support})"

    def _call(self, name, f, x):
        out = np.asarray(f(x), dtype=float)
        if out.shape != x.shape:
            raise ValueError(f"{name} must return an array of the shape of x {x.shape}, got shape {out.shape}")
        return out

    def pdf(self, x):
        x = as_x(x)
        low, high = self._support
        inside = (x >= low) & (x <= high)
        values = self._call("pdf", self._pdf, np.where(inside, x, low))
        if np.any(values < 0) or np.any(np.isnan(values)):
            raise ValueError("pdf returned negative or NaN values")
        return np.where(inside, values, 0.0)

    def logpdf(self, x):
        x = as_x(x)
        if self._logpdf is None:
            with np.errstate(divide="ignore"):
                return np.log(self.pdf(x))
        low, high = self._support
        inside = (x >= low) & (x <= high)
        return np.where(inside, self._call("logpdf", self._logpdf, np.where(inside, x, low)), -np.inf)

    def cdf(self, x):
        x = as_x(x)
        if self._cdf is not None:
            return np.clip(self._call("cdf", self._cdf, x), 0.0, 1.0)
        from ganmath.quadrature import cumulative_integral

        return np.clip(cumulative_integral(self.pdf, self._breakpoints, x), 0.0, 1.0)

    def sample(self, n, rng):
        n = check_positive_int("n", n, allow_zero=True)
        return self.ppf(check_rng(rng).uniform(size=n))

    @property
    def support(self):
        return self._support

    @property
    def breakpoints(self):
        return self._breakpoints
