"""Proposition 2 in function space (C(G) falls monotonically to -log 4 under exponentiated-gradient steps with D*
exact), the convexity behind its proof, and parameter space, where C is not convex along a segment in theta.

References are independent of the code under test: C(G) of histograms is recomputed with ``ganmath.Mixture`` of
uniforms and ``ganmath.virtual_criterion`` (adaptive quadrature), the Gaussian family's C with
``ganmath.virtual_criterion`` of a ``ganmath.Normal``, and gradients by central differences.
"""

import math

import numpy as np
import pytest
from support.gradcheck import numerical_gradient, relative_error

import ganmath as gm
from ganmath.core import histogram, theory
from ganmath.experiments import proposition2 as p2

LOG4 = math.log(4.0)
EDGES = np.linspace(-4.0, 4.0, 33)


def as_mixture(histogram):
    """The same histogram as a mixture of adjacent uniforms (bins of zero mass left out)."""
    keep = histogram.masses > 0
    components = [gm.Uniform(a, b) for a, b, k in zip(EDGES[:-1], EDGES[1:], keep) if k]
    return gm.Mixture(components, histogram.masses[keep] / histogram.masses[keep].sum())


@pytest.fixture(scope="module")
def data():
    return histogram.histogram_of(p2.TARGET, EDGES)


def test_histogram_criterion_against_quadrature_of_the_mixtures(data):
    rng = np.random.default_rng(0)
    for p_g in p2.random_histograms(EDGES, 3, rng):
        reference = gm.virtual_criterion(as_mixture(data), as_mixture(p_g))
        np.testing.assert_allclose(histogram.histogram_criterion(data.masses, p_g.masses), reference, rtol=1e-9)


def test_histogram_density_is_the_mixture_of_uniforms(data):
    mixture = as_mixture(data)
    x = np.linspace(-4.5, 4.5, 301)
    x = x[np.min(np.abs(x[:, None] - EDGES[None, :]), axis=1) > 1e-9]  # away from the jumps
    np.testing.assert_allclose(data.pdf(x), mixture.pdf(x), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(data.cdf(x), mixture.cdf(x), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(data.sf(x), mixture.sf(x), rtol=1e-10, atol=1e-15)
    q = np.linspace(0.01, 0.99, 50)
    np.testing.assert_allclose(data.cdf(data.ppf(q)), q, rtol=1e-10)
    np.testing.assert_allclose([data.mean, data.std], [mixture.mean, mixture.std], rtol=1e-10, atol=1e-12)
    samples = data.sample(200_000, np.random.default_rng(0))
    assert abs(np.mean(samples < 0.5) - data.cdf(np.array([0.5]))[0]) < 4 * 0.5 / math.sqrt(samples.size)


def test_functional_gradient_is_log_one_minus_d_star():
    p_data, p_g = gm.Normal(0.0, 1.0), gm.Normal(1.0, 2.0)
    x = np.linspace(-3, 3, 13)
    expected = np.log(p_g.pdf(x) / (p_data.pdf(x) + p_g.pdf(x)))
    np.testing.assert_allclose(theory.functional_gradient(p_data, p_g, x), expected, rtol=1e-12)


def test_a_unit_step_averages_the_two_densities(data):
    # g^(1 - 1) (d + g)^1 / Z = (d + g) / 2: the closed form at eta = 1.
    start = histogram.histogram_of(gm.Normal(1.5, 0.7), EDGES)
    stepped = p2.exponentiated_gradient_step(data, start, 1.0)
    np.testing.assert_allclose(stepped.masses, 0.5 * (data.masses + start.masses), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("step", [0.2, 0.5, 1.0])
def test_criterion_falls_monotonically_to_minus_log_4(data, step):
    start = histogram.histogram_of(gm.Normal(1.5, 0.5), EDGES)
    path = p2.functional_descent(data, start, step=step, n_steps=200)
    # The start's C against quadrature; then every step lowers C, down to -log 4.
    np.testing.assert_allclose(path.criterion[0], gm.virtual_criterion(as_mixture(data), as_mixture(start)),
                               rtol=1e-9)
    assert np.all(np.diff(path.criterion) <= 1e-15), np.max(np.diff(path.criterion))
    assert path.criterion[0] + LOG4 > 0.3
    assert path.gap[-1] < 1e-9, path.gap[-1]
    np.testing.assert_allclose(path.density().masses, data.masses, atol=1e-6)


def test_convexity_in_p_g_on_random_pairs(data):
    rng = np.random.default_rng(1)
    gaps = []
    for _ in range(20):
        p_1, p_2 = p2.random_histograms(EDGES, 2, rng, concentration=0.5)
        weight = float(rng.uniform(0.05, 0.95))
        # In closed form on the bins ...
        closed = (weight * histogram.histogram_criterion(data.masses, p_1.masses)
                  + (1 - weight) * histogram.histogram_criterion(data.masses, p_2.masses)
                  - histogram.histogram_criterion(data.masses, weight * p_1.masses + (1 - weight) * p_2.masses))
        gaps.append(closed)
    assert min(gaps) >= -1e-14 and max(gaps) > 1e-3
    # ... and through quadrature, for densities that are not histograms.
    for _ in range(5):
        p_1 = gm.Normal(float(rng.uniform(-3, 3)), float(rng.uniform(0.3, 2)))
        p_2 = gm.Normal(float(rng.uniform(-3, 3)), float(rng.uniform(0.3, 2)))
        assert p2.convexity_gap(p2.TARGET, p_1, p_2, float(rng.uniform(0.1, 0.9))) >= -1e-10


def test_gaussian_family_criterion_against_quadrature():
    family = p2.GaussianFamily()
    for mean, spread in [(0.0, 1.0), (2.0, 0.5), (-3.0, 2.5), (5.0, 0.3)]:
        reference = gm.virtual_criterion(p2.TARGET, gm.Normal(mean, spread))
        np.testing.assert_allclose(family.criterion([mean, math.log(spread)]), reference, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("name", ["Gaussian", "MLP"])
def test_parametric_gradient_against_central_differences(name):
    family = p2.family(name)
    theta = family.initial(np.random.default_rng(4), 1)[0].copy()
    _, gradient = family.criterion_and_gradient(theta)
    numeric = numerical_gradient(lambda: family.criterion(theta), theta, step=1e-4)
    assert relative_error(gradient, numeric) < 1e-6, (gradient, numeric)


def test_monotone_mlp_criterion_against_its_exact_density():
    family = p2.MonotoneMLP()
    theta = family.initial(np.random.default_rng(2), 1)[0]
    reference = gm.virtual_criterion(p2.TARGET, family.generator_density(theta))
    np.testing.assert_allclose(family.criterion(theta), reference, rtol=1e-6)
    z = np.linspace(-0.9, 0.9, 7)
    np.testing.assert_allclose(family.network(theta)(z[:, None])[:, 0], family.generator_values(theta, z), rtol=1e-12)


def test_criterion_is_not_convex_along_a_segment_in_theta():
    # G(z) = mu + sigma z from one mode (mu = -2) to the other (mu = 2): by symmetry C is the same at both ends,
    # and in between, at mu = 0, the Gaussian sits between the modes and C is higher: above the chord.
    family = p2.GaussianFamily()
    theta_a, theta_b = [-2.0, math.log(0.5)], [2.0, math.log(0.5)]
    weights, criterion, chord = p2.segment_criterion(family, theta_a, theta_b, n=21)
    ends = gm.virtual_criterion(p2.TARGET, gm.Normal(-2.0, 0.5))
    middle = gm.virtual_criterion(p2.TARGET, gm.Normal(0.0, 0.5))
    np.testing.assert_allclose([criterion[0], criterion[10], criterion[-1]], [ends, middle, ends], rtol=1e-8)
    assert middle > ends + 0.1
    assert np.max(criterion - chord) > 0.1


def test_descent_in_theta_stalls_for_the_gaussian_family():
    # A Gaussian cannot be two modes: the best it reaches stays far above -log 4, from every start.
    result = p2.stalls(p2.GaussianFamily(), range(8), step=0.5, n_steps=300, threshold=0.05)
    assert result.stalled.successes == 8
    assert np.all(result.final_gap > 0.3)
    assert np.all(np.diff(result.path.criterion, axis=0) <= 1e-12)


@pytest.mark.parametrize("call, name", [
    (lambda d: p2.exponentiated_gradient_step(d, d, 0.0), "step"),
    (lambda d: p2.functional_descent(d, d, n_steps=0), "n_steps"),
    (lambda d: histogram.HistogramDensity([0.0, 1.0, 1.0], [0.5, 0.5]), "edges"),
    (lambda d: histogram.HistogramDensity([0.0, 1.0, 2.0], [0.7, 0.7]), "masses"),
    (lambda d: p2.convexity_gap(d, d, d, 1.5), "weight"),
    (lambda d: p2.family("Cauchy"), "name"),
])
def test_bad_input_names_the_parameter(data, call, name):
    with pytest.raises(ValueError, match=name):
        call(data)


def test_histograms_on_other_bins_are_refused(data):
    other = histogram.histogram_of(p2.TARGET, np.linspace(-4.0, 4.0, 17))
    with pytest.raises(ValueError, match="same bin edges"):
        p2.exponentiated_gradient_step(data, other, 0.5)
    with pytest.raises(TypeError, match="p_g"):
        p2.exponentiated_gradient_step(data, gm.Normal(0, 1), 0.5)
