"""ganmath.core.vanishing: the JS of separating Gaussians and uniforms, and the generator's gradient through D*.

References: the JS and its slope tabulated at nine separations (computed in mpmath), mpmath at 30 digits
(the JS from its definition, tests/support/mp_reference.py, and log 2 - JS written here), central differences of
ganmath's quadrature divergences, scipy's QUADPACK on the direct definitions, and sympy.
"""

import math

import mpmath as mp
import numpy as np
import pytest
from scipy import integrate as sp_integrate
from scipy import optimize, special

import ganmath as gm
from support import mp_reference as mpr
from ganmath.core import symbolic
from ganmath.core.vanishing import (
    gaussian_distance_at_js,
    gaussian_js,
    gaussian_js_deficit,
    gaussian_js_slope,
    generator_gradient,
    shifted,
    shifted_uniforms_js,
    shifted_uniforms_js_slope,
)

LOG2 = math.log(2.0)

# JS and dJS/dd of N(0, 1) and N(d, 1) against d/sigma at nine separations, computed in mpmath (the survey of
# Wang, She & Ward 2019 plots these curves and prints only 0.693, 0.693 and 0.336).
REFERENCE_TABLE = {
    0.5: (0.0303113005, 0.117631753),
    1.0: (0.111421482, 0.198986434),
    2.0: (0.336830820, 0.224799755),
    3.0: (0.526777307, 0.147931877),
    4.0: (0.632720194, 0.0685974088),
    5.0: (0.675942577, 0.0236898086),
    6.0: (0.689297933, 0.00622661961),
    8.0: (0.693053645, 0.000196437368),
    10.0: (0.693146317, 2.23205e-6),
}


def mp_deficit(d):
    """log 2 - JS(N(0,1), N(d,1)) = E_{x~N(0,1)}[softplus(d x - d^2/2)] in mpmath, split where the densities cross."""
    d = mp.mpf(d)

    def integrand(x):
        return mp.npdf(x) * mp.log1p(mp.exp(d * x - d * d / 2))

    points = sorted({mp.mpf(-40), mp.mpf(0), d / 2 - 1, d / 2, d / 2 + 1, d / 2 + 40})
    return mp.quad(integrand, points, maxdegree=10)


def central_difference(f, x, h=1e-4):
    return (f(x + h) - f(x - h)) / (2 * h)


@pytest.mark.parametrize("d", sorted(REFERENCE_TABLE))
def test_js_and_its_slope_match_the_reference_table(d):
    js, slope = REFERENCE_TABLE[d]
    assert gaussian_js(d) == pytest.approx(js, abs=1e-9)
    assert gaussian_js_slope(d) == pytest.approx(slope, rel=1e-6)


@pytest.mark.parametrize("d", [0.1, 0.5, 1.0, 2.0, 3.5, 6.0])
def test_js_matches_mpmath_from_the_definition(d):
    with mp.workdps(30):
        reference = float(mpr.js(mpr.normal(0, 1), mpr.normal(d, 1), extra=[d / 2]))
    assert gaussian_js(d) == pytest.approx(reference, abs=1e-13)


@pytest.mark.parametrize("d", [8.0, 12.0, 20.0, 30.0, 45.0])
def test_deficit_keeps_its_relative_accuracy_far_apart(d):
    with mp.workdps(40):
        reference = float(mp_deficit(d))
    assert gaussian_js_deficit(d) == pytest.approx(reference, rel=1e-11)


@pytest.mark.parametrize("d", [0.3, 1.0, 1.63626, 2.5, 4.0, 7.0])
def test_slope_is_the_derivative_of_ganmaths_js(d):
    # JS by the library's general quadrature, differenced: an independent route to the Stein form.
    def js(t):
        return gm.js_divergence(gm.Normal(0.0, 1.0), gm.Normal(t, 1.0))

    assert gaussian_js_slope(d) == pytest.approx(central_difference(js, d), abs=2e-9)


@pytest.mark.parametrize("d", [0.5, 2.0, 9.0, 20.0])
def test_slope_is_the_mpmath_derivative_of_the_deficit(d):
    with mp.workdps(40):
        reference = float(-mp.diff(mp_deficit, d))
    assert gaussian_js_slope(d) == pytest.approx(reference, rel=1e-9)


def test_slope_peaks_at_1_636_sigma():
    found = optimize.minimize_scalar(lambda d: -gaussian_js_slope(d), bounds=(1.0, 2.5), method="bounded",
                                     options={"xatol": 1e-9})
    assert found.x == pytest.approx(1.63626, abs=1e-5)
    assert -found.fun == pytest.approx(0.233660, abs=1e-6)


def test_small_distance_behaviour():
    # JS ~ d^2/8 and dJS/dd ~ d/4 as d -> 0.
    for d in (1e-3, 1e-2):
        assert gaussian_js(d) == pytest.approx(d * d / 8, rel=1e-3)
        assert gaussian_js_slope(d) == pytest.approx(d / 4, rel=1e-3)
    assert gaussian_js(0.0) == 0.0
    assert gaussian_js_slope(0.0) == 0.0


@pytest.mark.parametrize("d", [10.0, 20.0, 40.0])
def test_deficit_approaches_the_asymptote(d):
    # log 2 - JS ~ sqrt(2 pi)/d exp(-d^2/8); the next term is O(1/d^2) relative (about 9/d^2 here).
    asymptote = math.sqrt(2 * math.pi) / d * math.exp(-d * d / 8)
    ratio = gaussian_js_deficit(d) / asymptote
    assert 1 - 12 / d**2 < ratio < 1


def test_gaussians_never_reach_log2():
    # The deficit stays positive at any distance; in float64 log 2 - JS is visible in JS itself up to d ~ 16.
    for d in (5.0, 10.0, 20.0, 38.0):
        assert gaussian_js_deficit(d) > 0
    for d in (5.0, 10.0, 14.0):
        assert gaussian_js(d) < LOG2


def test_sigma_only_rescales_the_distance():
    sigma = 2.5
    for d in (1.0, 4.0, 9.0):
        assert gaussian_js(d, sigma) == pytest.approx(gaussian_js(d / sigma), abs=1e-15)
        reference = central_difference(lambda t: gm.js_divergence(gm.Normal(0, sigma), gm.Normal(t, sigma)), d)
        assert gaussian_js_slope(d, sigma) == pytest.approx(reference, abs=2e-9)


def test_vectorized_over_distances():
    d = np.array([[0.5, 1.0], [2.0, 3.0]])
    values = gaussian_js(d)
    assert values.shape == (2, 2)
    assert values[1, 0] == pytest.approx(REFERENCE_TABLE[2.0][0], abs=1e-9)
    assert gaussian_js_slope(d).shape == (2, 2)


@pytest.mark.parametrize("js", [1e-6, 0.1, 0.336, 0.6925, 0.693, LOG2 - 1e-10])
def test_distance_at_js_inverts_the_js(js):
    d = gaussian_distance_at_js(js)
    # Compare through the deficit, which keeps its digits next to log 2.
    assert gaussian_js_deficit(d) == pytest.approx(LOG2 - js, rel=1e-9)
    assert gm.js_divergence(gm.Normal(0, 1), gm.Normal(d, 1)) == pytest.approx(js, abs=1e-12)


def test_survey_thresholds():
    # Rounded to three decimals JS reads 0.693 from d = 7.024 sigma; truncated, from d = 7.781 sigma.
    assert gaussian_distance_at_js(0.6925) == pytest.approx(7.0242, abs=1e-4)
    assert gaussian_distance_at_js(0.693) == pytest.approx(7.7814, abs=1e-4)
    assert gaussian_distance_at_js(0.0, sigma=3.0) == 0.0
    assert gaussian_distance_at_js(0.3, sigma=3.0) == pytest.approx(3.0 * gaussian_distance_at_js(0.3), rel=1e-12)


@pytest.mark.parametrize("a", [0.0, 0.25, 0.5, 0.999, 1.0, 1.5, 4.0])
def test_shifted_uniforms_js_matches_quadrature_and_sympy(a):
    t, expression = symbolic.js_of_shifted_uniforms()
    exact = float(expression.subs(t, min(a, 1.0))) if a > 0 else 0.0
    assert shifted_uniforms_js(a) == pytest.approx(exact, abs=1e-15)
    assert shifted_uniforms_js(a) == pytest.approx(gm.js_divergence(gm.Uniform(0, 1), gm.Uniform(a, 1 + a)), abs=1e-12)


def test_shifted_uniforms_width_and_slope():
    assert shifted_uniforms_js(1.0, width=2.0) == pytest.approx(0.5 * LOG2)
    assert shifted_uniforms_js(2.0, width=2.0) == LOG2
    for a in (0.3, 0.7, 1.5, 3.0):
        reference = central_difference(lambda s: gm.js_divergence(gm.Uniform(0, 1), gm.Uniform(s, 1 + s)), a, h=1e-6)
        assert shifted_uniforms_js_slope(a) == pytest.approx(reference, abs=1e-7)
    # Exactly flat once the supports are disjoint.
    assert shifted_uniforms_js_slope(1.0) == 0.0
    assert np.all(shifted_uniforms_js_slope(np.array([1.0, 2.0, 50.0])) == 0.0)
    assert shifted_uniforms_js_slope(0.5, width=2.0) == pytest.approx(LOG2 / 2)


def test_shifted_moves_every_kind_of_density():
    x = np.linspace(-3, 3, 13)
    mixture = gm.Mixture([gm.Normal(0, 1), gm.Uniform(-1, 0.5)], [0.3, 0.7])
    for density in (gm.Normal(0.4, 1.3), gm.Uniform(-1, 2), mixture):
        moved = shifted(density, 1.75)
        np.testing.assert_allclose(moved.pdf(x + 1.75), density.pdf(x), rtol=1e-14, atol=0)
        assert type(moved) is type(density)
    with pytest.raises(TypeError, match="density"):
        shifted(gm.CustomDensity(lambda x: 2 * x, support=(0, 1)), 1.0)
    with pytest.raises(ValueError, match="by"):
        shifted(gm.Normal(), float("nan"))


# ---------------------------------------------------------------------------------------------------------
# The generator's gradient through the frozen D*
# ---------------------------------------------------------------------------------------------------------

PAIRS = {
    "gaussians": (gm.Normal(0.0, 1.0), gm.Normal(1.7, 1.0)),
    "different spreads": (gm.Normal(0.5, 0.8), gm.Normal(-1.2, 1.4)),
    "mixtures": (
        gm.Mixture([gm.Normal(-2.0, 0.6), gm.Normal(1.5, 0.9)], [0.4, 0.6]),
        gm.Mixture([gm.Normal(0.5, 0.7), gm.Normal(3.0, 1.1)], [0.7, 0.3]),
    ),
}


def frozen_expected_cost(p_data, p_g_frozen, p_g_moved, loss):
    """E_{x ~ p_g_moved}[cost(a(x))], a the logit of D* for p_g_frozen, by QUADPACK over p_g_moved's mass."""
    costs = {
        "minimax": lambda a: special.log_expit(-a),  # log(1 - D)
        "non-saturating": lambda a: -special.log_expit(a),  # -log D
        "maximum-likelihood": lambda a: -math.exp(a),  # -D/(1 - D)
    }

    def integrand(x):
        weight = float(p_g_moved.pdf(x))
        if weight == 0.0:
            return 0.0
        return weight * costs[loss](float(p_data.logpdf(x) - p_g_frozen.logpdf(x)))

    low, high = p_g_moved.integration_range
    points = p_g_moved.breakpoints[(p_g_moved.breakpoints > low) & (p_g_moved.breakpoints < high)]
    return sp_integrate.quad(integrand, low, high, points=points, limit=500, epsabs=1e-13, epsrel=1e-12)[0]


@pytest.mark.parametrize("pair", sorted(PAIRS))
@pytest.mark.parametrize("loss", ["minimax", "non-saturating", "maximum-likelihood"])
def test_gradient_is_the_derivative_of_the_frozen_expected_cost(pair, loss):
    # The definition: D frozen at D* for p_g, the generator's samples shifted by +-h.
    p_data, p_g = PAIRS[pair]
    h = 1e-4
    reference = (frozen_expected_cost(p_data, p_g, shifted(p_g, h), loss)
                 - frozen_expected_cost(p_data, p_g, shifted(p_g, -h), loss)) / (2 * h)
    assert generator_gradient(p_data, p_g, loss) == pytest.approx(reference, abs=2e-7)


@pytest.mark.parametrize("pair", sorted(PAIRS))
def test_minimax_gradient_is_twice_the_js_gradient(pair):
    # Goodfellow et al. 2014: with D = D*, the minimax cost is C(G) = -log 4 + 2 JSD, and freezing D* does
    # not change the first derivative (D* maximizes V).
    p_data, p_g = PAIRS[pair]
    reference = 2 * central_difference(lambda t: gm.js_divergence(p_data, shifted(p_g, t)), 0.0)
    assert generator_gradient(p_data, p_g, "minimax") == pytest.approx(reference, abs=1e-8)


@pytest.mark.parametrize("pair", sorted(PAIRS))
def test_non_saturating_gradient_is_reverse_kl_minus_twice_js(pair):
    # Arjovsky & Bottou 2017, Theorem 2.5: E_z[-grad log D*(g(z))] = grad[KL(P_g || P_r) - 2 JSD(P_g || P_r)].
    p_data, p_g = PAIRS[pair]

    def objective(t):
        moved = shifted(p_g, t)
        return gm.kl_divergence(moved, p_data) - 2 * gm.js_divergence(moved, p_data)

    assert generator_gradient(p_data, p_g, "non-saturating") == pytest.approx(central_difference(objective, 0.0),
                                                                               abs=1e-8)


@pytest.mark.parametrize("pair", sorted(PAIRS))
def test_maximum_likelihood_gradient_is_the_forward_kl_gradient(pair):
    # Goodfellow 2016, Section 3.2.3: with D = D*, the cost -D/(1 - D) has the expected gradient of KL(p_data || p_g).
    p_data, p_g = PAIRS[pair]
    reference = central_difference(lambda t: gm.kl_divergence(p_data, shifted(p_g, t)), 0.0)
    assert generator_gradient(p_data, p_g, "maximum-likelihood") == pytest.approx(reference, abs=1e-8)


@pytest.mark.parametrize("d", [0.5, 2.0, 6.0, 10.0])
def test_gaussian_gradients_in_closed_form(d):
    p_data, p_g = gm.Normal(0.0, 1.0), gm.Normal(d, 1.0)
    slope = REFERENCE_TABLE.get(d, (None, None))[1] or gaussian_js_slope(d)
    assert generator_gradient(p_data, p_g, "minimax") == pytest.approx(2 * slope, rel=1e-6)
    # KL(N(d,1) || N(0,1)) = d^2/2.
    assert generator_gradient(p_data, p_g, "non-saturating") == pytest.approx(d - 2 * slope, rel=1e-6)
    assert generator_gradient(p_data, p_g, "maximum-likelihood") == pytest.approx(d, rel=1e-12)


def test_minimax_gradient_vanishes_while_non_saturating_grows():
    p_data = gm.Normal(0.0, 1.0)
    minimax = [generator_gradient(p_data, gm.Normal(d, 1.0), "minimax") for d in (2.0, 5.0, 10.0)]
    non_saturating = [generator_gradient(p_data, gm.Normal(d, 1.0), "non-saturating") for d in (2.0, 5.0, 10.0)]
    assert minimax[0] > minimax[1] > minimax[2] > 0
    assert minimax[2] < 1e-5
    assert non_saturating[0] < non_saturating[1] < non_saturating[2]


def test_disjoint_uniforms_give_no_gradient_and_an_infinite_non_saturating_cost():
    p_data, p_g = gm.Uniform(0, 1), gm.Uniform(2, 3)
    assert generator_gradient(p_data, p_g, "minimax") == 0.0
    assert generator_gradient(p_data, p_g, "maximum-likelihood") == 0.0
    with pytest.raises(ValueError, match="non-saturating"):
        generator_gradient(p_data, p_g, "non-saturating")


def test_gradient_validates_its_inputs():
    with pytest.raises(ValueError, match="loss"):
        generator_gradient(gm.Normal(), gm.Normal(1, 1), "wasserstein")
    with pytest.raises(TypeError, match="p_g"):
        generator_gradient(gm.Normal(), gm.CustomDensity(lambda x: 2 * x, support=(0, 1)), "minimax")
    with pytest.raises(TypeError, match="p_data"):
        generator_gradient("normal", gm.Normal(), "minimax")


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: gaussian_js(-1.0), "distance"),
        (lambda: gaussian_js(float("nan")), "distance"),
        (lambda: gaussian_js_slope(np.array([1.0, -2.0])), "distance"),
        (lambda: gaussian_js(1.0, sigma=0.0), "sigma"),
        (lambda: gaussian_js_deficit(1.0, sigma="one"), "sigma"),
        (lambda: gaussian_distance_at_js(LOG2), "js"),
        (lambda: gaussian_distance_at_js(-0.1), "js"),
        (lambda: shifted_uniforms_js(-0.5), "shift"),
        (lambda: shifted_uniforms_js(0.5, width=0.0), "width"),
        (lambda: shifted_uniforms_js_slope(0.5, width=-1.0), "width"),
    ],
)
def test_bad_input_names_the_parameter(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
