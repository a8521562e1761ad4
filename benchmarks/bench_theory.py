"""Slider-speed benchmark of the theory kit (run by hand: `make bench` or `python benchmarks/bench_theory.py`).

For a Gaussian pair and a pair of 3-component mixtures it times, median of many repetitions:
- D* and both densities on a 2,000-point grid (target: at most 1 ms);
- JS, C(G) and V(D*, G) to 1e-9 (target: at most 5 ms each);
and the same integrals by plain `scipy.integrate.quad` (QUADPACK on a scalar integrand, split at the same
points, asked for the same accuracy), with the ratio. The last line is one JSON object of all the numbers.
"""

from __future__ import annotations

import json
import math
import statistics
import time

import numpy as np
from scipy import integrate, special

import ganmath as gm

PAIRS = {
    "gaussians": (gm.Normal(0.0, 1.0), gm.Normal(2.0, 1.5)),
    "mixtures": (
        gm.Mixture([gm.Normal(-2, 0.5), gm.Normal(0, 1), gm.Normal(3, 0.7)], [0.3, 0.4, 0.3]),
        gm.Mixture([gm.Normal(-1, 0.8), gm.Normal(1, 0.6), gm.Normal(2.5, 1.2)], [0.2, 0.5, 0.3]),
    ),
}


def median_seconds(function, repeats=200, warmup=10):
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def quad_integral(integrand, p, q):
    low = min(p.integration_range[0], q.integration_range[0])
    high = max(p.integration_range[1], q.integration_range[1])
    points = np.unique(np.concatenate([[low, high], p.breakpoints, q.breakpoints]))
    points = points[(points >= low) & (points <= high)]
    return math.fsum(
        integrate.quad(integrand, a, b, epsabs=1e-12, epsrel=1e-12, limit=200)[0] for a, b in zip(points[:-1], points[1:])
    )


def quad_js(p, q):
    def integrand(x):
        a, b = float(p.pdf(x)), float(q.pdf(x))
        m = 0.5 * (a + b)
        return 0.5 * (special.rel_entr(a, m) + special.rel_entr(b, m))

    return quad_integral(integrand, p, q)


def quad_criterion(p, q):
    def integrand(x):
        a, b = float(p.pdf(x)), float(q.pdf(x))
        return special.xlogy(a, a / (a + b)) + special.xlogy(b, b / (a + b)) if a + b > 0 else 0.0

    return quad_integral(integrand, p, q)


def main():
    grid = np.linspace(-6.0, 6.0, 2000)
    results = {}
    for name, (p, q) in PAIRS.items():
        d_star_logit = lambda x: gm.optimal_discriminator_logit(p, q, x)
        timings = {
            "grid_densities_and_dstar_ms": median_seconds(
                lambda: (p.pdf(grid), q.pdf(grid), gm.optimal_discriminator(p, q, grid)), repeats=500
            ),
            "js_ms": median_seconds(lambda: gm.js_divergence(p, q)),
            "criterion_ms": median_seconds(lambda: gm.virtual_criterion(p, q)),
            "value_at_dstar_ms": median_seconds(lambda: gm.value_function(d_star_logit, p, q, logit=True)),
            "quad_js_ms": median_seconds(lambda: quad_js(p, q), repeats=5, warmup=1),
            "quad_criterion_ms": median_seconds(lambda: quad_criterion(p, q), repeats=5, warmup=1),
        }
        timings = {k: v * 1e3 for k, v in timings.items()}
        js, js_quad = gm.js_divergence(p, q), quad_js(p, q)
        timings["js"] = js
        timings["js_quad_minus_ganmath"] = js_quad - js
        timings["quad_over_ganmath_js"] = timings["quad_js_ms"] / timings["js_ms"]
        timings["quad_over_ganmath_criterion"] = timings["quad_criterion_ms"] / timings["criterion_ms"]
        results[name] = timings
        print(f"{name}:")
        for key, value in timings.items():
            print(f"  {key:32s} {value:.6g}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
