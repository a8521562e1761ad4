r"""A network as layers in a row over one flat parameter vector: the DCGAN's generator and discriminator.

``Sequential([Linear(...), Reshape(64, 2, 2), BatchNorm(64), ReLU(), ConvTranspose2d(...), ...])`` lays
every parameter of the layers into one vector ``parameters`` and their gradients into ``gradients``
(:func:`ganmath.nn.parameters.flat_parameters`), as an :class:`ganmath.nn.mlp.MLP` does: an optimizer of
:mod:`ganmath.nn.optimizers` then trains the whole network, and a gradient check walks one vector.

The passes chain the layers' own forward/backward pairs:

``forward(inputs, workspace=None) -> (outputs, SequentialCache)``
``backward(grad_outputs, cache, input_gradient=True, workspace=None) -> grad_inputs``
    adds (``+=``) every parameter gradient, so that a real and a fake batch through the discriminator sum
    their gradients;
``backward_inputs(grad_outputs, cache, workspace=None) -> grad_inputs``
    the input gradient alone, parameter gradients untouched: what the generator's step needs from the
    discriminator.

A :class:`ganmath.nn.mlp.Workspace` given to a pass holds every layer's arrays (``workspace.scope(i)`` for
layer ``i``), the same buffers at every step; the cache is valid until the next pass into that workspace.
Without one every array is new; the numbers are the same, bit for bit.

Batch normalization's running statistics are state, not parameters: :meth:`Sequential.running_statistics`
gives them as one vector (for saving), and :attr:`Sequential.training` switches every
:class:`ganmath.nn.batchnorm.BatchNorm` between batch statistics (training) and running statistics.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ganmath.nn.batchnorm import BatchNorm
from ganmath.nn.layers import Linear
from ganmath.nn.parameters import flat_parameters

__all__ = ["Sequential", "SequentialCache", "has_parameters"]


class SequentialCache(NamedTuple):
    """The caches of every layer of one forward pass, in order."""

    layers: tuple


def has_parameters(layer) -> bool:
    """Whether ``layer`` holds parameters (a ``Linear``, ``Conv2d``, ``ConvTranspose2d`` or ``BatchNorm``)."""
    return isinstance(layer, Linear) or hasattr(layer, "named_parameters")


class Sequential:
    """Layers applied in order, their parameters in one flat vector.

    Parameters
    ----------
    layers : sequence of layers
        Layers of :mod:`ganmath.nn.conv`, :mod:`ganmath.nn.batchnorm`, :mod:`ganmath.nn.resample` and
        :mod:`ganmath.nn.layers`, each with ``forward(inputs, buffers)`` and ``backward(grad, cache, ..., buffers)``. The parameters are copied into the flat vectors; the
        layers given are not modified.

    Attributes
    ----------
    layers : list
        The layers, those with parameters holding views into ``parameters`` and ``gradients``.
    parameters, gradients : ndarray, shape (n_parameters,)
    """

    def __init__(self, layers):
        layers = list(layers)
        if not layers:
            raise ValueError("layers must hold at least one layer, got an empty sequence")
        for index, layer in enumerate(layers):
            if not (callable(getattr(layer, "forward", None)) and callable(getattr(layer, "backward", None))):
                raise TypeError(f"layers[{index}] must be a layer with forward and backward, got {layer!r}")
        self.layers, self.parameters, self.gradients = flat_parameters(layers)
        # The earliest layer with parameters: a backward pass without the input gradient stops there.
        self._first_parametrized = next((i for i, layer in enumerate(self.layers) if has_parameters(layer)),
                                        len(self.layers))

    def __repr__(self):
        inner = ", ".join(repr(layer) for layer in self.layers)
        return f"Sequential([{inner}], n_parameters={self.n_parameters})"

    @property
    def n_parameters(self) -> int:
        return self.parameters.size

    @property
    def batch_norm_layers(self) -> list:
        return [layer for layer in self.layers if isinstance(layer, BatchNorm)]

    @property
    def training(self) -> bool:
        """True when batch normalization uses the batch's statistics (and updates the running ones)."""
        layers = self.batch_norm_layers
        return layers[0].training if layers else True

    @training.setter
    def training(self, value: bool):
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"training must be a bool, got training={value!r}")
        for layer in self.batch_norm_layers:
            layer.training = bool(value)

    def zero_grad(self):
        self.gradients.fill(0.0)

    def set_parameters(self, values):
        """Copy ``values`` (shape ``(n_parameters,)``) into the parameter vector."""
        values = np.asarray(values, dtype=np.float64)
        if values.shape != self.parameters.shape:
            raise ValueError(f"values must have shape {self.parameters.shape}, got values.shape={values.shape}")
        self.parameters[...] = values

    def running_statistics(self) -> np.ndarray:
        """Every batch normalization layer's running mean and variance, in order, as one vector (a copy)."""
        parts = [part for layer in self.batch_norm_layers for part in (layer.running_mean, layer.running_var)]
        return np.concatenate(parts) if parts else np.empty(0)

    def set_running_statistics(self, values):
        """Copy ``values`` (as from :meth:`running_statistics`) into the batch normalization layers."""
        values = np.asarray(values, dtype=np.float64)
        expected = sum(2 * layer.num_features for layer in self.batch_norm_layers)
        if values.shape != (expected,):
            raise ValueError(f"values must have shape ({expected},), got values.shape={values.shape}")
        start = 0
        for layer in self.batch_norm_layers:
            for array in (layer.running_mean, layer.running_var):
                array[...] = values[start:start + array.size]
                start += array.size

    def forward(self, inputs, workspace=None):
        """``(outputs, SequentialCache)``: the layers applied in order to ``inputs``."""
        caches = []
        for index, layer in enumerate(self.layers):
            inputs, cache = layer.forward(inputs, None if workspace is None else workspace.scope(index))
            caches.append(cache)
        return inputs, SequentialCache(tuple(caches))

    def backward(self, grad_outputs, cache: SequentialCache, *, input_gradient: bool = True, workspace=None):
        """Add every parameter gradient to ``gradients``; return the input gradient (None with
        ``input_gradient=False``, which stops at the first layer with parameters)."""
        grad = grad_outputs
        stop = 0 if input_gradient else self._first_parametrized
        for index in range(len(self.layers) - 1, stop - 1, -1):
            layer, buffers = self.layers[index], None if workspace is None else workspace.scope(index)
            needed = index > stop or input_gradient
            if has_parameters(layer):
                grad = layer.backward(grad, cache.layers[index], input_gradient=needed, buffers=buffers)
            else:
                grad = layer.backward(grad, cache.layers[index], buffers=buffers)
        return grad if input_gradient else None

    def backward_inputs(self, grad_outputs, cache: SequentialCache, workspace=None):
        """The input gradient alone; the parameter gradients are left untouched."""
        grad = grad_outputs
        for index in range(len(self.layers) - 1, -1, -1):
            buffers = None if workspace is None else workspace.scope(index)
            grad = self.layers[index].backward_inputs(grad, cache.layers[index], buffers=buffers)
        return grad
