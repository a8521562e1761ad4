"""Proposition 1 on three pairs of densities: D* = p_data / (p_data + p_g) is the pointwise maximizer of V, no
perturbation of it does better, V(D*, G) = C(G), D's loss at D* is -C(G), and one-sided label smoothing scales D*.

References: Brent's derivative-free search over D's logit, the closed form sigmoid(mu^2/2 - mu x) for two unit
normals, scipy's QUADPACK, and the standard error of a Monte Carlo average.
"""

import numpy as np
import pytest
from scipy import integrate, special

import ganmath as gm
from ganmath.core import pointwise, presets
from ganmath.nn.losses import discriminator_loss

NAMED = presets.data_presets()
PAIRS = {
    "N(0,1) vs N(2,1)": (gm.Normal(0.0, 1.0), gm.Normal(2.0, 1.0)),
    "bimodal vs N(0.5,1.5)": (NAMED["bimodal"], gm.Normal(0.5, 1.5)),
    "U[-1.5,1.5] vs N(1,0.7)": (NAMED["uniform"], gm.Normal(1.0, 0.7)),
}
GRID = np.linspace(-4.0, 4.0, 33)


@pytest.mark.parametrize("name", PAIRS)
def test_the_numeric_pointwise_maximizer_is_d_star(name):
    data, generator = PAIRS[name]
    numeric = pointwise.numeric_pointwise_argmax(data.pdf(GRID), generator.pdf(GRID))
    np.testing.assert_allclose(numeric, gm.optimal_discriminator(data, generator, GRID), rtol=0, atol=1e-7)


def test_d_star_of_two_unit_normals_in_closed_form():
    data, generator = PAIRS["N(0,1) vs N(2,1)"]
    np.testing.assert_allclose(gm.optimal_discriminator(data, generator, GRID), special.expit(2.0 - 2.0 * GRID),
                               rtol=1e-13)


@pytest.mark.parametrize("h", [np.ones_like, np.sin, lambda t: t / (1 + t * t)], ids=["1", "sin(x)", "x/(1+x^2)"])
def test_a_perturbed_d_star_loses_the_second_order_amount(h):
    data, generator = PAIRS["bimodal vs N(0.5,1.5)"]

    def d_star_logit(t):
        return gm.optimal_discriminator_logit(data, generator, t)

    epsilon = 1e-3
    best = gm.value_function(d_star_logit, data, generator, logit=True)
    value = gm.value_function(lambda t: d_star_logit(t) + epsilon * h(t), data, generator, logit=True)

    def weight(t):
        return data.pdf(t) * generator.pdf(t) / (data.pdf(t) + generator.pdf(t)) * h(np.asarray(t)) ** 2

    predicted = -0.5 * epsilon**2 * integrate.quad(weight, -15, 15, points=[-2, 0.5, 2], limit=200)[0]
    assert value < best
    np.testing.assert_allclose(value - best, predicted, rtol=1e-2)


@pytest.mark.parametrize("name", PAIRS)
def test_the_value_at_d_star_is_the_virtual_criterion(name):
    data, generator = PAIRS[name]
    value = gm.value_function(lambda t: gm.optimal_discriminator_logit(data, generator, t), data, generator, logit=True)

    def integrand(t):
        p, q = float(data.pdf(t)), float(generator.pdf(t))
        return special.xlogy(p, p / (p + q)) + special.xlogy(q, q / (p + q))

    reference = integrate.quad(integrand, -12, 12, points=[-2, -1.5, 0, 0.5, 1, 1.5, 2], limit=400)[0]
    np.testing.assert_allclose([value, gm.virtual_criterion(data, generator)], [reference, reference], rtol=0, atol=1e-9)


def test_the_loss_of_d_star_on_samples_is_minus_c_of_g():
    """The two batches' mean cross-entropies added (the loss D is trained on) estimate -V; pooled, the mean per point is half."""
    data, generator = PAIRS["N(0,1) vs N(2,1)"]
    rng = np.random.default_rng(2014)
    real, fake = data.sample(200_000, rng), generator.sample(200_000, rng)
    real_logits = gm.optimal_discriminator_logit(data, generator, real)
    fake_logits = gm.optimal_discriminator_logit(data, generator, fake)
    loss, _, _ = discriminator_loss(real_logits, fake_logits)
    real_cost, fake_cost = np.logaddexp(0.0, -real_logits), np.logaddexp(0.0, fake_logits)
    standard_error = np.sqrt(real_cost.var() / real.size + fake_cost.var() / fake.size)
    assert abs(loss + gm.virtual_criterion(data, generator)) < 4 * standard_error
    np.testing.assert_allclose(np.concatenate([real_cost, fake_cost]).mean(), loss / 2, rtol=1e-12)


@pytest.mark.parametrize("alpha", [0.9, 0.7])
def test_the_smoothed_optimum_by_the_numeric_search(alpha):
    data, generator = PAIRS["U[-1.5,1.5] vs N(1,0.7)"]
    numeric = pointwise.numeric_pointwise_argmax(data.pdf(GRID), generator.pdf(GRID), alpha=alpha)
    smoothed = pointwise.smoothed_optimal_discriminator(data, generator, GRID, alpha)
    np.testing.assert_allclose(numeric, smoothed, rtol=0, atol=1e-7)
    assert np.all(smoothed[np.abs(GRID) > 1.5] == 0.0)
    assert alpha - 0.01 < smoothed.max() < alpha
