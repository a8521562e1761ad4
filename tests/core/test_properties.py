"""The paper's identities as Hypothesis properties over random Gaussians, uniforms and mixtures."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate as sp_integrate
from scipy import optimize

import ganmath as gm
from support.strategies import densities, locations, scales

EXAMPLES = settings(max_examples=200, deadline=None)
LOG4 = math.log(4.0)


@EXAMPLES
@given(densities, densities)
def test_js_is_symmetric_and_bounded(p, q):
    forward, backward = gm.js_divergence(p, q), gm.js_divergence(q, p)
    assert abs(forward - backward) <= 1e-12
    assert 0.0 <= forward <= math.log(2.0)


@EXAMPLES
@given(densities)
def test_js_of_a_density_with_itself_is_zero(p):
    assert abs(gm.js_divergence(p, p)) <= 1e-12


@EXAMPLES
@given(densities, densities)
def test_kl_is_non_negative(p, q):
    assert gm.kl_divergence(p, q) >= 0.0


@EXAMPLES
@given(locations, scales, locations, scales)
def test_kl_of_gaussians_equals_the_closed_form(m1, s1, m2, s2):
    closed = math.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5
    assert abs(gm.kl_divergence(gm.Normal(m1, s1), gm.Normal(m2, s2)) - closed) <= 1e-9


@EXAMPLES
@given(densities, densities, st.lists(st.floats(-12.0, 12.0), min_size=1, max_size=20))
def test_optimal_discriminator_is_a_probability_where_defined(p, q, xs):
    x = np.array(xs)
    d = gm.optimal_discriminator(p, q, x)
    undefined = (p.logpdf(x) == -np.inf) & (q.logpdf(x) == -np.inf)
    assert np.all(np.isnan(d) == undefined)
    assert np.all((d[~undefined] >= 0) & (d[~undefined] <= 1))


@EXAMPLES
@given(densities, st.lists(st.floats(-12.0, 12.0), min_size=1, max_size=20))
def test_optimal_discriminator_is_one_half_where_p_g_equals_p_data(p, xs):
    x = np.array(xs)
    d = gm.optimal_discriminator(p, p, x)
    defined = p.logpdf(x) > -np.inf
    assert np.all(d[defined] == 0.5)


@EXAMPLES
@given(densities, densities, st.floats(-3, 3), st.floats(-3, 3), st.floats(-1, 0), st.floats(-2, 2))
def test_optimal_discriminator_maximizes_the_value_function(p, q, a, b, c, w):
    # Any discriminator, here D = sigmoid(a + b x + c x^2 + w sin 3x), does no better than D*.
    def logit(x):
        return a + b * x + c * x**2 + w * np.sin(3 * x)

    best = gm.virtual_criterion(p, q)
    assert gm.value_function(logit, p, q, logit=True) <= best + 1e-12
    # V(D*, G) through the value function itself agrees with C(G).
    through_v = gm.value_function(lambda x: gm.optimal_discriminator_logit(p, q, x), p, q, logit=True)
    assert abs(through_v - best) <= 1e-11


@EXAMPLES
@given(densities, densities)
def test_criterion_is_minus_log4_plus_twice_js(p, q):
    assert abs(gm.virtual_criterion(p, q) - (-LOG4 + 2.0 * gm.js_divergence(p, q))) <= 1e-10


@EXAMPLES
@given(densities, densities)
def test_criterion_is_minus_log4_plus_two_kls_to_the_mixture(p, q):
    # Eq. 5: C(G) = -log 4 + KL(p_data || m) + KL(p_g || m), m = (p_data + p_g)/2.
    m = gm.Mixture([p, q], [0.5, 0.5])
    eq5 = -LOG4 + gm.kl_divergence(p, m) + gm.kl_divergence(q, m)
    assert abs(gm.virtual_criterion(p, q) - eq5) <= 1e-10


@pytest.mark.filterwarnings("ignore::scipy.integrate.IntegrationWarning")
@EXAMPLES
@given(densities, densities)
def test_w1_equals_the_integral_of_the_cdf_gap(p, q):
    # Independent: scipy's QUADPACK on |F_p - F_q|, split at the supports' ends, the centres and the
    # crossings of the two CDFs (found by a scan and brentq), where |F_p - F_q| has its kinks.
    low = min(p.integration_range[0], q.integration_range[0])
    high = max(p.integration_range[1], q.integration_range[1])
    gap = lambda x: float(p.cdf(x)) - float(q.cdf(x))
    scan = np.linspace(low, high, 20001)
    values = p.cdf(scan) - q.cdf(scan)
    # A crossing is where the gap changes sign by more than rounding (equal CDFs differ by ~1e-17 noise, whose
    # signs flip at random and which brentq, evaluating one point at a time, may not see flip).
    real = np.abs(values) > 1e-12
    change = np.flatnonzero((np.sign(values[:-1]) * np.sign(values[1:]) < 0) & real[:-1] & real[1:])
    crossings = [optimize.brentq(gap, scan[i], scan[i + 1], xtol=1e-14) for i in change]
    points = np.unique(np.concatenate([p.breakpoints, q.breakpoints, crossings, [low, high]]))
    points = points[(points >= low) & (points <= high)]
    reference = math.fsum(
        sp_integrate.quad(lambda x: abs(gap(x)), a, b, epsabs=1e-13, epsrel=1e-13, limit=200)[0]
        for a, b in zip(points[:-1], points[1:])
    )
    assert abs(gm.wasserstein1(p, q) - reference) <= 1e-9


@EXAMPLES
@given(densities, densities)
def test_tv_is_bounded_and_symmetric(p, q):
    tv = gm.total_variation(p, q)
    assert 0.0 <= tv <= 1.0
    assert abs(tv - gm.total_variation(q, p)) <= 1e-12
    # Pinsker-type bounds tie TV to JS: JS <= TV log 2 (Lin 1991) and TV^2 / 2 <= ... keep the first.
    assert gm.js_divergence(p, q) <= tv * math.log(2.0) + 1e-12


@EXAMPLES
@given(densities)
def test_densities_integrate_to_one_and_match_their_cdf(p):
    from ganmath.core.quadrature import integrate, panel_edges

    assert abs(integrate(p.pdf, panel_edges(p)) - 1.0) <= 1e-12
    low, high = p.integration_range
    assert abs(p.cdf(low)) <= 1e-12 and abs(p.cdf(high) - 1.0) <= 1e-12
    q = np.array([0.1, 0.5, 0.9])
    np.testing.assert_allclose(p.cdf(p.ppf(q)), q, atol=1e-12)
