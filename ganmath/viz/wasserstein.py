"""The static pictures of notebook 13: the saturating optimal discriminator against the linear optimal critic (the WGAN
paper's Figure 2), and exact JS and W1 along one run per objective with the runs that reach the data."""

from __future__ import annotations

import numpy as np

from ganmath.viz.drawing import legend_below
from ganmath.viz.palette import DATA_STYLE, DISCRIMINATOR_STYLE, GENERATOR_STYLE
from ganmath.viz.render import new_figure

__all__ = ["disjoint_start_figure", "saturation_contrast_figure"]

_COLOURS = {"minimax": "tab:red", "non-saturating": "tab:orange", "wasserstein": "tab:blue"}
_LABELS = {"minimax": "minimax GAN", "non-saturating": "non-saturating GAN", "wasserstein": "WGAN (critic)"}
_CRITIC = {"color": "tab:cyan", "linewidth": 2.2}


def saturation_contrast_figure(contrast, p_data, p_g):
    r"""(a) :math:`p_\mathrm{data}`, :math:`p_g` and the optimal discriminator :math:`D^*`; (b) the optimal critic
    :math:`f^*`; (c) the size of the generator's gradient at x from each, on one log axis, with :math:`p_g`'s bulk
    shaded.

    Parameters
    ----------
    contrast : SaturationContrast
        From :func:`ganmath.experiments.wasserstein.saturation_contrast`.
    p_data, p_g : Density
        The two densities it was computed for.

    Returns
    -------
    Figure
    """
    x = contrast.x
    figure, (left, middle, right) = new_figure(1, 3, width=13.0, height=4.0)
    densities = (p_data.pdf(x), p_g.pdf(x))
    for ax in (left, middle):
        ax.plot(x, densities[0], **DATA_STYLE)
        ax.plot(x, densities[1], **GENERATOR_STYLE)
    left.plot(x, contrast.discriminator, **{**DISCRIMINATOR_STYLE, "label": r"optimal discriminator $D^*$"})
    left.set_ylabel(r"density, and $D^*(x)$")
    left.set_title("(a) the optimal discriminator saturates")
    centre = np.interp(p_data.mean, x, contrast.critic)
    critic_axis = middle.twinx()
    critic_axis.plot(x, contrast.critic - centre, **_CRITIC, label=r"optimal critic $f^*$ (right axis)")
    critic_axis.set_ylabel(r"$f^*(x)$, 0 at the data's mean", color=_CRITIC["color"])
    middle.set_ylabel("density")
    middle.set_title("(b) the optimal critic is linear")
    styles = {"minimax": {"color": "tab:red", "linewidth": 2.0, "label": r"minimax, $\log(1 - D^*)$"},
              "non-saturating": {"color": "tab:purple", "linestyle": "--", "linewidth": 1.6,
                                 "label": r"non-saturating, $-\log D^*$"},
              "wasserstein": {**_CRITIC, "label": r"critic, $-f^*$"}}
    for objective, gradient in contrast.gradients.items():
        right.plot(x, np.abs(gradient), **styles[objective])
    bulk = (p_g.mean - 2 * p_g.std, p_g.mean + 2 * p_g.std)
    right.axvspan(*bulk, color="green", alpha=0.12, label=r"where $p_g$ has its mass ($\pm 2$ sd)")
    # The three values at p_g's mean, written beside their dots.
    at = int(np.argmin(np.abs(x - p_g.mean)))
    for objective, gradient in contrast.gradients.items():
        size = abs(float(gradient[at]))
        right.plot(x[at], size, "o", color=styles[objective]["color"], markersize=6)
        right.annotate(f"{size:.1e}" if size < 0.01 else f"{size:.3g}", (x[at], size), xytext=(6, 4),
                       textcoords="offset points", fontsize=9, color=styles[objective]["color"])
    right.set_yscale("log")
    right.set_ylim(1e-18, 1e3)
    right.set_ylabel("|d cost / dx| at a generated sample x")
    right.set_title("(c) the gradient each hands the generator")
    for ax in (left, middle, right):
        ax.set_xlim(x[0], x[-1])
        ax.set_xlabel("x")
    legend_below(left, ncols=2, fontsize=8.5)
    handles = middle.get_legend_handles_labels()[0] + critic_axis.get_legend_handles_labels()[0]
    legend_below(middle, ncols=2, fontsize=8.5, handles=handles)
    legend_below(right, ncols=2, fontsize=8.5)
    return figure


def disjoint_start_figure(paths: dict, checkpoints, reached: dict):
    """(a) Exact JS along one run per objective, with log 2. (b) Exact W1. (c) The fraction of runs whose median
    sample lies in the data's support at each checkpoint, with 95% Wilson intervals. One legend, below.

    Parameters
    ----------
    paths : dict[str, object with ``iterations``, ``js``, ``w1`` arrays]
    checkpoints : ndarray of int
    reached : dict[str, list of Rate]
        One Rate per checkpoint.

    Returns
    -------
    Figure
    """
    figure, (left, middle, right) = new_figure(1, 3, width=12.5, height=3.9)
    for objective, path in paths.items():
        colour = _COLOURS.get(objective)
        left.plot(path.iterations, path.js, "-o", markersize=3, color=colour, label=_LABELS.get(objective, objective))
        middle.plot(path.iterations, path.w1, "-o", markersize=3, color=colour)
    left.axhline(np.log(2.0), color="0.5", linestyle="--", linewidth=1.0, label="log 2 (disjoint supports)")
    left.set_ylim(0.0, 0.8)
    left.set_xlabel("iteration")
    left.set_ylabel(r"exact JS($p_\mathrm{data}, p_g$)")
    left.set_title("(a) exact JS, seed 0")
    middle.set_xlabel("iteration")
    middle.set_ylabel(r"exact $W_1(p_\mathrm{data}, p_g)$")
    middle.set_title("(b) exact $W_1$, seed 0")
    offsets = np.linspace(-0.02, 0.02, len(reached)) * (checkpoints[-1] - checkpoints[0] + 1)
    for offset, (objective, rates) in zip(offsets, reached.items()):
        fractions = np.array([r.fraction for r in rates])
        low = fractions - np.array([r.low for r in rates])
        high = np.array([r.high for r in rates]) - fractions
        right.errorbar(np.asarray(checkpoints) + offset, fractions, yerr=[low, high], fmt="-o", markersize=4,
                       capsize=3, color=_COLOURS.get(objective))
    right.set_ylim(-0.05, 1.05)
    right.set_xlabel("iteration")
    right.set_ylabel("fraction of runs at the data")
    right.set_title(f"(c) median sample in [0, 1], {rates[0].trials} seeds")
    figure.legend(handles=left.get_legend_handles_labels()[0], loc="outside lower center", ncols=4, fontsize=9,
                  frameon=False)
    return figure
