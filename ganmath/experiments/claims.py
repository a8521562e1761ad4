r"""The claims from training, trained once over 32 seeds and stored, each with the command that made it.

A claim from training is a rate over seeded runs (:mod:`ganmath.stats`). Retraining 32 seeds takes minutes, so
each claim below is trained once, by ``python -m ganmath claim NAME``, and committed as ``ganmath/data/NAME.json``:

* ``runs``: one line per seed, every number a claim is computed from;
* ``summary``: the rates and spreads, which :attr:`Claim.summarize` recomputes from ``runs`` alone;
* ``protocol``: the settings of the runs;
* ``arithmetic`` and ``fingerprint`` (:mod:`ganmath.records`): the numpy and BLAS kernel that made the numbers,
  and two seeds' first 20 steps and their numbers after a short prefix of the same protocol, which
  :attr:`Claim.fingerprint` recomputes in a second or two.

The claims:

* ``convergence``: Algorithm 1 with the defaults on N(4, 0.5), 3,000 iterations: how many runs end with
  JS < 0.01 nats (:func:`ganmath.experiments.algorithm1.convergence`);
* ``saturation``: from a strong D, the non-saturating gradient over the minimax one at the first G step, and how
  many runs of each loss reach the data within 600 iterations (:func:`ganmath.experiments.saturation.saturation`);
* ``mode-collapse``: on two modes, how many runs drop one, for each setting of
  :data:`ganmath.experiments.mode_collapse.WHAT_HELPS` (:func:`ganmath.experiments.mode_collapse.mode_collapse`).

Usage::

    from ganmath.experiments import claims
    record = claims.stored("convergence")          # the committed record
    record["summary"]["converged"]                 # {"successes": 31, "trials": 32, ...}
    claims.CLAIMS["convergence"].fingerprint()     # recomputed in a second, to compare with record["fingerprint"]
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from ganmath.experiments import algorithm1, mode_collapse, saturation
from ganmath.records import arithmetic, read_json
from ganmath.stats import rate, spread

__all__ = ["Claim", "CLAIMS", "DATA_DIR", "FINGERPRINT_SEEDS", "FINGERPRINT_STEPS", "stored",
           "make_record", "stored_convergence", "stored_mode_collapse"]

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
#: The seeds and the number of first steps that a fingerprint records.
FINGERPRINT_SEEDS = (0, 1)
FINGERPRINT_STEPS = 20


def _number(value):
    """A JSON-ready float (None for NaN: a run that could not be measured)."""
    value = float(value)
    return value if math.isfinite(value) else None


# --- convergence ----------------------------------------------------------------------------------------------

_CONVERGENCE = {"data": "N(4, 0.5^2)", "n_iter": 3000, "threshold": 0.01,
                "settings": "the defaults: 1-32-32-1, softplus G, tanh D, k = 2, Adam, m = 64"}


def _convergence_runs(seeds, nudge_ulps: int = 0) -> list:
    result = algorithm1.convergence(seeds, n_iter=_CONVERGENCE["n_iter"], threshold=_CONVERGENCE["threshold"],
                                    nudge_ulps=nudge_ulps)
    return [{"seed": int(seed), "js": _number(js)} for seed, js in zip(seeds, result.js)]


def _convergence_summary(runs) -> dict:
    js = _values(runs, "js")
    return {"converged": rate(js < _CONVERGENCE["threshold"]).as_dict(), "js": spread(js[np.isfinite(js)]).as_dict()}


def _convergence_fingerprint() -> dict:
    prefix = 100
    result = algorithm1.convergence(FINGERPRINT_SEEDS, n_iter=prefix, threshold=_CONVERGENCE["threshold"])
    return {**result.population.history.first_steps(FINGERPRINT_STEPS), f"js_after_{prefix}": result.js.tolist()}


# --- saturation -----------------------------------------------------------------------------------------------

_SATURATION = {"data": "N(4, 0.5^2)", "noise": "N(0, 1)", "n_pretrain": 300, "n_iter": 600, "tolerance": 0.5,
               "settings": "k = 1, SGD with momentum 0.9, D's learning rate 1e-2, G's 3e-4"}


def _saturation_runs(seeds, nudge_ulps: int = 0) -> list:
    result = saturation.saturation(seeds, n_pretrain=_SATURATION["n_pretrain"], n_iter=_SATURATION["n_iter"],
                                   tolerance=_SATURATION["tolerance"], nudge_ulps=nudge_ulps)
    return [{"seed": int(seed), "gradient_ratio": _number(result.gradient_ratio[i]),
             "first_fake_probability": _number(result.first_fake_probability[i]),
             "reached_at": {loss: int(result.reached_at[loss][i]) for loss in saturation.SATURATION_LOSSES}}
            for i, seed in enumerate(seeds)]


def _saturation_summary(runs) -> dict:
    fake = [run["first_fake_probability"] for run in runs]
    return {"gradient_ratio": spread([run["gradient_ratio"] for run in runs]).as_dict(),
            "first_fake_probability": {"min": min(fake), "max": max(fake)},
            "reached": {loss: rate(np.array([run["reached_at"][loss] >= 0 for run in runs])).as_dict()
                        for loss in saturation.SATURATION_LOSSES}}


def _saturation_fingerprint() -> dict:
    prefix = FINGERPRINT_STEPS
    result = saturation.saturation(FINGERPRINT_SEEDS, n_pretrain=_SATURATION["n_pretrain"], n_iter=prefix,
                                   tolerance=_SATURATION["tolerance"])
    return {"gradient_ratio": result.gradient_ratio.tolist(),
            "first_fake_probability": result.first_fake_probability.tolist(),
            **{f"median_sample_{loss}": result.position[loss].T.tolist() for loss in saturation.SATURATION_LOSSES}}


# --- mode collapse ----------------------------------------------------------------------------------------------

_MODE_COLLAPSE = {"data": "0.5 N(-2, 0.5^2) + 0.5 N(2, 0.5^2)", "n_iter": 1500, "threshold": 0.05,
                  "windows": "each mode's mean +- 3 standard deviations",
                  "settings": {name: dict(settings) for name, settings in mode_collapse.WHAT_HELPS.items()}}


def _mode_collapse_runs(seeds, nudge_ulps: int = 0) -> list:
    runs = []
    for name, settings in mode_collapse.WHAT_HELPS.items():
        result = mode_collapse.mode_collapse(seeds, n_iter=_MODE_COLLAPSE["n_iter"],
                                             threshold=_MODE_COLLAPSE["threshold"], nudge_ulps=nudge_ulps, **settings)
        runs += [{"setting": name, "seed": int(seed), "masses": [_number(m) for m in result.masses[i]],
                  "dropped": bool(result.dropped[i])} for i, seed in enumerate(seeds)]
    return runs


def _mode_collapse_summary(runs) -> dict:
    return {"dropped": {name: rate(np.array([run["dropped"] for run in runs if run["setting"] == name])).as_dict()
                        for name in mode_collapse.WHAT_HELPS}}


def _mode_collapse_fingerprint() -> dict:
    prefix = 50
    out = {}
    for name in ("non-saturating, k = 1", "minimax, k = 5"):
        result = mode_collapse.mode_collapse(FINGERPRINT_SEEDS, n_iter=prefix, **mode_collapse.WHAT_HELPS[name])
        out[name] = {**result.population.history.first_steps(FINGERPRINT_STEPS),
                     f"masses_after_{prefix}": result.masses.tolist()}
    return out


# --- the registry -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """A claim from training, as stored.

    Attributes
    ----------
    name : str
        Its name on the command line and its file's stem (``-`` becomes ``_``).
    description : str
    protocol : dict
        The settings of its runs, as stored.
    runs : callable
        ``runs(seeds, nudge_ulps=0)``: train the seeds, return one JSON-ready dict per run.
    summarize : callable
        ``summarize(runs)``: the summary, from the per-seed lines alone.
    fingerprint : callable
        ``fingerprint()``: the two seeds' first steps and short-prefix numbers, recomputed.
    """

    name: str
    description: str
    protocol: dict
    runs: Callable
    summarize: Callable
    fingerprint: Callable

    @property
    def path(self) -> Path:
        return DATA_DIR / f"{self.name.replace('-', '_')}.json"

    @property
    def command(self) -> str:
        return f"python -m ganmath claim {self.name}"


CLAIMS = {claim.name: claim for claim in (
    Claim("convergence", "Algorithm 1 with the defaults brings N(4, 0.5) to JS < 0.01 nats in 3,000 iterations",
          _CONVERGENCE, _convergence_runs, _convergence_summary, _convergence_fingerprint),
    Claim("saturation", "from a strong D, the minimax loss saturates and the non-saturating one does not",
          _SATURATION, _saturation_runs, _saturation_summary, _saturation_fingerprint),
    Claim("mode-collapse", "on two modes, how many runs drop one, by setting",
          _MODE_COLLAPSE, _mode_collapse_runs, _mode_collapse_summary, _mode_collapse_fingerprint),
)}


def _claim(name: str) -> Claim:
    if name not in CLAIMS:
        raise ValueError(f"name must be one of {tuple(CLAIMS)}, got name={name!r}")
    return CLAIMS[name]


def make_record(name: str, seeds=range(32)) -> dict:
    """Train claim ``name`` over ``seeds`` and return its record (what ``python -m ganmath claim NAME`` writes)."""
    claim = _claim(name)
    seeds = [int(seed) for seed in seeds]
    start = time.perf_counter()
    runs = claim.runs(seeds)
    seconds = time.perf_counter() - start
    command = claim.command + ("" if seeds == list(range(32)) else f" --seeds {seeds[0]}:{seeds[-1] + 1}")
    return {"claim": claim.name, "description": claim.description, "command": command, "protocol": claim.protocol,
            "seeds": [seeds[0], seeds[-1] + 1], "runs": runs, "summary": claim.summarize(runs),
            "fingerprint": claim.fingerprint(), "arithmetic": arithmetic(), "seconds": round(seconds, 1)}


def stored(name: str) -> dict:
    """The committed record of claim ``name`` (``ganmath/data/NAME.json``)."""
    return read_json(_claim(name).path)


def _values(runs, key) -> np.ndarray:
    return np.array([np.nan if run[key] is None else run[key] for run in runs], dtype=float)


def stored_convergence() -> algorithm1.Convergence:
    """The committed ``convergence`` runs as a :class:`ganmath.experiments.algorithm1.Convergence` (no population)."""
    runs = stored("convergence")["runs"]
    js = _values(runs, "js")
    threshold = _CONVERGENCE["threshold"]
    return algorithm1.Convergence(js=js, threshold=threshold, converged=rate(js < threshold),
                                  spread=spread(js[np.isfinite(js)]))


def stored_mode_collapse() -> dict:
    """The committed ``mode-collapse`` runs, one :class:`ganmath.experiments.mode_collapse.ModeCollapse` per setting
    of :data:`ganmath.experiments.mode_collapse.WHAT_HELPS` (no population)."""
    runs = stored("mode-collapse")["runs"]
    out = {}
    for name in mode_collapse.WHAT_HELPS:
        lines = [run for run in runs if run["setting"] == name]
        masses = np.array([[np.nan if m is None else m for m in run["masses"]] for run in lines], dtype=float)
        dropped = np.array([run["dropped"] for run in lines])
        out[name] = mode_collapse.ModeCollapse(masses=masses, dropped=dropped, rate=rate(dropped),
                                               threshold=_MODE_COLLAPSE["threshold"])
    return out
