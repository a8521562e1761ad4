r"""Saturation (Goodfellow et al. 2014, Section 3), measured.

"Early in learning, when G is poor, D can reject samples with high confidence ... In this case,
log(1 - D(G(z))) saturates." :func:`saturation_experiment` builds that situation for one seed (a generator far
from the data, a discriminator trained alone first) and trains it twice from the same state, with the minimax and
the non-saturating loss, recording the generator's gradient norm, how far the samples move per iteration, when
they reach the data, and snapshots for a scrubbing slider. :func:`saturation` measures the same over a population
of seeds: the claim.

SGD with momentum, as in the paper: Adam would divide the tiny minimax gradient by its own size and hide the
saturation. All randomness comes from the seeds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ganmath._validation import check_positive, check_positive_int
from ganmath.core.densities import Density, Normal, check_density
from ganmath.gan import GAN, Population
from ganmath.stats import Spread, rate, spread

__all__ = ["SATURATION_LOSSES", "SaturationRun", "saturation_experiment", "Saturation", "saturation"]

SATURATION_LOSSES = ("minimax", "non-saturating")


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
    frames : list of Snapshot
        The state at the recorded iterations (for a scrubbing slider).
    """

    loss: str
    generator_grad_norm: np.ndarray
    fake_probability: np.ndarray
    position: np.ndarray
    distance_moved: np.ndarray
    reached_at: int | None
    frames: list = field(default_factory=list)


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
    data = Normal(4.0, 0.5) if data is None else check_density("data", data)
    n_pretrain = check_positive_int("n_pretrain", n_pretrain, allow_zero=True)
    n_iter = check_positive_int("n_iter", n_iter)
    tolerance = check_positive("tolerance", tolerance)
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
        gan = start.copy()  # the same networks, optimizer state and random numbers, another loss
        gan.update_settings(generator_loss=loss)
        samples = [gan.generator(z)[:, 0]]
        frames = [gan.snapshot(record=False)]

        def record(trained, samples=samples, frames=frames):
            samples.append(trained.generator(z)[:, 0])
            if trained.iteration in snapshot_at:
                frames.append(trained.snapshot(record=False))

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


@dataclass
class Saturation:
    """:func:`saturation`'s result, run by run (arrays of shape (R,)) for each loss.

    Attributes
    ----------
    first_grad_norm : dict[str, ndarray]
        The norm of G's gradient at the first generator step, by loss.
    first_fake_probability : ndarray
        Mean D(G(z)) at that step (the same state for both losses).
    gradient_ratio : ndarray
        Non-saturating over minimax first-step gradient norm, per run.
    reached_at : dict[str, ndarray]
        First iteration at which the median sample was within ``tolerance`` of the data's median; -1 if never.
    position : dict[str, ndarray]
        Median sample after each iteration, shape (n_iter + 1, R).
    ratio : Spread
    reached : dict[str, Rate]
        How many runs reached the data within ``n_iter`` iterations, by loss.
    """

    first_grad_norm: dict
    first_fake_probability: np.ndarray
    gradient_ratio: np.ndarray
    reached_at: dict
    position: dict
    ratio: Spread
    reached: dict
    n_iter: int
    tolerance: float


def saturation(seeds=range(32), *, data: Density | None = None, n_pretrain: int = 300, n_iter: int = 600,
               lr_generator: float = 3e-4, lr_discriminator: float = 1e-2, momentum: float = 0.9,
               tolerance: float = 0.5, n_quantiles: int = 101, nudge_ulps: int = 0) -> Saturation:
    r"""Minimax against non-saturating, from a poor generator and a strong discriminator, over seeds.

    Each run (normal noise, softplus G, tanh D, SGD with momentum as in the paper, k = 1) first trains D
    alone for ``n_pretrain`` steps, so that it rejects G's samples with confidence. From that very state
    (networks, optimizers and random numbers copied) ``n_iter`` iterations follow once with each generator
    loss. SGD, not Adam: Adam divides a tiny gradient by its own size and hides the saturation.
    """
    data = Normal(4.0, 0.5) if data is None else check_density("data", data)
    n_pretrain = check_positive_int("n_pretrain", n_pretrain, allow_zero=True)
    n_iter = check_positive_int("n_iter", n_iter)
    tolerance = check_positive("tolerance", tolerance)
    start = Population(data, Normal(0.0, 1.0), seeds=seeds, k=1, optimizer="sgd", momentum=momentum,
                       lr_generator=lr_generator, lr_discriminator=lr_discriminator).nudge_weights(nudge_ulps)
    for _ in range(n_pretrain):
        start.step_discriminator()
    z = start.noise.ppf(np.linspace(0.0, 1.0, check_positive_int("n_quantiles", n_quantiles) + 2)[1:-1])
    inputs = start.for_every_run(z)
    target = float(data.ppf(0.5))

    first_grad, reached_at, positions, fake = {}, {}, {}, None
    for loss in ("minimax", "non-saturating"):
        population = start.copy()
        population.update_settings(generator_loss=loss)
        medians = [np.median(population.generator(inputs)[:, :, 0], axis=1)]
        population.train(n_iter, callback=lambda p: medians.append(np.median(p.generator(inputs)[:, :, 0], axis=1)))
        history = population.history
        first_grad[loss] = np.asarray(history.generator_grad_norm[0])
        fake = np.asarray(history.generator_fake[0])
        position = np.array(medians)
        close = np.abs(position - target) <= tolerance
        reached_at[loss] = np.where(close.any(axis=0), np.argmax(close, axis=0), -1)
        positions[loss] = position
    ratio = first_grad["non-saturating"] / first_grad["minimax"]
    return Saturation(first_grad_norm=first_grad, first_fake_probability=fake, gradient_ratio=ratio,
                      reached_at=reached_at, position=positions, ratio=spread(ratio),
                      reached={loss: rate(at >= 0) for loss, at in reached_at.items()}, n_iter=n_iter,
                      tolerance=tolerance)


