r"""A density on fixed bins: a histogram, any point of the simplex of bin masses (a mixture of adjacent uniforms),
and the virtual criterion C(G) between two histograms on the same bins, in closed form.

The density without parameters in the network sense that Proposition 2 of Goodfellow et al. (2014) speaks of: p_g
itself, updated in function space (:mod:`ganmath.experiments.proposition2`).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from ganmath._validation import as_real_array, check_positive_int, check_rng
from ganmath.core.densities import Density, check_density

__all__ = ["HistogramDensity", "histogram_of", "check_same_bins", "histogram_criterion"]


class HistogramDensity(Density):
    r"""A piecewise-constant density on fixed bins: mass :math:`g_j` spread uniformly over :math:`[e_j, e_{j+1})`.

    The same density as ``Mixture([Uniform(e_j, e_{j+1}) ...], weights=masses)`` (bins of zero mass left out),
    evaluated with one search over the edges instead of one pass per component.

    Parameters
    ----------
    edges : array_like, shape (k + 1,)
        Strictly increasing, finite.
    masses : array_like, shape (k,)
        Non-negative, summing to 1 (to within 1e-9; then renormalized exactly).
    """

    def __init__(self, edges, masses):
        edges = as_real_array(edges, "edges", finite=True)
        if edges.ndim != 1 or edges.size < 2 or not np.all(np.diff(edges) > 0):
            raise ValueError(f"edges must be a strictly increasing 1-D array of at least 2 numbers, got edges={edges!r}")
        masses = as_real_array(masses, "masses", finite=True)
        if masses.shape != (edges.size - 1,):
            raise ValueError(f"masses must have shape ({edges.size - 1},) to match the edges, got {masses.shape}")
        if np.any(masses < 0):
            raise ValueError(f"masses must be non-negative, got masses={masses!r}")
        if abs(masses.sum() - 1.0) > 1e-9:
            raise ValueError(f"masses must sum to 1, got a sum of {masses.sum()!r}")
        self.edges = edges
        self.masses = masses / masses.sum()
        self.widths = np.diff(edges)
        with np.errstate(divide="ignore"):
            self._log_heights = np.log(self.masses) - np.log(self.widths)
        self._cumulative = np.concatenate([[0.0], np.cumsum(self.masses)])
        self._cumulative[-1] = 1.0

    def __repr__(self):
        return f"HistogramDensity({self.masses.size} bins on [{self.edges[0]:g}, {self.edges[-1]:g}])"

    def _key(self):
        return (tuple(self.edges), tuple(self.masses))

    @property
    def centres(self) -> np.ndarray:
        return 0.5 * (self.edges[:-1] + self.edges[1:])

    def _bins(self, x):
        """The bin of each point (the last bin is closed), and whether it lies on the support."""
        index = np.clip(np.searchsorted(self.edges, x, side="right") - 1, 0, self.masses.size - 1)
        inside = (x >= self.edges[0]) & (x <= self.edges[-1])
        return index, inside

    def logpdf(self, x):
        x = as_real_array(x)
        index, inside = self._bins(x)
        return np.where(inside, self._log_heights[index], -np.inf)

    def cdf(self, x):
        x = as_real_array(x)
        index, inside = self._bins(x)
        within = np.clip((x - self.edges[index]) / self.widths[index], 0.0, 1.0)
        value = self._cumulative[index] + self.masses[index] * within
        return np.where(x < self.edges[0], 0.0, np.where(x > self.edges[-1], 1.0, np.where(inside, value, 0.0)))

    def sf(self, x):
        x = as_real_array(x)
        index, inside = self._bins(x)
        within = np.clip((self.edges[index + 1] - x) / self.widths[index], 0.0, 1.0)
        # The mass of the later bins, summed from the right: no 1 - cdf cancellation in the right tail.
        later = np.concatenate([np.cumsum(self.masses[::-1])[::-1][1:], [0.0]])
        value = later[index] + self.masses[index] * within
        return np.where(x < self.edges[0], 1.0, np.where(x > self.edges[-1], 0.0, np.where(inside, value, 1.0)))

    def ppf(self, q):
        q = as_real_array(q, "q")
        if np.any((q < 0) | (q > 1)):
            raise ValueError(f"q must lie in [0, 1], got q={q!r}")
        # The last bin whose cumulative mass is below q, among bins with mass (empty bins have no quantiles).
        index = np.clip(np.searchsorted(self._cumulative, q, side="left") - 1, 0, self.masses.size - 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            within = np.where(self.masses[index] > 0, (q - self._cumulative[index]) / self.masses[index], 0.0)
        return self.edges[index] + np.clip(within, 0.0, 1.0) * self.widths[index]

    def sample(self, n, rng):
        n = check_positive_int("n", n, allow_zero=True)
        rng = check_rng(rng)
        which = rng.choice(self.masses.size, size=n, p=self.masses)
        return self.edges[which] + rng.uniform(size=n) * self.widths[which]

    @property
    def mean(self) -> float:
        return float(np.sum(self.masses * self.centres))

    @property
    def std(self) -> float:
        # Within a bin the uniform adds width^2 / 12 to the variance of the centres.
        centred = self.centres - self.mean
        return float(math.sqrt(np.sum(self.masses * (centred**2 + self.widths**2 / 12.0))))

    @property
    def support(self):
        return (float(self.edges[0]), float(self.edges[-1]))

    @property
    def breakpoints(self) -> np.ndarray:
        return self.edges.copy()


def histogram_of(density: Density, edges) -> HistogramDensity:
    r"""``density`` binned: bin masses :math:`F(e_{j+1}) - F(e_j)`, renormalized to the bins' total.

    Parameters
    ----------
    density : Density
    edges : array_like, shape (k + 1,)

    Returns
    -------
    HistogramDensity
    """
    check_density("density", density)
    edges = as_real_array(edges, "edges", finite=True)
    masses = np.diff(density.cdf(edges))
    if masses.sum() <= 0:
        raise ValueError(f"density has no mass on [{edges[0]:g}, {edges[-1]:g}]")
    return HistogramDensity(edges, masses / masses.sum())


def check_same_bins(p_data: HistogramDensity, p_g: HistogramDensity):
    for name, value in (("p_data", p_data), ("p_g", p_g)):
        if not isinstance(value, HistogramDensity):
            raise TypeError(f"{name} must be a HistogramDensity, got {name}={value!r}")
    if p_data.edges.shape != p_g.edges.shape or not np.array_equal(p_data.edges, p_g.edges):
        raise ValueError("p_data and p_g must have the same bin edges")


def histogram_criterion(data_masses, generator_masses) -> np.ndarray:
    r"""C(G) of two histograms on the same bins, in closed form (the widths cancel inside the logarithms):

    .. math:: C = \sum_j d_j \log\frac{d_j}{d_j + g_j} + g_j\log\frac{g_j}{d_j + g_j}

    Parameters
    ----------
    data_masses : array_like, shape (k,)
    generator_masses : array_like, shape (..., k)
        One or many generator histograms.

    Returns
    -------
    ndarray, shape (...)
    """
    d = np.asarray(data_masses, dtype=float)
    g = np.asarray(generator_masses, dtype=float)
    total = d + g
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = special.xlogy(d, d) + special.xlogy(g, g) - special.xlogy(total, total)
    return terms.sum(axis=-1)
