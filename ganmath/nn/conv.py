r"""Convolution and transposed convolution for a small convolutional GAN, as forward/backward pairs and layers.

The other image layers are in :mod:`ganmath.nn.batchnorm` (batch normalization) and :mod:`ganmath.nn.resample`
(average pooling, nearest-neighbour upsampling, reshaping); the index maps the convolutions are built on in
:mod:`ganmath.nn.im2col`, and the flat parameter vector of a network in :mod:`ganmath.nn.parameters`.

Images are float64 arrays in NCHW order: ``(N, C, H, W)``, batch, channels, height, width. Every layer
follows :mod:`ganmath.nn.layers`:

``forward(inputs, buffers=None) -> (outputs, cache)``
    ``cache`` is a small named tuple holding what the backward pass needs.
``backward(grad_outputs, cache, buffers=None) -> grad_inputs``
    and a layer with parameters *adds* (``+=``) their gradients to its gradient arrays, so that a real
    and a fake batch through the discriminator sum their gradients. ``backward(..., input_gradient=False)``
    skips the input gradient (a network's first layer), ``backward_inputs`` computes it alone (the
    generator's step needs it from the discriminator, not the discriminator's own gradients).

``buffers`` is optional, as in :mod:`ganmath.nn.layers`: a :meth:`ganmath.nn.mlp.Workspace.scope` (any
object with ``get(name, shape)``) in which a layer keeps its outputs, its cache and its temporaries, the
same arrays at every step. A training loop passes one per layer and per pass whose cache must survive
(D on the real batch, D on the fake batch, G); the cache is valid until the next pass into the same
buffers. Without buffers every array is new: same numbers, bit for bit. The buffers are there because
the arrays of an image batch are large (a 64-image batch of 32 channels at 8x8 is 1 MB): freed and
allocated afresh at every step, glibc hands them back to the system and page-faults them in again. One
iteration of the DCGAN of ``benchmarks/bench_conv_layers.py`` measured 13.3 ms without buffers and
9.6 ms with them (24 and 19 ms for its pooling variant), and the times without depend on the state of
the allocator (importing torch alone changed them).

The pure math is in the functions (``conv2d_forward`` / ``conv2d_backward``, ...), which return the
parameter gradients instead of adding them; the classes hold the parameters and their gradients. The
activations of :mod:`ganmath.nn.layers` (``ReLU``, ``LeakyReLU``, ``Tanh``) are elementwise and take
arrays of any shape, images included; they are not repeated here.

Both convolutions are one matrix product each way, with :func:`ganmath.nn.im2col.im2col` and its adjoint
:func:`ganmath.nn.im2col.col2im` (the derivation is in :mod:`ganmath.nn.im2col`):

* ``conv2d``: forward ``W @ im2col(x)``; backward :math:`\partial L/\partial W = G X^\top`,
  :math:`\partial L/\partial x = \mathrm{col2im}(W^\top G)`;
* ``conv_transpose2d`` is the adjoint of ``conv2d`` (its forward is conv2d's input gradient):
  forward ``col2im(W^T @ x)``; backward :math:`\partial L/\partial x = W\,\mathrm{im2col}(G)` (conv2d's
  forward) and :math:`\partial L/\partial W = x\,\mathrm{im2col}(G)^\top`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ganmath._validation import check_positive_int, check_rng
from ganmath.nn.im2col import (
    ConvPlan,
    check_images,
    check_pair,
    conv_plan,
    conv_transpose_output_size,
    new_buffer,
    transpose_into,
)
from ganmath.nn.parameters import Parametrized, check_parameter, parameter_property

__all__ = [
    "ConvCache",
    "ConvTransposeCache",
    "conv2d_forward",
    "conv2d_backward",
    "conv2d_backward_inputs",
    "conv_transpose2d_forward",
    "conv_transpose2d_backward",
    "conv_transpose2d_backward_inputs",
    "Conv2d",
    "ConvTranspose2d",
]


# --- conv2d -------------------------------------------------------------------------------------


class ConvCache(NamedTuple):
    """What the backward pass of a convolution needs: the columns matrix of its inputs, batch innermost,
    shape ``(C_in kh kw, Ho Wo N)``, and the geometry (its index arrays) that made it."""

    columns: np.ndarray
    plan: ConvPlan


def _check_weight(weight, bias, in_channels_axis: int):
    if not isinstance(weight, np.ndarray) or weight.dtype != np.float64 or weight.ndim != 4:
        raise TypeError(f"weight must be a 4-D float64 ndarray, got weight={weight!r:.80}")
    out_channels = weight.shape[1 - in_channels_axis]
    if bias is not None and (not isinstance(bias, np.ndarray) or bias.shape != (out_channels,)):
        raise ValueError(f"bias must be a float64 ndarray of shape ({out_channels},), got bias={bias!r:.80}")


def _batch_first(matrix, n, channels, height, width, buffers, name, bias=None) -> np.ndarray:
    """The matrix ``(C, H W N)`` as images ``(N, C, H, W)`` (a copy), plus ``bias[c]`` when given."""
    out = new_buffer(buffers, name, (n, channels, height, width))
    add = None if bias is None else np.repeat(bias, height * width)
    transpose_into(matrix.reshape(-1, n), out.reshape(n, -1), buffers, name + ".staging", add=add)
    return out


def _batch_last(images, buffers, name) -> np.ndarray:
    """Images ``(N, C, H, W)`` as the matrix ``(C, H W N)`` (a copy)."""
    n, channels = images.shape[:2]
    out = new_buffer(buffers, name, (channels, images.size // channels))
    transpose_into(images.reshape(n, -1), out.reshape(-1, n), buffers, name + ".staging")
    return out


def conv2d_forward(inputs, weight, bias, stride=1, padding=0, *, buffers=None):
    r"""Two-dimensional convolution (cross-correlation, as in torch) with zero padding.

    .. math:: y_{n,o,i,j} = b_o + \sum_{c,a,b} W_{o,c,a,b}\; x_{n,\,c,\,s_h i + a - p_h,\,s_w j + b - p_w}

    Parameters
    ----------
    inputs : ndarray, shape (N, C_in, H, W)
    weight : ndarray, shape (C_out, C_in, kh, kw)
    bias : ndarray, shape (C_out,), or None
    stride, padding : int or (int, int)
    buffers : optional
        Where to keep the outputs, the cache and the temporaries (a :meth:`ganmath.nn.mlp.Workspace.scope`);
        new arrays without it. See the module's docstring.

    Returns
    -------
    outputs : ndarray, shape (N, C_out, Ho, Wo), with :math:`H_o = \lfloor (H + 2p_h - k_h)/s_h \rfloor + 1`
    cache : ConvCache
    """
    _check_weight(weight, bias, 1)
    inputs = check_images("inputs", inputs, weight.shape[1])
    stride, padding = check_pair("stride", stride), check_pair("padding", padding, allow_zero=True)
    plan = conv_plan(inputs.shape[1:], weight.shape[2:], stride, padding)
    n, out_channels = inputs.shape[0], weight.shape[0]
    columns = plan.unfold(inputs, buffers)
    products = np.dot(weight.reshape(out_channels, -1), columns,
                      out=new_buffer(buffers, "products", (out_channels, columns.shape[1])))
    outputs = _batch_first(products, n, out_channels, *plan.output_size, buffers, "out", bias=bias)
    return outputs, ConvCache(columns, plan)


def conv2d_backward(grad_outputs, cache: ConvCache, weight, *, input_gradient: bool = True, buffers=None):
    r"""Gradients of :func:`conv2d_forward`.

    .. math:: \frac{\partial L}{\partial W} = G X^\top, \quad
              \frac{\partial L}{\partial b_o} = \sum_{n,i,j} G_{o,(n,i,j)}, \quad
              \frac{\partial L}{\partial x} = \mathrm{col2im}(W^\top G),
              \qquad G = \partial L/\partial y \text{ as a matrix } (C_\mathrm{out},\ N H_o W_o)

    Parameters
    ----------
    grad_outputs : ndarray, shape (N, C_out, Ho, Wo)
    cache : ConvCache
    weight : ndarray, shape (C_out, C_in, kh, kw)
    input_gradient : bool
        False skips the input gradient (returned as None).
    buffers : optional
        As in :func:`ganmath.nn.conv.conv2d_forward`.

    Returns
    -------
    grad_inputs : ndarray, shape (N, C_in, H, W), or None
    grad_weight : ndarray, shape (C_out, C_in, kh, kw)
    grad_bias : ndarray, shape (C_out,)
    """
    grad_matrix = _batch_last(grad_outputs, buffers, "grad_matrix")
    grad_weight = np.dot(grad_matrix, cache.columns.T,
                         out=new_buffer(buffers, "grad_weight", (weight.shape[0], cache.columns.shape[0])))
    grad_bias = grad_matrix.sum(axis=1)
    grad_inputs = _conv2d_input_gradient(grad_matrix, cache.plan, weight, buffers) if input_gradient else None
    return grad_inputs, grad_weight.reshape(weight.shape), grad_bias


def conv2d_backward_inputs(grad_outputs, cache: ConvCache, weight, *, buffers=None) -> np.ndarray:
    r"""The input gradient :math:`\mathrm{col2im}(W^\top G)` of a convolution alone, shape ``(N, C_in, H, W)``."""
    return _conv2d_input_gradient(_batch_last(grad_outputs, buffers, "grad_matrix"), cache.plan, weight, buffers)


def _conv2d_input_gradient(grad_matrix, plan: ConvPlan, weight, buffers) -> np.ndarray:
    n = grad_matrix.shape[1] // plan.n_positions
    buffer, columns = plan.columns_buffer(n, buffers, "grad_columns")
    np.dot(weight.reshape(weight.shape[0], -1).T, grad_matrix, out=columns)
    return plan.fold(buffer, buffers, "grad_inputs")


# --- conv_transpose2d ---------------------------------------------------------------------------


class ConvTransposeCache(NamedTuple):
    """What the backward pass of a transposed convolution needs: its inputs as the matrix
    ``(C_in, H W N)`` (batch innermost) and the geometry of the convolution it is the adjoint of."""

    input_matrix: np.ndarray
    plan: ConvPlan


def conv_transpose2d_forward(inputs, weight, bias, stride=1, padding=0, output_padding=0, *, buffers=None):
    r"""Transposed convolution: the adjoint of :func:`conv2d_forward` (torch's ``conv_transpose2d``).

    Each input pixel spreads :math:`x_{n,c,i,j} W_{c,o,\cdot,\cdot}` over the output window starting at
    :math:`(s_h i - p_h, s_w j - p_w)`, and overlapping windows add:

    .. math:: y = b + \mathrm{col2im}(W^\top x), \qquad
              H_o = (H - 1) s_h - 2 p_h + k_h + p^\mathrm{out}_h

    so that ``conv_transpose2d(x, W)`` (no bias) is the input gradient of ``conv2d(., W)`` at output
    gradient ``x``. ``kernel 4, stride 2, padding 1`` doubles the size (4x4 to 8x8).

    Parameters
    ----------
    inputs : ndarray, shape (N, C_in, H, W)
    weight : ndarray, shape (C_in, C_out, kh, kw), torch's layout
    bias : ndarray, shape (C_out,), or None
    stride, padding : int or (int, int)
    output_padding : int or (int, int)
        Extra rows and columns at the bottom and right, each less than the stride.
    buffers : optional
        As in :func:`ganmath.nn.conv.conv2d_forward`.

    Returns
    -------
    outputs : ndarray, shape (N, C_out, Ho, Wo)
    cache : ConvTransposeCache
    """
    _check_weight(weight, bias, 0)
    inputs = check_images("inputs", inputs, weight.shape[0])
    stride, padding = check_pair("stride", stride), check_pair("padding", padding, allow_zero=True)
    output_padding = check_pair("output_padding", output_padding, allow_zero=True)
    if output_padding[0] >= stride[0] or output_padding[1] >= stride[1]:
        raise ValueError(
            f"output_padding must be smaller than the stride {stride}, got output_padding={output_padding}"
        )
    n, in_channels, height, width = inputs.shape
    out_channels = weight.shape[1]
    output_size = tuple(conv_transpose_output_size(*args)
                        for args in zip((height, width), weight.shape[2:], stride, padding, output_padding))
    if min(output_size) < 1:
        raise ValueError(f"inputs of {height}x{width} give an empty output {output_size} with this geometry")
    plan = conv_plan((out_channels,) + output_size, weight.shape[2:], stride, padding)
    input_matrix = _batch_last(inputs, buffers, "input_matrix")
    buffer, columns = plan.columns_buffer(n, buffers)
    np.dot(weight.reshape(in_channels, -1).T, input_matrix, out=columns)
    return plan.fold(buffer, buffers, bias=bias), ConvTransposeCache(input_matrix, plan)


def conv_transpose2d_backward(grad_outputs, cache: ConvTransposeCache, weight, *, input_gradient: bool = True,
                              buffers=None):
    r"""Gradients of :func:`conv_transpose2d_forward`, through the forward pass of conv2d.

    .. math:: \Gamma = \mathrm{im2col}(\partial L/\partial y), \quad
              \frac{\partial L}{\partial W} = X \Gamma^\top, \quad
              \frac{\partial L}{\partial x} = W \Gamma, \quad
              \frac{\partial L}{\partial b_o} = \sum_{n,i,j} \frac{\partial L}{\partial y_{n,o,i,j}}

    with :math:`X` the inputs as the matrix ``(C_in, H W N)``; :math:`W \Gamma` is conv2d's forward
    pass of the output gradient with the same weights.

    Parameters
    ----------
    grad_outputs : ndarray, shape (N, C_out, Ho, Wo)
    cache : ConvTransposeCache
    weight : ndarray, shape (C_in, C_out, kh, kw)
    input_gradient : bool
        False skips the input gradient (returned as None).
    buffers : optional
        As in :func:`ganmath.nn.conv.conv2d_forward`.

    Returns
    -------
    grad_inputs : ndarray, shape (N, C_in, H, W), or None
    grad_weight : ndarray, shape (C_in, C_out, kh, kw)
    grad_bias : ndarray, shape (C_out,)
    """
    grad_columns = cache.plan.unfold(grad_outputs, buffers, "grad_columns")
    grad_weight = np.dot(cache.input_matrix, grad_columns.T,
                         out=new_buffer(buffers, "grad_weight", (weight.shape[0], grad_columns.shape[0])))
    grad_bias = np.einsum("ncs->c", grad_outputs.reshape(grad_outputs.shape[0], grad_outputs.shape[1], -1))
    grad_inputs = (_conv_transpose2d_input_gradient(grad_columns, cache.plan, weight, buffers)
                   if input_gradient else None)
    return grad_inputs, grad_weight.reshape(weight.shape), grad_bias


def conv_transpose2d_backward_inputs(grad_outputs, cache: ConvTransposeCache, weight, *, buffers=None) -> np.ndarray:
    r"""The input gradient :math:`W\,\mathrm{im2col}(\partial L/\partial y)` alone, shape ``(N, C_in, H, W)``."""
    grad_columns = cache.plan.unfold(grad_outputs, buffers, "grad_columns")
    return _conv_transpose2d_input_gradient(grad_columns, cache.plan, weight, buffers)


def _conv_transpose2d_input_gradient(grad_columns, plan: ConvPlan, weight, buffers) -> np.ndarray:
    in_channels = weight.shape[0]
    products = np.dot(weight.reshape(in_channels, -1), grad_columns,
                      out=new_buffer(buffers, "grad_matrix", (in_channels, grad_columns.shape[1])))
    n = grad_columns.shape[1] // plan.n_positions
    return _batch_first(products, n, in_channels, *plan.output_size, buffers, "grad_inputs")


# --- the layers --------------------------------------------------------------------------------


class Conv2d(Parametrized):
    r"""A convolution layer holding its weight and bias and their accumulated gradients.

    The arrays are kept by reference, not copied, so they may be views into one flat parameter
    vector (:func:`ganmath.nn.parameters.flat_parameters`). Assigning ``layer.weight = values`` copies into the array.

    Parameters
    ----------
    weight : ndarray, shape (C_out, C_in, kh, kw), float64
    bias : ndarray, shape (C_out,), float64
    grad_weight, grad_bias : ndarray, optional
        Gradient accumulators of the same shapes; new zero arrays by default.
    stride, padding : int or (int, int)
    """

    _names = ("weight", "bias")
    weight = parameter_property("weight")
    bias = parameter_property("bias")

    def __init__(self, weight, bias, grad_weight=None, grad_bias=None, *, stride=1, padding=0):
        check_parameter("weight", weight, None)
        if weight.ndim != 4:
            raise ValueError(f"weight must have shape (C_out, C_in, kh, kw), got weight.shape={weight.shape}")
        check_parameter("bias", bias, weight.shape[:1])
        self._hold({"weight": weight, "bias": bias}, {"weight": grad_weight, "bias": grad_bias})
        self.stride, self.padding = check_pair("stride", stride), check_pair("padding", padding, allow_zero=True)

    @classmethod
    def random(cls, in_channels: int, out_channels: int, kernel_size, rng, *, stride=1, padding=0) -> "Conv2d":
        r"""A layer with weights and bias drawn uniformly in :math:`\pm 1/\sqrt{C_\mathrm{in} k_h k_w}` from ``rng``
        (the scale of torch's default; the DCGAN paper's :math:`N(0, 0.02^2)` can be assigned to ``weight``)."""
        rng = check_rng(rng)
        kernel = check_pair("kernel_size", kernel_size)
        out_channels = check_positive_int("out_channels", out_channels)
        in_channels = check_positive_int("in_channels", in_channels)
        shape = (out_channels, in_channels) + kernel
        bound = 1.0 / np.sqrt(in_channels * kernel[0] * kernel[1])
        weight = rng.uniform(-bound, bound, size=shape)
        return cls(weight, rng.uniform(-bound, bound, size=out_channels), stride=stride, padding=padding)

    def with_storage(self, values, gradients) -> "Conv2d":
        return Conv2d(*values, *gradients, stride=self.stride, padding=self.padding)

    def __repr__(self):
        out_channels, in_channels, kernel_h, kernel_w = self._weight.shape
        return (f"Conv2d({in_channels} -> {out_channels}, kernel={kernel_h}x{kernel_w}, "
                f"stride={self.stride}, padding={self.padding})")

    def forward(self, inputs, buffers=None):
        """``(outputs, ConvCache)``: inputs ``(N, C_in, H, W)``, outputs ``(N, C_out, Ho, Wo)``."""
        return conv2d_forward(inputs, self._weight, self._bias, self.stride, self.padding, buffers=buffers)

    def backward(self, grad_outputs, cache: ConvCache, *, input_gradient: bool = True, buffers=None):
        """Add the weight and bias gradients to ``grad_weight``, ``grad_bias``; return the input gradient
        (None with ``input_gradient=False``)."""
        grad_inputs, grad_weight, grad_bias = conv2d_backward(
            grad_outputs, cache, self._weight, input_gradient=input_gradient, buffers=buffers
        )
        self.grad_weight += grad_weight
        self.grad_bias += grad_bias
        return grad_inputs

    def backward_inputs(self, grad_outputs, cache: ConvCache, buffers=None):
        """The input gradient alone; the parameter gradients are left untouched."""
        return conv2d_backward_inputs(grad_outputs, cache, self._weight, buffers=buffers)


class ConvTranspose2d(Parametrized):
    r"""A transposed convolution layer (the adjoint of :class:`Conv2d`) holding its weight and bias.

    Parameters
    ----------
    weight : ndarray, shape (C_in, C_out, kh, kw), float64 (torch's layout)
    bias : ndarray, shape (C_out,), float64
    grad_weight, grad_bias : ndarray, optional
    stride, padding, output_padding : int or (int, int)
    """

    _names = ("weight", "bias")
    weight = parameter_property("weight")
    bias = parameter_property("bias")

    def __init__(self, weight, bias, grad_weight=None, grad_bias=None, *, stride=1, padding=0, output_padding=0):
        check_parameter("weight", weight, None)
        if weight.ndim != 4:
            raise ValueError(f"weight must have shape (C_in, C_out, kh, kw), got weight.shape={weight.shape}")
        check_parameter("bias", bias, weight.shape[1:2])
        self._hold({"weight": weight, "bias": bias}, {"weight": grad_weight, "bias": grad_bias})
        self.stride, self.padding = check_pair("stride", stride), check_pair("padding", padding, allow_zero=True)
        self.output_padding = check_pair("output_padding", output_padding, allow_zero=True)

    @classmethod
    def random(cls, in_channels: int, out_channels: int, kernel_size, rng, *, stride=1, padding=0,
               output_padding=0) -> "ConvTranspose2d":
        r"""A layer with weights and bias drawn uniformly in :math:`\pm 1/\sqrt{C_\mathrm{in} k_h k_w}` from ``rng``."""
        rng = check_rng(rng)
        kernel = check_pair("kernel_size", kernel_size)
        in_channels = check_positive_int("in_channels", in_channels)
        out_channels = check_positive_int("out_channels", out_channels)
        shape = (in_channels, out_channels) + kernel
        bound = 1.0 / np.sqrt(in_channels * kernel[0] * kernel[1])
        weight = rng.uniform(-bound, bound, size=shape)
        return cls(weight, rng.uniform(-bound, bound, size=out_channels), stride=stride, padding=padding,
                   output_padding=output_padding)

    def with_storage(self, values, gradients) -> "ConvTranspose2d":
        return ConvTranspose2d(*values, *gradients, stride=self.stride, padding=self.padding,
                               output_padding=self.output_padding)

    def __repr__(self):
        in_channels, out_channels, kernel_h, kernel_w = self._weight.shape
        return (f"ConvTranspose2d({in_channels} -> {out_channels}, kernel={kernel_h}x{kernel_w}, "
                f"stride={self.stride}, padding={self.padding}, output_padding={self.output_padding})")

    def forward(self, inputs, buffers=None):
        """``(outputs, ConvTransposeCache)``: inputs ``(N, C_in, H, W)``, outputs ``(N, C_out, Ho, Wo)``."""
        return conv_transpose2d_forward(inputs, self._weight, self._bias, self.stride, self.padding,
                                        self.output_padding, buffers=buffers)

    def backward(self, grad_outputs, cache: ConvTransposeCache, *, input_gradient: bool = True, buffers=None):
        """Add the weight and bias gradients; return the input gradient (None with ``input_gradient=False``)."""
        grad_inputs, grad_weight, grad_bias = conv_transpose2d_backward(
            grad_outputs, cache, self._weight, input_gradient=input_gradient, buffers=buffers
        )
        self.grad_weight += grad_weight
        self.grad_bias += grad_bias
        return grad_inputs

    def backward_inputs(self, grad_outputs, cache: ConvTransposeCache, buffers=None):
        """The input gradient alone; the parameter gradients are left untouched."""
        return conv_transpose2d_backward_inputs(grad_outputs, cache, self._weight, buffers=buffers)
