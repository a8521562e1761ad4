"""Measure a variant of the Figure 1 protocol over seeds: how often each panel's bound holds, run by hand.

``ganmath.experiments.figure1.PROTOCOL`` is one choice among many (the threshold of (a), the inner loop, the
generator's steps, the last phases, the networks). This script trains the seeds with some of its fields replaced
and prints the rate of each bound and the quartiles of the panel numbers. Compare variants by these rates, never
by one seed, and choose on some seeds before measuring on others.

Run: ``.venv/bin/python benchmarks/figure1_variants.py [--seeds 0:32] [--nudge-ulps 0] [--set JSON]``, e.g.

    .venv/bin/python benchmarks/figure1_variants.py --set '{"generator_lr": 0.01}'
    .venv/bin/python benchmarks/figure1_variants.py --set '{"a_threshold": 0.2, "final": 3000}'
    .venv/bin/python benchmarks/figure1_variants.py --set '{"exact_final": {"iterations": 100}}'

About a minute and a half for 32 seeds with the default protocol, on one core. The last line is one JSON object.
"""

from __future__ import annotations

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import json  # noqa: E402

import numpy as np  # noqa: E402

from ganmath.experiments.figure1 import PROTOCOL, train_figure1  # noqa: E402

NUMBERS = ("a_iteration", "a_js", "b_discriminator_steps", "b_sup_abs_D_minus_Dstar", "c_js_before", "c_js_after",
           "c_js_ratio", "d_js", "d_sup_abs_D_minus_half", "d_sup_abs_D_minus_Dstar")


def _seeds(text: str) -> range:
    start, stop = (int(v) for v in text.split(":"))
    return range(start, stop)


def _protocol(changes: dict):
    fields = {f.name for f in dataclasses.fields(PROTOCOL)}
    unknown = sorted(set(changes) - fields)
    if unknown:
        raise SystemExit(f"--set: unknown protocol field(s) {unknown}; the fields are {sorted(fields)}")
    if "exact_final" in changes:
        changes["exact_final"] = {**PROTOCOL.exact_final, **changes["exact_final"]}
    if "settings" in changes:
        changes["settings"] = {**PROTOCOL.settings, **changes["settings"]}
    return dataclasses.replace(PROTOCOL, **changes)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=_seeds, default=range(32), help="A:B trains seeds A..B-1 (default 0:32)")
    parser.add_argument("--nudge-ulps", type=int, default=0, help="move every initial weight by this many ulps")
    parser.add_argument("--set", default="{}", help="JSON object of Figure1Protocol fields to replace")
    args = parser.parse_args(argv)
    protocol = _protocol(json.loads(args.set))
    runs = train_figure1(args.seeds, protocol, nudge_ulps=args.nudge_ulps)
    for panel, rate in runs.rates.items():
        print(f"bounds of {panel:>3} held in {rate}")
    quartiles = {}
    for name in NUMBERS:
        values = np.asarray(runs.numbers[name], dtype=float)
        quartiles[name] = [round(float(v), 4) for v in np.nanquantile(values, [0.0, 0.25, 0.5, 0.75, 1.0])]
        print(f"{name:28s} min, quartiles, max: {quartiles[name]}")
    result = {"protocol": json.loads(args.set), "seeds": [args.seeds.start, args.seeds.stop],
              "nudge_ulps": args.nudge_ulps, "rates": {k: v.as_dict() for k, v in runs.rates.items()},
              "quartiles": quartiles, "seconds": round(runs.seconds, 1)}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
