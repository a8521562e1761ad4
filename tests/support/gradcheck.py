"""Gradient checks by central differences, shared by the nn tests.

``numerical_gradient`` perturbs one entry of an array at a time (in place, then restores it) and uses
the five-point central difference

    f'(x) ~ (f(x - 2h) - 8 f(x - h) + 8 f(x + h) - f(x + 2h)) / (12 h),

whose truncation error is O(h^4): with h = 1e-3 both it and the rounding error (~1e-16 / h) stay near
1e-13, far below the 1e-7 relative error the checks demand. For piecewise-linear networks (ReLU) the
stencil is exact as long as no pre-activation crosses 0 within 2h, which the tests check.

The relative error of an analytic gradient ``a`` against a numerical one ``n`` is
``max|a - n| / max(max|a|, max|n|)``: the largest error measured against the gradient's own scale,
so an entry that is 0 in both does not divide by 0.
"""

from __future__ import annotations

import numpy as np


def numerical_gradient(f, x: np.ndarray, step: float = 1e-3) -> np.ndarray:
    """Five-point central-difference gradient of the scalar ``f()`` with respect to the array ``x``.

    ``f`` takes no arguments and reads ``x`` (which is perturbed in place and restored).
    """
    grad = np.zeros_like(x)
    flat, flat_grad = x.reshape(-1), grad.reshape(-1)
    if not np.shares_memory(flat, x):
        raise ValueError("x must be contiguous so that its entries can be perturbed in place")
    for i in range(flat.size):
        original = flat[i]
        values = []
        for offset in (-2.0, -1.0, 1.0, 2.0):
            flat[i] = original + offset * step
            values.append(float(f()))
        flat[i] = original
        flat_grad[i] = (values[0] - 8.0 * values[1] + 8.0 * values[2] - values[3]) / (12.0 * step)
    return grad


def relative_error(analytic, numeric) -> float:
    """``max|a - n| / max(max|a|, max|n|)``; 0 when both are exactly 0."""
    analytic, numeric = np.asarray(analytic, dtype=float), np.asarray(numeric, dtype=float)
    if analytic.shape != numeric.shape:
        raise ValueError(f"shapes differ: {analytic.shape} and {numeric.shape}")
    scale = max(np.max(np.abs(analytic), initial=0.0), np.max(np.abs(numeric), initial=0.0))
    if scale == 0.0:
        return 0.0
    return float(np.max(np.abs(analytic - numeric)) / scale)


def assert_gradient_matches(analytic, numeric, *, tolerance: float = 1e-7, what: str = "gradient"):
    """Fail with both gradients printed when their relative error exceeds ``tolerance``."""
    error = relative_error(analytic, numeric)
    assert np.all(np.isfinite(analytic)) and np.all(np.isfinite(numeric)), f"{what}: non-finite values"
    assert np.max(np.abs(numeric)) > 0, f"{what}: the numerical gradient is 0, the check would be empty"
    assert error < tolerance, (
        f"{what}: relative error {error:.3e} >= {tolerance:g}\n"
        f"analytic:  {np.ravel(analytic)[:8]}\nnumerical: {np.ravel(numeric)[:8]}"
    )


def directional_derivative(f, x: np.ndarray, direction: np.ndarray, step: float = 1e-3) -> float:
    """Five-point central difference of ``t -> f(x + t v)`` at ``t = 0`` (``x`` perturbed in place, restored)."""
    original = x.copy()
    values = []
    for offset in (-2.0, -1.0, 1.0, 2.0):
        x[...] = original + offset * step * direction
        values.append(float(f()))
    x[...] = original
    return (values[0] - 8.0 * values[1] + 8.0 * values[2] - values[3]) / (12.0 * step)


def assert_directional_derivative_matches(f, x, grad, rng, *, step=1e-3, tolerance=1e-7, what="gradient"):
    """<grad, v> against the finite difference of ``f`` along a random unit direction ``v``."""
    direction = rng.normal(size=x.shape)
    direction /= np.linalg.norm(direction)
    analytic = float(np.vdot(grad, direction))
    numeric = directional_derivative(f, x, direction, step)
    error = abs(analytic - numeric) / max(abs(analytic), abs(numeric))
    assert error < tolerance, (
        f"{what}: <grad, v> = {analytic!r} but the finite difference gives {numeric!r} (relative error {error:.3e})"
    )
