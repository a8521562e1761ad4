"""ganmath.nn.sequential: layers in a row over one parameter vector; its passes are the layers' own, chained, and
its gradients (parameters and inputs) match central differences."""

import numpy as np
import pytest
from support.gradcheck import assert_gradient_matches, numerical_gradient

from ganmath.nn.batchnorm import BatchNorm
from ganmath.nn.conv import Conv2d, ConvTranspose2d
from ganmath.nn.layers import LeakyReLU, Linear, ReLU, Tanh
from ganmath.nn.mlp import Workspace
from ganmath.nn.resample import Flatten, Reshape
from ganmath.nn.sequential import Sequential


def network(seed=0):
    rng = np.random.default_rng(seed)
    return Sequential([
        Conv2d.random(1, 3, 4, rng, stride=2, padding=1), LeakyReLU(0.2),
        Conv2d.random(3, 4, 4, rng, stride=2, padding=1), BatchNorm(4), LeakyReLU(0.2), Flatten(),
        Linear(rng.normal(size=(16, 5)), rng.normal(size=5)), ReLU(), Linear(rng.normal(size=(5, 1)), np.zeros(1)),
    ])


def test_forward_chains_the_layers_and_parameters_are_one_vector():
    net = network()
    x = np.random.default_rng(1).normal(size=(3, 1, 8, 8))
    out, cache = net.forward(x)
    expected = x
    for layer in net.layers:
        expected, _ = layer.forward(expected)
    np.testing.assert_array_equal(out, expected)
    assert len(cache.layers) == len(net.layers)
    assert net.n_parameters == (48 + 3) + (192 + 4) + 8 + (80 + 5) + (5 + 1)
    net.parameters[0] = 123.0
    assert net.layers[0].weight.flat[0] == 123.0


def test_gradients_match_central_differences_with_and_without_buffers():
    net = network(2)
    rng = np.random.default_rng(3)
    x, direction = rng.normal(size=(4, 1, 8, 8)), rng.normal(size=(4, 1))

    def loss():
        return float(np.sum(net.forward(x)[0] * direction))

    out, cache = net.forward(x, Workspace())
    net.zero_grad()
    grad_inputs = net.backward(direction, cache)
    assert_gradient_matches(net.gradients.copy(), numerical_gradient(loss, net.parameters, step=1e-5),
                            what="parameters")
    assert_gradient_matches(grad_inputs, numerical_gradient(loss, x, step=1e-5), what="inputs")
    workspace = Workspace()
    out, cache = net.forward(x, workspace)
    np.testing.assert_array_equal(net.backward_inputs(direction, cache, workspace), grad_inputs)


def test_backward_adds_and_can_skip_the_input_gradient():
    net = network(4)
    x, grad = np.random.default_rng(5).normal(size=(2, 1, 8, 8)), np.ones((2, 1))
    _, cache = net.forward(x)
    net.zero_grad()
    assert net.backward(grad, cache, input_gradient=False) is None
    once = net.gradients.copy()
    net.backward(grad, cache)
    np.testing.assert_allclose(net.gradients, 2.0 * once, rtol=1e-15)


def test_running_statistics_and_mode():
    rng = np.random.default_rng(6)
    net = Sequential([Linear(rng.normal(size=(2, 8)), np.zeros(8)), Reshape(2, 2, 2), BatchNorm(2), ReLU(),
                      ConvTranspose2d.random(2, 1, 4, rng, stride=2, padding=1), Tanh()])
    assert net.training
    net.forward(rng.normal(size=(5, 2)))
    statistics = net.running_statistics()
    assert statistics.shape == (4,) and not np.array_equal(statistics, [0.0, 0.0, 1.0, 1.0])
    net.training = False
    assert not net.batch_norm_layers[0].training
    one, _ = net.forward(np.ones((1, 2)))   # one image: possible only with running statistics
    assert one.shape == (1, 1, 4, 4)
    net.set_running_statistics(np.zeros(4) + 0.5)
    assert np.all(net.batch_norm_layers[0].running_var == 0.5)
    with pytest.raises(ValueError, match="values"):
        net.set_running_statistics(np.zeros(3))
    with pytest.raises(TypeError, match="training"):
        net.training = 1
    with pytest.raises(TypeError, match="layers"):
        Sequential([object()])
