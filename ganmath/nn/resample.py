r"""The image layers without parameters: average pooling and nearest-neighbour upsampling (the alternatives to
strided and transposed convolutions that the DCGAN paper replaced), and reshaping, as forward/backward pairs and
layers.

Images are float64 arrays in NCHW order: ``(N, C, H, W)``, batch, channels, height, width. Every layer
follows :mod:`ganmath.nn.layers` (forward returns ``(outputs, cache)``, backward takes ``(grad_outputs, cache)``
and *adds* the parameter gradients; ``buffers``, as described in :mod:`ganmath.nn.conv`, keeps the arrays of
a pass between steps).
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from ganmath.nn.im2col import check_images, check_pair, new_buffer, read_only

__all__ = [
    "PoolCache",
    "ReshapeCache",
    "avg_pool2d_forward",
    "avg_pool2d_backward",
    "upsample_nearest_forward",
    "upsample_nearest_backward",
    "AvgPool2d",
    "UpsampleNearest",
    "Reshape",
    "Flatten",
]


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
    return read_only(matrix.reshape(block_rows * width, -1))


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
        As in :func:`ganmath.nn.conv.conv2d_forward`.

    Returns
    -------
    outputs : ndarray, shape (N, C, H // kh, W // kw)
    cache : PoolCache
    """
    inputs = check_images("inputs", inputs)
    kernel_h, kernel_w = check_pair("kernel_size", kernel_size)
    n, channels, height, width = inputs.shape
    out_h, out_w = height // kernel_h, width // kernel_w
    if out_h < 1 or out_w < 1:
        raise ValueError(f"kernel_size {(kernel_h, kernel_w)} is larger than the images, {height}x{width}")
    used = inputs[:, :, : out_h * kernel_h, : out_w * kernel_w]
    bands = used.reshape(n * channels * out_h, kernel_h * out_w * kernel_w)
    matrix = _block_sum_matrix(out_w * kernel_w, kernel_h, kernel_w, 1.0 / (kernel_h * kernel_w))
    outputs = np.dot(bands, matrix, out=new_buffer(buffers, "out", (bands.shape[0], out_w)))
    return outputs.reshape(n, channels, out_h, out_w), PoolCache(inputs.shape, (kernel_h, kernel_w))


def avg_pool2d_backward(grad_outputs, cache: PoolCache, *, buffers=None) -> np.ndarray:
    r"""Each block's output gradient spread evenly over it: :math:`\partial L/\partial x = g / (k_h k_w)`
    on every pixel of the block (0 on dropped rows and columns). Returns shape ``(N, C, H, W)``."""
    n, channels, height, width = cache.input_shape
    out_h, out_w = grad_outputs.shape[2:]
    kernel_h, kernel_w = cache.factor
    matrix = _block_sum_matrix(out_w * kernel_w, kernel_h, kernel_w, 1.0 / (kernel_h * kernel_w))
    bands = grad_outputs.reshape(-1, out_w)
    spread = np.dot(bands, matrix.T, out=new_buffer(buffers, "grad_inputs", (bands.shape[0], matrix.shape[0])))
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
        As in :func:`ganmath.nn.conv.conv2d_forward`.

    Returns
    -------
    outputs : ndarray, shape (N, C, s_h H, s_w W)
    cache : PoolCache
    """
    inputs = check_images("inputs", inputs)
    scale_h, scale_w = check_pair("scale_factor", scale_factor)
    n, channels, height, width = inputs.shape
    outputs = new_buffer(buffers, "out", (n, channels, height * scale_h, width * scale_w))
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
    return np.dot(bands, matrix, out=new_buffer(buffers, "grad_inputs", (bands.shape[0], width))).reshape(cache.input_shape)


# --- the layers ---------------------------------------------------------------------------------


class _Stateless:
    """A layer without parameters: its backward is its input gradient."""

    def backward_inputs(self, grad_outputs, cache, buffers=None):
        return self.backward(grad_outputs, cache, buffers=buffers)


class AvgPool2d(_Stateless):
    """Average over non-overlapping ``kernel_size`` blocks (:func:`avg_pool2d_forward`): a 2x2 pool
    halves the size, the strided convolution's alternative."""

    def __init__(self, kernel_size=2):
        self.kernel_size = check_pair("kernel_size", kernel_size)

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
        self.scale_factor = check_pair("scale_factor", scale_factor)

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
