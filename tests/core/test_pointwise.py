"""ganmath.core.pointwise and ganmath.core.presets: Proposition 1 point by point, label smoothing, the presets.

References: the closed forms a/(a+b) and alpha a/(a+b) (derived in ganmath.core.symbolic, and checked there),
the sympy expression of the smoothed objective, and scipy's QUADPACK on the integrand of C(G).
"""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate as sp_integrate

import ganmath as gm
from ganmath.core import quadrature
from ganmath.core import symbolic
from ganmath.core.presets import data_preset, data_presets, random_densities, two_mode_generator
from ganmath.core.pointwise import (
    criterion_integrand,
    numeric_pointwise_argmax,
    pointwise_objective,
    smoothed_optimal_discriminator,
)
from support.strategies import densities

positive = st.floats(1e-6, 1e3)
alphas = st.floats(0.05, 1.0)


@settings(max_examples=100, deadline=None)
@given(positive, positive, alphas)
def test_numeric_argmax_is_the_closed_form(a, b, alpha):
    assert numeric_pointwise_argmax(a, b, alpha) == pytest.approx(alpha * a / (a + b), abs=2e-8)


def test_numeric_argmax_at_the_edges_and_on_arrays():
    # Only the generator has mass: D = 0; only the data: D = alpha.
    assert numeric_pointwise_argmax(0.0, 1.0) == pytest.approx(0.0, abs=1e-20)
    assert numeric_pointwise_argmax(1.0, 0.0) == pytest.approx(1.0, abs=1e-20)
    assert numeric_pointwise_argmax(1.0, 0.0, alpha=0.9) == pytest.approx(0.9, abs=1e-8)
    a = np.array([[0.1, 0.2], [0.3, 0.4]])
    found = numeric_pointwise_argmax(a, 0.25)
    assert found.shape == (2, 2)
    np.testing.assert_allclose(found, a / (a + 0.25), atol=2e-8)


def test_objective_matches_the_sympy_expression():
    derivation = symbolic.optimal_discriminator()
    expression = sp.lambdify((sp.Symbol("D", positive=True), derivation.p_data, derivation.p_g, derivation.alpha),
                             derivation.smoothed_objective, "numpy")
    for logit, a, b, alpha in [(-2.0, 0.3, 0.5, 1.0), (0.4, 1.2, 0.1, 0.9), (3.0, 0.05, 2.0, 0.7)]:
        d = 1 / (1 + math.exp(-logit))
        assert pointwise_objective(logit, a, b, alpha) == pytest.approx(expression(d, a, b, alpha), rel=1e-13)


@settings(max_examples=50, deadline=None)
@given(positive, positive, alphas, st.floats(-3.0, 3.0).filter(lambda v: abs(v) > 1e-3))
def test_objective_is_largest_at_the_closed_form(a, b, alpha, step):
    best = math.log(alpha * a / (a + b)) - math.log1p(-alpha * a / (a + b))
    assert pointwise_objective(best, a, b, alpha) > pointwise_objective(best + step, a, b, alpha)


def test_objective_handles_infinite_logits_with_zero_weight():
    assert pointwise_objective(math.inf, 1.0, 0.0) == 0.0
    assert pointwise_objective(-math.inf, 0.0, 1.0) == 0.0
    assert pointwise_objective(math.inf, 0.0, 1.0) == -math.inf
    assert pointwise_objective(0.0, 1.0, 1.0) == pytest.approx(-2 * math.log(2.0))


def test_smoothed_optimum_is_alpha_times_d_star():
    p_data, p_g = gm.Normal(0.0, 1.0), gm.Uniform(-1.0, 1.0)
    x = np.linspace(-3, 3, 61)
    smoothed = smoothed_optimal_discriminator(p_data, p_g, x, 0.9)
    np.testing.assert_allclose(smoothed, 0.9 * gm.optimal_discriminator(p_data, p_g, x), rtol=1e-15)
    # Where only the data has mass the target is alpha, not 1.
    assert smoothed[0] == pytest.approx(0.9) and smoothed[-1] == pytest.approx(0.9)
    numeric = numeric_pointwise_argmax(p_data.pdf(x), p_g.pdf(x), alpha=0.9)
    np.testing.assert_allclose(numeric, smoothed, atol=2e-8)


def quad_criterion(p, q):
    def integrand(x):
        a, b = float(p.pdf(x)), float(q.pdf(x))
        total = a + b
        return (a * math.log(a / total) if a > 0 else 0.0) + (b * math.log(b / total) if b > 0 else 0.0)

    low = min(p.integration_range[0], q.integration_range[0])
    high = max(p.integration_range[1], q.integration_range[1])
    points = np.unique(np.concatenate([p.breakpoints, q.breakpoints]))
    points = points[(points > low) & (points < high)]
    return sp_integrate.quad(integrand, low, high, points=points, limit=1000, epsabs=1e-12)[0]


@pytest.mark.parametrize(
    ("p", "q"),
    [
        (gm.Normal(0, 1), gm.Normal(2, 1)),
        (gm.Mixture([gm.Normal(-2, 0.6), gm.Normal(2, 0.6)]), gm.Normal(0.5, 1.5)),
        (gm.Uniform(-1.5, 1.5), gm.Normal(1.0, 0.7)),
    ],
)
def test_criterion_integrand_integrates_to_c_of_g(p, q):
    edges = np.unique(np.concatenate([p.breakpoints, q.breakpoints]))
    edges = edges[(edges >= -40) & (edges <= 40)]
    total = quadrature.integrate(lambda x: criterion_integrand(p, q, x), edges)
    assert total == pytest.approx(quad_criterion(p, q), abs=1e-9)
    assert total == pytest.approx(gm.virtual_criterion(p, q), abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(densities, densities)
def test_criterion_integrand_is_never_positive_and_bounded_by_log2(p, q):
    x = np.linspace(-8, 8, 101)
    values = criterion_integrand(p, q, x)
    assert np.all(values <= 0)
    # Pointwise JS is >= 0: the integrand is at least -(p + q) log 2.
    assert np.all(values >= -(p.pdf(x) + q.pdf(x)) * math.log(2.0) * (1 + 1e-12) - 1e-300)


def test_criterion_integrand_special_cases():
    p = gm.Normal(0.3, 0.9)
    x = np.linspace(-2, 2, 9)
    np.testing.assert_allclose(criterion_integrand(p, p, x), -2 * p.pdf(x) * math.log(2.0), rtol=1e-14)
    disjoint = criterion_integrand(gm.Uniform(0, 1), gm.Uniform(2, 3), np.array([-1.0, 0.5, 1.5, 2.5]))
    assert np.all(disjoint == 0.0)


def test_presets_are_densities():
    presets = data_presets()
    assert set(presets) == {"normal", "bimodal", "skewed", "uniform", "one Gaussian", "two modes", "three modes",
                            "N(4, 0.5)", "truncated normal"}
    for name, density in presets.items():
        edges = density.breakpoints
        total = quadrature.integrate(density.pdf, edges[(edges >= -40) & (edges <= 40)])
        assert total == pytest.approx(1.0, abs=1e-12), name
        assert data_preset(name) == density
    with pytest.raises(ValueError, match="name"):
        data_preset("cauchy")


def test_two_mode_generator():
    assert two_mode_generator(1.0, 0.5) == gm.Normal(1.0, 0.5)
    mixed = two_mode_generator(1.0, 0.5, second_weight=0.25, second_offset=-3.0)
    x = np.linspace(-4, 3, 15)
    expected = 0.75 * gm.Normal(1.0, 0.5).pdf(x) + 0.25 * gm.Normal(-2.0, 0.5).pdf(x)
    np.testing.assert_allclose(mixed.pdf(x), expected, rtol=1e-13)
    for kwargs, match in [({"spread": 0.0}, "spread"), ({"second_weight": 1.0}, "second_weight"),
                          ({"mean": float("nan")}, "mean"), ({"second_offset": "far"}, "second_offset")]:
        arguments = {"mean": 0.0, "spread": 1.0, **kwargs}
        with pytest.raises((ValueError, TypeError), match=match):
            two_mode_generator(**arguments)


def test_random_densities_are_seeded_and_varied():
    first = random_densities(30, np.random.default_rng(5))
    second = random_densities(30, np.random.default_rng(5))
    assert first == second
    assert {type(d).__name__ for d in first} == {"Normal", "Uniform", "Mixture"}
    for density in first:
        edges = density.breakpoints
        total = quadrature.integrate(density.pdf, edges[(edges >= -50) & (edges <= 50)])
        assert total == pytest.approx(1.0, abs=1e-12)
    assert random_densities(0, np.random.default_rng(0)) == []
    with pytest.raises(TypeError, match="rng"):
        random_densities(3, 42)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: numeric_pointwise_argmax(0.0, 0.0), ValueError, "both 0"),
        (lambda: numeric_pointwise_argmax(-1.0, 1.0), ValueError, "p_data_value"),
        (lambda: numeric_pointwise_argmax(1.0, 1.0, alpha=0.0), ValueError, "alpha"),
        (lambda: pointwise_objective(0.0, 1.0, 1.0, alpha=1.5), ValueError, "alpha"),
        (lambda: pointwise_objective(np.nan, 1.0, 1.0), ValueError, "logit"),
        (lambda: smoothed_optimal_discriminator(gm.Normal(), gm.Normal(), [0.0], alpha=-0.1), ValueError, "alpha"),
        (lambda: criterion_integrand(gm.Normal(), "q", [0.0]), TypeError, "p_g"),
        (lambda: criterion_integrand(gm.Normal(), gm.Normal(), [np.inf]), ValueError, "x"),
    ],
)
def test_bad_input_names_the_parameter(call, error, match):
    with pytest.raises(error, match=match):
        call()
