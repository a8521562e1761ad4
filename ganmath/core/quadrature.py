"""The one integrator every divergence and expectation uses.

Vectorized adaptive Gauss-Legendre quadrature. The line is first cut at the breakpoints of the
densities involved (support ends, component centres, multiples of each component's scale), so that
every starting panel holds a smooth piece of the integrand. Each round integrates every open panel
with a 16-point rule on the whole panel and on its two halves; a panel is accepted when the two agree
to ``atol`` (absolute) or ``rtol`` (relative), otherwise its halves go to the next round. All panels of
a round are evaluated in one call of the integrand, so one integral costs a few numpy calls.

The Gauss nodes stop 0.5% of a panel's width short of its ends, so a feature narrower than that sitting
on a panel end (a discriminator whose logit turns sharply at a breakpoint) is invisible to both rules.
Each round therefore also samples the integrand just inside both ends of every open panel and compares
it with the end value of the polynomial through the nodes; a panel whose end disagrees by more than the
polynomial's own uncertainty, and by enough to matter, is halved like one whose two rules disagree.

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
    "gauss_legendre_nodes",
    "bisect",
]

_ORDER = 16
_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(_ORDER)
_MAX_ROUNDS = 64
# After _MAX_ROUNDS halvings only panels next to an integrable singularity (the 1/sqrt spike of a
# pushforward density at a fold of G) are still open; their summed error estimate must be this small.
_LEFTOVER_TOLERANCE = 1e-10
# atol=None: the absolute tolerance is this fraction of the first estimate of the integral, so that an
# integral of 1e-80 keeps the relative precision of one of order 1 (about 1e-14 after ~100 panels) ...
_ATOL_OF_ESTIMATE = 1e-16
# ... but never below the smallest normal floats, where the integrand itself loses relative precision.
_ATOL_FLOOR = 1e-300
# Where the end probes sit, as a fraction of the panel width from each end.
_PROBE_OFFSET = 1e-12


def _end_interpolation(order: int) -> np.ndarray:
    """Weights ``l_j(-1)`` of the Lagrange basis on the Gauss nodes: ``values @ l`` is the value at the
    left end of the polynomial through the nodes (at the right end too, by the symmetry of the nodes)."""
    nodes = np.polynomial.legendre.leggauss(order)[0]
    weights = np.empty(order)
    for j in range(order):
        others = np.delete(nodes, j)
        weights[j] = np.prod((-1.0 - others) / (nodes[j] - others))
    return weights


# values @ _END_MATRIX: the polynomial through the nodes at the left and at the right end, shape (n, 2).
_END_MATRIX = np.stack([_end_interpolation(_ORDER), _end_interpolation(_ORDER)[::-1]], axis=1)
# Distance from a panel end to its nearest node, as a fraction of the panel width.
_FIRST_NODE_GAP = 0.5 * (1.0 + _NODES[0])
_EMPTY = np.empty((0, 2))


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


def gauss_legendre_nodes(a, b, order: int = _ORDER):
    r"""Nodes and weights of the ``order``-point Gauss-Legendre rule on each panel ``[a_i, b_i]``.

    The reference nodes :math:`t_j \in (-1, 1)` map to :math:`x_{ij} = c_i + h_i t_j` with centre
    :math:`c_i = (a_i + b_i)/2` and half-width :math:`h_i = (b_i - a_i)/2`; the weights scale by
    :math:`h_i`, so that ``np.sum(w * f(x), axis=1)`` approximates each panel's integral.

    Parameters
    ----------
    a, b : array_like, shape (n_panels,)
        Panel ends (``b < a`` integrates backwards, with negative weights).
    order : int
        Points per panel.

    Returns
    -------
    x, w : ndarray, shape (n_panels, order)
    """
    a = np.atleast_1d(np.asarray(a, dtype=float))
    b = np.atleast_1d(np.asarray(b, dtype=float))
    nodes, weights = (_NODES, _WEIGHTS) if order == _ORDER else np.polynomial.legendre.leggauss(order)
    half = 0.5 * (b - a)
    x = (0.5 * (a + b))[:, None] + half[:, None] * nodes
    return x, half[:, None] * weights


def bisect(predicate: Callable, low, high, *, xtol: float = 0.0, rtol: float = 0.0, max_steps: int = 200):
    """Vectorized bisection: shrink every bracket ``[low_i, high_i]`` onto the point where ``predicate``
    turns from True to False.

    Parameters
    ----------
    predicate : callable
        ``predicate(mid) -> bool array`` of the shape of ``mid``: True where the point sought lies above
        ``mid`` (``mid`` becomes the new low end), False where it lies at or below (the new high end).
        Called once per step with every bracket's midpoint.
    low, high : array_like, shape (n,)
        Brackets, ``low <= high``.
    xtol, rtol : float
        Stop once every bracket is narrower than ``max(xtol, rtol * |low|)``, or when no bracket can be
        halved any more (its ends are adjacent floats): with the defaults, machine precision.
    max_steps : int
        At most this many halvings (200 take any float bracket down to adjacent floats).

    Returns
    -------
    low, high : ndarray, shape (n,)
        The final brackets; ``0.5 * (low + high)`` is the usual estimate, ``high`` the first float past
        the change.
    """
    low = np.array(low, dtype=float)
    high = np.array(high, dtype=float)
    for _ in range(max_steps):
        width, mid = high - low, 0.5 * (low + high)
        if np.all((width <= np.maximum(xtol, rtol * np.abs(low))) | (mid <= low) | (mid >= high)):
            break
        above = np.asarray(predicate(mid), dtype=bool)
        low, high = np.where(above, mid, low), np.where(above, high, mid)
    return low, high


def _rule(f: Callable, a: np.ndarray, b: np.ndarray, extra: np.ndarray = _EMPTY):
    """Gauss-Legendre sums over the panels ``[a_i, b_i]``, all nodes and the ``extra`` points in one call of ``f``.

    Returns
    -------
    sums : ndarray, shape (n,)
    values : ndarray, shape (n, _ORDER)
        The integrand at the nodes.
    extra_values : ndarray, the shape of ``extra``
    """
    x, _ = gauss_legendre_nodes(a, b)
    points = np.concatenate([x.ravel(), extra.ravel()])
    evaluated = np.asarray(f(points), dtype=float)
    if evaluated.shape != points.shape:
        raise ValueError(
            f"the integrand must return an array of the shape of x {points.shape}, got shape {evaluated.shape}"
        )
    if np.isnan(evaluated).any():
        bad = points[np.isnan(evaluated)][0]
        raise ValueError(f"the integrand returned NaN at x={bad!r}")
    values = evaluated[: x.size].reshape(x.shape)
    # half * (values @ weights): the sums the integrator has always formed, so that results stay bit for bit.
    return 0.5 * (b - a) * (values @ _WEIGHTS), values, evaluated[x.size :].reshape(extra.shape)


def _end_probes(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Points a hair inside both ends of each panel, shape (n, 2); never on an end, where the integrand may
    be undefined (a support end), and never past the nearest node."""
    offset = _PROBE_OFFSET * (b - a)
    inner = _FIRST_NODE_GAP * 0.5 * (b - a)
    left = np.minimum(np.maximum(a + offset, np.nextafter(a, np.inf)), a + inner)
    right = np.maximum(np.minimum(b - offset, np.nextafter(b, -np.inf)), b - inner)
    return np.stack([left, right], axis=1)


def _end_layer_error(whole_values, left_values, right_values, probes, width):
    """The integral the Gauss nodes may miss in a thin layer at either end of each panel (0 if there is none).

    At each end the polynomial through the half panel's nodes is extrapolated to the end, and so is the one
    through the whole panel's nodes: their difference is how well a smooth integrand is known there. A probe
    further from the half's value than several times that has found a layer thinner than the gap between the
    end and the first node, and the layer can hold up to (deviation x gap) of the integral.
    """
    whole_ends = whole_values @ _END_MATRIX
    half_ends = np.stack([left_values @ _END_MATRIX[:, 0], right_values @ _END_MATRIX[:, 1]], axis=1)
    deviation = np.abs(probes - half_ends)
    # For a smooth integrand the half's extrapolation is the better one and the probe lies within about the
    # two extrapolations' difference of it; 8 times that leaves room for rounding. A non-finite probe or
    # extrapolation says nothing about a layer: the rules' comparison handles infinities.
    layer = np.isfinite(deviation) & (deviation > 8.0 * np.abs(half_ends - whole_ends))
    return np.where(layer, deviation, 0.0).max(axis=1) * (_FIRST_NODE_GAP * 0.5 * width)


def integrate_panels(f: Callable, edges, *, atol: float | None = 1e-15, rtol: float = 1e-14) -> np.ndarray:
    """Integrals of ``f`` over each panel ``[edges[i], edges[i+1]]``.

    Parameters
    ----------
    f : callable
        Vectorized integrand, ``f(x)`` with ``x`` of shape ``(n,)`` returns shape ``(n,)``.
    edges : array_like, shape (n_edges,)
        Sorted finite panel ends.
    atol : float or None
        Per-panel absolute tolerance on the difference between the one-panel and the two-half-panel
        rules (and on the integral an end layer may hold), in the units of the integral. ``None`` makes it
        relative to the integral: ``1e-16`` times the first estimate of ``sum |integral over a panel|``
        (at least 1e-300), for integrals whose size is unknown (an overlap of 1e-80 then keeps its
        relative precision; a fixed 1e-15 would accept it after the first round).
    rtol : float
        Per-panel relative tolerance on the same differences.

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
        whole, whole_values, _ = _rule(f, a, b)
        if atol is None:
            estimate = float(np.sum(np.abs(whole[np.isfinite(whole)])))
            atol = max(_ATOL_OF_ESTIMATE * estimate, _ATOL_FLOOR)
        for _ in range(_MAX_ROUNDS):
            if a.size == 0:
                return result
            mid = 0.5 * (a + b)
            halves, half_values, probes = _rule(
                f, np.concatenate([a, mid]), np.concatenate([mid, b]), _end_probes(a, b)
            )
            left, right = halves[: a.size], halves[a.size :]
            fine = left + right
            # A panel one float step wide cannot be halved: its one-panel rule is final.
            degenerate = (mid <= a) | (mid >= b)
            fine = np.where(degenerate, whole, fine)
            infinite = ~np.isfinite(fine) | ~np.isfinite(whole)
            error = np.abs(fine - whole)
            tolerance = np.maximum(atol, rtol * np.abs(fine))
            layer = _end_layer_error(whole_values, half_values[: a.size], half_values[a.size :], probes, b - a)
            done = infinite | degenerate | ((error <= tolerance) & (layer <= tolerance))
            np.add.at(result, owner[done], np.where(np.isfinite(fine[done]), fine[done], whole[done] + fine[done]))
            todo = ~done
            a, b, owner = np.concatenate([a[todo], mid[todo]]), np.concatenate([mid[todo], b[todo]]), np.tile(owner[todo], 2)
            whole = np.concatenate([left[todo], right[todo]])
            whole_values = np.concatenate([half_values[: todo.size][todo], half_values[todo.size :][todo]])
    # What is still open sits next to an integrable singularity; accept it if its error is negligible.
    leftover = float(np.sum(error[~done]))
    if a.size and leftover > _LEFTOVER_TOLERANCE:
        raise QuadratureError(
            f"adaptive quadrature did not converge on {a.size} panel(s) near x={a[0]!r} after {_MAX_ROUNDS} "
            f"halvings (error estimate {leftover:.3g})"
        )
    np.add.at(result, owner, whole)
    return result


def integrate(f: Callable, edges, *, atol: float | None = 1e-15, rtol: float = 1e-14) -> float:
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
    of the Gauss rule. Brackets found on the nodes are refined by :func:`bisect` to ``xtol``
    (relative to the bracket's position, absolute below 1). ``g`` is only called inside the panels,
    never on an edge, where it may be undefined (a density at the end of its support).

    Returns
    -------
    ndarray, shape (n_roots,)
    """
    edges = np.asarray(edges, dtype=float)
    nodes, _ = gauss_legendre_nodes(edges[:-1], edges[1:])
    x = np.unique(nodes.ravel())
    s = np.sign(np.asarray(g(x), dtype=float))
    # Compare each point with the next point where g is not zero.
    nonzero = np.flatnonzero(s != 0)
    if nonzero.size < 2:
        return np.empty(0)
    change = np.flatnonzero(s[nonzero[:-1]] != s[nonzero[1:]])
    s_low = s[nonzero[change]]
    low, high = bisect(lambda mid: np.sign(np.asarray(g(mid), dtype=float)) == s_low,
                       x[nonzero[change]], x[nonzero[change + 1]], xtol=xtol, rtol=xtol)
    return 0.5 * (low + high)


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
    edges = np.asarray(edges, dtype=float)
    while edges.size - 1 < min_panels:
        widths = np.diff(edges)
        long = widths >= np.quantile(widths, 0.5)
        edges = np.unique(np.concatenate([edges, 0.5 * (edges[:-1] + edges[1:])[long]]))
    x, w = gauss_legendre_nodes(edges[:-1], edges[1:], order)
    return x.ravel(), w.ravel()
