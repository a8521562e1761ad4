r"""Layers as forward/backward pairs: linear, ReLU, leaky ReLU, tanh and softplus.

Every layer has the same two methods, side by side:

``forward(inputs, out=None) -> (outputs, cache)``
    ``inputs`` has shape ``(..., n, n_in)``; ``cache`` is a small named tuple holding what the backward
    pass needs.
``backward(grad_outputs, cache, out=None) -> grad_inputs``
    ``grad_outputs`` is :math:`\partial L / \partial \text{outputs}`, shape ``(..., n, n_out)``; returns
    :math:`\partial L / \partial \text{inputs}`, shape ``(..., n, n_in)``. A layer with weights also *adds*
    :math:`\partial L / \partial W` and :math:`\partial L / \partial b` to its gradient arrays, so that
    two backward passes (a real and a fake batch through the discriminator) sum their gradients.

The leading axes ``...`` are empty for one network and hold the run axis ``R`` for a stack of
independent networks (:meth:`ganmath.nn.mlp.MLP.stack`): weights of shape ``(R, n_in, n_out)`` act on
inputs of shape ``(R, n, n_in)`` by stacked matrix products, each run on its own rows. ``out`` is an
array to write the result into, as in numpy: a training loop passes the same buffers at every step,
because arrays of a stacked population are large enough that a fresh allocation costs page faults.

:class:`Linear` also has ``backward_inputs(grad_outputs)``, the input gradient alone: it is what the
generator's step needs from the discriminator, whose own gradients are not used in that step.

The pure math is in the functions ``linear_forward`` / ``linear_backward`` and the activation pairs;
the classes only hold the weights and their gradients.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ganmath._validation import check_in_range

__all__ = [
    "activation_values",
    "activation_derivatives",
    "LinearCache",
    "ActivationCache",
    "softplus",
    "linear_forward",
    "linear_backward",
    "linear_backward_inputs",
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
    """What the backward pass of a linear layer needs: its inputs, shape ``(..., n, n_in)``."""

    inputs: np.ndarray


class ActivationCache(NamedTuple):
    """What the backward pass of an elementwise activation needs.

    ``inputs`` are the pre-activations and ``outputs`` the activations, both of shape ``(..., n, width)``.
    Each activation differentiates from whichever is cheaper (tanh and softplus from their outputs,
    ReLU from its inputs).
    """

    inputs: np.ndarray
    outputs: np.ndarray


# --- a primitive ---------------------------------------------------------------------------------


def softplus(x, out=None, work=None):
    r""":math:`\log(1 + e^x)`, elementwise, without overflow: :math:`\max(x, 0) + \log(1 + e^{-|x|})`.

    The same numbers as ``np.logaddexp(0, x)`` to an ulp or two, several times faster (numpy's
    ``logaddexp`` takes a slow general path).

    Parameters
    ----------
    x : ndarray
    out, work : ndarray of the shape of ``x``, optional
        Where to write the result, and a scratch array (both distinct from ``x``); new arrays without them.

    Returns
    -------
    ndarray, the shape of ``x``
    """
    out = np.abs(x, out=out)
    np.negative(out, out=out)  # -|x|: two simple passes beat np.copysign(x, -1.0), which numpy does not vectorise
    np.exp(out, out=out)
    np.log1p(out, out=out)
    out += np.maximum(x, 0.0, out=work)
    return out


# --- linear -------------------------------------------------------------------------------------


def linear_forward(inputs, weight, bias, out=None):
    r"""Affine map :math:`y = x W + b`.

    Parameters
    ----------
    inputs : ndarray, shape (..., n, n_in)
    weight : ndarray, shape (..., n_in, n_out)
    bias : ndarray, shape (..., n_out)
    out : ndarray, shape (..., n, n_out), optional

    Returns
    -------
    outputs : ndarray, shape (..., n, n_out)
    cache : LinearCache
    """
    if weight.shape[-2] == 1:
        # One input: an outer product, x_i * w_j exactly (what a matrix product with one term computes),
        # without the slow loop numpy's matmul takes for an inner dimension of 1.
        outputs = np.multiply(inputs, weight, out=out)
    elif weight.ndim == 2:
        outputs = np.dot(inputs, weight, out=out)
    else:
        outputs = np.matmul(inputs, weight, out=out)
    outputs += bias[..., None, :]
    return outputs, LinearCache(inputs)


def linear_backward(grad_outputs, cache, weight, *, input_gradient: bool = True, out=None, work=None):
    r"""Gradients of an affine map.

    .. math:: \frac{\partial L}{\partial x} = G W^\top, \quad
              \frac{\partial L}{\partial W} = x^\top G, \quad
              \frac{\partial L}{\partial b} = \textstyle\sum_i G_{i\cdot},
              \qquad G = \partial L / \partial y

    Parameters
    ----------
    grad_outputs : ndarray, shape (..., n, n_out)
    cache : LinearCache
    weight : ndarray, shape (..., n_in, n_out)
    input_gradient : bool
        False skips :math:`G W^\top` (returned as None): a network's first layer needs no input gradient
        when only its weights are trained.
    out : ndarray, shape (..., n, n_in), optional
        Where to write the input gradient.
    work : ndarray, shape (..., n_in, n_out), optional
        Where to write the weight gradient.

    Returns
    -------
    grad_inputs : ndarray, shape (..., n, n_in), or None
    grad_weight : ndarray, shape (..., n_in, n_out)
    grad_bias : ndarray, shape (..., n_out)
    """
    grad_inputs = linear_backward_inputs(grad_outputs, weight, out=out) if input_gradient else None
    grad_weight = np.matmul(cache.inputs.swapaxes(-1, -2), grad_outputs, out=work)
    grad_bias = _sum_rows(grad_outputs)
    return grad_inputs, grad_weight, grad_bias


def linear_backward_inputs(grad_outputs, weight, out=None):
    r"""The input gradient :math:`G W^\top` of an affine map alone, shape ``(..., n, n_in)``."""
    if weight.shape[-1] == 1:
        # One output: the outer product of the gradient column with the weight row, each entry one product.
        # For a stack, einsum's loop is faster than a broadcast multiply, which runs an inner loop of
        # n_in entries for every row.
        if weight.ndim == 3:
            return np.einsum("rik,rjk->rij", grad_outputs, weight, out=out)
        return np.multiply(grad_outputs, weight.swapaxes(-1, -2), out=out)
    if weight.ndim == 2:
        return np.dot(grad_outputs, weight.T, out=out)
    return np.matmul(grad_outputs, weight.swapaxes(-1, -2), out=out)


_ONES: dict = {}


def _sum_rows(grad_outputs):
    """``grad_outputs.sum(axis=-2)``: a product with a kept vector of ones, faster on small batches."""
    n = grad_outputs.shape[-2]
    ones = _ONES.get(n)
    if ones is None:
        ones = np.ones(n)
        ones.flags.writeable = False
        if len(_ONES) < 32:
            _ONES[n] = ones
    if grad_outputs.ndim == 2:
        return np.dot(ones, grad_outputs)
    return np.matmul(ones, grad_outputs)


# --- activations: forward and backward side by side ---------------------------------------------


def relu_forward(inputs, out=None):
    r""":math:`\max(x, 0)`, elementwise. Returns ``(outputs, ActivationCache)``."""
    outputs = np.maximum(inputs, 0.0, out=out)
    return outputs, ActivationCache(inputs, outputs)


def relu_backward(grad_outputs, cache, out=None):
    r""":math:`\partial L/\partial x = \partial L/\partial y \cdot [x > 0]` (the derivative at 0 is taken as 0).

    ``out``, as in numpy: an array to write the result into (may be ``grad_outputs`` itself).
    """
    return np.multiply(grad_outputs, cache.inputs > 0.0, out=out)


def leaky_relu_forward(inputs, slope, out=None):
    r""":math:`x` for :math:`x > 0`, :math:`s x` otherwise, with ``slope`` :math:`s \in [0, 1)`."""
    outputs = np.multiply(inputs, slope, out=out)
    np.maximum(inputs, outputs, out=outputs)  # max(x, s x) is x for x > 0 and s x otherwise, as s < 1
    return outputs, ActivationCache(inputs, outputs)


def leaky_relu_backward(grad_outputs, cache, slope, out=None):
    r""":math:`\partial L/\partial x = \partial L/\partial y \cdot (1 \text{ if } x > 0 \text{ else } s)`.

    ``out``, as in numpy: an array to write the result into (may be ``grad_outputs`` itself).
    """
    # Branch-free: the factor s + (1 - s)[x > 0], then one product. A select (np.where, a masked copy)
    # mispredicts on the signs of x and is about five times slower. The bits are the same: (1 - s) + s
    # rounds to exactly 1 for every float s in [0, 1), so the factor is exactly 1 or s.
    factor = out if out is not None and not np.may_share_memory(out, grad_outputs) else np.empty(grad_outputs.shape)
    np.greater(cache.inputs, 0.0, out=factor)
    np.multiply(factor, 1.0 - slope, out=factor)
    np.add(factor, slope, out=factor)
    return np.multiply(factor, grad_outputs, out=factor if out is None else out)


def tanh_forward(inputs, out=None):
    r""":math:`\tanh x`, elementwise."""
    outputs = np.tanh(inputs, out=out)
    return outputs, ActivationCache(inputs, outputs)


def tanh_backward(grad_outputs, cache, out=None):
    r""":math:`\partial L/\partial x = \partial L/\partial y \cdot (1 - \tanh^2 x)`, from the cached outputs."""
    result = np.multiply(cache.outputs, cache.outputs, out=out if out is not grad_outputs else None)
    np.subtract(1.0, result, out=result)
    return np.multiply(grad_outputs, result, out=out if out is not None else result)


def softplus_forward(inputs, out=None, work=None):
    r""":math:`\log(1 + e^x)` (:func:`softplus`, no overflow for large ``x``); ``work`` a scratch array."""
    outputs = softplus(inputs, out=out, work=work)
    return outputs, ActivationCache(inputs, outputs)


def softplus_backward(grad_outputs, cache, out=None):
    r""":math:`\partial L/\partial x = \partial L/\partial y \cdot \sigma(x)`, with the logistic
    :math:`\sigma(x) = 1 - e^{-\mathrm{softplus}(x)}`, from the cached outputs (``-expm1(-y)``: full
    relative precision at both ends)."""
    result = np.negative(cache.outputs, out=out if out is not grad_outputs else None)
    np.expm1(result, out=result)
    np.negative(result, out=result)
    return np.multiply(grad_outputs, result, out=out if out is not None else result)


# --- classes: state only where there are weights ------------------------------------------------
#
# A layer's forward and backward take optional ``buffers`` (a :meth:`ganmath.nn.mlp.Workspace.scope`):
# a training loop passes the same buffers at every step, and the layer writes its results into them
# instead of allocating. The numbers are those of the functions above.


class Linear:
    r"""An affine layer :math:`y = x W + b` holding its weights and their accumulated gradients.

    The arrays are kept by reference, not copied, so they may be views into one flat parameter
    vector (this is how :class:`ganmath.nn.mlp.MLP` lets an optimizer update all weights at once).
    Assigning ``layer.weight = values`` copies into the existing array.

    Parameters
    ----------
    weight : ndarray, shape (n_in, n_out) or (R, n_in, n_out), float64
    bias : ndarray, shape (n_out,) or (R, n_out), float64
    grad_weight, grad_bias : ndarray, optional
        Gradient accumulators of the same shapes; new zero arrays by default.
    block, grad_block : ndarray, shape (..., n_in + 1, n_out), optional
        :math:`[W; b]` as one array whose rows are views of ``weight`` and ``bias`` (and the same for the
        gradients), when the parameters are laid out that way. With buffers, a one-input layer then
        computes :math:`[x, 1] [W; b]`, one matrix product for the weight and the bias, instead of an
        outer product, which numpy computes slowly.
    """

    def __init__(self, weight, bias, grad_weight=None, grad_bias=None, *, block=None, grad_block=None):
        for name, array in (("weight", weight), ("bias", bias)):
            if not isinstance(array, np.ndarray) or array.dtype != np.float64:
                raise TypeError(f"{name} must be a float64 ndarray, got {name}={array!r}")
        if weight.ndim not in (2, 3):
            raise ValueError(f"weight must have shape ([R,] n_in, n_out), got weight.shape={weight.shape}")
        expected = weight.shape[:-2] + weight.shape[-1:]
        if bias.shape != expected:
            raise ValueError(f"bias must have shape {expected}, got bias.shape={bias.shape}")
        self._weight, self._bias = weight, bias
        self.grad_weight = np.zeros_like(weight) if grad_weight is None else grad_weight
        self.grad_bias = np.zeros_like(bias) if grad_bias is None else grad_bias
        if self.grad_weight.shape != weight.shape or self.grad_bias.shape != bias.shape:
            raise ValueError("grad_weight and grad_bias must have the shapes of weight and bias")
        self._block, self._grad_block = block, grad_block
        self.n_inputs, self.n_outputs = weight.shape[-2], weight.shape[-1]

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

    def __repr__(self):
        return f"Linear({self.n_inputs} -> {self.n_outputs})"

    def forward(self, inputs, buffers=None):
        """``(outputs, LinearCache)`` for ``inputs`` of shape ``(..., n, n_in)``; outputs ``(..., n, n_out)``."""
        if buffers is None:
            return linear_forward(inputs, self._weight, self._bias)
        out = buffers.get("out", inputs.shape[:-1] + (self.n_outputs,))
        if self.n_inputs == 1 and self._block is not None:
            # [x, 1]: the column of ones is written when the buffer is made and kept from step to step.
            augmented = buffers.get("augmented", inputs.shape[:-1] + (2,), fill=1.0)
            augmented[..., :1] = inputs
            return np.matmul(augmented, self._block, out=out), LinearCache(augmented)
        return linear_forward(inputs, self._weight, self._bias, out=out)

    def backward(self, grad_outputs, cache, *, input_gradient: bool = True, buffers=None):
        """Add the weight and bias gradients to ``grad_weight``, ``grad_bias``; return the input gradient
        (None with ``input_gradient=False``)."""
        grad_inputs = self.backward_inputs(grad_outputs, buffers=buffers) if input_gradient else None
        if cache.inputs.shape[-1] == self.n_inputs + 1:
            # Augmented inputs [x, 1]: [x, 1]^T G holds x^T G over sum_i G_i, the gradients of [W; b].
            work = buffers.get("grad_block", self._grad_block.shape)
            self._grad_block += np.matmul(cache.inputs.swapaxes(-1, -2), grad_outputs, out=work)
            return grad_inputs
        work = None if buffers is None else buffers.get("grad_weight", self._weight.shape)
        _, grad_weight, grad_bias = linear_backward(grad_outputs, cache, self._weight, input_gradient=False, work=work)
        self.grad_weight += grad_weight
        self.grad_bias += grad_bias
        return grad_inputs

    def backward_inputs(self, grad_outputs, cache=None, buffers=None):
        """The input gradient :math:`G W^\\top` alone; the weight gradients are left untouched."""
        if buffers is None:
            return linear_backward_inputs(grad_outputs, self._weight)
        out = buffers.get("grad_inputs", grad_outputs.shape[:-1] + (self.n_inputs,))
        weight = self._weight
        if weight.ndim == 3 and self.n_outputs > 1:
            # A stacked product with a transposed operand is slow; a contiguous copy of W^T is cheap.
            transposed = buffers.get("transposed", weight.shape[:-2] + (self.n_outputs, self.n_inputs))
            np.copyto(transposed, weight.swapaxes(-1, -2))
            return np.matmul(grad_outputs, transposed, out=out)
        return linear_backward_inputs(grad_outputs, weight, out=out)

    def zero_grad(self):
        self.grad_weight.fill(0.0)
        self.grad_bias.fill(0.0)


class _Activation:
    """What every elementwise activation shares: buffers for its outputs and its input gradient."""

    def _forward(self, inputs, out, work):
        raise NotImplementedError

    def _backward(self, grad_outputs, cache, out):
        raise NotImplementedError

    def forward(self, inputs, buffers=None):
        if buffers is None:
            return self._forward(inputs, None, None)
        return self._forward(inputs, buffers.get("out", inputs.shape), buffers.get("scratch", inputs.shape))

    def backward(self, grad_outputs, cache, *, buffers=None):
        return self._backward(grad_outputs, cache, None if buffers is None else buffers.get("grad_inputs", grad_outputs.shape))

    def backward_inputs(self, grad_outputs, cache, buffers=None):
        return self.backward(grad_outputs, cache, buffers=buffers)


class ReLU(_Activation):
    """:math:`\\max(x, 0)`. Its flat part makes a generator built from it put point masses in p_g."""

    def __repr__(self):
        return "ReLU()"

    def _forward(self, inputs, out, work):
        return relu_forward(inputs, out)

    def _backward(self, grad_outputs, cache, out):
        return relu_backward(grad_outputs, cache, out)


class LeakyReLU(_Activation):
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

    def _forward(self, inputs, out, work):
        return leaky_relu_forward(inputs, self.slope, out)

    def _backward(self, grad_outputs, cache, out):
        return leaky_relu_backward(grad_outputs, cache, self.slope, out)


class Tanh(_Activation):
    """:math:`\\tanh x`: smooth, strictly increasing and bounded, the discriminator's default."""

    def __repr__(self):
        return "Tanh()"

    def _forward(self, inputs, out, work):
        return tanh_forward(inputs, out)

    def _backward(self, grad_outputs, cache, out):
        return tanh_backward(grad_outputs, cache, out)


class Softplus(_Activation):
    """:math:`\\log(1 + e^x)`: a smooth ReLU, the generator's default (it extrapolates linearly)."""

    def __repr__(self):
        return "Softplus()"

    def _forward(self, inputs, out, work):
        return softplus_forward(inputs, out, work)

    def _backward(self, grad_outputs, cache, out):
        return softplus_backward(grad_outputs, cache, out)


#: Hidden activations by name, as accepted by :class:`ganmath.nn.mlp.MLP`.
ACTIVATIONS = {"relu": ReLU, "leaky-relu": LeakyReLU, "tanh": Tanh, "softplus": Softplus}


def activation_values(name: str, inputs, slope: float = 0.2) -> np.ndarray:
    r""":math:`\phi(x)` of the hidden activation ``name`` (a key of :data:`ACTIVATIONS`; ``slope`` for
    ``"leaky-relu"``): the outputs of its forward function, without a cache."""
    if name == "tanh":
        return tanh_forward(inputs)[0]
    if name == "softplus":
        return softplus_forward(inputs)[0]
    if name == "leaky-relu":
        return leaky_relu_forward(inputs, slope)[0]
    return relu_forward(inputs)[0]


def activation_derivatives(name: str, inputs, slope: float = 0.2):
    r""":math:`\phi'(x)` and :math:`\phi''(x)` of the hidden activation ``name``, elementwise: what a pass that
    carries :math:`d/dx` through a network needs (the critic's slope of a gradient penalty).

    tanh: :math:`1 - t^2` and :math:`-2t(1 - t^2)` with :math:`t = \tanh x`; softplus: :math:`\sigma(x)` and
    :math:`\sigma(x)(1 - \sigma(x))`; the (leaky) ReLU: 1 or ``slope`` (0), and 0 (the kink's measure-zero
    set aside).

    Returns
    -------
    first, second : ndarray, the shape of ``inputs``
    """
    if name == "tanh":
        t = np.tanh(inputs)
        first = 1.0 - t * t
        return first, -2.0 * t * first
    if name == "softplus":
        s = 0.5 * (1.0 + np.tanh(0.5 * inputs))  # the logistic, without overflow
        return s, s * (1.0 - s)
    if name == "leaky-relu":
        return np.where(inputs > 0, 1.0, slope), np.zeros_like(inputs)
    return np.where(inputs > 0, 1.0, 0.0), np.zeros_like(inputs)
