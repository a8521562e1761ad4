"""The one integrator every divergence and expectation uses.

Vectorized adaptive Gauss-Legendre quadrature. The line is first cut at the breakpoints of the
densities involved (support ends, component centres, multiples of each component's scale), so that
every starting panel holds a smooth piece of the integrand. Each round integrates every open panel
with a 16-point rule on the whole panel and on its two halves; a panel is accepted when the two agree
to ``atol`` (absolute) or ``rtol`` (relative), otherwise its halves go to the next round. All panels of
a round are evaluated in one call of the integrand, so one integral costs a few numpy calls.

Integrands are built from log-densities by the callers, so nothing here guards against underflow:
a ``-inf`` value anywhere makes the integral ``-inf``, a ``+inf`` makes it ``+inf``.
"""

from __future__ import annotations

import math
from typing import Callable, Iterable

import numpy as np

__all__ = [
    "QuadratureError",
    "integrate",
    "integrate_panels",
    "cumulative_integral",
    "panel_edges",
    "sign_changes",
    "fixed_rule_nodes",
]

_ORDER = 16
_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(_ORDER)
_MAX_ROUNDS = 64
# After _MAX_ROUNDS halvings only panels next to an integrable singularity (the 1/sqrt spike of a
# pushforward density at a fold of G) are still open; their summed error estimate must be this small.
_LEFTOVER_TOLERANCE = 1e-10


class QuadratureError(RuntimeError):
    """The adaptive rule did not reach its tolerance (an integrand with a non-integrable feature)."""


def panel_edges(*densities, extra: Iterable[float] = ()) -> np.ndarray:
    """Sorted panel ends for integrals over the union of the densities' integration ranges.

    Parameters
    ----------
    *densities : Density
        Their breakpoints are used, clipped to the union of their integration ranges.
    extra : iterable of float
        More points to split at (for instance where an integrand changes sign).

    Returns
    -------
    ndarray, shape (n_edges,)
    """
    low = min(d.integration_range[0] for d in densities)
    high = max(d.integration_range[1] for d in densities)
    points = np.concatenate([d.breakpoints for d in densities] + [np.asarray(list(extra), dtype=float), [low, high]])
    return np.unique(points[(points >= low) & (points <= high)])


def _rule(f: Callable, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Gauss-Legendre sums over the panels ``[a_i, b_i]``; all nodes in one call of ``f``."""
    half = 0.5 * (b - a)
    x = (0.5 * (a + b))[:, None] + half[:, None] * _NODES
    values = np.asarray(f(x.ravel()), dtype=float).reshape(x.shape)
    if np.isnan(values).any():
        bad = x[np.isnan(values)][0]
        raise ValueError(f"the integrand returned NaN at x={bad!r}")
    return half * (values @ _WEIGHTS)


def integrate_panels(f: Callable, edges, *, atol: float = 1e-15, rtol: float = 1e-14) -> np.ndarray:
    """Integrals of ``f`` over each panel ``[edges[i], edges[i+1]]``.

    Parameters
    ----------
    f : callable
        Vectorized integrand, ``f(x)`` with ``x`` of shape ``(n,)`` returns shape ``(n,)``.
    edges : array_like, shape (n_edges,)
        Sorted finite panel ends.
    atol, rtol : float
        Per-panel tolerances on the difference between the one-panel and the two-half-panel rules.

    Returns
    -------
    ndarray, shape (n_edges - 1,)
        ``+-inf`` where the integrand is infinite somewhere in the panel.
    """
    edges = np.asarray(edges, dtype=float)
    n = edges.size - 1
    result = np.zeros(max(n, 0))
    if n <= 0:
        return result
    a, b, owner = edges[:-1], edges[1:], np.arange(n)
    keep = b > a
    a, b, owner = a[keep], b[keep], owner[keep]
    with np.errstate(invalid="ignore", over="ignore"):
        whole = _rule(f, a, b)
        for _ in range(_MAX_ROUNDS):
            if a.size == 0:
                return result
            mid = 0.5 * (a + b)
            halves = _rule(f, np.concatenate([a, mid]), np.concatenate([mid, b]))
            left, right = halves[: a.size], halves[a.size :]
            fine = left + right
            # A panel one float step wide cannot be halved: its one-panel rule is final.
            degenerate = (mid <= a) | (mid >= b)
            fine = np.where(degenerate, whole, fine)
            infinite = ~np.isfinite(fine) | ~np.isfinite(whole)
            error = np.abs(fine - whole)
            done = infinite | degenerate | (error <= np.maximum(atol, rtol * np.abs(fine)))
            np.add.at(result, owner[done], np.where(np.isfinite(fine[done]), fine[done], whole[done] + fine[done]))
            todo = ~done
            a, b, owner = np.concatenate([a[todo], mid[todo]]), np.concatenate([mid[todo], b[todo]]), np.tile(owner[todo], 2)
            whole = np.concatenate([left[todo], right[todo]])
    # What is still open sits next to an integrable singularity; accept it if its error is negligible.
    leftover = float(np.sum(error[~done]))
    if a.size and leftover > _LEFTOVER_TOLERANCE:
        raise QuadratureError(
            f"adaptive quadrature did not converge on {a.size} panel(s) near x={a[0]!r} after {_MAX_ROUNDS} "
            f"halvings (error estimate {leftover:.3g})"
        )
    np.add.at(result, owner, whole)
    return result


def integrate(f: Callable, edges, *, atol: float = 1e-15, rtol: float = 1e-14) -> float:
    r"""The integral :math:`\int_{e_0}^{e_{n}} f(x)\,dx` over the panels between ``edges``.

    See :func:`integrate_panels` for the parameters. The panel integrals are added with
    :func:`math.fsum`. Returns ``+-inf`` when the integrand is infinite somewhere; ``ValueError``
    when it is ``+inf`` in one place and ``-inf`` in another, or NaN.
    """
    parts = integrate_panels(f, edges, atol=atol, rtol=rtol)
    if np.isnan(parts).any() or (np.isposinf(parts).any() and np.isneginf(parts).any()):
        raise ValueError("the integrand is +inf in one place and -inf in another: the integral is undefined")
    if np.isinf(parts).any():
        return float(parts[np.isinf(parts)][0])
    return math.fsum(parts)


def cumulative_integral(f: Callable, edges, x) -> np.ndarray:
    """``integral of f from edges[0] to x`` for every ``x`` (clipped to ``[edges[0], edges[-1]]``).

    Returns an array of the shape of ``x``.
    """
    edges = np.asarray(edges, dtype=float)
    x = np.asarray(x, dtype=float)
    clipped = np.clip(x, edges[0], edges[-1])
    all_edges = np.unique(np.concatenate([edges, clipped.ravel()]))
    running = np.concatenate([[0.0], np.cumsum(integrate_panels(f, all_edges))])
    return running[np.searchsorted(all_edges, clipped)]


def sign_changes(g: Callable, edges, *, xtol: float = 1e-13) -> np.ndarray:
    """Points where ``g`` changes sign between the Gauss nodes of the panels between ``edges``.

    The integrand ``|g|`` has a kink at each of them; splitting there restores the fast convergence
    of the Gauss rule. Brackets found on the nodes are refined by vectorized bisection to ``xtol``
    (relative to the bracket's position).

    Returns
    -------
    ndarray, shape (n_roots,)
    """
    edges = np.asarray(edges, dtype=float)
    a, b = edges[:-1], edges[1:]
    nodes = (0.5 * (a + b))[:, None] + (0.5 * (b - a))[:, None] * _NODES
    x = np.unique(np.concatenate([edges, nodes.ravel()]))
    s = np.sign(np.asarray(g(x), dtype=float))
    # Compare each point with the next point where g is not zero.
    nonzero = np.flatnonzero(s != 0)
    if nonzero.size < 2:
        return np.empty(0)
    change = np.flatnonzero(s[nonzero[:-1]] != s[nonzero[1:]])
    lo, hi = x[nonzero[change]], x[nonzero[change + 1]]
    s_lo = s[nonzero[change]]
    for _ in range(200):
        width = hi - lo
        if np.all(width <= xtol * np.maximum(1.0, np.abs(lo))):
            break
        mid = 0.5 * (lo + hi)
        same = np.sign(np.asarray(g(mid), dtype=float)) == s_lo
        lo, hi = np.where(same, mid, lo), np.where(same, hi, mid)
    return 0.5 * (lo + hi)


def fixed_rule_nodes(edges, min_panels: int, order: int = 8):
    """Nodes and weights of a fixed (not adaptive) Gauss-Legendre rule for live readouts.

    The panels between ``edges`` (breakpoints from :func:`panel_edges`, so that kinks and the integrable
    spikes of a generator's density sit at panel ends) have their longest half halved until there are at
    least ``min_panels``; each gets an ``order``-point rule. ``w @ f(x)`` then costs one evaluation of
    ``f``: a few milliseconds where the adaptive :func:`integrate` may take longer, at an accuracy the
    callers check against it.

    Returns
    -------
    x, w : ndarray, shape (n_panels * order,)
    """
    nodes, weights = np.polynomial.legendre.leggauss(order)
    edges = np.asarray(edges, dtype=float)
    while edges.size - 1 < min_panels:
        widths = np.diff(edges)
        long = widths >= np.quantile(widths, 0.5)
        edges = np.unique(np.concatenate([edges, 0.5 * (edges[:-1] + edges[1:])[long]]))
    a, b = edges[:-1], edges[1:]
    half = 0.5 * (b - a)
    x = (0.5 * (a + b))[:, None] + half[:, None] * nodes
    w = half[:, None] * weights
    return x.ravel(), w.ravel()
