r"""Parameters held by reference, and one flat vector for a network's layers.

A layer class takes its parameter and gradient arrays by reference, like :class:`ganmath.nn.layers.Linear`,
and lists them with ``named_parameters() -> [(name, value, gradient), ...]``, like
:class:`ganmath.nn.mlp.MLP`. :func:`flat_parameters` lays the parameters of a list of layers (these and
``Linear``) into one flat vector and their gradients into another, the layers holding views into them,
as an ``MLP`` does: :class:`ganmath.nn.optimizers.SGD` and ``Adam`` then update a whole convolutional
network in three vector operations, and a gradient check walks one vector. This is the MLP's choice
rather than a list of arrays per layer, because the optimizers take one array. Batch normalization's
running statistics are state, not parameters: they stay in the layer and no optimizer touches them.
"""

from __future__ import annotations

import numpy as np

from ganmath.nn.layers import Linear

__all__ = ["check_parameter", "Parametrized", "parameter_property", "flat_parameters"]


def check_parameter(name: str, array, shape) -> np.ndarray:
    if not isinstance(array, np.ndarray) or array.dtype != np.float64:
        raise TypeError(f"{name} must be a float64 ndarray, got {name}={array!r:.80}")
    if shape is not None and array.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}, got {name}.shape={array.shape}")
    return array


class Parametrized:
    """What layers with parameters share: arrays held by reference, their gradients beside them.

    ``_names`` lists the parameter attributes; parameter ``name`` is stored as ``_name`` (assigning
    ``layer.name = values`` copies into it) and its gradient as ``grad_name``.
    """

    _names: tuple = ()

    def _hold(self, values: dict, gradients: dict):
        for name, value in values.items():
            setattr(self, "_" + name, check_parameter(name, value, None))
            gradient = gradients.get(name)
            if gradient is None:
                gradient = np.zeros_like(value)
            check_parameter(f"grad_{name}", gradient, value.shape)
            setattr(self, "grad_" + name, gradient)

    def named_parameters(self):
        """``[(name, value, gradient), ...]`` for every parameter; the arrays are the layer's own."""
        return [(name, getattr(self, "_" + name), getattr(self, "grad_" + name)) for name in self._names]

    def with_storage(self, values, gradients):
        """The same layer holding ``values`` and ``gradients`` (lists in the order of
        :meth:`named_parameters`, e.g. views into flat vectors) as its parameters and gradients."""
        raise NotImplementedError

    def zero_grad(self):
        for _, _, gradient in self.named_parameters():
            gradient.fill(0.0)

    @property
    def n_parameters(self) -> int:
        return sum(value.size for _, value, _ in self.named_parameters())


def parameter_property(name: str):
    def getter(self):
        return getattr(self, "_" + name)

    def setter(self, values):
        getattr(self, "_" + name)[...] = values

    return property(getter, setter, doc=f"The {name} array (assignment copies into it).")


# --- one flat parameter vector ------------------------------------------------------------------


def _parameters_of(layer):
    """``(values, gradients)`` of a layer, empty lists for one without parameters."""
    if isinstance(layer, Linear):
        return [layer.weight, layer.bias], [layer.grad_weight, layer.grad_bias]
    if isinstance(layer, Parametrized):
        named = layer.named_parameters()
        return [value for _, value, _ in named], [gradient for _, _, gradient in named]
    return [], []


def flat_parameters(layers):
    """The layers laid over one flat parameter vector and one flat gradient vector, as in an ``MLP``.

    Every parameter of ``layers`` (:class:`ganmath.nn.conv.Conv2d`, :class:`ganmath.nn.conv.ConvTranspose2d`,
    :class:`ganmath.nn.batchnorm.BatchNorm` and
    :class:`ganmath.nn.layers.Linear`) is copied, in order, into ``parameters`` and its gradient into
    ``gradients``; the returned layers hold views into them, so that an optimizer stepping
    ``parameters`` trains every layer. Layers without parameters are returned as they are.

    Parameters
    ----------
    layers : sequence of layers

    Returns
    -------
    layers : list
        New layer objects for those with parameters (running statistics copied), the others unchanged.
    parameters, gradients : ndarray, shape (P,)
    """
    layers = list(layers)
    held = [_parameters_of(layer) for layer in layers]
    total = sum(value.size for values, _ in held for value in values)
    parameters, gradients = np.empty(total), np.empty(total)
    rebuilt, start = [], 0
    for layer, (values, grads) in zip(layers, held):
        if not values:
            rebuilt.append(layer)
            continue
        value_views, gradient_views = [], []
        for value, grad in zip(values, grads):
            stop = start + value.size
            value_views.append(parameters[start:stop].reshape(value.shape))
            gradient_views.append(gradients[start:stop].reshape(value.shape))
            value_views[-1][...], gradient_views[-1][...] = value, grad
            start = stop
        if isinstance(layer, Linear):
            rebuilt.append(Linear(*value_views, *gradient_views))
        else:
            rebuilt.append(layer.with_storage(value_views, gradient_views))
    return rebuilt, parameters, gradients
