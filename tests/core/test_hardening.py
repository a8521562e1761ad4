"""The theory kit at its edges: densities evaluated only on their support, integrals whose cost does not
grow with the scale, D* far out, tiny JS deficits, features on panel ends, strict input checks, the
base-class interface with quadrature defaults, and the public quadrature helpers.

Every number is checked against a reference computed another way: closed forms, scipy, or mpmath at 40
digits (``tests/support/mp_reference.py``; each stored value sits next to the call that produced it, and
``test_stored_40_digit_references_are_mpmath`` recomputes them).
"""

import math

import mpmath as mp
import numpy as np
import pytest
from scipy import integrate as sp_integrate
from scipy import optimize, special, stats

import ganmath as gm
from support import mp_reference as ref
from ganmath.core import divergences
from ganmath.core.densities import Density, log_density_ratio
from ganmath.core.quadrature import bisect, gauss_legendre_nodes, integrate

N, U = gm.Normal, gm.Uniform


def x_log_x_density():
    """-4 x log x on [0, 1]: NaN at x < 0 and 0 * -inf = NaN at x = 0 in numpy, so only usable on (0, 1]."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return gm.CustomDensity(lambda x: -4 * x * np.log(x), support=(0, 1))


def mp_x_log_x(x):
    return -4 * x * mp.log(x)


def _deficit_reference(d):
    return lambda: ref.js_deficit_of_unit_normals(d)


_TANH_LOGIT_SPLITS = [2 + s * k for k in (1e-5, 1e-4, 1e-3, 1e-2, 1e-1) for s in (-1, 1)]

# name: (mpmath call, stored value at 40 digits)
REFERENCES = {
    "js x_log_x U(0,1)": (
        lambda: ref.js_at_40_digits(lambda: ref.custom(mp_x_log_x, 0, 1), lambda: ref.uniform(0, 1)),
        "0.03314673556290156859534666243807102949368",
    ),
    "js x_log_x U(-0.5,1.5)": (
        lambda: ref.js_at_40_digits(lambda: ref.custom(mp_x_log_x, 0, 1), lambda: ref.uniform(-0.5, 1.5)),
        "0.2394338005612366728636591656726354681371",
    ),
    "js x_log_x N(0.5,0.5)": (
        lambda: ref.js_at_40_digits(lambda: ref.custom(mp_x_log_x, 0, 1), lambda: ref.normal(0.5, 0.5)),
        "0.1420755747443440396386570496115390856354",
    ),
    "deficit d=10": (_deficit_reference(10), "8.631659608453269910211218472376047772579e-7"),
    "deficit d=20": (_deficit_reference(20), "2.365713967298674742633986231483905632792e-23"),
    "deficit d=30": (_deficit_reference(30), "1.147082902812431740832028998437572062735e-50"),
    "deficit d=40": (_deficit_reference(40), "8.624417142257401656938177369293538571445e-89"),
    "value tanh logit": (
        lambda: ref.value_at_40_digits(lambda x: 10**4 * mp.tanh(x - 2), lambda: ref.normal(3, 1),
                                       lambda: ref.normal(0, 1), _TANH_LOGIT_SPLITS),
        "-734.4020612284703688446002936800755364347",
    ),
}


def stored(name):
    return float(mp.mpf(REFERENCES[name][1]))


@pytest.mark.slow
def test_stored_40_digit_references_are_mpmath():
    for name, (compute, value) in REFERENCES.items():
        with mp.workdps(40):
            got, expected = compute(), mp.mpf(value)
            assert abs(got - expected) <= mp.mpf(10) ** -30 * max(1, abs(expected)), name


# --- 1. a custom density is only evaluated on its support --------------------------------------------


@pytest.mark.parametrize(
    "name, other",
    [("js x_log_x U(0,1)", U(0, 1)), ("js x_log_x U(-0.5,1.5)", U(-0.5, 1.5)), ("js x_log_x N(0.5,0.5)", N(0.5, 0.5))],
)
def test_custom_density_is_zero_off_its_support_without_calling_it(name, other):
    assert abs(gm.js_divergence(x_log_x_density(), other) - stored(name)) <= 1e-12


def test_custom_pdf_is_never_called_outside_the_support():
    seen = []

    def pdf(x):
        seen.append(np.array(x, copy=True))
        return 2 * x

    triangle = gm.CustomDensity(pdf, support=(0, 1), check_normalized=False)
    values = triangle.pdf(np.array([-3.0, -1e-300, 0.0, 0.25, 1.0, 1.5, np.inf]))
    np.testing.assert_array_equal(values, [0.0, 0.0, 0.0, 0.5, 2.0, 0.0, 0.0])
    assert all(np.all((x >= 0) & (x <= 1)) for x in seen)
    seen.clear()
    assert triangle.pdf(np.array([-1.0, 2.0])).tolist() == [0.0, 0.0] and not seen
    assert triangle.logpdf(-1.0) == -np.inf
    # Total variation scans for sign changes between Gauss nodes, never at a support end (pdf(0) is NaN).
    # Reference: scipy's QUADPACK on 1/2 |p - 1|, split where -4 x log x = 1 (brentq) and at the maximum 1/e.
    f = lambda x: -4 * x * math.log(x) - 1.0 if x > 0 else -1.0
    roots = [optimize.brentq(f, 1e-12, 1 / math.e, xtol=1e-15), optimize.brentq(f, 1 / math.e, 1.0, xtol=1e-15)]
    pieces = [0.0, roots[0], 1 / math.e, roots[1], 1.0]
    reference_tv = 0.5 * sum(sp_integrate.quad(lambda x: abs(f(x)), a, b, epsabs=1e-14, epsrel=1e-13)[0]
                             for a, b in zip(pieces[:-1], pieces[1:]))
    assert abs(gm.total_variation(x_log_x_density(), U(0, 1)) - reference_tv) <= 1e-12


def test_custom_density_cdf_is_not_called_off_the_support():
    calls = []

    def cdf(x):
        calls.append(np.array(x, copy=True))
        return x**2

    triangle = gm.CustomDensity(lambda x: 2 * x, support=(0, 1), cdf=cdf)
    np.testing.assert_array_equal(triangle.cdf([-1.0, 0.5, 2.0]), [0.0, 0.25, 1.0])
    assert all(np.all((x >= 0) & (x <= 1)) for x in calls)


def test_a_custom_pdf_that_is_nan_on_its_support_is_reported_with_the_point():
    bad = gm.CustomDensity(lambda x: np.where(x > 0.5, np.nan, 2.0), support=(0, 0.5), check_normalized=False)
    with pytest.raises(ValueError, match=r"negative or NaN values on its support"):
        gm.CustomDensity(lambda x: np.where(x > 0.5, np.nan, 1.0), support=(0, 1))
    assert bad.pdf(0.75) == 0.0


# --- 2. the cost of an integral does not grow with the scale ------------------------------------------


@pytest.mark.parametrize("s", [1.0, 1e7, 1e100, 1e-100])
def test_wasserstein_of_equal_sigma_normals_is_their_distance_at_any_scale(s):
    # Closed form: two normals with the same sigma differ by a translation, so W1 = |mu_p - mu_q| = s.
    assert abs(gm.wasserstein1(N(0, s), N(s, s)) - s) <= 1e-9 * s


@pytest.mark.parametrize("s", [1.0, 1e5, 1e150, 1e-150])
def test_wasserstein_of_normals_with_different_sigmas_scales_with_them(s):
    # W1(N(0,1), N(1,2)) from tests/core/test_reference_values.py (mpmath at 30 digits); W1 scales with x.
    assert abs(gm.wasserstein1(N(0, s), N(s, 2 * s)) - 1.166630941175372596766125 * s) <= 1e-9 * s


# --- 3. D* far out -------------------------------------------------------------------------------------


def test_optimal_discriminator_far_out_is_exact():
    far = np.array([1e200, -1e200, 1e160, -1e300])
    np.testing.assert_array_equal(gm.optimal_discriminator(N(0, 1), N(0, 1), far), 0.5)
    # log N(x; 0, 1) - log N(x; 1, 1) = 1/2 - x: D* = expit(1/2 - x), 0 and 1 in float64 this far out.
    np.testing.assert_array_equal(gm.optimal_discriminator_logit(N(0, 1), N(1, 1), far), 0.5 - far)
    np.testing.assert_array_equal(gm.optimal_discriminator(N(0, 1), N(1, 1), far), special.expit(0.5 - far))
    assert gm.optimal_discriminator(N(0, 1), N(1, 1), 1e200) == 0.0
    # The logit is linear in x for equal sigmas: (mu_g - mu_data) / sigma^2 * (x - (mu_data + mu_g) / 2),
    # here -1e-180 * 1e180 = -1 although both log-densities are -inf.
    assert gm.optimal_discriminator_logit(N(0, 1), N(1e-180, 1), 1e180) == pytest.approx(-1.0, rel=1e-15)
    assert gm.optimal_discriminator(N(0, 1), N(1e-180, 1), 1e180) == pytest.approx(special.expit(-1.0), rel=1e-15)
    # Unequal sigmas: the narrower normal loses far out.
    assert gm.optimal_discriminator(N(0, 1), N(0, 2), 1e200) == 0.0
    assert gm.optimal_discriminator(N(0, 2), N(0, 1), -1e200) == 1.0


def test_optimal_discriminator_of_mixtures_far_out():
    data = gm.Mixture([N(0, 1), N(5, 1)], [0.5, 0.5])
    # Right: the N(5, 1) component dominates N(0, 1) by exp(5x - 12.5). Left: only the half-weight N(0, 1)
    # component is left, p_data / p_g = 1/2 and D* = 1/3.
    assert gm.optimal_discriminator(data, N(0, 1), 1e200) == 1.0
    assert gm.optimal_discriminator(data, N(0, 1), -1e200) == pytest.approx(1 / 3, rel=1e-15)
    # A uniform component: its support decides, however far out.
    with_uniform = gm.Mixture([N(0, 1), U(1e200, 2e200)], [0.5, 0.5])
    assert gm.optimal_discriminator(with_uniform, N(0, 1), 1.5e200) == 1.0
    assert gm.optimal_discriminator(N(0, 1), U(0, 1), 1e200) == 1.0  # only p_data is positive there
    assert gm.optimal_discriminator(U(0, 1), N(0, 1), -1e200) == 0.0
    assert gm.optimal_discriminator(U(0, 1), U(0, 2), 0.5) == pytest.approx(2 / 3, rel=1e-15)
    assert np.isnan(gm.optimal_discriminator(U(0, 1), U(0, 2), 3.0))  # both densities 0: undefined


@pytest.mark.parametrize("x", [-30.0, -7.5, 0.3, 12.0, 25.0])
def test_optimal_discriminator_against_mpmath(x):
    # D* of N(0, 1) against N(1, 1.5) from 1e-103 (x = -30) to 1e-80 (x = 25), all in normal floats.
    with mp.workdps(40):
        expected = float(ref.optimal_discriminator(ref.normal(0, 1), ref.normal(1, 1.5), x))
    got = gm.optimal_discriminator(N(0, 1), N(1, 1.5), x)
    assert abs(got - expected) <= 1e-13 * expected, (got, expected)


def test_log_density_ratio_keeps_its_digits_where_the_log_densities_cancel():
    # At x = 1e6 each log-density is -5e11 (a float spacing of 6e-5), the ratio only -1e-6.
    x = 1e6
    got = log_density_ratio(N(0, 1), N(1e-12, 1), x)
    assert got == pytest.approx(-1e-12 * (x - 0.5e-12), rel=1e-14)


# --- 4. JS deficit to full relative precision ------------------------------------------------------------


@pytest.mark.parametrize("d", [10, 20, 30, 40])
def test_js_deficit_relative_precision_to_40_sigma(d):
    got = gm.js_deficit(N(0, 1), N(d, 1))
    expected = stored(f"deficit d={d}")
    assert abs(got - expected) <= 1e-13 * expected, (got, expected)


def test_js_divergence_is_unchanged_by_the_relative_deficit():
    # JS itself needs only an absolute 1e-16: log 2 - deficit, in [0, log 2].
    assert gm.js_divergence(N(0, 1), N(40, 1)) == math.log(2)
    assert abs(gm.js_divergence(N(0, 1), N(10, 1)) - (math.log(2) - stored("deficit d=10"))) <= 1e-16


# --- 5. a sharp feature on a panel end ---------------------------------------------------------------------


def test_sharp_logit_turn_on_a_breakpoint():
    # x = 2 is a breakpoint of both densities (2 sigma of N(0, 1), -1 sigma of N(3, 1)); D's logit turns
    # from -1e4 to 1e4 within 1e-4 of it, between the end of a panel and its first Gauss node.
    got = gm.value_function(lambda x: 1e4 * np.tanh(x - 2), N(3, 1), N(0, 1), logit=True)
    assert abs(got - stored("value tanh logit")) <= 1e-9


@pytest.mark.parametrize("width", [1e-3, 1e-6, 1e-9])
def test_boundary_layer_on_a_panel_end(width):
    # 1 - exp(-x / width) on [0, 1]: a layer of the given width at 0, invisible to nodes 5e-3 from the end.
    exact = 1.0 - width * -math.expm1(-1.0 / width)
    assert abs(integrate(lambda x: 1.0 - np.exp(-x / width), [0.0, 1.0]) - exact) <= 1e-14


# --- 6-8. bad input names the parameter and the value ----------------------------------------------------


def _two_normals():
    return N(0, 1), N(1, 1)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: gm.optimal_discriminator(*_two_normals(), 1 + 2j), TypeError, ["x", "complex", "(1+2j)"]),
        (lambda: gm.optimal_discriminator(*_two_normals(), np.array([0.5, 1j])), TypeError, ["x", "complex"]),
        (lambda: N(0, 1).pdf(np.array([1 + 0j])), TypeError, ["x", "complex"]),
        (lambda: gm.optimal_discriminator(*_two_normals(), True), TypeError, ["x", "True"]),
        (lambda: gm.optimal_discriminator(*_two_normals(), [0.5, 10**400]), ValueError, ["x", "1000000"]),
        (lambda: N(0, 1).cdf([0.5, True]), TypeError, ["x", "True"]),
        (lambda: N(0, 1).ppf(True), TypeError, ["q", "True"]),
        (lambda: gm.Mixture(_two_normals(), [0.5 + 0j, 0.5]), TypeError, ["weights", "complex", "0.5"]),
        (lambda: gm.Mixture(_two_normals(), [True, False]), TypeError, ["weights", "True"]),
        (lambda: gm.value_function(lambda x: 0.5 + 0j * x, *_two_normals()), TypeError, ["D", "complex", "0.5"]),
        (lambda: gm.value_function(lambda x: 0 * x, *_two_normals(), logit="no"), TypeError, ["logit", "'no'"]),
        (lambda: gm.value_function(lambda x: 0 * x, *_two_normals(), logit=1), TypeError, ["logit", "1"]),
        (lambda: N(10**400, 1), ValueError, ["mu", "1000000"]),
        (lambda: N(0, 10**400), ValueError, ["sigma", "1000000"]),
        (lambda: N(0, 1e308), ValueError, ["sigma", "1e+308"]),
        (lambda: U(-(10**400), 1), ValueError, ["low", "-1000000"]),
        (lambda: gm.Mixture(None), TypeError, ["components", "None"]),
        (lambda: gm.Mixture(5), TypeError, ["components", "5"]),
        (lambda: gm.js_divergence(*_two_normals(), base=10**400), ValueError, ["base", "1000000"]),
        (lambda: gm.js_divergence(*_two_normals(), base=True), TypeError, ["base", "True"]),
        (lambda: gm.CustomDensity(lambda x: 2 * x, (0, 1), breakpoints="abc"), TypeError, ["breakpoints", "'abc'"]),
        (lambda: gm.CustomDensity(lambda x: 2 * x, (0, 1), breakpoints=[0.5, None]), TypeError,
         ["breakpoints", "None"]),
        (lambda: gm.CustomDensity(lambda x: 2 * x, (0, 10**400)), ValueError, ["support[1]", "1000000"]),
        (lambda: U(-1e308, 1e308), ValueError, ["high - low", "-1e+308", "1e+308"]),
    ],
)
def test_bad_input_is_rejected_by_name(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value), f"{word!r} not in {str(info.value)!r}"


def test_good_input_still_passes():
    assert gm.optimal_discriminator(N(0, 1), N(0, 1), 1) == 0.5  # an int x
    assert gm.optimal_discriminator(N(0, 1), N(0, 1), [0, 1.5]).shape == (2,)
    assert gm.Mixture(_two_normals(), [1, 0]).weights.tolist() == [1.0]  # int weights
    assert gm.Mixture(_two_normals(), np.array([0.25, 0.75], dtype=np.float32)).weights[1] == pytest.approx(0.75)
    assert N(np.float32(1), np.int64(2)).std == 2.0
    assert gm.value_function(lambda x: 0 * x, *_two_normals(), logit=np.bool_(True)) == pytest.approx(-math.log(4))


def test_uniform_of_the_largest_finite_width():
    p = U(-0.5e308, 0.5e308)
    assert p.pdf(0.0) == pytest.approx(1e-308, rel=1e-12) and p.cdf(0.0) == 0.5


# --- 9. the whole interface on every density ---------------------------------------------------------------


def test_custom_density_mean_and_std_against_closed_form_and_mpmath():
    density = x_log_x_density()
    # E[x] = int -4 x^2 log x = 4/9, E[x^2] = int -4 x^3 log x = 1/4: std = sqrt(1/4 - 16/81) = sqrt(17)/18.
    assert abs(density.mean - 4 / 9) <= 1e-14
    assert abs(density.std - math.sqrt(17) / 18) <= 1e-14
    mean, std = ref.moments_at_40_digits(lambda x: mp_x_log_x(x) if 0 < x <= 1 else mp.mpf(0), [0, 1])
    assert abs(density.mean - float(mean)) <= 1e-14 and abs(density.std - float(std)) <= 1e-14


def test_mixture_holding_a_custom_density_has_mean_and_std():
    mixture = gm.Mixture([x_log_x_density(), N(1, 0.5)], [0.3, 0.7])
    with mp.workdps(40):
        normal = ref.normal(1, 0.5)
        pdf = lambda x: mp.mpf(3) / 10 * (mp_x_log_x(x) if 0 < x <= 1 else 0) + mp.mpf(7) / 10 * normal["pdf"](x)
        points = sorted({mp.mpf(0), mp.mpf(1)} | set(normal["points"]))
        mean, std = ref.moments_at_40_digits(pdf, points)
    assert abs(mixture.mean - float(mean)) <= 1e-14
    assert abs(mixture.std - float(std)) <= 1e-14


class Triangle(Density):
    """Only logpdf and support: everything else comes from the base class's quadrature defaults."""

    def logpdf(self, x):
        x = np.asarray(x, dtype=float)
        with np.errstate(divide="ignore"):
            return np.where((x >= 0) & (x <= 2), np.log(1 - np.abs(x - 1)), -np.inf)

    @property
    def support(self):
        return (0.0, 2.0)

    @property
    def breakpoints(self):
        return np.array([0.0, 1.0, 2.0])


def test_base_class_defaults_against_scipy():
    p, reference = Triangle(), stats.triang(c=0.5, loc=0, scale=2)
    x = np.array([-1.0, 0.0, 0.3, 1.0, 1.7, 2.0, 3.0])
    np.testing.assert_allclose(p.cdf(x), reference.cdf(x), rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(p.sf(x), reference.sf(x), rtol=1e-14, atol=1e-15)
    q = np.array([0.0, 0.01, 0.5, 0.9, 1.0])
    np.testing.assert_allclose(p.ppf(q), reference.ppf(q), rtol=1e-13, atol=1e-15)
    assert p.ppf(0.0) == 0.0 and p.ppf(1.0) == 2.0  # the ends of the support
    assert abs(p.mean - reference.mean()) <= 1e-14 and abs(p.std - reference.std()) <= 1e-14
    sample = p.sample(5000, np.random.default_rng(3))
    assert stats.kstest(sample, reference.cdf).pvalue > 1e-3
    assert abs(gm.wasserstein1(p, U(0, 2)) - sp_integrate.quad(lambda t: abs(reference.cdf(t) - t / 2), 0, 2,
                                                               points=[1.0], epsabs=1e-14)[0]) <= 1e-12


@pytest.mark.parametrize("x", [-40.0, -3.0, 0.0, 2.5, 30.0, 60.0])
def test_survival_functions_keep_their_relative_precision(x):
    assert N(1, 2).sf(x) == pytest.approx(stats.norm(1, 2).sf(x), rel=1e-14, abs=0)
    mixture = gm.Mixture([N(0, 1), U(-1, 3), N(4, 0.5)], [0.5, 0.2, 0.3])
    expected = 0.5 * stats.norm.sf(x) + 0.2 * stats.uniform(-1, 4).sf(x) + 0.3 * stats.norm(4, 0.5).sf(x)
    assert mixture.sf(x) == pytest.approx(expected, rel=1e-14, abs=0)
    assert U(-1, 3).sf(x) == pytest.approx(stats.uniform(-1, 4).sf(x), rel=1e-15, abs=0)


# --- 10. the vectorized mixture ------------------------------------------------------------------------------


def test_vectorized_mixture_equals_the_componentwise_sum():
    rng = np.random.default_rng(5)
    parts = [N(m, s) for m, s in zip(rng.uniform(-10, 10, 40), rng.uniform(0.2, 2, 40))] + [U(-2, 1), U(4, 9)]
    weights = rng.uniform(0.5, 1.5, len(parts))
    weights /= weights.sum()
    mixture = gm.Mixture(parts, weights)
    x = np.concatenate([np.linspace(-60, 60, 2001), [1e200, -1e200]])
    frozen = [stats.norm(c.mu, c.sigma) if isinstance(c, gm.Normal) else stats.uniform(c.low, c.high - c.low)
              for c in parts]
    expected_log = special.logsumexp([math.log(w) + f.logpdf(x[:-2]) for w, f in zip(weights, frozen)], axis=0)
    np.testing.assert_allclose(mixture.logpdf(x[:-2]), expected_log, rtol=1e-14)
    assert mixture.logpdf(x[-2:]).tolist() == [-np.inf, -np.inf]
    expected_cdf = sum(w * f.cdf(x) for w, f in zip(weights, frozen))
    np.testing.assert_allclose(mixture.cdf(x), expected_cdf, rtol=1e-14, atol=1e-300)
    assert mixture.logpdf(np.zeros((3, 4))).shape == (3, 4) and mixture.cdf(0.5).shape == ()


# --- the public quadrature helpers and names ------------------------------------------------------------------


def test_gauss_legendre_nodes_integrate_polynomials_exactly():
    x, w = gauss_legendre_nodes([0.0, -1.0], [2.0, 3.0])
    assert x.shape == w.shape == (2, 16)
    # A degree-31 polynomial is integrated exactly by 16 points: int_0^2 x^31 = 2^32 / 32.
    assert np.sum(w[0] * x[0] ** 31) == pytest.approx(2.0**32 / 32, rel=1e-14)
    assert np.sum(w[1] * x[1] ** 2) == pytest.approx((27 + 1) / 3, rel=1e-15)
    x8, w8 = gauss_legendre_nodes([0.0], [1.0], order=8)
    assert x8.shape == (1, 8) and np.sum(w8 * np.exp(x8)) == pytest.approx(math.e - 1, rel=1e-15)


def test_bisect_finds_the_change_to_machine_precision():
    low, high = bisect(lambda mid: mid * mid < 2.0, [0.0, 1.0], [2.0, 1.5])
    np.testing.assert_allclose(0.5 * (low + high), [math.sqrt(2), math.sqrt(2)], rtol=1e-15)
    assert np.all(np.nextafter(low, np.inf) >= high)  # adjacent floats
    low, high = bisect(lambda mid: mid < 0.3, [0.0], [1.0], xtol=1e-6)
    assert high[0] - low[0] <= 1e-6 and low[0] <= 0.3 <= high[0]


def test_the_weighting_has_a_public_name():
    assert not hasattr(divergences, "_weighted")  # one name, the public one
    np.testing.assert_array_equal(divergences.weighted(np.array([-np.inf, 0.0]), np.array([np.nan, 2.0])), [0.0, 2.0])
