"""The adaptive integrator on integrals with known values."""

import math

import numpy as np
import pytest

from ganmath.core.quadrature import QuadratureError, cumulative_integral, integrate, integrate_panels, sign_changes


def test_smooth_integrals_to_machine_precision():
    assert abs(integrate(np.exp, [0.0, 1.0]) - (math.e - 1)) <= 1e-15
    assert abs(integrate(np.cos, [0.0, 100.0]) - math.sin(100.0)) <= 1e-13


def test_kinks_at_edges_are_exact_and_kinks_inside_converge():
    assert abs(integrate(np.abs, [-1.0, 0.0, 2.0]) - 2.5) <= 1e-15
    b = 3.0 / math.sqrt(2.0)
    assert abs(integrate(np.abs, [-1.0, b]) - (0.5 + b * b / 2)) <= 1e-13


def test_a_jump_inside_a_panel_converges():
    assert abs(integrate(lambda x: np.where(x < 0.3, 1.0, 0.0), [0.0, 1.0]) - 0.3) <= 1e-12


def test_integrable_endpoint_singularity():
    assert abs(integrate(lambda x: 0.5 / np.sqrt(x), [0.0, 1.0]) - 1.0) <= 1e-9


def test_non_integrable_singularity_raises():
    with pytest.raises(QuadratureError, match="did not converge"):
        integrate(lambda x: 1.0 / x, [0.0, 1.0])


def test_infinite_values_give_an_infinite_integral():
    assert integrate(lambda x: np.where(x > 0.5, -np.inf, 1.0), [0.0, 1.0]) == -np.inf
    with pytest.raises(ValueError, match=r"\+inf in one place and -inf in another"):
        integrate(lambda x: np.where(x > 0.5, -np.inf, np.inf), [0.0, 0.5, 1.0])


def test_nan_integrand_is_reported():
    with pytest.raises(ValueError, match="NaN at x="):
        integrate(lambda x: np.where(x > 0.5, np.nan, 1.0), [0.0, 1.0])


def test_panels_and_cumulative_integral():
    parts = integrate_panels(lambda x: 2 * x, [0.0, 1.0, 2.0, 3.0])
    np.testing.assert_allclose(parts, [1.0, 3.0, 5.0], rtol=1e-15)
    np.testing.assert_allclose(cumulative_integral(lambda x: 2 * x, [0.0, 3.0], [-1.0, 0.5, 2.0, 9.0]),
                               [0.0, 0.25, 4.0, 9.0], rtol=1e-14)


def test_sign_changes_locates_roots():
    roots = sign_changes(lambda x: (x - 0.3) * (x - 2.2) * (x + 1.7), [-3.0, 0.0, 3.0])
    np.testing.assert_allclose(roots, [-1.7, 0.3, 2.2], atol=1e-12)
    assert sign_changes(lambda x: x**2 + 1, [-1.0, 1.0]).size == 0


def test_panels_one_float_step_wide():
    # Two breakpoints one ulp apart (from two mixture components) make a panel that cannot be halved.
    edges = [0.0, 5.199999999999999, 5.2, 6.0]
    assert abs(integrate(lambda x: np.ones_like(x), edges) - 6.0) <= 1e-14
    assert integrate(lambda x: np.where(x > 5.0, np.inf, 1.0), edges) == np.inf


def test_kl_is_infinite_with_near_coincident_breakpoints():
    import ganmath as gm

    p = gm.Mixture([gm.Normal(-2, 0.6), gm.Normal(2, 0.8)], [0.6, 0.4])
    assert gm.kl_divergence(p, gm.Uniform(-2.5, 0.5)) == np.inf


def test_fixed_rule_nodes_integrate_smooth_pieces():
    from ganmath.core.quadrature import fixed_rule_nodes

    x, w = fixed_rule_nodes([0.0, 0.5, 2.0], min_panels=16)
    assert x.size == w.size >= 16 * 8
    assert abs(w @ np.exp(x) - (math.exp(2.0) - 1.0)) <= 1e-14
    assert abs(w @ np.abs(x - 0.5) - (0.125 + 1.125)) <= 1e-14  # the kink sits at a panel end
