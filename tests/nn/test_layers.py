"""Every layer's forward against its formula, and its backward against central differences (< 1e-7)."""

import math

import numpy as np
import pytest
from support.gradcheck import assert_gradient_matches, numerical_gradient

from ganmath.nn import layers
from ganmath.nn.layers import Linear, LeakyReLU, ReLU, Softplus, Tanh


def _inputs_away_from_zero(rng, shape, margin=0.05):
    """Normal inputs with |x| > margin, so that the stencil (+-2h, h = 1e-3) never crosses a ReLU kink."""
    x = rng.normal(size=shape)
    return np.where(np.abs(x) < margin, np.sign(x + 1e-300) * margin + x, x)


ACTIVATION_FORMULAS = {
    "relu": (ReLU(), lambda v: max(v, 0.0)),
    "leaky-relu": (LeakyReLU(0.2), lambda v: v if v > 0 else 0.2 * v),
    "tanh": (Tanh(), math.tanh),
    # log(1 + e^v) by math.log1p for moderate v, the exact asymptote v + log1p(e^-v) for large v
    "softplus": (Softplus(), lambda v: math.log1p(math.exp(v)) if v < 30 else v + math.log1p(math.exp(-v))),
}


@pytest.mark.parametrize("name", sorted(ACTIVATION_FORMULAS))
def test_activation_forward_matches_its_formula(name):
    layer, formula = ACTIVATION_FORMULAS[name]
    x = np.array([[-40.0, -3.0, -0.5, 0.25, 2.0, 35.0]])
    outputs, cache = layer.forward(x)
    expected = np.array([[formula(v) for v in x[0]]])
    np.testing.assert_allclose(outputs, expected, rtol=1e-15, atol=1e-300)
    assert cache.inputs is x and cache.outputs is outputs
    assert cache._fields == ("inputs", "outputs")  # a named cache, not a positional tuple


@pytest.mark.parametrize("name", sorted(ACTIVATION_FORMULAS))
def test_activation_backward_matches_central_differences(name):
    layer, _ = ACTIVATION_FORMULAS[name]
    rng = np.random.default_rng(1)
    x = _inputs_away_from_zero(rng, (7, 5)) * 2.0
    weights = rng.normal(size=x.shape)  # L = sum(weights * f(x)), so dL/df = weights

    def loss():
        return float(np.sum(weights * layer.forward(x)[0]))

    _, cache = layer.forward(x)
    analytic = layer.backward(weights, cache)
    assert_gradient_matches(analytic, numerical_gradient(loss, x), what=f"{name} input gradient")


def test_softplus_and_tanh_are_finite_far_out():
    for layer in (Softplus(), Tanh()):
        out, cache = layer.forward(np.array([[-800.0, 800.0]]))
        grad = layer.backward(np.ones((1, 2)), cache)
        assert np.all(np.isfinite(out)) and np.all(np.isfinite(grad))
    out, cache = Softplus().forward(np.array([[-800.0, 800.0]]))
    assert out[0, 1] == 800.0 and out[0, 0] == 0.0


def _linear(rng, n_in, n_out):
    return Linear(rng.normal(size=(n_in, n_out)), rng.normal(size=n_out))


@pytest.mark.parametrize("n_in, n_out", [(1, 4), (3, 5), (6, 1)])
def test_linear_forward_and_every_gradient(n_in, n_out):
    rng = np.random.default_rng(2)
    layer = _linear(rng, n_in, n_out)
    x = rng.normal(size=(9, n_in))
    weights = rng.normal(size=(9, n_out))
    outputs, cache = layer.forward(x)
    np.testing.assert_allclose(outputs, x @ layer.weight + layer.bias, rtol=1e-14)
    assert cache._fields == ("inputs",)

    def loss():
        return float(np.sum(weights * layer.forward(x)[0]))

    grad_inputs = layer.backward(weights, cache)
    assert_gradient_matches(grad_inputs, numerical_gradient(loss, x), what="linear input gradient")
    assert_gradient_matches(layer.grad_weight, numerical_gradient(loss, layer.weight), what="linear weight gradient")
    assert_gradient_matches(layer.grad_bias, numerical_gradient(loss, layer.bias), what="linear bias gradient")


def test_linear_gradients_accumulate_and_input_gradient_alone_leaves_them():
    rng = np.random.default_rng(3)
    layer = _linear(rng, 3, 2)
    x1, x2 = rng.normal(size=(4, 3)), rng.normal(size=(6, 3))
    g1, g2 = rng.normal(size=(4, 2)), rng.normal(size=(6, 2))
    layer.backward(g1, layer.forward(x1)[1])
    layer.backward(g2, layer.forward(x2)[1])
    # Two passes add up to one pass over the stacked batch: what D sees with a real and a fake batch.
    np.testing.assert_allclose(layer.grad_weight, x1.T @ g1 + x2.T @ g2, rtol=1e-13)
    np.testing.assert_allclose(layer.grad_bias, g1.sum(axis=0) + g2.sum(axis=0), rtol=1e-13)
    before = (layer.grad_weight.copy(), layer.grad_bias.copy())
    grad_inputs = layer.backward_inputs(g1, layer.forward(x1)[1])
    np.testing.assert_allclose(grad_inputs, g1 @ layer.weight.T, rtol=1e-14)
    assert np.array_equal(layer.grad_weight, before[0]) and np.array_equal(layer.grad_bias, before[1])
    assert layer.backward(g1, layer.forward(x1)[1], input_gradient=False) is None
    layer.zero_grad()
    assert not layer.grad_weight.any() and not layer.grad_bias.any()


def test_linear_keeps_views_and_copies_on_assignment():
    flat = np.arange(9.0)
    layer = Linear(flat[:6].reshape(2, 3), flat[6:])
    layer.weight = np.ones((2, 3))
    layer.bias = [-1.0, -2.0, -3.0]
    # Assignment writes into the viewed storage: an optimizer updating `flat` updates the layer.
    np.testing.assert_array_equal(flat, [1, 1, 1, 1, 1, 1, -1, -2, -3])
    flat *= 2.0
    np.testing.assert_array_equal(layer.forward(np.array([[1.0, 0.0]]))[0], [[2.0 - 2.0, 2.0 - 4.0, 2.0 - 6.0]])


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: Linear(np.ones((2, 3)), np.ones(2)), ValueError, ["bias", "(3,)"]),
        (lambda: Linear(np.ones((2, 3), dtype=np.float32), np.ones(3)), TypeError, ["weight", "float64"]),
        (lambda: Linear([[1.0]], np.ones(1)), TypeError, ["weight"]),
        (lambda: LeakyReLU(1.0), ValueError, ["slope", "1.0"]),
        (lambda: LeakyReLU(-0.1), ValueError, ["slope", "-0.1"]),
    ],
)
def test_bad_layer_parameters(make, error, words):
    with pytest.raises(error) as info:
        make()
    for word in words:
        assert word in str(info.value)


def test_every_activation_is_registered():
    assert set(layers.ACTIVATIONS) == {"relu", "leaky-relu", "tanh", "softplus"}


@pytest.mark.parametrize("slope", [0.0, 1e-300, 0.01, 0.2, 0.3, 0.5, np.nextafter(1.0, 0.0)])
@pytest.mark.parametrize("where", ["new", "given", "in place"])
def test_leaky_relu_backward_gives_the_bits_of_its_definition(slope, where):
    """g for x > 0 and s g otherwise, bit for bit, with signed zeros, infinities and NaN among x and g."""
    rng = np.random.default_rng(5)
    x = np.concatenate([rng.normal(size=200), [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-320, -1e-320]])
    g = np.concatenate([rng.normal(size=200), [1.0, -2.0, np.inf, -np.inf, 3.0, np.nan, -0.0]])
    x, g = np.broadcast_to(x, (3, x.size)).copy(), np.broadcast_to(g[::-1], (3, g.size)).copy()
    expected = np.array([[gi if xi > 0 else slope * gi for xi, gi in zip(xr, gr)] for xr, gr in zip(x, g)])
    cache = layers.ActivationCache(x, None)
    out = {"new": None, "given": np.full_like(g, 7.0), "in place": g}[where]
    result = layers.leaky_relu_backward(g.copy() if where != "in place" else g, cache, slope, out=out)
    assert out is None or result is out
    np.testing.assert_array_equal(result.view(np.uint64), expected.view(np.uint64))
