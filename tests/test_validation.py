"""Bad input gets a ValueError or TypeError whose message names the parameter and the value."""

import math

import numpy as np
import pytest

import ganmath as gm

N, U = gm.Normal, gm.Uniform
nan, inf = math.nan, math.inf


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: N(0, 0), ValueError, ["sigma", "0"]),
        (lambda: N(0, -1.5), ValueError, ["sigma", "-1.5"]),
        (lambda: N(nan, 1), ValueError, ["mu", "nan"]),
        (lambda: N(0, inf), ValueError, ["sigma", "inf"]),
        (lambda: N("0", 1), TypeError, ["mu", "'0'"]),
        (lambda: N(True, 1), TypeError, ["mu", "True"]),
        (lambda: U(1, 1), ValueError, ["low", "high", "1"]),
        (lambda: U(2, 1), ValueError, ["low", "high"]),
        (lambda: U(-inf, 1), ValueError, ["low", "-inf"]),
        (lambda: U(0, nan), ValueError, ["high", "nan"]),
        (lambda: gm.Mixture([N(0, 1), N(1, 1)], [0.7, 0.7]), ValueError, ["weights", "sum", "0.7"]),
        (lambda: gm.Mixture([N(0, 1), N(1, 1)], [1.5, -0.5]), ValueError, ["weights", "non-negative", "-0.5"]),
        (lambda: gm.Mixture([N(0, 1), N(1, 1)], [nan, 1.0]), ValueError, ["weights", "nan"]),
        (lambda: gm.Mixture([N(0, 1), N(1, 1)], [1.0]), ValueError, ["weights", "shape"]),
        (lambda: gm.Mixture([], []), ValueError, ["components"]),
        (lambda: gm.Mixture([N(0, 1), "N(1, 1)"]), TypeError, ["components[1]", "N(1, 1)"]),
        (lambda: gm.CustomDensity("pdf", (0, 1)), TypeError, ["pdf", "'pdf'"]),
        (lambda: gm.CustomDensity(lambda x: np.ones_like(x), (1, 0)), ValueError, ["support", "(1, 0)"]),
        (lambda: gm.CustomDensity(lambda x: np.ones_like(x), (0, inf)), ValueError, ["support[1]", "inf"]),
        (lambda: gm.CustomDensity(lambda x: 2 * np.ones_like(x), (0, 1)), ValueError, ["integrate to 1", "integrates to 2"]),
    ],
)
def test_bad_parameters(make, error, words):
    with pytest.raises(error) as info:
        make()
    for word in words:
        assert word in str(info.value), f"{word!r} not in {str(info.value)!r}"


def test_nan_x_is_rejected_by_densities():
    for density in (N(0, 1), U(0, 1), gm.Mixture([N(0, 1), U(0, 1)])):
        with pytest.raises(ValueError, match="x must not contain NaN"):
            density.pdf(np.array([0.0, nan]))


def test_infinite_x_is_meaningful_for_densities():
    p = N(0, 1)
    assert p.pdf(inf) == 0.0 and p.cdf(-inf) == 0.0 and p.cdf(inf) == 1.0


def test_non_finite_x_is_rejected_by_optimal_discriminator():
    with pytest.raises(ValueError, match=r"x must be finite.*inf"):
        gm.optimal_discriminator(N(0, 1), N(2, 1), [0.0, inf])
    with pytest.raises(ValueError, match="x must not contain NaN"):
        gm.optimal_discriminator(N(0, 1), N(2, 1), nan)
    with pytest.raises(TypeError, match="x must be a real number"):
        gm.optimal_discriminator(N(0, 1), N(2, 1), "zero")


@pytest.mark.parametrize("function", [gm.js_divergence, gm.kl_divergence, gm.total_variation, gm.wasserstein1,
                                      gm.virtual_criterion])
def test_divergences_reject_non_densities(function):
    with pytest.raises(TypeError, match=r"(p|q|p_data|p_g) must be a ganmath density.*scipy"):
        function(N(0, 1), "scipy.stats.norm")


@pytest.mark.parametrize("base, error", [(1, ValueError), (0, ValueError), (-2, ValueError), (nan, ValueError),
                                         ("2", TypeError)])
def test_js_base_is_validated(base, error):
    with pytest.raises(error, match="base"):
        gm.js_divergence(N(0, 1), N(1, 1), base=base)


def test_value_function_rejects_a_non_callable_discriminator():
    with pytest.raises(TypeError, match=r"D must be callable.*0.5"):
        gm.value_function(0.5, N(0, 1), N(1, 1))


def test_value_function_rejects_probabilities_outside_the_unit_interval():
    with pytest.raises(ValueError, match=r"D must return probabilities in \[0, 1\], got D\(x\)=1.5"):
        gm.value_function(lambda x: np.full_like(x, 1.5), N(0, 1), N(1, 1))
    with pytest.raises(ValueError, match=r"probabilities.*-0.25"):
        gm.value_function(lambda x: np.full_like(x, -0.25), N(0, 1), N(1, 1))


def test_value_function_rejects_the_wrong_shape():
    with pytest.raises(ValueError, match=r"D must return an array of the shape of its input"):
        gm.value_function(lambda x: 0.5, N(0, 1), N(1, 1))
    with pytest.raises(ValueError, match="shape"):
        gm.value_function(lambda x: np.full((x.size, 2), 0.5), N(0, 1), N(1, 1))


def test_value_function_rejects_nan_and_non_numbers():
    with pytest.raises(ValueError, match="D returned NaN"):
        gm.value_function(lambda x: np.where(x > 0, nan, 0.5), N(0, 1), N(1, 1))
    with pytest.raises(TypeError, match="D must return an array of numbers"):
        gm.value_function(lambda x: np.array(["a"] * x.size), N(0, 1), N(1, 1))


def test_value_function_zero_log_zero_and_minus_infinity():
    # D = 1 on [0, 1], 0 elsewhere: perfect on disjoint uniforms (every term is 0 log 0 or log 1 = 0).
    indicator = lambda x: ((x >= 0) & (x <= 1)).astype(float)
    assert gm.value_function(indicator, U(0, 1), U(2, 3)) == 0.0
    # The same D where p_g overlaps [0, 1]: log(1 - D) = -inf on a set of positive p_g mass.
    assert gm.value_function(indicator, U(0, 1), U(0.5, 1.5)) == -inf
    # Logits of +-inf are the exact form of D = 1 and D = 0.
    logit = lambda x: np.where((x >= 0) & (x <= 1), inf, -inf)
    assert gm.value_function(logit, U(0, 1), U(2, 3), logit=True) == 0.0


@pytest.mark.parametrize("n, error", [(-1, ValueError), (2.5, TypeError), ("3", TypeError)])
def test_sample_size_is_validated(n, error):
    with pytest.raises(error, match="n must"):
        N(0, 1).sample(n, np.random.default_rng(0))


def test_sampling_needs_an_explicit_generator():
    with pytest.raises(TypeError, match=r"rng must be a numpy.random.Generator.*42"):
        N(0, 1).sample(3, 42)


def test_same_seed_same_samples_bit_for_bit():
    mixture = gm.Mixture([N(0, 1), U(2, 3), N(-4, 0.5)], [0.2, 0.5, 0.3])
    a = mixture.sample(1000, np.random.default_rng(7))
    b = mixture.sample(1000, np.random.default_rng(7))
    assert a.tobytes() == b.tobytes()


def test_ppf_is_validated():
    with pytest.raises(ValueError, match=r"q must lie in \[0, 1\]"):
        N(0, 1).ppf(1.5)


def test_one_strict_array_check_everywhere():
    # a bool or a complex number is not a point of the real line, in a density as in a theory function
    import ganmath as gm
    from ganmath.core import likelihood, vanishing

    for call in (lambda: gm.Normal(0, 1).pdf(True), lambda: gm.Normal(0, 1).cdf(np.array([1 + 2j])),
                 lambda: vanishing.gaussian_js(True), lambda: likelihood.mean_log_likelihood(gm.Normal(0, 1), [True, 0.5])):
        with pytest.raises(TypeError):
            call()
    with pytest.raises(ValueError, match="mu"):
        gm.Normal(10**400, 1.0)
