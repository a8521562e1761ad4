r"""Image layers for a small convolutional GAN: convolution, transposed convolution, batch normalization,
average pooling, nearest-neighbour upsampling and a reshape, as forward/backward pairs.

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

Convolution as a matrix product
-------------------------------
A convolution with kernel :math:`k_h \times k_w`, stride :math:`s` and zero padding :math:`p` reads, for
output pixel :math:`(i, j)`, the input pixels :math:`(s i + a - p,\ s j + b - p)`. :func:`im2col` gathers
them into the columns matrix

.. math:: X_{(c, a, b),\,(n, i, j)} = x_{n,\,c,\,s i + a - p,\,s j + b - p}
          \quad (0 \text{ in the padding}), \qquad \text{shape } (C k_h k_w,\ N H_o W_o),

and the convolution is one matrix product :math:`y_{o,(n,i,j)} = \sum_{(c,a,b)} W_{o,(c,a,b)} X_{(c,a,b),(n,i,j)}
+ b_o`. Its adjoint :func:`col2im` sums every column entry back onto the pixel it was read from. So

* ``conv2d``: forward ``W @ im2col(x)``; backward :math:`\partial L/\partial W = G X^\top`,
  :math:`\partial L/\partial x = \mathrm{col2im}(W^\top G)`;
* ``conv_transpose2d`` is the adjoint of ``conv2d`` (its forward is conv2d's input gradient):
  forward ``col2im(W^T @ x)``; backward :math:`\partial L/\partial x = W\,\mathrm{im2col}(G)` (conv2d's
  forward) and :math:`\partial L/\partial W = x\,\mathrm{im2col}(G)^\top`.

Both moves are ``np.take`` with index arrays computed once per geometry (image size, kernel, stride,
padding) and kept. The layers hold the columns with the batch axis innermost, as the matrix
``(C kh kw, Ho Wo N)``, and the images as the matrix ``(C H W, N)`` of their pixels: an index then
picks a whole row of N numbers, so the index arrays are those of a single image (a few thousand
entries, whatever the batch size) and every gather copies runs of N contiguous numbers. ``im2col``
gathers the pixel rows (a row of zeros appended for the padding); ``col2im`` is the same map inverted:
for each pixel, its first, second, ... reader among the column rows (at most ``m`` of them, 4 for a 4x4
kernel at stride 2; a row of zeros appended for pixels with fewer), gathered and summed, ``m`` numpy
calls. No Python loop runs over pixels, nothing is scattered with ``np.add.at``, and the summation order
is fixed, so the same inputs give the same bits. The matrix products are single BLAS calls over the
whole batch (a product per image would be 64 small calls), and the only other work is one transpose
between ``(N, C H W)`` and ``(C H W, N)`` on each side of a layer.

Parameters and gradients
------------------------
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

import functools
from typing import NamedTuple

import numpy as np

from ganmath._validation import check_in_range, check_positive, check_positive_int, check_rng
from ganmath.nn.layers import Linear

__all__ = [
    "ConvCache",
    "ConvTransposeCache",
    "BatchNormCache",
    "PoolCache",
    "ReshapeCache",
    "conv_output_size",
    "conv_transpose_output_size",
    "im2col",
    "col2im",
    "conv2d_forward",
    "conv2d_backward",
    "conv2d_backward_inputs",
    "conv_transpose2d_forward",
    "conv_transpose2d_backward",
    "conv_transpose2d_backward_inputs",
    "batch_norm_forward",
    "batch_norm_backward",
    "avg_pool2d_forward",
    "avg_pool2d_backward",
    "upsample_nearest_forward",
    "upsample_nearest_backward",
    "Conv2d",
    "ConvTranspose2d",
    "BatchNorm",
    "AvgPool2d",
    "UpsampleNearest",
    "Reshape",
    "Flatten",
    "flat_parameters",
]


# --- geometry -----------------------------------------------------------------------------------


def _pair(name: str, value, *, allow_zero: bool = False) -> tuple[int, int]:
    """``value`` as ``(int, int)``: an int stands for both axes, as in torch."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or a pair of ints, got {name}={value!r}")
        return (check_positive_int(f"{name}[0]", value[0], allow_zero=allow_zero),
                check_positive_int(f"{name}[1]", value[1], allow_zero=allow_zero))
    value = check_positive_int(name, value, allow_zero=allow_zero)
    return value, value


def conv_output_size(size: int, kernel: int, stride: int, padding: int) -> int:
    r"""Output length of a convolution along one axis: :math:`\lfloor (n + 2p - k) / s \rfloor + 1`."""
    return (size + 2 * padding - kernel) // stride + 1


def conv_transpose_output_size(size: int, kernel: int, stride: int, padding: int, output_padding: int = 0) -> int:
    r"""Output length of a transposed convolution along one axis: :math:`(n - 1) s - 2p + k + p_\mathrm{out}`.

    ``output_padding`` (less than the stride) picks one of the ``s`` input lengths that a strided
    convolution maps onto ``n``.
    """
    return (size - 1) * stride - 2 * padding + kernel + output_padding


def _check_images(name: str, array, channels: int | None = None) -> np.ndarray:
    if not isinstance(array, np.ndarray) or array.dtype != np.float64:
        raise TypeError(f"{name} must be a float64 ndarray, got {name}={array!r:.80}")
    if array.ndim != 4:
        raise ValueError(f"{name} must have shape (N, C, H, W), got {name}.shape={array.shape}")
    if channels is not None and array.shape[1] != channels:
        raise ValueError(f"{name} must have {channels} channels (axis 1), got {name}.shape={array.shape}")
    return array


class _ConvPlan:
    """The index arrays of one convolution geometry, for one image; computed once, kept by :func:`_plan`.

    The columns of a batch are kept with the batch axis innermost, as the matrix ``(C kh kw, Ho Wo N)``
    (rows ``(c, a, b)``, columns ``(i, j, n)``), and the images as the matrix ``(C H W, N)`` of their
    pixels: every index then picks a whole row of N numbers, the same for any batch size.
    ``gather_index``, shape ``(C kh kw, Ho Wo)``, holds the pixel each column entry reads, or ``C H W``
    (a row of zeros appended to the pixels) in the padding. ``fold_index``, shape ``(m, C H W)``, holds for
    every pixel the column entries ``(c, a, b, i, j)`` that read it, padded with ``C kh kw Ho Wo`` (a row of
    zeros appended to the columns). Both are read-only.
    """

    def __init__(self, image_size, kernel, stride, padding):
        channels, height, width = image_size
        self.image_size, self.kernel, self.stride, self.padding = image_size, kernel, stride, padding
        self.output_size = tuple(conv_output_size(*args) for args in zip((height, width), kernel, stride, padding))
        self.n_rows = channels * kernel[0] * kernel[1]
        self.n_positions = self.output_size[0] * self.output_size[1]
        self.n_pixels = channels * height * width
        self._fold_index = None

        (kernel_h, kernel_w), (stride_h, stride_w), (pad_h, pad_w) = kernel, stride, padding
        out_h, out_w = self.output_size
        # axes (c, a, b, i, j): the row (c, a, b) of the columns matrix, its output position (i, j)
        c = np.arange(channels).reshape(-1, 1, 1, 1, 1)
        rows = stride_h * np.arange(out_h).reshape(1, 1, 1, -1, 1) + np.arange(kernel_h).reshape(1, -1, 1, 1, 1)
        cols = stride_w * np.arange(out_w).reshape(1, 1, 1, 1, -1) + np.arange(kernel_w).reshape(1, 1, -1, 1, 1)
        rows, cols = rows - pad_h, cols - pad_w
        inside = (rows >= 0) & (rows < height) & (cols >= 0) & (cols < width)
        index = np.where(inside, (c * height + rows) * width + cols, self.n_pixels)
        shape = (channels, kernel_h, kernel_w, out_h, out_w)
        self.gather_index = _read_only(np.broadcast_to(index, shape).reshape(self.n_rows, self.n_positions))

    @property
    def fold_index(self) -> np.ndarray:
        """The inverse of ``gather_index``, built on first use (only backward passes and
        transposed convolutions need it)."""
        if self._fold_index is None:
            flat = self.gather_index.reshape(-1)
            entries = np.flatnonzero(flat < self.n_pixels)  # column entries that read a pixel
            pixels = flat[entries]
            order = np.argsort(pixels, kind="stable")
            entries, pixels = entries[order], pixels[order]
            counts = np.bincount(pixels, minlength=self.n_pixels)
            first = np.cumsum(counts) - counts
            rank = np.arange(pixels.size) - first[pixels]  # 0 for a pixel's first reader, 1 for its second...
            fold = np.full((max(int(counts.max(initial=0)), 1), self.n_pixels), flat.size, dtype=np.intp)
            fold[rank, pixels] = entries
            self._fold_index = _read_only(fold)
        return self._fold_index

    def unfold(self, images, buffers=None, name: str = "columns") -> np.ndarray:
        """:func:`im2col` of ``images`` ``(N, C, H, W)``, batch innermost: the matrix ``(C kh kw, Ho Wo N)``."""
        n = images.shape[0]
        pixels = _new(buffers, name + ".pixels", (self.n_pixels + 1, n))
        _transpose(images.reshape(n, self.n_pixels), pixels[:-1], buffers, name + ".staging")
        pixels[-1] = 0.0
        columns = _new(buffers, name, (self.n_rows, self.n_positions * n))
        # mode="wrap" lets take write straight into `out` (mode="raise" goes through a temporary);
        # every index is in range by construction, so nothing wraps.
        rows_of_columns = columns.reshape(self.n_rows, self.n_positions, n)
        np.take(pixels, self.gather_index, axis=0, out=rows_of_columns, mode="wrap")
        return columns

    def columns_buffer(self, n: int, buffers=None, name: str = "columns") -> tuple[np.ndarray, np.ndarray]:
        """``(buffer, columns)``: an array ``(C kh kw Ho Wo + 1, N)`` whose last row is 0 and the columns
        matrix ``(C kh kw, Ho Wo N)`` that views the rest, for a matrix product to write into before
        :meth:`fold`."""
        buffer = _new(buffers, name, (self.n_rows * self.n_positions + 1, n))
        buffer[-1] = 0.0
        return buffer, buffer[:-1].reshape(self.n_rows, self.n_positions * n)

    def fold(self, buffer, buffers=None, name: str = "out", bias=None) -> np.ndarray:
        """:func:`col2im` of the columns held in ``buffer`` (from :meth:`columns_buffer`): images
        ``(N, C, H, W)``, each pixel the sum of the column entries that read it, plus ``bias[c]``."""
        index, n = self.fold_index, buffer.shape[1]
        pixels = _new(buffers, name + ".pixels", (self.n_pixels, n))
        np.take(buffer, index[0], axis=0, out=pixels, mode="wrap")
        if len(index) > 1:
            # the r-th reader of every pixel, r = 1 ... m - 1 (m <= kh kw): a loop over kernel overlaps,
            # not over pixels, that keeps one (C H W, N) array of scratch instead of m
            scratch = _new(buffers, name + ".scratch", pixels.shape)
            for readers in index[1:]:
                pixels += np.take(buffer, readers, axis=0, out=scratch, mode="wrap")
        out = _new(buffers, name, (n,) + self.image_size)
        add = None if bias is None else np.repeat(bias, self.n_pixels // len(bias))
        _transpose(pixels, out.reshape(n, self.n_pixels), buffers, name + ".staging", add=add)
        return out


def _new(buffers, name: str, shape) -> np.ndarray:
    """An uninitialized float64 array: the one ``buffers`` keeps under ``name`` (see the module's
    docstring), or a new one."""
    return np.empty(shape) if buffers is None else buffers.get(name, tuple(shape))


def _transpose(matrix, out, buffers=None, name: str = "staging", add=None) -> np.ndarray:
    """``out[...] = matrix.T`` for a 2-D ``matrix`` ``(R, S)`` and ``out`` ``(S, R)``; plus ``add``, shape
    ``(R,)``, on every row of ``out`` when given (a bias, in the same pass).

    Reading a column of ``matrix`` steps ``8 S`` bytes at a time. When that is a multiple of 1 KiB, the
    steps fall into a few sets of the CPU cache, which then hold a handful of the R rows instead of all
    of them (a 64 x 512 transpose took 94 us instead of 19). Copying the rows first into a buffer whose
    rows are 8 numbers longer breaks the pattern.
    """
    rows, cols = matrix.shape
    if cols % 128 == 0 and rows > 8:
        staging = _new(buffers, name, (rows, cols + 8))
        np.copyto(staging[:, :cols], matrix)
        matrix = staging[:, :cols]
    if add is None:
        np.copyto(out, matrix.T)
    else:
        np.add(matrix.T, add, out=out)
    return out


def _read_only(array: np.ndarray) -> np.ndarray:
    array = np.ascontiguousarray(array)
    array.flags.writeable = False
    return array


@functools.lru_cache(maxsize=64)
def _plan(image_size, kernel, stride, padding) -> _ConvPlan:
    return _ConvPlan(image_size, kernel, stride, padding)


def _conv_plan(image_size, kernel, stride, padding) -> _ConvPlan:
    """The cached plan for images of ``image_size = (C, H, W)``, after checking that the geometry gives
    at least one output pixel."""
    height, width = image_size[1:]
    out_h, out_w = (conv_output_size(*args) for args in zip((height, width), kernel, stride, padding))
    if out_h < 1 or out_w < 1:
        raise ValueError(
            f"a {kernel[0]}x{kernel[1]} kernel with padding {padding} does not fit images of {height}x{width}"
        )
    return _plan(tuple(int(s) for s in image_size), tuple(int(k) for k in kernel), stride, padding)


def im2col(images, kernel_size, stride=1, padding=0) -> np.ndarray:
    r"""The columns matrix of a convolution: every input patch as a column.

    .. math:: X_{(c, a, b),\,(n, i, j)} = x_{n,\,c,\,s_h i + a - p_h,\,s_w j + b - p_w} \quad (0 \text{ outside})

    (The layers keep the same matrix with its columns in the order ``(i, j, n)``, the batch innermost.)

    Parameters
    ----------
    images : ndarray, shape (N, C, H, W)
    kernel_size, stride, padding : int or (int, int)

    Returns
    -------
    ndarray, shape (C * kh * kw, N * Ho * Wo)
        Rows in (c, a, b) order, columns in (n, i, j) order.
    """
    images = _check_images("images", images)
    plan = _conv_plan(images.shape[1:], _pair("kernel_size", kernel_size), _pair("stride", stride),
                      _pair("padding", padding, allow_zero=True))
    n = images.shape[0]
    columns = plan.unfold(images).reshape(plan.n_rows, plan.n_positions, n)
    return columns.transpose(0, 2, 1).reshape(plan.n_rows, n * plan.n_positions)


def col2im(columns, image_shape, kernel_size, stride=1, padding=0) -> np.ndarray:
    r"""The adjoint of :func:`im2col`: each column entry added back onto the pixel it was read from.

    :math:`\langle \mathrm{im2col}(x), Y \rangle = \langle x, \mathrm{col2im}(Y) \rangle` for every ``x``, ``Y``.

    Parameters
    ----------
    columns : ndarray, shape (C * kh * kw, N * Ho * Wo)
    image_shape : (N, C, H, W)
    kernel_size, stride, padding : int or (int, int)

    Returns
    -------
    ndarray, shape (N, C, H, W)
    """
    n = image_shape[0]
    plan = _conv_plan(tuple(image_shape[1:]), _pair("kernel_size", kernel_size), _pair("stride", stride),
                      _pair("padding", padding, allow_zero=True))
    columns = np.asarray(columns, dtype=np.float64)
    if columns.shape != (plan.n_rows, n * plan.n_positions):
        raise ValueError(f"columns must have shape {(plan.n_rows, n * plan.n_positions)}, "
                         f"got columns.shape={columns.shape}")
    buffer, view = plan.columns_buffer(n)
    view.reshape(plan.n_rows, plan.n_positions, n)[...] = columns.reshape(plan.n_rows, n, -1).transpose(0, 2, 1)
    return plan.fold(buffer)


# --- conv2d -------------------------------------------------------------------------------------


class ConvCache(NamedTuple):
    """What the backward pass of a convolution needs: the columns matrix of its inputs, batch innermost,
    shape ``(C_in kh kw, Ho Wo N)``, and the geometry (its index arrays) that made it."""

    columns: np.ndarray
    plan: _ConvPlan


def _check_weight(weight, bias, in_channels_axis: int):
    if not isinstance(weight, np.ndarray) or weight.dtype != np.float64 or weight.ndim != 4:
        raise TypeError(f"weight must be a 4-D float64 ndarray, got weight={weight!r:.80}")
    out_channels = weight.shape[1 - in_channels_axis]
    if bias is not None and (not isinstance(bias, np.ndarray) or bias.shape != (out_channels,)):
        raise ValueError(f"bias must be a float64 ndarray of shape ({out_channels},), got bias={bias!r:.80}")


def _batch_first(matrix, n, channels, height, width, buffers, name, bias=None) -> np.ndarray:
    """The matrix ``(C, H W N)`` as images ``(N, C, H, W)`` (a copy), plus ``bias[c]`` when given."""
    out = _new(buffers, name, (n, channels, height, width))
    add = None if bias is None else np.repeat(bias, height * width)
    _transpose(matrix.reshape(-1, n), out.reshape(n, -1), buffers, name + ".staging", add=add)
    return out


def _batch_last(images, buffers, name) -> np.ndarray:
    """Images ``(N, C, H, W)`` as the matrix ``(C, H W N)`` (a copy)."""
    n, channels = images.shape[:2]
    out = _new(buffers, name, (channels, images.size // channels))
    _transpose(images.reshape(n, -1), out.reshape(-1, n), buffers, name + ".staging")
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
    inputs = _check_images("inputs", inputs, weight.shape[1])
    stride, padding = _pair("stride", stride), _pair("padding", padding, allow_zero=True)
    plan = _conv_plan(inputs.shape[1:], weight.shape[2:], stride, padding)
    n, out_channels = inputs.shape[0], weight.shape[0]
    columns = plan.unfold(inputs, buffers)
    products = np.dot(weight.reshape(out_channels, -1), columns,
                      out=_new(buffers, "products", (out_channels, columns.shape[1])))
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
        As in :func:`conv2d_forward`.

    Returns
    -------
    grad_inputs : ndarray, shape (N, C_in, H, W), or None
    grad_weight : ndarray, shape (C_out, C_in, kh, kw)
    grad_bias : ndarray, shape (C_out,)
    """
    grad_matrix = _batch_last(grad_outputs, buffers, "grad_matrix")
    grad_weight = np.dot(grad_matrix, cache.columns.T,
                         out=_new(buffers, "grad_weight", (weight.shape[0], cache.columns.shape[0])))
    grad_bias = grad_matrix.sum(axis=1)
    grad_inputs = _conv2d_input_gradient(grad_matrix, cache.plan, weight, buffers) if input_gradient else None
    return grad_inputs, grad_weight.reshape(weight.shape), grad_bias


def conv2d_backward_inputs(grad_outputs, cache: ConvCache, weight, *, buffers=None) -> np.ndarray:
    r"""The input gradient :math:`\mathrm{col2im}(W^\top G)` of a convolution alone, shape ``(N, C_in, H, W)``."""
    return _conv2d_input_gradient(_batch_last(grad_outputs, buffers, "grad_matrix"), cache.plan, weight, buffers)


def _conv2d_input_gradient(grad_matrix, plan: _ConvPlan, weight, buffers) -> np.ndarray:
    n = grad_matrix.shape[1] // plan.n_positions
    buffer, columns = plan.columns_buffer(n, buffers, "grad_columns")
    np.dot(weight.reshape(weight.shape[0], -1).T, grad_matrix, out=columns)
    return plan.fold(buffer, buffers, "grad_inputs")


# --- conv_transpose2d ---------------------------------------------------------------------------


class ConvTransposeCache(NamedTuple):
    """What the backward pass of a transposed convolution needs: its inputs as the matrix
    ``(C_in, H W N)`` (batch innermost) and the geometry of the convolution it is the adjoint of."""

    input_matrix: np.ndarray
    plan: _ConvPlan


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
        As in :func:`conv2d_forward`.

    Returns
    -------
    outputs : ndarray, shape (N, C_out, Ho, Wo)
    cache : ConvTransposeCache
    """
    _check_weight(weight, bias, 0)
    inputs = _check_images("inputs", inputs, weight.shape[0])
    stride, padding = _pair("stride", stride), _pair("padding", padding, allow_zero=True)
    output_padding = _pair("output_padding", output_padding, allow_zero=True)
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
    plan = _conv_plan((out_channels,) + output_size, weight.shape[2:], stride, padding)
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
        As in :func:`conv2d_forward`.

    Returns
    -------
    grad_inputs : ndarray, shape (N, C_in, H, W), or None
    grad_weight : ndarray, shape (C_in, C_out, kh, kw)
    grad_bias : ndarray, shape (C_out,)
    """
    grad_columns = cache.plan.unfold(grad_outputs, buffers, "grad_columns")
    grad_weight = np.dot(cache.input_matrix, grad_columns.T,
                         out=_new(buffers, "grad_weight", (weight.shape[0], grad_columns.shape[0])))
    grad_bias = np.einsum("ncs->c", grad_outputs.reshape(grad_outputs.shape[0], grad_outputs.shape[1], -1))
    grad_inputs = (_conv_transpose2d_input_gradient(grad_columns, cache.plan, weight, buffers)
                   if input_gradient else None)
    return grad_inputs, grad_weight.reshape(weight.shape), grad_bias


def conv_transpose2d_backward_inputs(grad_outputs, cache: ConvTransposeCache, weight, *, buffers=None) -> np.ndarray:
    r"""The input gradient :math:`W\,\mathrm{im2col}(\partial L/\partial y)` alone, shape ``(N, C_in, H, W)``."""
    grad_columns = cache.plan.unfold(grad_outputs, buffers, "grad_columns")
    return _conv_transpose2d_input_gradient(grad_columns, cache.plan, weight, buffers)


def _conv_transpose2d_input_gradient(grad_columns, plan: _ConvPlan, weight, buffers) -> np.ndarray:
    in_channels = weight.shape[0]
    products = np.dot(weight.reshape(in_channels, -1), grad_columns,
                      out=_new(buffers, "grad_matrix", (in_channels, grad_columns.shape[1])))
    n = grad_columns.shape[1] // plan.n_positions
    return _batch_first(products, n, in_channels, *plan.output_size, buffers, "grad_inputs")


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
        As in :func:`conv2d_forward`.

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
                           out=_new(buffers, "normalized", (n, channels * pixels)))
    if training:
        var = np.einsum("nk,nk->k", centered, centered)
        var = (var if pixels == 1 else var.reshape(channels, pixels).sum(axis=1)) / count
    inv_std = 1.0 / np.sqrt(var + eps)
    normalized = np.multiply(centered, _per_column(inv_std, pixels), out=centered)
    outputs = np.multiply(normalized, _per_column(gamma, pixels), out=_new(buffers, "out", normalized.shape))
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
        As in :func:`conv2d_forward`.

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
    out = _new(buffers, "grad_inputs", g.shape)
    if cache.training:
        count = n * pixels
        grad_inputs = np.multiply(cache.normalized.reshape(n, -1), _per_column(-grad_gamma / count, pixels), out=out)
        grad_inputs += g
        grad_inputs -= _per_column(grad_beta / count, pixels)
        grad_inputs *= _per_column(scale, pixels)
    else:
        grad_inputs = np.multiply(g, _per_column(scale, pixels), out=out)
    return grad_inputs.reshape(grad_outputs.shape), grad_gamma, grad_beta


# --- pooling and upsampling ---------------------------------------------------------------------


class PoolCache(NamedTuple):
    """What the backward pass of a pooling or upsampling layer needs: the shape of its inputs and its
    ``(kh, kw)`` kernel (pooling) or ``(s_h, s_w)`` scale factor (upsampling)."""

    input_shape: tuple
    factor: tuple


def _block_sum_matrix(width: int, block_rows: int, block_cols: int, scale: float) -> np.ndarray:
    """The matrix ``M``, shape ``(block_rows * width, width // block_cols)``, that sums blocks of
    ``block_rows`` image rows of length ``width``: ``M[a * width + v, j] = scale`` where
    ``v // block_cols == j``, else 0. A band of ``block_rows`` image rows times ``M`` is one row of block
    sums. (Cached: read-only.)"""
    return _block_sum_matrix_cached(int(width), int(block_rows), int(block_cols), float(scale))


@functools.lru_cache(maxsize=32)
def _block_sum_matrix_cached(width, block_rows, block_cols, scale):
    matrix = np.zeros((block_rows, width, width // block_cols))
    columns = np.arange(width)
    matrix[:, columns, columns // block_cols] = scale
    return _read_only(matrix.reshape(block_rows * width, -1))


def avg_pool2d_forward(inputs, kernel_size, *, buffers=None):
    r"""Average over non-overlapping :math:`k_h \times k_w` blocks (kernel = stride, no padding).

    .. math:: y_{n,c,i,j} = \frac{1}{k_h k_w} \sum_{a<k_h,\,b<k_w} x_{n,\,c,\,k_h i + a,\,k_w j + b}

    As in torch, trailing rows and columns that do not fill a block are dropped. Computed as one matrix
    product of the images' row bands with a block-summing matrix: numpy sums along short strided axes
    slowly, BLAS does not. (So an infinite input value makes NaN of the other outputs of its row, where a
    loop would give inf in its own block only; finite values are summed as any loop would.)

    Parameters
    ----------
    inputs : ndarray, shape (N, C, H, W)
    kernel_size : int or (int, int)
    buffers : optional
        As in :func:`conv2d_forward`.

    Returns
    -------
    outputs : ndarray, shape (N, C, H // kh, W // kw)
    cache : PoolCache
    """
    inputs = _check_images("inputs", inputs)
    kernel_h, kernel_w = _pair("kernel_size", kernel_size)
    n, channels, height, width = inputs.shape
    out_h, out_w = height // kernel_h, width // kernel_w
    if out_h < 1 or out_w < 1:
        raise ValueError(f"kernel_size {(kernel_h, kernel_w)} is larger than the images, {height}x{width}")
    used = inputs[:, :, : out_h * kernel_h, : out_w * kernel_w]
    bands = used.reshape(n * channels * out_h, kernel_h * out_w * kernel_w)
    matrix = _block_sum_matrix(out_w * kernel_w, kernel_h, kernel_w, 1.0 / (kernel_h * kernel_w))
    outputs = np.dot(bands, matrix, out=_new(buffers, "out", (bands.shape[0], out_w)))
    return outputs.reshape(n, channels, out_h, out_w), PoolCache(inputs.shape, (kernel_h, kernel_w))


def avg_pool2d_backward(grad_outputs, cache: PoolCache, *, buffers=None) -> np.ndarray:
    r"""Each block's output gradient spread evenly over it: :math:`\partial L/\partial x = g / (k_h k_w)`
    on every pixel of the block (0 on dropped rows and columns). Returns shape ``(N, C, H, W)``."""
    n, channels, height, width = cache.input_shape
    out_h, out_w = grad_outputs.shape[2:]
    kernel_h, kernel_w = cache.factor
    matrix = _block_sum_matrix(out_w * kernel_w, kernel_h, kernel_w, 1.0 / (kernel_h * kernel_w))
    bands = grad_outputs.reshape(-1, out_w)
    spread = np.dot(bands, matrix.T, out=_new(buffers, "grad_inputs", (bands.shape[0], matrix.shape[0])))
    spread = spread.reshape(n, channels, out_h * kernel_h, out_w * kernel_w)
    if (out_h * kernel_h, out_w * kernel_w) == (height, width):
        return spread
    grad_inputs = np.zeros(cache.input_shape)
    grad_inputs[:, :, : out_h * kernel_h, : out_w * kernel_w] = spread
    return grad_inputs


def upsample_nearest_forward(inputs, scale_factor=2, *, buffers=None):
    r"""Nearest-neighbour upsampling by an integer factor: every pixel becomes an :math:`s_h \times s_w` block.

    .. math:: y_{n,\,c,\,s_h i + a,\,s_w j + b} = x_{n,c,i,j}

    Parameters
    ----------
    inputs : ndarray, shape (N, C, H, W)
    scale_factor : int or (int, int)
    buffers : optional
        As in :func:`conv2d_forward`.

    Returns
    -------
    outputs : ndarray, shape (N, C, s_h H, s_w W)
    cache : PoolCache
    """
    inputs = _check_images("inputs", inputs)
    scale_h, scale_w = _pair("scale_factor", scale_factor)
    n, channels, height, width = inputs.shape
    outputs = _new(buffers, "out", (n, channels, height * scale_h, width * scale_w))
    # Widen every row first, then copy each wide row s_h times: the inner copies are whole rows.
    wide = np.repeat(inputs, scale_w, axis=3)
    np.copyto(outputs.reshape(n, channels, height, scale_h, width * scale_w), wide[:, :, :, None, :])
    return outputs, PoolCache(inputs.shape, (scale_h, scale_w))


def upsample_nearest_backward(grad_outputs, cache: PoolCache, *, buffers=None) -> np.ndarray:
    r"""Each block's output gradients summed onto its source pixel (the adjoint of the copying):
    :math:`\partial L/\partial x_{n,c,i,j} = \sum_{a,b} g_{n,\,c,\,s_h i + a,\,s_w j + b}`, one matrix product
    as in :func:`avg_pool2d_forward`. Returns shape ``(N, C, H, W)``."""
    n, channels, height, width = cache.input_shape
    scale_h, scale_w = cache.factor
    bands = grad_outputs.reshape(n * channels * height, scale_h * width * scale_w)
    matrix = _block_sum_matrix(width * scale_w, scale_h, scale_w, 1.0)
    return np.dot(bands, matrix, out=_new(buffers, "grad_inputs", (bands.shape[0], width))).reshape(cache.input_shape)


# --- classes: state only where there are parameters ---------------------------------------------


def _check_parameter(name: str, array, shape) -> np.ndarray:
    if not isinstance(array, np.ndarray) or array.dtype != np.float64:
        raise TypeError(f"{name} must be a float64 ndarray, got {name}={array!r:.80}")
    if shape is not None and array.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}, got {name}.shape={array.shape}")
    return array


class _Parametrized:
    """What layers with parameters share: arrays held by reference, their gradients beside them.

    ``_names`` lists the parameter attributes; parameter ``name`` is stored as ``_name`` (assigning
    ``layer.name = values`` copies into it) and its gradient as ``grad_name``.
    """

    _names: tuple = ()

    def _hold(self, values: dict, gradients: dict):
        for name, value in values.items():
            setattr(self, "_" + name, _check_parameter(name, value, None))
            gradient = gradients.get(name)
            if gradient is None:
                gradient = np.zeros_like(value)
            _check_parameter(f"grad_{name}", gradient, value.shape)
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


def _parameter_property(name: str):
    def getter(self):
        return getattr(self, "_" + name)

    def setter(self, values):
        getattr(self, "_" + name)[...] = values

    return property(getter, setter, doc=f"The {name} array (assignment copies into it).")


class Conv2d(_Parametrized):
    r"""A convolution layer holding its weight and bias and their accumulated gradients.

    The arrays are kept by reference, not copied, so they may be views into one flat parameter
    vector (:func:`flat_parameters`). Assigning ``layer.weight = values`` copies into the array.

    Parameters
    ----------
    weight : ndarray, shape (C_out, C_in, kh, kw), float64
    bias : ndarray, shape (C_out,), float64
    grad_weight, grad_bias : ndarray, optional
        Gradient accumulators of the same shapes; new zero arrays by default.
    stride, padding : int or (int, int)
    """

    _names = ("weight", "bias")
    weight = _parameter_property("weight")
    bias = _parameter_property("bias")

    def __init__(self, weight, bias, grad_weight=None, grad_bias=None, *, stride=1, padding=0):
        _check_parameter("weight", weight, None)
        if weight.ndim != 4:
            raise ValueError(f"weight must have shape (C_out, C_in, kh, kw), got weight.shape={weight.shape}")
        _check_parameter("bias", bias, weight.shape[:1])
        self._hold({"weight": weight, "bias": bias}, {"weight": grad_weight, "bias": grad_bias})
        self.stride, self.padding = _pair("stride", stride), _pair("padding", padding, allow_zero=True)

    @classmethod
    def random(cls, in_channels: int, out_channels: int, kernel_size, rng, *, stride=1, padding=0) -> "Conv2d":
        r"""A layer with weights and bias drawn uniformly in :math:`\pm 1/\sqrt{C_\mathrm{in} k_h k_w}` from ``rng``
        (the scale of torch's default; the DCGAN paper's :math:`N(0, 0.02^2)` can be assigned to ``weight``)."""
        rng = check_rng(rng)
        kernel = _pair("kernel_size", kernel_size)
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


class ConvTranspose2d(_Parametrized):
    r"""A transposed convolution layer (the adjoint of :class:`Conv2d`) holding its weight and bias.

    Parameters
    ----------
    weight : ndarray, shape (C_in, C_out, kh, kw), float64 (torch's layout)
    bias : ndarray, shape (C_out,), float64
    grad_weight, grad_bias : ndarray, optional
    stride, padding, output_padding : int or (int, int)
    """

    _names = ("weight", "bias")
    weight = _parameter_property("weight")
    bias = _parameter_property("bias")

    def __init__(self, weight, bias, grad_weight=None, grad_bias=None, *, stride=1, padding=0, output_padding=0):
        _check_parameter("weight", weight, None)
        if weight.ndim != 4:
            raise ValueError(f"weight must have shape (C_in, C_out, kh, kw), got weight.shape={weight.shape}")
        _check_parameter("bias", bias, weight.shape[1:2])
        self._hold({"weight": weight, "bias": bias}, {"weight": grad_weight, "bias": grad_bias})
        self.stride, self.padding = _pair("stride", stride), _pair("padding", padding, allow_zero=True)
        self.output_padding = _pair("output_padding", output_padding, allow_zero=True)

    @classmethod
    def random(cls, in_channels: int, out_channels: int, kernel_size, rng, *, stride=1, padding=0,
               output_padding=0) -> "ConvTranspose2d":
        r"""A layer with weights and bias drawn uniformly in :math:`\pm 1/\sqrt{C_\mathrm{in} k_h k_w}` from ``rng``."""
        rng = check_rng(rng)
        kernel = _pair("kernel_size", kernel_size)
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


class BatchNorm(_Parametrized):
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
    gamma = _parameter_property("gamma")
    beta = _parameter_property("beta")

    def __init__(self, num_features: int, *, momentum: float = 0.1, eps: float = 1e-5, gamma=None, beta=None,
                 grad_gamma=None, grad_beta=None):
        self.num_features = check_positive_int("num_features", num_features)
        self.momentum = check_in_range("momentum", momentum, 0.0, 1.0)
        self.eps = check_positive("eps", eps)
        gamma = np.ones(num_features) if gamma is None else _check_parameter("gamma", gamma, (num_features,))
        beta = np.zeros(num_features) if beta is None else _check_parameter("beta", beta, (num_features,))
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


class _Stateless:
    """A layer without parameters: its backward is its input gradient."""

    def backward_inputs(self, grad_outputs, cache, buffers=None):
        return self.backward(grad_outputs, cache, buffers=buffers)


class AvgPool2d(_Stateless):
    """Average over non-overlapping ``kernel_size`` blocks (:func:`avg_pool2d_forward`): a 2x2 pool
    halves the size, the strided convolution's alternative."""

    def __init__(self, kernel_size=2):
        self.kernel_size = _pair("kernel_size", kernel_size)

    def __repr__(self):
        return f"AvgPool2d(kernel_size={self.kernel_size})"

    def forward(self, inputs, buffers=None):
        return avg_pool2d_forward(inputs, self.kernel_size, buffers=buffers)

    def backward(self, grad_outputs, cache: PoolCache, *, buffers=None):
        return avg_pool2d_backward(grad_outputs, cache, buffers=buffers)


class UpsampleNearest(_Stateless):
    """Nearest-neighbour upsampling by ``scale_factor`` (:func:`upsample_nearest_forward`): scale 2
    doubles the size, the transposed convolution's alternative."""

    def __init__(self, scale_factor=2):
        self.scale_factor = _pair("scale_factor", scale_factor)

    def __repr__(self):
        return f"UpsampleNearest(scale_factor={self.scale_factor})"

    def forward(self, inputs, buffers=None):
        return upsample_nearest_forward(inputs, self.scale_factor, buffers=buffers)

    def backward(self, grad_outputs, cache: PoolCache, *, buffers=None):
        return upsample_nearest_backward(grad_outputs, cache, buffers=buffers)


class ReshapeCache(NamedTuple):
    """The shape of a reshape layer's inputs."""

    input_shape: tuple


class Reshape(_Stateless):
    """Give each sample the shape ``shape``, keeping the batch axis: ``Reshape(64, 4, 4)`` turns a
    linear layer's ``(N, 1024)`` outputs into images ``(N, 64, 4, 4)``. One entry may be -1."""

    def __init__(self, *shape: int):
        if sum(1 for s in shape if s == -1) > 1 or not all(isinstance(s, (int, np.integer)) and (s > 0 or s == -1)
                                                            for s in shape):
            raise ValueError(f"shape must be positive ints with at most one -1, got shape={shape!r}")
        self.shape = tuple(int(s) for s in shape)

    def __repr__(self):
        return f"Reshape{self.shape}"

    def forward(self, inputs, buffers=None):
        """``(inputs.reshape(N, *shape), ReshapeCache)``; a view when ``inputs`` is contiguous."""
        return inputs.reshape((inputs.shape[0],) + self.shape), ReshapeCache(inputs.shape)

    def backward(self, grad_outputs, cache: ReshapeCache, *, buffers=None):
        return grad_outputs.reshape(cache.input_shape)


class Flatten(Reshape):
    """Images ``(N, C, H, W)`` as rows ``(N, C H W)``, for a linear layer (a discriminator's logit)."""

    def __init__(self):
        super().__init__(-1)

    def __repr__(self):
        return "Flatten()"


# --- one flat parameter vector ------------------------------------------------------------------


def _parameters_of(layer):
    """``(values, gradients)`` of a layer, empty lists for one without parameters."""
    if isinstance(layer, Linear):
        return [layer.weight, layer.bias], [layer.grad_weight, layer.grad_bias]
    if isinstance(layer, _Parametrized):
        named = layer.named_parameters()
        return [value for _, value, _ in named], [gradient for _, _, gradient in named]
    return [], []


def flat_parameters(layers):
    """The layers laid over one flat parameter vector and one flat gradient vector, as in an ``MLP``.

    Every parameter of ``layers`` (:class:`Conv2d`, :class:`ConvTranspose2d`, :class:`BatchNorm` and
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
