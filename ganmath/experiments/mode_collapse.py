r"""Mode collapse, measured from the exact p_g.

:func:`mode_masses` measures the generated mass near each mode of a mixture as differences of the exact p_g's cdf;
:func:`mode_collapse` trains a population of seeds and says how often a run drops a mode, the claim, for each of
the settings of :data:`WHAT_HELPS`; with checkpoints it also records every run's masses and snapshots along the way
(the pictures of notebook 09, where each seed is a population of one).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ganmath._validation import check_in_range, check_positive, check_positive_int
from ganmath.core.densities import Density, Mixture, Normal
from ganmath.core.presets import data_preset
from ganmath.gan import Population
from ganmath.gan.pushforward import PointMassError
from ganmath.gan.snapshot import default_grid
from ganmath.stats import Rate, rate

__all__ = ["TWO_MODES", "WHAT_HELPS", "mode_windows", "mode_masses", "ModeRun", "ModeCollapse", "mode_collapse"]

#: The two-mode data of notebook 09.
TWO_MODES = data_preset("two modes")


def mode_windows(mixture: Mixture, half_width: float = 3.0) -> np.ndarray:
    r"""The intervals :math:`[\mu_i - h\sigma_i, \mu_i + h\sigma_i]` around each normal component, shape (n, 2)."""
    if not isinstance(mixture, Mixture) or not all(isinstance(c, Normal) for c in mixture.components):
        raise TypeError(f"mixture must be a Mixture of Normals, got mixture={mixture!r}")
    half_width = check_positive("half_width", half_width)
    return np.array([[c.mu - half_width * c.sigma, c.mu + half_width * c.sigma] for c in mixture.components])


def mode_masses(p_g: Density, windows) -> np.ndarray:
    r"""The generated mass in each window, :math:`F_g(b_i) - F_g(a_i)`, from p_g's cdf; shape (n_modes,)."""
    if not isinstance(p_g, Density):
        raise TypeError(f"p_g must be a ganmath Density, got p_g={p_g!r}")
    windows = np.asarray(windows, dtype=float)
    if windows.ndim != 2 or windows.shape[1] != 2 or not np.all(windows[:, 0] < windows[:, 1]):
        raise ValueError(f"windows must have shape (n, 2) with low < high in each row, got windows={windows!r}")
    cdf = p_g.cdf(windows.ravel()).reshape(windows.shape)
    return cdf[:, 1] - cdf[:, 0]


#: The settings compared in notebook 09: the baseline and what might keep both modes.
WHAT_HELPS = {
    "non-saturating, k = 1": dict(k=1, lr_generator=2e-3, lr_discriminator=2e-3),
    "non-saturating, k = 5": dict(k=5, lr_generator=2e-3, lr_discriminator=2e-3),
    "non-saturating, k = 1, G lr 5e-4": dict(k=1, lr_generator=5e-4, lr_discriminator=2e-3),
    "minimax, k = 5": dict(k=5, lr_generator=2e-3, lr_discriminator=2e-3, generator_loss="minimax"),
}


@dataclass
class ModeRun:
    """One run of :func:`mode_collapse` taken with checkpoints: the mass near each mode at each checkpoint."""

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


@dataclass
class ModeCollapse:
    """:func:`mode_collapse`'s result.

    Attributes
    ----------
    masses : ndarray, shape (R, n_modes)
        The generated mass near each mode at the end, from the exact p_g (NaN for a run without a density).
    dropped : ndarray of bool, shape (R,)
        Runs holding less than ``threshold`` of the mass near some mode.
    rate : Rate
        How many runs dropped a mode.
    threshold : float
    population : Population or None
        The trained runs (None for the stored runs, :func:`ganmath.experiments.claims.stored_mode_collapse`).
    runs : list of ModeRun
        With ``checkpoint_every``, every run's masses, JS and snapshots along training (empty otherwise).
    """

    masses: np.ndarray
    dropped: np.ndarray
    rate: Rate
    threshold: float
    population: Population | None = field(default=None, repr=False)
    runs: list = field(default_factory=list, repr=False)


def mode_collapse(seeds=range(32), *, data: Mixture = TWO_MODES, n_iter: int = 1500, threshold: float = 0.05,
                  half_width: float = 3.0, nudge_ulps: int = 0, checkpoint_every: int | None = None,
                  noise: Density | None = None, **settings) -> ModeCollapse:
    """Train one run per seed on a mixture of normals and measure, from the exact p_g, the mass near each
    mode at the end: a run *drops a mode* when some mode holds less than ``threshold`` of it.

    Parameters
    ----------
    seeds : iterable of int
        One run per seed; a single seed is a population of one (``seeds=[0]``).
    data : Mixture of Normals
    n_iter : int
    threshold : float in (0, 1)
    half_width : float
        Windows of :func:`mode_windows`.
    nudge_ulps : int
        Every initial weight moved by this many ulps.
    checkpoint_every : int, optional
        Also measure every run (a snapshot, its mode masses, its JS) at the start and every ``checkpoint_every``
        iterations: the ``runs`` of the result, what the pictures of notebook 09 draw.
    noise : Density, optional
    **settings
        The keywords of :class:`ganmath.gan.Settings` (k, lr_generator, generator_loss, ...).
    """
    windows = mode_windows(data, half_width)
    threshold = check_in_range("threshold", threshold, 0.0, 1.0, low_open=True, high_open=True)
    n_iter = check_positive_int("n_iter", n_iter)
    population = Population(data, noise, seeds=seeds, **settings)
    population.nudge_weights(nudge_ulps)
    frames = []
    if checkpoint_every is None:
        population.train(n_iter)
    else:
        checkpoint_every = check_positive_int("checkpoint_every", checkpoint_every)
        grids = [default_grid(population.data, population.noise, population.generator.view(run))
                 for run in range(population.n_runs)]

        def measure_every_run(trained):
            frames.append([trained.snapshot(run, grids[run]) for run in range(trained.n_runs)])

        measure_every_run(population)
        population.train(n_iter, callback=measure_every_run, callback_every=checkpoint_every)
    masses = np.full((population.n_runs, len(windows)), np.nan)
    for run in range(population.n_runs):
        if population.diverged_at[run] >= 0:
            continue
        try:
            masses[run] = mode_masses(population.generator_density(run), windows)
        except PointMassError:  # no density: the run counts as having dropped a mode
            pass
    runs = []
    for run, seed in enumerate(population.seeds):
        along = [checkpoint[run] for checkpoint in frames]
        if along:
            runs.append(ModeRun(seed=int(seed), iterations=np.array([f.iteration for f in along]),
                                masses=np.array([mode_masses(f.generator_density, windows) for f in along]),
                                js=np.array([f.js for f in along]), frames=along))
    dropped = ~np.all(masses >= threshold, axis=1)
    return ModeCollapse(masses=masses, dropped=dropped, rate=rate(dropped), threshold=threshold,
                        population=population, runs=runs)
