r"""Proposition 2 of Goodfellow et al. (2014), in function space and in parameter space (notebook 11).

The proposition: if D reaches its optimum :math:`D^*_G` at every step and :math:`p_g` itself is updated to improve
:math:`C(G) = \mathbb E_{p_\mathrm{data}}[\log D^*_G] + \mathbb E_{p_g}[\log(1 - D^*_G)]`, then :math:`p_g` converges to
:math:`p_\mathrm{data}`. The proof rests on the convexity of C in :math:`p_g`.

**Function space.** :class:`ganmath.core.histogram.HistogramDensity` is a density without parameters in the network sense: a histogram on
fixed bins (a mixture of adjacent uniforms), any point of the simplex of bin masses. The functional derivative of C
in :math:`p_g` is :math:`\log(1 - D^*(x))` (:func:`ganmath.core.theory.functional_gradient`); :func:`exponentiated_gradient_step` moves the
masses by :math:`g_j \leftarrow g_j\,e^{-\eta\,\log(1 - D^*_j)} / Z`, which keeps a density (mirror descent on the
simplex). :func:`functional_descent` repeats it with D* exact at every step.

**Convexity.** :func:`convexity_gap` is :math:`\lambda C(p_1) + (1 - \lambda) C(p_2) - C(\lambda p_1 + (1-\lambda) p_2)`,
non-negative for every pair of densities.

**Parameter space.** :class:`GaussianFamily` (:math:`G(z) = \mu + \sigma z`, z ~ N(0, 1)) and :class:`MonotoneMLP` (a
one-hidden-layer tanh network with positive weights, z ~ U(-1, 1)) are increasing maps, so that
:math:`p_g(G(z)) = p_z(z)/G'(z)` and C is an integral over the noise (:meth:`ParametricFamily.criterion`):

.. math:: C(\theta) = \int \Big[q\log\frac{q}{q + p_z} + p_z\log\frac{p_z}{q + p_z}\Big]\,dz,
          \qquad q(z) = G_\theta'(z)\,p_\mathrm{data}(G_\theta(z)),

the data pulled back to the noise axis (data outside the range of G adds :math:`p_\mathrm{data}\log 1 = 0`). Since
:math:`\partial/\partial q` of the integrand is :math:`\log D^*`, its exact gradient is
:math:`\int \log D^*\,\partial_\theta q\,dz` (the envelope theorem: D* stays optimal as :math:`\theta` moves).
:func:`parametric_descent` follows it: gradient descent in :math:`\theta` with D* exact at every step, which is what
the paper does not analyse ("we optimize :math:`\theta_g` rather than :math:`p_g` itself").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

from ganmath._validation import (
    as_real_array,
    check_in_range,
    check_positive,
    check_positive_int,
    check_rng,
)
from ganmath.constants import LOG4
from ganmath.core.densities import Density, Mixture, Normal, Uniform, check_density
from ganmath.core.divergences import weighted
from ganmath.core.histogram import (
    HistogramDensity,
    check_same_bins,
    histogram_criterion,
)
from ganmath.core.presets import data_preset
from ganmath.core.quadrature import gauss_legendre_nodes
from ganmath.core.theory import (
    functional_gradient,
    virtual_criterion,
)
from ganmath.nn.mlp import MLP
from ganmath.stats import Rate, rate

__all__ = [
    "TARGET",
    "exponentiated_gradient_step",
    "FunctionalPath",
    "functional_descent",
    "random_histograms",
    "convexity_gap",
    "ParametricFamily",
    "GaussianFamily",
    "MonotoneMLP",
    "FAMILIES",
    "family",
    "ParametricPath",
    "parametric_descent",
    "segment_criterion",
    "Stalls",
    "stalls",
]

#: The two-mode data of notebooks 09 and 11: N(-2, 0.5^2) and N(2, 0.5^2), equally weighted.
TARGET = data_preset("two modes")


def exponentiated_gradient_step(p_data: HistogramDensity, p_g: HistogramDensity, step: float) -> HistogramDensity:
    r"""One exponentiated-gradient (mirror-descent) step of the bin masses of :math:`p_g` along :math:`-\delta C/\delta p_g`:

    .. math:: g_j \leftarrow \frac{g_j\,\exp\!\big(-\eta\log(1 - D^*_j)\big)}{Z}
              = \frac{g_j^{1-\eta}\,(d_j + g_j)^\eta}{Z},

    with :math:`D^*_j` exact on bin j (both densities are constant there). The masses stay positive and sum to 1.
    At :math:`\eta = 1` the step is :math:`p_g \leftarrow (p_\mathrm{data} + p_g)/2` exactly.

    Parameters
    ----------
    p_data, p_g : HistogramDensity
        On the same bins; p_g positive wherever p_data is (else that bin can never gain mass for :math:`\eta < 1`).
    step : float > 0
        :math:`\eta`.

    Returns
    -------
    HistogramDensity
    """
    check_same_bins(p_data, p_g)
    step = check_positive("step", step)
    gradient = functional_gradient(p_data, p_g, p_g.centres)
    with np.errstate(divide="ignore"):
        log_masses = np.log(p_g.masses) - step * np.where(p_g.masses > 0, gradient, 0.0)
    log_masses -= special.logsumexp(log_masses)
    return HistogramDensity(p_g.edges, np.exp(log_masses))


@dataclass
class FunctionalPath:
    r"""A descent of C(G) in function space.

    Attributes
    ----------
    masses : ndarray, shape (n_steps + 1, k)
        The bin masses of :math:`p_g` before the first step and after each.
    criterion : ndarray, shape (n_steps + 1,)
        C(G) at each (:func:`histogram_criterion`, exact for histograms).
    step : float
    edges : ndarray, shape (k + 1,)
    """

    masses: np.ndarray
    criterion: np.ndarray
    step: float
    edges: np.ndarray

    @property
    def gap(self) -> np.ndarray:
        r""":math:`C(G) + \log 4 = 2\,\mathrm{JS}`, the distance to the optimum."""
        return self.criterion + LOG4

    def density(self, index: int = -1) -> HistogramDensity:
        return HistogramDensity(self.edges, self.masses[index])


def functional_descent(p_data: HistogramDensity, p_start: HistogramDensity, *, step: float = 0.5,
                       n_steps: int = 60) -> FunctionalPath:
    r"""Repeated :func:`exponentiated_gradient_step`, D* exact at every step.

    Parameters
    ----------
    p_data, p_start : HistogramDensity
        On the same bins.
    step : float > 0
        :math:`\eta`; for :math:`\eta \le 1` C cannot increase (notebook 11 derives why).
    n_steps : int

    Returns
    -------
    FunctionalPath
    """
    check_same_bins(p_data, p_start)
    step = check_positive("step", step)
    n_steps = check_positive_int("n_steps", n_steps)
    densities = [p_start]
    for _ in range(n_steps):
        densities.append(exponentiated_gradient_step(p_data, densities[-1], step))
    masses = np.array([d.masses for d in densities])
    return FunctionalPath(masses, histogram_criterion(p_data.masses, masses), step, p_start.edges.copy())


def random_histograms(edges, n: int, rng, *, concentration: float = 1.0) -> list[HistogramDensity]:
    """``n`` histograms on ``edges`` with bin masses drawn from a Dirichlet distribution (all bins positive)."""
    edges = as_real_array(edges, "edges", finite=True)
    n = check_positive_int("n", n)
    rng = check_rng(rng)
    concentration = check_positive("concentration", concentration)
    masses = rng.dirichlet(np.full(edges.size - 1, concentration), size=n)
    masses = np.maximum(masses, 1e-300)
    return [HistogramDensity(edges, m / m.sum()) for m in masses]


def convexity_gap(p_data: Density, p_1: Density, p_2: Density, weight: float) -> float:
    r""":math:`\lambda C(p_1) + (1 - \lambda) C(p_2) - C(\lambda p_1 + (1 - \lambda) p_2)`, with
    :func:`ganmath.virtual_criterion` and the mixture :class:`ganmath.Mixture`. Convexity of C in :math:`p_g`: >= 0."""
    check_density("p_data", p_data)
    check_density("p_1", p_1)
    check_density("p_2", p_2)
    weight = check_in_range("weight", weight, 0.0, 1.0, low_open=True, high_open=True)
    mixed = Mixture([p_1, p_2], [weight, 1.0 - weight])
    return (weight * virtual_criterion(p_data, p_1) + (1.0 - weight) * virtual_criterion(p_data, p_2)
            - virtual_criterion(p_data, mixed))


# ---------------------------------------------------------------------------------------------------------
# Parametric families: C(theta) and its exact gradient, on the noise axis
# ---------------------------------------------------------------------------------------------------------


class ParametricFamily:
    r"""An increasing generator :math:`G_\theta` of noise :math:`p_z`: what a subclass defines is
    :meth:`forward` (G, G' and their derivatives in :math:`\theta` at noise nodes). Parameters come as arrays of
    shape ``(R, P)``: R parameter vectors at once."""

    name = "family"
    noise: Density
    n_parameters: int

    def __init__(self, p_data: Density = TARGET, *, panels: int = 256, order: int = 8):
        self.p_data = check_density("p_data", p_data)
        low, high = self.noise_range
        z, w = gauss_legendre_nodes(np.linspace(low, high, panels + 1)[:-1], np.linspace(low, high, panels + 1)[1:],
                                    order)
        self.z, self.weights = z.ravel(), w.ravel()
        self.log_noise = self.noise.logpdf(self.z)

    noise_range = (-1.0, 1.0)

    def __repr__(self):
        return f"{type(self).__name__}(p_data={self.p_data!r}, {self.n_parameters} parameters)"

    def _theta(self, theta) -> np.ndarray:
        theta = np.asarray(theta, dtype=float)
        single = theta.ndim == 1
        theta = np.atleast_2d(theta)
        if theta.shape[-1] != self.n_parameters:
            raise ValueError(f"theta must have {self.n_parameters} parameters, got shape {theta.shape}")
        return theta, single

    def forward(self, theta):
        """G and G' at the nodes, shape (R, n), and their derivatives in theta, shape (R, n, P)."""
        raise NotImplementedError

    def generator_values(self, theta, z) -> np.ndarray:
        """G(z) for each parameter vector, shape (R, len(z)) (or (len(z),) for one vector)."""
        raise NotImplementedError

    def _terms(self, theta):
        values, slopes, d_values, d_slopes = self.forward(theta)
        log_q = np.log(slopes) + self.p_data.logpdf(values)
        logit = log_q - self.log_noise  # log D* = log q - log(q + p_z)
        return values, slopes, d_values, d_slopes, log_q, logit

    def criterion(self, theta) -> np.ndarray:
        r""":math:`C(\theta)` for each parameter vector, exact up to the fixed quadrature over the noise."""
        theta, single = self._theta(theta)
        *_, log_q, logit = self._terms(theta)
        with np.errstate(invalid="ignore"):
            integrand = weighted(log_q, special.log_expit(logit)) + weighted(self.log_noise, special.log_expit(-logit))
        value = integrand @ self.weights
        return float(value[0]) if single else value

    def criterion_and_gradient(self, theta):
        r""":math:`C(\theta)` and :math:`\nabla_\theta C = \int \log D^*\;q\,\big[\partial_\theta\log G' +
        (\log p_\mathrm{data})'(G)\,\partial_\theta G\big]\,dz`, shapes (R,) and (R, P)."""
        theta, single = self._theta(theta)
        values, slopes, d_values, d_slopes, log_q, logit = self._terms(theta)
        log_d = special.log_expit(logit)
        with np.errstate(invalid="ignore"):
            integrand = weighted(log_q, log_d) + weighted(self.log_noise, special.log_expit(-logit))
            score = np.where(np.isfinite(log_q), self.p_data.dlogpdf(values), 0.0)
            factor = weighted(log_q, log_d) * self.weights  # q log D* times the quadrature weight
        derivative = d_slopes / slopes[..., None] + score[..., None] * d_values
        gradient = np.einsum("rn,rnp->rp", factor, derivative)
        value = integrand @ self.weights
        return (float(value[0]), gradient[0]) if single else (value, gradient)

    def generator_density(self, theta) -> Density:
        """The exact p_g of one parameter vector."""
        raise NotImplementedError

    def initial(self, rng, n: int) -> np.ndarray:
        """``n`` random starting parameter vectors, shape (n, P)."""
        raise NotImplementedError


class GaussianFamily(ParametricFamily):
    r""":math:`G(z) = \mu + e^\rho z`, z ~ N(0, 1): :math:`p_g = \mathcal N(\mu, e^{2\rho})`. Parameters :math:`(\mu, \rho)`."""

    name = "Gaussian family"
    noise = Normal(0.0, 1.0)
    n_parameters = 2
    noise_range = (-12.0, 12.0)

    def forward(self, theta):
        mean, log_spread = theta[:, :1], theta[:, 1:2]
        spread = np.exp(log_spread)
        z = self.z[None, :]
        values = mean + spread * z
        slopes = np.broadcast_to(spread, values.shape)
        d_values = np.stack([np.ones_like(values), spread * z * np.ones_like(values)], axis=-1)
        d_slopes = np.stack([np.zeros_like(values), slopes], axis=-1)
        return values, slopes, d_values, d_slopes

    def generator_values(self, theta, z):
        theta, single = self._theta(theta)
        out = theta[:, :1] + np.exp(theta[:, 1:2]) * np.asarray(z, dtype=float)[None, :]
        return out[0] if single else out

    def generator_density(self, theta) -> Density:
        mean, log_spread = (float(v) for v in np.asarray(theta, dtype=float))
        return Normal(mean, math.exp(log_spread))

    def initial(self, rng, n: int) -> np.ndarray:
        rng = check_rng(rng)
        return np.column_stack([rng.uniform(-4.0, 4.0, n), np.log(rng.uniform(0.3, 3.0, n))])


class MonotoneMLP(ParametricFamily):
    r"""A one-hidden-layer tanh network with positive weights, z ~ U(-1, 1):

    .. math:: G(z) = c + \sum_{k=1}^H e^{a_k} \tanh(e^{w_k} z + b_k),

    increasing in z for every :math:`\theta = (a, w, b, c)`, so that :math:`p_g = p_z/G'` on its range. In one
    dimension that is no loss: every law on the line is an increasing map of uniform noise (its quantile function),
    so the family can come as close to :math:`p_\mathrm{data}` as H tanh steps allow.

    Parameters
    ----------
    p_data : Density
    hidden : int
        H, the number of hidden units (8 by default: 25 parameters).
    """

    name = "monotone MLP"
    noise = Uniform(-1.0, 1.0)
    noise_range = (-1.0, 1.0)

    def __init__(self, p_data: Density = TARGET, *, hidden: int = 8, panels: int = 256, order: int = 8):
        self.hidden = check_positive_int("hidden", hidden)
        self.n_parameters = 3 * self.hidden + 1
        super().__init__(p_data, panels=panels, order=order)

    def _split(self, theta):
        H = self.hidden
        return theta[:, :H], theta[:, H:2 * H], theta[:, 2 * H:3 * H], theta[:, 3 * H]

    def forward(self, theta):
        log_out, log_in, bias, offset = self._split(theta)
        out_weight, in_weight = np.exp(log_out)[:, None, :], np.exp(log_in)[:, None, :]
        z = self.z[None, :, None]
        t = np.tanh(in_weight * z + bias[:, None, :])
        sech2 = 1.0 - t * t
        values = offset[:, None] + np.sum(out_weight * t, axis=-1)
        unit_slopes = out_weight * in_weight * sech2  # each unit's share of G'
        slopes = unit_slopes.sum(axis=-1)
        d_values = np.concatenate([out_weight * t, unit_slopes * z, out_weight * sech2,
                                   np.ones(values.shape + (1,))], axis=-1)
        d_slopes = np.concatenate([unit_slopes, unit_slopes * (1.0 - 2.0 * t * in_weight * z),
                                   -2.0 * t * unit_slopes, np.zeros(values.shape + (1,))], axis=-1)
        return values, slopes, d_values, d_slopes

    def generator_values(self, theta, z):
        theta, single = self._theta(theta)
        log_out, log_in, bias, offset = self._split(theta)
        z = np.asarray(z, dtype=float)[None, :, None]
        out = offset[:, None] + np.sum(np.exp(log_out)[:, None, :] * np.tanh(np.exp(log_in)[:, None, :] * z
                                                                            + bias[:, None, :]), axis=-1)
        return out[0] if single else out

    def network(self, theta) -> MLP:
        """The same G as a :class:`ganmath.nn.mlp.MLP` (1-H-1, tanh), for :class:`ganmath.gan.pushforward.GeneratorDensity`."""
        theta, _ = self._theta(theta)
        log_out, log_in, bias, offset = self._split(theta[:1])
        return MLP.from_weights([np.exp(log_in), np.exp(log_out).T], [bias[0], np.array([offset[0]])],
                                activation="tanh")

    def generator_density(self, theta) -> Density:
        from ganmath.gan.pushforward import GeneratorDensity

        return GeneratorDensity(self.network(theta), self.noise)

    def initial(self, rng, n: int) -> np.ndarray:
        rng = check_rng(rng)
        H = self.hidden
        return np.column_stack([np.log(rng.uniform(0.05, 0.5, (n, H))), np.log(rng.uniform(0.5, 3.0, (n, H))),
                                rng.uniform(-2.0, 2.0, (n, H)), rng.uniform(-3.0, 3.0, n)])


FAMILIES = {"Gaussian": GaussianFamily, "MLP": MonotoneMLP}


def family(name: str, p_data: Density = TARGET) -> ParametricFamily:
    """A parametric family by name: ``"Gaussian"`` or ``"MLP"``."""
    if name not in FAMILIES:
        raise ValueError(f"name must be one of {tuple(FAMILIES)}, got name={name!r}")
    return FAMILIES[name](p_data)


@dataclass
class ParametricPath:
    r"""A descent of :math:`C(\theta)` by gradient steps, for R starting points at once.

    Attributes
    ----------
    theta : ndarray, shape (n_records, R, P)
        The parameters at the recorded steps.
    steps : ndarray of int, shape (n_records,)
    criterion : ndarray, shape (n_steps + 1, R)
        C at every step.
    step_size : float
    """

    theta: np.ndarray
    steps: np.ndarray
    criterion: np.ndarray
    step_size: float

    @property
    def gap(self) -> np.ndarray:
        return self.criterion + LOG4


def parametric_descent(family: ParametricFamily, theta, *, step: float = 0.5, n_steps: int = 1000,
                       record_every: int = 50) -> ParametricPath:
    r"""Gradient descent :math:`\theta \leftarrow \theta - \eta\,\nabla_\theta C(\theta)` with D* exact at every step.

    Parameters
    ----------
    family : ParametricFamily
    theta : array_like, shape (R, P) or (P,)
        Starting points.
    step : float > 0
    n_steps, record_every : int

    Returns
    -------
    ParametricPath
    """
    if not isinstance(family, ParametricFamily):
        raise TypeError(f"family must be a ParametricFamily, got family={family!r}")
    theta, _ = family._theta(theta)
    theta = theta.copy()
    step = check_positive("step", step)
    n_steps = check_positive_int("n_steps", n_steps)
    record_every = check_positive_int("record_every", record_every)
    records, recorded_steps, criteria = [theta.copy()], [0], []
    for index in range(1, n_steps + 1):
        value, gradient = family.criterion_and_gradient(theta)
        criteria.append(value)
        theta -= step * gradient
        if index % record_every == 0 or index == n_steps:
            records.append(theta.copy())
            recorded_steps.append(index)
    criteria.append(family.criterion(theta))
    return ParametricPath(np.array(records), np.array(recorded_steps), np.array(criteria), step)


def segment_criterion(family: ParametricFamily, theta_a, theta_b, n: int = 41):
    r"""C along the segment :math:`\theta(\lambda) = (1 - \lambda)\theta_a + \lambda\theta_b`, and the chord.

    Returns
    -------
    weights : ndarray, shape (n,)
        :math:`\lambda` from 0 to 1.
    criterion : ndarray, shape (n,)
        :math:`C(\theta(\lambda))`.
    chord : ndarray, shape (n,)
        :math:`(1 - \lambda) C(\theta_a) + \lambda C(\theta_b)`: C is convex on the segment only if it stays below.
    """
    theta_a, _ = family._theta(theta_a)
    theta_b, _ = family._theta(theta_b)
    n = check_positive_int("n", n)
    weights = np.linspace(0.0, 1.0, n)
    thetas = (1.0 - weights)[:, None] * theta_a[0] + weights[:, None] * theta_b[0]
    criterion = family.criterion(thetas)
    chord = (1.0 - weights) * criterion[0] + weights * criterion[-1]
    return weights, criterion, chord


@dataclass
class Stalls:
    """How often descent in :math:`\\theta` stalls above :math:`-\\log 4`, over random starts.

    Attributes
    ----------
    path : ParametricPath
    final_gap : ndarray, shape (R,)
        :math:`C + \\log 4` after the last step.
    stalled : Rate
        Runs whose final gap exceeds ``threshold``.
    threshold : float
    """

    path: ParametricPath
    final_gap: np.ndarray
    stalled: Rate
    threshold: float


def stalls(family: ParametricFamily, seeds=range(32), *, step: float = 0.5, n_steps: int = 1000,
           threshold: float = 0.05, record_every: int = 50) -> Stalls:
    r"""Descend C in :math:`\theta` from one random start per seed (``family.initial``) and count the runs that end
    more than ``threshold`` above :math:`-\log 4`."""
    seeds = list(seeds)
    threshold = check_positive("threshold", threshold)
    starts = np.concatenate([family.initial(np.random.default_rng(seed), 1) for seed in seeds])
    path = parametric_descent(family, starts, step=step, n_steps=n_steps, record_every=record_every)
    final_gap = path.gap[-1]
    return Stalls(path, final_gap, rate(final_gap > threshold), threshold)
