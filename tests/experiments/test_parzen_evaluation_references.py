"""Notebook 12's numbers against independent references: the Parzen estimate on the trained generator's samples
against a direct double sum, the generator's exact expected log-likelihood against a Monte Carlo mean of its exact
log-density, and the data's own expected log-likelihood against scipy's entropy of the truncated normal."""

import math

import numpy as np
from scipy import stats

import ganmath as gm
from ganmath.core.likelihood import cross_entropy, entropy
from ganmath.experiments import parzen_evaluation as pe


def test_the_estimate_on_the_generators_samples_against_a_direct_sum():
    generator = pe.trained_generator(n_iter=100)
    samples = generator.sample(7, np.random.default_rng(9))
    points = pe.DATA.sample(5, np.random.default_rng(10))
    sigma = 0.3
    direct = [math.log(sum(math.exp(-((x - s) ** 2) / (2 * sigma**2)) for s in samples)
                       / (samples.size * sigma * math.sqrt(2 * math.pi))) for x in points]
    mean, error = gm.parzen_log_likelihood(samples, points, sigma)
    np.testing.assert_allclose(mean, np.mean(direct), rtol=1e-12)
    np.testing.assert_allclose(error, np.std(direct, ddof=1) / math.sqrt(points.size), rtol=1e-10)


def test_the_generators_exact_value_against_a_monte_carlo_mean():
    generator = pe.trained_generator(seed=0)
    check = pe.DATA.sample(100_000, np.random.default_rng(11))
    logs = generator.density.logpdf(check)
    np.testing.assert_allclose(generator.exact, logs.mean(), atol=5 * logs.std() / math.sqrt(check.size))


def test_the_datas_own_expected_log_likelihood_is_minus_its_entropy():
    reference = stats.truncnorm(-2.5, 2.5).entropy()
    np.testing.assert_allclose(-cross_entropy(pe.DATA, pe.DATA), -reference, rtol=1e-10)
    np.testing.assert_allclose(-entropy(pe.DATA), -reference, rtol=1e-10)
