"""The static picture of notebook 13: exact JS and W1 along one run per objective, and the runs that reach the data."""

from __future__ import annotations

import numpy as np

from ganmath.viz.plots import new_figure

__all__ = ["disjoint_start_figure"]

_COLOURS = {"minimax": "tab:red", "non-saturating": "tab:orange", "wasserstein": "tab:blue"}


def disjoint_start_figure(paths: dict, checkpoints, reached: dict):
    """Left: exact JS along one run per objective, with log 2. Middle: exact W1. Right: the fraction of runs whose
    median sample lies in the data's support at each checkpoint, with 95% Wilson intervals.

    Parameters
    ----------
    paths : dict[str, object with ``iterations``, ``js``, ``w1`` arrays]
    checkpoints : ndarray of int
    reached : dict[str, list of Rate]
        One Rate per checkpoint.
    """
    figure, (left, middle, right) = new_figure(1, 3, width=12.5, height=3.6)
    for objective, path in paths.items():
        colour = _COLOURS.get(objective)
        left.plot(path.iterations, path.js, "-o", markersize=3, color=colour, label=objective)
        middle.plot(path.iterations, path.w1, "-o", markersize=3, color=colour, label=objective)
    left.axhline(np.log(2.0), color="0.5", linestyle="--", linewidth=1.0, label="log 2 (disjoint)")
    left.set_ylim(0.0, 1.05)
    left.set_xlabel("iteration")
    left.set_ylabel(r"exact JS($p_\mathrm{data}, p_g$)")
    left.legend(fontsize=8, loc="upper right", ncols=2)
    middle.set_xlabel("iteration")
    middle.set_ylabel(r"exact $W_1(p_\mathrm{data}, p_g)$")
    middle.legend(fontsize=8, loc="upper right")
    offsets = np.linspace(-0.02, 0.02, len(reached)) * (checkpoints[-1] - checkpoints[0] + 1)
    for offset, (objective, rates) in zip(offsets, reached.items()):
        fractions = np.array([r.fraction for r in rates])
        low = fractions - np.array([r.low for r in rates])
        high = np.array([r.high for r in rates]) - fractions
        right.errorbar(np.asarray(checkpoints) + offset, fractions, yerr=[low, high], fmt="-o", markersize=4,
                       capsize=3, color=_COLOURS.get(objective), label=objective)
    right.set_ylim(-0.05, 1.6)
    right.set_yticks([0.0, 0.25, 0.5, 0.75, 1.0])
    right.set_xlabel("iteration")
    right.set_ylabel("runs with median sample in [0, 1]")
    right.legend(fontsize=8, loc="upper left")
    return figure
