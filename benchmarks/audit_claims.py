"""Audit the training claims under other OpenBLAS kernels: the worst margin of each claim, run by hand.

A GAN run is chaotic in the last bits of its arithmetic, and OpenBLAS picks its kernel by CPU. This script measures
every claim that ``tests/experiments/test_claims.py`` and ``tests/experiments/test_figure1.py`` assert, once per kernel, each in its own
process with ``OPENBLAS_CORETYPE`` set (the tests never set it), and prints for each claim the value measured under
each kernel, the threshold the tests assert, and the worst margin. A claim whose worst margin is negative would fail
on a machine whose BLAS rounds like that kernel.

Run: ``.venv/bin/python benchmarks/audit_claims.py [--kernels default Sandybridge Prescott] [--skip-figure1]``
(about 5 minutes per kernel). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

# claim -> (threshold the tests assert, "min" if the value must be >= it, "max" if <=)
THRESHOLDS = {
    "convergence: runs with JS < 0.01 (of 32)": (26, "min"),
    "saturation: lower quartile of the gradient ratio": (300, "min"),
    "saturation: non-saturating runs reaching the data (of 32)": (28, "min"),
    "saturation: minimax runs reaching the data (of 32)": (4, "max"),
    "mode collapse: baseline runs dropping a mode (of 32)": (26, "min"),
    "mode collapse: minimax k = 5 runs dropping a mode (of 32)": (14, "max"),
    "figure 1: runs meeting every bound (of 32)": (None, "min"),
}

MEASURE = r"""
import json, sys
from ganmath.experiments import algorithm1, mode_collapse, saturation
skip_figure1 = sys.argv[1] == "1"
out = {}
c = algorithm1.convergence(range(32))
out["convergence: runs with JS < 0.01 (of 32)"] = c.converged.successes
s = saturation.saturation(range(32))
out["saturation: lower quartile of the gradient ratio"] = s.ratio.lower_quartile
out["saturation: non-saturating runs reaching the data (of 32)"] = s.reached["non-saturating"].successes
out["saturation: minimax runs reaching the data (of 32)"] = s.reached["minimax"].successes
out["mode collapse: baseline runs dropping a mode (of 32)"] = mode_collapse.mode_collapse(
    range(32), **mode_collapse.WHAT_HELPS["non-saturating, k = 1"]).rate.successes
out["mode collapse: minimax k = 5 runs dropping a mode (of 32)"] = mode_collapse.mode_collapse(
    range(32), **mode_collapse.WHAT_HELPS["minimax, k = 5"]).rate.successes
if not skip_figure1:
    from ganmath.experiments.figure1 import train_figure1
    out["figure 1: runs meeting every bound (of 32)"] = train_figure1(range(32)).rates["all"].successes
print(json.dumps(out))
"""


def measure(kernel: str, skip_figure1: bool) -> dict:
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    if kernel != "default":
        env["OPENBLAS_CORETYPE"] = kernel
    completed = subprocess.run([sys.executable, "-c", MEASURE, "1" if skip_figure1 else "0"], env=env,
                               capture_output=True, text=True, check=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kernels", nargs="+", default=["default", "Sandybridge", "Prescott"])
    parser.add_argument("--skip-figure1", action="store_true")
    args = parser.parse_args(argv)
    tests = os.path.join(os.path.dirname(__file__), "..", "tests")
    sys.path[:0] = [tests, os.path.join(tests, "experiments")]
    from test_figure1 import MIN_SUCCESSES

    thresholds = dict(THRESHOLDS)
    thresholds["figure 1: runs meeting every bound (of 32)"] = (MIN_SUCCESSES, "min")
    measured = {}
    for kernel in args.kernels:
        print(f"measuring under OPENBLAS_CORETYPE={kernel} ...", flush=True)
        measured[kernel] = measure(kernel, args.skip_figure1)
    report = {}
    for claim, (threshold, sense) in thresholds.items():
        values = {kernel: measured[kernel].get(claim) for kernel in args.kernels}
        if any(v is None for v in values.values()):
            continue
        margins = [(v - threshold) if sense == "min" else (threshold - v) for v in values.values()]
        report[claim] = {"values": values, "asserted": f"{'>=' if sense == 'min' else '<='} {threshold}",
                         "worst_margin": min(margins)}
        print(f"{claim:58s} {' '.join(f'{v:>8.4g}' for v in values.values())}   asserted "
              f"{report[claim]['asserted']:>6}   worst margin {min(margins):.4g}")
    print(json.dumps(report))
    return report


if __name__ == "__main__":
    main()
