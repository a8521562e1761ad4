"""Time the image layers (ganmath.nn.conv, batchnorm, resample) and one DCGAN iteration on 8x8 images: numpy against PyTorch eager.

The DCGAN (batch 64, float64, one thread):

* strided (the default): G: z (32) -> Linear -> 64x4x4 -> BatchNorm -> ReLU -> ConvTranspose 4x4 stride 2
  -> 1x8x8 -> tanh; D: Conv 1->32 4x4 stride 2 (8 -> 4) -> LeakyReLU(0.2) -> Conv 32->64 4x4 stride 2
  (4 -> 2) -> BatchNorm -> LeakyReLU(0.2) -> Flatten -> Linear 256 -> 1 (a logit);
* pooling (the ablation, ``--architecture pooling``): the strides replaced by 3x3 convolutions at
  stride 1 with nearest-neighbour upsampling in G and 2x2 average pooling in D.

One iteration, as in the textbook torch DCGAN: draw 64 noise vectors, fake = G(z); D's step on the real
batch and the fake batch (separately, so each has its own batch statistics), the binary cross-entropy
from logits, Adam (lr 2e-4, betas 0.5, 0.999); then G's step with the non-saturating loss
-log D(G(z)) on the same fake batch through the updated D. numpy: the image layers of ``ganmath.nn``
and ``ganmath.nn.layers`` in a small sequential container (below), each network's parameters in one
flat vector updated by ``ganmath.nn.optimizers.Adam``; the generator's step asks D for its input
gradient only. torch: ``nn.Sequential``, ``torch.optim.Adam``, autograd. Before timing, the two are
given the same weights and the same batches, and their losses are compared for a few iterations
(they agree to ~1e-15): the timings are of the same computation.

numpy runs twice: with a workspace per pass (the layers write every array into the same buffers at every
iteration; the number reported as numpy) and without (every array allocated afresh). The second depends
on the state of glibc's allocator, which decides whether freed arrays go back to the system and are
page-faulted in again at the next iteration: with torch loaded in the same process it is often as fast
as the first, without torch it was 40% slower (13.3 against 9.6 ms in one measurement).

Repetitions of numpy and torch are interleaved so that a burst of load on the machine falls on both;
the median repetition (wall time) is reported, with the process's CPU time beside it. ``--layers``
also times every layer alone (forward, and forward plus backward). The last line of output is one
JSON object.

Run: ``.venv/bin/python benchmarks/bench_conv_layers.py [--architecture strided|pooling] [--layers]``
(torch, when wanted: ``.venv/bin/pip install torch==2.13.0``; it is not a dependency).
"""

from __future__ import annotations

import os

# One thread everywhere (before numpy loads OpenBLAS): these arrays are too small to split.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from ganmath.nn.batchnorm import BatchNorm  # noqa: E402
from ganmath.nn.conv import Conv2d, ConvTranspose2d  # noqa: E402
from ganmath.nn.layers import LeakyReLU, Linear, ReLU, Tanh  # noqa: E402
from ganmath.nn.losses import discriminator_loss, generator_loss  # noqa: E402
from ganmath.nn.mlp import Workspace  # noqa: E402
from ganmath.nn.optimizers import Adam  # noqa: E402
from ganmath.nn.parameters import flat_parameters  # noqa: E402
from ganmath.nn.resample import AvgPool2d, Flatten, Reshape, UpsampleNearest  # noqa: E402

BATCH = 64
NOISE = 32
LR, BETAS = 2e-4, (0.5, 0.999)


class Sequential:
    """Layers in a row over one flat parameter vector (what a DCGAN module would hold).

    A pass given a :class:`Workspace` writes every layer's arrays into it (``workspace.scope(index)``),
    the same buffers at every iteration; its caches are valid until the next pass into that workspace.
    """

    def __init__(self, layers):
        self.layers, self.parameters, self.gradients = flat_parameters(layers)

    def forward(self, inputs, workspace=None):
        caches = []
        for index, layer in enumerate(self.layers):
            inputs, cache = layer.forward(inputs, None if workspace is None else workspace.scope(index))
            caches.append(cache)
        return inputs, caches

    def backward(self, grad, caches, *, input_gradient=True, workspace=None):
        """Add every parameter gradient; the input gradient (None without ``input_gradient``)."""
        for index in range(len(self.layers) - 1, -1, -1):
            layer, buffers = self.layers[index], None if workspace is None else workspace.scope(index)
            needed = index > 0 or input_gradient
            if hasattr(layer, "grad_weight") or hasattr(layer, "grad_gamma"):
                grad = layer.backward(grad, caches[index], input_gradient=needed, buffers=buffers)
            elif needed:
                grad = layer.backward(grad, caches[index], buffers=buffers)
        return grad

    def backward_inputs(self, grad, caches, workspace=None):
        for index in range(len(self.layers) - 1, -1, -1):
            buffers = None if workspace is None else workspace.scope(index)
            grad = self.layers[index].backward_inputs(grad, caches[index], buffers=buffers)
        return grad


def architecture(name: str, rng):
    """``(generator_layers, discriminator_layers)`` of numpy layers with random weights."""
    linear = lambda n_in, n_out: Linear(rng.uniform(-1, 1, (n_in, n_out)) / np.sqrt(n_in),  # noqa: E731
                                        rng.uniform(-1, 1, n_out) / np.sqrt(n_in))
    if name == "strided":
        generator = [linear(NOISE, 64 * 4 * 4), Reshape(64, 4, 4), BatchNorm(64), ReLU(),
                     ConvTranspose2d.random(64, 1, 4, rng, stride=2, padding=1), Tanh()]
        discriminator = [Conv2d.random(1, 32, 4, rng, stride=2, padding=1), LeakyReLU(0.2),
                         Conv2d.random(32, 64, 4, rng, stride=2, padding=1), BatchNorm(64), LeakyReLU(0.2),
                         Flatten(), linear(64 * 2 * 2, 1)]
    elif name == "pooling":
        generator = [linear(NOISE, 64 * 4 * 4), Reshape(64, 4, 4), BatchNorm(64), ReLU(), UpsampleNearest(2),
                     ConvTranspose2d.random(64, 1, 3, rng, padding=1), Tanh()]
        discriminator = [Conv2d.random(1, 32, 3, rng, padding=1), AvgPool2d(2), LeakyReLU(0.2),
                         Conv2d.random(32, 64, 3, rng, padding=1), AvgPool2d(2), BatchNorm(64), LeakyReLU(0.2),
                         Flatten(), linear(64 * 2 * 2, 1)]
    else:
        raise ValueError(f"architecture must be 'strided' or 'pooling', got {name!r}")
    return generator, discriminator


class NumpyDCGAN:
    """The numpy DCGAN; ``workspaces=False`` allocates every array afresh instead of reusing buffers."""

    def __init__(self, name: str, seed: int = 0, *, workspaces: bool = True):
        rng = np.random.default_rng(seed)
        # One workspace per pass whose caches are alive at the same time: G, D on the real batch, D on
        # the fake batch (D's pass in the generator's step reuses the real batch's, dead by then).
        self.workspaces = [Workspace() if workspaces else None for _ in range(3)]
        generator, discriminator = architecture(name, rng)
        self.generator, self.discriminator = Sequential(generator), Sequential(discriminator)
        self.optimizer_g = Adam(self.generator.parameters, self.generator.gradients, lr=LR, beta1=BETAS[0],
                                beta2=BETAS[1])
        self.optimizer_d = Adam(self.discriminator.parameters, self.discriminator.gradients, lr=LR,
                                beta1=BETAS[0], beta2=BETAS[1])

    def iteration(self, real, noise):
        generator, discriminator = self.generator, self.discriminator
        for_generator, for_real, for_fake = self.workspaces
        fake, generator_caches = generator.forward(noise, for_generator)
        discriminator.gradients.fill(0.0)
        real_logits, real_caches = discriminator.forward(real, for_real)
        fake_logits, fake_caches = discriminator.forward(fake, for_fake)
        loss_d, grad_real, grad_fake = discriminator_loss(real_logits, fake_logits)
        discriminator.backward(grad_real, real_caches, input_gradient=False, workspace=for_real)
        discriminator.backward(grad_fake, fake_caches, input_gradient=False, workspace=for_fake)
        self.optimizer_d.step()
        generator.gradients.fill(0.0)
        fake_logits, fake_caches = discriminator.forward(fake, for_real)
        loss_g, grad_logits = generator_loss(fake_logits, "non-saturating")
        grad_fake = discriminator.backward_inputs(grad_logits, fake_caches, for_real)
        generator.backward(grad_fake, generator_caches, input_gradient=False, workspace=for_generator)
        self.optimizer_g.step()
        return loss_d, loss_g


def torch_twin(numpy_layers, torch):
    """An nn.Sequential with the same layers and weights (torch stores a linear weight as (out, in))."""
    nn = torch.nn
    modules = []
    for layer in numpy_layers:
        if isinstance(layer, Linear):
            module = nn.Linear(*layer.weight.shape, dtype=torch.float64)
            module.weight.data.copy_(torch.from_numpy(layer.weight.T.copy()))
            module.bias.data.copy_(torch.from_numpy(layer.bias.copy()))
        elif isinstance(layer, Conv2d):
            out_channels, in_channels, kernel, _ = layer.weight.shape
            module = nn.Conv2d(in_channels, out_channels, kernel, stride=layer.stride, padding=layer.padding,
                               dtype=torch.float64)
            module.weight.data.copy_(torch.from_numpy(layer.weight.copy()))
            module.bias.data.copy_(torch.from_numpy(layer.bias.copy()))
        elif isinstance(layer, ConvTranspose2d):
            in_channels, out_channels, kernel, _ = layer.weight.shape
            module = nn.ConvTranspose2d(in_channels, out_channels, kernel, stride=layer.stride, padding=layer.padding,
                                        output_padding=layer.output_padding, dtype=torch.float64)
            module.weight.data.copy_(torch.from_numpy(layer.weight.copy()))
            module.bias.data.copy_(torch.from_numpy(layer.bias.copy()))
        elif isinstance(layer, BatchNorm):
            module = nn.BatchNorm2d(layer.num_features, momentum=layer.momentum, eps=layer.eps, dtype=torch.float64)
        elif isinstance(layer, Flatten):
            module = nn.Flatten()
        elif isinstance(layer, Reshape):
            module = nn.Unflatten(1, layer.shape)
        elif isinstance(layer, AvgPool2d):
            module = nn.AvgPool2d(layer.kernel_size)
        elif isinstance(layer, UpsampleNearest):
            module = nn.Upsample(scale_factor=layer.scale_factor, mode="nearest")
        elif isinstance(layer, LeakyReLU):
            module = nn.LeakyReLU(layer.slope)
        else:
            module = {ReLU: nn.ReLU, Tanh: nn.Tanh}[type(layer)]()
        modules.append(module)
    return nn.Sequential(*modules)


class TorchDCGAN:
    def __init__(self, numpy_gan: NumpyDCGAN):
        import torch

        torch.set_num_threads(1)
        self.torch = torch
        self.generator = torch_twin(numpy_gan.generator.layers, torch)
        self.discriminator = torch_twin(numpy_gan.discriminator.layers, torch)
        self.optimizer_g = torch.optim.Adam(self.generator.parameters(), lr=LR, betas=BETAS)
        self.optimizer_d = torch.optim.Adam(self.discriminator.parameters(), lr=LR, betas=BETAS)

    def iteration(self, real, noise):
        softplus = self.torch.nn.functional.softplus
        fake = self.generator(noise)
        self.optimizer_d.zero_grad()
        # -log D(x) = softplus(-a), -log(1 - D(G(z))) = softplus(a)
        loss_d = softplus(-self.discriminator(real)).mean() + softplus(self.discriminator(fake.detach())).mean()
        loss_d.backward()
        self.optimizer_d.step()
        self.optimizer_g.zero_grad()
        loss_g = softplus(-self.discriminator(fake)).mean()  # non-saturating: -log D(G(z))
        loss_g.backward()
        self.optimizer_g.step()
        return loss_d.item(), loss_g.item()


def batches(seed: int, count: int):
    """``count`` (real, noise) pairs: images in [-1, 1] (their values do not matter to the timing)."""
    rng = np.random.default_rng(seed)
    return [(rng.uniform(-1.0, 1.0, (BATCH, 1, 8, 8)), rng.normal(size=(BATCH, NOISE))) for _ in range(count)]


def check_same_computation(name: str, iterations: int = 5) -> float:
    """The largest relative difference of the losses of numpy and torch from the same start."""
    numpy_gan = NumpyDCGAN(name)
    torch_gan = TorchDCGAN(numpy_gan)
    torch = torch_gan.torch
    worst = 0.0
    for real, noise in batches(1, iterations):
        ours = numpy_gan.iteration(real, noise)
        theirs = torch_gan.iteration(torch.from_numpy(real), torch.from_numpy(noise))
        worst = max(worst, *(abs(a - b) / abs(b) for a, b in zip(ours, theirs)))
    return worst


def interleaved_timings(runs: dict, iterations: int, repeats: int):
    """Wall and CPU microseconds per iteration of every run, repetitions interleaved."""
    wall = {name: [] for name in runs}
    cpu = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            run(iterations)
            wall[name].append((time.perf_counter() - start) / iterations * 1e6)
            cpu[name].append((time.process_time() - start_cpu) / iterations * 1e6)
    return wall, cpu


def runner(gan, data):
    def run(n):
        for i in range(n):
            gan.iteration(*data[i % len(data)])

    return run


def layer_timings(name: str, torch, repeats: int) -> dict:
    """Forward and forward + backward microseconds of every numpy layer of the DCGAN (with buffers) and of
    its torch twin, on the activations a forward pass gives it."""
    numpy_gan = NumpyDCGAN(name)
    real, noise = batches(2, 1)[0]
    results = {}
    for network, inputs in ((numpy_gan.generator, noise), (numpy_gan.discriminator, real)):
        twins = None if torch is None else torch_twin(network.layers, torch)
        for index, layer in enumerate(network.layers):
            outputs, cache = layer.forward(inputs)
            grad = np.random.default_rng(index).normal(size=outputs.shape)

            buffers = Workspace().scope(0)  # as in the iteration: the same arrays at every call

            def numpy_forward(layer=layer, inputs=inputs, buffers=buffers):
                layer.forward(inputs, buffers)

            def numpy_both(layer=layer, inputs=inputs, grad=grad, buffers=buffers):
                layer.backward(grad, layer.forward(inputs, buffers)[1], buffers=buffers)

            entry = {"numpy_forward_us": _time(numpy_forward, repeats), "numpy_both_us": _time(numpy_both, repeats)}
            if twins is not None:
                module = twins[index]
                source = torch.from_numpy(inputs.copy()).requires_grad_(True)
                torch_grad = torch.from_numpy(grad)

                def torch_forward(module=module, source=source):
                    with torch.no_grad():
                        module(source)

                def torch_both(module=module, source=source, torch_grad=torch_grad):
                    module(source).backward(torch_grad)

                entry["torch_forward_us"] = _time(torch_forward, repeats)
                entry["torch_both_us"] = _time(torch_both, repeats)
            results[f"{'G' if network is numpy_gan.generator else 'D'}{index} {layer!r}"] = entry
            inputs = outputs
    return results


def _time(function, repeats: int, budget: float = 0.05) -> float:
    """Median microseconds per call over ``repeats`` rounds of about ``budget`` seconds each."""
    function()
    start = time.perf_counter()
    function()
    calls = max(1, int(budget / max(time.perf_counter() - start, 1e-7)))
    rounds = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            function()
        rounds.append((time.perf_counter() - start) / calls * 1e6)
    return statistics.median(rounds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--architecture", choices=("strided", "pooling"), default="strided")
    parser.add_argument("--iterations", type=int, default=100, help="iterations per timed repetition")
    parser.add_argument("--repeats", type=int, default=7, help="timed repetitions (the median is reported)")
    parser.add_argument("--warmup", type=int, default=20, help="iterations run before timing")
    parser.add_argument("--layers", action="store_true", help="also time every layer alone")
    args = parser.parse_args()

    print(f"numpy {np.__version__}, Python {platform.python_version()}, {platform.machine()}")
    print(f"DCGAN ({args.architecture}) on 8x8 images, batch {BATCH}, float64, Adam; "
          f"median of {args.repeats} x {args.iterations} iterations")
    try:
        import torch
    except ImportError:
        torch = None
        print("torch        not installed")

    data = batches(0, 16)
    numpy_gan = NumpyDCGAN(args.architecture)
    runs = {
        "numpy": runner(numpy_gan, data),
        "numpy, no buffers": runner(NumpyDCGAN(args.architecture, workspaces=False), data),
    }
    difference = None
    if torch is not None:
        difference = check_same_computation(args.architecture)
        print(f"numpy and torch losses over 5 iterations from the same start: relative difference {difference:.1e}")
        torch_data = [(torch.from_numpy(real), torch.from_numpy(noise)) for real, noise in data]
        runs["torch eager"] = runner(TorchDCGAN(numpy_gan), torch_data)
    for run in runs.values():
        run(args.warmup)
    wall, cpu = interleaved_timings(runs, args.iterations, args.repeats)
    median = {name: statistics.median(values) for name, values in wall.items()}
    for name, values in wall.items():
        print(f"{name:17s} {median[name]:9.1f} us/iteration   (min {min(values):.0f}, CPU time median "
              f"{statistics.median(cpu[name]):.0f})")

    layers = None
    if args.layers:
        layers = layer_timings(args.architecture, torch, repeats=5)
        print(f"{'layer':58s} {'numpy fwd':>10s} {'fwd+bwd':>10s} {'torch fwd':>10s} {'fwd+bwd':>10s}  (us)")
        for name, entry in layers.items():
            keys = ("numpy_forward_us", "numpy_both_us", "torch_forward_us", "torch_both_us")
            cells = [entry.get(key) for key in keys]
            print(f"{name:58s} " + " ".join("      null" if c is None else f"{c:10.1f}" for c in cells))

    numpy_us, torch_us = median["numpy"], median.get("torch eager")
    result = {
        "architecture": args.architecture,
        "numpy_us_per_iter": round(numpy_us, 1),
        "numpy_without_buffers_us_per_iter": round(median["numpy, no buffers"], 1),
        "torch_us_per_iter": None if torch_us is None else round(torch_us, 1),
        "speedup_vs_torch": None if torch_us is None else round(torch_us / numpy_us, 2),
        "loss_relative_difference": difference,
        "layers": layers,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
