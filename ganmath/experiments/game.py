r"""min-max against max-min: the generator's best response to a frozen optimal discriminator.

In :math:`\min_G \max_D V(D, G)` the discriminator answers every generator, and the generator that does best against
its answer is :math:`p_g = p_\mathrm{data}` (Goodfellow et al. 2014, Theorem 1). In the other order,
:math:`\max_D \min_G V`, the generator answers a fixed discriminator. V is linear in :math:`p_g`,

.. math:: V(D, G) = \mathbb E_{p_\mathrm{data}}[\log D] + \int p_g(x)\,\log(1 - D(x))\,dx,

so the best answer to a fixed D puts all its mass where :math:`\log(1 - D)` is lowest: a point mass at the x that
D finds most real. Goodfellow (2016, Section 5.1.1) explains the Helvetica scenario (mode collapse) this way: trained
too long against a fixed D, G sends every z to that one x. :func:`best_response` finds that x for
:math:`D = D^*_G` of the current :math:`p_g`, with the coefficient :math:`\log(1 - D^*)` of
:func:`ganmath.experiments.proposition2.functional_gradient` (the functional derivative of C in :math:`p_g`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

from ganmath._validation import as_real_array, check_positive_int
from ganmath.core.densities import check_density
from ganmath.core.divergences import weighted
from ganmath.core.quadrature import integrate, panel_edges
from ganmath.core.theory import (
    functional_gradient,
    optimal_discriminator,
    optimal_discriminator_logit,
    virtual_criterion,
)

__all__ = ["BestResponse", "best_response", "search_range"]

# Quantiles of p_data that bound the default search: D* is only worth chasing where there are data.
_DATA_TAIL = 1e-4


@dataclass
class BestResponse:
    r"""The generator's best response to :math:`D^*` frozen for its current :math:`p_g`.

    Attributes
    ----------
    x : float
        Where :math:`D^*` is largest on the search range: the point mass the best response puts all its mass on.
    discriminator : float
        :math:`D^*(x)`.
    on_boundary : bool
        Whether x is an end of the search range (then :math:`D^*` still rises beyond it).
    point_mass_cost : float
        G's term of V for the point mass, :math:`\log(1 - D^*(x))`: the lowest any generator can reach against
        this D.
    generator_cost : float
        G's term of V for the current :math:`p_g`, :math:`\mathbb E_{p_g}[\log(1 - D^*)]`.
    value : float
        :math:`V(D^*, p_g) = C(G)`.
    point_mass_value : float
        :math:`V(D^*, \delta_x) = \mathbb E_{p_\mathrm{data}}[\log D^*] + \log(1 - D^*(x))`.
    search : tuple of float
        The search range.
    """

    x: float
    discriminator: float
    on_boundary: bool
    point_mass_cost: float
    generator_cost: float
    value: float
    point_mass_value: float
    search: tuple

    def __repr__(self):
        return (f"BestResponse(point mass at x={self.x:.4f}, D*={self.discriminator:.4f}: "
                f"G's term {self.generator_cost:.4f} -> {self.point_mass_cost:.4f})")


def search_range(p_data) -> tuple[float, float]:
    """The default range to search for the largest D*: between p_data's 1e-4 and 1 - 1e-4 quantiles."""
    check_density("p_data", p_data)
    low, high = p_data.ppf(np.array([_DATA_TAIL, 1.0 - _DATA_TAIL]))
    return float(low), float(high)


def best_response(p_data, p_g, *, within=None, n_grid: int = 4001) -> BestResponse:
    r"""The point mass that answers :math:`D^*_G` best, and what it gains over :math:`p_g`.

    :math:`D^* = \sigma(\ell)` with :math:`\ell = \log p_\mathrm{data} - \log p_g` increases with :math:`\ell`, so the
    largest :math:`D^*` is the largest logit: found on a grid of ``n_grid`` points over ``within``, then refined by a
    bounded scalar search on :math:`-\ell` between the grid neighbours of the best grid point.

    Parameters
    ----------
    p_data, p_g : Density
    within : tuple of two floats, optional
        The search range, ``low < high``; :func:`search_range` by default. Where :math:`D^*` keeps rising into a
        tail of :math:`p_\mathrm{data}` (two Gaussians of one width: :math:`\ell` is linear) the answer is an end.
    n_grid : int >= 3

    Returns
    -------
    BestResponse
    """
    check_density("p_data", p_data)
    check_density("p_g", p_g)
    n_grid = check_positive_int("n_grid", n_grid)
    if n_grid < 3:
        raise ValueError(f"n_grid must be >= 3, got n_grid={n_grid!r}")
    if within is None:
        low, high = search_range(p_data)
    else:
        ends = as_real_array(within, "within", finite=True)
        if ends.shape != (2,) or not ends[0] < ends[1]:
            raise ValueError(f"within must be two numbers low < high, got within={within!r}")
        low, high = float(ends[0]), float(ends[1])
    grid = np.linspace(low, high, n_grid)
    logits = optimal_discriminator_logit(p_data, p_g, grid)
    if np.all(np.isnan(logits)):
        raise ValueError(f"p_data and p_g are both zero on within=({low!r}, {high!r}): D* is undefined there")
    best = int(np.nanargmax(logits))
    x = float(grid[best])
    if np.isfinite(logits[best]) and 0 < best < n_grid - 1:
        refined = optimize.minimize_scalar(
            lambda t: -float(optimal_discriminator_logit(p_data, p_g, t)),
            bounds=(float(grid[best - 1]), float(grid[best + 1])), method="bounded", options={"xatol": 1e-12},
        )
        if -refined.fun >= logits[best]:
            x = float(refined.x)
    point_mass_cost = float(functional_gradient(p_data, p_g, x))
    generator_cost = integrate(lambda t: weighted(p_g.logpdf(t), functional_gradient(p_data, p_g, t)),
                               panel_edges(p_data, p_g))
    value = virtual_criterion(p_data, p_g)
    return BestResponse(
        x=x,
        discriminator=float(optimal_discriminator(p_data, p_g, x)),
        on_boundary=bool(best in (0, n_grid - 1)),
        point_mass_cost=point_mass_cost,
        generator_cost=float(generator_cost),
        value=float(value),
        point_mass_value=float(value - generator_cost + point_mass_cost),
        search=(low, high),
    )
