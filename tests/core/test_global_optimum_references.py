"""Theorem 1 of Goodfellow et al. (2014) on many generators: C(G) = -log 4 + 2 JSD = -log 4 + KL(p||m) + KL(q||m).

References: three different integrands of the library (the value at D*, the overlap log 2 - JS, and the KL
divergences against the mixture m), scipy's QUADPACK on the definition of C(G), and sympy's exact JS of two
shifted uniforms.
"""

import math

import numpy as np
import pytest
from scipy import integrate, special

import ganmath as gm
from ganmath.core import presets, symbolic

LOG2, LOG4 = math.log(2.0), math.log(4.0)
P_DATA = gm.Normal(1.0, 0.8)
GENERATORS = presets.random_densities(40, np.random.default_rng(1406))


def quadpack_criterion(p, q, low=-12.0, high=14.0):
    """C(G) = int p log(p / (p + q)) + q log(q / (p + q)) dx by QUADPACK, split at the densities' breakpoints."""
    def integrand(x):
        a, b = float(p.pdf(x)), float(q.pdf(x))
        return special.xlogy(a, a / (a + b)) + special.xlogy(b, b / (a + b)) if a + b > 0 else 0.0

    edges = np.unique(np.concatenate([p.breakpoints, q.breakpoints]))
    edges = edges[(edges > low) & (edges < high)]
    return integrate.quad(integrand, low, high, points=edges, limit=800, epsabs=1e-12)[0]


def test_the_criterion_is_minus_log4_plus_twice_the_js_and_eq5_on_forty_generators():
    for p_g in GENERATORS:
        criterion = gm.virtual_criterion(P_DATA, p_g)
        js = gm.js_divergence(P_DATA, p_g)
        m = gm.Mixture([P_DATA, p_g])
        eq5 = -LOG4 + gm.kl_divergence(P_DATA, m) + gm.kl_divergence(p_g, m)
        assert criterion == pytest.approx(-LOG4 + 2 * js, abs=1e-10), repr(p_g)
        assert criterion == pytest.approx(eq5, abs=1e-10), repr(p_g)
        assert 0 <= js <= LOG2 and -LOG4 <= criterion <= 0, repr(p_g)


@pytest.mark.parametrize("index", range(8))
def test_the_criterion_matches_quadpack_on_its_definition(index):
    p_g = GENERATORS[index]
    assert gm.virtual_criterion(P_DATA, p_g) == pytest.approx(quadpack_criterion(P_DATA, p_g), abs=1e-9), repr(p_g)


def test_the_forty_generators_span_the_range_of_the_criterion():
    # Not a degenerate sample: the JS goes from near 0 to near log 2.
    js = np.array([gm.js_divergence(P_DATA, p_g) for p_g in GENERATORS])
    assert js.min() < 0.1 and js.max() > 0.65


@pytest.mark.parametrize("a", [0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 3.0])
def test_shifted_uniforms_reach_log2_exactly_once_apart(a):
    t, expression = symbolic.js_of_shifted_uniforms()
    exact = float(expression.subs(t, min(a, 1.0))) if a > 0 else 0.0
    p, q = gm.Uniform(0.0, 1.0), gm.Uniform(a, 1.0 + a)
    assert gm.js_divergence(p, q) == pytest.approx(exact, abs=1e-12)
    assert gm.virtual_criterion(p, q) == pytest.approx(-LOG4 + 2 * exact, abs=1e-12)


def test_disjoint_uniforms_give_log2_and_zero_to_the_last_bit():
    assert gm.js_divergence(gm.Uniform(0, 1), gm.Uniform(2, 3)) == LOG2
    assert gm.virtual_criterion(gm.Uniform(0, 1), gm.Uniform(2, 3)) == 0.0
    assert gm.virtual_criterion(gm.Uniform(0, 1), gm.Uniform(1.0, 2.0)) == 0.0
    assert gm.virtual_criterion(gm.Uniform(0, 1), gm.Uniform(0.99, 1.99)) < 0.0


def test_the_floor_is_reached_at_the_data_with_d_star_one_half():
    x = np.linspace(-4, 6, 101)
    assert gm.virtual_criterion(P_DATA, gm.Normal(1.0, 0.8)) == pytest.approx(-LOG4, abs=1e-13)
    np.testing.assert_allclose(gm.optimal_discriminator(P_DATA, gm.Normal(1.0, 0.8), x), 0.5, rtol=0, atol=1e-15)


@pytest.mark.parametrize("ratio", [0.5, 0.25, 0.8])
def test_spreads_in_reciprocal_ratios_share_a_floor(ratio):
    # Same mean: the JS depends on the ratio of the spreads only, and it is symmetric.
    narrow = gm.virtual_criterion(P_DATA, gm.Normal(1.0, 0.8 * ratio))
    wide = gm.virtual_criterion(P_DATA, gm.Normal(1.0, 0.8 / ratio))
    assert narrow == pytest.approx(wide, abs=1e-10)
    assert narrow > -LOG4
