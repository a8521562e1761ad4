r"""A multilayer perceptron built of :mod:`ganmath.nn.layers`, with hand-written backprop.

``MLP([1, 32, 32, 1], rng, activation="tanh")`` is
``Linear(1, 32) -> Tanh -> Linear(32, 32) -> Tanh -> Linear(32, 1)``: the hidden layers use the
chosen activation, the output layer is linear (the discriminator outputs logits
:math:`a` with :math:`D = \sigma(a)`; the generator outputs :math:`x = G(z)`).

All weights and biases live in one flat float64 vector ``mlp.parameters`` and their gradients in
``mlp.gradients`` (each layer's arrays are views into them), so an optimizer updates a network in three
vector operations and a gradient check walks one vector. ``mlp.named_parameters()`` gives the same
numbers layer by layer.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ganmath._validation import check_positive_int, check_rng
from ganmath.nn.layers import ACTIVATIONS, LeakyReLU, Linear

__all__ = ["MLP", "MLPCache"]


class MLPCache(NamedTuple):
    """The caches of every layer of one forward pass, in order."""

    layers: tuple


def _check_activation(activation: str) -> str:
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {tuple(ACTIVATIONS)}, got activation={activation!r}")
    return activation


def _check_sizes(sizes) -> tuple[int, ...]:
    try:
        sizes = tuple(sizes)
    except TypeError:
        raise TypeError(f"sizes must be a sequence of layer widths, got sizes={sizes!r}") from None
    if len(sizes) < 2:
        raise ValueError(f"sizes must hold at least an input and an output width, got sizes={sizes!r}")
    for i, width in enumerate(sizes):
        check_positive_int(f"sizes[{i}]", width)
    return tuple(int(w) for w in sizes)


class MLP:
    r"""A fully connected network with hand-written forward and backward passes, in float64.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths from input to output, e.g. ``(1, 32, 32, 1)``.
    rng : numpy.random.Generator
        Draws the initial weights: each layer's :math:`W` and then :math:`b` uniformly in
        :math:`\pm 1/\sqrt{n_\mathrm{in}}` (the scale keeps the pre-activations of order one).
    activation : {"tanh", "softplus", "leaky-relu", "relu"}
        Hidden activation.
    leaky_slope : float in [0, 1)
        Negative-side slope of ``"leaky-relu"``.

    Attributes
    ----------
    parameters : ndarray, shape (n_parameters,)
        Every weight and bias; the layers hold views into it, so update it in place.
    gradients : ndarray, shape (n_parameters,)
        The accumulated gradients, in the same order.
    layers : list
        ``Linear`` and activation layers alternating, ending with a ``Linear``.
    """

    def __init__(self, sizes, rng, *, activation: str = "tanh", leaky_slope: float = 0.2):
        self.sizes = _check_sizes(sizes)
        self.activation = _check_activation(activation)
        rng = check_rng(rng)
        self._activation_layer = LeakyReLU(leaky_slope) if activation == "leaky-relu" else ACTIVATIONS[activation]()
        self.leaky_slope = self._activation_layer.slope if activation == "leaky-relu" else leaky_slope
        n_parameters = sum(n_in * n_out + n_out for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]))
        self.parameters = np.empty(n_parameters)
        self.gradients = np.zeros(n_parameters)
        self.layers = []
        self.linear_layers = []
        start = 0
        for index, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:])):
            weight_end = start + n_in * n_out
            bias_end = weight_end + n_out
            layer = Linear(
                self.parameters[start:weight_end].reshape(n_in, n_out),
                self.parameters[weight_end:bias_end],
                self.gradients[start:weight_end].reshape(n_in, n_out),
                self.gradients[weight_end:bias_end],
            )
            bound = 1.0 / np.sqrt(n_in)
            layer.weight = rng.uniform(-bound, bound, size=(n_in, n_out))
            layer.bias = rng.uniform(-bound, bound, size=n_out)
            if index > 0:
                self.layers.append(self._activation_layer)
            self.layers.append(layer)
            self.linear_layers.append(layer)
            start = bias_end

    @classmethod
    def from_weights(cls, weights, biases, *, activation: str = "tanh", leaky_slope: float = 0.2) -> "MLP":
        """An MLP with given weights (copied).

        Parameters
        ----------
        weights : sequence of array_like
            ``weights[i]`` of shape ``(sizes[i], sizes[i+1])``.
        biases : sequence of array_like
            ``biases[i]`` of shape ``(sizes[i+1],)``.
        """
        weights = [np.asarray(w, dtype=np.float64) for w in weights]
        biases = [np.asarray(b, dtype=np.float64) for b in biases]
        if len(weights) == 0 or len(weights) != len(biases):
            raise ValueError(
                f"weights and biases must be non-empty and of equal length, got {len(weights)} and {len(biases)}"
            )
        if weights[0].ndim != 2:
            raise ValueError(f"weights[0] must be 2-D (n_in, n_out), got shape {weights[0].shape}")
        sizes = [weights[0].shape[0]]
        for i, (w, b) in enumerate(zip(weights, biases)):
            if w.ndim != 2 or w.shape[0] != sizes[-1]:
                raise ValueError(f"weights[{i}] must have shape ({sizes[-1]}, n_out), got {w.shape}")
            if b.shape != (w.shape[1],):
                raise ValueError(f"biases[{i}] must have shape ({w.shape[1]},), got {b.shape}")
            sizes.append(w.shape[1])
        mlp = cls(sizes, np.random.default_rng(0), activation=activation, leaky_slope=leaky_slope)
        for layer, w, b in zip(mlp.linear_layers, weights, biases):
            layer.weight, layer.bias = w, b
        return mlp

    def __repr__(self):
        widths = "-".join(str(w) for w in self.sizes)
        return f"MLP({widths}, activation={self.activation!r}, n_parameters={self.parameters.size})"

    @property
    def n_inputs(self) -> int:
        return self.sizes[0]

    @property
    def n_outputs(self) -> int:
        return self.sizes[-1]

    # --- passes ---------------------------------------------------------------------------------

    def _check_inputs(self, inputs) -> np.ndarray:
        inputs = np.asarray(inputs, dtype=np.float64)
        if inputs.ndim != 2 or inputs.shape[1] != self.sizes[0]:
            raise ValueError(f"inputs must have shape (n, {self.sizes[0]}), got inputs.shape={inputs.shape}")
        return inputs

    def forward(self, inputs):
        """Outputs and the cache of every layer.

        Parameters
        ----------
        inputs : array_like, shape (n, n_inputs)

        Returns
        -------
        outputs : ndarray, shape (n, n_outputs)
        cache : MLPCache
        """
        hidden = self._check_inputs(inputs)
        caches = []
        for layer in self.layers:
            hidden, cache = layer.forward(hidden)
            caches.append(cache)
        return hidden, MLPCache(tuple(caches))

    def __call__(self, inputs) -> np.ndarray:
        """The outputs alone, shape ``(n, n_outputs)``."""
        return self.forward(inputs)[0]

    def backward(self, grad_outputs, cache: MLPCache, *, input_gradient: bool = True):
        """Backpropagate ``grad_outputs`` (shape ``(n, n_outputs)``); *add* the parameter gradients to
        ``self.gradients`` and return the gradient with respect to the inputs, shape ``(n, n_inputs)``.

        ``input_gradient=False`` skips the input gradient (and returns None): training needs only the
        parameter gradients.
        """
        grad = grad_outputs
        layers, caches = self.layers, cache.layers
        for index in range(len(layers) - 1, 0, -1):
            if index % 2:  # an activation: its incoming gradient is a fresh array of ours, overwrite it
                grad = layers[index].backward(grad, caches[index], out=grad)
            else:
                grad = layers[index].backward(grad, caches[index])
        return layers[0].backward(grad, caches[0], input_gradient=input_gradient)

    def backward_inputs(self, grad_outputs, cache: MLPCache) -> np.ndarray:
        """The gradient with respect to the inputs only; ``self.gradients`` is left untouched."""
        grad = grad_outputs
        layers, caches = self.layers, cache.layers
        for index in range(len(layers) - 1, -1, -1):
            if index % 2:  # an activation: its incoming gradient is a fresh array of ours, overwrite it
                grad = layers[index].backward(grad, caches[index], out=grad)
            else:
                grad = layers[index].backward_inputs(grad)
        return grad

    def zero_grad(self):
        """Set every accumulated gradient to 0."""
        self.gradients.fill(0.0)

    def value_and_derivative(self, z):
        r"""For a 1-input, 1-output network, :math:`G(z)` and :math:`G'(z)` from the backward pass.

        Each output depends on its own input only, so backpropagating a vector of ones gives every
        :math:`G'(z_i)` at once.

        Parameters
        ----------
        z : array_like, shape (n,)

        Returns
        -------
        values, derivatives : ndarray, shape (n,)
        """
        if self.sizes[0] != 1 or self.sizes[-1] != 1:
            raise ValueError(f"value_and_derivative needs a 1-input, 1-output network, got sizes={self.sizes}")
        z = np.asarray(z, dtype=np.float64)
        if z.ndim != 1:
            raise ValueError(f"z must be 1-D, got z.shape={z.shape}")
        outputs, cache = self.forward(z[:, None])
        derivatives = self.backward_inputs(np.ones_like(outputs), cache)
        return outputs[:, 0], derivatives[:, 0]

    # --- parameters -----------------------------------------------------------------------------

    def named_parameters(self):
        """``[(name, value, gradient), ...]`` for every weight and bias; the arrays are views."""
        out = []
        for i, layer in enumerate(self.linear_layers):
            out.append((f"linear{i}.weight", layer.weight, layer.grad_weight))
            out.append((f"linear{i}.bias", layer.bias, layer.grad_bias))
        return out

    @property
    def weights(self) -> list[np.ndarray]:
        return [layer.weight for layer in self.linear_layers]

    @property
    def biases(self) -> list[np.ndarray]:
        return [layer.bias for layer in self.linear_layers]

    def copy(self) -> "MLP":
        """An independent network with the same weights (gradients zero)."""
        return MLP.from_weights(self.weights, self.biases, activation=self.activation, leaky_slope=self.leaky_slope)

    def set_parameters(self, values):
        """Copy ``values`` (shape ``(n_parameters,)``) into ``self.parameters``."""
        values = np.asarray(values, dtype=np.float64)
        if values.shape != self.parameters.shape:
            raise ValueError(f"values must have shape {self.parameters.shape}, got values.shape={values.shape}")
        self.parameters[...] = values
