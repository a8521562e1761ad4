r"""Layers as forward/backward pairs: linear, ReLU, leaky ReLU, tanh and softplus.

Every layer has the same two methods, side by side:

``forward(inputs) -> (outputs, cache)``
    ``inputs`` has shape ``(n, n_in)``; ``cache`` is a small named tuple holding what the backward
    pass needs.
``backward(grad_outputs, cache) -> grad_inputs``
    ``grad_outputs`` is :math:`\partial L / \partial \text{outputs}`, shape ``(n, n_out)``; returns
    :math:`\partial L / \partial \text{inputs}`, shape ``(n, n_in)``. A layer with weights also *adds*
    :math:`\partial L / \partial W` and :math:`\partial L / \partial b` to its gradient arrays, so that
    two backward passes (a real and a fake batch through the discriminator) sum their gradients.

:class:`Linear` also has ``backward_inputs(grad_outputs)``, the input gradient alone: it is what the
generator's step needs from the discriminator, whose own gradients are not used in that step.

The pure math is in the functions ``linear_forward`` / ``linear_backward`` and the activation pairs;
the classes only hold the weights and their gradients.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import special

from ganmath._validation import check_in_range

__all__ = [
    "LinearCache",
    "ActivationCache",
    "linear_forward",
    "linear_backward",
    "relu_forward",
    "relu_backward",
    "leaky_relu_forward",
    "leaky_relu_backward",
    "tanh_forward",
    "tanh_backward",
    "softplus_forward",
    "softplus_backward",
    "Linear",
    "ReLU",
    "LeakyReLU",
    "Tanh",
    "Softplus",
    "ACTIVATIONS",
]


class LinearCache(NamedTuple):
    """What the backward pass of a linear layer needs: its inputs, shape ``(n, n_in)``."""

    inputs: np.ndarray


class ActivationCache(NamedTuple):
    """What the backward pass of an elementwise activation needs.

    ``inputs`` are the pre-activations and ``outputs`` the activations, both of shape ``(n, width)``.
    Each activation differentiates from whichever is cheaper (tanh from its outputs, ReLU from its inputs).
    """

    inputs: np.ndarray
    outputs: np.ndarray


# --- linear -------------------------------------------------------------------------------------


def linear_forward(inputs, weight, bias):
    r"""Affine map :math:`y = x W + b`.

    Parameters
    ----------
    inputs : ndarray, shape (n, n_in)
    weight : ndarray, shape (n_in, n_out)
    bias : ndarray, shape (n_out,)

    Returns
    -------
    outputs : ndarray, shape (n, n_out)
    cache : LinearCache
    """
    # np.dot calls BLAS for every shape; the @ operator takes a slow loop when n_in = 1.
    outputs = np.dot(inputs, weight)
    outputs += bias
    return outputs, LinearCache(inputs)


_ONES: dict = {}


def _ones(n: int) -> np.ndarray:
    """A read-only vector of n ones, kept between calls for a few batch sizes (summing rows is a product with it)."""
    ones = _ONES.get(n)
    if ones is None:
        ones = np.ones(n)
        ones.flags.writeable = False
        if len(_ONES) < 32:
            _ONES[n] = ones
    return ones


def linear_backward(grad_outputs, cache, weight, *, input_gradient: bool = True):
    r"""Gradients of an affine map.

    .. math:: \frac{\partial L}{\partial x} = G W^\top, \quad
              \frac{\partial L}{\partial W} = x^\top G, \quad
              \frac{\partial L}{\partial b} = \textstyle\sum_i G_{i\cdot},
              \qquad G = \partial L / \partial y

    Parameters
    ----------
    grad_outputs : ndarray, shape (n, n_out)
    cache : LinearCache
    weight : ndarray, shape (n_in, n_out)

    input_gradient : bool
        False skips :math:`G W^\top` (returned as None): a network's first layer needs no input gradient
        when only its weights are trained.

    Returns
    -------
    grad_inputs : ndarray, shape (n, n_in), or None
    grad_weight : ndarray, shape (n_in, n_out)
    grad_bias : ndarray, shape (n_out,)
    """
    grad_inputs = np.dot(grad_outputs, weight.T) if input_gradient else None
    grad_weight = np.dot(cache.inputs.T, grad_outputs)
    # A product with a vector of ones sums the rows faster than .sum(axis=0) on small batches.
    grad_bias = np.dot(_ones(grad_outputs.shape[0]), grad_outputs)
    return grad_inputs, grad_weight, grad_bias


# --- activations: forward and backward side by side ---------------------------------------------


def relu_forward(inputs):
    r""":math:`\max(x, 0)`, elementwise. Returns ``(outputs, ActivationCache)``."""
    outputs = np.maximum(inputs, 0.0)
    return outputs, ActivationCache(inputs, outputs)


def relu_backward(grad_outputs, cache, out=None):
    r""":math:`\partial L/\partial x = \partial L/\partial y \cdot [x > 0]` (the derivative at 0 is taken as 0).

    ``out``, as in numpy: an array to write the result into (may be ``grad_outputs`` itself).
    """
    return np.multiply(grad_outputs, cache.inputs > 0.0, out=out)


def leaky_relu_forward(inputs, slope):
    r""":math:`x` for :math:`x > 0`, :math:`s x` otherwise, with ``slope`` :math:`s \in [0, 1)`."""
    outputs = np.where(inputs > 0.0, inputs, slope * inputs)
    return outputs, ActivationCache(inputs, outputs)


def leaky_relu_backward(grad_outputs, cache, slope, out=None):
    r""":math:`\partial L/\partial x = \partial L/\partial y \cdot (1 \text{ if } x > 0 \text{ else } s)`."""
    return np.multiply(grad_outputs, np.where(cache.inputs > 0.0, 1.0, slope), out=out)


def tanh_forward(inputs):
    r""":math:`\tanh x`, elementwise."""
    outputs = np.tanh(inputs)
    return outputs, ActivationCache(inputs, outputs)


def tanh_backward(grad_outputs, cache, out=None):
    r""":math:`\partial L/\partial x = \partial L/\partial y \cdot (1 - \tanh^2 x)`, from the cached outputs."""
    slope = cache.outputs * cache.outputs
    np.subtract(1.0, slope, out=slope)
    return np.multiply(grad_outputs, slope, out=out)


def softplus_forward(inputs):
    r""":math:`\log(1 + e^x)`, computed as ``logaddexp(0, x)`` (no overflow for large ``x``)."""
    outputs = np.logaddexp(0.0, inputs)
    return outputs, ActivationCache(inputs, outputs)


def softplus_backward(grad_outputs, cache, out=None):
    r""":math:`\partial L/\partial x = \partial L/\partial y \cdot \sigma(x)` (the logistic function)."""
    return np.multiply(grad_outputs, special.expit(cache.inputs), out=out)


# --- classes: state only where there are weights ------------------------------------------------


class Linear:
    r"""An affine layer :math:`y = x W + b` holding its weights and their accumulated gradients.

    The arrays are kept by reference, not copied, so they may be views into one flat parameter
    vector (this is how :class:`ganmath.nn.mlp.MLP` lets an optimizer update all weights at once).
    Assigning ``layer.weight = values`` copies into the existing array.

    Parameters
    ----------
    weight : ndarray, shape (n_in, n_out), float64
    bias : ndarray, shape (n_out,), float64
    grad_weight, grad_bias : ndarray, optional
        Gradient accumulators of the same shapes; new zero arrays by default.
    """

    def __init__(self, weight, bias, grad_weight=None, grad_bias=None):
        for name, array, ndim in (("weight", weight, 2), ("bias", bias, 1)):
            if not isinstance(array, np.ndarray) or array.dtype != np.float64 or array.ndim != ndim:
                raise TypeError(f"{name} must be a {ndim}-D float64 ndarray, got {name}={array!r}")
        if bias.shape != (weight.shape[1],):
            raise ValueError(f"bias must have shape ({weight.shape[1]},), got bias.shape={bias.shape}")
        self._weight, self._bias = weight, bias
        self.grad_weight = np.zeros_like(weight) if grad_weight is None else grad_weight
        self.grad_bias = np.zeros_like(bias) if grad_bias is None else grad_bias
        if self.grad_weight.shape != weight.shape or self.grad_bias.shape != bias.shape:
            raise ValueError("grad_weight and grad_bias must have the shapes of weight and bias")

    @property
    def weight(self) -> np.ndarray:
        return self._weight

    @weight.setter
    def weight(self, values):
        self._weight[...] = values

    @property
    def bias(self) -> np.ndarray:
        return self._bias

    @bias.setter
    def bias(self, values):
        self._bias[...] = values

    @property
    def n_inputs(self) -> int:
        return self._weight.shape[0]

    @property
    def n_outputs(self) -> int:
        return self._weight.shape[1]

    def __repr__(self):
        return f"Linear({self.n_inputs} -> {self.n_outputs})"

    def forward(self, inputs):
        """``(outputs, LinearCache)`` for ``inputs`` of shape ``(n, n_in)``; outputs ``(n, n_out)``."""
        return linear_forward(inputs, self._weight, self._bias)

    def backward(self, grad_outputs, cache, *, input_gradient: bool = True):
        """Add the weight and bias gradients to ``grad_weight``, ``grad_bias``; return the input gradient
        (None with ``input_gradient=False``)."""
        grad_inputs, grad_weight, grad_bias = linear_backward(
            grad_outputs, cache, self._weight, input_gradient=input_gradient
        )
        self.grad_weight += grad_weight
        self.grad_bias += grad_bias
        return grad_inputs

    def backward_inputs(self, grad_outputs, cache=None):
        """The input gradient :math:`G W^\\top` alone; the weight gradients are left untouched."""
        return np.dot(grad_outputs, self._weight.T)

    def zero_grad(self):
        self.grad_weight.fill(0.0)
        self.grad_bias.fill(0.0)


class ReLU:
    """:math:`\\max(x, 0)`. Its flat part makes a generator built from it put point masses in p_g."""

    def __repr__(self):
        return "ReLU()"

    def forward(self, inputs):
        return relu_forward(inputs)

    def backward(self, grad_outputs, cache, *, out=None):
        return relu_backward(grad_outputs, cache, out)

    backward_inputs = backward


class LeakyReLU:
    """:math:`x` for :math:`x > 0`, ``slope * x`` otherwise.

    Parameters
    ----------
    slope : float in [0, 1)
        The slope on the negative side (0 gives ReLU).
    """

    def __init__(self, slope: float = 0.2):
        self.slope = check_in_range("slope", slope, 0.0, 1.0, high_open=True)

    def __repr__(self):
        return f"LeakyReLU(slope={self.slope:g})"

    def forward(self, inputs):
        return leaky_relu_forward(inputs, self.slope)

    def backward(self, grad_outputs, cache, *, out=None):
        return leaky_relu_backward(grad_outputs, cache, self.slope, out)

    backward_inputs = backward


class Tanh:
    """:math:`\\tanh x`: smooth and strictly increasing, the default hidden activation of the generator."""

    def __repr__(self):
        return "Tanh()"

    def forward(self, inputs):
        return tanh_forward(inputs)

    def backward(self, grad_outputs, cache, *, out=None):
        return tanh_backward(grad_outputs, cache, out)

    backward_inputs = backward


class Softplus:
    """:math:`\\log(1 + e^x)`: a smooth ReLU."""

    def __repr__(self):
        return "Softplus()"

    def forward(self, inputs):
        return softplus_forward(inputs)

    def backward(self, grad_outputs, cache, *, out=None):
        return softplus_backward(grad_outputs, cache, out)

    backward_inputs = backward


#: Hidden activations by name, as accepted by :class:`ganmath.nn.mlp.MLP`.
ACTIVATIONS = {"relu": ReLU, "leaky-relu": LeakyReLU, "tanh": Tanh, "softplus": Softplus}
