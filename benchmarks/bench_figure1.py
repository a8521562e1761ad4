"""Figure 1's training, timed: the default run with its snapshots (``python -m ganmath figures`` trains it) and the
32 seeds of the stored runs (``python -m ganmath figure1 --seeds 0:32``), one BLAS thread, as the protocol stands.

Usage: ``python benchmarks/bench_figure1.py [--repeats N]``. Targets: the default run at most 60 s, 32 seeds at most
10 minutes on a 2-core machine. The last line is one JSON object with ``default_run_seconds`` (every repeat) and
``seeds_32_seconds``. Run it by hand; the machines are shared, so the numbers go in notes, never in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from ganmath.experiments.figure1 import run_figure1, train_figure1  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timings of the default run (default 3)")
    args = parser.parse_args(argv)
    default = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        run_figure1()
        default.append(round(time.perf_counter() - start, 2))
        print(f"default run: {default[-1]:.2f} s", flush=True)
    start = time.perf_counter()
    runs = train_figure1(range(32))
    seeds = round(time.perf_counter() - start, 1)
    print(f"32 seeds: {seeds:.1f} s; every bound held in {runs.rates['all']}", flush=True)
    print(json.dumps({"default_run_seconds": default, "seeds_32_seconds": seeds, "targets": {"default_run": 60,
                                                                                            "seeds_32": 600}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
