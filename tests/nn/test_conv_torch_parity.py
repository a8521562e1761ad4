"""The image layers (convolutions, batch normalization, pooling, upsampling) equal torch.nn.functional (float64, same inputs and weights) to 1e-10,
forward and backward, and one DCGAN iteration's gradients equal autograd's.

Skipped when torch is not installed: it is never a dependency of ganmath.
"""

import numpy as np
import pytest
from support.gradcheck import relative_error

from ganmath.nn import resample
from ganmath.nn.batchnorm import BatchNorm
from ganmath.nn.conv import Conv2d, ConvTranspose2d
from ganmath.nn.layers import LeakyReLU, Linear, ReLU, Tanh
from ganmath.nn.losses import discriminator_loss, generator_loss
from ganmath.nn.parameters import flat_parameters
from ganmath.nn.resample import Flatten, Reshape

torch = pytest.importorskip("torch")
functional = torch.nn.functional

TOLERANCE = 1e-10


def _assert_close(ours, theirs, what):
    theirs = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else theirs
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape} against torch's {theirs.shape}"
    error = relative_error(ours, theirs)
    assert error < TOLERANCE, f"{what}: relative error {error:.3e} against torch"


def _leaf(array):
    return torch.tensor(array, dtype=torch.float64, requires_grad=True)


CONV_CASES = [  # (input shape, out channels, kernel, stride, padding)
    ((64, 1, 8, 8), 32, 4, 2, 1),
    ((64, 32, 4, 4), 64, 4, 2, 1),
    ((3, 3, 7, 5), 4, (3, 2), (2, 1), (1, 0)),
    ((2, 2, 9, 6), 3, 3, 1, 2),
    ((2, 4, 5, 5), 2, 1, 2, 0),
]
CONV_TRANSPOSE_CASES = [  # (input shape, out channels, kernel, stride, padding, output padding)
    ((64, 64, 4, 4), 32, 4, 2, 1, 0),
    ((64, 64, 4, 4), 1, 4, 2, 1, 0),
    ((3, 2, 3, 5), 3, (3, 2), (2, 3), (1, 0), (1, 2)),
    ((2, 3, 5, 5), 2, 3, 1, 1, 0),
    ((2, 2, 4, 4), 1, 4, 2, 1, 1),
]


@pytest.mark.parametrize("case", CONV_CASES, ids=str)
def test_conv2d_matches_torch(case):
    shape, out_channels, kernel, stride, padding = case
    rng = np.random.default_rng(0)
    layer = Conv2d.random(shape[1], out_channels, kernel, rng, stride=stride, padding=padding)
    x = rng.normal(size=shape)
    outputs, cache = layer.forward(x)
    grad = rng.normal(size=outputs.shape)
    grad_inputs = layer.backward(grad, cache)

    x_t, weight_t, bias_t = _leaf(x), _leaf(layer.weight), _leaf(layer.bias)
    outputs_t = functional.conv2d(x_t, weight_t, bias_t, stride=stride, padding=padding)
    outputs_t.backward(torch.from_numpy(grad))
    _assert_close(outputs, outputs_t, f"conv2d {case} outputs")
    _assert_close(grad_inputs, x_t.grad, f"conv2d {case} input gradient")
    _assert_close(layer.grad_weight, weight_t.grad, f"conv2d {case} weight gradient")
    _assert_close(layer.grad_bias, bias_t.grad, f"conv2d {case} bias gradient")


@pytest.mark.parametrize("case", CONV_TRANSPOSE_CASES, ids=str)
def test_conv_transpose2d_matches_torch(case):
    shape, out_channels, kernel, stride, padding, output_padding = case
    rng = np.random.default_rng(1)
    layer = ConvTranspose2d.random(shape[1], out_channels, kernel, rng, stride=stride, padding=padding,
                                   output_padding=output_padding)
    x = rng.normal(size=shape)
    outputs, cache = layer.forward(x)
    grad = rng.normal(size=outputs.shape)
    grad_inputs = layer.backward(grad, cache)

    x_t, weight_t, bias_t = _leaf(x), _leaf(layer.weight), _leaf(layer.bias)
    outputs_t = functional.conv_transpose2d(x_t, weight_t, bias_t, stride=stride, padding=padding,
                                            output_padding=output_padding)
    outputs_t.backward(torch.from_numpy(grad))
    _assert_close(outputs, outputs_t, f"conv_transpose2d {case} outputs")
    _assert_close(grad_inputs, x_t.grad, f"conv_transpose2d {case} input gradient")
    _assert_close(layer.grad_weight, weight_t.grad, f"conv_transpose2d {case} weight gradient")
    _assert_close(layer.grad_bias, bias_t.grad, f"conv_transpose2d {case} bias gradient")


@pytest.mark.parametrize("shape", [(64, 64, 2, 2), (8, 3, 5, 7), (16, 5)], ids=str)
def test_batch_norm_matches_torch_in_both_modes_with_its_running_statistics(shape):
    rng = np.random.default_rng(2)
    channels = shape[1]
    layer = BatchNorm(channels, momentum=0.2, eps=1e-4, gamma=rng.normal(size=channels),
                      beta=rng.normal(size=channels))
    running_mean = torch.zeros(channels, dtype=torch.float64)
    running_var = torch.ones(channels, dtype=torch.float64)
    for step in range(4):
        training = step < 3
        layer.training = training
        x = rng.normal(step, 1.0 + step, size=shape)
        outputs, cache = layer.forward(x)
        grad = rng.normal(size=shape)
        layer.zero_grad()
        grad_inputs = layer.backward(grad, cache)

        x_t, gamma_t, beta_t = _leaf(x), _leaf(layer.gamma), _leaf(layer.beta)
        outputs_t = functional.batch_norm(x_t, running_mean, running_var, gamma_t, beta_t, training=training,
                                          momentum=0.2, eps=1e-4)
        outputs_t.backward(torch.from_numpy(grad))
        what = f"batch norm {shape} step {step} ({'training' if training else 'inference'})"
        _assert_close(outputs, outputs_t, f"{what} outputs")
        _assert_close(grad_inputs, x_t.grad, f"{what} input gradient")
        _assert_close(layer.grad_gamma, gamma_t.grad, f"{what} gamma gradient")
        _assert_close(layer.grad_beta, beta_t.grad, f"{what} beta gradient")
        _assert_close(layer.running_mean, running_mean, f"{what} running mean")
        _assert_close(layer.running_var, running_var, f"{what} running variance")


@pytest.mark.parametrize("shape, kernel", [((64, 32, 8, 8), 2), ((3, 2, 7, 9), (2, 3))], ids=str)
def test_avg_pool2d_matches_torch(shape, kernel):
    rng = np.random.default_rng(3)
    x = rng.normal(size=shape)
    outputs, cache = resample.avg_pool2d_forward(x, kernel)
    grad = rng.normal(size=outputs.shape)
    x_t = _leaf(x)
    outputs_t = functional.avg_pool2d(x_t, kernel)
    outputs_t.backward(torch.from_numpy(grad))
    _assert_close(outputs, outputs_t, f"avg_pool2d {shape} {kernel} outputs")
    _assert_close(resample.avg_pool2d_backward(grad, cache), x_t.grad, f"avg_pool2d {shape} {kernel} input gradient")


@pytest.mark.parametrize("shape, scale", [((64, 64, 4, 4), 2), ((3, 2, 3, 5), (3, 2))], ids=str)
def test_upsample_nearest_matches_torch_interpolate(shape, scale):
    rng = np.random.default_rng(4)
    x = rng.normal(size=shape)
    outputs, cache = resample.upsample_nearest_forward(x, scale)
    grad = rng.normal(size=outputs.shape)
    x_t = _leaf(x)
    outputs_t = functional.interpolate(x_t, scale_factor=scale, mode="nearest")
    outputs_t.backward(torch.from_numpy(grad))
    _assert_close(outputs, outputs_t, f"upsample {shape} {scale} outputs")
    _assert_close(resample.upsample_nearest_backward(grad, cache), x_t.grad, f"upsample {shape} {scale} input gradient")


# --- one DCGAN iteration ------------------------------------------------------------------------------


def _network(layers, inputs):
    caches = []
    for layer in layers:
        inputs, cache = layer.forward(inputs)
        caches.append(cache)
    return inputs, caches


def _backward(layers, grad, caches):
    for layer, cache in zip(reversed(layers), reversed(caches)):
        grad = layer.backward(grad, cache)
    return grad


def _backward_inputs(layers, grad, caches):
    for layer, cache in zip(reversed(layers), reversed(caches)):
        grad = layer.backward_inputs(grad, cache)
    return grad


def _torch_twin(layers):
    """nn.Sequential with the same weights (torch keeps a linear weight as (out, in))."""
    nn, modules = torch.nn, []
    for layer in layers:
        if isinstance(layer, Linear):
            module = nn.Linear(*layer.weight.shape, dtype=torch.float64)
            weight, bias = layer.weight.T, layer.bias
        elif isinstance(layer, (Conv2d, ConvTranspose2d)):
            kind = nn.Conv2d if isinstance(layer, Conv2d) else nn.ConvTranspose2d
            channels = layer.weight.shape[1::-1] if kind is nn.Conv2d else layer.weight.shape[:2]
            module = kind(*channels, layer.weight.shape[2:], stride=layer.stride, padding=layer.padding,
                          dtype=torch.float64)
            weight, bias = layer.weight, layer.bias
        else:
            module = (nn.BatchNorm2d(layer.num_features, dtype=torch.float64) if isinstance(layer, BatchNorm)
                      else nn.Flatten() if isinstance(layer, Flatten)
                      else nn.Unflatten(1, layer.shape) if isinstance(layer, Reshape)
                      else nn.LeakyReLU(layer.slope) if isinstance(layer, LeakyReLU)
                      else {ReLU: nn.ReLU, Tanh: nn.Tanh}[type(layer)]())
            modules.append(module)
            continue
        with torch.no_grad():
            module.weight.copy_(torch.from_numpy(np.ascontiguousarray(weight)))
            module.bias.copy_(torch.from_numpy(bias.copy()))
        modules.append(module)
    return nn.Sequential(*modules)


def _torch_gradient(module, layers):
    """Torch's gradients in the order of our flat vector (a linear weight transposed back to (in, out))."""
    parts = []
    for twin, layer in zip(module, layers):
        if isinstance(layer, Linear):
            parts += [twin.weight.grad.T, twin.bias.grad]
        elif isinstance(layer, BatchNorm):
            parts += [twin.weight.grad, twin.bias.grad]
        elif isinstance(layer, (Conv2d, ConvTranspose2d)):
            parts += [twin.weight.grad, twin.bias.grad]
    return np.concatenate([part.numpy().ravel() for part in parts])


def test_a_dcgan_iteration_matches_torch_autograd():
    """D's gradient from a real and a fake batch (accumulated), then G's gradient through D with the
    non-saturating loss, for G: z -> 64x4x4 -> BN -> ReLU -> ConvT -> 8x8 -> tanh and D: 8 -> 4 -> 2."""
    rng = np.random.default_rng(5)
    generator, g_parameters, g_gradients = flat_parameters([
        Linear(rng.normal(size=(16, 256)) / 4, rng.normal(size=256) / 4), Reshape(16, 4, 4), BatchNorm(16), ReLU(),
        ConvTranspose2d.random(16, 1, 4, rng, stride=2, padding=1), Tanh(),
    ])
    discriminator, d_parameters, d_gradients = flat_parameters([
        Conv2d.random(1, 8, 4, rng, stride=2, padding=1), LeakyReLU(0.2),
        Conv2d.random(8, 16, 4, rng, stride=2, padding=1), BatchNorm(16), LeakyReLU(0.2), Flatten(),
        Linear(rng.normal(size=(64, 1)) / 8, rng.normal(size=1)),
    ])
    generator_t, discriminator_t = _torch_twin(generator), _torch_twin(discriminator)
    real, noise = rng.uniform(-1, 1, size=(32, 1, 8, 8)), rng.normal(size=(32, 16))

    fake, generator_caches = _network(generator, noise)
    real_logits, real_caches = _network(discriminator, real)
    fake_logits, fake_caches = _network(discriminator, fake)
    loss_d, grad_real, grad_fake = discriminator_loss(real_logits, fake_logits)
    d_gradients.fill(0.0)
    _backward(discriminator, grad_real, real_caches)
    _backward(discriminator, grad_fake, fake_caches)
    loss_g, grad_logits = generator_loss(fake_logits, "non-saturating")
    g_gradients.fill(0.0)
    _backward(generator, _backward_inputs(discriminator, grad_logits, fake_caches), generator_caches)

    fake_t = generator_t(torch.from_numpy(noise))
    real_logits_t, fake_logits_t = discriminator_t(torch.from_numpy(real)), discriminator_t(fake_t.detach())
    loss_d_t = functional.softplus(-real_logits_t).mean() + functional.softplus(fake_logits_t).mean()
    loss_d_t.backward()
    d_gradients_t = _torch_gradient(discriminator_t, discriminator)
    # G's loss through a second pass of the same D (batch statistics of the fake batch, as in our caches)
    loss_g_t = functional.softplus(-discriminator_t(fake_t)).mean()
    generator_t.zero_grad()
    loss_g_t.backward()

    _assert_close(fake, fake_t, "G(z)")
    _assert_close(np.array([loss_d, loss_g]), np.array([loss_d_t.item(), loss_g_t.item()]), "losses")
    _assert_close(d_gradients, d_gradients_t, "D's gradient")
    _assert_close(g_gradients, _torch_gradient(generator_t, generator), "G's gradient")
