r"""The geometry of a convolution and its two index maps: :func:`im2col` and its adjoint :func:`col2im`.

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
"""

from __future__ import annotations

import functools

import numpy as np

from ganmath._validation import check_positive_int

__all__ = [
    "ConvPlan",
    "check_pair",
    "check_images",
    "conv_output_size",
    "conv_transpose_output_size",
    "conv_plan",
    "new_buffer",
    "transpose_into",
    "read_only",
    "im2col",
    "col2im",
]


# --- geometry -----------------------------------------------------------------------------------


def check_pair(name: str, value, *, allow_zero: bool = False) -> tuple[int, int]:
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


def check_images(name: str, array, channels: int | None = None) -> np.ndarray:
    if not isinstance(array, np.ndarray) or array.dtype != np.float64:
        raise TypeError(f"{name} must be a float64 ndarray, got {name}={array!r:.80}")
    if array.ndim != 4:
        raise ValueError(f"{name} must have shape (N, C, H, W), got {name}.shape={array.shape}")
    if channels is not None and array.shape[1] != channels:
        raise ValueError(f"{name} must have {channels} channels (axis 1), got {name}.shape={array.shape}")
    return array


class ConvPlan:
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
        self.gather_index = read_only(np.broadcast_to(index, shape).reshape(self.n_rows, self.n_positions))

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
            self._fold_index = read_only(fold)
        return self._fold_index

    def unfold(self, images, buffers=None, name: str = "columns") -> np.ndarray:
        """:func:`im2col` of ``images`` ``(N, C, H, W)``, batch innermost: the matrix ``(C kh kw, Ho Wo N)``."""
        n = images.shape[0]
        pixels = new_buffer(buffers, name + ".pixels", (self.n_pixels + 1, n))
        transpose_into(images.reshape(n, self.n_pixels), pixels[:-1], buffers, name + ".staging")
        pixels[-1] = 0.0
        columns = new_buffer(buffers, name, (self.n_rows, self.n_positions * n))
        # mode="wrap" lets take write straight into `out` (mode="raise" goes through a temporary);
        # every index is in range by construction, so nothing wraps.
        rows_of_columns = columns.reshape(self.n_rows, self.n_positions, n)
        np.take(pixels, self.gather_index, axis=0, out=rows_of_columns, mode="wrap")
        return columns

    def columns_buffer(self, n: int, buffers=None, name: str = "columns") -> tuple[np.ndarray, np.ndarray]:
        """``(buffer, columns)``: an array ``(C kh kw Ho Wo + 1, N)`` whose last row is 0 and the columns
        matrix ``(C kh kw, Ho Wo N)`` that views the rest, for a matrix product to write into before
        :meth:`fold`."""
        buffer = new_buffer(buffers, name, (self.n_rows * self.n_positions + 1, n))
        buffer[-1] = 0.0
        return buffer, buffer[:-1].reshape(self.n_rows, self.n_positions * n)

    def fold(self, buffer, buffers=None, name: str = "out", bias=None) -> np.ndarray:
        """:func:`col2im` of the columns held in ``buffer`` (from :meth:`columns_buffer`): images
        ``(N, C, H, W)``, each pixel the sum of the column entries that read it, plus ``bias[c]``."""
        index, n = self.fold_index, buffer.shape[1]
        pixels = new_buffer(buffers, name + ".pixels", (self.n_pixels, n))
        np.take(buffer, index[0], axis=0, out=pixels, mode="wrap")
        if len(index) > 1:
            # the r-th reader of every pixel, r = 1 ... m - 1 (m <= kh kw): a loop over kernel overlaps,
            # not over pixels, that keeps one (C H W, N) array of scratch instead of m
            scratch = new_buffer(buffers, name + ".scratch", pixels.shape)
            for readers in index[1:]:
                pixels += np.take(buffer, readers, axis=0, out=scratch, mode="wrap")
        out = new_buffer(buffers, name, (n,) + self.image_size)
        add = None if bias is None else np.repeat(bias, self.n_pixels // len(bias))
        transpose_into(pixels, out.reshape(n, self.n_pixels), buffers, name + ".staging", add=add)
        return out


def new_buffer(buffers, name: str, shape) -> np.ndarray:
    """An uninitialized float64 array: the one ``buffers`` keeps under ``name`` (see the module's
    docstring), or a new one."""
    return np.empty(shape) if buffers is None else buffers.get(name, tuple(shape))


def transpose_into(matrix, out, buffers=None, name: str = "staging", add=None) -> np.ndarray:
    """``out[...] = matrix.T`` for a 2-D ``matrix`` ``(R, S)`` and ``out`` ``(S, R)``; plus ``add``, shape
    ``(R,)``, on every row of ``out`` when given (a bias, in the same pass).

    Reading a column of ``matrix`` steps ``8 S`` bytes at a time. When that is a multiple of 1 KiB, the
    steps fall into a few sets of the CPU cache, which then hold a handful of the R rows instead of all
    of them (a 64 x 512 transpose took 94 us instead of 19). Copying the rows first into a buffer whose
    rows are 8 numbers longer breaks the pattern.
    """
    rows, cols = matrix.shape
    if cols % 128 == 0 and rows > 8:
        staging = new_buffer(buffers, name, (rows, cols + 8))
        np.copyto(staging[:, :cols], matrix)
        matrix = staging[:, :cols]
    if add is None:
        np.copyto(out, matrix.T)
    else:
        np.add(matrix.T, add, out=out)
    return out


def read_only(array: np.ndarray) -> np.ndarray:
    array = np.ascontiguousarray(array)
    array.flags.writeable = False
    return array


@functools.lru_cache(maxsize=64)
def _plan(image_size, kernel, stride, padding) -> ConvPlan:
    return ConvPlan(image_size, kernel, stride, padding)


def conv_plan(image_size, kernel, stride, padding) -> ConvPlan:
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
    images = check_images("images", images)
    plan = conv_plan(images.shape[1:], check_pair("kernel_size", kernel_size), check_pair("stride", stride),
                      check_pair("padding", padding, allow_zero=True))
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
    plan = conv_plan(tuple(image_shape[1:]), check_pair("kernel_size", kernel_size), check_pair("stride", stride),
                      check_pair("padding", padding, allow_zero=True))
    columns = np.asarray(columns, dtype=np.float64)
    if columns.shape != (plan.n_rows, n * plan.n_positions):
        raise ValueError(f"columns must have shape {(plan.n_rows, n * plan.n_positions)}, "
                         f"got columns.shape={columns.shape}")
    buffer, view = plan.columns_buffer(n)
    view.reshape(plan.n_rows, plan.n_positions, n)[...] = columns.reshape(plan.n_rows, n, -1).transpose(0, 2, 1)
    return plan.fold(buffer)

