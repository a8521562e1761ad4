"""ganmath.core.likelihood: entropy, cross-entropy, the likelihood and the KL fits of a normal model.

References: closed forms (the normal and uniform entropies, the normal cross-entropy, moment matching,
the sample mean and standard deviation), scipy.stats, scipy's QUADPACK and ganmath.kl_divergence.
"""

import math

import numpy as np
import pytest
from scipy import integrate as sp_integrate
from scipy import stats

import ganmath as gm
from ganmath.core.likelihood import (
    cross_entropy,
    entropy,
    fit_normal_by_kl,
    fit_normal_by_likelihood,
    mean_log_likelihood,
    normal_cross_entropy,
)

BIMODAL = gm.Mixture([gm.Normal(-2.0, 0.6), gm.Normal(2.0, 0.8)], [0.6, 0.4])
SKEWED = gm.Mixture([gm.Normal(-0.5, 0.7), gm.Normal(1.5, 1.2)], [0.7, 0.3])


def quad_entropy(p):
    def integrand(x):
        value = float(p.pdf(x))
        return -value * math.log(value) if value > 0 else 0.0

    low, high = p.integration_range
    return sp_integrate.quad(integrand, low, high, points=p.breakpoints[1:-1], limit=500, epsabs=1e-13)[0]


def test_entropy_closed_forms():
    assert entropy(gm.Normal(0.3, 1.7)) == pytest.approx(0.5 * math.log(2 * math.pi * math.e * 1.7**2), abs=1e-13)
    assert entropy(gm.Uniform(-1.0, 2.5)) == pytest.approx(math.log(3.5), abs=1e-14)
    assert entropy(BIMODAL) == pytest.approx(quad_entropy(BIMODAL), abs=1e-10)


@pytest.mark.parametrize("q", [gm.Normal(0.0, 1.0), gm.Normal(1.2, 0.5), gm.Mixture([gm.Normal(-1, 1), gm.Normal(2, 1)])])
def test_cross_entropy_is_entropy_plus_kl(q):
    for p in (BIMODAL, SKEWED, gm.Normal(0.5, 2.0)):
        assert cross_entropy(p, q) == pytest.approx(entropy(p) + gm.kl_divergence(p, q), abs=1e-11)


def test_cross_entropy_infinite_where_q_vanishes():
    assert cross_entropy(gm.Normal(0, 1), gm.Uniform(-1, 1)) == math.inf
    assert cross_entropy(gm.Uniform(-1, 1), gm.Normal(0, 1)) == pytest.approx(
        0.5 * math.log(2 * math.pi) + 1 / 6, abs=1e-14
    )


@pytest.mark.parametrize("p", [BIMODAL, SKEWED, gm.Uniform(-1.0, 3.0)])
def test_normal_cross_entropy_closed_form_matches_quadrature(p):
    mu = np.array([-2.0, 0.0, 0.7, 3.0])
    sigma = np.array([0.5, 1.0, 1.3, 2.0])
    closed = normal_cross_entropy(p, mu, sigma)
    quadrature = [cross_entropy(p, gm.Normal(m, s)) for m, s in zip(mu, sigma)]
    np.testing.assert_allclose(closed, quadrature, rtol=1e-12, atol=1e-12)


def test_normal_cross_entropy_integrates_moments_when_missing():
    triangle = gm.CustomDensity(lambda x: 2 * x, support=(0, 1))
    # Mean 2/3, variance 1/18.
    expected = 0.5 * math.log(2 * math.pi * 0.8**2) + (1 / 18 + (2 / 3 - 0.1) ** 2) / (2 * 0.8**2)
    assert normal_cross_entropy(triangle, 0.1, 0.8) == pytest.approx(expected, abs=1e-12)
    assert normal_cross_entropy(triangle, 0.1, 0.8) == pytest.approx(cross_entropy(triangle, gm.Normal(0.1, 0.8)),
                                                                      abs=1e-10)


def test_mean_log_likelihood_matches_scipy():
    samples = np.random.default_rng(1).normal(0.3, 1.4, size=257)
    assert mean_log_likelihood(gm.Normal(0.1, 1.2), samples) == pytest.approx(
        np.mean(stats.norm.logpdf(samples, 0.1, 1.2)), rel=1e-14
    )
    assert mean_log_likelihood(gm.Uniform(0, 1), np.array([0.5, 2.0])) == -math.inf


@pytest.mark.parametrize("p", [BIMODAL, SKEWED, gm.Uniform(-1.0, 3.0)])
def test_forward_kl_fit_matches_the_moments(p):
    fit = fit_normal_by_kl(p)
    assert fit.mu == pytest.approx(p.mean, abs=1e-6)
    assert fit.sigma == pytest.approx(p.std, abs=1e-6)


def test_likelihood_fit_matches_the_sample_moments():
    samples = SKEWED.sample(2000, np.random.default_rng(7))
    fit = fit_normal_by_likelihood(samples)
    assert fit.mu == pytest.approx(np.mean(samples), abs=1e-7)
    assert fit.sigma == pytest.approx(np.std(samples), abs=1e-7)  # divisor n: the maximum-likelihood estimate


def test_likelihood_fit_approaches_the_kl_fit():
    target = fit_normal_by_kl(SKEWED)
    rng = np.random.default_rng(3)
    for n in (1_000, 100_000):
        fit = fit_normal_by_likelihood(SKEWED.sample(n, rng))
        # Four standard errors of the mean and of the standard deviation (kurtosis bounded by 3 here).
        assert abs(fit.mu - target.mu) < 4 * SKEWED.std / math.sqrt(n)
        assert abs(fit.sigma - target.sigma) < 4 * SKEWED.std / math.sqrt(n)


def test_likelihood_fit_is_deterministic_for_a_seed():
    first = fit_normal_by_likelihood(BIMODAL.sample(500, np.random.default_rng(11)))
    second = fit_normal_by_likelihood(BIMODAL.sample(500, np.random.default_rng(11)))
    assert (first.mu, first.sigma) == (second.mu, second.sigma)


def test_reverse_kl_fit_seeks_a_mode():
    left = fit_normal_by_kl(BIMODAL, "reverse", start=gm.Normal(-2.0, 0.5))
    right = fit_normal_by_kl(BIMODAL, "reverse", start=gm.Normal(2.0, 0.5))
    assert left.mu == pytest.approx(-2.0, abs=0.05) and left.sigma == pytest.approx(0.6, abs=0.05)
    assert right.mu == pytest.approx(2.0, abs=0.05) and right.sigma == pytest.approx(0.8, abs=0.1)

    # A stationary point of KL(q || p_data): central differences in (mu, log sigma) vanish.
    def reverse_kl(mu, log_sigma):
        return gm.kl_divergence(gm.Normal(mu, math.exp(log_sigma)), BIMODAL)

    h = 1e-4
    d_mu = (reverse_kl(left.mu + h, math.log(left.sigma)) - reverse_kl(left.mu - h, math.log(left.sigma))) / (2 * h)
    d_log_sigma = (reverse_kl(left.mu, math.log(left.sigma) + h) - reverse_kl(left.mu, math.log(left.sigma) - h)) / (2 * h)
    assert abs(d_mu) < 1e-5 and abs(d_log_sigma) < 1e-5
    # It beats the moment-matched normal in reverse KL, and loses to it in forward KL.
    forward = fit_normal_by_kl(BIMODAL)
    assert gm.kl_divergence(left, BIMODAL) < gm.kl_divergence(forward, BIMODAL)
    assert gm.kl_divergence(BIMODAL, left) > gm.kl_divergence(BIMODAL, forward)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: entropy("p"), TypeError, "p"),
        (lambda: cross_entropy(gm.Normal(), 3.0), TypeError, "q"),
        (lambda: mean_log_likelihood(gm.Normal(), np.array([])), ValueError, "samples"),
        (lambda: mean_log_likelihood(gm.Normal(), np.array([1.0, np.nan])), ValueError, "samples"),
        (lambda: mean_log_likelihood(gm.Normal(), np.ones((2, 2))), ValueError, "samples"),
        (lambda: normal_cross_entropy(gm.Normal(), 0.0, -1.0), ValueError, "sigma"),
        (lambda: normal_cross_entropy(gm.Normal(), np.inf, 1.0), ValueError, "mu"),
        (lambda: fit_normal_by_likelihood(np.ones(5)), ValueError, "samples"),
        (lambda: fit_normal_by_kl(gm.Normal(), "sideways"), ValueError, "direction"),
        (lambda: fit_normal_by_kl(gm.Normal(), start=(0.0, 1.0)), TypeError, "start"),
    ],
)
def test_bad_input_names_the_parameter(call, error, match):
    with pytest.raises(error, match=match):
        call()
