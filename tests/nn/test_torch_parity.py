"""The hand-written gradients equal PyTorch autograd (float64, identical weights and batches) to 1e-10.

Skipped when torch is not installed: it is never a dependency of ganmath.
"""

import numpy as np
import pytest
from support.gradcheck import relative_error

import ganmath as gm
from ganmath.gan import GAN
from ganmath.core.costs import GENERATOR_LOSSES
from ganmath.nn.losses import discriminator_loss_stacked, generator_loss
from ganmath.nn.mlp import MLP
from ganmath.nn.optimizers import SGD, Adam

torch = pytest.importorskip("torch")
functional = torch.nn.functional

ACTIVATIONS = ("tanh", "softplus", "relu", "leaky-relu")
TOLERANCE = 1e-10


def _torch_twin(net: MLP):
    """An nn.Sequential with the same weights (torch stores W transposed, as (out, in))."""
    modules = []
    for i, layer in enumerate(net.linear_layers):
        if i > 0:
            modules.append({
                "tanh": torch.nn.Tanh(),
                "softplus": torch.nn.Softplus(beta=1.0, threshold=1e300),  # exact log(1 + e^x), no cut-off
                "relu": torch.nn.ReLU(),
                "leaky-relu": torch.nn.LeakyReLU(net.leaky_slope),
            }[net.activation])
        linear = torch.nn.Linear(layer.n_inputs, layer.n_outputs, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(layer.weight.T.copy()))
            linear.bias.copy_(torch.from_numpy(layer.bias.copy()))
        modules.append(linear)
    return torch.nn.Sequential(*modules)


def _torch_gradient(module):
    """The gradients in the order of MLP.parameters (per layer: W as (in, out), then b)."""
    parts = []
    for layer in module:
        if isinstance(layer, torch.nn.Linear):
            parts += [layer.weight.grad.T.numpy().ravel(), layer.bias.grad.numpy()]
    return np.concatenate(parts)


def _pair(activation, seed=0):
    rng = np.random.default_rng(seed)
    generator = MLP((1, 32, 32, 1), rng, activation=activation)
    discriminator = MLP((1, 32, 32, 1), rng, activation=activation)
    data = rng.normal(4.0, 0.5, size=(64, 1))
    noise = rng.uniform(-1, 1, size=(64, 1))
    return generator, discriminator, data, noise


def _assert_close(ours, theirs, what):
    error = relative_error(ours, theirs)
    assert error < TOLERANCE, f"{what}: relative error {error:.3e}\nours:  {ours[:6]}\ntorch: {theirs[:6]}"


@pytest.mark.parametrize("smoothing", [0.0, 0.1])
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_discriminator_gradient_equals_autograd(activation, smoothing):
    generator, discriminator, data, noise = _pair(activation)
    fake = generator(noise)
    logits, cache = discriminator.forward(np.concatenate([data, fake]))
    value, grad = discriminator_loss_stacked(logits, 64, smoothing)
    discriminator.zero_grad()
    discriminator.backward(grad, cache)

    twin = _torch_twin(discriminator)
    real_logits, fake_logits = twin(torch.from_numpy(data)), twin(torch.from_numpy(fake))
    t = 1.0 - smoothing
    # -t log D - (1 - t) log(1 - D) on data, -log(1 - D) on fakes, with -log D = softplus(-a).
    loss = (t * functional.softplus(-real_logits) + smoothing * functional.softplus(real_logits)).mean() + \
        functional.softplus(fake_logits).mean()
    loss.backward()
    assert value == pytest.approx(loss.item(), rel=1e-13)
    _assert_close(discriminator.gradients, _torch_gradient(twin), f"D's gradient ({activation})")


@pytest.mark.parametrize("loss_name", GENERATOR_LOSSES)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_generator_gradient_through_d_equals_autograd(activation, loss_name):
    generator, discriminator, _, noise = _pair(activation, seed=1)
    fake, generator_cache = generator.forward(noise)
    logits, discriminator_cache = discriminator.forward(fake)
    value, grad_logits = generator_loss(logits, loss_name)
    generator.zero_grad()
    generator.backward(discriminator.backward_inputs(grad_logits, discriminator_cache), generator_cache)

    generator_twin, discriminator_twin = _torch_twin(generator), _torch_twin(discriminator)
    a = discriminator_twin(generator_twin(torch.from_numpy(noise)))
    cost = {
        "minimax": -functional.softplus(a),  # log(1 - D)
        "non-saturating": functional.softplus(-a),  # -log D
        "maximum-likelihood": -torch.exp(a),  # -D / (1 - D)
    }[loss_name]
    cost.mean().backward()
    assert value == pytest.approx(cost.mean().item(), rel=1e-13)
    _assert_close(generator.gradients, _torch_gradient(generator_twin), f"G's gradient ({activation}, {loss_name})")


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_generator_input_derivative_equals_autograd(activation):
    generator, _, _, _ = _pair(activation, seed=2)
    z = np.linspace(-2.0, 2.0, 101) + 0.00123
    _, slopes = generator.value_and_derivative(z)
    z_torch = torch.from_numpy(z[:, None].copy()).requires_grad_(True)
    _torch_twin(generator)(z_torch).sum().backward()
    _assert_close(slopes, z_torch.grad.numpy()[:, 0], f"G'(z) ({activation})")


def test_sgd_momentum_and_adam_follow_torch_optim():
    rng = np.random.default_rng(3)
    gradients = [rng.normal(size=5) for _ in range(25)]
    start = rng.normal(size=5)
    for ours_class, theirs_class, settings, theirs_settings in [
        (SGD, torch.optim.SGD, {"lr": 0.05, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.9}),
        (Adam, torch.optim.Adam, {"lr": 0.01, "beta1": 0.5, "beta2": 0.999, "eps": 1e-8},
         {"lr": 0.01, "betas": (0.5, 0.999), "eps": 1e-8}),
    ]:
        parameters, grad = start.copy(), np.zeros(5)
        ours = ours_class(parameters, grad, **settings)
        tensor = torch.tensor(start.copy(), requires_grad=True)
        theirs = theirs_class([tensor], **theirs_settings)
        for g in gradients:
            grad[...] = g
            ours.step()
            tensor.grad = torch.from_numpy(g.copy())
            theirs.step()
        np.testing.assert_allclose(parameters, tensor.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_one_algorithm_1_iteration_equals_torch():
    """One trainer iteration (k = 1, SGD with momentum, non-saturating loss) on the batches it drew,
    replayed through torch: both networks end with the same weights."""
    gan = GAN(gm.Normal(4, 0.5), gm.Uniform(-1, 1), k=1, m=64, optimizer="sgd", lr_discriminator=0.05,
              lr_generator=0.02, momentum=0.9, generator_activation="tanh", discriminator_activation="relu", seed=4)
    replay = np.random.Generator(type(gan.rng.bit_generator)())
    replay.bit_generator.state = gan.rng.bit_generator.state
    generator_twin, discriminator_twin = _torch_twin(gan.generator), _torch_twin(gan.discriminator)
    gan.train(2)

    optimizer_d = torch.optim.SGD(discriminator_twin.parameters(), lr=0.05, momentum=0.9)
    optimizer_g = torch.optim.SGD(generator_twin.parameters(), lr=0.02, momentum=0.9)
    for _ in range(2):
        real = torch.from_numpy(gm.Normal(4, 0.5).sample(64, replay)[:, None].copy())
        noise = torch.from_numpy(gm.Uniform(-1, 1).sample(64, replay)[:, None].copy())
        with torch.no_grad():
            fake = generator_twin(noise)
        optimizer_d.zero_grad()
        (functional.softplus(-discriminator_twin(real)).mean() + functional.softplus(discriminator_twin(fake)).mean()).backward()
        optimizer_d.step()
        noise = torch.from_numpy(gm.Uniform(-1, 1).sample(64, replay)[:, None].copy())
        optimizer_g.zero_grad()
        functional.softplus(-discriminator_twin(generator_twin(noise))).mean().backward()
        optimizer_g.step()

    def flat(module):
        return np.concatenate([p.detach().numpy().T.ravel() if p.ndim == 2 else p.detach().numpy()
                               for p in module.parameters()])

    _assert_close(gan.discriminator.parameters, flat(discriminator_twin), "D's weights after two iterations")
    _assert_close(gan.generator.parameters, flat(generator_twin), "G's weights after two iterations")
