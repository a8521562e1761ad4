"""The MLP: gradient checks on whole networks (every entry, and a random direction), G'(z), parameters."""

import numpy as np
import pytest
from support.gradcheck import (
    assert_directional_derivative_matches,
    assert_gradient_matches,
    numerical_gradient,
)

from ganmath.nn.mlp import MLP

SMOOTH = ("tanh", "softplus")
PIECEWISE_LINEAR = ("relu", "leaky-relu")


def _min_abs_preactivation(net, x):
    """Per row of x, the smallest |pre-activation| over all hidden units."""
    _, cache = net.forward(x)
    return np.min(np.hstack([np.abs(cache.layers[i].inputs) for i in range(1, len(net.layers), 2)]), axis=1)


def _away_from_kinks(net, x, margin):
    """The rows of x whose hidden pre-activations all stay more than `margin` from 0 (ReLU kinks)."""
    return x[_min_abs_preactivation(net, x) > margin]


def _setup(activation, seed=0, n=16, sizes=(1, 32, 32, 1)):
    rng = np.random.default_rng(seed)
    net = MLP(sizes, rng, activation=activation)
    x = rng.normal(size=(4 * n, sizes[0])) * 2.0
    # A ReLU network is differentiable away from its kinks: keep points whose pre-activations stay
    # 1e-3 from 0, while the stencil (2h = 2e-5 on one weight) moves them by far less.
    step = 1e-3 if activation in SMOOTH else 1e-5
    if activation in PIECEWISE_LINEAR:
        x = _away_from_kinks(net, x, 1e-3)
    x = x[:n].copy()
    assert x.shape[0] == n
    weights = rng.normal(size=(n, sizes[-1]))
    return net, x, weights, step


@pytest.mark.parametrize("activation", SMOOTH + PIECEWISE_LINEAR)
def test_parameter_and_input_gradients_of_the_whole_network(activation):
    net, x, weights, step = _setup(activation)

    def loss():
        return float(np.sum(weights * net(x)))

    net.zero_grad()
    grad_inputs = net.backward(weights, net.forward(x)[1])
    assert_gradient_matches(net.gradients, numerical_gradient(loss, net.parameters, step), what=f"{activation} parameters")
    assert_gradient_matches(grad_inputs, numerical_gradient(loss, x, step), what=f"{activation} inputs")
    np.testing.assert_array_equal(net.backward_inputs(weights, net.forward(x)[1]), grad_inputs)


@pytest.mark.parametrize("activation", SMOOTH + PIECEWISE_LINEAR)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_directional_derivative_of_the_whole_network(activation, seed):
    net, x, weights, step = _setup(activation, seed=seed, sizes=(3, 16, 8, 2))

    def loss():
        return float(np.sum(weights * np.sin(net(x))))  # a nonlinear loss on a multi-output network

    net.zero_grad()
    outputs, cache = net.forward(x)
    net.backward(weights * np.cos(outputs), cache)
    rng = np.random.default_rng(100 + seed)
    assert_directional_derivative_matches(loss, net.parameters, net.gradients, rng, step=step, what=activation)


def test_backward_accumulates_and_zero_grad_resets():
    net, x, weights, _ = _setup("tanh")
    net.zero_grad()
    net.backward(weights, net.forward(x)[1])
    once = net.gradients.copy()
    net.backward(weights, net.forward(x)[1])
    np.testing.assert_allclose(net.gradients, 2 * once, rtol=1e-15)
    # Two half batches accumulate to the gradient of the whole batch (a real and a fake batch through D).
    net.zero_grad()
    net.backward(weights[:7], net.forward(x[:7])[1])
    net.backward(weights[7:], net.forward(x[7:])[1])
    np.testing.assert_allclose(net.gradients, once, rtol=1e-12, atol=1e-15)
    net.zero_grad()
    assert not net.gradients.any()
    assert net.backward(weights, net.forward(x)[1], input_gradient=False) is None


@pytest.mark.parametrize("activation", SMOOTH + PIECEWISE_LINEAR)
def test_value_and_derivative_against_central_differences(activation):
    net = MLP((1, 32, 32, 1), np.random.default_rng(4), activation=activation)
    z = np.linspace(-2.5, 2.5, 41) + 0.0123
    step = 1e-3 if activation in SMOOTH else 1e-6
    if activation in PIECEWISE_LINEAR:
        z = _away_from_kinks(net, z[:, None], 1e-4)[:, 0]
        assert z.size > 30
    values, slopes = net.value_and_derivative(z)
    np.testing.assert_array_equal(values, net(z[:, None])[:, 0])
    numeric = np.array([
        (net(np.array([[v - 2 * step]])) - 8 * net(np.array([[v - step]])) + 8 * net(np.array([[v + step]]))
         - net(np.array([[v + 2 * step]])))[0, 0] / (12 * step)
        for v in z
    ])
    assert_gradient_matches(slopes, numeric, what="G'(z)")


def test_value_and_derivative_closed_form():
    # G(z) = softplus(z) + softplus(-z) = log(2 + 2 cosh z), so G'(z) = tanh(z / 2).
    net = MLP.from_weights([[[1.0, -1.0]], [[1.0], [1.0]]], [[0.0, 0.0], [0.0]], activation="softplus")
    z = np.array([-30.0, -2.0, -1e-9, 0.0, 0.5, 3.0, 30.0])
    values, slopes = net.value_and_derivative(z)
    np.testing.assert_allclose(values, np.logaddexp(0, z) + np.logaddexp(0, -z), rtol=1e-15)
    np.testing.assert_allclose(slopes, np.tanh(z / 2), rtol=1e-12, atol=1e-16)


def test_initialization_is_reproducible_and_scaled():
    a = MLP((1, 32, 32, 1), np.random.default_rng(7))
    b = MLP((1, 32, 32, 1), np.random.default_rng(7))
    c = MLP((1, 32, 32, 1), np.random.default_rng(8))
    assert np.array_equal(a.parameters, b.parameters) and not np.array_equal(a.parameters, c.parameters)
    assert a.parameters.size == (1 * 32 + 32) + (32 * 32 + 32) + (32 * 1 + 1)
    for name, value, _ in a.named_parameters():
        fan_in = 1 if name.startswith("linear0") else 32
        assert np.max(np.abs(value)) <= 1 / np.sqrt(fan_in)
        assert value.dtype == np.float64


def test_named_parameters_are_views_into_the_flat_vectors():
    net = MLP((2, 3, 1), np.random.default_rng(0))
    names = [name for name, _, _ in net.named_parameters()]
    assert names == ["linear0.weight", "linear0.bias", "linear1.weight", "linear1.bias"]
    shapes = [value.shape for _, value, _ in net.named_parameters()]
    assert shapes == [(2, 3), (3,), (3, 1), (1,)]
    flat = np.concatenate([value.ravel() for _, value, _ in net.named_parameters()])
    np.testing.assert_array_equal(flat, net.parameters)
    for _, value, grad in net.named_parameters():
        assert np.shares_memory(value, net.parameters) and np.shares_memory(grad, net.gradients)
    before = net(np.ones((1, 2)))
    net.parameters[-1] += 1.0  # the output bias
    np.testing.assert_allclose(net(np.ones((1, 2))), before + 1.0, rtol=1e-15)


def test_copy_and_from_weights():
    net = MLP((1, 4, 1), np.random.default_rng(1), activation="leaky-relu", leaky_slope=0.1)
    twin = net.copy()
    assert np.array_equal(twin.parameters, net.parameters) and twin.activation == "leaky-relu"
    assert twin.leaky_slope == 0.1
    twin.parameters[0] += 1.0
    assert not np.array_equal(twin.parameters, net.parameters)
    rebuilt = MLP.from_weights(net.weights, net.biases, activation="leaky-relu", leaky_slope=0.1)
    x = np.linspace(-2, 2, 9)[:, None]
    np.testing.assert_array_equal(rebuilt(x), net(x))


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: MLP((1,), np.random.default_rng(0)), ValueError, ["sizes", "(1,)"]),
        (lambda: MLP((1, 0, 1), np.random.default_rng(0)), ValueError, ["sizes[1]", "0"]),
        (lambda: MLP((1, 2.5, 1), np.random.default_rng(0)), TypeError, ["sizes[1]", "2.5"]),
        (lambda: MLP((1, 4, 1), np.random.default_rng(0), activation="sigmoid"), ValueError, ["activation", "sigmoid"]),
        (lambda: MLP((1, 4, 1), 0), TypeError, ["rng", "0"]),
        (lambda: MLP((1, 4, 1), np.random.default_rng(0))(np.ones((3, 2))), ValueError, ["inputs", "(n, 1)", "(3, 2)"]),
        (lambda: MLP((1, 4, 2), np.random.default_rng(0)).value_and_derivative([0.0]), ValueError, ["1-input, 1-output"]),
        (lambda: MLP((1, 4, 1), np.random.default_rng(0)).set_parameters(np.ones(3)), ValueError, ["values", "(13,)"]),
        (lambda: MLP.from_weights([np.ones((2, 3))], [np.ones(2)]), ValueError, ["biases[0]", "(3,)"]),
    ],
)
def test_bad_input(make, error, words):
    with pytest.raises(error) as info:
        make()
    for word in words:
        assert word in str(info.value)


def test_a_workspace_and_its_scopes_say_what_they_hold():
    from ganmath.nn.mlp import Workspace

    workspace = Workspace()
    workspace.get("a", (2, 3))
    scope = workspace.scope("generator")
    scope.get("b", (4,))
    assert repr(workspace) == "Workspace(2 buffers)"
    assert repr(scope) == "Workspace scope 'generator' of Workspace(2 buffers)"
