"""The command line: ``python -m ganmath figures --out DIR [--seed N]`` and ``python -m ganmath figure1 --seeds A:B``.

``figures`` regenerates the paper figures without Jupyter, seeded: Figure 1 (a)-(d) of Goodfellow et al.
(2014) reproduced from a training run (``figure1.png``, ``figure1.svg``), the JS against the distance
between two Gaussians with its gradient (``js_distance.png``/``.svg``) and the generator costs of
Goodfellow (2016), Figure 16 (``generator_costs.png``/``.svg``). It prints each file it wrote and, as its
last line, one JSON object of the measured numbers. The same command on the same machine and libraries
writes the same files; elsewhere the training run, chaotic in its last bits, may differ.

``figure1`` trains the Figure 1 run of every seed A..B-1 and prints one JSON line per seed
(its panel numbers and which bounds held), then a JSON summary with ``success_rate`` and the 95% Wilson
interval of each bound's rate.

``paper-sweep`` trains the paper's own Algorithm 1 (k = 1, SGD with momentum) over a grid of generator
losses, momenta and learning rates, a population of seeds per cell, and prints the counts as one JSON object
(:func:`ganmath.experiments.algorithm1.paper_sweep`), with the arithmetic that made it and a fingerprint.

``claim NAME`` trains one claim from training over seeds 0-31 (:mod:`ganmath.experiments.claims`) and writes its
record, ``ganmath/data/NAME.json``.

``train-dcgan`` trains the numpy DCGAN on scikit-learn's 8x8 digits (:func:`ganmath.experiments.dcgan.train_dcgan`),
saves the run as ``.npz`` (:func:`ganmath.gan.dcgan.save_dcgan`) and prints its metrics as one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ganmath._cli import non_negative_int, seed_range


def _figures(out: Path, seed: int, save_run: Path | None = None) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import numpy as np
    from scipy import special

    from ganmath.core import vanishing
    from ganmath.core.costs import GENERATOR_LOSSES, generator_cost, generator_cost_grad
    from ganmath.experiments import figure1
    from ganmath.experiments.figure1 import DEFAULT_SEED, run_figure1
    from ganmath.viz import figure1 as plots_figure1
    from ganmath.viz import theory_figures

    out.mkdir(parents=True, exist_ok=True)
    written = []

    def save(figure, stem):
        for suffix in (".png", ".svg"):
            path = out / f"{stem}{suffix}"
            plots_figure1.save_figure(figure, path)
            written.append(path)
            print(f"wrote {path}")

    result = run_figure1(seed)
    save(plots_figure1.figure1_figure(result.panels, result.numbers), "figure1")
    if save_run is not None:
        command = f"python -m ganmath figures --out {out} --save-run {save_run}" + (
            "" if seed == DEFAULT_SEED else f" --seed {seed}")
        figure1.save_run(result, save_run, command=command)
        written.append(save_run)
        print(f"wrote {save_run}")

    d_grid = np.linspace(0.0, 10.0, 401)
    js5, slope5 = float(vanishing.gaussian_js(5.0)), float(vanishing.gaussian_js_slope(5.0))
    save(theory_figures.js_distance_figure(
        d_grid, js=vanishing.gaussian_js(d_grid), js_slope=vanishing.gaussian_js_slope(d_grid),
        uniform_js=vanishing.shifted_uniforms_js(d_grid), uniform_slope=vanishing.shifted_uniforms_js_slope(d_grid),
        titles=(f"JS of N(0,1) and N(d,1): JS(5) = {js5:.4f}", f"its slope: dJS/dd(5) = {slope5:.4f}"),
    ), "js_distance")

    d_axis = np.linspace(1e-4, 1 - 1e-4, 500)
    a_axis = special.logit(d_axis)
    save(theory_figures.generator_cost_figure(
        d_axis, {loss: generator_cost(a_axis, loss) for loss in GENERATOR_LOSSES},
        {loss: generator_cost_grad(a_axis, loss) for loss in GENERATOR_LOSSES},
        titles=("generator costs (Goodfellow 2016, Figure 16)", "slopes in D's logit"),
    ), "generator_costs")

    at = special.logit(0.01)
    return {
        "figure1": result.numbers,
        "js_distance": {"js_at_5": js5, "slope_at_5": slope5, "js_at_10": float(vanishing.gaussian_js(10.0))},
        "generator_costs": {f"slope_at_D_0.01_{loss}": float(generator_cost_grad(at, loss)) for loss in GENERATOR_LOSSES},
        "files": [str(p) for p in written],
    }


def _figure1_population(seeds: range) -> dict:
    from ganmath.experiments.figure1 import fingerprint, summary, train_figure1

    runs = train_figure1(seeds)
    for index in range(len(runs.seeds)):
        print(json.dumps(runs.run_numbers(index), sort_keys=True))
    return {**summary(runs), "command": f"python -m ganmath figure1 --seeds {seeds.start}:{seeds.stop}",
            "fingerprint": fingerprint()}


def _paper_sweep(seeds: range, n_iter: int) -> dict:
    import time

    from ganmath.experiments.algorithm1 import paper_sweep, paper_sweep_fingerprint
    from ganmath.records import arithmetic

    def progress(done, total):
        print(f"cell {done}/{total}", file=sys.stderr, flush=True)

    start = time.perf_counter()
    sweep = paper_sweep(seeds=seeds, n_iter=n_iter, progress=progress).as_dict()
    command = f"python -m ganmath paper-sweep --seeds {seeds.start}:{seeds.stop} --iterations {n_iter}"
    return {**sweep, "seconds": round(time.perf_counter() - start, 1), "command": command,
            "arithmetic": arithmetic(), "fingerprint": paper_sweep_fingerprint()}


def _claim(args) -> dict:
    from ganmath.experiments import claims
    from ganmath.records import write_json

    record = claims.make_record(args.name, args.seeds)
    out = claims.CLAIMS[args.name].path if args.out is None else args.out
    write_json(record, out)
    print(f"wrote {out}", file=sys.stderr)
    return {"claim": record["claim"], "summary": record["summary"], "seconds": record["seconds"], "out": str(out)}


def _train_dcgan(args) -> dict:
    import time

    from ganmath.experiments.dcgan import PROTOCOL, evaluate, train_dcgan
    from ganmath.gan.dcgan import save_dcgan
    from ganmath.records import arithmetic

    iterations = PROTOCOL.n_iter if args.iterations is None else args.iterations
    command = f"python -m ganmath train-dcgan --seed {args.seed} --out {args.out}"
    command += "" if args.iterations is None else f" --iterations {iterations}"
    command += "" if args.configuration == "dcgan" else f" --configuration {args.configuration}"
    command += " --optimizer-state" if args.optimizer_state else ""
    start = time.perf_counter()
    gan = train_dcgan(args.seed, configuration=args.configuration, n_iter=iterations)
    seconds = round(time.perf_counter() - start, 1)
    save_dcgan(gan, args.out, optimizer_state=args.optimizer_state, command=command, arithmetic=arithmetic())
    return {"seed": args.seed, "iterations": iterations, "configuration": args.configuration, "out": str(args.out),
            "training_seconds": seconds, "command": command, "metrics": evaluate(gan)}


def build_parser() -> argparse.ArgumentParser:
    from ganmath.experiments.figure1 import DEFAULT_SEED

    parser = argparse.ArgumentParser(
        prog="python -m ganmath",
        description="ganmath: the mathematics of the original GAN, computed exactly in 1-D.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    figures = commands.add_parser(
        "figures",
        help="regenerate the paper figures (Figure 1 (a)-(d) from a training run, JS against distance, "
             "generator costs) as PNG and SVG; the last line printed is a JSON object of the measured numbers",
        description="Regenerate the paper figures as PNG and SVG, seeded and byte-identical from run to run.",
    )
    figures.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder to write the figures to")
    figures.add_argument("--seed", type=non_negative_int("seed"), default=DEFAULT_SEED,
                         help=f"seed of the Figure 1 training run (default {DEFAULT_SEED})")
    figures.add_argument("--save-run", type=Path, default=None, metavar="FILE",
                         help="also save the Figure 1 run (its snapshots' networks and numbers) as .npz, as the "
                              "committed ganmath/data/figure1_seed0.npz that notebook 07 draws")
    figure1 = commands.add_parser(
        "figure1",
        help="train the Figure 1 run of every seed A..B-1; one JSON line per seed, then a "
             "JSON summary with success_rate",
        description="Train the Figure 1 run of every seed A..B-1 and say how often each of the "
                    "panels' bounds held.",
    )
    figure1.add_argument("--seeds", required=True, type=seed_range, metavar="A:B",
                         help="the seeds A, A+1, ..., B-1 (for example 0:32)")
    sweep = commands.add_parser(
        "paper-sweep",
        help="the paper's Algorithm 1 (k = 1, SGD with momentum) over generator losses, momenta and learning "
             "rates, a population of seeds per cell; prints one JSON object",
        description="Sweep the paper's Algorithm 1 on Figure 1's data and networks; each cell counts the runs that "
                    "reach JS < 0.02 nats.",
    )
    sweep.add_argument("--seeds", type=seed_range, default=range(0, 16), metavar="A:B",
                       help="the seeds of each cell (default 0:16)")
    sweep.add_argument("--iterations", type=non_negative_int("iterations"), default=4000,
                       help="iterations per run (default 4000)")
    _add_train_dcgan(commands)
    _add_claim(commands)
    return parser


def _add_claim(commands):
    from ganmath.experiments.claims import CLAIMS

    claim = commands.add_parser(
        "claim",
        help="train one claim from training over its seeds and write its record (ganmath/data/NAME.json): the "
             "per-seed numbers, their summary, the arithmetic that made them and a fingerprint",
        description="Train a claim from training over seeds and write its record as JSON. The claims: "
                    + "; ".join(f"{name}: {c.description}" for name, c in CLAIMS.items()) + ".",
    )
    claim.add_argument("name", choices=tuple(CLAIMS), help="which claim")
    claim.add_argument("--seeds", type=seed_range, default=range(0, 32), metavar="A:B",
                       help="the seeds (default 0:32)")
    claim.add_argument("--out", type=Path, default=None, metavar="FILE",
                       help="the JSON file to write (default: the committed record, ganmath/data/NAME.json)")


def _add_train_dcgan(commands):
    from ganmath.experiments.dcgan import CONFIGURATIONS, PROTOCOL

    dcgan = commands.add_parser(
        "train-dcgan",
        help="train the numpy DCGAN on scikit-learn's 8x8 digits and save it as .npz; prints its metrics as JSON",
        description="Train the DCGAN (or one of its ablations) by Algorithm 1 on the training digits, save the run "
                    "(weights, batch-normalization statistics, history, snapshots) as .npz without pickles.",
    )
    dcgan.add_argument("--seed", type=non_negative_int("seed"), default=0, help="seed of the run (default 0)")
    dcgan.add_argument("--out", required=True, type=Path, metavar="FILE", help="the .npz file to write")
    dcgan.add_argument("--iterations", type=non_negative_int("iterations"), default=None,
                       help=f"Algorithm-1 iterations (default {PROTOCOL.n_iter})")
    dcgan.add_argument("--configuration", choices=tuple(CONFIGURATIONS), default="dcgan",
                       help="the full DCGAN (default), an ablation or a control")
    dcgan.add_argument("--optimizer-state", action="store_true",
                       help="also save the optimizers' state, so that training can go on bit for bit")


def main(argv=None) -> int:
    """Run the command line; returns the exit status (argparse exits with 2 on a bad argument)."""
    args = build_parser().parse_args(argv)
    if args.command == "figures":
        numbers = _figures(args.out, args.seed, args.save_run)
    elif args.command == "figure1":
        numbers = _figure1_population(args.seeds)
    elif args.command == "train-dcgan":
        numbers = _train_dcgan(args)
    elif args.command == "claim":
        numbers = _claim(args)
    else:
        numbers = _paper_sweep(args.seeds, args.iterations)
    print(json.dumps(numbers, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
