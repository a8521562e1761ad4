r"""The experiment behind the paper's Figure 1: four moments of Algorithm 1, measured over seeds.

Goodfellow et al. (2014), Figure 1, draws four moments of GAN training by hand: a bell-shaped
:math:`p_\mathrm{data}` (black dotted), the noise z on the lower line, arrows from z to :math:`G(z)`, and

(a) *near convergence*: :math:`p_g` similar to :math:`p_\mathrm{data}` but visibly apart, D a partially accurate
    classifier;
(b) *the inner loop*: G frozen, D trained until it converges to
    :math:`D^* = p_\mathrm{data}/(p_\mathrm{data} + p_g)`, a smooth ramp crossing 1/2 where the densities cross;
(c) *a generator update*: D frozen, :math:`G(z)` flows toward regions more likely to be classified as data;
(d) *after training*: :math:`p_g = p_\mathrm{data}` and :math:`D = 1/2`.

Here each moment is taken from a real run of Algorithm 1 (:class:`ganmath.gan.GAN`), with the exact
:math:`p_g` and the true :math:`D^*`, and each caption becomes a bound (:data:`BOUNDS`):

* (a) the first check (every :attr:`Figure1Protocol.check_every` iterations) at which
  :math:`\mathrm{JS}(p_\mathrm{data}, p_g)` is below :attr:`Figure1Protocol.a_threshold` = 0.1 nats, with the D
  that training has then; the bound: the JS lies in [0.03, 0.4] nats;
* (b) the same G frozen, D trained on the exact expectations (the inner loop's minibatch in its limit,
  :meth:`ganmath.gan.Population.fit_discriminators`) until :math:`\sup|D - D^*| \le 0.05` where the data or
  :math:`p_g` have mass (between the 0.5% and 99.5% quantiles of either, :func:`mass_region`), in chunks of
  :attr:`Figure1Protocol.inner_chunk` steps, at least one and at most :attr:`Figure1Protocol.max_inner` steps; the
  bound: it got there;
* (c) that D frozen, :attr:`Figure1Protocol.generator_steps` = 10 steps of gradient descent of G on the paper's
  own objective, :math:`\mathbb E_z \log(1 - D(G(z)))`, over the noise's quantiles; with D at :math:`D^*` its
  gradient is that of the criterion :math:`C(G) = -\log 4 + 2\,\mathrm{JS}` (Proposition 2's argument); the
  bound: the JS falls by at least 20%;
* (d) Algorithm 1 goes on for :attr:`Figure1Protocol.final` iterations on minibatches, then
  :meth:`ganmath.gan.Population.train_exact` on the exact expectations; the bound: JS at most 0.01 nats and
  :math:`\sup|D - 1/2| \le 0.05` where the data have mass.

The choices, and why. The paper's picture is smooth: two bells and a D* that ramps smoothly between them. Two
normals of the same spread give exactly that, :math:`D^*` then being a logistic function of x, so the data are
:math:`\mathcal N(2, 0.5^2)` (:func:`figure1_data`), the noise :math:`\mathcal N(0, 1)` (:func:`figure1_noise`), and
the generator the simplest network there is, an affine map :math:`G(z) = a z + b`, whose :math:`p_g` is exactly
:math:`\mathcal N(b, a^2)`. A deeper generator bends the picture with features the paper's has not: a bounded G
(tanh units, or uniform noise) gives :math:`p_g` an edge where :math:`D^*` jumps to 1, and a G that folds gives
:math:`p_g` a spike. D is a 1-16-16-1 tanh network, trained with k = 2 steps per generator step. The arrows
start at evenly spaced quantiles of the noise, so that, as in the paper, each carries the same probability and
their heads crowd where :math:`p_g` is high; where :math:`G(z) = a z + b` has :math:`a < 0` the generator is
reflected, :math:`z \mapsto -z` (:func:`orient_generator`), which leaves :math:`p_g` unchanged, so that the arrows
do not cross.

A run is chaotic in the last bits of its arithmetic (another BLAS kernel gives another run), so the claim is a
rate over seeds (:mod:`ganmath.stats`). :func:`train_figure1` trains every seed through the same function as
:func:`run_figure1`, which also takes snapshots for the slider; the default seed, 0, is the run drawn in the
notebook and by ``python -m ganmath figures``.

Usage::

    from ganmath.experiments.figure1 import run_figure1, train_figure1
    result = run_figure1(seed=0)            # one run with its snapshots, for the pictures
    result.numbers["d_js"], result.panels["b"].sup_gap
    runs = train_figure1(range(32))         # every seed's numbers, and the rates
    runs.rates["all"]                       # e.g. 32 of 32 (95% interval 89-100%)
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ganmath._validation import check_positive_int
from ganmath.core.densities import Density, Normal
from ganmath.gan import GAN
from ganmath.gan.snapshot import sup_discriminator_gap
from ganmath.records import arithmetic
from ganmath.stats import rate, spread

__all__ = [
    "Figure1Protocol",
    "PROTOCOL",
    "BOUNDS",
    "PANELS",
    "DEFAULT_SEED",
    "MASS_TAIL",
    "figure1_data",
    "figure1_noise",
    "mass_region",
    "orient_generator",
    "sup_abs_d_minus_optimal",
    "sup_abs_d_minus_half",
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
#: The captions as bounds: (a) the JS in nats within [low, high]; (b) sup|D - D*| where the data or p_g have mass;
#: (c) the JS after G's steps at most this fraction of the JS before; (d) the JS in nats, and sup|D - 1/2| where
#: the data have mass.
BOUNDS = {"a_js": (0.03, 0.4), "b_sup_abs_D_minus_Dstar": 0.05, "c_js_ratio": 0.8, "d_js": 0.01,
          "d_sup_abs_D_minus_half": 0.05}
#: A density "has mass" between its MASS_TAIL and 1 - MASS_TAIL quantiles.
MASS_TAIL = 0.005
_REGION_POINTS = 401
_NOISE_POINTS = 2001


def figure1_data() -> Density:
    r""":math:`p_\mathrm{data}` of the reproduced Figure 1: :math:`\mathcal N(2, 0.5^2)`."""
    return Normal(2.0, 0.5)


def figure1_noise() -> Density:
    r""":math:`p_z` of Figure 1: :math:`\mathcal N(0, 1)`, whose quantiles the arrows start from."""
    return Normal(0.0, 1.0)


@dataclass(frozen=True)
class Figure1Protocol:
    """How the four moments are reached (see the module's docstring for why).

    Attributes
    ----------
    settings : dict
        The GAN's settings (:class:`ganmath.gan.Settings`): an affine G (no hidden layer), a 1-16-16-1 tanh D,
        k = 2, Adam at learning rates 2e-3 for both players, minibatches of 64.
    a_threshold : float
        (a) is the first check at which the JS is below this many nats.
    check_every : int
        Iterations of Algorithm 1 between two checks of the JS on the way to (a).
    max_approach : int
        Iterations after which (a) is taken even if the JS is still above the threshold (the run then misses
        (a)'s bound if the JS is above 0.4).
    inner_lr : float
        D's learning rate (Adam) in the exact inner loop of (b).
    inner_chunk : int
        D steps between two checks of sup|D - D*| in (b).
    max_inner : int
        D steps after which (b) stops even if D is not yet within the bound.
    generator_steps : int
        Steps of gradient descent of G in (c).
    generator_lr : float
        Their step size (plain gradient descent: the step is this times the gradient).
    generator_loss : str
        The loss of those steps: ``"minimax"``, the paper's :math:`\\log(1 - D(G(z)))`.
    final : int
        Iterations of Algorithm 1 on minibatches after (c).
    exact_final : dict
        Keywords of :meth:`ganmath.gan.Population.train_exact` for the last phase (empty for none): Algorithm 1
        with both minibatches in their limit, so that sampling noise leaves neither p_g nor D off their optimum.
    """

    settings: dict = field(default_factory=lambda: {
        "k": 2, "m": 64, "generator_hidden": (), "discriminator_hidden": (16, 16),
        "discriminator_activation": "tanh", "lr_discriminator": 2e-3, "lr_generator": 2e-3,
    })
    a_threshold: float = 0.1
    check_every: int = 10
    max_approach: int = 5000
    inner_lr: float = 2e-3
    inner_chunk: int = 100
    max_inner: int = 10000
    generator_steps: int = 10
    generator_lr: float = 0.02
    generator_loss: str = "minimax"
    final: int = 1500
    exact_final: dict = field(default_factory=lambda: {
        "iterations": 300, "k": 5, "lr_discriminator": 5e-4, "lr_generator": 5e-5, "n_points": 2001,
    })


PROTOCOL = Figure1Protocol()


def mass_region(*densities: Density, n: int = _REGION_POINTS) -> np.ndarray:
    """``n`` evenly spaced points from the lowest :data:`MASS_TAIL` quantile of ``densities`` to their highest
    1 - MASS_TAIL quantile: where one of them has mass. Shape ``(n,)``."""
    if not densities or not all(isinstance(d, Density) for d in densities):
        raise TypeError(f"densities must be ganmath Densities, got {densities!r}")
    low = min(float(d.ppf(MASS_TAIL)) for d in densities)
    high = max(float(d.ppf(1.0 - MASS_TAIL)) for d in densities)
    return np.linspace(low, high, check_positive_int("n", n))


def sup_abs_d_minus_optimal(gan: GAN, p_g: Density | None = None) -> float:
    r""":math:`\sup|D - D^*|` where the data or :math:`p_g` have mass (:func:`mass_region`); ``p_g`` is the run's
    exact density (computed when not given: pass it when G stands still between calls)."""
    p_g = gan.generator_density() if p_g is None else p_g
    return sup_discriminator_gap(gan.data, p_g, gan.discriminator, mass_region(gan.data, p_g))


def sup_abs_d_minus_half(gan: GAN) -> float:
    r""":math:`\sup|D - 1/2|` where the data have mass (:func:`mass_region` of the data)."""
    return float(np.max(np.abs(gan.discriminator_probability(mass_region(gan.data)) - 0.5)))


def orient_generator(gan: GAN) -> bool:
    r"""Make the run's G increase, by the rule :math:`z \mapsto -z`: where G decreases from the noise's lower
    quartile to its upper one, the first layer's weights are negated, which turns G into :math:`z \mapsto G(-z)`.
    Noise symmetric about 0 is unchanged by the reflection, so p_g and the game are the same. Returns whether G
    was reflected."""
    low, high = (float(v) for v in gan.noise.ppf([0.25, 0.75]))
    if not math.isclose(low, -high, rel_tol=1e-12, abs_tol=1e-12):
        raise ValueError(f"orient_generator needs noise symmetric about 0, got {gan.noise!r}")
    values = gan.generator(np.array([[low], [high]]))[:, 0]
    reflect = bool(values[1] < values[0])
    if reflect:
        gan.generator.linear_layers[0].weight *= -1.0
    return reflect


def _new_run(seed, protocol: Figure1Protocol, *, grid=None, nudge_ulps: int = 0) -> GAN:
    gan = GAN(figure1_data(), figure1_noise(), seed=int(seed), grid=grid, **protocol.settings)
    if nudge_ulps:
        gan.population.nudge_weights(nudge_ulps)
    orient_generator(gan)
    return gan


def _play(gan: GAN, protocol: Figure1Protocol, *, on_moment, on_iteration=None) -> dict:
    """Take one run through the four moments; ``on_moment(name)`` at (a), (b), (c), (d),
    ``on_iteration(population)`` after every iteration of Algorithm 1 (minibatch or exact). Returns its numbers."""
    numbers = {}
    population = gan.population
    js = gan.js_divergence()
    while js >= protocol.a_threshold and gan.iteration < protocol.max_approach:
        gan.train(protocol.check_every, callback=on_iteration)
        js = gan.js_divergence()
    numbers["a_iteration"] = gan.iteration
    numbers["a_js"] = js
    p_g = gan.generator_density()   # G stands still from (a) to (b)
    numbers["a_sup_abs_D_minus_Dstar"] = sup_abs_d_minus_optimal(gan, p_g)
    on_moment("a")

    steps, gap = 0, numbers["a_sup_abs_D_minus_Dstar"]
    while steps == 0 or (gap > BOUNDS["b_sup_abs_D_minus_Dstar"] and steps < protocol.max_inner):
        population.fit_discriminators(protocol.inner_chunk, lr=protocol.inner_lr)
        steps += protocol.inner_chunk
        gap = sup_abs_d_minus_optimal(gan, p_g)
    numbers["b_discriminator_steps"] = steps
    numbers["b_sup_abs_D_minus_Dstar"] = gap
    on_moment("b")

    numbers["c_js_before"] = js   # the JS of (a): only D moved since
    population.fit_generators(protocol.generator_steps, lr=protocol.generator_lr, loss=protocol.generator_loss,
                              optimizer="sgd")
    numbers["c_generator_steps"] = protocol.generator_steps
    numbers["c_js_after"] = gan.js_divergence()
    numbers["c_js_ratio"] = numbers["c_js_after"] / numbers["c_js_before"]
    on_moment("c")

    gan.train(protocol.final, callback=on_iteration)
    if protocol.exact_final:
        population.train_exact(**protocol.exact_final, callback=on_iteration)
    numbers["d_iteration"] = gan.iteration
    numbers["d_exact_iterations"] = protocol.exact_final.get("iterations", 0)
    numbers["d_js"] = gan.js_divergence()
    numbers["d_sup_abs_D_minus_half"] = sup_abs_d_minus_half(gan)
    numbers["d_sup_abs_D_minus_Dstar"] = sup_abs_d_minus_optimal(gan)
    on_moment("d")
    return numbers


def _outcomes(numbers: dict) -> dict:
    """Which bounds held (arrays of shape (R,) in, booleans of shape (R,) out; NaN fails every bound)."""
    low, high = BOUNDS["a_js"]
    a = (numbers["a_js"] >= low) & (numbers["a_js"] <= high)
    b = numbers["b_sup_abs_D_minus_Dstar"] <= BOUNDS["b_sup_abs_D_minus_Dstar"]
    c = numbers["c_js_ratio"] <= BOUNDS["c_js_ratio"]
    d = (numbers["d_js"] <= BOUNDS["d_js"]) & (numbers["d_sup_abs_D_minus_half"] <= BOUNDS["d_sup_abs_D_minus_half"])
    return {"a": a, "b": b, "c": c, "d": d, "all": a & b & c & d}


def _json_number(value):
    value = value.item() if isinstance(value, np.generic) else value
    return value


@dataclass
class Figure1Runs:
    """What :func:`train_figure1` measured over seeds.

    Attributes
    ----------
    seeds : list of int
    numbers : dict[str, ndarray]
        Every panel number, one value per run (see :func:`run_figure1` for the names).
    outcomes : dict[str, ndarray of bool]
        ``"a"``, ``"b"``, ``"c"``, ``"d"`` and ``"all"``: which runs met each panel's bound.
    rates : dict[str, Rate]
        The same as rates over the runs, with 95% Wilson intervals.
    runs : list of GAN
        The trained runs, at their end.
    seconds : float
    """

    seeds: list
    numbers: dict
    outcomes: dict
    rates: dict
    runs: list = field(repr=False)
    seconds: float = 0.0

    def run_numbers(self, index: int) -> dict:
        """The numbers of run ``index`` as plain JSON-ready values, with its seed and which bounds held."""
        out = {"seed": self.seeds[index]}
        for name, values in self.numbers.items():
            out[name] = _json_number(values[index])
        out["bounds_held"] = {panel: bool(held[index]) for panel, held in self.outcomes.items()}
        return out

    def failures(self) -> list[dict]:
        """The runs that missed a bound, each with the bounds it missed."""
        return [{**self.run_numbers(i), "missed": [p for p in PANELS if not self.outcomes[p][i]]}
                for i in np.flatnonzero(~self.outcomes["all"])]


def train_figure1(seeds=range(32), protocol: Figure1Protocol = PROTOCOL, *, nudge_ulps: int = 0) -> Figure1Runs:
    """Train the Figure 1 run of every seed and measure its four moments.

    Each run goes through the same function as :func:`run_figure1` (without the snapshots, which do not change
    the run): run ``seed`` here and there are the same numbers.

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
    seeds = [check_positive_int(f"seeds[{i}]", s, allow_zero=True) for i, s in enumerate(seeds)]
    if not seeds:
        raise ValueError("seeds must not be empty")
    per_run, runs = [], []
    for seed in seeds:
        gan = _new_run(seed, protocol, nudge_ulps=nudge_ulps)
        per_run.append(_play(gan, protocol, on_moment=lambda name: None))
        runs.append(gan)
    numbers = {name: np.array([numbers[name] for numbers in per_run]) for name in per_run[0]}
    outcomes = _outcomes(numbers)
    return Figure1Runs(seeds=seeds, numbers=numbers, outcomes=outcomes,
                       rates={name: rate(held) for name, held in outcomes.items()}, runs=runs,
                       seconds=time.perf_counter() - start)


@dataclass
class Figure1Result:
    """What :func:`run_figure1` measured for one run.

    Attributes
    ----------
    panels : dict[str, Snapshot]
        The four moments ``"a"``, ``"b"``, ``"c"``, ``"d"``.
    numbers : dict
        The measured numbers (JSON-ready): ``a_iteration``, ``a_js``, ``a_sup_abs_D_minus_Dstar``,
        ``b_discriminator_steps``, ``b_sup_abs_D_minus_Dstar``, ``c_generator_steps``, ``c_js_before``,
        ``c_js_after``, ``c_js_ratio``, ``d_iteration``, ``d_exact_iterations``, ``d_js``,
        ``d_sup_abs_D_minus_half``, ``d_sup_abs_D_minus_Dstar``, ``seed``, ``bounds_held`` and
        ``training_seconds``.
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


#: The x grid of the snapshots: the data's and every p_g's mass in the figure's window.
FIGURE1_GRID = np.linspace(-1.0, 4.5, 551)


def run_figure1(seed: int = DEFAULT_SEED, protocol: Figure1Protocol = PROTOCOL, *, snapshot_every: int = 50,
                grid=None) -> Figure1Result:
    """Train one Figure 1 run and take the four snapshots (a)-(d), with their numbers.

    The same computation as run ``seed`` of :func:`train_figure1`, with snapshots every ``snapshot_every``
    iterations of Algorithm 1 (minibatch or exact) for the slider.

    Parameters
    ----------
    seed : int
    protocol : Figure1Protocol
    snapshot_every : int
    grid : array_like, optional
        The x grid of the snapshots; by default 551 points on [-1, 4.5].

    Returns
    -------
    Figure1Result
    """
    seed = check_positive_int("seed", seed, allow_zero=True)
    snapshot_every = check_positive_int("snapshot_every", snapshot_every)
    start = time.perf_counter()
    gan = _new_run(seed, protocol, grid=FIGURE1_GRID if grid is None else grid)
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
    numbers = {"seed": int(seed)}
    per_run = _play(gan, protocol, on_moment=on_moment, on_iteration=on_iteration)
    numbers.update({name: _json_number(value) for name, value in per_run.items()})
    outcomes = _outcomes({name: np.array([value]) for name, value in per_run.items()})
    numbers["bounds_held"] = {panel: bool(held[0]) for panel, held in outcomes.items()}
    numbers["training_seconds"] = time.perf_counter() - start
    for name, value in numbers.items():
        if isinstance(value, float) and not math.isfinite(value):
            raise FloatingPointError(f"the Figure 1 run measured {name}={value}")
    return Figure1Result(panels=panels, numbers=numbers, snapshots=list(gan.history.snapshots),
                         data=gan.data, noise=gan.noise, gan=gan)


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
                   panels={name: result.panel_index(name) for name in PANELS},
                   training_seconds=round(result.numbers["training_seconds"], 1))


def stored_run(path=STORED_RUN) -> Figure1Result:
    """The committed default run (seed 0) as a :class:`Figure1Result`: its snapshots measured again from the stored
    networks, its panels and numbers as they were measured when it was trained (``gan`` is None)."""
    from ganmath.gan.io import load_snapshots

    data, noise = figure1_data(), figure1_noise()
    snapshots, extra = load_snapshots(path, data, noise)
    panels = {name: snapshots[index] for name, index in extra["panels"].items()}
    return Figure1Result(panels=panels, numbers=extra["numbers"], snapshots=snapshots, data=data, noise=noise,
                         arithmetic=extra["arithmetic"])


def replay(seed: int = DEFAULT_SEED, iterations: int = 100, protocol: Figure1Protocol = PROTOCOL) -> GAN:
    """The first ``iterations`` iterations of run ``seed`` again (on the way to (a)): the networks of the stored
    run's snapshot at that iteration, bit for bit under the arithmetic that made it."""
    seed = check_positive_int("seed", seed, allow_zero=True)
    iterations = check_positive_int("iterations", iterations)
    gan = _new_run(seed, protocol)
    gan.train(iterations)
    return gan


#: The output of ``python -m ganmath figure1 --seeds 0:32``, as committed (one JSON line per seed, then the summary).
STORED_RUNS = Path(__file__).resolve().parents[1] / "data" / "figure1_seeds.jsonl"


def stored_runs(path=STORED_RUNS) -> tuple[list, dict]:
    """The committed Figure 1 runs: the per-seed numbers (dicts, as :meth:`Figure1Runs.run_numbers`) and the summary
    (as :func:`summary`, with the command, the arithmetic and the fingerprint), read from ``path``."""
    lines = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    return lines[:-1], lines[-1]


#: A short version of :data:`PROTOCOL` that passes through every phase (the approach with its checks, the exact
#: inner loop, G's steps, minibatch and exact final phases) in a second: the fingerprint's.
FINGERPRINT_PROTOCOL = Figure1Protocol(a_threshold=0.3, max_approach=60, inner_chunk=20, max_inner=40, final=20,
                                       exact_final={**PROTOCOL.exact_final, "iterations": 3, "n_points": 201})


def fingerprint(seeds=(0, 1)) -> dict:
    """Two seeds through :data:`FINGERPRINT_PROTOCOL`: their first 20 losses and every panel number, to compare
    with the stored runs' fingerprint (:mod:`ganmath.records`)."""
    runs = train_figure1(seeds, FINGERPRINT_PROTOCOL)
    firsts = [run.history.first_steps(20) for run in runs.runs]
    out = {name: [first[name] for first in firsts] for name in ("discriminator_loss", "generator_loss")}
    out["numbers"] = {name: np.asarray(values, dtype=float).tolist() for name, values in sorted(runs.numbers.items())}
    return out


def summary(runs: Figure1Runs) -> dict:
    """The rates and the spread of each panel number, JSON-ready (the last line of the CLI, with the arithmetic
    that made them and, from the CLI, the command and the fingerprint): :func:`summarize_lines` of the runs'
    lines, their time and the arithmetic."""
    lines = [runs.run_numbers(i) for i in range(len(runs.seeds))]
    return {**summarize_lines(lines), "seconds": round(runs.seconds, 1), "arithmetic": arithmetic()}


_SPREADS = ("a_js", "a_iteration", "b_discriminator_steps", "b_sup_abs_D_minus_Dstar", "c_js_ratio", "d_js",
            "d_sup_abs_D_minus_half")


def summarize_lines(lines: list) -> dict:
    """What the summary says about the runs, from their per-seed lines alone (:meth:`Figure1Runs.run_numbers`, or
    the lines of :func:`stored_runs`): how often each bound held with its Wilson interval, the spread of each
    panel number, the bounds and the seeds."""
    held = {panel: rate(np.array([line["bounds_held"][panel] for line in lines])) for panel in (*PANELS, "all")}
    seeds = [line["seed"] for line in lines]
    out = {"success_rate": held["all"].fraction, "rates": {k: v.as_dict() for k, v in held.items()},
           "bounds": {k: list(v) if isinstance(v, tuple) else v for k, v in BOUNDS.items()},
           "seeds": [seeds[0], seeds[-1] + 1], "n_runs": len(lines)}
    for name in _SPREADS:
        values = np.array([line[name] for line in lines], dtype=float)
        finite = values[np.isfinite(values)]
        out[name] = spread(finite).as_dict() if finite.size else None
    return out
