"""Time one Algorithm-1 iteration of the DCGAN of ganmath.gan.dcgan (batch 64, 8x8 digits), numpy against
PyTorch eager on the same network, one thread.

numpy: ``DCGAN.iterate()`` itself, the training code path of notebook 14 and of the ablations (a D step on a
fresh data batch and a fresh noise batch, then a G step on fresh noise; the draws included). torch: the same
iteration written as a torch user would, on the same batches drawn beforehand: ``nn.Sequential`` twins of
G and D with the same weights, ``torch.optim.Adam``, autograd; G's forward in D's step under ``no_grad`` and
D's parameters frozen during G's step (so that torch, like numpy, computes no gradient it does not use).
Before timing, both run a few iterations from the same start on the same batches and their losses are
compared (measured: a relative difference of 1.8e-16): the timings are of the same computation.

Repetitions of numpy and torch are interleaved, so that a burst of load on the shared machine falls on
both; the median repetition is reported. The last line of output is one JSON object with
``numpy_ms_per_iter``, ``torch_ms_per_iter`` and ``speedup_vs_torch`` (torch's time over numpy's: above 1
when numpy is faster).

Run: ``.venv/bin/python benchmarks/bench_dcgan.py [--configuration dcgan|pooling|...]`` (torch, when wanted:
``.venv/bin/pip install torch==2.13.0``; it is not a dependency).
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

from ganmath.experiments.dcgan import ABLATIONS  # noqa: E402
from ganmath.experiments.digits import digits_split  # noqa: E402
from ganmath.gan.dcgan import DCGAN  # noqa: E402
from ganmath.nn.batchnorm import BatchNorm  # noqa: E402
from ganmath.nn.conv import Conv2d, ConvTranspose2d  # noqa: E402
from ganmath.nn.layers import LeakyReLU, Linear, ReLU, Tanh  # noqa: E402
from ganmath.nn.resample import AvgPool2d, Flatten, Reshape, UpsampleNearest  # noqa: E402


def torch_twin(layers, torch):
    """An ``nn.Sequential`` with the same layers and weights (torch stores a linear weight as (out, in));
    batch normalization is BatchNorm1d after a linear layer and BatchNorm2d on images."""
    nn = torch.nn
    modules, images = [], False
    for layer in layers:
        if isinstance(layer, Linear):
            module = nn.Linear(*layer.weight.shape, dtype=torch.float64)
            module.weight.data.copy_(torch.from_numpy(layer.weight.T.copy()))
            module.bias.data.copy_(torch.from_numpy(layer.bias.copy()))
            images = False
        elif isinstance(layer, (Conv2d, ConvTranspose2d)):
            if isinstance(layer, ConvTranspose2d):   # weight (C_in, C_out, kh, kw)
                (in_channels, out_channels), kind = layer.weight.shape[:2], nn.ConvTranspose2d
            else:                                   # weight (C_out, C_in, kh, kw)
                (out_channels, in_channels), kind = layer.weight.shape[:2], nn.Conv2d
            module = kind(in_channels, out_channels, layer.weight.shape[2], stride=layer.stride,
                          padding=layer.padding, dtype=torch.float64)
            module.weight.data.copy_(torch.from_numpy(layer.weight.copy()))
            module.bias.data.copy_(torch.from_numpy(layer.bias.copy()))
            images = True
        elif isinstance(layer, BatchNorm):
            kind = nn.BatchNorm2d if images else nn.BatchNorm1d
            module = kind(layer.num_features, momentum=layer.momentum, eps=layer.eps, dtype=torch.float64)
            module.weight.data.copy_(torch.from_numpy(layer.gamma.copy()))
            module.bias.data.copy_(torch.from_numpy(layer.beta.copy()))
        elif isinstance(layer, Flatten):
            module, images = nn.Flatten(), False
        elif isinstance(layer, Reshape):
            module, images = nn.Unflatten(1, layer.shape), True
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


def replayed_batches(gan: DCGAN, iterations: int):
    """The batches ``gan`` will draw in its next ``iterations`` iterations, from a copy of its training stream,
    in the documented order: per D step the data indices then the noise, then G's noise."""
    rng = np.random.Generator(type(gan.rng.bit_generator)())
    rng.bit_generator.state = gan.rng.bit_generator.state
    s, n = gan.settings, gan.data.shape[0]
    batches = []
    for _ in range(iterations):
        steps = [(gan.data[rng.integers(0, n, size=s.m)], 2.0 * rng.random((s.m, s.noise_dim)) - 1.0)
                 for _ in range(s.k)]
        batches.append((steps, 2.0 * rng.random((s.m, s.noise_dim)) - 1.0))
    return batches


class TorchDCGAN:
    """Algorithm 1 in torch eager on twins of a numpy DCGAN's networks (non-saturating G loss, Adam)."""

    def __init__(self, gan: DCGAN):
        import torch

        torch.set_num_threads(1)
        self.torch = torch
        s = gan.settings
        self.generator = torch_twin(gan.generator.layers, torch)
        self.discriminator = torch_twin(gan.discriminator.layers, torch)
        self.optimizer_g = torch.optim.Adam(self.generator.parameters(), lr=s.lr_generator, betas=s.betas)
        self.optimizer_d = torch.optim.Adam(self.discriminator.parameters(), lr=s.lr_discriminator, betas=s.betas)

    def iteration(self, batch):
        softplus = self.torch.nn.functional.softplus
        steps, noise_g = batch
        for real, noise in steps:
            with self.torch.no_grad():
                fake = self.generator(noise)
            self.optimizer_d.zero_grad()
            # -log D(x) = softplus(-a), -log(1 - D(G(z))) = softplus(a)
            loss_d = softplus(-self.discriminator(real)).mean() + softplus(self.discriminator(fake)).mean()
            loss_d.backward()
            self.optimizer_d.step()
        self.discriminator.requires_grad_(False)
        self.optimizer_g.zero_grad()
        loss_g = softplus(-self.discriminator(self.generator(noise_g))).mean()   # -log D(G(z))
        loss_g.backward()
        self.optimizer_g.step()
        self.discriminator.requires_grad_(True)
        return loss_d.item(), loss_g.item()


def as_tensors(batches, torch):
    return [([(torch.from_numpy(np.ascontiguousarray(r)), torch.from_numpy(z)) for r, z in steps],
             torch.from_numpy(noise)) for steps, noise in batches]


def check_same_computation(configuration: str, iterations: int = 5) -> float:
    """The largest relative difference of the D and G losses of numpy and torch over the first iterations."""
    gan = DCGAN(digits_split().train, seed=0, **ABLATIONS[configuration])
    twin = TorchDCGAN(gan)
    batches = as_tensors(replayed_batches(gan, iterations), twin.torch)
    worst = 0.0
    for batch in batches:
        gan.iterate()
        ours = (gan.history.discriminator_loss[-1], gan.history.generator_loss[-1])
        theirs = twin.iteration(batch)
        worst = max(worst, *(abs(a - b) / abs(b) for a, b in zip(ours, theirs)))
    return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configuration", choices=tuple(ABLATIONS), default="dcgan")
    parser.add_argument("--iterations", type=int, default=100, help="iterations per timed repetition")
    parser.add_argument("--repeats", type=int, default=7, help="timed repetitions (the median is reported)")
    parser.add_argument("--warmup", type=int, default=20, help="iterations run before timing")
    args = parser.parse_args()

    print(f"numpy {np.__version__}, Python {platform.python_version()}, {platform.machine()}")
    gan = DCGAN(digits_split().train, seed=0, **ABLATIONS[args.configuration])
    print(f"DCGAN ({args.configuration}) on 8x8 digits, batch {gan.settings.m}, k = {gan.settings.k}, float64, Adam; "
          f"G {gan.generator.n_parameters} and D {gan.discriminator.n_parameters} parameters; "
          f"median of {args.repeats} x {args.iterations} iterations")
    try:
        import torch
    except ImportError:
        torch = None
        print("torch        not installed")

    total = args.warmup + args.repeats * args.iterations
    runs = {"numpy": lambda n: [gan.iterate() for _ in range(n)]}
    difference = None
    if torch is not None:
        difference = check_same_computation(args.configuration)
        print(f"numpy and torch losses over 5 iterations from the same start: relative difference {difference:.1e}")
        twin = TorchDCGAN(DCGAN(digits_split().train, seed=0, **ABLATIONS[args.configuration]))
        batches = iter(as_tensors(replayed_batches(gan, total), torch))
        runs["torch eager"] = lambda n: [twin.iteration(next(batches)) for _ in range(n)]
    for run in runs.values():
        run(args.warmup)
    wall = {name: [] for name in runs}
    cpu = {name: [] for name in runs}
    for _ in range(args.repeats):
        for name, run in runs.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            run(args.iterations)
            wall[name].append((time.perf_counter() - start) / args.iterations * 1e3)
            cpu[name].append((time.process_time() - start_cpu) / args.iterations * 1e3)
    median = {name: statistics.median(values) for name, values in wall.items()}
    for name, values in wall.items():
        print(f"{name:12s} {median[name]:7.2f} ms/iteration   (min {min(values):.2f}, CPU time median "
              f"{statistics.median(cpu[name]):.2f})")
    numpy_ms, torch_ms = median["numpy"], median.get("torch eager")
    print(json.dumps({
        "configuration": args.configuration,
        "batch": gan.settings.m,
        "numpy_ms_per_iter": round(numpy_ms, 2),
        "torch_ms_per_iter": None if torch_ms is None else round(torch_ms, 2),
        "speedup_vs_torch": None if torch_ms is None else round(torch_ms / numpy_ms, 2),
        "numpy_cpu_ms_per_iter": round(statistics.median(cpu["numpy"]), 2),
        "torch_cpu_ms_per_iter": None if torch_ms is None else round(statistics.median(cpu["torch eager"]), 2),
        "loss_relative_difference": difference,
        "torch": None if torch is None else torch.__version__,
    }))


if __name__ == "__main__":
    main()
