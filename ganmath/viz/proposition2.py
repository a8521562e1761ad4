r"""The static pictures of notebook 11 (Proposition 2): C along a segment in :math:`\theta` against its chord, and the
final gaps of descent in :math:`\theta` over seeds."""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps

from ganmath.viz.render import new_figure

__all__ = ["final_gap_figure", "functional_descent_figure", "segment_figure"]


def functional_descent_figure(x, data, edges, masses_by_step: dict, gaps_by_step_size: dict, *, parametric=None):
    """Left: p_data and the histogram p_g at a few steps. Right: the gap C + log 4 against the step, per step size.
    With ``parametric``, one descent in a parametric family beside them (orange): its last p_g and its gaps.

    Parameters
    ----------
    x, data : ndarray, shape (n,)
        A grid and p_data on it.
    edges : ndarray, shape (k + 1,)
    masses_by_step : dict[int, ndarray of shape (k,)]
        Step -> bin masses of p_g.
    gaps_by_step_size : dict[float, ndarray]
        Step size -> the gap at every step (values at rounding level or below are drawn at 1e-16).
    parametric : tuple (label, ndarray of shape (n,), ndarray), optional
        A name for the run, its last p_g on ``x``, and its gap at every step.
    """
    figure, (left, right) = new_figure(1, 2, width=11.5, height=3.8)
    left.plot(x, data, color="black", linestyle=":", linewidth=2.2, label=r"$p_\mathrm{data}$")
    # Function space in greens, lighter early (left) and for small steps (right); a parametric run in orange.
    for shade, (step, masses) in zip(colormaps["Greens"](np.linspace(0.35, 1.0, len(masses_by_step))),
                                     masses_by_step.items()):
        left.step(edges, np.append(masses / np.diff(edges), 0.0), where="post", linewidth=1.6, color=shade,
                  label=f"$p_g$ after {step} steps")
    top = max(np.max(data), max(np.max(m / np.diff(edges)) for m in masses_by_step.values()))
    if parametric is not None:
        label, density, parametric_gaps = parametric
        left.plot(x, density, color="tab:orange", linewidth=1.8, label=label)
        top = max(top, float(np.max(density)))
    left.set_xlabel("x")
    left.set_ylabel("density")
    left.set_ylim(0.0, 1.1 * top)
    left.legend(fontsize=8, loc="upper left")
    for shade, (step_size, gaps) in zip(colormaps["Greens"](np.linspace(0.4, 1.0, len(gaps_by_step_size))),
                                        gaps_by_step_size.items()):
        right.semilogy(np.arange(len(gaps)), np.maximum(gaps, 1e-16), linewidth=1.8, color=shade,
                       label=f"function space, η = {step_size:g}")
    if parametric is not None:
        right.semilogy(np.arange(len(parametric_gaps)), np.maximum(parametric_gaps, 1e-16), color="tab:orange",
                       linewidth=2.2, linestyle="--", label=label)
    right.set_xlabel("step")
    right.set_ylabel(r"$C(G) + \log 4$")
    right.set_ylim(1e-16, 5.0)
    right.legend(fontsize=8, loc="center right")
    return figure


def segment_figure(weights, curves: dict):
    r"""C along segments :math:`\theta(\lambda) = (1 - \lambda)\theta_a + \lambda\theta_b` against their chords.

    Parameters
    ----------
    weights : ndarray, shape (n,)
    curves : dict[str, tuple of two ndarrays of shape (n,)]
        Title -> (C along the segment, the chord); one panel each.
    """
    figure, axes = new_figure(1, len(curves), width=5.6 * len(curves), height=3.6)
    axes = np.atleast_1d(axes)
    for ax, (title, (criterion, chord)) in zip(axes, curves.items()):
        ax.plot(weights, criterion, color="tab:red", linewidth=2.0, label=r"$C(\theta(\lambda))$")
        ax.plot(weights, chord, color="0.4", linestyle="--", linewidth=1.4, label="chord")
        ax.axhline(-np.log(4.0), color="0.6", linewidth=0.9, label=r"$-\log 4$")
        ax.set_xlabel(r"$\lambda$")
        ax.set_ylabel(r"$C$")
        ax.set_title(title, fontsize=10)
        low = min(-np.log(4.0), float(np.min(criterion)))
        ax.set_ylim(low - 0.25, max(float(np.max(criterion)), float(np.max(chord))) + 0.08)
        ax.legend(fontsize=8, loc="lower center", ncols=3)
    return figure


def final_gap_figure(final_gaps: dict, threshold: float):
    """The gap C + log 4 after the last step, one dot per seed, one column per family, with the threshold."""
    figure, ax = new_figure(1, 1, width=6.0, height=3.4)
    for column, (name, gaps) in enumerate(final_gaps.items()):
        gaps = np.asarray(gaps)
        jitter = np.linspace(-0.18, 0.18, gaps.size)
        ax.plot(column + jitter, gaps, "o", markersize=5, alpha=0.75, label=f"{name} ({gaps.size} seeds)")
    ax.axhline(threshold, color="0.5", linestyle="--", linewidth=1.0, label=f"stalled above {threshold:g}")
    ax.set_xticks(range(len(final_gaps)), list(final_gaps))
    ax.set_xlim(-0.6, len(final_gaps) - 0.4)
    ax.set_ylim(0.0, 1.25 * max(float(np.max(g)) for g in final_gaps.values()))
    ax.set_ylabel(r"$C + \log 4$ after the last step")
    ax.legend(fontsize=8, loc="lower left")
    return figure
