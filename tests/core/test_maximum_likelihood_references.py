"""Maximum likelihood is minimizing KL(p_data || q), on the two-mode data of the course's first lesson.

References: scipy's QUADPACK on the density (moments, entropy), the normal cross-entropy in closed form, the
sample mean and standard deviation, and the standard error of a sample average.
"""

import numpy as np
import pytest
from scipy import integrate

import ganmath as gm
from ganmath.core import likelihood

#: 60% of the mass near -2 and 40% near 2: no normal fits it.
P_DATA = gm.Mixture([gm.Normal(-2.0, 0.6), gm.Normal(2.0, 0.8)], weights=[0.6, 0.4])


def by_quadpack(integrand):
    return integrate.quad(integrand, -30, 30, points=[-2, 2], limit=200)[0]


@pytest.fixture(scope="module")
def kl_fit():
    return likelihood.fit_normal_by_kl(P_DATA)


def test_the_moments_and_the_entropy_against_quadpack():
    mean = by_quadpack(lambda x: x * P_DATA.pdf(x))
    variance = by_quadpack(lambda x: (x - mean) ** 2 * P_DATA.pdf(x))
    entropy = by_quadpack(lambda x: -P_DATA.pdf(x) * P_DATA.logpdf(x))
    np.testing.assert_allclose([P_DATA.mean, P_DATA.std, likelihood.entropy(P_DATA)],
                               [mean, np.sqrt(variance), entropy], rtol=0, atol=1e-10)
    np.testing.assert_allclose([mean, np.sqrt(variance)], [-0.4, np.sqrt(0.6 * 4.36 + 0.4 * 4.64 - 0.16)], atol=1e-10)


@pytest.mark.parametrize("mu, sigma", [(-3.0, 0.5), (-2.0, 0.6), (-0.4, 2.0766), (0.0, 1.0), (1.5, 3.0), (4.0, 1.2)])
def test_expected_log_likelihood_plus_kl_is_minus_the_entropy(mu, sigma):
    expected = -likelihood.normal_cross_entropy(P_DATA, mu, sigma)
    kl = gm.kl_divergence(P_DATA, gm.Normal(mu, sigma))
    entropy = by_quadpack(lambda x: -P_DATA.pdf(x) * P_DATA.logpdf(x))
    np.testing.assert_allclose(expected + kl, -entropy, rtol=0, atol=1e-10)


def test_the_likelihood_fit_on_growing_samples_approaches_the_kl_fit(kl_fit):
    rng = np.random.default_rng(2014)
    for n in (100, 1_000, 10_000, 100_000):
        samples = P_DATA.sample(n, rng)
        fit = likelihood.fit_normal_by_likelihood(samples)
        np.testing.assert_allclose([fit.mu, fit.sigma], [samples.mean(), samples.std()], rtol=0, atol=1e-6)
        # Four standard errors: the sample mean's is std / sqrt(n); the sample std's is below it for these data.
        assert abs(fit.mu - kl_fit.mu) < 4 * P_DATA.std / np.sqrt(n), n
        assert abs(fit.sigma - kl_fit.sigma) < 4 * P_DATA.std / np.sqrt(n), n
        assert gm.kl_divergence(P_DATA, fit) >= gm.kl_divergence(P_DATA, kl_fit), n


def test_the_average_log_likelihood_of_samples_estimates_the_expectation():
    model = gm.Normal(0.5, 1.5)
    samples = P_DATA.sample(100_000, np.random.default_rng(1406))
    average = likelihood.mean_log_likelihood(model, samples)
    exact = -likelihood.normal_cross_entropy(P_DATA, 0.5, 1.5)
    standard_error = model.logpdf(samples).std() / np.sqrt(samples.size)
    assert abs(average - exact) < 4 * standard_error


def test_the_reverse_fit_is_a_stationary_point_and_each_fit_wins_its_direction(kl_fit):
    reverse_fit = likelihood.fit_normal_by_kl(P_DATA, "reverse", start=gm.Normal(-2.0, 0.5))

    def reverse_kl(mu, log_sigma):
        return gm.kl_divergence(gm.Normal(mu, np.exp(log_sigma)), P_DATA)

    h, log_sigma = 1e-4, np.log(reverse_fit.sigma)
    gradient = [(reverse_kl(reverse_fit.mu + h, log_sigma) - reverse_kl(reverse_fit.mu - h, log_sigma)) / (2 * h),
                (reverse_kl(reverse_fit.mu, log_sigma + h) - reverse_kl(reverse_fit.mu, log_sigma - h)) / (2 * h)]
    np.testing.assert_allclose(gradient, [0.0, 0.0], atol=1e-5)
    assert gm.kl_divergence(reverse_fit, P_DATA) < gm.kl_divergence(kl_fit, P_DATA)
    assert gm.kl_divergence(P_DATA, kl_fit) < gm.kl_divergence(P_DATA, reverse_fit)
