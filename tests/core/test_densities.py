"""The densities against scipy.stats and their own identities."""

import numpy as np
import pytest
from scipy import stats

import ganmath as gm

X = np.linspace(-12.0, 12.0, 97)


@pytest.mark.parametrize("mu, sigma", [(0, 1), (-3, 0.2), (4, 2.5)])
def test_normal_against_scipy(mu, sigma):
    p, ref = gm.Normal(mu, sigma), stats.norm(mu, sigma)
    np.testing.assert_allclose(p.logpdf(X), ref.logpdf(X), rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(p.pdf(X), ref.pdf(X), rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(p.cdf(X), ref.cdf(X), rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(p.ppf([0.001, 0.3, 0.999]), ref.ppf([0.001, 0.3, 0.999]), rtol=1e-13)
    assert (p.mean, p.std) == (mu, sigma)


@pytest.mark.parametrize("low, high", [(0, 1), (-3, 0.5), (2, 9)])
def test_uniform_against_scipy(low, high):
    p, ref = gm.Uniform(low, high), stats.uniform(low, high - low)
    np.testing.assert_allclose(p.pdf(X), ref.pdf(X), rtol=1e-14)
    np.testing.assert_allclose(p.cdf(X), ref.cdf(X), rtol=1e-14, atol=1e-15)
    assert p.logpdf(high) == -np.log(high - low) and p.logpdf(high + 1e-9) == -np.inf
    assert p.mean == pytest.approx(ref.mean()) and p.std == pytest.approx(ref.std())


def test_mixture_is_the_weighted_sum():
    parts = [gm.Normal(-2, 0.5), gm.Uniform(0, 1), gm.Normal(3, 2)]
    weights = [0.2, 0.3, 0.5]
    m = gm.Mixture(parts, weights)
    np.testing.assert_allclose(m.pdf(X), sum(w * c.pdf(X) for w, c in zip(weights, parts)), rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(m.cdf(X), sum(w * c.cdf(X) for w, c in zip(weights, parts)), rtol=1e-14, atol=1e-300)
    mean = sum(w * c.mean for w, c in zip(weights, parts))
    assert m.mean == pytest.approx(mean)
    second = sum(w * (c.std**2 + c.mean**2) for w, c in zip(weights, parts))
    assert m.std == pytest.approx(np.sqrt(second - mean**2))


def test_mixture_logpdf_is_exact_far_in_the_tails():
    m = gm.Mixture([gm.Normal(0, 1), gm.Normal(1, 1)], [0.5, 0.5])
    # At x = 60 both components underflow as densities; the log-density stays exact.
    expected = np.logaddexp(np.log(0.5) + stats.norm.logpdf(60.0), np.log(0.5) + stats.norm.logpdf(60.0, 1.0))
    assert m.logpdf(60.0) == pytest.approx(expected, rel=1e-14)


def test_mixture_drops_zero_weights_and_accepts_one_component():
    m = gm.Mixture([gm.Normal(0, 1), gm.Normal(5, 1)], [1.0, 0.0])
    assert len(m.components) == 1
    np.testing.assert_allclose(m.pdf(X), gm.Normal(0, 1).pdf(X), rtol=1e-15)


def test_samples_follow_the_distribution():
    rng = np.random.default_rng(1)
    for p in (gm.Normal(1, 2), gm.Uniform(-1, 3), gm.Mixture([gm.Normal(-3, 0.5), gm.Uniform(1, 2)], [0.4, 0.6])):
        sample = p.sample(20000, rng)
        assert sample.shape == (20000,)
        # Kolmogorov-Smirnov against the exact CDF: p-value far from tiny for a correct sampler.
        assert stats.kstest(sample, p.cdf).pvalue > 1e-3


def test_custom_density_cdf_ppf_and_sampling():
    triangle = gm.CustomDensity(lambda x: 2 * x, support=(0, 1))
    np.testing.assert_allclose(triangle.cdf([0.0, 0.25, 0.5, 1.0, 2.0]), [0, 0.0625, 0.25, 1, 1], atol=1e-14)
    np.testing.assert_allclose(triangle.ppf([0.25, 0.81]), [0.5, 0.9], atol=1e-12)
    assert triangle.pdf(-1.0) == 0.0 and triangle.logpdf(1.5) == -np.inf
    sample = triangle.sample(20000, np.random.default_rng(2))
    assert stats.kstest(sample, triangle.cdf).pvalue > 1e-3
    # It plugs into the theory like any other density: JS(triangle, U[0,1]) against scipy quad.
    from scipy import integrate

    def integrand(x):
        p, q = 2 * x, 1.0
        m = (p + q) / 2
        return 0.5 * (p * np.log(p / m) if p > 0 else 0.0) + 0.5 * q * np.log(q / m)

    reference = integrate.quad(integrand, 0, 1, epsabs=1e-13, epsrel=1e-13)[0]
    assert abs(gm.js_divergence(triangle, gm.Uniform(0, 1)) - reference) <= 1e-10


def test_custom_density_with_exact_cdf_and_breakpoints():
    # A tent on [-1, 1] with a kink at 0, given with its exact CDF.
    tent = gm.CustomDensity(
        lambda x: 1 - np.abs(x),
        support=(-1, 1),
        cdf=lambda x: np.where(x < 0, 0.5 * (1 + x) ** 2, 1 - 0.5 * (1 - x) ** 2),
        breakpoints=[0.0],
    )
    assert 0.0 in tent.breakpoints
    assert abs(gm.total_variation(tent, gm.Uniform(-1, 1)) - 0.25) <= 1e-12  # 1/2 * int |1 - |x| - 1/2|
    assert abs(gm.wasserstein1(tent, tent)) <= 1e-15


def test_equal_densities_compare_equal():
    assert gm.Normal(0, 1) == gm.Normal(0, 1) and gm.Normal(0, 1) != gm.Normal(0, 2)
    assert len({gm.Uniform(0, 1), gm.Uniform(0, 1)}) == 1
    assert "Normal(mu=0, sigma=1)" in repr(gm.Mixture([gm.Normal(0, 1)]))


@pytest.mark.parametrize("mu, sigma, low, high", [(0.0, 1.0, -2.0, 2.0), (4.0, 0.5, 3.0, 5.5), (0.0, 1.0, 6.0, 9.0),
                                                  (1.0, 2.0, -30.0, -2.0)])
def test_truncated_normal_against_scipy(mu, sigma, low, high):
    from scipy import stats

    density = gm.TruncatedNormal(mu, sigma, low, high)
    reference = stats.truncnorm((low - mu) / sigma, (high - mu) / sigma, loc=mu, scale=sigma)
    x = np.linspace(low - 1, high + 1, 57)
    np.testing.assert_allclose(density.pdf(x), reference.pdf(x), rtol=1e-10, atol=1e-300)
    np.testing.assert_allclose(density.cdf(x), reference.cdf(x), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(density.sf(x), reference.sf(x), rtol=1e-10, atol=1e-14)
    q = np.linspace(0.0, 1.0, 21)
    np.testing.assert_allclose(density.ppf(q), reference.ppf(q), rtol=1e-9, atol=1e-9 * sigma)
    assert density.mean == pytest.approx(reference.mean(), rel=1e-10, abs=1e-12)
    assert density.std == pytest.approx(reference.std(), rel=1e-9)
    # the base class's quadrature defaults, another way to the same moments
    assert density.mean == pytest.approx(gm.Density.mean.fget(density), rel=1e-10, abs=1e-12)
    assert gm.js_divergence(density, density) == pytest.approx(0.0, abs=1e-14)
    draws = density.sample(2000, np.random.default_rng(0))
    assert np.all((draws >= low) & (draws <= high))
    assert stats.kstest(draws, reference.cdf).pvalue > 1e-3


@pytest.mark.parametrize("call, error, word", [
    (lambda: gm.TruncatedNormal(0, 0, -1, 1), ValueError, "sigma"),
    (lambda: gm.TruncatedNormal(0, 1, 1, -1), ValueError, "low"),
    (lambda: gm.TruncatedNormal(0, 1, 40, 41), ValueError, "mass"),
    (lambda: gm.TruncatedNormal(0, 1, -np.inf, 1), ValueError, "low"),
])
def test_truncated_normal_rejects_bad_parameters(call, error, word):
    with pytest.raises(error, match=word):
        call()
