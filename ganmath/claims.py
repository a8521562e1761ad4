r"""Every claim that comes from training, measured over a population of seeds.

A GAN run is chaotic in the last bits of its arithmetic: another BLAS kernel, CPU or library version gives
another run. So each claim here trains a :class:`ganmath.gan.Population` (one run per seed, at once) and
states what held as a rate with its 95% Wilson interval, or a number as a median with quartiles
(:mod:`ganmath.stats`):

* :func:`convergence`: Algorithm 1 with the defaults brings N(4, 0.5) data to a small JS;
* :func:`saturation`: from a poor G and a strong D (the paper's Section 3), the minimax generator's gradient
  is orders of magnitude smaller than the non-saturating one's, and its samples do not reach the data;
* :func:`mode_collapse`: on two well-separated modes, how often a run drops one, under several settings
  (the "what helps" comparison).

Every function takes ``nudge_ulps``: every initial weight moved by that many floats before training, so
that a test can check that a claim does not rest on this machine's rounding.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ganmath._validation import check_in_range, check_positive, check_positive_int
from ganmath.densities import Density, Mixture, Normal
from ganmath.gan import Population
from ganmath.stats import Rate, Spread, rate, spread

__all__ = [
    "PaperSweep",
    "STORED_PAPER_SWEEP",
    "stored_paper_sweep",
    "paper_cell",
    "paper_sweep",
    "TWO_MODES",
    "Convergence",
    "convergence",
    "Saturation",
    "saturation",
    "ModeCollapse",
    "mode_collapse",
    "mode_windows",
    "mode_masses",
    "WHAT_HELPS",
]

#: The two-mode data of notebook 08.
TWO_MODES = Mixture([Normal(-2.0, 0.5), Normal(2.0, 0.5)], [0.5, 0.5])


def _population(data, noise, seeds, nudge_ulps, **settings) -> Population:
    population = Population(data, noise, seeds=seeds, **settings)
    if nudge_ulps:
        population.nudge_weights(nudge_ulps)
    return population


# --- Algorithm 1 converges ------------------------------------------------------------------------------


@dataclass
class Convergence:
    """:func:`convergence`'s result: the JS of every run at the end, and how many went below the threshold."""

    js: np.ndarray
    threshold: float
    converged: Rate
    spread: Spread
    population: Population = field(repr=False)


def convergence(seeds=range(32), *, data: Density | None = None, n_iter: int = 3000, threshold: float = 0.01,
                nudge_ulps: int = 0, **settings) -> Convergence:
    """Train the default GAN on ``data`` (N(4, 0.5)) for ``n_iter`` iterations, one run per seed; the
    exact JS of every run, and the rate at which it is below ``threshold`` nats."""
    data = Normal(4.0, 0.5) if data is None else data
    n_iter = check_positive_int("n_iter", n_iter)
    threshold = check_positive("threshold", threshold)
    population = _population(data, None, seeds, nudge_ulps, **settings)
    population.train(n_iter)
    js = population.js_divergences()
    finite = js[np.isfinite(js)]
    return Convergence(js=js, threshold=threshold, converged=rate(js < threshold),
                       spread=spread(finite) if finite.size else None, population=population)


# --- Saturation ----------------------------------------------------------------------------------------


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
    data = Normal(4.0, 0.5) if data is None else data
    n_pretrain = check_positive_int("n_pretrain", n_pretrain, allow_zero=True)
    n_iter = check_positive_int("n_iter", n_iter)
    tolerance = check_positive("tolerance", tolerance)
    start = _population(data, Normal(0.0, 1.0), seeds, nudge_ulps, k=1, optimizer="sgd", momentum=momentum,
                        lr_generator=lr_generator, lr_discriminator=lr_discriminator)
    for _ in range(n_pretrain):
        start.step_discriminator()
    z = start.noise.ppf(np.linspace(0.0, 1.0, check_positive_int("n_quantiles", n_quantiles) + 2)[1:-1])
    inputs = np.ascontiguousarray(np.broadcast_to(z[None, :, None], (start.n_runs, z.size, 1)))
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


# --- Mode collapse ---------------------------------------------------------------------------------------


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


#: The settings compared in notebook 08: the baseline and what might keep both modes.
WHAT_HELPS = {
    "non-saturating, k = 1": dict(k=1, lr_generator=2e-3, lr_discriminator=2e-3),
    "non-saturating, k = 5": dict(k=5, lr_generator=2e-3, lr_discriminator=2e-3),
    "non-saturating, k = 1, G lr 5e-4": dict(k=1, lr_generator=5e-4, lr_discriminator=2e-3),
    "minimax, k = 5": dict(k=5, lr_generator=2e-3, lr_discriminator=2e-3, generator_loss="minimax"),
}


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
    """

    masses: np.ndarray
    dropped: np.ndarray
    rate: Rate
    threshold: float
    population: Population = field(repr=False)


def mode_collapse(seeds=range(32), *, data: Mixture = TWO_MODES, n_iter: int = 1500, threshold: float = 0.05,
                  half_width: float = 3.0, nudge_ulps: int = 0, **settings) -> ModeCollapse:
    """Train one run per seed on a mixture of normals and measure, from the exact p_g, the mass near each
    mode at the end: a run *drops a mode* when some mode holds less than ``threshold`` of it."""
    windows = mode_windows(data, half_width)
    threshold = check_in_range("threshold", threshold, 0.0, 1.0, low_open=True, high_open=True)
    population = _population(data, None, seeds, nudge_ulps, **settings)
    population.train(check_positive_int("n_iter", n_iter))
    masses = np.full((population.n_runs, len(windows)), np.nan)
    for run in range(population.n_runs):
        if population.diverged_at[run] >= 0:
            continue
        try:
            masses[run] = mode_masses(population.generator_density(run), windows)
        except ValueError:  # a point mass: no density, the run counts as having dropped a mode
            pass
    dropped = ~np.all(masses >= threshold, axis=1)
    return ModeCollapse(masses=masses, dropped=dropped, rate=rate(dropped), threshold=threshold,
                        population=population)


# --- The paper's own Algorithm 1: k = 1, SGD with momentum ------------------------------------------------


@dataclass
class PaperSweep:
    """:func:`paper_sweep`'s result: how many runs trained, per generator loss, momentum and learning rates.

    Attributes
    ----------
    losses : tuple of str
    momentum, lr_discriminator, lr_generator : ndarray
        The axes of the grid.
    trained : ndarray of int, shape (n_losses, n_momentum, n_lr_discriminator, n_lr_generator)
        How many of the ``n_runs`` runs reached JS < ``threshold`` nats after ``n_iter`` iterations.
    median_js : ndarray, the shape of ``trained``
    """

    losses: tuple
    momentum: np.ndarray
    lr_discriminator: np.ndarray
    lr_generator: np.ndarray
    trained: np.ndarray
    median_js: np.ndarray
    n_runs: int
    threshold: float
    n_iter: int

    def rate(self, index) -> Rate:
        """The :class:`Rate` of one cell, ``index = (loss, momentum, lr_discriminator, lr_generator)``."""
        from ganmath.stats import wilson_interval

        successes = int(self.trained[index])
        return Rate(successes, self.n_runs, *wilson_interval(successes, self.n_runs))

    def as_dict(self) -> dict:
        return {"losses": list(self.losses), "momentum": self.momentum.tolist(),
                "lr_discriminator": self.lr_discriminator.tolist(), "lr_generator": self.lr_generator.tolist(),
                "trained": self.trained.tolist(), "median_js": self.median_js.tolist(), "n_runs": self.n_runs,
                "threshold": self.threshold, "n_iter": self.n_iter}

    @classmethod
    def from_dict(cls, stored: dict) -> "PaperSweep":
        return cls(losses=tuple(stored["losses"]), momentum=np.array(stored["momentum"]),
                   lr_discriminator=np.array(stored["lr_discriminator"]), lr_generator=np.array(stored["lr_generator"]),
                   trained=np.array(stored["trained"], dtype=int), median_js=np.array(stored["median_js"]),
                   n_runs=int(stored["n_runs"]), threshold=float(stored["threshold"]), n_iter=int(stored["n_iter"]))


#: The output of ``python -m ganmath paper-sweep > ganmath/data/paper_sweep.json``, as committed.
STORED_PAPER_SWEEP = Path(__file__).resolve().parent / "data" / "paper_sweep.json"


def stored_paper_sweep(path=STORED_PAPER_SWEEP) -> PaperSweep:
    """The committed sweep of the paper's Algorithm 1 (about fifteen minutes to retrain)."""
    return PaperSweep.from_dict(json.loads(Path(path).read_text()))


def paper_cell(loss: str, momentum: float, lr_discriminator: float, lr_generator: float, seeds=range(16), *,
               n_iter: int = 4000, nudge_ulps: int = 0) -> np.ndarray:
    """The final JS of every run of the paper's Algorithm 1 (k = 1, SGD with momentum) at one setting, on
    Figure 1's data, noise and networks (:mod:`ganmath.figure1`)."""
    from ganmath.figure1 import PROTOCOL, figure1_data, figure1_noise

    networks = {key: PROTOCOL.settings[key] for key in ("generator_activation", "discriminator_activation")}
    population = _population(figure1_data(PROTOCOL.truncation), figure1_noise(), seeds, nudge_ulps, k=1,
                             optimizer="sgd", generator_loss=loss, momentum=momentum,
                             lr_discriminator=lr_discriminator, lr_generator=lr_generator, **networks)
    population.train(check_positive_int("n_iter", n_iter))
    return population.js_divergences()


def paper_sweep(losses=("minimax", "non-saturating"), momentum=(0.5, 0.9), lr_discriminator=(1e-3, 3e-3, 1e-2, 3e-2),
                lr_generator=(3e-4, 1e-3, 3e-3, 1e-2), seeds=range(16), *, n_iter: int = 4000,
                threshold: float = 0.02, progress=None) -> PaperSweep:
    """Sweep the paper's Algorithm 1 (k = 1, SGD with momentum) over the generator loss (``"minimax"`` as
    printed, ``"non-saturating"`` as its Section 3 advises), the momentum and both learning rates; each cell
    is a population of ``seeds``, counted as trained when its JS is below ``threshold`` nats.
    ``progress(done, total)`` is called after each cell."""
    mom, lr_d, lr_g = (np.asarray(v, dtype=float) for v in (momentum, lr_discriminator, lr_generator))
    losses, seeds = tuple(losses), list(seeds)
    trained = np.zeros((len(losses), mom.size, lr_d.size, lr_g.size), dtype=int)
    median = np.zeros(trained.shape)
    for index in np.ndindex(trained.shape):
        l, i, j, k = index
        js = paper_cell(losses[l], float(mom[i]), float(lr_d[j]), float(lr_g[k]), seeds, n_iter=n_iter)
        trained[index] = int(np.count_nonzero(js < threshold))
        median[index] = float(np.nanmedian(js)) if np.isfinite(js).any() else np.nan
        if progress is not None:
            progress(int(np.ravel_multi_index(index, trained.shape)) + 1, trained.size)
    return PaperSweep(losses=losses, momentum=mom, lr_discriminator=lr_d, lr_generator=lr_g, trained=trained,
                      median_js=median, n_runs=len(seeds), threshold=threshold, n_iter=n_iter)
