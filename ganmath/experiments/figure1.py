r"""The experiment behind the paper's Figure 1: four moments of Algorithm 1, measured over a population of seeds.

Goodfellow et al. (2014), Figure 1, draws four moments of GAN training by hand: a bell-shaped
:math:`p_\mathrm{data}` (black dotted), noise :math:`z` sampled uniformly on the lower line, arrows from
evenly spaced z to :math:`G(z)` that do not cross, and

(a) *near convergence*: :math:`p_g` similar to :math:`p_\mathrm{data}`, D a partially accurate classifier;
(b) *the inner loop*: G frozen, D trained until it converges to
    :math:`D^* = p_\mathrm{data}/(p_\mathrm{data} + p_g)`;
(c) *a generator update*: D frozen, G(z) flows to regions more likely to be classified as data;
(d) *after training*: :math:`p_g = p_\mathrm{data}` and :math:`D = 1/2`.

Here the four moments come from real runs of Algorithm 1 (:class:`ganmath.gan.Population`), with the exact
:math:`p_g` (:mod:`ganmath.gan.pushforward`) and the true :math:`D^*`, and each caption becomes a bound:

* (b) :math:`\sup|D - D^*| \le 0.05` over the central 95% of the data;
* (c) the mean of :math:`D(G(z))` over the noise rises;
* (d) :math:`\mathrm{JS}(p_\mathrm{data}, p_g) \le 0.01` nats and :math:`\sup|D - 1/2| \le 0.05` over the
  central 95% of the data.

A run is chaotic in the last bits of its arithmetic (another BLAS kernel gives another run), so the claim is
a rate over seeds, not one lucky seed: :func:`train_figure1` trains a population and says how often each
bound held (:mod:`ganmath.stats`). The default seed, 0, is the run drawn in the notebook and by
``python -m ganmath figures``.

The choices, and why:

* The data are a normal truncated to :math:`\pm 2\sigma` (:func:`figure1_data`): bell-shaped like the
  paper's, with compact support. Uniform noise on [-1, 1] through a network of bounded slope reaches only a
  bounded interval, so a normal's tails are out of its reach; the truncated normal is the pushforward of
  the uniform through its quantile function, which a smooth network can approximate closely.
* G has tanh hidden units: its steep ends make the bell's flanks (softplus units stayed near a straight
  line and a uniform p_g).
* k = 5 discriminator steps per iteration keep D near :math:`D^*`, the regime of the paper's theory.
* Training ends as Proposition 2 assumes it does: D near its optimum at every G step, G improving the
  criterion. The last phase takes the minibatches to their limit (:meth:`ganmath.gan.Population.train_exact`):
  sampling noise no longer keeps :math:`p_g` off the data's thin edges nor D off 1/2.
* G's orientation is a stated rule, not a seed (:func:`orient_generators`): uniform noise on a symmetric
  interval is unchanged by :math:`z \mapsto -z`, so G and :math:`z \mapsto G(-z)` play the same game; each
  run starts with the G of the two that increases, and its arrows do not cross.

Usage::

    from ganmath.experiments.figure1 import run_figure1, train_figure1
    result = run_figure1(seed=0)            # one run with its snapshots, for the pictures
    result.numbers["d_js"], result.panels["b"].sup_gap
    runs = train_figure1(range(32))         # a population: the numbers of every run, and the rates
    runs.rates["all"]                       # e.g. 31/32 (95% CI 0.84-0.99)
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import special

from ganmath._validation import check_positive_int
from ganmath.core.densities import Density, TruncatedNormal, Uniform
from ganmath.gan import GAN, Population
from ganmath.gan.snapshot import region_grid
from ganmath.records import arithmetic
from ganmath.stats import rate, spread
from ganmath.core.theory import optimal_discriminator

__all__ = [
    "Figure1Protocol",
    "PROTOCOL",
    "BOUNDS",
    "PANELS",
    "DEFAULT_SEED",
    "figure1_data",
    "figure1_noise",
    "orient_generators",
    "mean_discriminator_on_fakes",
    "Figure1Runs",
    "train_figure1",
    "Figure1Result",
    "run_figure1",
    "summary",
    "summarize_lines",
    "stored_runs",
    "STORED_RUNS",
    "FINGERPRINT_PROTOCOL",
    "fingerprint",
    "STORED_RUN",
    "save_run",
    "stored_run",
    "replay",
]

PANELS = ("a", "b", "c", "d")
DEFAULT_SEED = 0
#: The captions as bounds: (b) sup|D - D*|, (d) JS in nats and sup|D - 1/2|.
BOUNDS = {"b_sup_abs_D_minus_Dstar": 0.05, "d_js": 0.01, "d_sup_abs_D_minus_half": 0.05}
_NOISE_POINTS = 2001


def figure1_data(truncation: float = 2.0) -> Density:
    r""":math:`p_\mathrm{data}` of the reproduced Figure 1: a standard normal truncated to
    [-truncation, truncation] (2 by default)."""
    return TruncatedNormal(0.0, 1.0, -truncation, truncation)


def figure1_noise() -> Density:
    """:math:`p_z` of Figure 1: uniform on [-1, 1] (the lower line of the figure, "sampled uniformly")."""
    return Uniform(-1.0, 1.0)


@dataclass(frozen=True)
class Figure1Protocol:
    """How the four moments are reached.

    Attributes
    ----------
    settings : dict
        The GAN's settings (:class:`ganmath.gan.Settings`) at the start.
    approach : tuple of (int, dict)
        Algorithm-1 phases before (a): (iterations, settings changed at the start of the phase).
    inner_steps : int
        D steps with G frozen between (a) and (b), on the exact expectations
        (:meth:`ganmath.gan.Population.fit_discriminators`): the inner loop with its minibatch in the limit
        m -> infinity, so that D converges as far as its capacity allows instead of hovering at the
        distance that sampling noise sets. Where G's range ends just past the central 95% of the data,
        :math:`D^*` jumps to 1 there, and D needs many steps to sharpen its ramp to that jump: 3,000
        steps at a learning rate of 1e-3 left (b) above its bound in 5 of 32 runs, 6,000 at 2e-3 in 1.
    inner_lr : float
        D's learning rate in that inner loop.
    generator_steps : int
        G steps with D frozen between (b) and (c).
    truncation : float
        The data are N(0, 1) truncated to [-truncation, truncation].
    final : tuple of (int, dict)
        Algorithm-1 phases after (c), on minibatches.
    exact_final : dict
        Keywords of :meth:`ganmath.gan.Population.train_exact` (``iterations``, ``k``, ``lr_discriminator``,
        ``lr_generator``, ``n_points``) for the last phase, after ``final``: Algorithm 1 with both minibatches
        in their limit, Proposition 2's procedure (D kept near its optimum, G improving the criterion), or
        empty for none. (d) is the state at its end. On minibatches alone, p_g stayed about 20% off p_data
        at the data's edges and D carried the sampling noise, so (d) held in 24 of 32 runs; after 1,500
        exact iterations it holds in 32 (31 with every initial weight one ulp away).
    """

    settings: dict = field(default_factory=lambda: {
        "k": 5, "m": 64, "generator_activation": "tanh", "discriminator_activation": "leaky-relu",
        "lr_discriminator": 2e-3, "lr_generator": 1e-3,
    })
    approach: tuple = (
        (4000, {}),
        (4000, {"lr_discriminator": 1e-3, "lr_generator": 5e-4}),
        (4000, {"lr_discriminator": 1e-3, "lr_generator": 2e-4}),
    )
    inner_steps: int = 6000
    inner_lr: float = 2e-3
    generator_steps: int = 5
    truncation: float = 2.0
    final: tuple = (
        (3000, {"lr_discriminator": 1e-3, "lr_generator": 5e-5}),
        (1000, {"lr_discriminator": 2e-4, "lr_generator": 2e-5}),
    )
    exact_final: dict = field(default_factory=lambda: {
        "iterations": 1500, "k": 5, "lr_discriminator": 5e-4, "lr_generator": 5e-5, "n_points": 2001,
    })

    @property
    def iterations(self) -> int:
        return sum(n for n, _ in self.approach) + sum(n for n, _ in self.final)


PROTOCOL = Figure1Protocol()


def orient_generators(population: Population) -> np.ndarray:
    r"""Make every run's G increase on the noise's range, by the rule :math:`z \mapsto -z`.

    Where :math:`G(z_\mathrm{high}) < G(z_\mathrm{low})`, the first layer's weights are negated, which turns
    G into :math:`z \mapsto G(-z)`; noise symmetric about 0 (as Uniform(-1, 1)) is unchanged by the
    reflection, so the game is the same. Returns the boolean array of the runs that were reflected.
    """
    low, high = population.noise.support
    if not (np.isfinite(low) and np.isfinite(high) and low == -high):
        raise ValueError(f"orient_generators needs noise symmetric about 0 with a bounded support, got {population.noise!r}")
    values = population.generator(population.for_every_run([low, high]))[:, :, 0]
    reflect = values[:, 1] < values[:, 0]
    population.generator.linear_layers[0].weight[reflect] *= -1.0
    return reflect


def mean_discriminator_on_fakes(population: Population, n_points: int = _NOISE_POINTS) -> np.ndarray:
    r""":math:`\mathbb E_{z\sim p_z}[D(G(z))]` of every run, by the midpoint rule in the noise's quantiles.

    .. math:: \frac1n\sum_{i=1}^n D\big(G(F_z^{-1}((i - \tfrac12)/n))\big)

    Deterministic (no sampling), so that a rise between two moments is the networks' doing, not the noise's.
    Shape ``(R,)``.
    """
    n_points = check_positive_int("n_points", n_points)
    z = population.noise.ppf((np.arange(n_points) + 0.5) / n_points)
    inputs = population.for_every_run(z)
    logits = population.discriminator(population.generator(inputs))
    return special.expit(logits[:, :, 0]).mean(axis=1)


def _sup_abs_d_minus_half(population: Population) -> np.ndarray:
    x = region_grid(population.data)
    inputs = population.for_every_run(x)
    return np.max(np.abs(special.expit(population.discriminator(inputs)[:, :, 0]) - 0.5), axis=1)


def _sup_abs_d_star_minus_half(population: Population) -> np.ndarray:
    x = region_grid(population.data)
    out = np.full(population.n_runs, np.nan)
    for run in range(population.n_runs):
        if population.diverged_at[run] < 0:
            try:
                p_g = population.generator_density(run)
            except ValueError:  # a point mass: no density, no D*
                continue
            out[run] = np.max(np.abs(optimal_discriminator(population.data, p_g, x) - 0.5))
    return out


def _increasing(population: Population) -> np.ndarray:
    z = np.linspace(*population.noise.support, 201)
    inputs = population.for_every_run(z)
    return np.all(np.diff(population.generator(inputs)[:, :, 0], axis=1) > 0, axis=1)


def _phases(population: Population, phases, *, on_iteration=None):
    for iterations, changes in phases:
        if changes:
            population.update_settings(**changes)
        population.train(iterations, callback=on_iteration)


def _play(population: Population, protocol: Figure1Protocol, *, on_moment, on_iteration=None) -> dict:
    """Take the population through the four moments; ``on_moment(name)`` at (a), (b), (c), (d) and just
    before (c)'s generator steps (``"c_before"``), ``on_iteration(population)`` after every iteration of
    Algorithm 1 (minibatch or exact). Returns the numbers of every run, arrays of shape (R,)."""
    numbers = {}
    orient_generators(population)
    _phases(population, protocol.approach, on_iteration=on_iteration)
    numbers["a_iteration"] = population.iteration
    numbers["a_js"] = population.js_divergences()
    numbers["a_sup_abs_D_minus_Dstar"] = population.sup_discriminator_gaps()
    on_moment("a")

    population.fit_discriminators(protocol.inner_steps, lr=protocol.inner_lr)
    numbers["b_discriminator_steps"] = protocol.inner_steps
    numbers["b_sup_abs_D_minus_Dstar"] = population.sup_discriminator_gaps()
    on_moment("b")

    numbers["c_mean_D_of_G_before"] = mean_discriminator_on_fakes(population)
    for _ in range(protocol.generator_steps):
        population.step_generator()
    numbers["c_generator_steps"] = protocol.generator_steps
    numbers["c_mean_D_of_G_after"] = mean_discriminator_on_fakes(population)
    on_moment("c")

    _phases(population, protocol.final, on_iteration=on_iteration)
    if protocol.exact_final:
        population.train_exact(**protocol.exact_final, callback=on_iteration)
    numbers["d_iteration"] = population.iteration
    numbers["d_exact_iterations"] = protocol.exact_final.get("iterations", 0)
    numbers["d_js"] = population.js_divergences()
    numbers["d_sup_abs_D_minus_half"] = _sup_abs_d_minus_half(population)
    numbers["d_sup_abs_D_minus_Dstar"] = population.sup_discriminator_gaps()
    numbers["d_sup_abs_Dstar_minus_half"] = _sup_abs_d_star_minus_half(population)
    numbers["d_G_increasing"] = _increasing(population)
    on_moment("d")
    return numbers


def _outcomes(numbers: dict) -> dict:
    """Which bounds held, run by run (NaN, from a run without a density, fails every bound)."""
    b = numbers["b_sup_abs_D_minus_Dstar"] <= BOUNDS["b_sup_abs_D_minus_Dstar"]
    c = numbers["c_mean_D_of_G_after"] > numbers["c_mean_D_of_G_before"]
    d = (numbers["d_js"] <= BOUNDS["d_js"]) & (numbers["d_sup_abs_D_minus_half"] <= BOUNDS["d_sup_abs_D_minus_half"])
    return {"b": b, "c": c, "d": d, "all": b & c & d}


@dataclass
class Figure1Runs:
    """What :func:`train_figure1` measured over a population.

    Attributes
    ----------
    seeds : list of int
    numbers : dict[str, ndarray]
        Every panel number, one value per run (see :func:`run_figure1` for the names).
    outcomes : dict[str, ndarray of bool]
        ``"b"``, ``"c"``, ``"d"`` and ``"all"``: which runs met each panel's bound.
    rates : dict[str, Rate]
        The same as rates over the runs, with 95% Wilson intervals.
    population : Population
        The trained runs.
    seconds : float
    """

    seeds: list
    numbers: dict
    outcomes: dict
    rates: dict
    population: Population = field(repr=False)
    seconds: float = 0.0

    def run_numbers(self, index: int) -> dict:
        """The numbers of run ``index`` as plain JSON-ready values, with its seed and which bounds held."""
        out = {"seed": self.seeds[index]}
        for name, values in self.numbers.items():
            value = values[index] if np.ndim(values) else values
            out[name] = value.item() if isinstance(value, np.generic) else value
        out["bounds_held"] = {panel: bool(held[index]) for panel, held in self.outcomes.items()}
        return out

    def failures(self) -> list[dict]:
        """The runs that missed a bound, each with the bounds it missed."""
        return [{**self.run_numbers(i), "missed": [p for p in ("b", "c", "d") if not self.outcomes[p][i]]}
                for i in np.flatnonzero(~self.outcomes["all"])]


def train_figure1(seeds=range(32), protocol: Figure1Protocol = PROTOCOL, *, nudge_ulps: int = 0) -> Figure1Runs:
    """Train a population of Figure 1 runs, one per seed, and measure the four moments of each.

    Parameters
    ----------
    seeds : iterable of int
    protocol : Figure1Protocol
    nudge_ulps : int
        Move every initial weight by this many floats (``np.nextafter``) before training: the trajectory
        then changes as it would under another BLAS kernel, so a claim that survives it does not depend on
        the last bits of this machine's arithmetic.

    Returns
    -------
    Figure1Runs
    """
    start = time.perf_counter()
    seeds = [int(s) for s in seeds]
    population = Population(figure1_data(protocol.truncation), figure1_noise(), seeds=seeds, **protocol.settings)
    if nudge_ulps:
        population.nudge_weights(nudge_ulps)
    numbers = _play(population, protocol, on_moment=lambda name: None)
    outcomes = _outcomes(numbers)
    return Figure1Runs(seeds=seeds, numbers=numbers, outcomes=outcomes,
                       rates={name: rate(held) for name, held in outcomes.items()}, population=population,
                       seconds=time.perf_counter() - start)


@dataclass
class Figure1Result:
    """What :func:`run_figure1` measured for one run.

    Attributes
    ----------
    panels : dict[str, Snapshot]
        The four moments ``"a"``, ``"b"``, ``"c"``, ``"d"``.
    numbers : dict
        The measured numbers (JSON-ready): ``a_js``, ``a_sup_abs_D_minus_Dstar``, ``b_sup_abs_D_minus_Dstar``,
        ``b_discriminator_steps``, ``c_mean_D_of_G_before``, ``c_mean_D_of_G_after``, ``c_generator_steps``,
        ``d_js``, ``d_sup_abs_D_minus_half``, ``d_sup_abs_D_minus_Dstar``, ``d_G_increasing``, the iterations,
        ``seed``, ``bounds_held`` and ``training_seconds``.
    snapshots : list[Snapshot]
        Every snapshot of the run in order (the slider scrubs through them); the panels are among them.
    data, noise : Density
    gan : GAN or None
        The run at its end (None for a stored run, :func:`stored_run`).
    arithmetic : dict or None
        For a stored run, the arithmetic that made it (:func:`ganmath.records.arithmetic`).
    """

    panels: dict
    numbers: dict
    snapshots: list
    data: Density
    noise: Density
    gan: GAN | None = field(default=None, repr=False)
    arithmetic: dict | None = None

    def panel_index(self, name: str) -> int:
        """Position of panel ``name`` in :attr:`snapshots`."""
        if name not in self.panels:
            raise ValueError(f"name must be one of {PANELS}, got name={name!r}")
        return next(i for i, s in enumerate(self.snapshots) if s is self.panels[name])


def run_figure1(seed: int = DEFAULT_SEED, protocol: Figure1Protocol = PROTOCOL, *, snapshot_every: int = 250,
                grid=None) -> Figure1Result:
    """Train one Figure 1 run and take the four snapshots (a)-(d), with their numbers.

    The same computation as run ``seed`` of :func:`train_figure1` (a :class:`ganmath.gan.GAN` is a population
    of one), with snapshots every ``snapshot_every`` iterations for the slider.

    Parameters
    ----------
    seed : int
    protocol : Figure1Protocol
    snapshot_every : int
    grid : array_like, optional
        The x grid of the snapshots; by default 601 points on [-3, 3].

    Returns
    -------
    Figure1Result
    """
    seed = check_positive_int("seed", seed, allow_zero=True)
    snapshot_every = check_positive_int("snapshot_every", snapshot_every)
    start = time.perf_counter()
    data, noise = figure1_data(protocol.truncation), figure1_noise()
    gan = GAN(data, noise, seed=int(seed), grid=np.linspace(-3.0, 3.0, 601) if grid is None else grid,
              **protocol.settings)
    panels = {}

    def on_moment(name):
        panels[name] = gan.snapshot()

    iterations = 0

    def on_iteration(population):  # of Algorithm 1, minibatch or exact
        nonlocal iterations
        iterations += 1
        if iterations % snapshot_every == 0:
            gan.snapshot()

    gan.snapshot()
    per_run = _play(gan.population, protocol, on_moment=on_moment, on_iteration=on_iteration)
    outcomes = _outcomes(per_run)
    numbers = {"seed": int(seed)}
    for name, values in per_run.items():
        value = values[0] if np.ndim(values) else values
        numbers[name] = value.item() if isinstance(value, np.generic) else value
    numbers["bounds_held"] = {panel: bool(held[0]) for panel, held in outcomes.items()}
    numbers["training_seconds"] = time.perf_counter() - start
    for name, value in numbers.items():
        if isinstance(value, float) and not math.isfinite(value):
            raise FloatingPointError(f"the Figure 1 run measured {name}={value}")
    return Figure1Result(panels=panels, numbers=numbers, snapshots=list(gan.history.snapshots), data=data,
                         noise=noise, gan=gan)


#: The default run as committed: :func:`save_run` of ``run_figure1()``, made by ``python -m ganmath figures --out DIR
#: --save-run ganmath/data/figure1_seed0.npz``.
STORED_RUN = Path(__file__).resolve().parents[1] / "data" / "figure1_seed0.npz"


def save_run(result: Figure1Result, path, *, command: str) -> None:
    """Save a run of :func:`run_figure1` (its snapshots' networks, which of them are the panels, its numbers, the
    arithmetic that made it and ``command``) for :func:`stored_run`."""
    from ganmath.gan.io import save_snapshots

    if result.gan is None:
        raise ValueError("result must be a run trained by run_figure1, not a stored one")
    numbers = {k: v for k, v in result.numbers.items() if k != "training_seconds"}
    save_snapshots(path, result.snapshots, numbers=numbers, command=command, arithmetic=arithmetic(),
                   protocol_iterations=PROTOCOL.iterations, truncation=PROTOCOL.truncation,
                   panels={name: result.panel_index(name) for name in PANELS},
                   training_seconds=round(result.numbers["training_seconds"], 1))


def stored_run(path=STORED_RUN) -> Figure1Result:
    """The committed default run (seed 0) as a :class:`Figure1Result`: its snapshots measured again from the stored
    networks, its panels and numbers as they were measured when it was trained (``gan`` is None)."""
    from ganmath.gan.io import load_snapshots

    stored_extra = _stored_extra(path)
    data, noise = figure1_data(stored_extra["truncation"]), figure1_noise()
    snapshots, extra = load_snapshots(path, data, noise)
    panels = {name: snapshots[index] for name, index in extra["panels"].items()}
    return Figure1Result(panels=panels, numbers=extra["numbers"], snapshots=snapshots, data=data, noise=noise,
                         arithmetic=extra["arithmetic"])


def _stored_extra(path) -> dict:
    with np.load(path, allow_pickle=False) as stored:
        return json.loads(str(stored["extra"]))


def replay(seed: int = DEFAULT_SEED, iterations: int = 250, protocol: Figure1Protocol = PROTOCOL) -> GAN:
    """The first ``iterations`` iterations of run ``seed`` again (within the protocol's first phase): the networks
    of the stored run's snapshot at that iteration, bit for bit under the arithmetic that made it."""
    seed = check_positive_int("seed", seed, allow_zero=True)
    iterations = check_positive_int("iterations", iterations)
    if iterations > protocol.approach[0][0]:
        raise ValueError(f"iterations must be within the first phase ({protocol.approach[0][0]}), "
                         f"got iterations={iterations}")
    gan = GAN(figure1_data(protocol.truncation), figure1_noise(), seed=seed, **protocol.settings)
    orient_generators(gan.population)
    gan.train(iterations)
    return gan


#: The output of ``python -m ganmath figure1 --seeds 0:32``, as committed (one JSON line per seed, then the summary).
STORED_RUNS = Path(__file__).resolve().parents[1] / "data" / "figure1_seeds.jsonl"


def stored_runs(path=STORED_RUNS) -> tuple[list, dict]:
    """The committed population of Figure 1 runs: the per-seed numbers (dicts, as
    :meth:`Figure1Runs.run_numbers`) and the summary (as :func:`summary`), read from ``path``.

    They were made by ``python -m ganmath figure1 --seeds 0:32 > ganmath/data/figure1_seeds.jsonl`` on the
    machine the summary names; another machine gives other runs, and rates within their intervals.
    """
    lines = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    return lines[:-1], lines[-1]


#: A short version of :data:`PROTOCOL` that passes through every phase (minibatch phases with their changes of
#: settings, the exact inner loop, the generator steps, the exact final phase) in about a second: the fingerprint's.
FINGERPRINT_PROTOCOL = Figure1Protocol(
    approach=((20, {}), (10, {"lr_discriminator": 1e-3, "lr_generator": 5e-4})), inner_steps=20,
    final=((10, {"lr_discriminator": 1e-3, "lr_generator": 5e-5}),),
    exact_final={**PROTOCOL.exact_final, "iterations": 3, "n_points": 201})


def fingerprint(seeds=(0, 1)) -> dict:
    """Two seeds through :data:`FINGERPRINT_PROTOCOL`: their first 20 losses and every panel number, to compare
    with the stored population's fingerprint (:mod:`ganmath.records`)."""
    from ganmath.experiments.claims import first_steps

    runs = train_figure1(seeds, FINGERPRINT_PROTOCOL)
    numbers = {name: np.asarray(values, dtype=float).tolist() for name, values in sorted(runs.numbers.items())}
    return {**first_steps(runs.population.history), "numbers": numbers}


def summary(runs: Figure1Runs) -> dict:
    """The rates and the spread of each panel number, JSON-ready (the last line of the CLI, with the arithmetic
    that made them and, from the CLI, the fingerprint): :func:`summarize_lines` of the runs' lines, their time and
    the arithmetic."""
    lines = [runs.run_numbers(i) for i in range(len(runs.seeds))]
    return {**summarize_lines(lines), "seconds": round(runs.seconds, 1), "arithmetic": arithmetic()}


def summarize_lines(lines: list) -> dict:
    """What the summary says about the runs, from their per-seed lines alone (:meth:`Figure1Runs.run_numbers`, or
    the lines of :func:`stored_runs`): how often each bound held with its Wilson interval, the spread of each
    panel number, the bounds and the seeds."""
    held = {panel: rate(np.array([line["bounds_held"][panel] for line in lines])) for panel in ("b", "c", "d", "all")}
    seeds = [line["seed"] for line in lines]
    out = {"success_rate": held["all"].fraction, "rates": {k: v.as_dict() for k, v in held.items()},
           "bounds": BOUNDS, "seeds": [seeds[0], seeds[-1] + 1], "n_runs": len(lines)}
    for name in ("a_js", "b_sup_abs_D_minus_Dstar", "d_js", "d_sup_abs_D_minus_half"):
        values = np.array([line[name] for line in lines], dtype=float)
        finite = values[np.isfinite(values)]
        out[name] = spread(finite).as_dict() if finite.size else None
    return out
