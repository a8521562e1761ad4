"""The GAN losses from logits: values from their formulas, gradients by central differences (< 1e-7),
through D into G's parameters, stable at saturated logits."""

import math

import numpy as np
import pytest
from support.gradcheck import assert_gradient_matches, numerical_gradient
from scipy import optimize, special

from ganmath.core.costs import GENERATOR_LOSSES, generator_cost, generator_cost_grad
from ganmath.nn.losses import discriminator_loss, discriminator_loss_stacked, generator_loss
from ganmath.nn.mlp import MLP

D_VALUES = np.array([0.01, 0.5, 0.99])
LOGITS = np.log(D_VALUES) - np.log1p(-D_VALUES)


def test_generator_costs_at_reference_values():
    # Goodfellow (2016), Figure 16: log(1 - D) = -0.010050 / -0.693147 / -4.605170 at D = 0.01 / 0.5 / 0.99.
    np.testing.assert_allclose(generator_cost(LOGITS, "minimax"), [-0.010050, -0.693147, -4.605170], atol=5e-7)
    expected = {
        "minimax": [math.log1p(-d) for d in D_VALUES],
        "non-saturating": [-math.log(d) for d in D_VALUES],
        "maximum-likelihood": [-d / (1 - d) for d in D_VALUES],
    }
    derivative = {"minimax": -D_VALUES, "non-saturating": -(1 - D_VALUES), "maximum-likelihood": -D_VALUES / (1 - D_VALUES)}
    for loss in GENERATOR_LOSSES:
        np.testing.assert_allclose(generator_cost(LOGITS, loss), expected[loss], rtol=1e-13)
        np.testing.assert_allclose(generator_cost_grad(LOGITS, loss), derivative[loss], rtol=1e-13)


@pytest.mark.parametrize("loss", GENERATOR_LOSSES)
def test_generator_loss_gradient_in_the_logits(loss):
    logits = np.random.default_rng(0).normal(size=(9, 1)) * 3
    value, grad = generator_loss(logits, loss)
    # The batch version computes the per-sample formulas' numbers exactly.
    assert value == float(np.mean(generator_cost(logits, loss)))
    np.testing.assert_array_equal(grad, generator_cost_grad(logits, loss) / 9)
    numeric = numerical_gradient(lambda: generator_loss(logits, loss)[0], logits)
    assert_gradient_matches(grad, numeric, what=f"{loss} loss in the logits")


@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_discriminator_loss_value_and_gradients(smoothing):
    rng = np.random.default_rng(1)
    real, fake = rng.normal(size=(7, 1)) * 3, rng.normal(size=(5, 1)) * 3
    value, grad_real, grad_fake = discriminator_loss(real, fake, smoothing)
    t = 1 - smoothing
    d_real, d_fake = special.expit(real), special.expit(fake)
    formula = -np.mean(t * np.log(d_real) + (1 - t) * np.log(1 - d_real)) - np.mean(np.log(1 - d_fake))
    assert value == pytest.approx(float(formula), rel=1e-13)

    def loss():
        return discriminator_loss(real, fake, smoothing)[0]

    assert_gradient_matches(grad_real, numerical_gradient(loss, real), what="D's loss in the real logits")
    assert_gradient_matches(grad_fake, numerical_gradient(loss, fake), what="D's loss in the fake logits")


@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_stacked_discriminator_loss_equals_the_two_batch_version(smoothing):
    logits = np.random.default_rng(2).normal(size=(20, 1)) * 4
    value, grad_real, grad_fake = discriminator_loss(logits[:12], logits[12:], smoothing)
    stacked_value, stacked_grad = discriminator_loss_stacked(logits, 12, smoothing)
    assert stacked_value == value
    np.testing.assert_array_equal(stacked_grad, np.concatenate([grad_real, grad_fake]))


@pytest.mark.parametrize("smoothing", [0.0, 0.1, 0.3])
def test_label_smoothing_moves_the_optimum_to_t_over_2(smoothing):
    # With one real and one fake logit at the same point (p_data = p_g there), the optimum is
    # D = t p_data / (p_data + p_g) = t / 2, found here by a scalar minimizer.
    result = optimize.minimize_scalar(lambda a: discriminator_loss([a], [a], smoothing)[0], bracket=(-3, 0, 3), tol=1e-12)
    assert special.expit(result.x) == pytest.approx((1 - smoothing) / 2, abs=1e-7)


def test_losses_are_exact_at_saturated_logits():
    a = np.array([-800.0, -40.0, 40.0, 800.0])
    np.testing.assert_allclose(generator_cost(a, "minimax"), [0.0, -special.expit(-40.0), -40.0 - np.exp(-40.0), -800.0], rtol=1e-14)
    np.testing.assert_allclose(generator_cost(a, "non-saturating"), [800.0, 40.0 + np.exp(-40.0), np.exp(-40.0), 0.0], rtol=1e-14)
    np.testing.assert_allclose(generator_cost_grad(a, "non-saturating"), [-1.0, -1.0, -np.exp(-40.0) / (1 + np.exp(-40.0)), 0.0], rtol=1e-14)
    value, grad_real, grad_fake = discriminator_loss(np.array([[-800.0]]), np.array([[800.0]]))
    assert value == 1600.0 and grad_real[0, 0] == -1.0 and grad_fake[0, 0] == 1.0


def _pair(seed=3):
    rng = np.random.default_rng(seed)
    generator = MLP((1, 16, 16, 1), rng, activation="tanh")
    discriminator = MLP((1, 16, 16, 1), rng, activation="softplus")
    noise = rng.normal(size=(12, 1))
    data = rng.normal(loc=1.0, size=(12, 1))
    return generator, discriminator, noise, data


@pytest.mark.parametrize("loss", GENERATOR_LOSSES)
def test_generator_loss_through_d_into_gs_parameters(loss):
    generator, discriminator, noise, _ = _pair()

    def value():
        return generator_loss(discriminator(generator(noise)), loss)[0]

    fake, generator_cache = generator.forward(noise)
    logits, discriminator_cache = discriminator.forward(fake)
    _, grad_logits = generator_loss(logits, loss)
    generator.zero_grad()
    discriminator.zero_grad()
    generator.backward(discriminator.backward_inputs(grad_logits, discriminator_cache), generator_cache)
    assert not discriminator.gradients.any()  # D's weights are not part of G's step
    numeric = numerical_gradient(value, generator.parameters)
    assert_gradient_matches(generator.gradients, numeric, what=f"{loss} loss in G's parameters")


@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_discriminator_loss_into_ds_parameters_with_one_stacked_pass(smoothing):
    generator, discriminator, noise, data = _pair(4)
    fake = generator(noise)

    def value():
        return discriminator_loss(discriminator(data), discriminator(fake), smoothing)[0]

    logits, cache = discriminator.forward(np.concatenate([data, fake]))
    _, grad = discriminator_loss_stacked(logits, data.shape[0], smoothing)
    discriminator.zero_grad()
    discriminator.backward(grad, cache)
    assert_gradient_matches(discriminator.gradients, numerical_gradient(value, discriminator.parameters),
                            what="D's loss in D's parameters")


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: generator_cost([0.0], "wasserstein"), ["loss", "wasserstein"]),
        (lambda: generator_loss(np.zeros((2, 1)), "log"), ["loss", "log"]),
        (lambda: discriminator_loss([0.0], [0.0], 1.0), ["smoothing", "1.0"]),
        (lambda: discriminator_loss_stacked(np.zeros(4), 2, -0.1), ["smoothing", "-0.1"]),
        (lambda: discriminator_loss_stacked(np.zeros(4), 4), ["n_real", "4"]),
        (lambda: discriminator_loss_stacked(np.zeros(4), 0), ["n_real", "0"]),
    ],
)
def test_bad_input(call, words):
    with pytest.raises(ValueError) as info:
        call()
    for word in words:
        assert word in str(info.value)
