r"""Saturation (Goodfellow et al. 2014, Section 3), measured.

"Early in learning, when G is poor, D can reject samples with high confidence ... In this case,
log(1 - D(G(z))) saturates." :func:`saturation` builds that situation for a population of seeds (a generator far
from the data, a discriminator trained alone first) and trains it twice from the same state, with the minimax and
the non-saturating loss, recording each run's generator gradient norm, how far its samples move per iteration, when
they reach the data, and, for the runs asked for, snapshots for a scrubbing slider: over 32 seeds the claim, over
one seed (a population of one, :meth:`Saturation.run`) the story of one run.

SGD with momentum, as in the paper: Adam would divide the tiny minimax gradient by its own size and hide the
saturation. All randomness comes from the seeds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ganmath._validation import check_positive, check_positive_int
from ganmath.core.densities import Density, Normal, check_density
from ganmath.gan import Population
from ganmath.gan.snapshot import default_grid
from ganmath.stats import Spread, rate, spread

__all__ = ["SATURATION_LOSSES", "SaturationRun", "Saturation", "saturation"]

SATURATION_LOSSES = ("minimax", "non-saturating")


@dataclass
class SaturationRun:
    """One run of :func:`saturation`, for both losses as :meth:`Saturation.run` gives it.

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
    generator_grad_norm, fake_probability : dict[str, ndarray]
        Per G step, the norm of G's gradient and the mean D(G(z)) of its batch, shape (n_iter, R).
    distance_moved : dict[str, ndarray]
        Mean over the noise quantiles of :math:`|G_{t+1}(z) - G_t(z)|`, shape (n_iter, R).
    frames : dict[str, dict[int, list of Snapshot]]
        Snapshots of the runs asked for (``snapshot_runs``), at about ``n_snapshots`` iterations.
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
    generator_grad_norm: dict = field(default_factory=dict)
    fake_probability: dict = field(default_factory=dict)
    distance_moved: dict = field(default_factory=dict)
    frames: dict = field(default_factory=dict)

    def run(self, index: int) -> dict:
        """Run ``index`` of the population, for each loss: ``{loss: SaturationRun}``."""
        runs = {}
        for loss in self.reached_at:
            at = int(self.reached_at[loss][index])
            runs[loss] = SaturationRun(
                loss=loss, generator_grad_norm=self.generator_grad_norm[loss][:, index],
                fake_probability=self.fake_probability[loss][:, index], position=self.position[loss][:, index],
                distance_moved=self.distance_moved[loss][:, index], reached_at=at if at >= 0 else None,
                frames=self.frames.get(loss, {}).get(index, []))
        return runs


def saturation(seeds=range(32), *, data: Density | None = None, n_pretrain: int = 300, n_iter: int = 600,
               lr_generator: float = 3e-4, lr_discriminator: float = 1e-2, momentum: float = 0.9,
               tolerance: float = 0.5, n_quantiles: int = 101, nudge_ulps: int = 0, n_snapshots: int = 0,
               snapshot_runs=(0,)) -> Saturation:
    r"""Minimax against non-saturating, from a poor generator and a strong discriminator, over seeds.

    Each run (normal noise, softplus G, tanh D, SGD with momentum as in the paper, k = 1) first trains D
    alone for ``n_pretrain`` steps, so that it rejects G's samples with confidence. From that very state
    (networks, optimizers and random numbers copied) ``n_iter`` iterations follow once with each generator
    loss. SGD, not Adam: Adam divides a tiny gradient by its own size and hides the saturation.

    Parameters
    ----------
    seeds : iterable of int
        One run per seed; a single seed is a population of one (``seeds=[0]``).
    data : Density
        p_data; N(4, 0.5) by default, far from G's start near 0.
    n_pretrain, n_iter : int
    lr_generator, lr_discriminator, momentum : float
    tolerance : float > 0
        "Reached the data": the median sample within this distance of the data's median.
    n_quantiles : int
        Noise quantiles for the median sample and the distance moved.
    nudge_ulps : int
        Every initial weight moved by this many ulps (:meth:`ganmath.gan.Population.nudge_weights`).
    n_snapshots : int
        Snapshots (with the exact p_g, D* and JS) of the runs in ``snapshot_runs`` at about this many
        iterations, spaced geometrically from 0 to ``n_iter`` (the early iterations are where the two losses
        part); 0 for none.
    snapshot_runs : iterable of int
        The runs (indices into ``seeds``) to take snapshots of.
    """
    data = Normal(4.0, 0.5) if data is None else check_density("data", data)
    n_pretrain = check_positive_int("n_pretrain", n_pretrain, allow_zero=True)
    n_iter = check_positive_int("n_iter", n_iter)
    tolerance = check_positive("tolerance", tolerance)
    n_snapshots = check_positive_int("n_snapshots", n_snapshots, allow_zero=True)
    start = Population(data, Normal(0.0, 1.0), seeds=seeds, k=1, optimizer="sgd", momentum=momentum,
                       lr_generator=lr_generator, lr_discriminator=lr_discriminator).nudge_weights(nudge_ulps)
    shown = [start.check_run(run) for run in snapshot_runs] if n_snapshots else []
    snapshot_at = ({0, *np.round(np.geomspace(1, n_iter, n_snapshots - 1)).astype(int).tolist()}
                   if n_snapshots > 1 else {0} if n_snapshots else set())
    grids = {run: default_grid(data, start.noise, start.generator.view(run)) for run in shown}
    for _ in range(n_pretrain):
        start.step_discriminator()
    z = start.noise.ppf(np.linspace(0.0, 1.0, check_positive_int("n_quantiles", n_quantiles) + 2)[1:-1])
    inputs = start.for_every_run(z)
    target = float(data.ppf(0.5))

    reached_at, positions, grad_norms, fakes, moved, frames_by_loss = {}, {}, {}, {}, {}, {}
    for loss in SATURATION_LOSSES:
        population = start.copy()  # the same networks, optimizer states and random numbers, another loss
        population.update_settings(generator_loss=loss)
        samples = [population.generator(inputs)[:, :, 0]]
        frames = {run: [population.snapshot(run, grids[run])] for run in shown if 0 in snapshot_at}

        def record(trained, samples=samples, frames=frames):
            samples.append(trained.generator(inputs)[:, :, 0])
            if trained.iteration in snapshot_at:
                for run in shown:
                    frames.setdefault(run, []).append(trained.snapshot(run, grids[run]))

        population.train(n_iter, callback=record)
        samples = np.array(samples)  # (n_iter + 1, R, n_quantiles)
        position = np.median(samples, axis=2)
        close = np.abs(position - target) <= tolerance
        history = population.history
        reached_at[loss] = np.where(close.any(axis=0), np.argmax(close, axis=0), -1)
        positions[loss] = position
        grad_norms[loss] = np.asarray(history.generator_grad_norm)
        fakes[loss] = np.asarray(history.generator_fake)
        moved[loss] = np.mean(np.abs(np.diff(samples, axis=0)), axis=2)
        frames_by_loss[loss] = frames
    first_grad = {loss: norms[0] for loss, norms in grad_norms.items()}
    ratio = first_grad["non-saturating"] / first_grad["minimax"]
    return Saturation(first_grad_norm=first_grad, first_fake_probability=fakes["minimax"][0], gradient_ratio=ratio,
                      reached_at=reached_at, position=positions, ratio=spread(ratio),
                      reached={loss: rate(at >= 0) for loss, at in reached_at.items()}, n_iter=n_iter,
                      tolerance=tolerance, generator_grad_norm=grad_norms, fake_probability=fakes,
                      distance_moved=moved, frames=frames_by_loss)
