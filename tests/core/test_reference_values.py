"""ganmath against independent references: mpmath at 30 digits (tests/support/mp_reference.py), closed forms,
and the numbers printed in the papers. Required absolute accuracy: 1e-9.

Each mpmath value below is stored next to the call that produced it; ``test_stored_references_are_mpmath``
recomputes every one of them (6 s), so a stored number cannot drift from its source.
"""

import math

import mpmath as mp
import numpy as np
import pytest
from scipy import special, stats

import ganmath as gm
from support import mp_reference as ref

ATOL = 1e-9
N, U = gm.Normal, gm.Uniform


def mix1():
    return gm.Mixture([N(-2, 0.5), N(1, 1)], [0.3, 0.7])


def mix3():
    return gm.Mixture([N(-3, 0.4), N(0, 1), U(2, 3)], [0.25, 0.5, 0.25])


def ref_mix1():
    return ref.mixture([ref.normal(-2, 0.5), ref.normal(1, 1)], [0.3, 0.7])


def ref_mix3():
    return ref.mixture([ref.normal(-3, 0.4), ref.normal(0, 1), ref.uniform(2, 3)], [0.25, 0.5, 0.25])


def _pdf_crossings(p, q):
    return ref.crossings(lambda x: p["pdf"](x) - q["pdf"](x), -20, 20)


def _cdf_crossings(p, q):
    return ref.crossings(lambda x: p["cdf"](x) - q["cdf"](x), -20, 20)


# (ganmath call, mpmath call, stored mpmath value at 30 digits)
CASES = {
    "js N(0,1) N(0.5,1)": (lambda: gm.js_divergence(N(0, 1), N(0.5, 1)), lambda: ref.js(ref.normal(0, 1), ref.normal(0.5, 1)), "0.03031130052083898057929987"),
    "js N(0,1) N(1,1)": (lambda: gm.js_divergence(N(0, 1), N(1, 1)), lambda: ref.js(ref.normal(0, 1), ref.normal(1, 1)), "0.1114214821847361797172368"),
    "js N(0,1) N(2,1)": (lambda: gm.js_divergence(N(0, 1), N(2, 1)), lambda: ref.js(ref.normal(0, 1), ref.normal(2, 1)), "0.3368308203468316120048048"),
    "js N(0,1) N(3,1)": (lambda: gm.js_divergence(N(0, 1), N(3, 1)), lambda: ref.js(ref.normal(0, 1), ref.normal(3, 1)), "0.5267773065213735043844257"),
    "js N(0,1) N(4,1)": (lambda: gm.js_divergence(N(0, 1), N(4, 1)), lambda: ref.js(ref.normal(0, 1), ref.normal(4, 1)), "0.6327201937368669816590106"),
    "js N(0,1) N(5,1)": (lambda: gm.js_divergence(N(0, 1), N(5, 1)), lambda: ref.js(ref.normal(0, 1), ref.normal(5, 1)), "0.675942577380979868403145"),
    "js N(0,1) N(6,1)": (lambda: gm.js_divergence(N(0, 1), N(6, 1)), lambda: ref.js(ref.normal(0, 1), ref.normal(6, 1)), "0.6892979330290777667229706"),
    "js N(0,1) N(7,1)": (lambda: gm.js_divergence(N(0, 1), N(7, 1)), lambda: ref.js(ref.normal(0, 1), ref.normal(7, 1)), "0.692470224755321700283958"),
    "js N(0,1) N(8,1)": (lambda: gm.js_divergence(N(0, 1), N(8, 1)), lambda: ref.js(ref.normal(0, 1), ref.normal(8, 1)), "0.6930536454829199288447742"),
    "js N(0,1) N(9,1)": (lambda: gm.js_divergence(N(0, 1), N(9, 1)), lambda: ref.js(ref.normal(0, 1), ref.normal(9, 1)), "0.6931370350467038829672259"),
    "js N(0,1) N(10,1)": (lambda: gm.js_divergence(N(0, 1), N(10, 1)), lambda: ref.js(ref.normal(0, 1), ref.normal(10, 1)), "0.6931463173939844640902411"),
    "js N(0,1) N(0,2)": (lambda: gm.js_divergence(N(0, 1), N(0, 2)), lambda: ref.js(ref.normal(0, 1), ref.normal(0, 2)), "0.09273338166641253422122524"),
    "js N(0,1) N(6,0.5)": (lambda: gm.js_divergence(N(0, 1), N(6, 0.5)), lambda: ref.js(ref.normal(0, 1), ref.normal(6, 0.5)), "0.6930470745284958384832755"),
    "js U(0,2) U(1,4)": (lambda: gm.js_divergence(U(0, 2), U(1, 4)), lambda: ref.js(ref.uniform(0, 2), ref.uniform(1, 4)), "0.4127256526394217944185991"),
    "js mix1 N(0,1.5)": (lambda: gm.js_divergence(mix1(), N(0, 1.5)), lambda: ref.js(ref_mix1(), ref.normal(0, 1.5)), "0.04154484731949074738048861"),
    "js mix3 N(-1,2)": (lambda: gm.js_divergence(mix3(), N(-1, 2)), lambda: ref.js(ref_mix3(), ref.normal(-1, 2)), "0.1040317499112145934111308"),
    "js U(0,1) N(0.5,0.2)": (lambda: gm.js_divergence(U(0, 1), N(0.5, 0.2)), lambda: ref.js(ref.uniform(0, 1), ref.normal(0.5, 0.2)), "0.07123654848967148842866924"),
    "kl mix1 N(0,1.5)": (lambda: gm.kl_divergence(mix1(), N(0, 1.5)), lambda: ref.kl(ref_mix1(), ref.normal(0, 1.5)), "0.1597450678593130173942995"),
    "kl N(0,1.5) mix1": (lambda: gm.kl_divergence(N(0, 1.5), mix1()), lambda: ref.kl(ref.normal(0, 1.5), ref_mix1()), "0.2068827565497870361791008"),
    "kl U(0,1) N(0,1)": (lambda: gm.kl_divergence(U(0, 1), N(0, 1)), lambda: ref.kl(ref.uniform(0, 1), ref.normal(0, 1)), "1.085605199871339408446996"),
    "tv N(0,1) N(1,2)": (lambda: gm.total_variation(N(0, 1), N(1, 2)), lambda: ref.tv(ref.normal(0, 1), ref.normal(1, 2), _pdf_crossings(ref.normal(0, 1), ref.normal(1, 2))), "0.3900656601210556610529514"),
    "tv mix1 N(0,1.5)": (lambda: gm.total_variation(mix1(), N(0, 1.5)), lambda: ref.tv(ref_mix1(), ref.normal(0, 1.5), _pdf_crossings(ref_mix1(), ref.normal(0, 1.5))), "0.2356328586458972838601108"),
    "tv U(0,2) U(1,4)": (lambda: gm.total_variation(U(0, 2), U(1, 4)), lambda: ref.tv(ref.uniform(0, 2), ref.uniform(1, 4)), "0.6666666666666666666666667"),
    "w1 N(0,1) N(1,2)": (lambda: gm.wasserstein1(N(0, 1), N(1, 2)), lambda: ref.w1(ref.normal(0, 1), ref.normal(1, 2), _cdf_crossings(ref.normal(0, 1), ref.normal(1, 2))), "1.166630941175372596766125"),
    "w1 mix3 N(-1,2)": (lambda: gm.wasserstein1(mix3(), N(-1, 2)), lambda: ref.w1(ref_mix3(), ref.normal(-1, 2), _cdf_crossings(ref_mix3(), ref.normal(-1, 2))), "0.9109417554209173178425141"),
    "w1 U(0,2) U(1,4)": (lambda: gm.wasserstein1(U(0, 2), U(1, 4)), lambda: ref.w1(ref.uniform(0, 2), ref.uniform(1, 4), _cdf_crossings(ref.uniform(0, 2), ref.uniform(1, 4))), "1.5"),
    "value sigmoid(1-x) N(0,1) N(2,1)": (
        lambda: gm.value_function(lambda x: 1 - x, N(0, 1), N(2, 1), logit=True),
        lambda: ref.value(lambda x: 1 - x, ref.normal(0, 1), ref.normal(2, 1)),
        "-0.8137125661750619684225824",
    ),
    "value sigmoid(2-x^2) mix1 N(0,1.5)": (
        lambda: gm.value_function(lambda x: 2 - x**2, mix1(), N(0, 1.5), logit=True),
        lambda: ref.value(lambda x: 2 - x**2, ref_mix1(), ref.normal(0, 1.5)),
        "-2.704200196048524752659831",
    ),
    "value D=0.2+0.6 sigmoid(x) mix1 N(0,1.5)": (
        lambda: gm.value_function(lambda x: 0.2 + 0.6 * special.expit(x), mix1(), N(0, 1.5)),
        lambda: ref.value(lambda x: mp.log((mp.mpf("0.2") + mp.mpf("0.6") / (1 + mp.exp(-x))) / (mp.mpf("0.8") - mp.mpf("0.6") / (1 + mp.exp(-x)))), ref_mix1(), ref.normal(0, 1.5)),
        "-1.488229424182419223251653",
    ),
    "criterion mix1 N(0,1.5)": (lambda: gm.virtual_criterion(mix1(), N(0, 1.5)), lambda: ref.criterion(ref_mix1(), ref.normal(0, 1.5)), "-1.303204666480909085596089"),
    "criterion mix3 N(-1,2)": (lambda: gm.virtual_criterion(mix3(), N(-1, 2)), lambda: ref.criterion(ref_mix3(), ref.normal(-1, 2)), "-1.178230861297461432012203"),
    "dstar mix1 N(0,1.5) x=-2.5": (
        lambda: float(gm.optimal_discriminator(mix1(), N(0, 1.5), -2.5)),
        lambda: ref.optimal_discriminator(ref_mix1(), ref.normal(0, 1.5), -2.5),
        "0.6873431087359839967322621",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_against_mpmath(name):
    compute, _, stored = CASES[name]
    assert abs(compute() - float(stored)) <= ATOL, f"{name}: ganmath {compute()!r}, mpmath {stored}"


@pytest.mark.slow
def test_stored_references_are_mpmath():
    for name, (_, reference, stored) in CASES.items():
        assert abs(reference() - mp.mpf(stored)) < mp.mpf("1e-20"), name


# --- The numbers printed in the references (Goodfellow et al. 2014; Wang, She & Ward 2019) ---


# JS of N(0, 1) and N(d, 1) computed in mpmath: the survey plots this curve and prints only 0.693 and 0.336.
@pytest.mark.parametrize(
    "d, js",
    [(0.5, 0.0303113005), (1, 0.111421482), (2, 0.336830820), (3, 0.526777307), (4, 0.632720194),
     (5, 0.675942577), (6, 0.689297933), (8, 0.693053645), (10, 0.693146317)],
)
def test_js_of_unit_gaussians_matches_the_mpmath_table(d, js):
    assert abs(gm.js_divergence(N(0, 1), N(d, 1)) - js) <= 1e-9


def test_js_resolves_the_deficit_from_log2_far_apart():
    # log 2 - JS keeps its relative accuracy: compare with mpmath's deficit at d = 5..10.
    for d in (5, 7, 10):
        deficit_ref = mp.log(2) - ref.js(ref.normal(0, 1), ref.normal(d, 1))
        deficit = gm.js_deficit(N(0, 1), N(d, 1))
        assert abs(deficit - float(deficit_ref)) <= 1e-12 * max(1.0, float(deficit_ref)) + 1e-15
        assert abs(deficit / float(deficit_ref) - 1) < 1e-6


def test_js_in_bits():
    assert abs(gm.js_divergence(N(0, 1), N(2, 1), base=2) - 0.3368308203468316 / math.log(2)) <= 1e-12
    assert gm.js_divergence(U(0, 1), U(3, 4), base=2) == 1.0


def test_optimal_discriminator_paper_values():
    x = np.array([0.0, 1.0, 2.0])
    np.testing.assert_allclose(gm.optimal_discriminator(N(0, 1), N(2, 1), x), [0.880797078, 0.5, 0.119202922], atol=1e-9)


def test_optimal_discriminator_is_exact_far_in_the_tail():
    # D*(40) = sigmoid(2 - 80) for N(0,1) vs N(2,1): 1.3336e-34, stored from mpmath at 30 digits.
    value = float(gm.optimal_discriminator(N(0, 1), N(2, 1), 40.0))
    stored = 1.333614815502261341453014e-34  # ref.optimal_discriminator(ref.normal(0,1), ref.normal(2,1), 40)
    assert value == pytest.approx(stored, rel=1e-12)
    far = gm.optimal_discriminator(N(0, 1), N(2, 1), np.array([-400.0, 400.0]))
    assert far[0] == 1.0 and 0 < far[1] < 1e-300 or far[1] == 0.0  # sigmoid(-798) underflows only below 5e-324
    assert np.all(np.isfinite(far))


def test_optimal_discriminator_is_nan_where_both_densities_vanish():
    d = gm.optimal_discriminator(U(0, 1), U(2, 3), np.array([0.5, 1.5, 2.5]))
    assert d[0] == 1.0 and np.isnan(d[1]) and d[2] == 0.0


# --- Closed forms ---


def _kl_normal(m1, s1, m2, s2):
    return math.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5


@pytest.mark.parametrize("m1, s1, m2, s2", [(0, 1, 1, 2), (3, 0.2, -1, 1.5), (0, 1, 10, 1), (0, 5, 0, 0.5)])
def test_kl_of_gaussians_closed_form(m1, s1, m2, s2):
    assert abs(gm.kl_divergence(N(m1, s1), N(m2, s2)) - _kl_normal(m1, s1, m2, s2)) <= 1e-9


def test_kl_is_infinite_without_absolute_continuity():
    assert gm.kl_divergence(N(0, 1), U(-1, 1)) == math.inf
    assert gm.kl_divergence(U(0, 2), U(0, 1)) == math.inf
    assert gm.kl_divergence(U(0, 1), U(0, 2)) == pytest.approx(math.log(2), abs=1e-15)


@pytest.mark.parametrize("a", [0.0, 0.1, 0.3, 0.5, 0.999, 1.0, 1.5, 7.0])
def test_js_of_shifted_uniforms_closed_form(a):
    # JS(U[0,1], U[a,1+a]) = min(a, 1) log 2: exact at the kinks of the integrand.
    assert abs(gm.js_divergence(U(0, 1), U(a, 1 + a)) - min(a, 1.0) * math.log(2)) <= 1e-12


@pytest.mark.parametrize("a", [1.0, 2.0, 100.0])
def test_disjoint_supports_are_exact(a):
    p, q = U(0, 1), U(a, a + 1)
    assert gm.js_divergence(p, q) == math.log(2)
    assert gm.total_variation(p, q) == 1.0
    assert abs(gm.wasserstein1(p, q) - a) <= 1e-12 * a
    assert gm.virtual_criterion(p, q) == 0.0
    assert gm.kl_divergence(p, q) == math.inf


@pytest.mark.parametrize("d", [0.1, 1.0, 3.0, 12.0])
def test_tv_and_w1_of_shifted_gaussians_closed_form(d):
    assert abs(gm.total_variation(N(0, 1), N(d, 1)) - (2 * stats.norm.cdf(d / 2) - 1)) <= 1e-12
    assert abs(gm.wasserstein1(N(0, 1), N(d, 1)) - d) <= 1e-10 * max(1, d)


def test_criterion_of_identical_densities_is_minus_log4():
    for p in (N(1, 2), mix3(), U(-1, 1)):
        assert abs(gm.virtual_criterion(p, p) + math.log(4)) <= 1e-12
        assert abs(gm.js_divergence(p, p)) <= 1e-12


def test_wasserstein_parallel_uniforms_example():
    # Arjovsky et al. 2017, Example 1 in one dimension: W1 = |theta|, JS = log 2, TV = 1 once disjoint.
    for theta in (1.0, 2.5):
        p, q = U(0, 1), U(theta, 1 + theta)
        assert abs(gm.wasserstein1(p, q) - theta) <= 1e-12
    # Partial overlap: W1 still equals the shift (a translation).
    assert abs(gm.wasserstein1(U(0, 1), U(0.25, 1.25)) - 0.25) <= 1e-12
