r"""The exact density of :math:`x = G(z)` for a 1-D generator network and a 1-D noise prior.

By the change of variables, summed over every branch of a non-monotone :math:`G`,

.. math::
    p_g(x) = \sum_{z:\,G(z) = x} \frac{p_z(z)}{|G'(z)|}, \qquad
    F_g(x) = P(G(z) \le x) = \sum_{\text{monotone pieces } [a, b]} P_z\big(z \in [a, b],\ G(z) \le x\big),

with :math:`G'` from the network's hand-written backward pass
(:meth:`ganmath.nn.mlp.MLP.value_and_derivative`).

How the branches are found. :math:`G` is evaluated on a grid of noise values that is dense where the
noise has its mass (its quantiles) and covers its whole range. The turning points of :math:`G` (zeros
of :math:`G'`, and for ReLU networks the kinks where :math:`G'` changes sign) are located to machine
precision by bisection on the sign of :math:`G'`, and the kinks of piecewise-linear networks by
bisection on the hidden pre-activations; all become grid nodes. Between turning points :math:`G` is
monotone, and every :math:`z` with :math:`G(z) = x` is found by a safeguarded Newton iteration inside
its grid cell. A wiggle of :math:`G` narrower than a grid cell (two turning points within one cell)
would be missed; ``grid_size`` refines the grid.

What the activation does to :math:`p_g`.

* At a *fold* (a turning point :math:`z_0` with :math:`G''(z_0) \ne 0`) two branches meet and
  :math:`p_g(x) \sim c/\sqrt{|x - G(z_0)|}`: an integrable spike. Its value is among the
  ``breakpoints``, where the integrator starts its panels. Near the fold the branches are computed
  from the increment :math:`\int G'` and, within :math:`10^{-4}` of it, from the fold's Taylor model,
  because :math:`G(z)` itself cannot resolve them in float64 (see ``_solve_near_fold``).
* A *flat piece* of :math:`G` (an interval of noise values mapped to one point, which a ReLU generator
  has wherever every path to the output is switched off) puts a point mass in the law of :math:`G(z)`:
  it then has no density, and D*, JS and C(G) as integrals of densities do not exist. The
  constructor detects flat pieces and raises :class:`PointMassError` with the location and mass.
  The same happens, numerically, when tanh units saturate so hard that :math:`G` is constant to
  float64 precision on a piece of noise mass above 1e-12.
* A kink of a ReLU or leaky-ReLU generator makes :math:`p_g` jump.

Smooth activations (tanh, softplus) are therefore the default for the generator: :math:`G` is
analytic, has finitely many turning points and no flat piece, and :math:`p_g` is a density, smooth
away from its fold spikes. A leaky-ReLU generator also has a density (its slopes vanish only by exact
cancellation), piecewise constant for uniform noise.
"""

from __future__ import annotations

import numpy as np

from ganmath._validation import as_real_array, check_positive_int, check_rng
from ganmath.core.densities import Density
from ganmath.core.quadrature import bisect as bisect_brackets
from ganmath.core.quadrature import gauss_legendre_nodes

__all__ = ["GeneratorDensity", "PointMassError"]

# Flat pieces carrying less noise mass than this are left out of p_g (and reported as `neglected_mass`).
_NEGLIGIBLE_MASS = 1e-12
_GOLDEN_STEPS = 200  # golden-section steps: enough to shrink any float bracket to adjacent floats
_NEWTON_STEPS = 60
_PIECEWISE_LINEAR = ("relu", "leaky-relu")
# Within this distance in z of a smooth fold, p_g comes from the fold's cubic Taylor model.
_FOLD_ZONE = 1e-3


class PointMassError(ValueError):
    """The generator is constant on a set of positive noise mass: the law of G(z) has a point mass."""


def _noise_grid(noise: Density, grid_size: int) -> np.ndarray:
    """Noise values where G is first evaluated: quantiles of the noise and an even grid over its range."""
    low, high = noise.support
    if not (np.isfinite(low) and np.isfinite(high)):
        low, high = noise.integration_range
    quantiles = noise.ppf(np.linspace(0.0, 1.0, grid_size + 1)[1:-1])
    points = np.concatenate([np.linspace(low, high, grid_size), quantiles, noise.breakpoints, [low, high]])
    return np.unique(points[(points >= low) & (points <= high)])


def _runs(mask: np.ndarray):
    """``(first, last)`` index pairs of the maximal runs of True in a 1-D boolean array."""
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2], edges[1::2] - 1))


class GeneratorDensity(Density):
    r"""The exact density :math:`p_g` of :math:`G(z)`, :math:`z \sim p_z`, for a 1-in, 1-out generator.

    Parameters
    ----------
    generator : ganmath.nn.mlp.MLP
        A network with one input and one output. It is copied: later training does not change this density.
    noise : Density
        The noise prior :math:`p_z`, e.g. ``ganmath.Uniform(-1, 1)`` (Figure 1) or ``ganmath.Normal(0, 1)``.
    grid_size : int
        Number of evenly spaced and of quantile grid points (each) where G is first evaluated.

    Raises
    ------
    PointMassError
        When G is constant on a piece of noise mass above 1e-12 (a point mass: no density exists).

    Attributes
    ----------
    turning_points : ndarray
        Noise values where G turns (folds of smooth G; sign-changing kinks of piecewise-linear G).
    kinks : ndarray
        Noise values where a hidden pre-activation of a piecewise-linear G crosses 0.
    neglected_mass : float
        Noise mass of pieces where G is constant to float64 precision but below 1e-12 in total.

    Notes
    -----
    For an unbounded noise prior (Normal) the grid covers the noise's ``integration_range``
    (:math:`\pm 36.5\sigma`); branches beyond it carry noise density below 1e-290 and are left out.
    At a fold value itself (one point, of probability 0) ``pdf`` leaves out the two branches that meet
    there and so stays finite; its limit there is ``+inf``.
    """

    def __init__(self, generator, noise: Density, *, grid_size: int = 2049):
        if not (hasattr(generator, "value_and_derivative") and hasattr(generator, "sizes")):
            raise TypeError(f"generator must be a ganmath.nn.mlp.MLP, got generator={generator!r}")
        if generator.sizes[0] != 1 or generator.sizes[-1] != 1:
            raise ValueError(f"generator must have one input and one output, got sizes={generator.sizes}")
        if not isinstance(noise, Density):
            raise TypeError(f"noise must be a ganmath Density (Uniform, Normal, ...), got noise={noise!r}")
        grid_size = check_positive_int("grid_size", grid_size)
        if grid_size < 3:
            raise ValueError(f"grid_size must be >= 3, got grid_size={grid_size!r}")
        if not np.all(np.isfinite(generator.parameters)):
            raise ValueError("generator has non-finite weights")
        self.generator = generator.copy()
        self.noise = noise
        self._build(_noise_grid(noise, grid_size))

    def __repr__(self):
        return f"GeneratorDensity({self.generator!r}, noise={self.noise!r}, pieces={len(self.piece_starts)})"

    # --- construction -------------------------------------------------------------------------

    def _build(self, z):
        values, slopes = self.generator.value_and_derivative(z)
        if not (np.all(np.isfinite(values)) and np.all(np.isfinite(slopes))):
            raise ValueError("the generator returns non-finite values on the noise range")
        self._piecewise_linear = self.generator.activation in _PIECEWISE_LINEAR
        self.kinks = self._kinks(z) if self._piecewise_linear else np.empty(0)
        self.turning_points = self._turning_points(z, values, slopes)
        if not self._piecewise_linear and self.turning_points.size:
            # Clear the grid around each smooth fold, so that the cells ending at the fold cover its whole
            # Taylor zone (the branches near a fold are solved in the cell that ends there).
            distance = np.abs(z[:, None] - self.turning_points[None, :]).min(axis=1)
            keep = distance > 2 * _FOLD_ZONE
            keep[[0, -1]] = True
            z = z[keep]
        z = np.unique(np.concatenate([z, self.turning_points, self.kinks]))
        values, slopes = self.generator.value_and_derivative(z)
        self._z, self._values = z, values

        # Smooth folds: G' vanishes continuously there and G(z) alone cannot resolve x (_solve_near_fold).
        self._is_fold_node = np.zeros(z.size, dtype=bool)
        self._fold_curvature = np.zeros(z.size)
        self._fold_third = np.zeros(z.size)
        self._fold_fourth = np.zeros(z.size)
        if not self._piecewise_linear and self.turning_points.size:
            nodes = np.searchsorted(z, self.turning_points)
            self._is_fold_node[nodes] = True
            derivatives = self._fold_derivatives(z[nodes])
            self._fold_curvature[nodes], self._fold_third[nodes], self._fold_fourth[nodes] = derivatives

        # Cells where G is constant to float64 precision carry a point mass (see the module notes).
        direction = np.sign(np.diff(values))
        scale = np.maximum(np.abs(values[:-1]), np.abs(values[1:]))
        flat = np.abs(np.diff(values)) <= 4 * np.finfo(float).eps * scale
        direction[flat] = 0.0
        cell_mass = np.diff(self.noise.cdf(z))
        self.neglected_mass = 0.0
        for first, last in _runs(flat):
            mass = float(np.sum(cell_mass[first : last + 1]))
            if mass > _NEGLIGIBLE_MASS:
                raise PointMassError(
                    f"the generator is constant, G(z) = {values[first]:.10g}, for z in [{z[first]:.6g}, "
                    f"{z[last + 1]:.6g}], which carries noise mass {mass:.6g}: the law of G(z) has a point "
                    "mass there and no density. A ReLU generator does this where all its paths are switched "
                    "off (saturated tanh units do it to float64 precision); use a smooth hidden activation "
                    "(tanh, softplus) for the generator."
                )
            self.neglected_mass += mass

        # Monotone pieces: maximal runs of cells going one way, as node ranges [start, end] into z.
        starts, ends, signs = [], [], []
        for sign in (1.0, -1.0):
            for first, last in _runs(direction == sign):
                starts.append(first)
                ends.append(last + 1)
                signs.append(sign)
        order = np.argsort(starts)
        self.piece_starts = np.array(starts, dtype=int)[order]
        self.piece_ends = np.array(ends, dtype=int)[order]
        self.piece_signs = np.array(signs)[order]
        low, high = self.noise.support
        self._open_low = not np.isfinite(low)
        self._open_high = not np.isfinite(high)
        self._slope_at_ends = (slopes[0], slopes[-1])

    def _turning_points(self, z, values, slopes):
        """Turning points between grid nodes, refined by bisection on sign(G') (golden section if G' disagrees)."""
        direction = np.sign(np.diff(values))
        # A node where the cells on its two sides go opposite ways is next to a turning point.
        turn = np.flatnonzero((direction[:-1] * direction[1:]) < 0) + 1
        if turn.size == 0:
            return np.empty(0)
        low, high = z[turn - 1], z[turn + 1]
        rising = direction[turn - 1]  # the sign of G' left of the turning point
        bisect = (np.sign(slopes[turn - 1]) == rising) & (np.sign(slopes[turn + 1]) == -rising)
        points = z[turn].astype(float)
        if np.any(bisect):
            side = rising[bisect]

            def before_the_turn(mid):  # G' still has its left sign, or is 0: the turning point itself
                slope = np.sign(self.generator.value_and_derivative(mid)[1])
                return (slope == side) | (slope == 0)

            lo, _ = bisect_brackets(before_the_turn, low[bisect], high[bisect])
            points[bisect] = lo
        if np.any(~bisect):
            points[~bisect] = self._golden_extremum(low[~bisect], high[~bisect], rising[~bisect])
        return points

    def _golden_extremum(self, low, high, rising):
        """Location of the maximum (``rising > 0``) or minimum of G on each bracket, by golden section."""
        ratio = (np.sqrt(5.0) - 1.0) / 2.0
        a, b = low.copy(), high.copy()
        for _ in range(_GOLDEN_STEPS):
            c = b - ratio * (b - a)
            d = a + ratio * (b - a)
            if np.all((c <= a) | (d >= b) | (c >= d)):
                break
            keep_left = rising * self.generator(c[:, None])[:, 0] >= rising * self.generator(d[:, None])[:, 0]
            a, b = np.where(keep_left, a, c), np.where(keep_left, d, b)
        return 0.5 * (a + b)

    def _fold_derivatives(self, z_fold):
        r""":math:`G''`, :math:`G'''`, :math:`G''''` at the folds, by five-point differences of :math:`G'`.

        :math:`G'` comes from the backward pass; with :math:`h = 10^{-3}` the errors are about
        :math:`10^{-12}` relative for :math:`G''` and :math:`10^{-8}`, :math:`10^{-6}` for the higher
        derivatives, which enter multiplied by powers of the distance to the fold (below :math:`10^{-4}`).
        """
        h = 1e-3 * np.maximum(1.0, np.abs(z_fold))
        points = z_fold[:, None] + h[:, None] * np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
        s = self.generator.value_and_derivative(points.ravel())[1].reshape(points.shape)
        second = (s[:, 0] - 8 * s[:, 1] + 8 * s[:, 3] - s[:, 4]) / (12 * h)
        third = (-s[:, 0] + 16 * s[:, 1] - 30 * s[:, 2] + 16 * s[:, 3] - s[:, 4]) / (12 * h * h)
        fourth = (-s[:, 0] + 2 * s[:, 1] - 2 * s[:, 3] + s[:, 4]) / (2 * h**3)
        return second, third, fourth

    def _kinks(self, z):
        """Where a hidden pre-activation of a piecewise-linear generator crosses 0, by bisection on it."""
        found = []
        for layer, pre in enumerate(self.generator.pre_activations(z[:, None])):
            cell, unit = np.nonzero(np.sign(pre[:-1]) * np.sign(pre[1:]) < 0)
            if cell.size == 0:
                continue
            sign_lo = np.sign(pre[cell, unit])

            def same_side(mid, layer=layer, unit=unit, sign_lo=sign_lo):
                values = self.generator.pre_activations(mid[:, None])[layer]
                return np.sign(values[np.arange(mid.size), unit]) == sign_lo

            _, hi = bisect_brackets(same_side, z[cell], z[cell + 1])
            found.append(hi)  # the first float on the far side of the crossing
        return np.concatenate(found) if found else np.empty(0)

    # --- inversion ----------------------------------------------------------------------------

    def preimages(self, x):
        r"""Every branch :math:`z` with :math:`G(z) = x`.

        Parameters
        ----------
        x : array_like, shape (n,)

        Returns
        -------
        index : ndarray of int, shape (n_branches,)
            Which entry of ``x`` each branch belongs to.
        z : ndarray, shape (n_branches,)
        slope : ndarray, shape (n_branches,)
            :math:`G'(z)` (``inf`` for the two branches at a fold value itself, which are left out of ``pdf``).
        piece : ndarray of int, shape (n_branches,)
            The monotone piece the branch lies on.
        """
        x = np.asarray(x, dtype=float).ravel()
        indices, cells, pieces = [], [], []
        for p, (start, end, sign) in enumerate(zip(self.piece_starts, self.piece_ends, self.piece_signs)):
            values = self._values[start : end + 1]
            increasing = values if sign > 0 else values[::-1]
            inside = np.flatnonzero((x >= increasing[0]) & (x <= increasing[-1]))
            if inside.size == 0:
                continue
            position = np.clip(np.searchsorted(increasing, x[inside], side="right") - 1, 0, increasing.size - 2)
            indices.append(inside)
            cells.append(start + position if sign > 0 else end - 1 - position)
            pieces.append(np.full(inside.size, p))
        if not indices:
            return np.empty(0, dtype=int), np.empty(0), np.empty(0), np.empty(0, dtype=int)
        index, cell, piece = np.concatenate(indices), np.concatenate(cells), np.concatenate(pieces)
        z, slope = self._solve_in_cells(x[index], cell)
        return index, z, slope, piece

    def _solve_in_cells(self, target, cell):
        """Solve G(z) = target in each cell [z[cell], z[cell + 1]], where G is monotone; ``z`` and ``G'(z)``."""
        z, slope = np.empty(target.size), np.empty(target.size)
        fold_left = self._is_fold_node[cell]
        fold_right = self._is_fold_node[cell + 1] & ~fold_left
        near_fold = fold_left | fold_right
        direct = ~near_fold
        if np.any(direct):
            z[direct], slope[direct] = self._solve_direct(target[direct], cell[direct])
        if np.any(near_fold):
            fold_node = np.where(fold_left, cell, cell + 1)[near_fold]
            other_node = np.where(fold_left, cell + 1, cell)[near_fold]
            z[near_fold], slope[near_fold] = self._solve_near_fold(target[near_fold], fold_node, other_node)
        if self._piecewise_linear:
            # G is linear inside each cell (its kinks are nodes): take the slope inside the cell, which is
            # also the right one-sided slope when the root is a node (a kink or a turning point).
            slope = self.generator.value_and_derivative(0.5 * (self._z[cell] + self._z[cell + 1]))[1]
        return z, slope

    def _solve_direct(self, target, cell):
        """Bracketed Newton on G(z) = target in [z[cell], z[cell + 1]], from the secant guess."""
        lo, hi = self._z[cell].copy(), self._z[cell + 1].copy()
        width = hi - lo
        value_lo, value_hi = self._values[cell], self._values[cell + 1]
        orientation = np.sign(value_hi - value_lo)
        with np.errstate(invalid="ignore", divide="ignore"):
            fraction = np.clip((target - value_lo) / (value_hi - value_lo), 0.0, 1.0)
        z = lo + fraction * width
        value, slope = self.generator.value_and_derivative(z)
        active = np.arange(z.size)
        for _ in range(_NEWTON_STEPS):
            residual = value - target[active]
            below = residual * orientation[active] < 0
            lo[active] = np.where(below, z[active], lo[active])
            hi[active] = np.where(below, hi[active], z[active])
            with np.errstate(invalid="ignore", divide="ignore"):
                proposal = z[active] - residual / slope
            outside = ~((proposal > lo[active]) & (proposal < hi[active])) | ~np.isfinite(proposal)
            proposal = np.where(outside, 0.5 * (lo[active] + hi[active]), proposal)
            proposal = np.where(residual == 0, z[active], proposal)
            # Quadratic convergence: once a step is below 1e-13 of the cell, the step taken squares the error.
            tiny = np.maximum(4 * np.spacing(np.abs(z[active])), 1e-13 * width[active])
            done = (residual == 0) | (np.abs(proposal - z[active]) <= tiny) | (hi[active] - lo[active] <= tiny)
            z[active] = proposal
            active = active[~done]
            if active.size == 0:
                break
            value, slope = self.generator.value_and_derivative(z[active])
        return z, self.generator.value_and_derivative(z)[1]

    def _solve_near_fold(self, target, fold_node, other_node):
        r"""Solve G(z) = target in a cell that ends at a smooth fold :math:`z_f` (where :math:`G'(z_f) = 0`).

        Near a fold :math:`G(z) - G(z_f) \approx \tfrac12 G''(z_f)(z - z_f)^2`: a rounding error of one
        unit in G(z) moves the root by :math:`\sqrt{\epsilon}`, and the density :math:`p_z/|G'|` would be
        wrong by 100% within a few ulps of the fold value. So, by the distance :math:`t = z - z_f`:

        * :math:`|t| > 10^{-4}`: solve :math:`\int_{z_f}^{z} G'(s)\,ds = x - G(z_f)` instead, whose sides are
          accurate to about :math:`\epsilon/|t|` relative (the subtraction on the right is exact near the fold);
        * :math:`|t| \le 10^{-4}`: use the quartic Taylor model
          :math:`G(z_f + t) = G(z_f) + G'' t^2/2 + G''' t^3/6 + G'''' t^4/24`, whose own error is
          :math:`O(t^3)` relative; it is smooth, so the integrators converge on the spike.

        At the fold value itself the two branches that meet there are left out (slope ``inf``).
        """
        z_fold, z_other = self._z[fold_node], self._z[other_node]
        gap = target - self._values[fold_node]  # exact (Sterbenz) where it matters, next to the fold
        total = self._values[other_node] - self._values[fold_node]
        width = z_other - z_fold
        curvature, third, fourth = (self._fold_curvature[fold_node], self._fold_third[fold_node],
                                    self._fold_fourth[fold_node])
        z, slope = np.empty(gap.size), np.empty(gap.size)

        with np.errstate(invalid="ignore", divide="ignore"):
            t = np.sign(width) * np.sqrt(2.0 * gap / curvature)
        modelled = np.isfinite(t) & (np.abs(t) <= _FOLD_ZONE)
        if np.any(modelled):
            tm, k, k3, k4, g = t[modelled], curvature[modelled], third[modelled], fourth[modelled], gap[modelled]
            at_fold = g == 0
            tm = np.where(at_fold, 1.0, tm)  # placeholder, replaced below
            with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
                for _ in range(4):  # Newton on the quartic model, from its quadratic root
                    model = 0.5 * k * tm**2 + k3 * tm**3 / 6.0 + k4 * tm**4 / 24.0 - g
                    tm = tm - model / (k * tm + 0.5 * k3 * tm**2 + k4 * tm**3 / 6.0)
            z[modelled] = z_fold[modelled] + np.where(at_fold, 0.0, tm)
            slope[modelled] = np.where(at_fold, np.inf, k * tm + 0.5 * k3 * tm**2 + k4 * tm**3 / 6.0)

        solve = ~modelled
        if np.any(solve):
            z[solve], slope[solve] = self._solve_increment(gap[solve], total[solve], z_fold[solve], width[solve])
            slope[solve & (gap == 0)] = np.inf
        return z, slope

    def _increment(self, z_fold, z):
        r""":math:`G(z) - G(z_f) = \int_{z_f}^{z} G'(s)\,ds` by 16-point Gauss-Legendre, and :math:`G'(z)`."""
        nodes, weights = gauss_legendre_nodes(z_fold, z)
        _, slopes = self.generator.value_and_derivative(np.concatenate([nodes.ravel(), z]))
        inner = slopes[: nodes.size].reshape(nodes.shape)
        return np.sum(weights * inner, axis=1), slopes[nodes.size :]

    def _solve_increment(self, gap, total, z_fold, width):
        """Newton on the increment of G from the fold, in s = (z - z_fold) / width in [0, 1]."""
        with np.errstate(invalid="ignore", divide="ignore"):
            s = np.sqrt(np.clip(gap / total, 0.0, 1.0))  # the square-root law of a fold, fitted to the cell
        s_low, s_high = np.zeros(s.size), np.ones(s.size)
        active = np.arange(s.size)
        for _ in range(_NEWTON_STEPS):
            increment, slope = self._increment(z_fold[active], z_fold[active] + s[active] * width[active])
            residual = increment - gap[active]
            short = residual * total[active] < 0  # the increment falls short of the target: s is too small
            s_low[active] = np.where(short, s[active], s_low[active])
            s_high[active] = np.where(short, s_high[active], s[active])
            with np.errstate(invalid="ignore", divide="ignore"):
                proposal = s[active] - residual / (slope * width[active])
            outside = ~((proposal > s_low[active]) & (proposal < s_high[active])) | ~np.isfinite(proposal)
            proposal = np.where(outside, 0.5 * (s_low[active] + s_high[active]), proposal)
            proposal = np.where(residual == 0, s[active], proposal)
            # G' near a fold is a difference of O(1) terms, so the residual has a noise floor: stop once the
            # step is below 1e-10 of the distance to the fold (the step taken squares that error).
            done = (np.abs(proposal - s[active]) <= 1e-10 * s[active]) | (
                s_high[active] - s_low[active] <= 4 * np.spacing(s[active])
            )
            s[active] = proposal
            active = active[~done]
            if active.size == 0:
                break
        z = z_fold + s * width
        return z, self.generator.value_and_derivative(z)[1]

    # --- the Density interface ----------------------------------------------------------------

    def logpdf(self, x):
        r""":math:`\log p_g(x) = \operatorname{logsumexp}_{\text{branches}} [\log p_z(z) - \log|G'(z)|]`."""
        x = as_real_array(x)
        flat = x.ravel()
        out = np.full(flat.shape, -np.inf)
        index, z, slope, _ = self.preimages(flat)
        if index.size:
            with np.errstate(divide="ignore"):
                terms = self.noise.logpdf(z) - np.log(np.abs(slope))
            np.logaddexp.at(out, index, terms)
        return out.reshape(x.shape)

    def cdf(self, x):
        r""":math:`F_g(x)`: the noise mass of :math:`\{z: G(z) \le x\}`, summed over the monotone pieces."""
        x = as_real_array(x)
        flat = x.ravel()
        noise_cdf_nodes = self.noise.cdf(self._z)
        # An unbounded noise's tails beyond the grid (below 1e-290) go to the outermost pieces.
        if self._open_low:
            noise_cdf_nodes[0] = 0.0
        if self._open_high:
            noise_cdf_nodes[-1] = 1.0
        total = np.zeros(flat.shape)
        index, z, _, piece = self.preimages(flat)
        crossing_cdf = self.noise.cdf(z)
        for p, (start, end, sign) in enumerate(zip(self.piece_starts, self.piece_ends, self.piece_signs)):
            mass_low, mass_high = noise_cdf_nodes[start], noise_cdf_nodes[end]
            top = max(self._values[start], self._values[end])
            total += np.where(flat >= top, mass_high - mass_low, 0.0)
            on_piece = (piece == p) & (flat[index] < top)
            partial = crossing_cdf[on_piece] - mass_low if sign > 0 else mass_high - crossing_cdf[on_piece]
            np.add.at(total, index[on_piece], partial)
        return np.clip(total, 0.0, 1.0).reshape(x.shape)

    def sample(self, n, rng):
        """``G(z)`` for ``n`` noise draws ``z`` from ``rng``; shape ``(n,)``."""
        n = check_positive_int("n", n, allow_zero=True)
        z = self.noise.sample(n, check_rng(rng))
        return self.generator(z[:, None])[:, 0]

    @property
    def support(self):
        """G's range over the noise support; an end is infinite where unbounded noise keeps G moving."""
        low, high = self.integration_range
        first_slope, last_slope = self._slope_at_ends
        if self._open_low and first_slope != 0:
            low, high = (-np.inf, high) if first_slope > 0 else (low, np.inf)
        if self._open_high and last_slope != 0:
            low, high = (low, np.inf) if last_slope > 0 else (-np.inf, high)
        return (low, high)

    @property
    def integration_range(self):
        """G's range over the grid (the noise's support, or its integration range when unbounded)."""
        return (float(np.min(self._values)), float(np.max(self._values)))

    @property
    def breakpoints(self):
        """Fold and kink values, the ends of the monotone pieces, and the images of the noise's own breakpoints.

        The fold and kink values are the very numbers the pieces end at, so that the integrator's
        panels meet exactly at a spike; images of noise points within 64 ulps of them are dropped.
        """
        special_nodes = np.searchsorted(self._z, np.concatenate([self.turning_points, self.kinks]))
        nodes = np.concatenate([self.piece_starts, self.piece_ends, special_nodes]).astype(int)
        exact = np.unique(self._values[nodes])
        low, high = self._z[0], self._z[-1]
        noise_points = np.concatenate([self.noise.breakpoints, self.noise.ppf(np.linspace(0.05, 0.95, 19))])
        noise_points = noise_points[(noise_points > low) & (noise_points < high)]
        images = self.generator(noise_points[:, None])[:, 0]
        if exact.size:
            position = np.searchsorted(exact, images)
            above = exact[np.clip(position, 0, exact.size - 1)]
            below = exact[np.clip(position - 1, 0, exact.size - 1)]
            distance = np.minimum(np.abs(images - above), np.abs(images - below))
            images = images[distance > 64 * np.spacing(np.abs(images))]
        return np.unique(np.concatenate([exact, images]))

    def _key(self):
        return (self.generator.parameters.tobytes(), self.generator.sizes, self.generator.activation, self.noise)
