r"""The state of a run, measured: one :class:`Snapshot` record and the pure functions that fill it.

:func:`measure` reads a run (its data, noise, networks and counters) and returns a :class:`Snapshot`:
D on a grid, the exact :math:`p_g` (:mod:`ganmath.gan.pushforward`), the true
:math:`D^* = p_\mathrm{data}/(p_\mathrm{data} + p_g)` (:func:`ganmath.core.theory.optimal_discriminator`),
:math:`\mathrm{JS}(p_\mathrm{data}, p_g)` and :math:`\sup|D - D^*|`. The trainer, the experiments and the
figures all draw from it.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy import special

from ganmath.core.densities import Density
from ganmath.core.divergences import js_divergence
from ganmath.core.theory import optimal_discriminator
from ganmath.gan.pushforward import GeneratorDensity, PointMassError
from ganmath.nn.mlp import MLP

__all__ = [
    "Snapshot",
    "RunState",
    "measure",
    "data_region",
    "region_grid",
    "default_grid",
    "noise_quantiles",
    "sup_discriminator_gap",
    "run_js",
    "run_sup_gap",
]

#: Points of the central 95% of p_data on which sup|D - D*| and sup|D - 1/2| are taken.
REGION_POINTS = 401


@dataclass
class Snapshot:
    r"""The state of a GAN at one moment, with everything needed to draw the paper's Figure 1.

    Attributes
    ----------
    iteration, discriminator_steps, generator_steps : int
        Counters when the snapshot was taken.
    x : ndarray, shape (n_grid,)
        The plotting grid.
    discriminator : ndarray, shape (n_grid,)
        D(x), the trained discriminator's probability that x is data (``expit`` of its logit).
    discriminator_logit : ndarray, shape (n_grid,)
    optimal_discriminator : ndarray, shape (n_grid,)
        :math:`D^*(x)` for the current G (NaN where both densities are 0, or everywhere when p_g has a
        point mass).
    p_data, p_g : ndarray, shape (n_grid,)
        The data density and the generator's exact density (p_g NaN when it has a point mass).
    js : float
        :math:`\mathrm{JS}(p_\mathrm{data}, p_g)` in nats, exact p_g (NaN when p_g has a point mass).
    sup_gap : float
        :math:`\sup |D - D^*|` over the central 95% of p_data (on 401 points).
    z, generated : ndarray, shape (n_z,)
        Evenly spaced noise quantiles and their images G(z): the arrows of Figure 1.
    generator, discriminator_network : MLP
        Copies of the two networks.
    generator_density : GeneratorDensity or None
        The exact p_g as a density (None when it has a point mass).
    point_mass : str or None
        Why p_g could not be computed, if it could not.
    """

    iteration: int
    discriminator_steps: int
    generator_steps: int
    x: np.ndarray
    discriminator: np.ndarray
    discriminator_logit: np.ndarray
    optimal_discriminator: np.ndarray
    p_data: np.ndarray
    p_g: np.ndarray
    js: float
    sup_gap: float
    z: np.ndarray
    generated: np.ndarray
    generator: MLP
    discriminator_network: MLP
    generator_density: GeneratorDensity | None
    point_mass: str | None = None


@dataclass
class RunState:
    """One moment of one run, as :func:`measure` reads it: a GAN, a run of a population, or a stored moment."""

    data: Density
    noise: Density
    generator: MLP
    discriminator: MLP
    grid: np.ndarray
    iteration: int
    discriminator_steps: int
    generator_steps: int


def data_region(data: Density) -> tuple[float, float]:
    """The central 95% of p_data, ``(F^{-1}(0.025), F^{-1}(0.975))``."""
    low, high = data.ppf([0.025, 0.975])
    return float(low), float(high)


def region_grid(data: Density) -> np.ndarray:
    """401 evenly spaced points of the central 95% of p_data."""
    return np.linspace(*data_region(data), REGION_POINTS)


def noise_quantiles(noise: Density, n: int = 39) -> np.ndarray:
    """``n`` evenly spaced quantiles of the noise (the z of Figure 1's arrows), shape ``(n,)``."""
    return noise.ppf(np.linspace(0.0, 1.0, n + 2)[1:-1])


def default_grid(data: Density, noise: Density, generator: MLP, n: int = 401) -> np.ndarray:
    """``n`` points covering the data's central 99.98% and the generator's range, with a 15% margin."""
    low, high = (float(v) for v in data.ppf([1e-4, 1 - 1e-4]))
    generated = generator(noise.ppf(np.linspace(0.001, 0.999, 201))[:, None])[:, 0]
    low, high = min(low, float(generated.min())), max(high, float(generated.max()))
    margin = 0.15 * (high - low)
    return np.linspace(low - margin, high + margin, n)


def discriminator_probability(discriminator: MLP, x) -> np.ndarray:
    """D(x) = expit(logit), the shape of ``x``."""
    x = np.asarray(x, dtype=float)
    return special.expit(discriminator(x.reshape(-1, 1))[:, 0]).reshape(x.shape)


def sup_discriminator_gap(data: Density, p_g: Density, discriminator: MLP, x=None) -> float:
    r""":math:`\sup |D - D^*|` on the points ``x``; by default the 401 points of the central 95% of p_data
    (:func:`region_grid`)."""
    x = region_grid(data) if x is None else np.asarray(x, dtype=float)
    return float(np.max(np.abs(discriminator_probability(discriminator, x) - optimal_discriminator(data, p_g, x))))


def run_js(data: Density, noise: Density, generator: MLP) -> float:
    """JS(p_data, p_g) of a generator with the exact p_g; NaN when p_g has a point mass."""
    try:
        p_g = GeneratorDensity(generator, noise)
    except PointMassError:
        return math.nan
    return js_divergence(data, p_g)


def run_sup_gap(data: Density, noise: Density, generator: MLP, discriminator: MLP) -> float:
    r""":math:`\sup|D - D^*|` of a run; NaN when p_g has a point mass."""
    try:
        p_g = GeneratorDensity(generator, noise)
    except PointMassError:
        return math.nan
    return sup_discriminator_gap(data, p_g, discriminator)


def measure(run, grid=None, *, warn_point_mass: bool = True) -> Snapshot:
    """The :class:`Snapshot` of a run at this moment.

    Parameters
    ----------
    run : GAN or RunState
        What is read: ``data``, ``noise``, ``generator``, ``discriminator``, ``grid`` and the counters
        (:meth:`ganmath.gan.Population.snapshot` measures a run of a population so).
    grid : array_like, optional
        The x grid; the run's own ``grid`` by default.
    warn_point_mass : bool
        Warn (once per call) when p_g has a point mass, so that its curves are NaN.
    """
    x = run.grid if grid is None else np.asarray(grid, dtype=float)
    logit = run.discriminator(x[:, None])[:, 0]
    z = noise_quantiles(run.noise)
    point_mass = None
    try:
        p_g = GeneratorDensity(run.generator, run.noise)
    except PointMassError as error:
        p_g, point_mass = None, str(error)
        if warn_point_mass:
            warnings.warn(f"p_g has no density, so JS, D* and p_g are NaN in the snapshot: {error}", stacklevel=3)
    if p_g is None:
        nan = np.full(x.shape, np.nan)
        d_star, density, js, gap = nan, nan, math.nan, math.nan
    else:
        with np.errstate(invalid="ignore"):
            d_star = optimal_discriminator(run.data, p_g, x)
        density = p_g.pdf(x)
        js = js_divergence(run.data, p_g)
        gap = sup_discriminator_gap(run.data, p_g, run.discriminator)
    return Snapshot(
        iteration=run.iteration,
        discriminator_steps=run.discriminator_steps,
        generator_steps=run.generator_steps,
        x=x.copy(),
        discriminator=special.expit(logit),
        discriminator_logit=logit,
        optimal_discriminator=d_star,
        p_data=run.data.pdf(x),
        p_g=density,
        js=js,
        sup_gap=gap,
        z=z,
        generated=run.generator(z[:, None])[:, 0],
        generator=run.generator.copy(),
        discriminator_network=run.discriminator.copy(),
        generator_density=p_g,
        point_mass=point_mass,
    )
