r"""Algorithm 1 over seeds: does it train, and with which settings?

:func:`convergence` trains the default GAN on N(4, 0.5) as a population and says how many runs reach a small JS;
:func:`paper_sweep` trains the paper's own Algorithm 1 (k = 1, SGD with momentum) over a grid of generator losses,
momenta and learning rates, a population per cell, on a truncated normal with uniform noise (:func:`paper_data`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ganmath._validation import check_positive, check_positive_int
from ganmath.core.densities import Density, Normal, TruncatedNormal, Uniform
from ganmath.gan import Population
from ganmath.stats import Rate, Spread, rate, spread, wilson_interval

__all__ = ["Convergence", "convergence", "PaperSweep", "STORED_PAPER_SWEEP", "stored_paper_sweep", "stored_paper_record",
           "paper_cell", "paper_sweep", "paper_sweep_fingerprint", "FINGERPRINT_CELL", "paper_data", "paper_noise",
           "PAPER_NETWORKS"]


@dataclass
class Convergence:
    """:func:`convergence`'s result: the JS of every run at the end, and how many went below the threshold (the
    population is None for the stored runs, :func:`ganmath.experiments.claims.stored_convergence`)."""

    js: np.ndarray
    threshold: float
    converged: Rate
    spread: Spread
    population: Population | None = field(default=None, repr=False)


def convergence(seeds=range(32), *, data: Density | None = None, n_iter: int = 3000, threshold: float = 0.01,
                nudge_ulps: int = 0, **settings) -> Convergence:
    """Train the default GAN on ``data`` (N(4, 0.5)) for ``n_iter`` iterations, one run per seed; the
    exact JS of every run, and the rate at which it is below ``threshold`` nats."""
    data = Normal(4.0, 0.5) if data is None else data
    n_iter = check_positive_int("n_iter", n_iter)
    threshold = check_positive("threshold", threshold)
    population = Population(data, None, seeds=seeds, **settings)
    population.nudge_weights(nudge_ulps)
    population.train(n_iter)
    js = population.js_divergences()
    finite = js[np.isfinite(js)]
    return Convergence(js=js, threshold=threshold, converged=rate(js < threshold),
                       spread=spread(finite) if finite.size else None, population=population)


def paper_data() -> Density:
    """The sweep's data: a standard normal truncated to [-2, 2], a bell with compact support."""
    return TruncatedNormal(0.0, 1.0, -2.0, 2.0)


def paper_noise() -> Density:
    """The sweep's noise: uniform on [-1, 1], as in the paper's Figure 1 ("sampled uniformly")."""
    return Uniform(-1.0, 1.0)


#: The sweep's networks: 1-32-32-1 with tanh units in G (their steep ends make the bell's flanks) and leaky-ReLU
#: units in D.
PAPER_NETWORKS = {"generator_activation": "tanh", "discriminator_activation": "leaky-relu"}


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
STORED_PAPER_SWEEP = Path(__file__).resolve().parents[1] / "data" / "paper_sweep.json"


def stored_paper_sweep(path=STORED_PAPER_SWEEP) -> PaperSweep:
    """The committed sweep of the paper's Algorithm 1 (about fifteen minutes to retrain)."""
    return PaperSweep.from_dict(stored_paper_record(path))


def stored_paper_record(path=STORED_PAPER_SWEEP) -> dict:
    """The committed sweep as stored: the grid's counts, and the ``command``, ``arithmetic`` and ``fingerprint``
    that say how and under what arithmetic it was made (:mod:`ganmath.records`)."""
    return json.loads(Path(path).read_text())


def paper_cell(loss: str, momentum: float, lr_discriminator: float, lr_generator: float, seeds=range(16), *,
               n_iter: int = 4000, nudge_ulps: int = 0) -> np.ndarray:
    """The final JS of every run of the paper's Algorithm 1 (k = 1, SGD with momentum) at one setting, on
    data, noise and networks of the sweep (:func:`paper_data`, :func:`paper_noise`, :data:`PAPER_NETWORKS`)."""
    return _paper_population(loss, momentum, lr_discriminator, lr_generator, seeds, n_iter=n_iter,
                             nudge_ulps=nudge_ulps).js_divergences()


def _paper_population(loss, momentum, lr_discriminator, lr_generator, seeds, *, n_iter, nudge_ulps=0) -> Population:
    population = Population(paper_data(), paper_noise(), seeds=seeds, k=1, optimizer="sgd", generator_loss=loss,
                             momentum=momentum, lr_discriminator=lr_discriminator, lr_generator=lr_generator,
                             **PAPER_NETWORKS)
    population.nudge_weights(nudge_ulps)
    population.train(check_positive_int("n_iter", n_iter))
    return population


#: The cell of the sweep that its fingerprint retrains: the paper's generator loss, momentum 0.9, learning rates
#: 0.01 for D and 1e-3 for G.
FINGERPRINT_CELL = ("minimax", 0.9, 1e-2, 1e-3)


def paper_sweep_fingerprint(seeds=(0, 1), prefix: int = 100) -> dict:
    """Two seeds of one cell of the sweep (:data:`FINGERPRINT_CELL`): their first 20 losses and their JS after
    ``prefix`` iterations, to compare with the stored sweep's fingerprint (:mod:`ganmath.records`)."""
    population = _paper_population(*FINGERPRINT_CELL, seeds, n_iter=prefix)
    return {**population.history.first_steps(20), f"js_after_{prefix}": population.js_divergences().tolist()}


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
