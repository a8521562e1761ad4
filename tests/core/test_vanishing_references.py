"""The numbers of the vanishing-gradients lesson against independent references.

The JS of N(0, 1) and N(d, 1) and its slope tabulated at nine separations (computed here in mpmath from the
definition at 30 digits; the survey of Wang, She & Ward 2019 prints only 0.693, 0.693 and 0.336 and a plot), the
separations its three-digit values allow, the large-distance asymptote of log 2 - JS, central differences of the
library's general quadrature, the uniforms' exactly flat JS, W1 = d, the generator's costs against their formulas,
and the gradient through D* in closed form.
"""

import math

import mpmath as mp
import numpy as np
import pytest
from scipy import special
from support import mp_reference as mpr

import ganmath as gm
from ganmath.core.costs import GENERATOR_LOSSES, generator_cost, generator_cost_grad
from ganmath.core.vanishing import (
    gaussian_distance_at_js,
    gaussian_js,
    gaussian_js_deficit,
    gaussian_js_slope,
    generator_gradient,
    shifted_uniforms_js,
    shifted_uniforms_js_slope,
)

LOG2 = math.log(2.0)
P_DATA = gm.Normal(0.0, 1.0)

#: d/sigma -> (JS, dJS/dd) of N(0, 1) and N(d, 1), computed in mpmath (the JS from its definition).
REFERENCE_TABLE = {
    0.5: (0.0303113005, 0.117631753), 1.0: (0.111421482, 0.198986434), 2.0: (0.336830820, 0.224799755),
    3.0: (0.526777307, 0.147931877), 4.0: (0.632720194, 0.0685974088), 5.0: (0.675942577, 0.0236898086),
    6.0: (0.689297933, 0.00622661961), 8.0: (0.693053645, 0.000196437368), 10.0: (0.693146317, 2.23205e-6),
}


def central_difference(f, x, h=1e-4):
    return (f(x + h) - f(x - h)) / (2 * h)


@pytest.mark.parametrize("d", sorted(REFERENCE_TABLE))
def test_the_table_is_mpmaths_js_and_the_library_agrees_two_ways(d):
    with mp.workdps(30):
        reference = float(mpr.js(mpr.normal(0, 1), mpr.normal(d, 1), extra=[d / 2]))
    js, slope = REFERENCE_TABLE[d]
    assert reference == pytest.approx(js, abs=1e-9)
    assert gaussian_js(d) == pytest.approx(reference, abs=1e-9)
    assert gaussian_js(d) == pytest.approx(gm.js_divergence(P_DATA, gm.Normal(d, 1.0)), abs=1e-12)
    assert gaussian_js_slope(d) == pytest.approx(slope, rel=1e-6)


@pytest.mark.parametrize("js, distance", [
    (0.6925, 7.0242), (0.693, 7.7814), (0.3355, 1.9941), (0.3365, 1.9985), (0.336, 1.9963), (0.337, 2.0008),
])
def test_the_separations_the_surveys_three_digits_allow(js, distance):
    # 0.693 rounded from d = 7.024 sigma, truncated from 7.781 sigma; 0.336 rounded or truncated about d = 2 sigma.
    found = gaussian_distance_at_js(js)
    assert found == pytest.approx(distance, abs=1e-4)
    assert gm.js_divergence(P_DATA, gm.Normal(found, 1.0)) == pytest.approx(js, abs=1e-12)


def test_two_sigma_reads_0336_truncated_and_0337_rounded():
    assert math.floor(1000 * gaussian_js(2.0)) / 1000 == 0.336
    assert round(gaussian_js(2.0), 3) == 0.337
    for d in (8.0, 12.0):
        assert math.floor(1000 * gaussian_js(d)) / 1000 == 0.693 and gaussian_js(d) < LOG2


@pytest.mark.parametrize("d", [8.0, 12.0, 20.0, 40.0])
def test_the_deficit_approaches_its_asymptote_from_below(d):
    # log 2 - JS ~ sqrt(2 pi)/d exp(-d^2/8); the next term is O(1/d^2).
    deficit = gaussian_js_deficit(d)
    asymptote = math.sqrt(2 * math.pi) / d * math.exp(-d * d / 8)
    assert deficit > 0 and 1 - 12 / d**2 < deficit / asymptote < 1


@pytest.mark.parametrize("d", [0.5, 1.0, 2.0, 5.0, 9.0])
def test_the_stein_slope_is_the_central_difference_of_the_quadrature_js(d):
    def js(t):
        return gm.js_divergence(P_DATA, gm.Normal(t, 1.0))

    assert gaussian_js_slope(d) == pytest.approx(central_difference(js, d), rel=1e-5, abs=1e-10)


@pytest.mark.parametrize("a", [0.25, 0.5, 1.5, 3.0])
def test_the_uniforms_js_and_its_slope_by_quadrature_and_w1(a):
    h = 1e-4
    p, q = gm.Uniform(0, 1), gm.Uniform(a, 1 + a)
    difference = central_difference(lambda s: gm.js_divergence(p, gm.Uniform(s, 1 + s)), a, h)
    assert gm.js_divergence(p, q) == pytest.approx(shifted_uniforms_js(a), abs=1e-9)
    assert difference == pytest.approx(shifted_uniforms_js_slope(a), abs=1e-9)
    if a > 1:
        assert difference == 0.0  # exactly flat: no gradient at all
    assert gm.wasserstein1(p, q) == pytest.approx(a, abs=1e-10)
    assert gm.wasserstein1(P_DATA, gm.Normal(a, 1.0)) == pytest.approx(a, abs=1e-10)


def test_the_costs_against_their_formulas_and_their_slopes_against_central_differences():
    d_values = np.array([0.01, 0.5, 0.99])
    logits = special.logit(d_values)
    np.testing.assert_allclose(generator_cost(logits, "minimax"), [-0.010050, -0.693147, -4.605170], atol=1e-6)
    np.testing.assert_allclose(generator_cost(logits, "minimax"), np.log1p(-d_values), rtol=1e-12)
    np.testing.assert_allclose(generator_cost(logits, "non-saturating"), -np.log(d_values), rtol=1e-12)
    np.testing.assert_allclose(generator_cost(logits, "maximum-likelihood"), -d_values / (1 - d_values), rtol=1e-12)
    a = np.linspace(-12, 6, 37)
    for loss in GENERATOR_LOSSES:
        difference = (generator_cost(a + 1e-6, loss) - generator_cost(a - 1e-6, loss)) / 2e-6
        np.testing.assert_allclose(generator_cost_grad(a, loss), difference, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("d", [0.5, 2.0, 5.0, 8.0])
def test_the_gradients_through_d_star_in_closed_form(d):
    # KL(N(d,1) || N(0,1)) = KL(N(0,1) || N(d,1)) = d^2/2: the gradients are 2 JS', d - 2 JS' and d.
    slope = gaussian_js_slope(d)
    g = {loss: generator_gradient(P_DATA, gm.Normal(d, 1.0), loss) for loss in GENERATOR_LOSSES}
    np.testing.assert_allclose([g["minimax"], g["non-saturating"], g["maximum-likelihood"]],
                               [2 * slope, d - 2 * slope, d], rtol=1e-9, atol=1e-15)
