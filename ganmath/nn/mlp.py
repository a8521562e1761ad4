r"""A multilayer perceptron built of :mod:`ganmath.nn.layers`, with hand-written backprop.

``MLP([1, 32, 32, 1], rng, activation="tanh")`` is
``Linear(1, 32) -> Tanh -> Linear(32, 32) -> Tanh -> Linear(32, 1)``: the hidden layers use the
chosen activation, the output layer is linear (the discriminator outputs logits
:math:`a` with :math:`D = \sigma(a)`; the generator outputs :math:`x = G(z)`).

All weights and biases live in one flat float64 vector ``mlp.parameters`` and their gradients in
``mlp.gradients`` (each layer's arrays are views into them), so an optimizer updates a network in three
vector operations and a gradient check walks one vector. ``mlp.named_parameters()`` gives the same
numbers layer by layer.

``MLP.stack(networks)`` holds R networks of one architecture as one: ``parameters`` of shape ``(R, P)``,
weights ``(R, n_in, n_out)``, inputs ``(R, n, n_in)``, every product a stacked matrix product in which
each run sees only its own rows. ``stack.network(i)`` gives run i back as a single network.
Training loops pass a :class:`Workspace` to ``forward`` and ``backward``: the intermediate arrays are
then written into the same buffers at every step.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ganmath._validation import check_positive_int, check_rng
from ganmath.nn.layers import ACTIVATIONS, LeakyReLU, Linear

__all__ = ["MLP", "MLPCache", "Workspace"]


class MLPCache(NamedTuple):
    """The caches of every layer of one forward pass, in order."""

    layers: tuple


class Workspace:
    """Buffers that a training loop reuses from step to step, by name and shape.

    ``workspace.get(key, shape)`` returns the array kept under ``key``, or a new one when there is none
    of that shape. A cache returned by a forward pass into a workspace is valid until the next pass
    into the same workspace: keep one workspace per network and batch size. ``workspace.scope(prefix)`` is the
    same for the buffers of one layer (a network's passes take one scope per layer, kept from call to call).
    """

    __slots__ = ("_arrays", "_scopes", "_scope_lists")

    def __init__(self):
        self._arrays = {}
        self._scopes = {}
        self._scope_lists = {}

    def get(self, key, shape, fill=None) -> np.ndarray:
        """The array kept under ``key``; a new one of ``shape`` (uninitialized, or full of ``fill``) when
        there is none of that shape."""
        return _kept(self._arrays, key, shape, fill)

    def __repr__(self):
        return f"Workspace({len(self._arrays) + sum(len(s._arrays) for s in self._scopes.values())} buffers)"

    def scope(self, prefix) -> "_Scope":
        """The buffers under ``prefix``: ``scope.get(name, shape)`` as :meth:`get`, in a space of their own."""
        scope = self._scopes.get(prefix)
        if scope is None:
            scope = self._scopes[prefix] = _Scope(self, prefix)
        return scope

    def scopes(self, n: int) -> list:
        """``[scope(0), ..., scope(n - 1)]``, the scopes of a network's n layers, kept as one list."""
        kept = self._scope_lists.get(n)
        if kept is None:
            kept = self._scope_lists[n] = [self.scope(i) for i in range(n)]
        return kept


def _kept(arrays: dict, key, shape, fill) -> np.ndarray:
    array = arrays.get(key)
    if array is None or array.shape != shape:
        array = arrays[key] = np.empty(shape) if fill is None else np.full(shape, fill, dtype=float)
    return array


class _Scope:
    __slots__ = ("workspace", "prefix", "_arrays")

    def __init__(self, workspace, prefix):
        self.workspace, self.prefix, self._arrays = workspace, prefix, {}

    def get(self, name, shape, fill=None) -> np.ndarray:
        array = self._arrays.get(name)  # the kept array, looked up here: this runs dozens of times a step
        if array is not None and array.shape == shape:
            return array
        return _kept(self._arrays, name, shape, fill)

    def __repr__(self):
        return f"Workspace scope {self.prefix!r} of {self.workspace!r}"


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
    parameters : ndarray, shape (n_parameters,), or (R, n_parameters) for a stack
        Every weight and bias; the layers hold views into it, so update it in place.
    gradients : ndarray, the shape of ``parameters``
        The accumulated gradients, in the same order.
    layers : list
        ``Linear`` and activation layers alternating, ending with a ``Linear``.
    n_runs : int or None
        R for a stack made by :meth:`stack`, None for one network.
    """

    def __init__(self, sizes, rng, *, activation: str = "tanh", leaky_slope: float = 0.2):
        sizes = _check_sizes(sizes)
        rng = check_rng(rng)
        n_parameters = sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
        self._build(sizes, _check_activation(activation), leaky_slope, np.empty(n_parameters))
        for layer in self.linear_layers:
            bound = 1.0 / np.sqrt(layer.n_inputs)
            layer.weight = rng.uniform(-bound, bound, size=layer.weight.shape)
            layer.bias = rng.uniform(-bound, bound, size=layer.bias.shape)

    def _build(self, sizes, activation, leaky_slope, parameters, gradients=None):
        """Lay the layers over ``parameters`` (shape ``(P,)`` or ``(R, P)``), as views."""
        self.sizes, self.activation = sizes, activation
        self._activation_layer = LeakyReLU(leaky_slope) if activation == "leaky-relu" else ACTIVATIONS[activation]()
        self.leaky_slope = self._activation_layer.slope if activation == "leaky-relu" else leaky_slope
        self.parameters = parameters
        self.gradients = np.zeros_like(parameters) if gradients is None else gradients
        self.n_runs = parameters.shape[0] if parameters.ndim == 2 else None
        runs = parameters.shape[:-1]
        self.layers, self.linear_layers = [], []
        start = 0
        for index, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            weight_end = start + n_in * n_out
            bias_end = weight_end + n_out
            layer = Linear(
                parameters[..., start:weight_end].reshape(runs + (n_in, n_out)),
                parameters[..., weight_end:bias_end],
                self.gradients[..., start:weight_end].reshape(runs + (n_in, n_out)),
                self.gradients[..., weight_end:bias_end],
                block=parameters[..., start:bias_end].reshape(runs + (n_in + 1, n_out)),
                grad_block=self.gradients[..., start:bias_end].reshape(runs + (n_in + 1, n_out)),
            )
            if index > 0:
                self.layers.append(self._activation_layer)
            self.layers.append(layer)
            self.linear_layers.append(layer)
            start = bias_end
        # A stack of one run passes through the single network laid over the same memory: the same products
        # on 2-D arrays, without the cost of a run axis of length one in every call.
        self._one_run = self.view(0) if self.n_runs == 1 else None

    @classmethod
    def _over(cls, sizes, activation, leaky_slope, parameters, gradients=None) -> "MLP":
        mlp = cls.__new__(cls)
        mlp._build(tuple(sizes), activation, leaky_slope, parameters, gradients)
        return mlp

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
        n_parameters = sum(w.size + b.size for w, b in zip(weights, biases))
        mlp = cls._over(sizes, _check_activation(activation), leaky_slope, np.empty(n_parameters))
        for layer, w, b in zip(mlp.linear_layers, weights, biases):
            layer.weight, layer.bias = w, b
        return mlp

    @classmethod
    def stack(cls, networks) -> "MLP":
        """R networks of one architecture as one stacked network (their parameters copied, in order).

        Parameters
        ----------
        networks : sequence of MLP
            Single networks with the same sizes, activation and leaky slope.

        Returns
        -------
        MLP
            ``parameters`` of shape ``(R, n_parameters)``; ``forward`` takes inputs ``(R, n, n_in)``.
        """
        networks = list(networks)
        if not networks or not all(isinstance(n, MLP) and n.n_runs is None for n in networks):
            raise TypeError(f"networks must be a non-empty sequence of single MLPs, got networks={networks!r}")
        first = networks[0]
        for i, other in enumerate(networks):
            if (other.sizes, other.activation, other.leaky_slope) != (first.sizes, first.activation, first.leaky_slope):
                raise ValueError(f"networks[{i}] is {other!r}, unlike networks[0] = {first!r}")
        parameters = np.stack([n.parameters for n in networks])
        return cls._over(first.sizes, first.activation, first.leaky_slope, parameters)

    def network(self, run: int) -> "MLP":
        """Run ``run`` of a stack as an independent single network (a copy)."""
        if self.n_runs is None:
            raise ValueError("network(run) needs a stack (MLP.stack); this is a single network")
        if not (0 <= run < self.n_runs):
            raise ValueError(f"run must lie in [0, {self.n_runs - 1}], got run={run!r}")
        return MLP._over(self.sizes, self.activation, self.leaky_slope, self.parameters[run].copy())

    def view(self, run: int) -> "MLP":
        """Run ``run`` of a stack as a single network whose parameters and gradients are views into the
        stack's: what trains the stack trains it, and the other way round."""
        if self.n_runs is None:
            raise ValueError("view(run) needs a stack (MLP.stack); this is a single network")
        return MLP._over(self.sizes, self.activation, self.leaky_slope, self.parameters[run], self.gradients[run])

    def __repr__(self):
        widths = "-".join(str(w) for w in self.sizes)
        runs = "" if self.n_runs is None else f", n_runs={self.n_runs}"
        return f"MLP({widths}, activation={self.activation!r}, n_parameters={self.parameters.shape[-1]}{runs})"

    @property
    def n_inputs(self) -> int:
        return self.sizes[0]

    @property
    def n_outputs(self) -> int:
        return self.sizes[-1]

    # --- passes ---------------------------------------------------------------------------------

    def _check_inputs(self, inputs) -> np.ndarray:
        inputs = np.asarray(inputs, dtype=np.float64)
        if self.n_runs is None:
            if inputs.ndim != 2 or inputs.shape[1] != self.sizes[0]:
                raise ValueError(f"inputs must have shape (n, {self.sizes[0]}), got inputs.shape={inputs.shape}")
        elif inputs.ndim != 3 or inputs.shape[0] != self.n_runs or inputs.shape[2] != self.sizes[0]:
            raise ValueError(
                f"inputs must have shape ({self.n_runs}, n, {self.sizes[0]}), got inputs.shape={inputs.shape}"
            )
        return inputs

    def forward(self, inputs, workspace: Workspace | None = None):
        """Outputs and the cache of every layer.

        Parameters
        ----------
        inputs : array_like, shape (n, n_inputs), or (R, n, n_inputs) for a stack
        workspace : Workspace, optional
            Buffers to write every layer's outputs into (new arrays without one).

        Returns
        -------
        outputs : ndarray, shape (n, n_outputs), or (R, n, n_outputs)
        cache : MLPCache
        """
        hidden = self._check_inputs(inputs)
        if self._one_run is not None:
            outputs, cache = self._one_run._forward(hidden[0], workspace)
            return outputs[None], cache
        return self._forward(hidden, workspace)

    def _forward(self, hidden, workspace):
        layers = self.layers
        if workspace is None:
            caches = []
            for layer in layers:
                hidden, cache = layer.forward(hidden, None)
                caches.append(cache)
            return hidden, MLPCache(tuple(caches))
        scopes = workspace.scopes(len(layers))
        caches = []
        for layer, scope in zip(layers, scopes):
            hidden, cache = layer.forward(hidden, scope)
            caches.append(cache)
        return hidden, MLPCache(tuple(caches))

    def __call__(self, inputs) -> np.ndarray:
        """The outputs alone, shape ``(n, n_outputs)`` (or ``(R, n, n_outputs)``)."""
        return self.forward(inputs)[0]

    def _backward(self, grad, cache: MLPCache, workspace, *, parameters: bool, input_gradient: bool):
        if self._one_run is not None:
            grad = self._one_run._backward(grad[0], cache, workspace, parameters=parameters,
                                           input_gradient=input_gradient)
            return None if grad is None else grad[None]
        layers, caches = self.layers, cache.layers
        scopes = None if workspace is None else workspace.scopes(len(layers))
        for index in range(len(layers) - 1, -1, -1):
            layer, buffers = layers[index], None if scopes is None else scopes[index]
            if index % 2:  # an activation
                grad = layer.backward(grad, caches[index], buffers=buffers)
            elif parameters:
                grad = layer.backward(grad, caches[index], input_gradient=index > 0 or input_gradient, buffers=buffers)
            else:
                grad = layer.backward_inputs(grad, buffers=buffers)
        return grad

    def backward(self, grad_outputs, cache: MLPCache, *, input_gradient: bool = True,
                 workspace: Workspace | None = None):
        """Backpropagate ``grad_outputs`` (shape ``(..., n, n_outputs)``); *add* the parameter gradients to
        ``self.gradients`` and return the gradient with respect to the inputs, shape ``(..., n, n_inputs)``.

        ``input_gradient=False`` skips the input gradient (and returns None): training needs only the
        parameter gradients.
        """
        return self._backward(grad_outputs, cache, workspace, parameters=True, input_gradient=input_gradient)

    def backward_inputs(self, grad_outputs, cache: MLPCache, *, workspace: Workspace | None = None) -> np.ndarray:
        """The gradient with respect to the inputs only; ``self.gradients`` is left untouched."""
        return self._backward(grad_outputs, cache, workspace, parameters=False, input_gradient=True)

    def zero_grad(self):
        """Set every accumulated gradient to 0."""
        self.gradients.fill(0.0)

    def value_and_derivative(self, z):
        r"""For a single 1-input, 1-output network, :math:`G(z)` and :math:`G'(z)` from the backward pass.

        Each output depends on its own input only, so backpropagating a vector of ones gives every
        :math:`G'(z_i)` at once.

        Parameters
        ----------
        z : array_like, shape (n,)

        Returns
        -------
        values, derivatives : ndarray, shape (n,)
        """
        if self.n_runs is not None or self.sizes[0] != 1 or self.sizes[-1] != 1:
            raise ValueError(f"value_and_derivative needs a single 1-input, 1-output network, got {self!r}")
        z = np.asarray(z, dtype=np.float64)
        if z.ndim != 1:
            raise ValueError(f"z must be 1-D, got z.shape={z.shape}")
        outputs, cache = self.forward(z[:, None])
        derivatives = self.backward_inputs(np.ones_like(outputs), cache)
        return outputs[:, 0], derivatives[:, 0]

    def pre_activations(self, inputs) -> list[np.ndarray]:
        """Every hidden layer's pre-activations (the inputs of its activation), in order.

        Parameters
        ----------
        inputs : array_like, shape (n, n_inputs)

        Returns
        -------
        list of ndarray, each of shape (n, width)
        """
        _, cache = self.forward(inputs)
        return [layer_cache.inputs for index, layer_cache in enumerate(cache.layers) if index % 2]

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
        """An independent network (or stack) with the same weights (gradients zero)."""
        return MLP._over(self.sizes, self.activation, self.leaky_slope, self.parameters.copy())

    def set_parameters(self, values):
        """Copy ``values`` (the shape of ``parameters``) into ``self.parameters``."""
        values = np.asarray(values, dtype=np.float64)
        if values.shape != self.parameters.shape:
            raise ValueError(f"values must have shape {self.parameters.shape}, got values.shape={values.shape}")
        self.parameters[...] = values
