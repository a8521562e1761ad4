"""The exact generator density p_g: closed forms, mpmath at a fold, integration to 1, samples (histogram,
KDE, DKW bound), and the theory functions applied to it."""

import math

import mpmath
import numpy as np
import pytest
from scipy import stats

import ganmath as gm
from ganmath.nn.mlp import MLP
from ganmath.gan.pushforward import GeneratorDensity, PointMassError
from ganmath.core.quadrature import integrate


def _affine(w, b):
    """G(z) = w z + b: a network without hidden layers."""
    return MLP.from_weights([[[w]]], [[b]])


def _random_generator(seed, activation, scale=2.0):
    net = MLP((1, 32, 32, 1), np.random.default_rng(seed), activation=activation)
    net.parameters *= scale  # larger weights: a generator with turning points
    return net


@pytest.mark.parametrize("w, b", [(0.7, 3.5), (-1.3, -0.4)])
def test_affine_generator_gives_the_shifted_scaled_noise(w, b):
    x = np.linspace(-6, 8, 57)
    normal = GeneratorDensity(_affine(w, b), gm.Normal(0, 1))
    reference = stats.norm(b, abs(w))
    np.testing.assert_allclose(normal.logpdf(x), reference.logpdf(x), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(normal.cdf(x), reference.cdf(x), rtol=1e-12, atol=1e-15)
    assert normal.support == (-np.inf, np.inf)
    uniform = GeneratorDensity(_affine(w, b), gm.Uniform(-1, 1))
    reference = stats.uniform(b - abs(w), 2 * abs(w))
    inside = np.abs(x - b) < abs(w) - 1e-9
    np.testing.assert_allclose(uniform.pdf(x[inside]), reference.pdf(x[inside]), rtol=1e-12)
    assert np.all(uniform.pdf(x[np.abs(x - b) > abs(w) + 1e-9]) == 0)
    np.testing.assert_allclose(uniform.cdf(x), reference.cdf(x), atol=1e-14)
    np.testing.assert_allclose(uniform.support, (b - abs(w), b + abs(w)), rtol=1e-15)


def test_two_branches_of_a_relu_generator_add_up():
    # G(z) = relu(z) + relu(-z) = |z| with z ~ U(-1, 1): each branch carries density 1/2, p_g = U(0, 1).
    net = MLP.from_weights([[[1.0, -1.0]], [[1.0], [1.0]]], [[0.0, 0.0], [0.0]], activation="relu")
    p_g = GeneratorDensity(net, gm.Uniform(-1, 1))
    x = np.array([-0.1, 0.0, 0.3, 0.75, 1.0, 1.2])
    np.testing.assert_allclose(p_g.pdf(x), [0, 1, 1, 1, 1, 0], rtol=1e-14)
    np.testing.assert_allclose(p_g.cdf(x), [0, 0, 0.3, 0.75, 1, 1], rtol=1e-14, atol=1e-15)
    index, z, slope, _ = p_g.preimages(np.array([0.3]))
    np.testing.assert_allclose(np.sort(z), [-0.3, 0.3], rtol=1e-14)
    np.testing.assert_allclose(np.abs(slope), [1.0, 1.0])
    assert integrate(p_g.pdf, p_g.breakpoints) == pytest.approx(1.0, abs=1e-14)


FOLD = 2 * math.log(2)  # G(0) for G(z) = softplus(z) + softplus(-z)


def _fold_reference(x):
    """p_g and F_g of G(z) = softplus(z) + softplus(-z) = log(2 + 2 cosh z), z ~ N(0, 1), by mpmath.

    G(z) = x has the roots z = +-arccosh((e^x - 2) / 2) and G'(z) = tanh(z / 2), so
    p_g(x) = 2 phi(z) / tanh(z / 2) and F_g(x) = 2 Phi(z) - 1.
    """
    with mpmath.workdps(40):
        z = mpmath.acosh((mpmath.e ** mpmath.mpf(x) - 2) / 2)
        return float(2 * mpmath.npdf(z) / mpmath.tanh(z / 2)), float(2 * mpmath.ncdf(z) - 1)


def test_a_fold_against_mpmath():
    net = MLP.from_weights([[[1.0, -1.0]], [[1.0], [1.0]]], [[0.0, 0.0], [0.0]], activation="softplus")
    p_g = GeneratorDensity(net, gm.Normal(0, 1))
    assert p_g.turning_points.size == 1 and abs(p_g.turning_points[0]) < 1e-12
    x = np.array([FOLD + 1e-8, FOLD + 1e-6, FOLD + 1e-3, 1.5, 2.0, 3.0, 6.0])
    reference = np.array([_fold_reference(v) for v in x])
    # Next to the fold p_g ~ c / sqrt(x - x0): a rounding of x0 = G(0) (1e-16) shows up as 1e-16 / (x - x0).
    np.testing.assert_allclose(p_g.pdf(x), reference[:, 0], rtol=1e-8)
    np.testing.assert_allclose(p_g.pdf(x[2:]), reference[2:, 0], rtol=1e-11)
    np.testing.assert_allclose(p_g.cdf(x), reference[:, 1], rtol=1e-8)
    np.testing.assert_allclose(p_g.cdf(x[1:]), reference[1:, 1], rtol=1e-10)
    assert p_g.pdf(FOLD - 1e-9) == 0.0
    # At the fold value itself (one point) the two meeting branches are left out, so pdf stays finite.
    assert np.isfinite(p_g.pdf(p_g.breakpoints[0])) and p_g.pdf(FOLD + 1e-14) > 1e6


@pytest.mark.parametrize(
    "seed, activation, noise",
    [
        (0, "tanh", gm.Uniform(-1, 1)),
        (0, "tanh", gm.Normal(0, 1)),  # two folds
        (2, "softplus", gm.Uniform(-1, 1)),  # one fold
        (2, "leaky-relu", gm.Normal(0, 1)),  # three turning kinks and 66 kinks
    ],
)
def test_p_g_integrates_to_one_and_agrees_with_its_cdf(seed, activation, noise):
    p_g = GeneratorDensity(_random_generator(seed, activation), noise)
    edges = p_g.breakpoints
    # Missing: the mass within a few ulps of each fold value, about 1e-8 each.
    assert integrate(p_g.pdf, edges) == pytest.approx(1.0, abs=1e-7)
    # pdf (change of variables) and cdf (noise mass of the branches) are independent computations.
    x = np.linspace(*p_g.integration_range, 9)
    for a, b in zip(x[:-1], x[1:]):
        inner = np.unique(np.concatenate([[a, b], edges[(edges > a) & (edges < b)]]))
        assert integrate(p_g.pdf, inner) == pytest.approx(float(p_g.cdf(b) - p_g.cdf(a)), abs=5e-8)


def _non_monotone():
    net = _random_generator(0, "tanh")
    p_g = GeneratorDensity(net, gm.Normal(0, 1))
    assert p_g.turning_points.size == 2  # the case this test is about
    return p_g


def test_samples_follow_p_g_histogram_and_dkw():
    p_g = _non_monotone()
    n = 200_000
    samples = p_g.sample(n, np.random.default_rng(5))
    # Dvoretzky-Kiefer-Wolfowitz: P(sup |F_n - F| > eps) <= 2 exp(-2 n eps^2) = 1e-9 for this eps.
    eps = math.sqrt(math.log(2 / 1e-9) / (2 * n))
    ordered = np.sort(samples)
    cdf = p_g.cdf(ordered)
    gap = max(np.max(np.arange(1, n + 1) / n - cdf), np.max(cdf - np.arange(n) / n))
    assert gap < eps
    # Histogram: each bin's count within 5 binomial standard deviations of n * (F(b) - F(a)).
    edges = np.linspace(*np.quantile(samples, [0.001, 0.999]), 41)
    counts, _ = np.histogram(samples, edges)
    probability = np.diff(p_g.cdf(edges))
    expected = n * probability
    assert np.all(np.abs(counts - expected) < 5 * np.sqrt(expected * (1 - probability)) + 1)


def test_kde_of_samples_matches_the_smoothed_p_g():
    p_g = _non_monotone()
    n, bandwidth = 50_000, 0.05
    samples = p_g.sample(n, np.random.default_rng(6))
    kde = stats.gaussian_kde(samples, bw_method=bandwidth / samples.std(ddof=1))
    x = np.quantile(samples, [0.1, 0.3, 0.5, 0.7, 0.9])
    edges = p_g.breakpoints
    for point in x:
        # E[KDE(x)] = integral of p_g(y) N(x; y, h^2) dy: the exact smoothed density, by quadrature.
        kernel_edges = np.unique(np.concatenate([edges, point + bandwidth * np.array([-8, -2, 0, 2, 8])]))
        smoothed = integrate(lambda y: p_g.pdf(y) * stats.norm.pdf(point, y, bandwidth), kernel_edges)
        standard_error = math.sqrt(smoothed / (2 * math.sqrt(math.pi) * n * bandwidth))
        assert abs(kde(point)[0] - smoothed) < 5 * standard_error


def test_p_g_plugs_into_the_theory_functions():
    data = gm.Normal(4, 0.5)
    linear = GeneratorDensity(_affine(0.7, 3.5), gm.Normal(0, 1))
    assert gm.js_divergence(data, linear) == pytest.approx(gm.js_divergence(data, gm.Normal(3.5, 0.7)), rel=1e-10)
    x = np.linspace(2, 6, 9)
    np.testing.assert_allclose(gm.optimal_discriminator(data, linear, x),
                               gm.optimal_discriminator(data, gm.Normal(3.5, 0.7), x), rtol=1e-12)
    folded = GeneratorDensity(_random_generator(2, "softplus"), gm.Uniform(-1, 1))
    js = gm.js_divergence(gm.Normal(0, 0.2), folded)
    assert 0 < js < math.log(2)
    assert gm.virtual_criterion(gm.Normal(0, 0.2), folded) == pytest.approx(-math.log(4) + 2 * js, abs=1e-8)


def test_the_density_is_frozen_when_the_generator_trains_on():
    net = _affine(1.0, 0.0)
    p_g = GeneratorDensity(net, gm.Normal(0, 1))
    net.parameters[:] = [5.0, 5.0]
    assert p_g.pdf(0.0) == pytest.approx(stats.norm.pdf(0.0), rel=1e-14)


def test_flat_relu_piece_is_a_point_mass():
    relu = MLP.from_weights([[[1.0]], [[1.0]]], [[0.0], [0.0]], activation="relu")  # G(z) = max(z, 0)
    with pytest.raises(PointMassError) as info:
        GeneratorDensity(relu, gm.Uniform(-1, 1))
    message = str(info.value)
    assert "point mass" in message and "G(z) = 0" in message and "mass 0.5" in message
    with pytest.raises(PointMassError):
        GeneratorDensity(relu, gm.Normal(0, 1))
    assert issubclass(PointMassError, ValueError)


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: GeneratorDensity(lambda z: z, gm.Normal(0, 1)), TypeError, ["generator"]),
        (lambda: GeneratorDensity(MLP((1, 3, 2), np.random.default_rng(0)), gm.Normal(0, 1)), ValueError, ["one output", "(1, 3, 2)"]),
        (lambda: GeneratorDensity(_affine(1, 0), "normal"), TypeError, ["noise", "'normal'"]),
        (lambda: GeneratorDensity(_affine(1, 0), gm.Normal(0, 1), grid_size=2), ValueError, ["grid_size", "2"]),
        (lambda: GeneratorDensity(_affine(float("nan"), 0), gm.Normal(0, 1)), ValueError, ["non-finite"]),
    ],
)
def test_bad_input(make, error, words):
    with pytest.raises(error) as info:
        make()
    for word in words:
        assert word in str(info.value)
