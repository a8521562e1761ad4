"""Time population training: one run against R = 64 runs at once, on one thread; JAX and two processes beside.

The iteration is Algorithm 1 with the GAN's defaults (:class:`ganmath.gan.settings.Settings`): k = 2
discriminator steps and one generator step, m = 64, 1-32-32-1 networks (softplus G, tanh D), Adam, the
non-saturating loss, float64; data N(4, 0.5), normal noise.

* ``single_us_per_iter``: ``GAN(seed=0).train`` (a population of one);
* ``population_us_per_iter``: ``Population(seeds=range(64)).train``, per iteration of all 64 runs;
* ``population_cost_ratio``: the two divided. A single run is mostly Python overhead; a population is
  mostly arithmetic, so the floor of the ratio is well above 1 (the goal is <= 24);
* ``sequential_over_population``: 64 single iterations over one population iteration, the throughput gained;
* ``marginal_us_per_run``: what one more run adds to a population iteration, (T(64) - T(16)) / 48, with T(16)
  timed in the same interleaved repetitions: the arithmetic of a run, without the per-iteration overhead that
  a population pays once. ``ratio_floor`` = 64 x that / the single run: the cost ratio a population would have
  with no overhead at all, so the ratio cannot go below it without faster arithmetic;
* ``jax_us_per_iter``: the same population under ``jax.vmap`` over runs and ``jax.lax.scan`` over
  iterations, jitted, float64, one thread (null when JAX is not installed), ``numpy_over_jax``, and
  ``jax_cost_ratio``, JAX's population over the numpy single run (timed in repetitions of their own,
  interleaved): the cost ratio of the same arithmetic when a compiler fuses its elementwise chains, where numpy
  makes one pass over memory per operation;
* ``two_processes_us_per_iter``: the 64 runs split over two worker processes (32 each), wall time per
  iteration of all 64 (reported separately: it uses both cores).

numpy and the single run are timed in interleaved repetitions, so that a burst of load on the machine falls
on both alike; the median repetition is reported. The last line is one JSON object.

Run: ``.venv/bin/python benchmarks/bench_population.py [--iterations 100] [--repeats 5]``
"""

from __future__ import annotations

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

import ganmath as gm  # noqa: E402
from ganmath.gan import GAN, Population, Settings  # noqa: E402

RUNS = 64
DATA = gm.Normal(4.0, 0.5)


def _per_iteration(train, iterations: int) -> float:
    start = time.perf_counter()
    train(iterations)
    return (time.perf_counter() - start) / iterations * 1e6


def _worker(args):
    seeds, iterations = args
    population = Population(DATA, seeds=seeds)
    population.train(5)
    start = time.perf_counter()
    population.train(iterations)
    return time.perf_counter() - start


def two_processes(iterations: int) -> float:
    """Wall time per iteration of 64 runs split over two processes (each timed from its own start)."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        halves = [(range(0, RUNS // 2), iterations), (range(RUNS // 2, RUNS), iterations)]
        seconds = pool.map(_worker, halves)
    return max(seconds) / iterations * 1e6


def jax_population(iterations: int):
    """The population in JAX (vmap over runs, lax.scan over iterations), or None without JAX."""
    os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return None
    jax.config.update("jax_enable_x64", True)
    s = Settings()
    beta1, beta2 = s.betas
    sizes = (1, *s.generator_hidden, 1)

    def init(key):
        params = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            key, k_w, k_b = jax.random.split(key, 3)
            bound = 1.0 / np.sqrt(n_in)
            params.append((jax.random.uniform(k_w, (n_in, n_out), jnp.float64, -bound, bound),
                           jax.random.uniform(k_b, (n_out,), jnp.float64, -bound, bound)))
        return params

    def forward(params, x, activation):
        for weight, bias in params[:-1]:
            x = activation(x @ weight + bias)
        weight, bias = params[-1]
        return x @ weight + bias

    def loss_d(params_d, real, fake):
        return (jnp.mean(jax.nn.softplus(-forward(params_d, real, jnp.tanh)))
                + jnp.mean(jax.nn.softplus(forward(params_d, fake, jnp.tanh))))

    def loss_g(params_g, params_d, noise):
        fake = forward(params_g, noise, jax.nn.softplus)
        return jnp.mean(jax.nn.softplus(-forward(params_d, fake, jnp.tanh)))

    def adam(params, moments, grads, lr, t):
        first, second = moments
        first = jax.tree_util.tree_map(lambda m, g: beta1 * m + (1 - beta1) * g, first, grads)
        second = jax.tree_util.tree_map(lambda v, g: beta2 * v + (1 - beta2) * g * g, second, grads)
        scale = lr / (1 - beta1**t)
        params = jax.tree_util.tree_map(
            lambda p, m, v: p - scale * m / (jnp.sqrt(v / (1 - beta2**t)) + 1e-8), params, first, second)
        return params, (first, second)

    def step(state, key):
        params_g, params_d, moments_g, moments_d, t = state
        keys = jax.random.split(key, 2 * s.k + 1)
        for i in range(s.k):
            real = 4.0 + 0.5 * jax.random.normal(keys[2 * i], (s.m, 1), jnp.float64)
            fake = forward(params_g, jax.random.normal(keys[2 * i + 1], (s.m, 1), jnp.float64), jax.nn.softplus)
            value_d, grads_d = jax.value_and_grad(loss_d)(params_d, real, fake)
            params_d, moments_d = adam(params_d, moments_d, grads_d, s.lr_discriminator, t * s.k + i + 1)
        noise = jax.random.normal(keys[-1], (s.m, 1), jnp.float64)
        value_g, grads_g = jax.value_and_grad(loss_g)(params_g, params_d, noise)
        params_g, moments_g = adam(params_g, moments_g, grads_g, s.lr_generator, t + 1)
        return (params_g, params_d, moments_g, moments_d, t + 1), (value_d, value_g)

    def init_run(key):
        k_g, k_d = jax.random.split(key)
        params_g, params_d = init(k_g), init(k_d)
        zeros = lambda p: jax.tree_util.tree_map(jnp.zeros_like, p)  # noqa: E731
        return (params_g, params_d, (zeros(params_g), zeros(params_g)), (zeros(params_d), zeros(params_d)), 0)

    run_keys = jax.random.split(jax.random.PRNGKey(0), RUNS)
    state = jax.vmap(init_run)(run_keys)

    @jax.jit
    def train(state, keys):  # keys: (iterations, RUNS, 2)
        return jax.lax.scan(jax.vmap(step), state, keys)

    def run(n):
        nonlocal state
        keys = jax.random.split(jax.random.PRNGKey(n), n * RUNS).reshape(n, RUNS, -1)
        state, values = train(state, keys)
        jax.block_until_ready(values)

    run(iterations)  # compile
    return run


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=100, help="population iterations per repetition")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)

    gan = GAN(DATA, seed=0)
    population = Population(DATA, seeds=range(RUNS))
    quarter = Population(DATA, seeds=range(RUNS // 4))
    gan.train(20)
    population.train(5)
    quarter.train(5)
    single, many, few = [], [], []
    for _ in range(args.repeats):
        single.append(_per_iteration(gan.train, 20 * args.iterations))
        many.append(_per_iteration(population.train, args.iterations))
        few.append(_per_iteration(quarter.train, 4 * args.iterations))
    single_us, population_us = statistics.median(single), statistics.median(many)
    marginal_us = (population_us - statistics.median(few)) / (RUNS - RUNS // 4)
    floor = RUNS * marginal_us / single_us
    print(f"single run:        {single_us:9.1f} us/iteration   (repetitions {[round(v) for v in single]})")
    print(f"population of {RUNS}: {population_us:9.1f} us/iteration   (repetitions {[round(v) for v in many]})")
    ratio = population_us / single_us
    print(f"cost ratio {ratio:.1f} (goal <= 24); throughput {RUNS / ratio:.1f}x running the seeds one after another")
    print(f"one more run adds {marginal_us:.1f} us/iteration: with no overhead the ratio would be {floor:.1f}")

    jax_run = jax_population(args.iterations)
    jax_us = jax_ratio = None
    if jax_run is not None:
        # JAX is timed after numpy, so that its runtime cannot touch the numpy numbers; its cost ratio divides
        # by single runs timed in the same interleaved repetitions.
        fused, beside = [], []
        for _ in range(args.repeats):
            beside.append(_per_iteration(gan.train, 20 * args.iterations))
            fused.append(_per_iteration(jax_run, args.iterations))
        jax_us = statistics.median(fused)
        jax_ratio = jax_us / statistics.median(beside)
        print(f"JAX vmap + scan:   {jax_us:9.1f} us/iteration; numpy/JAX = {population_us / jax_us:.2f}; "
              f"JAX's cost ratio {jax_ratio:.1f}")
    else:
        print("JAX not installed: its numbers are null")
    two = two_processes(args.iterations * 2)
    print(f"two processes:     {two:9.1f} us/iteration of all {RUNS} runs (both cores)")
    result = {
        "single_us_per_iter": round(single_us, 1),
        "population_us_per_iter": round(population_us, 1),
        "population_cost_ratio": round(ratio, 2),
        "sequential_over_population": round(RUNS / ratio, 2),
        "marginal_us_per_run": round(marginal_us, 1),
        "ratio_floor": round(floor, 2),
        "jax_us_per_iter": None if jax_us is None else round(jax_us, 1),
        "numpy_over_jax": None if jax_us is None else round(population_us / jax_us, 2),
        "jax_cost_ratio": None if jax_ratio is None else round(jax_ratio, 2),
        "two_processes_us_per_iter": round(two, 1),
        "runs": RUNS,
        "numpy": np.__version__,
        "machine": platform.machine(),
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
