"""SGD with momentum and Adam against independent computations of their update rules."""

import math

import numpy as np
import pytest

from ganmath.nn.optimizers import SGD, Adam, RMSProp, make_optimizer


def test_sgd_momentum_on_a_quadratic_matches_the_matrix_power():
    # f(theta) = a theta^2 / 2 per coordinate: (theta, v) evolves by the matrix [[1 - lr a, mu], [-lr a, mu]].
    a = np.array([0.5, 2.0, 7.0])
    theta0 = np.array([1.0, -2.0, 0.3])
    lr, mu, steps = 0.05, 0.9, 60
    theta, grad = theta0.copy(), np.zeros(3)
    optimizer = SGD(theta, grad, lr=lr, momentum=mu)
    for _ in range(steps):
        grad[...] = a * theta
        optimizer.step()
    for i in range(3):
        transition = np.array([[1 - lr * a[i], mu], [-lr * a[i], mu]])
        expected = np.linalg.matrix_power(transition, steps) @ np.array([theta0[i], 0.0])
        assert theta[i] == pytest.approx(expected[0], rel=1e-12, abs=1e-15)
        assert optimizer.velocity[i] == pytest.approx(expected[1], rel=1e-12, abs=1e-15)


def test_plain_sgd_is_one_gradient_step():
    theta, grad = np.array([1.0, 2.0]), np.array([0.5, -4.0])
    SGD(theta, grad, lr=0.1).step()
    np.testing.assert_allclose(theta, [1.0 - 0.05, 2.0 + 0.4], rtol=1e-15)


def _adam_reference(theta, gradient_of, steps, lr, beta1, beta2, eps):
    """Kingma & Ba (2015), Algorithm 1, one scalar at a time in Python floats."""
    theta = [float(t) for t in theta]
    m = [0.0] * len(theta)
    v = [0.0] * len(theta)
    for t in range(1, steps + 1):
        g = gradient_of(theta)
        for i in range(len(theta)):
            m[i] = beta1 * m[i] + (1 - beta1) * g[i]
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] ** 2
            m_hat = m[i] / (1 - beta1**t)
            v_hat = v[i] / (1 - beta2**t)
            theta[i] -= lr * m_hat / (math.sqrt(v_hat) + eps)
    return theta


def test_adam_matches_the_papers_algorithm():
    a = [0.3, 5.0, -1.0]
    gradient_of = lambda th: [a[0] * th[0], a[1] * th[1] ** 3, math.sin(th[2]) + a[2]]  # noqa: E731
    theta0 = [1.0, -0.7, 2.0]
    theta, grad = np.array(theta0), np.zeros(3)
    optimizer = Adam(theta, grad, lr=0.01, beta1=0.5, beta2=0.99, eps=1e-8)
    for _ in range(200):
        grad[...] = gradient_of(theta)
        optimizer.step()
    np.testing.assert_allclose(theta, _adam_reference(theta0, gradient_of, 200, 0.01, 0.5, 0.99, 1e-8), rtol=1e-12)
    assert optimizer.steps == 200


def test_adams_first_step_has_the_size_of_the_learning_rate():
    theta, grad = np.zeros(3), np.array([1e-3, -2.0, 50.0])
    Adam(theta, grad, lr=0.1, eps=1e-8).step()
    np.testing.assert_allclose(theta, -0.1 * grad / (np.abs(grad) + 1e-8), rtol=1e-14)


def test_state_round_trip_continues_identically():
    for name in ("sgd", "adam", "rmsprop"):
        theta_a, grad_a = np.array([1.0, -1.0]), np.zeros(2)
        theta_b, grad_b = theta_a.copy(), np.zeros(2)
        first = make_optimizer(name, theta_a, grad_a, lr=0.1, momentum=0.5)
        for _ in range(3):
            grad_a[...] = theta_a**2
            first.step()
        theta_b[...] = theta_a
        second = make_optimizer(name, theta_b, grad_b, lr=0.1, momentum=0.5)
        second.load_state(first.state())
        for _ in range(4):
            grad_a[...] = theta_a**2
            grad_b[...] = theta_b**2
            first.step()
            second.step()
        np.testing.assert_array_equal(theta_a, theta_b)


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: SGD(np.zeros(2), np.zeros(2), lr=0.0), ValueError, ["lr", "0.0"]),
        (lambda: SGD(np.zeros(2), np.zeros(2), lr=-1), ValueError, ["lr", "-1"]),
        (lambda: SGD(np.zeros(2), np.zeros(2), lr=float("nan")), ValueError, ["lr", "nan"]),
        (lambda: SGD(np.zeros(2), np.zeros(2), lr=0.1, momentum=1.0), ValueError, ["momentum", "1.0"]),
        (lambda: SGD(np.zeros(2), np.zeros(2), lr=0.1, momentum=-0.5), ValueError, ["momentum", "-0.5"]),
        (lambda: SGD(np.zeros(2), np.zeros(3), lr=0.1), ValueError, ["same shape"]),
        (lambda: SGD([0.0, 1.0], np.zeros(2), lr=0.1), TypeError, ["parameters"]),
        (lambda: Adam(np.zeros(2), np.zeros(2), beta1=1.0), ValueError, ["beta1", "1.0"]),
        (lambda: Adam(np.zeros(2), np.zeros(2), beta2=-0.1), ValueError, ["beta2", "-0.1"]),
        (lambda: Adam(np.zeros(2), np.zeros(2), eps=0.0), ValueError, ["eps", "0.0"]),
        (lambda: make_optimizer("adagrad", np.zeros(2), np.zeros(2), lr=0.1), ValueError, ["optimizer", "adagrad"]),
    ],
)
def test_bad_parameters(make, error, words):
    with pytest.raises(error) as info:
        make()
    for word in words:
        assert word in str(info.value)


def test_rmsprop_is_made_by_name_with_its_decay():
    theta, grad = np.zeros(2), np.array([0.5, -2.0])
    optimizer = make_optimizer("rmsprop", theta, grad, lr=0.1, alpha=0.9)
    assert isinstance(optimizer, RMSProp) and optimizer.alpha == 0.9
    optimizer.step()
    # v = (1 - alpha) g^2, so the first step is lr g / (sqrt(0.1) |g| + eps)
    np.testing.assert_allclose(theta, -0.1 * grad / (np.sqrt(0.1) * np.abs(grad) + 1e-8), rtol=1e-14)
