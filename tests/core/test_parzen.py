"""The Parzen-window evaluation (Goodfellow et al. 2014, Table 1) against a direct double loop in mpmath, the
standard error against its formula, no underflow far from the samples, validation, and Hypothesis properties
(shift and scale equivariance, order of the samples, total mass 1)."""

import math

import mpmath as mp
import numpy as np
import pytest
from scipy import stats as scipy_stats
from hypothesis import given, settings
from hypothesis import strategies as st

import ganmath as gm
from ganmath.core.parzen import parzen_bandwidth, parzen_log_density, parzen_log_likelihood, parzen_scores

mp.mp.dps = 40


def mp_log_density(samples, point, sigma):
    """log( (1/n) sum_j N(point; s_j, sigma^2) ), summed term by term at 40 digits."""
    sigma = mp.mpf(sigma)
    total = mp.fsum(mp.exp(-((mp.mpf(point) - mp.mpf(s)) ** 2) / (2 * sigma**2)) for s in samples)
    return mp.log(total / (len(samples) * sigma * mp.sqrt(2 * mp.pi)))


def mp_mean_and_standard_error(samples, points, sigma):
    values = [mp_log_density(samples, x, sigma) for x in points]
    m = len(values)
    mean = mp.fsum(values) / m
    variance = mp.fsum((v - mean) ** 2 for v in values) / (m - 1)
    return float(mean), float(mp.sqrt(variance / m)), [float(v) for v in values]


@pytest.mark.parametrize("sigma", [0.05, 0.3, 2.0])
def test_mean_and_standard_error_against_a_double_loop_in_mpmath(sigma):
    rng = np.random.default_rng(11)
    samples = rng.normal(0.5, 1.0, size=9)
    points = rng.normal(0.0, 1.5, size=7)
    mean, standard_error = parzen_log_likelihood(samples, points, sigma)
    reference_mean, reference_error, reference_values = mp_mean_and_standard_error(samples, points, sigma)
    np.testing.assert_allclose(parzen_log_density(samples, points, sigma), reference_values, rtol=1e-12)
    np.testing.assert_allclose(mean, reference_mean, rtol=1e-12)
    np.testing.assert_allclose(standard_error, reference_error, rtol=1e-10)


def test_public_api_exports_the_two_functions():
    assert gm.parzen_log_likelihood is parzen_log_likelihood
    assert gm.parzen_bandwidth is parzen_bandwidth


def test_one_sample_is_a_normal_log_density():
    # One window centre: the estimate is the normal log-density itself, in closed form.
    points = np.array([-3.0, 0.0, 0.7, 40.0])
    expected = -0.5 * ((points - 0.2) / 0.4) ** 2 - math.log(0.4 * math.sqrt(2 * math.pi))
    np.testing.assert_allclose(parzen_log_density([0.2], points, 0.4), expected, rtol=1e-14)


def test_standard_error_is_the_sample_standard_deviation_over_root_m():
    rng = np.random.default_rng(3)
    samples, points = rng.uniform(-1, 1, 30), rng.uniform(-2, 2, 50)
    values = parzen_log_density(samples, points, 0.2)
    deviations = values - values.sum() / values.size
    formula = math.sqrt(float(np.sum(deviations**2)) / (values.size - 1) / values.size)
    np.testing.assert_allclose(parzen_log_likelihood(samples, points, 0.2)[1], formula, rtol=1e-12)


def test_a_single_test_point_has_no_standard_error():
    mean, standard_error = parzen_log_likelihood([0.0, 1.0], [0.5], 1.0)
    assert math.isfinite(mean) and math.isnan(standard_error)


def test_no_underflow_far_from_every_sample():
    # exp(-(10^4)^2 / (2 * 0.01^2)) underflows to 0 in float64; the logarithm is still exact.
    samples = np.array([0.0, 1.0])
    far = 1.0e4
    value = parzen_log_density(samples, [far], 0.01)[0]
    reference = float(mp_log_density(samples, far, 0.01))
    assert math.isfinite(value)
    np.testing.assert_allclose(value, reference, rtol=1e-14)


def test_blocks_give_the_same_numbers_as_one_pass(monkeypatch):
    from ganmath.core import parzen

    rng = np.random.default_rng(5)
    samples, points = rng.normal(size=300), rng.normal(size=200)
    whole = parzen_log_density(samples, points, 0.3)
    monkeypatch.setattr(parzen, "_BLOCK_ENTRIES", 7 * samples.size)
    np.testing.assert_allclose(parzen_log_density(samples, points, 0.3), whole, rtol=1e-14)


def test_scores_and_bandwidth_choose_the_most_likely_width():
    rng = np.random.default_rng(8)
    samples, validation = rng.normal(size=12), rng.normal(size=6)
    sigmas = np.array([0.05, 0.2, 0.5, 1.0, 3.0])
    reference = [mp_mean_and_standard_error(samples, validation, s)[0] for s in sigmas]
    np.testing.assert_allclose(parzen_scores(samples, validation, sigmas), reference, rtol=1e-12)
    assert parzen_bandwidth(samples, validation, sigmas) == sigmas[int(np.argmax(reference))]


def test_more_samples_bring_the_estimate_to_the_true_log_likelihood():
    # For p = N(0, 1), E_p[log p] = -(1 + log 2 pi) / 2; with 20,000 samples and a fitted width the estimate is
    # within a few hundredths (its bias shrinks as n grows, its noise as m grows).
    rng = np.random.default_rng(0)
    samples, validation, test = rng.normal(size=20_000), rng.normal(size=500), rng.normal(size=2_000)
    sigma = parzen_bandwidth(samples, validation, np.geomspace(0.02, 1.0, 25))
    mean, standard_error = parzen_log_likelihood(samples, test, sigma)
    truth = -0.5 * (1.0 + math.log(2 * math.pi))
    assert abs(mean - truth) < 0.03 + 3 * standard_error, (mean, standard_error, truth)


@pytest.mark.parametrize("call, name", [
    (lambda: parzen_log_likelihood([0.0, 1.0], [0.5], 0.0), "sigma"),
    (lambda: parzen_log_likelihood([0.0, 1.0], [0.5], -1.0), "sigma"),
    (lambda: parzen_log_likelihood([0.0, 1.0], [0.5], math.nan), "sigma"),
    (lambda: parzen_log_likelihood([], [0.5], 1.0), "samples"),
    (lambda: parzen_log_likelihood([0.0, math.nan], [0.5], 1.0), "samples"),
    (lambda: parzen_log_likelihood([0.0, 1.0], [math.inf], 1.0), "x"),
    (lambda: parzen_log_likelihood(np.zeros((2, 2)), [0.5], 1.0), "samples"),
    (lambda: parzen_bandwidth([0.0, 1.0], [0.5], [0.1, -0.2]), "sigmas[1]"),
    (lambda: parzen_bandwidth([0.0, 1.0], [], [0.1]), "validation"),
])
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=rf"{name.replace('[', '.').replace(']', '.')}"):
        call()


def test_wrong_types_raise_type_error():
    with pytest.raises(TypeError, match="sigma"):
        parzen_log_likelihood([0.0], [0.0], "wide")
    with pytest.raises(TypeError, match="samples"):
        parzen_log_likelihood(["a"], [0.0], 1.0)


# Properties: the window commutes with shifts, scales as a density, and does not care about the order of samples.

_points_lists = st.lists(st.floats(-10.0, 10.0, allow_nan=False), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(samples=_points_lists, x=_points_lists, sigma=st.floats(0.05, 5.0), shift=st.floats(-50.0, 50.0))
def test_shifting_samples_and_points_together_changes_nothing(samples, x, sigma, shift):
    samples, x = np.array(samples), np.array(x)
    np.testing.assert_allclose(parzen_log_density(samples + shift, x + shift, sigma),
                               parzen_log_density(samples, x, sigma), rtol=1e-9, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(samples=_points_lists, x=_points_lists, sigma=st.floats(0.05, 5.0), scale=st.floats(0.1, 10.0))
def test_scaling_everything_moves_the_log_density_by_minus_log_scale(samples, x, sigma, scale):
    samples, x = np.array(samples), np.array(x)
    np.testing.assert_allclose(parzen_log_density(scale * samples, scale * x, scale * sigma),
                               parzen_log_density(samples, x, sigma) - math.log(scale), rtol=1e-9, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(samples=_points_lists, sigma=st.floats(0.05, 5.0), seed=st.integers(0, 2**32 - 1))
def test_the_order_of_the_samples_does_not_matter_and_the_window_integrates_to_one(samples, sigma, seed):
    samples = np.array(samples)
    shuffled = np.random.default_rng(seed).permutation(samples)
    x = np.linspace(samples.min() - 12 * sigma, samples.max() + 12 * sigma, 20001)
    values = parzen_log_density(samples, x, sigma)
    np.testing.assert_allclose(parzen_log_density(shuffled, x, sigma), values, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(np.trapezoid(np.exp(values), x), 1.0, rtol=1e-6)


def test_rows_against_a_direct_computation_with_scipy():
    rng = np.random.default_rng(3)
    samples, x = rng.normal(size=(40, 4)), rng.normal(size=(7, 4))
    sigma = 0.7
    direct = [math.log(np.mean([scipy_stats.multivariate_normal(s, sigma**2 * np.eye(4)).pdf(point)
                                for s in samples])) for point in x]
    mean, error = parzen_log_likelihood(samples, x, sigma)
    np.testing.assert_allclose(mean, np.mean(direct), rtol=1e-12)
    np.testing.assert_allclose(error, np.std(direct, ddof=1) / math.sqrt(7), rtol=1e-10)


def test_rows_do_not_underflow_far_from_the_samples():
    samples = np.zeros((3, 64))
    far = np.full((1, 64), 10.0)   # |x - s|^2 = 6400: exp(-6400 / (2 * 0.01)) is 0 in float64
    mean, _ = parzen_log_likelihood(samples, np.vstack([far, far]), 0.1)
    expected = -6400.0 / (2 * 0.01) - 32 * math.log(2 * math.pi * 0.01)
    np.testing.assert_allclose(mean, expected, rtol=1e-13)


def test_rows_bandwidth_is_the_best_on_validation():
    rng = np.random.default_rng(4)
    samples, validation = rng.normal(size=(200, 3)), rng.normal(size=(50, 3))
    sigmas = [0.05, 0.2, 0.5, 1.0, 3.0]
    scores = [parzen_log_likelihood(samples, validation, s)[0] for s in sigmas]
    assert parzen_bandwidth(samples, validation, sigmas) == sigmas[int(np.argmax(scores))]
    assert parzen_bandwidth(samples, validation, sigmas) not in (0.05, 3.0)


def test_images_are_rows_and_widths_must_agree():
    rng = np.random.default_rng(6)
    images, test = rng.normal(size=(20, 1, 8, 8)), rng.normal(size=(5, 1, 8, 8))
    flat = parzen_log_likelihood(images.reshape(20, -1), test.reshape(5, -1), 0.9)
    assert parzen_log_likelihood(images, test, 0.9) == flat
    with pytest.raises(ValueError, match="same number of coordinates"):
        parzen_log_likelihood(np.zeros((2, 3)), np.zeros((2, 4)), 1.0)
    with pytest.raises(ValueError, match="sigma"):
        parzen_log_likelihood(np.zeros((2, 3)), np.zeros((2, 3)), -1.0)
