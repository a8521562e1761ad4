r"""Batch normalization (Ioffe and Szegedy 2015) over the channels of ``(N, C)`` or ``(N, C, H, W)`` inputs, as a
forward/backward pair and a layer.

Images are float64 arrays in NCHW order: ``(N, C, H, W)``, batch, channels, height, width. Every layer
follows :mod:`ganmath.nn.layers` (forward returns ``(outputs, cache)``, backward takes ``(grad_outputs, cache)``
and *adds* the parameter gradients; ``buffers``, as described in :mod:`ganmath.nn.conv`, keeps the arrays of
a pass between steps).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ganmath._validation import check_in_range, check_positive, check_positive_int
from ganmath.nn.im2col import new_buffer
from ganmath.nn.parameters import Parametrized, check_parameter, parameter_property

__all__ = ["BatchNormCache", "batch_norm_forward", "batch_norm_backward", "BatchNorm"]


# --- batch normalization ------------------------------------------------------------------------


class BatchNormCache(NamedTuple):
    r"""What the backward pass of batch normalization needs.

    ``normalized`` is :math:`\hat x = (x - \mu)/\sqrt{\sigma^2 + \epsilon}` as ``(N, C, S)`` (``S = H W``,
    or 1 for ``(N, C)`` inputs); ``inv_std`` is :math:`1/\sqrt{\sigma^2 + \epsilon}`, ``mean`` and ``var``
    the statistics used (the batch's, ``var`` biased, in training; the given ones in inference), all of
    shape ``(C,)``; ``training`` says which.
    """

    normalized: np.ndarray
    inv_std: np.ndarray
    mean: np.ndarray
    var: np.ndarray
    training: bool


def _as_channels(inputs) -> np.ndarray:
    """``(N, C)`` or ``(N, C, H, W)`` inputs as ``(N, C, S)`` (a view)."""
    if not isinstance(inputs, np.ndarray) or inputs.dtype != np.float64 or inputs.ndim not in (2, 4):
        raise ValueError(f"inputs must be a float64 ndarray of shape (N, C) or (N, C, H, W), got {inputs!r:.80}")
    return inputs.reshape(inputs.shape[0], inputs.shape[1], -1)


def _per_column(values, pixels: int) -> np.ndarray:
    """A per-channel vector ``(C,)`` repeated for the columns of the ``(N, C S)`` view of the inputs.

    Elementwise work runs on that 2-D view, with rows of ``C S`` numbers: numpy is slow over an inner
    axis of 4 pixels (a 2x2 image), which the ``(N, C, S)`` view would give it.
    """
    return values if pixels == 1 else np.repeat(values, pixels)


def batch_norm_forward(inputs, gamma, beta, mean=None, var=None, *, eps: float = 1e-5, buffers=None):
    r"""Batch normalization per channel (Ioffe & Szegedy 2015), for ``(N, C)`` or ``(N, C, H, W)`` inputs.

    .. math:: y = \gamma\,\frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}} + \beta

    In training mode (``mean`` and ``var`` None), :math:`\mu` and :math:`\sigma^2` are the mean and the
    *biased* variance of each channel over the batch and the pixels (``N H W`` values), as torch
    normalizes; the gradient then flows through them. In inference mode they are the given (running)
    statistics, constants. :class:`BatchNorm` keeps the running statistics.

    Parameters
    ----------
    inputs : ndarray, shape (N, C) or (N, C, H, W)
    gamma, beta : ndarray, shape (C,)
    mean, var : ndarray, shape (C,), or None
        Both None for training mode, both given for inference.
    eps : float > 0
    buffers : optional
        As in :func:`ganmath.nn.conv.conv2d_forward`.

    Returns
    -------
    outputs : ndarray, the shape of ``inputs``
    cache : BatchNormCache
    """
    x = _as_channels(inputs)
    n, channels, pixels = x.shape
    if (mean is None) != (var is None):
        raise ValueError("mean and var must be both None (training) or both given (inference)")
    training = mean is None
    count = n * pixels
    if training:
        if count < 2:
            raise ValueError("training-mode batch normalization needs more than one value per channel, "
                             f"got inputs.shape={inputs.shape}")
        mean = np.einsum("ncs->c", x) / count
    centered = np.subtract(x.reshape(n, -1), _per_column(mean, pixels),
                           out=new_buffer(buffers, "normalized", (n, channels * pixels)))
    if training:
        var = np.einsum("nk,nk->k", centered, centered)
        var = (var if pixels == 1 else var.reshape(channels, pixels).sum(axis=1)) / count
    inv_std = 1.0 / np.sqrt(var + eps)
    normalized = np.multiply(centered, _per_column(inv_std, pixels), out=centered)
    outputs = np.multiply(normalized, _per_column(gamma, pixels), out=new_buffer(buffers, "out", normalized.shape))
    outputs += _per_column(beta, pixels)
    cache = BatchNormCache(normalized.reshape(x.shape), inv_std, mean, var, training)
    return outputs.reshape(inputs.shape), cache


def batch_norm_backward(grad_outputs, cache: BatchNormCache, gamma, *, input_gradient: bool = True, buffers=None):
    r"""Gradients of :func:`batch_norm_forward`.

    .. math:: \frac{\partial L}{\partial \beta} = \sum g, \quad
              \frac{\partial L}{\partial \gamma} = \sum g\,\hat x, \quad
              \frac{\partial L}{\partial x} = \frac{\gamma}{\sqrt{\sigma^2 + \epsilon}}
              \Big(g - \frac{1}{m}\frac{\partial L}{\partial \beta}
                     - \frac{\hat x}{m}\frac{\partial L}{\partial \gamma}\Big)

    (sums per channel over its :math:`m = N H W` values; in inference mode the two subtracted terms,
    which come from differentiating the batch statistics, are absent).

    Parameters
    ----------
    grad_outputs : ndarray, the shape of the inputs
    cache : BatchNormCache
    gamma : ndarray, shape (C,)
    input_gradient : bool
        False skips the input gradient (returned as None).
    buffers : optional
        As in :func:`ganmath.nn.conv.conv2d_forward`.

    Returns
    -------
    grad_inputs : ndarray, the shape of ``grad_outputs``, or None
    grad_gamma, grad_beta : ndarray, shape (C,)
    """
    n, channels, pixels = cache.normalized.shape
    g = grad_outputs.reshape(n, channels, pixels)
    grad_beta = np.einsum("ncs->c", g)
    grad_gamma = np.einsum("ncs,ncs->c", g, cache.normalized)
    if not input_gradient:
        return None, grad_gamma, grad_beta
    scale = gamma * cache.inv_std
    g = g.reshape(n, -1)
    out = new_buffer(buffers, "grad_inputs", g.shape)
    if cache.training:
        count = n * pixels
        grad_inputs = np.multiply(cache.normalized.reshape(n, -1), _per_column(-grad_gamma / count, pixels), out=out)
        grad_inputs += g
        grad_inputs -= _per_column(grad_beta / count, pixels)
        grad_inputs *= _per_column(scale, pixels)
    else:
        grad_inputs = np.multiply(g, _per_column(scale, pixels), out=out)
    return grad_inputs.reshape(grad_outputs.shape), grad_gamma, grad_beta


# --- the layer ----------------------------------------------------------------------------------


class BatchNorm(Parametrized):
    r"""Batch normalization over the channels of ``(N, C)`` or ``(N, C, H, W)`` inputs (torch's
    ``BatchNorm1d`` / ``BatchNorm2d``), with its running statistics.

    In training mode (``layer.training = True``, the default) a forward pass normalizes with the batch's
    statistics and updates the running ones as torch does:

    .. math:: \hat\mu \leftarrow (1 - m)\,\hat\mu + m\,\mu_B, \qquad
              \hat\sigma^2 \leftarrow (1 - m)\,\hat\sigma^2 + m\,\frac{M}{M - 1}\,\sigma_B^2

    (the *unbiased* batch variance, :math:`M = N H W` values per channel; the normalization itself uses the
    biased :math:`\sigma_B^2`). With ``training = False`` it normalizes with the running statistics.

    Parameters
    ----------
    num_features : int
        C.
    momentum : float in [0, 1]
        m; torch's default 0.1.
    eps : float > 0
    gamma, beta : ndarray, shape (C,), optional
        Scale and shift (ones and zeros by default), held by reference.
    grad_gamma, grad_beta : ndarray, optional

    Attributes
    ----------
    running_mean, running_var : ndarray, shape (C,)
        Start at 0 and 1, as in torch.
    training : bool
    """

    _names = ("gamma", "beta")
    gamma = parameter_property("gamma")
    beta = parameter_property("beta")

    def __init__(self, num_features: int, *, momentum: float = 0.1, eps: float = 1e-5, gamma=None, beta=None,
                 grad_gamma=None, grad_beta=None):
        self.num_features = check_positive_int("num_features", num_features)
        self.momentum = check_in_range("momentum", momentum, 0.0, 1.0)
        self.eps = check_positive("eps", eps)
        gamma = np.ones(num_features) if gamma is None else check_parameter("gamma", gamma, (num_features,))
        beta = np.zeros(num_features) if beta is None else check_parameter("beta", beta, (num_features,))
        self._hold({"gamma": gamma, "beta": beta}, {"gamma": grad_gamma, "beta": grad_beta})
        self.running_mean = np.zeros(num_features)
        self.running_var = np.ones(num_features)
        self.training = True

    def with_storage(self, values, gradients) -> "BatchNorm":
        layer = BatchNorm(self.num_features, momentum=self.momentum, eps=self.eps, gamma=values[0], beta=values[1],
                          grad_gamma=gradients[0], grad_beta=gradients[1])
        layer.running_mean[...], layer.running_var[...] = self.running_mean, self.running_var
        layer.training = self.training
        return layer

    def __repr__(self):
        mode = "training" if self.training else "inference"
        return f"BatchNorm({self.num_features}, momentum={self.momentum:g}, eps={self.eps:g}, {mode})"

    def forward(self, inputs, buffers=None):
        """``(outputs, BatchNormCache)``; in training mode also updates the running statistics."""
        if inputs.ndim < 2 or inputs.shape[1] != self.num_features:
            raise ValueError(f"inputs must have {self.num_features} channels (axis 1), got inputs.shape={inputs.shape}")
        if not self.training:
            return batch_norm_forward(inputs, self._gamma, self._beta, self.running_mean, self.running_var,
                                      eps=self.eps, buffers=buffers)
        outputs, cache = batch_norm_forward(inputs, self._gamma, self._beta, eps=self.eps, buffers=buffers)
        count = inputs.size // self.num_features
        self.running_mean *= 1.0 - self.momentum
        self.running_mean += self.momentum * cache.mean
        self.running_var *= 1.0 - self.momentum
        self.running_var += (self.momentum * count / (count - 1)) * cache.var
        return outputs, cache

    def backward(self, grad_outputs, cache: BatchNormCache, *, input_gradient: bool = True, buffers=None):
        """Add the gradients of gamma and beta; return the input gradient (None with ``input_gradient=False``)."""
        grad_inputs, grad_gamma, grad_beta = batch_norm_backward(grad_outputs, cache, self._gamma,
                                                                 input_gradient=input_gradient, buffers=buffers)
        self.grad_gamma += grad_gamma
        self.grad_beta += grad_beta
        return grad_inputs

    def backward_inputs(self, grad_outputs, cache: BatchNormCache, buffers=None):
        """The input gradient alone; the parameter gradients are left untouched."""
        # The sums over g and g * x_hat are needed for the input gradient in training mode anyway.
        grad_inputs, _, _ = batch_norm_backward(grad_outputs, cache, self._gamma, buffers=buffers)
        return grad_inputs
