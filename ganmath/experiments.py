r"""Seeded experiments on the GAN's two classic failures: saturation and mode collapse (notebooks 7 and 8).

Saturation (Goodfellow et al. 2014, Section 3). "Early in learning, when G is poor, D can reject samples with
high confidence ... In this case, log(1 - D(G(z))) saturates." :func:`saturation_experiment` builds that
situation (a generator far from the data, a discriminator trained alone first) and trains it twice from the
same state, with the minimax loss and with the non-saturating loss, recording the generator's gradient norm,
how far the samples move per iteration, and when they reach the data. SGD with momentum, as in the paper:
Adam would divide the tiny minimax gradient by its own size and hide the saturation.

Mode collapse. :func:`mode_masses` measures the generated mass near each mode of a mixture from the exact
p_g, as differences of its cdf; :func:`mode_collapse_runs` trains several seeds and records those masses;
:func:`criterion_landscape` and :func:`non_saturating_landscape` give, for a one-Gaussian generator
:math:`\mathcal N(m, s^2)` against a two-mode target, the criterion C(G) that the minimax game descends with an
optimal D (Theorem 1) and :math:`\mathrm{KL}(p_g\|p_\mathrm{data}) - 2\,\mathrm{JS}`, whose gradient the
non-saturating loss follows with D* frozen (Arjovsky & Bottou 2017, Theorem 2.5); :func:`linear_generator_path`
trains a real GAN whose generator is :math:`G(z) = w z + b` (so :math:`p_g = \mathcal N(b, w^2)` exactly) and
returns its path in that plane. :func:`frozen_optimum_path` descends either landscape exactly.

All randomness comes from the seeds; the same seed gives the same numbers, bit for bit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ganmath._validation import check_finite_real, check_positive_int
from ganmath.densities import Density, Mixture, Normal
from ganmath.divergences import js_divergence, kl_divergence
from ganmath.gan import GAN
from ganmath.nn.losses import check_generator_loss
from ganmath.nn.mlp import MLP
from ganmath.pushforward import GeneratorDensity
from ganmath.theory import optimal_discriminator_logit, virtual_criterion
from ganmath.trainer import fixed_rule_readouts

__all__ = [
    "Frame",
    "frame",
    "SaturationRun",
    "saturation_experiment",
    "mode_windows",
    "mode_masses",
    "ModeRun",
    "mode_collapse_runs",
    "criterion_landscape",
    "non_saturating_landscape",
    "linear_generator",
    "linear_generator_path",
    "frozen_optimum_path",
]

SATURATION_LOSSES = ("minimax", "non-saturating")


# ---------------------------------------------------------------------------------------------------------
# A light record of the state, for the scrubbing sliders
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Frame:
    """The state of a GAN at one iteration, as the notebooks draw it (curves of shape (n_grid,)).

    ``p_g`` is the exact generator density (:class:`ganmath.pushforward.GeneratorDensity`) on ``x``;
    ``optimal_discriminator`` is D* for it; ``js`` is JS(p_data, p_g) by
    :func:`ganmath.trainer.fixed_rule_readouts`; ``generator_density`` the exact p_g itself.
    """

    iteration: int
    x: np.ndarray
    p_data: np.ndarray
    p_g: np.ndarray
    discriminator: np.ndarray
    optimal_discriminator: np.ndarray
    js: float
    generator_density: GeneratorDensity


def frame(gan: GAN) -> Frame:
    """A :class:`Frame` of ``gan`` now, on its snapshot grid ``gan.grid``."""
    x = gan.grid
    p_g = GeneratorDensity(gan.generator, gan.noise)
    with np.errstate(invalid="ignore"):
        d_star = 1.0 / (1.0 + np.exp(-optimal_discriminator_logit(gan.data, p_g, x)))
    return Frame(iteration=gan.iteration, x=x.copy(), p_data=gan.data.pdf(x), p_g=p_g.pdf(x),
                 discriminator=gan.discriminator_probability(x), optimal_discriminator=d_star,
                 js=fixed_rule_readouts(gan.data, p_g)[0], generator_density=p_g)


# ---------------------------------------------------------------------------------------------------------
# Saturation
# ---------------------------------------------------------------------------------------------------------


@dataclass
class SaturationRun:
    """One run of :func:`saturation_experiment`.

    Attributes
    ----------
    loss : str
    generator_grad_norm : ndarray, shape (n_iter,)
        Euclidean norm of G's parameter gradient at each G step.
    fake_probability : ndarray, shape (n_iter,)
        Mean D(G(z)) over each G step's batch.
    position : ndarray, shape (n_iter + 1,)
        Median of G(z) over fixed noise quantiles, before the first iteration and after each.
    distance_moved : ndarray, shape (n_iter,)
        Mean over the noise quantiles of :math:`|G_{t+1}(z) - G_t(z)|`: how far the samples moved.
    reached_at : int or None
        First iteration after which the median sample is within ``tolerance`` of the data's median.
    frames : list of Frame
        The state at the recorded iterations (for a scrubbing slider).
    """

    loss: str
    generator_grad_norm: np.ndarray
    fake_probability: np.ndarray
    position: np.ndarray
    distance_moved: np.ndarray
    reached_at: int | None
    frames: list = field(default_factory=list)


def _check_data(data) -> Density:
    if not isinstance(data, Density):
        raise TypeError(f"data must be a ganmath Density, got data={data!r}")
    return data


def saturation_experiment(data: Density | None = None, *, seed: int = 0, n_pretrain: int = 300, n_iter: int = 600,
                          lr_generator: float = 3e-4, lr_discriminator: float = 1e-2, momentum: float = 0.9,
                          tolerance: float = 0.5, n_snapshots: int = 12, n_quantiles: int = 101) -> dict:
    r"""Minimax against non-saturating from one poor generator and one strong discriminator.

    A GAN (normal noise, 1-32-32-1 softplus G, tanh D, SGD with momentum, k = 1) is built from ``seed``; its
    D alone takes ``n_pretrain`` steps, so that it rejects G's samples with confidence. Then, from that very
    state (networks, optimizers and random numbers copied), ``n_iter`` iterations of Algorithm 1 are run
    once per generator loss.

    Parameters
    ----------
    data : Density
        p_data; N(4, 0.5) by default, far from G's start near 0.
    seed : int
    n_pretrain, n_iter : int
    lr_generator, lr_discriminator, momentum : float
    tolerance : float > 0
        "Reached the data": the median sample within this distance of the data's median.
    n_snapshots : int
        Snapshots (with the exact p_g, D* and JS) at about this many iterations, spaced geometrically
        from 0 to ``n_iter`` (the early iterations are where the two losses part).
    n_quantiles : int
        Noise quantiles for ``position`` and ``distance_moved``.

    Returns
    -------
    dict[str, SaturationRun]
        By loss: ``"minimax"`` and ``"non-saturating"``.
    """
    data = Normal(4.0, 0.5) if data is None else _check_data(data)
    n_pretrain = check_positive_int("n_pretrain", n_pretrain, allow_zero=True)
    n_iter = check_positive_int("n_iter", n_iter)
    tolerance = check_finite_real("tolerance", tolerance)
    if tolerance <= 0:
        raise ValueError(f"tolerance must be > 0, got tolerance={tolerance!r}")
    n_snapshots = check_positive_int("n_snapshots", n_snapshots)
    snapshot_at = {0, *np.round(np.geomspace(1, n_iter, n_snapshots - 1)).astype(int).tolist()}
    n_quantiles = check_positive_int("n_quantiles", n_quantiles)
    target = float(data.ppf(0.5))

    start = GAN(data, Normal(0.0, 1.0), k=1, optimizer="sgd", momentum=momentum, lr_generator=lr_generator,
                lr_discriminator=lr_discriminator, seed=seed)
    for _ in range(n_pretrain):
        start.step_discriminator()
    z = start.noise.ppf(np.linspace(0.0, 1.0, n_quantiles + 2)[1:-1])[:, None]

    runs = {}
    for loss in SATURATION_LOSSES:
        gan = _copy_state(start, loss)
        samples = [gan.generator(z)[:, 0]]
        frames = [frame(gan)]

        def record(trained, samples=samples, frames=frames):
            samples.append(trained.generator(z)[:, 0])
            if trained.iteration in snapshot_at:
                frames.append(frame(trained))

        gan.train(n_iter, callback=record)
        samples = np.array(samples)
        position = np.median(samples, axis=1)
        close = np.flatnonzero(np.abs(position - target) <= tolerance)
        history = gan.history.as_arrays()
        runs[loss] = SaturationRun(
            loss=loss,
            generator_grad_norm=history["generator_grad_norm"],
            fake_probability=history["generator_fake"],
            position=position,
            distance_moved=np.mean(np.abs(np.diff(samples, axis=0)), axis=1),
            reached_at=int(close[0]) if close.size else None,
            frames=frames,
        )
    return runs


def _copy_state(gan: GAN, loss: str) -> GAN:
    """A GAN in the same state as ``gan`` (networks, optimizer state, random numbers) with another G loss."""
    copy = gan.copy()
    copy.update_settings(generator_loss=loss)
    return copy


# ---------------------------------------------------------------------------------------------------------
# Mode collapse: mass near each mode, from the exact p_g
# ---------------------------------------------------------------------------------------------------------


def mode_windows(mixture: Mixture, half_width: float = 3.0) -> np.ndarray:
    r"""The intervals :math:`[\mu_i - h\sigma_i, \mu_i + h\sigma_i]` around each normal component.

    Returns
    -------
    ndarray, shape (n_modes, 2)
    """
    if not isinstance(mixture, Mixture) or not all(isinstance(c, Normal) for c in mixture.components):
        raise TypeError(f"mixture must be a Mixture of Normals, got mixture={mixture!r}")
    half_width = check_finite_real("half_width", half_width)
    if half_width <= 0:
        raise ValueError(f"half_width must be > 0, got half_width={half_width!r}")
    return np.array([[c.mu - half_width * c.sigma, c.mu + half_width * c.sigma] for c in mixture.components])


def mode_masses(p_g: Density, windows) -> np.ndarray:
    r"""The generated mass in each window, :math:`F_g(b_i) - F_g(a_i)`, from p_g's cdf.

    Parameters
    ----------
    p_g : Density
        The exact generator density (:class:`ganmath.pushforward.GeneratorDensity`) or any density.
    windows : array_like, shape (n_modes, 2)

    Returns
    -------
    ndarray, shape (n_modes,)
    """
    if not isinstance(p_g, Density):
        raise TypeError(f"p_g must be a ganmath Density, got p_g={p_g!r}")
    windows = np.asarray(windows, dtype=float)
    if windows.ndim != 2 or windows.shape[1] != 2 or not np.all(windows[:, 0] < windows[:, 1]):
        raise ValueError(f"windows must have shape (n, 2) with low < high in each row, got windows={windows!r}")
    cdf = p_g.cdf(windows.ravel()).reshape(windows.shape)
    return cdf[:, 1] - cdf[:, 0]


@dataclass
class ModeRun:
    """One seed of :func:`mode_collapse_runs`: the mass near each mode at each checkpoint."""

    seed: int
    iterations: np.ndarray  # (n_checkpoints,)
    masses: np.ndarray  # (n_checkpoints, n_modes)
    js: np.ndarray  # (n_checkpoints,)
    frames: list = field(default_factory=list)

    @property
    def final_masses(self) -> np.ndarray:
        return self.masses[-1]

    def dropped(self, threshold: float = 0.05) -> np.ndarray:
        """Modes holding less than ``threshold`` of the generated mass at the end."""
        return np.flatnonzero(self.final_masses < threshold)


def mode_collapse_runs(data: Mixture, seeds, *, n_iter: int = 1500, checkpoint_every: int = 100,
                       half_width: float = 3.0, noise: Density | None = None, **gan_settings) -> list[ModeRun]:
    """Train one GAN per seed on a mixture and measure the mass near each mode at every checkpoint.

    Parameters
    ----------
    data : Mixture of Normals
    seeds : iterable of int
    n_iter, checkpoint_every : int
    half_width : float
        Windows of :func:`mode_windows`.
    noise : Density, optional
    **gan_settings
        Passed to :class:`ganmath.gan.GAN` (k, lr_generator, generator_loss, ...).

    Returns
    -------
    list of ModeRun
    """
    windows = mode_windows(data, half_width)
    n_iter = check_positive_int("n_iter", n_iter)
    checkpoint_every = check_positive_int("checkpoint_every", checkpoint_every)
    runs = []
    for seed in seeds:
        gan = GAN(data, noise, seed=check_positive_int("seed", seed, allow_zero=True), **gan_settings)
        frames = [frame(gan)]

        def record(trained, frames=frames):
            frames.append(frame(trained))

        gan.train(n_iter, callback=record, callback_every=checkpoint_every)
        masses = np.array([mode_masses(f.generator_density, windows) for f in frames])
        runs.append(ModeRun(seed=int(seed), iterations=np.array([f.iteration for f in frames]), masses=masses,
                            js=np.array([f.js for f in frames]), frames=frames))
    return runs


# ---------------------------------------------------------------------------------------------------------
# The landscape of a one-Gaussian generator
# ---------------------------------------------------------------------------------------------------------


def _grid(means, spreads):
    means = np.asarray(means, dtype=float)
    spreads = np.asarray(spreads, dtype=float)
    if means.ndim != 1 or spreads.ndim != 1 or means.size == 0 or spreads.size == 0:
        raise ValueError("means and spreads must be non-empty 1-D arrays")
    if np.any(spreads <= 0) or not np.all(np.isfinite(spreads)):
        raise ValueError(f"spreads must be finite and > 0, got spreads={spreads!r}")
    if not np.all(np.isfinite(means)):
        raise ValueError(f"means must be finite, got means={means!r}")
    return means, spreads


def criterion_landscape(p_data: Density, means, spreads) -> np.ndarray:
    r""":math:`C(G) = -\log 4 + 2\,\mathrm{JS}(p_\mathrm{data}, \mathcal N(m, s^2))` on a grid.

    Returns
    -------
    ndarray, shape (n_spreads, n_means)
        Row i, column j: spread ``spreads[i]``, mean ``means[j]`` (``virtual_criterion``, adaptive quadrature).
    """
    _check_data(p_data)
    means, spreads = _grid(means, spreads)
    return np.array([[virtual_criterion(p_data, Normal(m, s)) for m in means] for s in spreads])


def non_saturating_landscape(p_data: Density, means, spreads) -> np.ndarray:
    r""":math:`\mathrm{KL}(\mathcal N(m, s^2)\,\|\,p_\mathrm{data}) - 2\,\mathrm{JS}` on a grid.

    With D frozen at D*, the expected gradient of the non-saturating cost :math:`-\log D^*(G_\theta(z))` is
    the gradient of this function (Arjovsky & Bottou 2017, Theorem 2.5). The reverse KL punishes mass where
    p_data has none, not missing modes: it is small on one mode and large between two.

    Returns
    -------
    ndarray, shape (n_spreads, n_means)
    """
    _check_data(p_data)
    means, spreads = _grid(means, spreads)
    out = np.empty((spreads.size, means.size))
    for i, s in enumerate(spreads):
        for j, m in enumerate(means):
            q = Normal(m, s)
            out[i, j] = kl_divergence(q, p_data) - 2.0 * js_divergence(p_data, q)
    return out


def linear_generator(mean: float, spread: float) -> MLP:
    """The 1-1 network :math:`G(z) = s z + m`: with z ~ N(0, 1), p_g = N(m, s^2)."""
    mean, spread = check_finite_real("mean", mean), check_finite_real("spread", spread)
    if spread <= 0:
        raise ValueError(f"spread must be > 0, got spread={spread!r}")
    return MLP.from_weights([np.array([[spread]])], [np.array([mean])])


def linear_generator_path(p_data: Density, *, start=(0.3, 1.0), loss: str = "non-saturating", seed: int = 0,
                          n_iter: int = 1500, record_every: int = 10, **gan_settings) -> np.ndarray:
    r"""A real GAN whose generator is :math:`G(z) = w z + b`, z ~ N(0, 1): its path :math:`(b, |w|)`.

    p_g is exactly :math:`\mathcal N(b, w^2)` at every step, so the path lives on the plane of
    :func:`criterion_landscape`. D is the default 1-32-32-1 tanh network.

    Returns
    -------
    ndarray, shape (n_records, 3)
        Columns: iteration, mean b, spread |w|; the first row is the start.
    """
    _check_data(p_data)
    check_generator_loss(loss)
    record_every = check_positive_int("record_every", record_every)
    gan = GAN(p_data, Normal(0.0, 1.0), generator=linear_generator(*start), generator_loss=loss, seed=seed,
              **gan_settings)
    rows = [(0, float(gan.generator.parameters[1]), abs(float(gan.generator.parameters[0])))]

    def record(trained):
        weight, bias = trained.generator.parameters
        rows.append((trained.iteration, float(bias), abs(float(weight))))

    gan.train(n_iter, callback=record, callback_every=record_every)
    return np.array(rows)


def frozen_optimum_path(p_data: Density, objective: str, *, start=(0.3, 1.0), step: float = 0.2, n_steps: int = 60,
                        h: float = 1e-4) -> np.ndarray:
    r"""Gradient descent on :math:`(m, \log s)` of an exact objective: the generator's flow with D = D*.

    ``objective="criterion"``: C(G) (the minimax loss with D optimal, Proposition 2);
    ``"non-saturating"``: :math:`\mathrm{KL}(p_g\|p_\mathrm{data}) - 2\,\mathrm{JS}` (Theorem 2.5 of Arjovsky &
    Bottou). Gradients by central differences of width ``h``.

    Returns
    -------
    ndarray, shape (n_steps + 1, 2)
        (mean, spread) along the path.
    """
    _check_data(p_data)
    functions = {
        "criterion": lambda m, s: virtual_criterion(p_data, Normal(m, s)),
        "non-saturating": lambda m, s: kl_divergence(Normal(m, s), p_data) - 2.0 * js_divergence(p_data, Normal(m, s)),
    }
    if objective not in functions:
        raise ValueError(f"objective must be one of {tuple(functions)}, got objective={objective!r}")
    f = functions[objective]
    step = check_finite_real("step", step)
    n_steps = check_positive_int("n_steps", n_steps)
    mean, log_spread = float(start[0]), math.log(float(start[1]))
    path = [(mean, math.exp(log_spread))]
    for _ in range(n_steps):
        grad_mean = (f(mean + h, math.exp(log_spread)) - f(mean - h, math.exp(log_spread))) / (2 * h)
        grad_log = (f(mean, math.exp(log_spread + h)) - f(mean, math.exp(log_spread - h))) / (2 * h)
        mean -= step * grad_mean
        log_spread -= step * grad_log
        path.append((mean, math.exp(log_spread)))
    return np.array(path)
