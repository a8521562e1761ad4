"""What a training run records at every step, for one run or for a population of runs."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["History", "STEP_RECORDS"]

#: The per-step records: name -> the step that writes it ("discriminator" or "generator").
STEP_RECORDS = {
    "discriminator_iteration": "discriminator",
    "discriminator_loss": "discriminator",
    "discriminator_grad_norm": "discriminator",
    "discriminator_real": "discriminator",
    "discriminator_fake": "discriminator",
    "generator_iteration": "generator",
    "generator_loss": "generator",
    "generator_grad_norm": "generator",
    "generator_fake": "generator",
}


@dataclass
class History:
    """What a training run recorded: one entry per discriminator step and per generator step, and snapshots.

    The ``*_iteration`` lists give the Algorithm-1 iteration each step belongs to.
    ``discriminator_real`` / ``discriminator_fake`` are the batch means of D(x) and D(G(z)) in the D
    steps, ``generator_fake`` the mean of D(G(z)) in the G steps. Gradient norms are Euclidean norms of
    the whole parameter gradient before the update.

    For one run (:class:`ganmath.gan.GAN`, ``one_run=True``) every entry is a float (an int for the
    iterations). For a :class:`ganmath.gan.Population` every entry is an array of shape ``(R,)``, one value per
    run; :meth:`run` gives one run's history.
    """

    discriminator_iteration: list = field(default_factory=list)
    discriminator_loss: list = field(default_factory=list)
    discriminator_grad_norm: list = field(default_factory=list)
    discriminator_real: list = field(default_factory=list)
    discriminator_fake: list = field(default_factory=list)
    generator_iteration: list = field(default_factory=list)
    generator_loss: list = field(default_factory=list)
    generator_grad_norm: list = field(default_factory=list)
    generator_fake: list = field(default_factory=list)
    snapshots: list = field(default_factory=list)
    one_run: bool = False

    def record(self, **values):
        """Append one step's values: ``*_iteration`` ints as they are, the others as arrays of shape ``(R,)``,
        or as floats (the value of the only run) for a history of one run."""
        for name, value in values.items():
            if name.endswith("_iteration"):
                getattr(self, name).append(value)
            elif self.one_run:
                getattr(self, name).append(float(value[0]))
            else:
                getattr(self, name).append(value)

    def as_arrays(self) -> dict:
        """Every per-step list as an ndarray (shape ``(n_steps,)``, or ``(n_steps, R)`` for a population),
        plus, for one run, ``snapshot_iteration``, ``js`` and ``sup_gap`` of the snapshots."""
        out = {name: np.asarray(getattr(self, name)) for name in STEP_RECORDS}
        if self.snapshots:
            out["snapshot_iteration"] = np.array([s.iteration for s in self.snapshots], dtype=int)
            out["js"] = np.array([s.js for s in self.snapshots])
            out["sup_gap"] = np.array([s.sup_gap for s in self.snapshots])
        return out

    def first_steps(self, steps: int = 20) -> dict:
        """The first ``steps`` discriminator and generator losses, JSON-ready: a list per run of a population, shape
        (R, steps), or one list for one run. The part of a stored record's fingerprint (:mod:`ganmath.records`) that
        every training record shares."""
        out = {}
        for name in ("discriminator_loss", "generator_loss"):
            values = np.asarray(getattr(self, name), dtype=float)
            if values.shape[0] < steps:
                raise ValueError(f"the history holds {values.shape[0]} {name} steps, fewer than steps={steps}")
            out[name] = (values[:steps].T if values.ndim == 2 else values[:steps]).tolist()
        return out

    def run(self, index: int) -> "History":
        """Run ``index`` of a population's history, as the history of one run (floats; no snapshots)."""
        out = History(one_run=True)
        for name in STEP_RECORDS:
            values = getattr(self, name)
            if name.endswith("_iteration"):
                getattr(out, name).extend(int(v) for v in values)
            else:
                getattr(out, name).extend(float(v[index]) for v in values)
        return out

    def snapshot_at(self, iteration: int):
        """The last snapshot taken at ``iteration``."""
        for snapshot in reversed(self.snapshots):
            if snapshot.iteration == iteration:
                return snapshot
        raise KeyError(f"no snapshot at iteration={iteration!r}; snapshots at {[s.iteration for s in self.snapshots]}")

