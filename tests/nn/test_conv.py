"""The image layers (convolutions, batch normalization, pooling, upsampling, reshaping): forwards against direct loops written here, backwards against central
differences (relative error < 1e-7) and in random directions, the adjoint identities that tie conv2d to
conv_transpose2d and im2col to col2im, and batch normalization's running statistics against numpy."""

import numpy as np
import pytest
from support.gradcheck import (
    assert_directional_derivative_matches,
    assert_gradient_matches,
    numerical_gradient,
)

from ganmath.nn import batchnorm, conv, im2col, resample
from ganmath.nn.batchnorm import BatchNorm
from ganmath.nn.conv import Conv2d, ConvTranspose2d
from ganmath.nn.layers import LeakyReLU, Linear, ReLU, Tanh
from ganmath.nn.mlp import Workspace
from ganmath.nn.optimizers import SGD
from ganmath.nn.parameters import flat_parameters
from ganmath.nn.resample import AvgPool2d, Flatten, Reshape, UpsampleNearest

# (input shape, out channels, kernel, stride, padding): stride 2, padding 1, odd and non-square sizes,
# a padding as wide as the kernel (columns that read only zeros), the DCGAN's 8 -> 4 -> 2.
CONV_CASES = [
    ((2, 3, 7, 5), 4, (3, 2), (2, 1), (1, 0)),
    ((2, 2, 8, 8), 3, 4, 2, 1),
    ((3, 1, 5, 5), 2, 3, 1, 1),
    ((2, 2, 6, 7), 2, 1, 2, 1),
    ((1, 3, 4, 4), 2, 4, 2, 1),
]
# (input shape, out channels, kernel, stride, padding, output padding): 4x4 -> 8x8, odd sizes with output
# padding, stride 1, and 4x4 -> 9x9.
CONV_TRANSPOSE_CASES = [
    ((2, 3, 4, 4), 2, 4, 2, 1, 0),
    ((2, 2, 3, 5), 3, (3, 2), (2, 3), (1, 0), (1, 2)),
    ((1, 3, 5, 5), 2, 3, 1, 1, 0),
    ((2, 2, 4, 4), 1, 4, 2, 1, 1),
]


def _pair(value):
    return value if isinstance(value, tuple) else (value, value)


def _case_id(case):
    return "x".join(map(str, case[0])) + "-" + "-".join(str(v) for v in case[1:])


# --- independent references: loops over output pixels, written from the definitions ----------------


def reference_conv2d(x, weight, bias, stride, padding):
    """Cross-correlation by a loop over output pixels, on an explicitly zero-padded copy of x."""
    (stride_h, stride_w), (pad_h, pad_w) = _pair(stride), _pair(padding)
    kernel_h, kernel_w = weight.shape[2:]
    padded = np.pad(x, ((0, 0), (0, 0), (pad_h, pad_h), (pad_w, pad_w)))
    out_h = (padded.shape[2] - kernel_h) // stride_h + 1
    out_w = (padded.shape[3] - kernel_w) // stride_w + 1
    out = np.empty((x.shape[0], weight.shape[0], out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            patch = padded[:, :, stride_h * i: stride_h * i + kernel_h, stride_w * j: stride_w * j + kernel_w]
            out[:, :, i, j] = np.einsum("ncab,ocab->no", patch, weight) + bias
    return out


def reference_conv_transpose2d(x, weight, bias, stride, padding, output_padding):
    """Every input pixel adds x[n, c, i, j] * weight[c] onto the output window at (s i, s j) of a canvas,
    which is then cropped by the padding."""
    (stride_h, stride_w), (pad_h, pad_w) = _pair(stride), _pair(padding)
    extra_h, extra_w = _pair(output_padding)
    n, _, height, width = x.shape
    kernel_h, kernel_w = weight.shape[2:]
    canvas = np.zeros((n, weight.shape[1], (height - 1) * stride_h + kernel_h + extra_h,
                       (width - 1) * stride_w + kernel_w + extra_w))
    for i in range(height):
        for j in range(width):
            window = canvas[:, :, stride_h * i: stride_h * i + kernel_h, stride_w * j: stride_w * j + kernel_w]
            window += np.einsum("nc,coab->noab", x[:, :, i, j], weight)
    out = canvas[:, :, pad_h: canvas.shape[2] - pad_h, pad_w: canvas.shape[3] - pad_w]
    return out + bias[:, None, None]


def reference_batch_norm(x, gamma, beta, mean, var, eps):
    axes = (0,) if x.ndim == 2 else (0, 2, 3)
    shape = [1] * x.ndim
    shape[1] = -1
    if mean is None:
        mean, var = x.mean(axis=axes), x.var(axis=axes)
    return gamma.reshape(shape) * (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps) + beta.reshape(shape)


# --- gradient checks --------------------------------------------------------------------------------


def _check_layer_gradients(layer, x, rng, what):
    """Every gradient of L = <u, layer(x)> (inputs and parameters) against central differences, and
    <v, J^T u> against the finite difference of L along a random v, for the inputs and each parameter."""
    outputs, cache = layer.forward(x)
    weights = rng.normal(size=outputs.shape)

    def loss():
        return float(np.sum(weights * layer.forward(x)[0]))

    if hasattr(layer, "zero_grad"):
        layer.zero_grad()
    grad_inputs = layer.backward(weights, cache)
    assert grad_inputs.shape == x.shape
    assert_gradient_matches(grad_inputs, numerical_gradient(loss, x), what=f"{what} input gradient")
    assert_directional_derivative_matches(loss, x, grad_inputs, rng, what=f"{what} input gradient")
    for name, value, gradient in getattr(layer, "named_parameters", list)():
        assert_gradient_matches(gradient, numerical_gradient(loss, value), what=f"{what} {name} gradient")
        assert_directional_derivative_matches(loss, value, gradient, rng, what=f"{what} {name} gradient")


@pytest.mark.parametrize("case", CONV_CASES, ids=_case_id)
def test_conv2d_forward_matches_a_loop_and_every_gradient_matches_central_differences(case):
    shape, out_channels, kernel, stride, padding = case
    rng = np.random.default_rng(10)
    layer = Conv2d.random(shape[1], out_channels, kernel, rng, stride=stride, padding=padding)
    x = rng.normal(size=shape)
    outputs, cache = layer.forward(x)
    assert cache._fields == ("columns", "plan")
    expected = reference_conv2d(x, layer.weight, layer.bias, stride, padding)
    assert outputs.shape == expected.shape
    np.testing.assert_allclose(outputs, expected, rtol=1e-13, atol=1e-14)
    _check_layer_gradients(layer, x, rng, f"conv2d {case}")


@pytest.mark.parametrize("case", CONV_TRANSPOSE_CASES, ids=_case_id)
def test_conv_transpose2d_forward_matches_a_loop_and_every_gradient_matches_central_differences(case):
    shape, out_channels, kernel, stride, padding, output_padding = case
    rng = np.random.default_rng(11)
    layer = ConvTranspose2d.random(shape[1], out_channels, kernel, rng, stride=stride, padding=padding,
                                   output_padding=output_padding)
    x = rng.normal(size=shape)
    outputs, cache = layer.forward(x)
    assert cache._fields == ("input_matrix", "plan")
    expected = reference_conv_transpose2d(x, layer.weight, layer.bias, stride, padding, output_padding)
    assert outputs.shape == expected.shape
    np.testing.assert_allclose(outputs, expected, rtol=1e-13, atol=1e-14)
    _check_layer_gradients(layer, x, rng, f"conv_transpose2d {case}")


def test_the_dcgan_shapes():
    rng = np.random.default_rng(12)
    images = rng.normal(size=(3, 1, 8, 8))
    hidden, _ = Conv2d.random(1, 4, 4, rng, stride=2, padding=1).forward(images)
    assert hidden.shape == (3, 4, 4, 4)
    assert Conv2d.random(4, 8, 4, rng, stride=2, padding=1).forward(hidden)[0].shape == (3, 8, 2, 2)
    assert ConvTranspose2d.random(4, 1, 4, rng, stride=2, padding=1).forward(hidden)[0].shape == (3, 1, 8, 8)
    assert im2col.conv_output_size(8, 4, 2, 1) == 4 and im2col.conv_transpose_output_size(4, 4, 2, 1) == 8
    assert im2col.conv_transpose_output_size(4, 3, 2, 1, output_padding=1) == 8


@pytest.mark.parametrize("shape", [(4, 3, 3, 5), (6, 4)], ids=["images", "features"])
@pytest.mark.parametrize("training", [True, False], ids=["training", "inference"])
def test_batch_norm_forward_and_every_gradient(shape, training):
    rng = np.random.default_rng(13)
    channels = shape[1]
    layer = BatchNorm(channels, gamma=rng.normal(size=channels), beta=rng.normal(size=channels))
    if not training:
        layer.training = False
        layer.running_mean[...] = rng.normal(size=channels)
        layer.running_var[...] = rng.uniform(0.5, 2.0, size=channels)
    x = rng.normal(1.0, 2.0, size=shape)
    outputs, cache = layer.forward(x)
    assert cache.training is training
    statistics = (None, None) if training else (layer.running_mean, layer.running_var)
    expected = reference_batch_norm(x, layer.gamma, layer.beta, *statistics, layer.eps)
    np.testing.assert_allclose(outputs, expected, rtol=1e-13, atol=1e-13)
    # The gradient check calls forward again and again; the running statistics it moves are not read
    # in training mode and not moved in inference mode.
    _check_layer_gradients(layer, x, rng, f"batch norm {shape} {'training' if training else 'inference'}")


def test_batch_norm_running_statistics_follow_torchs_update():
    rng = np.random.default_rng(14)
    momentum = 0.3
    layer = BatchNorm(3, momentum=momentum)
    np.testing.assert_array_equal(layer.running_mean, np.zeros(3))
    np.testing.assert_array_equal(layer.running_var, np.ones(3))
    mean, var = np.zeros(3), np.ones(3)
    for step in range(4):
        x = rng.normal(step, 1.0 + step, size=(5, 3, 2, 3))
        layer.forward(x)
        # the unbiased variance of the 5 * 2 * 3 = 30 values of each channel, as torch keeps
        mean = (1 - momentum) * mean + momentum * x.mean(axis=(0, 2, 3))
        var = (1 - momentum) * var + momentum * x.var(axis=(0, 2, 3), ddof=1)
        np.testing.assert_allclose(layer.running_mean, mean, rtol=1e-14, atol=1e-15)
        np.testing.assert_allclose(layer.running_var, var, rtol=1e-14)
    layer.training = False
    before = (layer.running_mean.copy(), layer.running_var.copy())
    x = rng.normal(size=(2, 3, 2, 2))
    outputs, _ = layer.forward(x)
    np.testing.assert_allclose(outputs, reference_batch_norm(x, layer.gamma, layer.beta, mean, var, layer.eps),
                               rtol=1e-13)
    assert np.array_equal(layer.running_mean, before[0]) and np.array_equal(layer.running_var, before[1])


def test_batch_norm_normalizes_with_the_biased_variance():
    rng = np.random.default_rng(15)
    x = rng.normal(3.0, 5.0, size=(4, 2, 3, 3))
    outputs, cache = batchnorm.batch_norm_forward(x, np.ones(2), np.zeros(2), eps=0.0)
    np.testing.assert_allclose(outputs.mean(axis=(0, 2, 3)), 0.0, atol=1e-14)
    np.testing.assert_allclose(outputs.var(axis=(0, 2, 3)), 1.0, rtol=1e-13)  # ddof=0
    np.testing.assert_allclose(cache.var, x.var(axis=(0, 2, 3)), rtol=1e-13)


@pytest.mark.parametrize("shape, kernel", [((2, 3, 8, 8), 2), ((2, 2, 7, 9), (2, 3)), ((1, 2, 6, 4), (3, 1)),
                                           ((1, 2, 8, 5), 3)])
def test_avg_pool2d_forward_and_gradient(shape, kernel):
    rng = np.random.default_rng(16)
    layer = AvgPool2d(kernel)
    kernel_h, kernel_w = _pair(kernel)
    x = rng.normal(size=shape)
    outputs, _ = layer.forward(x)
    out_h, out_w = shape[2] // kernel_h, shape[3] // kernel_w
    expected = np.empty(shape[:2] + (out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            expected[:, :, i, j] = x[:, :, kernel_h * i: kernel_h * (i + 1), kernel_w * j: kernel_w * (j + 1)].mean(
                axis=(2, 3))
    np.testing.assert_allclose(outputs, expected, rtol=1e-14, atol=1e-15)
    _check_layer_gradients(layer, x, rng, f"avg_pool2d {shape} {kernel}")


@pytest.mark.parametrize("shape, scale", [((2, 3, 4, 4), 2), ((1, 2, 3, 5), (3, 2))])
def test_upsample_nearest_forward_and_gradient(shape, scale):
    rng = np.random.default_rng(17)
    layer = UpsampleNearest(scale)
    x = rng.normal(size=shape)
    outputs, _ = layer.forward(x)
    expected = np.stack([np.stack([np.kron(image, np.ones(_pair(scale))) for image in sample]) for sample in x])
    np.testing.assert_array_equal(outputs, expected)  # a copy, exactly
    _check_layer_gradients(layer, x, rng, f"upsample {shape} {scale}")


@pytest.mark.parametrize("activation", [ReLU(), LeakyReLU(0.2), Tanh()], ids=repr)
def test_the_activations_of_layers_work_on_images(activation):
    rng = np.random.default_rng(18)
    x = rng.normal(size=(2, 3, 4, 5))
    x = np.where(np.abs(x) < 0.05, 0.05, x)  # away from the kink, so the stencil does not cross it
    _check_layer_gradients(activation, x, rng, repr(activation))


def test_reshape_and_flatten_round_trip():
    rng = np.random.default_rng(19)
    x = rng.normal(size=(5, 64))
    images, cache = Reshape(4, 4, 4).forward(x)
    assert images.shape == (5, 4, 4, 4) and np.shares_memory(images, x)
    rows, flat_cache = Flatten().forward(images)
    np.testing.assert_array_equal(rows, x)
    grad = rng.normal(size=rows.shape)
    np.testing.assert_array_equal(Reshape(4, 4, 4).backward(Flatten().backward(grad, flat_cache), cache), grad)
    assert Reshape(-1, 2).forward(x)[0].shape == (5, 32, 2)


# --- identities ------------------------------------------------------------------------------------


def _assert_adjoint(a, b, x, y, what):
    """<A x, y> = <x, A* y>, up to rounding relative to |A x| |y| (the inner product itself may be
    small by cancellation)."""
    left, right = float(np.vdot(a, y)), float(np.vdot(x, b))
    scale = np.linalg.norm(a) * np.linalg.norm(y)
    assert abs(left - right) < 1e-14 * scale, f"{what}: <A x, y> = {left!r} but <x, A* y> = {right!r}"


@pytest.mark.parametrize("case", CONV_CASES, ids=_case_id)
def test_im2col_puts_every_patch_in_a_column(case):
    shape, _, kernel, stride, padding = case
    (kernel_h, kernel_w), (stride_h, stride_w), (pad_h, pad_w) = _pair(kernel), _pair(stride), _pair(padding)
    x = np.random.default_rng(27).normal(size=shape)
    columns = im2col.im2col(x, kernel, stride, padding)
    padded = np.pad(x, ((0, 0), (0, 0), (pad_h, pad_h), (pad_w, pad_w)))
    out_h = (padded.shape[2] - kernel_h) // stride_h + 1
    out_w = (padded.shape[3] - kernel_w) // stride_w + 1
    assert columns.shape == (shape[1] * kernel_h * kernel_w, shape[0] * out_h * out_w)
    for n in range(shape[0]):
        for i in range(out_h):
            for j in range(out_w):
                patch = padded[n, :, stride_h * i: stride_h * i + kernel_h, stride_w * j: stride_w * j + kernel_w]
                np.testing.assert_array_equal(columns[:, (n * out_h + i) * out_w + j], patch.reshape(-1))


@pytest.mark.parametrize("case", CONV_CASES, ids=_case_id)
def test_col2im_is_the_adjoint_of_im2col(case):
    shape, _, kernel, stride, padding = case
    rng = np.random.default_rng(20)
    x = rng.normal(size=shape)
    columns = im2col.im2col(x, kernel, stride, padding)
    y = rng.normal(size=columns.shape)
    folded = im2col.col2im(y, shape, kernel, stride, padding)
    assert folded.shape == shape
    _assert_adjoint(columns, folded, x, y, f"im2col / col2im {case}")


@pytest.mark.parametrize("case", CONV_CASES, ids=_case_id)
def test_conv_transpose2d_is_the_adjoint_of_conv2d(case):
    """<conv2d(x, W), y> = <x, conv_transpose2d(y, W)>: the same weight array serves both, as (C_out, C_in)
    of the convolution and (C_in, C_out) of the transposed one."""
    shape, out_channels, kernel, stride, padding = case
    rng = np.random.default_rng(21)
    kernel, stride, padding = _pair(kernel), _pair(stride), _pair(padding)
    weight = rng.normal(size=(out_channels, shape[1]) + kernel)
    x = rng.normal(size=shape)
    outputs, _ = conv.conv2d_forward(x, weight, None, stride, padding)
    y = rng.normal(size=outputs.shape)
    # the output padding that brings the transposed convolution back to x's size
    extra = tuple((size + 2 * p - k) % s for size, k, s, p in zip(shape[2:], kernel, stride, padding))
    back, _ = conv.conv_transpose2d_forward(y, weight, None, stride, padding, extra)
    assert back.shape == shape
    _assert_adjoint(outputs, back, x, y, f"conv2d / conv_transpose2d {case}")


def test_upsampling_is_k_squared_times_the_adjoint_of_average_pooling():
    rng = np.random.default_rng(22)
    x, y = rng.normal(size=(2, 3, 6, 8)), rng.normal(size=(2, 3, 3, 4))
    pooled, _ = resample.avg_pool2d_forward(x, 2)
    upsampled, _ = resample.upsample_nearest_forward(y, 2)
    _assert_adjoint(pooled, upsampled / 4, x, y, "avg_pool2d / upsample")


# --- the classes -------------------------------------------------------------------------------------


def _parametrized_layers(rng):
    return [
        (Conv2d.random(2, 3, 3, rng, stride=2, padding=1), (4, 2, 5, 5)),
        (ConvTranspose2d.random(2, 3, 4, rng, stride=2, padding=1), (4, 2, 3, 3)),
        (BatchNorm(2, gamma=rng.normal(size=2), beta=rng.normal(size=2)), (4, 2, 3, 3)),
    ]


def test_gradients_accumulate_and_input_gradient_alone_leaves_them():
    rng = np.random.default_rng(23)
    for layer, shape in _parametrized_layers(rng):
        x1, x2 = rng.normal(size=shape), rng.normal(size=shape)
        out1, cache1 = layer.forward(x1)
        g1 = rng.normal(size=out1.shape)
        out2, cache2 = layer.forward(x2)
        g2 = rng.normal(size=out2.shape)
        layer.zero_grad()
        layer.backward(g1, cache1)
        first = [gradient.copy() for _, _, gradient in layer.named_parameters()]
        layer.zero_grad()
        layer.backward(g2, cache2)
        second = [gradient.copy() for _, _, gradient in layer.named_parameters()]
        layer.zero_grad()
        grad_inputs = layer.backward(g1, cache1)
        assert layer.backward(g2, cache2, input_gradient=False) is None
        # Two passes add up: what D sees with a real and a fake batch.
        for (name, _, gradient), a, b in zip(layer.named_parameters(), first, second):
            np.testing.assert_allclose(gradient, a + b, rtol=1e-14, err_msg=f"{layer!r} {name}")
        before = [gradient.copy() for _, _, gradient in layer.named_parameters()]
        np.testing.assert_allclose(layer.backward_inputs(g1, cache1), grad_inputs, rtol=1e-14)
        for (name, _, gradient), kept in zip(layer.named_parameters(), before):
            assert np.array_equal(gradient, kept), f"{layer!r}: backward_inputs changed grad_{name}"
        layer.zero_grad()
        assert not any(gradient.any() for _, _, gradient in layer.named_parameters())


def test_buffers_give_the_same_bits_and_are_reused():
    rng = np.random.default_rng(24)
    layers = _parametrized_layers(rng) + [(AvgPool2d(2), (3, 2, 4, 6)), (UpsampleNearest(2), (3, 2, 2, 3))]
    for layer, shape in layers:
        x = rng.normal(size=shape)
        workspace = Workspace()
        plain, plain_cache = layer.forward(x)
        grad = rng.normal(size=plain.shape)
        expected_inputs = layer.backward_inputs(grad, plain_cache)
        buffered, cache = layer.forward(x, workspace.scope(0))
        np.testing.assert_array_equal(buffered, plain, err_msg=repr(layer))
        grad_inputs = layer.backward_inputs(grad, cache, buffers=workspace.scope(0))
        np.testing.assert_array_equal(grad_inputs, expected_inputs, err_msg=repr(layer))
        again, _ = layer.forward(rng.normal(size=shape), workspace.scope(0))
        assert np.shares_memory(again, buffered), f"{layer!r} did not reuse its output buffer"


def test_flat_parameters_lay_every_layer_over_one_vector():
    rng = np.random.default_rng(25)
    linear = Linear(rng.normal(size=(8, 1)), rng.normal(size=1))
    batch_norm = BatchNorm(2)
    batch_norm.running_mean[...] = [0.5, -0.5]
    layers = [Conv2d.random(1, 2, 4, rng, stride=2, padding=1), batch_norm, LeakyReLU(0.2),
              ConvTranspose2d.random(2, 2, 3, rng, padding=1), Flatten(), linear]
    x = rng.normal(size=(3, 1, 4, 4))

    def network(stack, inputs):
        caches = []
        for layer in stack:
            inputs, cache = layer.forward(inputs)
            caches.append(cache)
        return inputs, caches

    before, _ = network(layers, x)
    rebuilt, parameters, gradients = flat_parameters(layers)
    sizes = [value.size for layer in rebuilt for _, value, _ in getattr(layer, "named_parameters", list)()]
    assert parameters.shape == gradients.shape == (sum(sizes) + 9,)  # + the linear layer's 8 weights and bias
    assert rebuilt[2] is layers[2] and rebuilt[4] is layers[4]
    # running statistics are copied (the training-mode pass above has moved them from [0.5, -0.5])
    np.testing.assert_array_equal(rebuilt[1].running_mean, batch_norm.running_mean)
    assert not np.shares_memory(rebuilt[1].running_mean, batch_norm.running_mean)
    outputs, caches = network(rebuilt, x)
    np.testing.assert_array_equal(outputs, before)
    for layer in (rebuilt[0], rebuilt[1], rebuilt[3]):
        for name, value, gradient in layer.named_parameters():
            assert np.shares_memory(value, parameters) and np.shares_memory(gradient, gradients), name
    assert np.shares_memory(rebuilt[5].weight, parameters)
    # Gradients land in the flat vector, and an optimizer stepping it moves every layer.
    gradients.fill(0.0)
    grad = np.ones_like(outputs)
    for layer, cache in zip(reversed(rebuilt), reversed(caches)):
        grad = layer.backward(grad, cache)
    assert np.count_nonzero(gradients) > 0.9 * gradients.size
    weight = rebuilt[0].weight.copy()
    SGD(parameters, gradients, lr=0.1).step()
    assert not np.array_equal(rebuilt[0].weight, weight)


def test_a_small_discriminator_gradient_over_its_flat_parameters():
    """conv -> batch norm -> tanh -> strided conv -> flatten -> linear: the whole gradient,
    one flat vector, against central differences."""
    rng = np.random.default_rng(26)
    layers, parameters, gradients = flat_parameters([
        Conv2d.random(1, 2, 3, rng, padding=1), BatchNorm(2), Tanh(),
        Conv2d.random(2, 3, 4, rng, stride=2, padding=1), Flatten(),
        Linear(rng.normal(size=(12, 1)) / 4, rng.normal(size=1)),
    ])
    x = rng.normal(size=(3, 1, 4, 4))
    u = rng.normal(size=(3, 1))

    def forward():
        hidden, caches = x, []
        for layer in layers:
            hidden, cache = layer.forward(hidden)
            caches.append(cache)
        return hidden, caches

    def loss():
        return float(np.sum(u * forward()[0]))

    _, caches = forward()
    gradients.fill(0.0)
    grad = u
    for layer, cache in zip(reversed(layers), reversed(caches)):
        grad = layer.backward(grad, cache)
    assert_gradient_matches(gradients, numerical_gradient(loss, parameters), what="discriminator parameters")
    assert_directional_derivative_matches(loss, parameters, gradients, rng, what="discriminator parameters")
    assert_gradient_matches(grad, numerical_gradient(loss, x), what="discriminator input gradient")


# --- validation --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: conv.conv2d_forward(np.ones((2, 3, 5, 5)), np.ones((4, 2, 3, 3)), np.ones(4)), ValueError,
         ["inputs", "2 channels"]),
        (lambda: conv.conv2d_forward(np.ones((3, 5, 5)), np.ones((4, 3, 3, 3)), np.ones(4)), ValueError,
         ["inputs", "(N, C, H, W)"]),
        (lambda: conv.conv2d_forward(np.ones((1, 1, 2, 2)), np.ones((1, 1, 3, 3)), np.ones(1)), ValueError,
         ["3x3", "2x2"]),
        (lambda: conv.conv2d_forward(np.ones((1, 1, 4, 4)), np.ones((1, 1, 3, 3)), np.ones(2)), ValueError,
         ["bias", "(1,)"]),
        (lambda: Conv2d(np.ones((2, 1, 3, 3), dtype=np.float32), np.ones(2)), TypeError, ["weight", "float64"]),
        (lambda: Conv2d(np.ones((2, 1, 3, 3)), np.ones(2), stride=0), ValueError, ["stride", "0"]),
        (lambda: Conv2d(np.ones((2, 1, 3, 3)), np.ones(2), padding=(1, 2, 3)), ValueError, ["padding"]),
        (lambda: ConvTranspose2d(np.ones((2, 1, 3, 3)), np.ones(2)), ValueError, ["bias", "(1,)"]),
        (lambda: conv.conv_transpose2d_forward(np.ones((1, 1, 3, 3)), np.ones((1, 1, 3, 3)), None, 2, 1, 2),
         ValueError, ["output_padding", "stride"]),
        (lambda: BatchNorm(3, momentum=1.5), ValueError, ["momentum", "1.5"]),
        (lambda: BatchNorm(3).forward(np.ones((4, 2, 2, 2))), ValueError, ["3 channels"]),
        (lambda: BatchNorm(3).forward(np.ones((1, 3))), ValueError, ["more than one value"]),
        (lambda: batchnorm.batch_norm_forward(np.ones((4, 3)), np.ones(3), np.ones(3), mean=np.zeros(3)), ValueError,
         ["mean and var"]),
        (lambda: AvgPool2d(3).forward(np.ones((1, 1, 2, 2))), ValueError, ["kernel_size", "2x2"]),
        (lambda: Reshape(-1, -1), ValueError, ["shape"]),
        (lambda: Conv2d.random(1, 2, 3, rng=0), TypeError, ["rng"]),
    ],
)
def test_bad_inputs_name_the_parameter(make, error, words):
    with pytest.raises(error) as info:
        make()
    for word in words:
        assert word in str(info.value)
