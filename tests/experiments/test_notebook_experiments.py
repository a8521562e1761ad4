"""The experiments behind notebooks 12 and 13 on cases with closed forms: the optimal 1-D critic and a critic's
estimate of W1, the shifted start, and the Parzen study's bookkeeping."""

import math

import numpy as np
import pytest

import ganmath as gm
from ganmath.experiments import parzen_evaluation as pe
from ganmath.experiments import wasserstein as ws
from ganmath.nn.mlp import MLP


def test_optimal_critic_slope_is_the_sign_of_the_cdf_difference():
    # U[0, 1] against U[3, 4]: F_data > F_g on (0, 4), equal (0 or 1) outside.
    x = np.array([-1.0, 0.5, 2.0, 3.5, 5.0])
    np.testing.assert_array_equal(ws.optimal_critic_slope(gm.Uniform(0, 1), gm.Uniform(3, 4), x), [0, -1, -1, -1, 0])


def test_a_critic_of_slope_minus_one_attains_w1():
    # f(x) = -x is 1-Lipschitz: E_data f - E_g f = -0.5 + 3.5 = 3 = W1(U[0, 1], U[3, 4]).
    # -relu(x) + relu(-x) = -x
    critic = MLP.from_weights([np.array([[1.0, -1.0]]), np.array([[-1.0], [1.0]])], [np.zeros(2), np.zeros(1)],
                              activation="relu")
    estimate = ws.critic_estimate(critic, gm.Uniform(0, 1), gm.Uniform(3, 4), np.linspace(-1, 5, 6001))
    np.testing.assert_allclose([estimate.value, estimate.lipschitz, estimate.exact, estimate.scaled],
                               [3.0, 1.0, 3.0, 3.0], rtol=1e-9)


def test_shifted_start_puts_the_median_where_asked():
    population = ws.shifted_population("wasserstein", 5.0, range(3), n_pretrain=0)
    np.testing.assert_allclose(ws.generator_medians(population), 5.5, rtol=1e-12)
    np.testing.assert_allclose(population.generator_density(0).ppf(np.array([0.5]))[0], 5.5, rtol=1e-9)
    with pytest.raises(ValueError, match="objective"):
        ws.shifted_population("hinge", 5.0, range(2))
    with pytest.raises(ValueError, match="distance"):
        ws.shifted_population("minimax", math.nan, range(2))


def test_parzen_study_and_failure_modes_bookkeeping():
    generator = pe.trained_generator(n_iter=100)
    np.testing.assert_allclose(generator.exact, -gm.core.likelihood.cross_entropy(pe.DATA, generator.density))
    study = pe.parzen_study(generator, sizes=(10, 50), repeats=(4, 2), n_validation=20, n_test=30)
    assert [e.size for e in study.estimates] == [4, 2] and np.all(np.isfinite(study.spread))
    np.testing.assert_allclose(study.bias, [np.mean(e) - study.exact_on_test for e in study.estimates])
    failures = pe.failure_modes(generator, n_samples=500, n_validation=20, n_test=30)
    assert failures.exact["copies of the training set"] == -math.inf
    # log(0.01 p + 0.99 u) >= log p - log 100, in expectation under p.
    assert failures.exact["mostly noise"] >= failures.exact["the data itself"] - math.log(100)
    with pytest.raises(ValueError, match="repeats"):
        pe.parzen_study(generator, sizes=(10, 20), repeats=(3,))


def test_the_three_objectives_start_from_the_same_networks_with_the_same_optimizer():
    # A controlled comparison: per seed the same generator and the same second network (the WGAN's clipped),
    # the same steps per generator step and the same optimizer; only the losses differ.
    gan = ws.shifted_population("minimax", 5.0, range(3), n_pretrain=0)
    wgan = ws.shifted_population("wasserstein", 5.0, range(3), n_pretrain=0, clip=0.05)
    np.testing.assert_array_equal(gan.generator.parameters, wgan.generator.parameters)
    np.testing.assert_array_equal(np.clip(gan.discriminator.parameters, -0.05, 0.05), wgan.discriminator.parameters)
    assert gan.settings.k == wgan.settings.k == 5
    assert type(gan.optimizer_discriminator) is type(wgan.optimizer_discriminator)
    assert gan.settings.discriminator_activation == wgan.settings.discriminator_activation == "leaky-relu"


def test_saturation_contrast_against_the_closed_forms_of_two_normals():
    # N(0, s^2) against N(mu, s^2): logit a = (mu^2 - 2 mu x) / (2 s^2), a' = -mu / s^2; f* = -x.
    mu, s = 4.0, 0.5
    x = np.linspace(-2.0, 6.5, 171)
    contrast = ws.saturation_contrast(gm.Normal(0.0, s), gm.Normal(mu, s), x)
    logit = (mu**2 - 2 * mu * x) / (2 * s**2)
    d_star, one_minus_d_star = 1.0 / (1.0 + np.exp(-logit)), 1.0 / (1.0 + np.exp(logit))  # no 1 - D* cancellation
    np.testing.assert_allclose(contrast.discriminator, d_star, rtol=1e-12)
    np.testing.assert_allclose(contrast.gradients["minimax"], d_star * mu / s**2, rtol=1e-10)
    np.testing.assert_allclose(contrast.gradients["non-saturating"], one_minus_d_star * mu / s**2, rtol=1e-10)
    np.testing.assert_array_equal(contrast.gradients["wasserstein"], 1.0)
    np.testing.assert_allclose(contrast.critic, -(x - x[0]), atol=1e-12)
    with pytest.raises(ValueError, match="positive"):
        ws.saturation_contrast(gm.Uniform(0, 1), gm.Uniform(3, 4), x)


def test_optimal_critic_attains_w1_between_two_uniforms():
    # U[0, 1] against U[3, 4]: slope -1 on (0, 4), flat outside; E_data f* - E_g f* = -0.5 + 3.5 = 3 = W1.
    x = np.linspace(-1.0, 5.0, 6001)
    critic = ws.optimal_critic(gm.Uniform(0, 1), gm.Uniform(3, 4), x)
    # The trapezoid rule loses half a grid step at each kink of the slope (x = 0 and x = 4).
    np.testing.assert_allclose(critic[[0, 1000, 3000, 5000, 6000]], [0.0, 0.0, -2.0, -4.0, -4.0], atol=1e-3 + 1e-12)
    inside_data, inside_g = (x >= 0) & (x <= 1), (x >= 3) & (x <= 4)
    value = np.trapezoid(critic * inside_data, x) - np.trapezoid(critic * inside_g, x)
    np.testing.assert_allclose(value, gm.wasserstein1(gm.Uniform(0, 1), gm.Uniform(3, 4)), rtol=1e-3)
    with pytest.raises(ValueError, match="increasing"):
        ws.optimal_critic(gm.Uniform(0, 1), gm.Uniform(3, 4), x[::-1])
