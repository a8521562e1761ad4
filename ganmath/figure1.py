r"""The experiment behind the paper's Figure 1: four moments of one seeded training run, measured.

Goodfellow et al. (2014), Figure 1, draws four moments of GAN training by hand. Here they come from one
run of Algorithm 1 (:class:`ganmath.gan.GAN`) on 1-D data with uniform noise :math:`z \sim U(-1, 1)`,
as in the figure, with the exact :math:`p_g` (:mod:`ganmath.pushforward`) and the true
:math:`D^* = p_\mathrm{data}/(p_\mathrm{data} + p_g)`:

(a) *near convergence*: Algorithm 1 for ``approach_iterations`` iterations; :math:`p_g` is close to
    :math:`p_\mathrm{data}` and D is a partially accurate classifier;
(b) *the inner loop*: G frozen, D trained alone until :math:`\sup|D - D^*|` over the central 95% of
    :math:`p_\mathrm{data}` is at most ``inner_loop_target`` (checked every ``check_every`` steps);
(c) *a generator update*: D frozen, ``generator_steps`` steps of G; the mean of :math:`D(G(z))` over the
    noise rises: G(z) has flowed toward where D is higher;
(d) *after training*: Algorithm 1 resumed with smaller learning rates, then D's inner loop once more, so
    that D is at its optimum for the final G: :math:`p_g \approx p_\mathrm{data}` and :math:`D \approx 1/2`.

The data are uniform on [3, 5]. A bounded noise through a smooth network of bounded slope reaches a
uniform exactly (G linear); a normal target's tails are out of its reach, and on N(4, 0.5) the JS levels
off near 0.03-0.05 nats (see :class:`ganmath.gan.GAN`), above the 0.01 the last panel asserts.

Usage::

    from ganmath.figure1 import run_figure1
    result = run_figure1(seed=0)
    result.numbers["d_js"], result.panels["b"].sup_gap
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from ganmath._validation import check_positive_int
from ganmath.densities import Density, Uniform
from ganmath.gan import GAN, Snapshot
from ganmath.theory import optimal_discriminator_logit

__all__ = ["Figure1Result", "run_figure1", "figure1_data", "figure1_noise", "mean_discriminator_on_fakes",
           "sup_gap_to_half", "PANELS", "DEFAULT_SEED"]

PANELS = ("a", "b", "c", "d")
# The seed of the published figure (seed 0 reaches (a) with p_g short of the data's edges, where D* jumps).
DEFAULT_SEED = 1
_REGION_POINTS = 401
_NOISE_POINTS = 2001


def figure1_data() -> Density:
    """:math:`p_\\mathrm{data}` of the reproduced Figure 1: uniform on [3, 5]."""
    return Uniform(3.0, 5.0)


def figure1_noise() -> Density:
    """:math:`p_z` of Figure 1: uniform on [-1, 1] (the lower line of the figure, "sampled uniformly")."""
    return Uniform(-1.0, 1.0)


def mean_discriminator_on_fakes(gan: GAN, n_points: int = _NOISE_POINTS) -> float:
    r""":math:`\mathbb E_{z\sim p_z}[D(G(z))]` by the midpoint rule in the noise's quantiles.

    .. math:: \frac1n\sum_{i=1}^n D\big(G(F_z^{-1}((i - \tfrac12)/n))\big)

    Deterministic (no sampling), so that a rise between two moments is the networks' doing, not noise's.
    """
    n_points = check_positive_int("n_points", n_points)
    z = gan.noise.ppf((np.arange(n_points) + 0.5) / n_points)
    return float(np.mean(special.expit(gan.discriminator_logit(gan.generator(z[:, None])[:, 0]))))


def sup_gap_to_half(gan: GAN) -> float:
    r""":math:`\sup|D(x) - 1/2|` on 401 points of the central 95% of :math:`p_\mathrm{data}`."""
    x = np.linspace(*gan.data_region, _REGION_POINTS)
    return float(np.max(np.abs(gan.discriminator_probability(x) - 0.5)))


@dataclass
class Figure1Result:
    """What :func:`run_figure1` measured.

    Attributes
    ----------
    panels : dict[str, Snapshot]
        The four moments ``"a"``, ``"b"``, ``"c"``, ``"d"``.
    numbers : dict[str, float]
        The measured numbers (JSON-ready): ``a_js``, ``a_sup_abs_D_minus_Dstar``, ``b_sup_abs_D_minus_Dstar``,
        ``b_discriminator_steps``, ``c_mean_D_of_G_before``, ``c_mean_D_of_G_after``, ``c_mean_shift``,
        ``c_generator_steps``, ``d_js``, ``d_sup_abs_D_minus_half``, ``d_sup_abs_D_minus_Dstar``,
        ``d_sup_abs_Dstar_minus_half``, ``iterations``, ``training_seconds``, ``seed``.
    snapshots : list[Snapshot]
        Every snapshot of the run in order (the slider scrubs through them); the panels are among them.
    data, noise : Density
    gan : GAN
        The trainer at the end of the run.
    """

    panels: dict
    numbers: dict
    snapshots: list
    data: Density
    noise: Density
    gan: GAN = field(repr=False)

    def panel_index(self, name: str) -> int:
        """Position of panel ``name`` in :attr:`snapshots`."""
        if name not in self.panels:
            raise ValueError(f"name must be one of {PANELS}, got name={name!r}")
        return next(i for i, s in enumerate(self.snapshots) if s is self.panels[name])


def _discriminator_inner_loop(gan: GAN, *, target: float, max_steps: int, check_every: int) -> int:
    """Train D alone (G frozen) until sup|D - D*| <= target or max_steps; returns the steps taken."""
    p_g = gan.generator_density()  # G is frozen: one exact p_g for the whole loop
    steps = 0
    while steps < max_steps:
        for _ in range(check_every):
            gan.step_discriminator()
        steps += check_every
        if gan.sup_discriminator_gap(p_g) <= target:
            break
    return steps


def _sup_dstar_to_half(gan: GAN) -> float:
    x = np.linspace(*gan.data_region, _REGION_POINTS)
    d_star = special.expit(optimal_discriminator_logit(gan.data, gan.generator_density(), x))
    return float(np.max(np.abs(d_star - 0.5)))


def _check_schedule(schedule) -> tuple:
    try:
        phases = tuple((int(n), float(lr_d), float(lr_g)) for n, lr_d, lr_g in schedule)
    except (TypeError, ValueError):
        raise TypeError(f"final_schedule must be a sequence of (iterations, lr_discriminator, lr_generator), "
                        f"got final_schedule={schedule!r}") from None
    if not phases or any(n < 1 or not (lr_d > 0 and lr_g > 0) for n, lr_d, lr_g in phases):
        raise ValueError(f"final_schedule needs phases of >= 1 iteration and positive learning rates, "
                         f"got final_schedule={schedule!r}")
    return phases


def run_figure1(seed: int = DEFAULT_SEED, *, approach_iterations: int = 1500, inner_loop_target: float = 0.03,
                inner_loop_max_steps: int = 4000, check_every: int = 50, generator_steps: int = 5,
                final_schedule=((1500, 1e-3, 2e-4), (1500, 5e-4, 1e-4), (1500, 2.5e-4, 5e-5)), snapshot_every: int = 100) -> Figure1Result:
    """Train the GAN of Figure 1 and take the four snapshots (a)-(d), with their numbers.

    Parameters
    ----------
    seed : int
        Seeds the networks and every minibatch: the same seed gives the same run, bit for bit.
    approach_iterations : int
        Algorithm-1 iterations before (a) (learning rates 2e-3 for D, 5e-4 for G, Adam, k = 2, m = 64).
    inner_loop_target : float in (0, 1)
        D's inner loop in (b), and again before (d), stops once sup|D - D*| is at most this.
    inner_loop_max_steps, check_every : int
        The inner loop's longest run, and how often it measures the gap (D's learning rate 5e-4).
    generator_steps : int
        Generator steps with D frozen between (b) and (c).
    final_schedule : sequence of (int, float, float)
        Algorithm-1 phases between (c) and (d): (iterations, D's learning rate, G's learning rate).
    snapshot_every : int
        Snapshots for the slider during the Algorithm-1 phases.
    progress : see :meth:`ganmath.gan.GAN.train`

    Returns
    -------
    Figure1Result
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got seed={seed!r}")
    approach_iterations = check_positive_int("approach_iterations", approach_iterations)
    final_schedule = _check_schedule(final_schedule)
    generator_steps = check_positive_int("generator_steps", generator_steps)
    inner_loop_max_steps = check_positive_int("inner_loop_max_steps", inner_loop_max_steps)
    check_every = check_positive_int("check_every", check_every)
    snapshot_every = check_positive_int("snapshot_every", snapshot_every)
    if not (isinstance(inner_loop_target, (int, float)) and 0.0 < inner_loop_target < 1.0):
        raise ValueError(f"inner_loop_target must be in (0, 1), got inner_loop_target={inner_loop_target!r}")

    start = time.perf_counter()
    data, noise = figure1_data(), figure1_noise()
    gan = GAN(data, noise, k=2, m=64, lr_discriminator=2e-3, lr_generator=5e-4, seed=int(seed),
              grid=np.linspace(1.0, 7.0, 601))
    panels = {}

    gan.train(approach_iterations, snapshot_every=snapshot_every)
    panels["a"] = gan.history.snapshots[-1]

    gan.set_learning_rates(discriminator=5e-4)
    inner_steps = _discriminator_inner_loop(gan, target=inner_loop_target, max_steps=inner_loop_max_steps,
                                            check_every=check_every)
    panels["b"] = gan.snapshot()

    before = mean_discriminator_on_fakes(gan)
    for _ in range(generator_steps):
        gan.step_generator()
    after = mean_discriminator_on_fakes(gan)
    panels["c"] = gan.snapshot()

    for iterations, lr_discriminator, lr_generator in final_schedule:
        gan.set_learning_rates(discriminator=lr_discriminator, generator=lr_generator)
        gan.train(iterations, snapshot_every=snapshot_every)
    gan.set_learning_rates(discriminator=5e-4)
    final_inner_steps = _discriminator_inner_loop(gan, target=inner_loop_target, max_steps=inner_loop_max_steps,
                                                  check_every=check_every)
    panels["d"] = gan.snapshot()
    seconds = time.perf_counter() - start

    numbers = {
        "seed": int(seed),
        "a_iteration": panels["a"].iteration,
        "a_js": panels["a"].js,
        "a_sup_abs_D_minus_Dstar": panels["a"].sup_gap,
        "b_discriminator_steps": inner_steps,
        "b_sup_abs_D_minus_Dstar": panels["b"].sup_gap,
        "c_generator_steps": generator_steps,
        "c_mean_D_of_G_before": before,
        "c_mean_D_of_G_after": after,
        "c_mean_shift": float(np.mean(panels["c"].generated - panels["b"].generated)),
        "d_iteration": panels["d"].iteration,
        "d_final_discriminator_steps": final_inner_steps,
        "d_js": panels["d"].js,
        "d_sup_abs_D_minus_half": sup_gap_to_half(gan),
        "d_sup_abs_D_minus_Dstar": panels["d"].sup_gap,
        "d_sup_abs_Dstar_minus_half": _sup_dstar_to_half(gan),
        "iterations": gan.iteration,
        "training_seconds": seconds,
    }
    for name, value in numbers.items():
        if isinstance(value, float) and not math.isfinite(value):
            raise FloatingPointError(f"the Figure 1 run measured {name}={value}")
    return Figure1Result(panels=panels, numbers=numbers, snapshots=list(gan.history.snapshots), data=data,
                         noise=noise, gan=gan)
