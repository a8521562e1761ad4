"""Time one iteration of Algorithm 1: the numpy GAN against the same computation in PyTorch (CPU, eager).

The iteration: k = 1 discriminator step on m = 64 data and 64 noise samples, then one generator step
on 64 fresh noise samples; G and D both 1-32-32-1 with ReLU hidden layers, SGD with momentum 0.9,
the non-saturating generator loss, float64 everywhere. Data N(4, 0.5), noise U(-1, 1).

* numpy: ``ganmath.gan.GAN.train`` (it also records the losses, gradient norms and mean D values of
  every step in its history, and checks every loss, gradient and weight for NaN/inf);
* torch: the textbook eager version (two nn.Sequential, torch.optim.SGD, autograd), recording the
  two losses with ``.item()``;
* JAX, when installed: the same iteration under ``jax.jit``, and ``jax.lax.scan`` over many
  iterations (one fused call). Otherwise its numbers are null.

Each implementation is warmed up, then timed over several repetitions of many iterations, the
repetitions of numpy and torch interleaved so that a burst of load on the machine falls on both
alike (JAX is timed afterwards: its runtime's threads stay busy after each call); all run on one
thread. The median repetition (wall time) is reported, with the process's
CPU time beside it as a check on a busy machine. The last line of output is one JSON object:
``{"numpy_us_per_iter": ..., "torch_us_per_iter": ..., "jax_scan_us_per_iter": ..., "speedup_vs_torch": ...}``.

Run: ``.venv/bin/python benchmarks/bench_training.py [--iterations 500] [--repeats 7]``
"""

from __future__ import annotations

import os

# Every implementation runs on one thread: these arrays are far too small to split, and idle worker
# threads spinning between operations would take the CPU from whatever runs next. (Set before numpy
# loads OpenBLAS.)
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

import ganmath as gm  # noqa: E402
from ganmath.gan import GAN  # noqa: E402

M = 64
LR = 1e-3
MOMENTUM = 0.9
SIZES = (1, 32, 32, 1)


def interleaved_timings(runs: dict, iterations: int, repeats: int) -> dict:
    """Wall and CPU time of ``run(iterations)`` for every named run, in microseconds per iteration.

    The repetitions are interleaved (numpy, torch, jax, numpy, torch, ...) so that a burst of load on
    the machine falls on all implementations alike rather than on one of them.
    """
    wall = {name: [] for name in runs}
    cpu = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            run(iterations)
            wall[name].append((time.perf_counter() - start) / iterations * 1e6)
            cpu[name].append((time.process_time() - start_cpu) / iterations * 1e6)
    return wall, cpu


def numpy_runner(seed: int = 0):
    gan = GAN(
        gm.Normal(4.0, 0.5),
        gm.Uniform(-1.0, 1.0),
        k=1,
        m=M,
        generator_loss="non-saturating",
        optimizer="sgd",
        lr_discriminator=LR,
        lr_generator=LR,
        momentum=MOMENTUM,
        generator_activation="relu",
        discriminator_activation="relu",
        seed=seed,
    )
    return lambda n: gan.train(n)


def torch_runner(seed: int = 0):
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(1)  # see the top of the file
    dtype = torch.float64

    def mlp():
        return torch.nn.Sequential(
            torch.nn.Linear(1, 32), torch.nn.ReLU(), torch.nn.Linear(32, 32), torch.nn.ReLU(), torch.nn.Linear(32, 1)
        ).to(dtype)

    generator, discriminator = mlp(), mlp()
    optimizer_g = torch.optim.SGD(generator.parameters(), lr=LR, momentum=MOMENTUM)
    optimizer_d = torch.optim.SGD(discriminator.parameters(), lr=LR, momentum=MOMENTUM)
    softplus = torch.nn.functional.softplus
    losses = []

    def iteration():
        real = 4.0 + 0.5 * torch.randn(M, 1, dtype=dtype)
        noise = 2.0 * torch.rand(M, 1, dtype=dtype) - 1.0
        with torch.no_grad():
            fake = generator(noise)
        optimizer_d.zero_grad()
        # -log D(x) = softplus(-a), -log(1 - D(G(z))) = softplus(a)
        loss_d = softplus(-discriminator(real)).mean() + softplus(discriminator(fake)).mean()
        loss_d.backward()
        optimizer_d.step()
        noise = 2.0 * torch.rand(M, 1, dtype=dtype) - 1.0
        optimizer_g.zero_grad()
        loss_g = softplus(-discriminator(generator(noise))).mean()  # non-saturating: -log D(G(z))
        loss_g.backward()
        optimizer_g.step()
        losses.append((loss_d.item(), loss_g.item()))

    def run(n):
        for _ in range(n):
            iteration()

    return run, torch


def jax_runners(seed: int = 0):
    """``(jit_run, scan_run)`` for JAX, or None when JAX is not installed."""
    # One thread, as for numpy and torch (XLA reads this when it starts).
    os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return None
    jax.config.update("jax_enable_x64", True)

    def init(key):
        params = []
        for n_in, n_out in zip(SIZES[:-1], SIZES[1:]):
            key, k_w, k_b = jax.random.split(key, 3)
            bound = 1.0 / np.sqrt(n_in)
            params.append((jax.random.uniform(k_w, (n_in, n_out), jnp.float64, -bound, bound),
                           jax.random.uniform(k_b, (n_out,), jnp.float64, -bound, bound)))
        return params

    def forward(params, x):
        for weight, bias in params[:-1]:
            x = jax.nn.relu(x @ weight + bias)
        weight, bias = params[-1]
        return x @ weight + bias

    def loss_d(params_d, real, fake):
        return jnp.mean(jax.nn.softplus(-forward(params_d, real))) + jnp.mean(jax.nn.softplus(forward(params_d, fake)))

    def loss_g(params_g, params_d, noise):
        return jnp.mean(jax.nn.softplus(-forward(params_d, forward(params_g, noise))))

    def sgd(params, velocity, grads):
        velocity = jax.tree_util.tree_map(lambda v, g: MOMENTUM * v - LR * g, velocity, grads)
        params = jax.tree_util.tree_map(lambda p, v: p + v, params, velocity)
        return params, velocity

    def step(state, key):
        params_g, params_d, velocity_g, velocity_d = state
        k_real, k_noise, k_noise_g = jax.random.split(key, 3)
        real = 4.0 + 0.5 * jax.random.normal(k_real, (M, 1), jnp.float64)
        fake = forward(params_g, jax.random.uniform(k_noise, (M, 1), jnp.float64, -1.0, 1.0))
        value_d, grads_d = jax.value_and_grad(loss_d)(params_d, real, fake)
        params_d, velocity_d = sgd(params_d, velocity_d, grads_d)
        noise = jax.random.uniform(k_noise_g, (M, 1), jnp.float64, -1.0, 1.0)
        value_g, grads_g = jax.value_and_grad(loss_g)(params_g, params_d, noise)
        params_g, velocity_g = sgd(params_g, velocity_g, grads_g)
        return (params_g, params_d, velocity_g, velocity_d), (value_d, value_g)

    key = jax.random.PRNGKey(seed)
    key, k_g, k_d = jax.random.split(key, 3)
    params_g, params_d = init(k_g), init(k_d)
    zeros = lambda params: jax.tree_util.tree_map(jnp.zeros_like, params)  # noqa: E731
    state = [(params_g, params_d, zeros(params_g), zeros(params_d)), key]
    jit_step = jax.jit(step)

    @jax.jit
    def scan(state, keys):
        return jax.lax.scan(step, state, keys)

    def jit_run(n):
        s, k = state
        for _ in range(n):
            k, sub = jax.random.split(k)
            s, values = jit_step(s, sub)
        jax.block_until_ready(values)
        state[:] = [s, k]

    def scan_run(n):
        s, k = state
        k, sub = jax.random.split(k)
        s, values = scan(s, jax.random.split(sub, n))
        jax.block_until_ready(values)
        state[:] = [s, k]

    return jit_run, scan_run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=500, help="iterations per timed repetition")
    parser.add_argument("--repeats", type=int, default=7, help="timed repetitions (the median is reported)")
    parser.add_argument("--warmup", type=int, default=200, help="iterations run before timing")
    args = parser.parse_args()

    print(f"numpy {np.__version__}, Python {platform.python_version()}, {platform.machine()}")
    print(f"one iteration: k=1, m={M}, G and D {'-'.join(map(str, SIZES))} ReLU, SGD momentum {MOMENTUM}, "
          f"non-saturating loss, float64; median of {args.repeats} x {args.iterations} iterations")

    runs = {"numpy": numpy_runner()}
    versions = {"numpy": f"numpy {np.__version__}"}
    try:
        runs["torch eager"], torch = torch_runner()
        versions["torch eager"] = f"torch {torch.__version__}, {torch.get_num_threads()} threads"
    except ImportError:
        print("torch        not installed")
    for run in runs.values():
        run(args.warmup)
    times, cpu_times = interleaved_timings(runs, args.iterations, args.repeats)
    # JAX last and on its own: its runtime keeps worker threads busy for a while after each call,
    # which would slow down whichever implementation ran next.
    jax = jax_runners()
    if jax is None:
        print("jax          not installed")
    else:
        jax_runs = dict(zip(("jax jit", "jax scan"), jax))
        versions["jax jit"] = versions["jax scan"] = "jit of one iteration / lax.scan over all of them"
        jax_runs["jax jit"](args.warmup)
        jax_runs["jax scan"](args.iterations)  # compiles the scan for this length
        jax_times, jax_cpu_times = interleaved_timings(jax_runs, args.iterations, args.repeats)
        times.update(jax_times)
        cpu_times.update(jax_cpu_times)
    median = {name: statistics.median(values) for name, values in times.items()}
    # The CPU time of the process leaves out the time other programs had the CPU: a check on a busy machine.
    for name, values in times.items():
        print(f"{name:12s} {median[name]:9.1f} us/iteration   (min {min(values):.0f}, CPU time median "
              f"{statistics.median(cpu_times[name]):.0f}; {versions[name]})")
    numpy_us = median["numpy"]
    torch_us = median.get("torch eager")
    jax_scan_us = median.get("jax scan")
    if jax_scan_us is not None:
        print(f"numpy / jax scan = {numpy_us / jax_scan_us:.2f}")

    result = {
        "numpy_us_per_iter": round(numpy_us, 2),
        "torch_us_per_iter": None if torch_us is None else round(torch_us, 2),
        "jax_scan_us_per_iter": None if jax_scan_us is None else round(jax_scan_us, 2),
        "speedup_vs_torch": None if torch_us is None else round(torch_us / numpy_us, 2),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
