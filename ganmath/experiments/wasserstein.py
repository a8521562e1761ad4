r"""The Wasserstein contrast (notebook 13): the saturating D* against the optimal critic, the WGAN critic against the
optimal one, and a disjoint start.

:func:`saturation_contrast` is the WGAN paper's Figure 2 (Arjovsky, Chintala & Bottou 2017) computed exactly: for
two densities that barely overlap, the optimal discriminator :math:`D^* = \sigma(\log p_\mathrm{data} - \log p_g)`,
the optimal 1-Lipschitz critic, and the gradient each hands a generator sample at x.

In 1-D the Kantorovich-Rubinstein dual has a closed-form optimum. Integrating by parts,

.. math:: \mathbb E_{p_\mathrm{data}}[f] - \mathbb E_{p_g}[f] = \int f'(x)\,\big(F_g(x) - F_\mathrm{data}(x)\big)\,dx,

so over 1-Lipschitz f the optimum has slope :math:`f'^* = \mathrm{sign}(F_g - F_\mathrm{data})` and value
:math:`\int|F_g - F_\mathrm{data}| = W_1` (:func:`optimal_critic_slope`). A clipped critic is K-Lipschitz for some K; its
value divided by its largest slope is a lower bound on :math:`W_1` (:func:`critic_estimate`).

:func:`shifted_population` starts every run's generator with its median sample at a chosen distance from the data's
support, and trains the discriminator or critic alone first (D near its optimum, as the theory assumes);
:func:`disjoint_start` then counts, over seeds, the runs whose median sample reaches the data for the minimax,
non-saturating and Wasserstein objectives, and :func:`exact_path` follows the exact JS and :math:`W_1` of one run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from ganmath._validation import check_positive, check_positive_int
from ganmath.core.costs import generator_cost_grad
from ganmath.core.densities import Density, Uniform, check_density
from ganmath.core.divergences import js_divergence, wasserstein1
from ganmath.core.theory import optimal_discriminator_logit
from ganmath.gan.population import Population
from ganmath.gan.wgan import WGANPopulation, input_slope
from ganmath.stats import rate

__all__ = [
    "DATA",
    "NOISE",
    "OBJECTIVES",
    "SETTINGS",
    "CriticEstimate",
    "DisjointStart",
    "ExactPath",
    "SaturationContrast",
    "critic_estimate",
    "disjoint_start",
    "exact_path",
    "generator_medians",
    "optimal_critic",
    "optimal_critic_slope",
    "saturation_contrast",
    "shifted_population",
]

#: The data of notebook 13: uniform on [0, 1].
DATA = Uniform(0.0, 1.0)
#: Bounded noise, so that p_g has a bounded support and a start can be disjoint from the data.
NOISE = Uniform(-1.0, 1.0)
#: The three objectives compared: the GAN's two generator losses (:class:`ganmath.gan.Population`) and the WGAN's
#: critic (:class:`ganmath.gan.wgan.WGANPopulation`).
OBJECTIVES = ("minimax", "non-saturating", "wasserstein")
#: Networks, steps and optimizer shared by the three objectives: only the losses differ.
SETTINGS = {"generator_hidden": (16,), "discriminator_hidden": (16, 16), "generator_activation": "softplus",
            "discriminator_activation": "leaky-relu", "m": 64, "k": 5, "optimizer": "rmsprop",
            "lr_discriminator": 1e-3, "lr_generator": 1e-3}
_Z_GRID = np.linspace(-1.0, 1.0, 201)


def optimal_critic_slope(p_data: Density, p_g: Density, x) -> np.ndarray:
    r"""The slope of the optimal 1-Lipschitz critic, :math:`\mathrm{sign}(F_g(x) - F_\mathrm{data}(x))` (0 where equal)."""
    check_density("p_data", p_data)
    check_density("p_g", p_g)
    x = np.asarray(x, dtype=float)
    return np.sign(p_g.cdf(x) - p_data.cdf(x))


def optimal_critic(p_data: Density, p_g: Density, x) -> np.ndarray:
    r"""The optimal 1-Lipschitz critic on the increasing grid ``x``, :math:`f^*(x) = \int_{x_0}^x
    \mathrm{sign}(F_g - F_\mathrm{data})\,dt` (trapezoid rule; 0 at ``x[0]``: a critic is defined up to a constant)."""
    x = np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size < 2 or np.any(np.diff(x) <= 0):
        raise ValueError(f"x must be an increasing 1-D grid of at least two points, got shape {x.shape}")
    slope = optimal_critic_slope(p_data, p_g, x)
    return np.concatenate([[0.0], np.cumsum(0.5 * (slope[1:] + slope[:-1]) * np.diff(x))])


@dataclass
class SaturationContrast:
    r"""The optimal discriminator and the optimal critic of two densities, and the generator's gradient from each.

    Attributes
    ----------
    x : ndarray, shape (k,)
    discriminator : ndarray, shape (k,)
        :math:`D^*(x)`.
    critic : ndarray, shape (k,)
        :math:`f^*(x)`, 0 at ``x[0]``.
    gradients : dict[str, ndarray of shape (k,)]
        Per objective, the derivative in x of the generator's cost of a sample at x: :math:`\log(1 - D^*)`
        (``"minimax"``), :math:`-\log D^*` (``"non-saturating"``), :math:`-f^*` (``"wasserstein"``). Positive where a
        descent step moves the sample to the left.
    """

    x: np.ndarray
    discriminator: np.ndarray
    critic: np.ndarray
    gradients: dict


def saturation_contrast(p_data: Density, p_g: Density, x) -> SaturationContrast:
    r"""The WGAN paper's Figure 2, exact: :math:`D^*` and :math:`f^*` of ``p_data`` against ``p_g`` on ``x``, and the
    generator's gradient from each.

    With the logit :math:`a = \log p_\mathrm{data} - \log p_g`, the cost c(a) of a sample at x has the derivative
    :math:`c'(a)\,a'(x)`, :math:`a' = s_\mathrm{data} - s_g` from the exact scores ``dlogpdf``:
    :math:`c'(a) = -D^*` for the minimax cost, :math:`-(1 - D^*)` for the non-saturating one. The critic's cost
    :math:`-f^*` has the derivative :math:`-\mathrm{sign}(F_g - F_\mathrm{data})`.

    Parameters
    ----------
    p_data, p_g : Density
        With an exact score ``dlogpdf`` (Normal, Mixture), positive on all of ``x``.
    x : array_like, shape (k,)
        An increasing grid.
    """
    x = np.asarray(x, dtype=float)
    logit = optimal_discriminator_logit(p_data, p_g, x)
    if not np.all(np.isfinite(logit)):
        raise ValueError("p_data and p_g must both be positive on all of x, so that D* is strictly between 0 and 1")
    logit_slope = p_data.dlogpdf(x) - p_g.dlogpdf(x)
    gradients = {loss: generator_cost_grad(logit, loss) * logit_slope for loss in ("minimax", "non-saturating")}
    gradients["wasserstein"] = -optimal_critic_slope(p_data, p_g, x)
    return SaturationContrast(x, special.expit(logit), optimal_critic(p_data, p_g, x), gradients)


@dataclass
class CriticEstimate:
    r"""What a critic says about :math:`W_1(p_\mathrm{data}, p_g)`.

    Attributes
    ----------
    value : float
        :math:`\mathbb E_{p_\mathrm{data}}[f] - \mathbb E_{p_g}[f]`, exact up to the grid.
    lipschitz : float
        The critic's largest :math:`|f'|` on the grid, K.
    exact : float
        :math:`W_1`.
    """

    value: float
    lipschitz: float
    exact: float

    @property
    def scaled(self) -> float:
        """``value / lipschitz``: :math:`\\le W_1`, equal only for a critic of slope :math:`\\pm K` of the right sign."""
        return self.value / self.lipschitz


def critic_estimate(critic, p_data: Density, p_g: Density, x) -> CriticEstimate:
    r"""The critic's value :math:`\int f'(F_g - F_\mathrm{data})\,dx` (trapezoid rule on ``x``, which must cover both
    supports), its Lipschitz constant on ``x``, and the exact :math:`W_1`."""
    x = np.asarray(x, dtype=float)
    slopes = input_slope(critic, x[:, None])
    difference = p_g.cdf(x) - p_data.cdf(x)
    return CriticEstimate(float(np.trapezoid(slopes * difference, x)), float(np.max(np.abs(slopes))),
                          wasserstein1(p_data, p_g))


def generator_medians(population) -> np.ndarray:
    """Each run's median generated sample, G at the median of the noise grid (shape (R,))."""
    z = np.broadcast_to(_Z_GRID[None, :, None], (population.n_runs, _Z_GRID.size, 1)).copy()
    return np.median(population.generator(z)[..., 0], axis=1)


def shifted_population(objective: str, distance: float, seeds, *, clip: float = 0.05, n_pretrain: int = 300,
                       pretrain_lr: float = 1e-2, **settings):
    r"""A population whose generators start with their median sample at ``distance + 0.5`` (the data's median is 0.5),
    after ``n_pretrain`` steps of the discriminator or critic alone with learning rate ``pretrain_lr``.

    Parameters
    ----------
    objective : {"minimax", "non-saturating", "wasserstein"}
        A :class:`ganmath.gan.Population` with that generator loss, or a
        :class:`ganmath.gan.wgan.WGANPopulation` (clipped critic).
    distance : float
        How far the generator's median starts from the data's.
    seeds : iterable
    clip : float
        The critic's clipping constant (the Wasserstein objective only).
    **settings
        Overrides of :data:`SETTINGS`.
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {OBJECTIVES}, got objective={objective!r}")
    distance = float(distance)
    if not np.isfinite(distance):
        raise ValueError(f"distance must be finite, got distance={distance!r}")
    n_pretrain = check_positive_int("n_pretrain", n_pretrain, allow_zero=True)
    pretrain_lr = check_positive("pretrain_lr", pretrain_lr)
    settings = {**SETTINGS, **settings}
    if objective == "wasserstein":
        population = WGANPopulation(DATA, NOISE, seeds=seeds, clip=clip, **settings)
    else:
        population = Population(DATA, NOISE, seeds=seeds, generator_loss=objective, **settings)
    population.generator.linear_layers[-1].bias[:, 0] += distance + 0.5 - generator_medians(population)
    optimizer = population.optimizer_discriminator
    learning_rate, optimizer.lr = optimizer.lr, pretrain_lr
    for _ in range(n_pretrain):
        population.step_discriminator()
    optimizer.lr = learning_rate
    return population


@dataclass
class DisjointStart:
    """How many runs of each objective reach the data from a disjoint start.

    Attributes
    ----------
    checkpoints : ndarray of int
        The iterations at which the runs were measured.
    medians : dict[str, ndarray of shape (len(checkpoints), R)]
        Each run's median sample at each checkpoint.
    reached : dict[str, list of Rate]
        Per objective and checkpoint, the runs whose median sample lies in the data's support [0, 1].
    """

    checkpoints: np.ndarray
    medians: dict
    reached: dict
    distance: float


def disjoint_start(seeds=range(32), *, distance: float = 5.0, checkpoints=(100, 200, 300), clip: float = 0.05,
                   objectives=OBJECTIVES, **settings) -> DisjointStart:
    """Train each objective's population from the same shifted start and count the runs whose median sample lies in
    [0, 1] at each checkpoint."""
    checkpoints = np.array([check_positive_int(f"checkpoints[{i}]", c) for i, c in enumerate(checkpoints)])
    if np.any(np.diff(checkpoints) <= 0):
        raise ValueError(f"checkpoints must increase, got checkpoints={checkpoints.tolist()}")
    seeds = list(seeds)
    medians, reached = {}, {}
    for objective in objectives:
        population = shifted_population(objective, distance, seeds, clip=clip, **settings)
        rows, done = [], 0
        for checkpoint in checkpoints:
            population.train(int(checkpoint - done))
            done = int(checkpoint)
            rows.append(generator_medians(population))
        medians[objective] = np.array(rows)
        reached[objective] = [rate((row >= 0.0) & (row <= 1.0)) for row in medians[objective]]
    return DisjointStart(checkpoints, medians, reached, float(distance))


@dataclass
class ExactPath:
    """The exact JS and W1 between the data and one run's p_g along training.

    Attributes
    ----------
    iterations : ndarray of int
    js, w1 : ndarray
    """

    iterations: np.ndarray
    js: np.ndarray
    w1: np.ndarray


def exact_path(objective: str, seed: int = 0, *, distance: float = 5.0, n_iter: int = 300, every: int = 20,
               clip: float = 0.05, **settings) -> ExactPath:
    """Train one run from the shifted start and measure the exact JS and W1 of its p_g every ``every`` iterations."""
    n_iter = check_positive_int("n_iter", n_iter)
    every = check_positive_int("every", every)
    population = shifted_population(objective, distance, [seed], clip=clip, **settings)
    iterations, js, w1 = [], [], []
    for iteration in range(0, n_iter + 1, every):
        if iteration:
            population.train(every)
        p_g = population.generator_density(0)
        iterations.append(iteration)
        js.append(js_divergence(DATA, p_g))
        w1.append(wasserstein1(DATA, p_g))
    return ExactPath(np.array(iterations), np.array(js), np.array(w1))

