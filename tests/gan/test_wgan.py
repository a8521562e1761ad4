"""The WGAN (Arjovsky, Chintala & Bottou 2017) on 1-D data: the critic's and the generator's gradients against
central differences (also through the gradient penalty, a second-order gradient), the critic's slope f'(x), weight
clipping, RMSProp against its formula, reproducibility and validation."""

import math

import numpy as np
import pytest
from support.gradcheck import assert_gradient_matches, numerical_gradient

import ganmath as gm
from ganmath.gan.wgan import (
    WGANPopulation,
    critic_generator_loss,
    critic_loss,
    gradient_penalty,
    input_slope,
    input_slope_backward,
)
from ganmath.nn.mlp import MLP
from ganmath.nn.optimizers import SGD, Adam, RMSProp

SMOOTH = dict(generator_hidden=(5,), discriminator_hidden=(6, 4), generator_activation="tanh",
              discriminator_activation="tanh")


def batches(n_runs=2, m=5, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(0, 1, (n_runs, m, 1)), rng.normal(size=(n_runs, m, 1)), rng.uniform(size=(n_runs, m, 1))


def test_critic_loss_against_its_formula():
    scores = np.array([[1.0], [2.0], [4.0], [-1.0], [0.5]])
    value, grad = critic_loss(scores, 3)
    np.testing.assert_allclose(value, (-1.0 + 0.5) / 2 - (1.0 + 2.0 + 4.0) / 3, rtol=1e-15)
    np.testing.assert_allclose(grad[:, 0], [-1 / 3, -1 / 3, -1 / 3, 1 / 2, 1 / 2], rtol=1e-15)
    value, grad = critic_generator_loss(np.array([[1.0], [3.0]]))
    assert value == -2.0 and np.all(grad == -0.5)


@pytest.mark.parametrize("penalty, activation", [(0.0, "tanh"), (10.0, "tanh"), (10.0, "softplus")])
def test_critic_gradient_against_central_differences(penalty, activation):
    settings = dict(SMOOTH, discriminator_activation=activation)
    population = WGANPopulation(gm.Uniform(0, 1), seeds=[3, 4], clip=None, gradient_penalty=penalty, **settings)
    # Larger weights than clipping would allow, so that the slopes are far from 1 and the penalty is not flat.
    population.discriminator.parameters[...] *= 3.0
    real, noise, mixing = batches()
    _loss, _, penalty_value = population.critic_loss_and_gradient(real, noise, mixing)
    if penalty:
        assert np.all(penalty_value > 0)
    analytic = population.discriminator.gradients.copy()
    numeric = numerical_gradient(lambda: population.critic_loss_and_gradient(real, noise, mixing)[0].sum(),
                                 population.discriminator.parameters)
    assert_gradient_matches(analytic, numeric, tolerance=1e-7, what=f"critic gradient ({penalty}, {activation})")


def test_generator_gradient_against_central_differences():
    population = WGANPopulation(gm.Uniform(0, 1), seeds=[5, 6], clip=None, **SMOOTH)
    _, noise, _ = batches(seed=1)
    population.generator_loss_and_gradient(noise)
    analytic = population.generator.gradients.copy()
    numeric = numerical_gradient(lambda: population.generator_loss_and_gradient(noise).sum(),
                                 population.generator.parameters)
    assert_gradient_matches(analytic, numeric, tolerance=1e-7, what="generator gradient")


@pytest.mark.parametrize("activation", ["tanh", "softplus", "leaky-relu"])
def test_input_slope_against_central_differences(activation):
    network = MLP((1, 7, 5, 1), np.random.default_rng(2), activation=activation)
    x = np.linspace(-2.0, 2.0, 9)[:, None] + 0.013
    h = 1e-5
    numeric = (network(x + h)[:, 0] - network(x - h)[:, 0]) / (2 * h)
    np.testing.assert_allclose(input_slope(network, x), numeric, rtol=1e-6, atol=1e-9)


def test_slope_gradient_of_a_single_network_against_central_differences():
    # The second-order gradient alone: d/dtheta of sum_i g_i f'(x_i), for fixed weights g.
    network = MLP((1, 6, 6, 1), np.random.default_rng(7), activation="softplus")
    x = np.linspace(-1.5, 1.5, 6)[:, None]
    weights = np.random.default_rng(8).normal(size=6)
    network.zero_grad()
    input_slope_backward(network, x, weights)
    analytic = network.gradients.copy()
    numeric = numerical_gradient(lambda: float(input_slope(network, x) @ weights), network.parameters)
    assert_gradient_matches(analytic, numeric, tolerance=1e-7, what="slope gradient")


def test_gradient_penalty_against_its_formula():
    network = MLP((1, 4, 1), np.random.default_rng(9), activation="tanh")
    points = np.array([[-1.0], [0.2], [0.9]])
    value, grad = gradient_penalty(network, points, 10.0)
    slopes = input_slope(network, points)
    np.testing.assert_allclose(value, 10.0 * np.mean((np.abs(slopes) - 1.0) ** 2), rtol=1e-14)
    np.testing.assert_allclose(grad, 20.0 * (np.abs(slopes) - 1.0) * np.sign(slopes) / 3, rtol=1e-14)


def test_rmsprop_step_against_its_formula():
    rng = np.random.default_rng(0)
    parameters, gradients = rng.normal(size=(2, 5)), np.zeros((2, 5))
    expected, average = parameters.copy(), np.zeros((2, 5))
    optimizer = RMSProp(parameters, gradients, lr=0.01, alpha=0.9, eps=1e-8)
    for _ in range(4):
        gradients[...] = rng.normal(size=(2, 5))
        optimizer.step()
        average = 0.9 * average + 0.1 * gradients**2
        expected = expected - 0.01 * gradients / (np.sqrt(average) + 1e-8)
        np.testing.assert_allclose(parameters, expected, rtol=1e-14)
    # The first step moves each component by lr / sqrt(1 - alpha), whatever the gradient's size (to within
    # eps / (sqrt(1 - alpha) |g|) = 1e-4 for the smallest one here).
    p, g = np.zeros(3), np.array([1e-3, 1.0, -1e3])
    RMSProp(p, g, lr=0.01, alpha=0.99).step()
    np.testing.assert_allclose(p, -0.01 * np.sign(g) / math.sqrt(0.01), rtol=1.01e-4)


def test_clipping_keeps_every_critic_weight_in_the_box():
    population = WGANPopulation(gm.Uniform(0, 1), seeds=range(3), clip=0.05, lr_discriminator=0.1, m=16)
    assert np.max(np.abs(population.discriminator.parameters)) <= 0.05
    before = population.discriminator.parameters.copy()
    population.step_discriminator()
    after = population.discriminator.parameters
    assert np.max(np.abs(after)) <= 0.05
    assert np.any(np.abs(after) == 0.05)
    # The step is RMSProp's first (the gradient it used is still in the critic's gradients), then the clip to [-c, c].
    gradient = population.discriminator.gradients
    unclipped = before - 0.1 * gradient / (np.sqrt(0.01 * gradient**2) + 1e-8)
    np.testing.assert_allclose(after, np.clip(unclipped, -0.05, 0.05), rtol=1e-12, atol=1e-15)
    assert np.mean(np.abs(unclipped) > 0.05) > 0.5


def test_the_critic_takes_the_optimizer_the_settings_name():
    for name, kind in (("rmsprop", RMSProp), ("adam", Adam), ("sgd", SGD)):
        population = WGANPopulation(gm.Uniform(0, 1), seeds=range(2), optimizer=name, m=16)
        assert isinstance(population.optimizer_discriminator, kind)
        assert isinstance(population.optimizer_generator, kind)
    rmsprop = WGANPopulation(gm.Uniform(0, 1), seeds=range(2), alpha=0.9).optimizer_discriminator
    assert rmsprop.alpha == 0.9 and rmsprop.lr == 5e-5


def test_same_seeds_same_numbers_and_runs_are_independent():
    kwargs = dict(generator_hidden=(8,), discriminator_hidden=(8,), m=8, lr_discriminator=1e-3, lr_generator=1e-3)
    a = WGANPopulation(gm.Uniform(0, 1), seeds=[1, 2, 3], **kwargs)
    b = WGANPopulation(gm.Uniform(0, 1), seeds=[1, 2, 3], **kwargs)
    single = WGANPopulation(gm.Uniform(0, 1), seeds=[2], **kwargs)
    for population in (a, b, single):
        population.train(3)
    np.testing.assert_array_equal(a.generator.parameters, b.generator.parameters)
    np.testing.assert_allclose(a.generator.parameters[1], single.generator.parameters[0], rtol=1e-12, atol=1e-15)
    assert a.discriminator_steps == 15 and a.generator_steps == 3


@pytest.mark.parametrize("settings, name", [
    (dict(optimizer="hinge"), "optimizer"),
    (dict(k=0), "k"),
    (dict(clip=-0.01), "clip"),
    (dict(gradient_penalty=-1.0), "gradient_penalty"),
    (dict(lr_discriminator=0.0), "lr_discriminator"),
    (dict(alpha=1.0), "alpha"),
    (dict(discriminator_hidden=(4, 0)), "discriminator_hidden"),
])
def test_bad_settings_name_the_parameter(settings, name):
    with pytest.raises(ValueError, match=name.replace("[", ".")):
        WGANPopulation(gm.Uniform(0, 1), seeds=range(2), **settings)


def test_bad_types_raise_type_error():
    with pytest.raises(TypeError, match="seeds"):
        WGANPopulation(gm.Uniform(0, 1), seeds=3)
    with pytest.raises(TypeError, match="learning_rate"):
        WGANPopulation(gm.Uniform(0, 1), seeds=range(2), learning_rate=0.1)
    with pytest.raises(ValueError, match="mixing"):
        population = WGANPopulation(gm.Uniform(0, 1), seeds=range(2), gradient_penalty=1.0, clip=None, **SMOOTH)
        real, noise, _ = batches()
        population.critic_loss_and_gradient(real, noise)


def test_gradient_penalty_gradient_along_a_random_direction():
    # The penalty's gradient in the weights is second order (backpropagation through the forward-mode pass that gives
    # f'): backprop along a random direction against a central difference of the penalty itself.
    critic = MLP((1, 8, 8, 1), np.random.default_rng(0), activation="tanh")
    points = np.linspace(-1.0, 2.0, 9)[:, None]
    critic.zero_grad()
    _, grad_slopes = gradient_penalty(critic, points, 10.0)
    input_slope_backward(critic, points, grad_slopes)
    direction = np.random.default_rng(1).normal(size=critic.parameters.shape)
    original, h = critic.parameters.copy(), 1e-5
    critic.parameters[...] = original + h * direction
    up = gradient_penalty(critic, points, 10.0)[0]
    critic.parameters[...] = original - h * direction
    down = gradient_penalty(critic, points, 10.0)[0]
    critic.parameters[...] = original
    np.testing.assert_allclose(float(critic.gradients @ direction), (up - down) / (2 * h), rtol=1e-6)
