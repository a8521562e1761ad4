"""The static pictures of notebook 12: the Parzen estimate with the standard error the paper reports, against the
number of samples, and four models of the same data scored by it."""

from __future__ import annotations

import math

import numpy as np

from ganmath.viz.drawing import legend_below
from ganmath.viz.render import new_figure

__all__ = ["failure_modes_figure", "parzen_study_figure"]

_ESTIMATE = "tab:purple"
_REPORTED = "black"


def parzen_study_figure(sizes, estimates: list, standard_errors: list, exact_on_test: float):
    r"""Left: every estimate minus the exact :math:`p_g`'s mean log-density on the same test points, their mean
    per size, and that mean :math:`\pm` the standard error the procedure reports (the median over repeats).
    Right: the three sizes side by side on one log axis: the bias (mean error), the spread over repeats, and
    the reported standard error.

    Parameters
    ----------
    sizes : ndarray, shape (k,)
    estimates, standard_errors : list of k arrays
        Per size, the estimate and the reported standard error of each repeat.
    exact_on_test : float
        :math:`\frac1m\sum_i \log p_g(x_i)` on the test points themselves.

    Returns
    -------
    Figure
    """
    sizes = np.asarray(sizes)
    figure, (left, right) = new_figure(1, 2, width=11.5, height=4.0)
    for n, values in zip(sizes, estimates):
        left.plot(np.full(values.size, n), values - exact_on_test, "o", color=_ESTIMATE, alpha=0.3, markersize=4,
                  label="one draw of n samples" if n == sizes[0] else None)
    means = np.array([np.mean(values) for values in estimates]) - exact_on_test
    reported = np.array([np.median(errors) for errors in standard_errors])
    left.plot(sizes, means, "-", color=_ESTIMATE, linewidth=2.0, label="mean over draws")
    # The bars sit just right of the dots, so that both stay visible.
    left.errorbar(sizes * 1.35, means, yerr=reported, fmt="none", ecolor=_REPORTED, elinewidth=1.6, capsize=4,
                  label=r"mean $\pm$ the reported standard error")
    left.axhline(0.0, color="green", linewidth=1.4, label=r"exact $p_g$ on the same test points")
    left.set_xscale("log")
    left.set_xlabel("generated samples n")
    left.set_ylabel("estimate − exact $p_g$ on the same points (nats)")
    left.set_title("the estimate and its reported error bar")
    legend_below(left, ncols=2, fontsize=8.5)

    spread = np.array([np.std(values, ddof=1) if values.size > 1 else math.nan for values in estimates])
    right.plot(sizes, np.abs(means), "-o", color=_ESTIMATE, linewidth=2.0, label="bias: |mean estimate − exact|")
    keep = np.isfinite(spread)
    right.plot(sizes[keep], spread[keep], "--s", color=_ESTIMATE, linewidth=1.4, markersize=4,
               label="spread over draws of the samples")
    right.plot(sizes, reported, "-D", color=_REPORTED, linewidth=1.4, markersize=4,
               label="reported standard error (test points)")
    right.set_xscale("log")
    right.set_yscale("log")
    right.set_xlabel("generated samples n")
    right.set_ylabel("nats")
    right.set_title("what the reported error measures, and what it misses")
    legend_below(right, ncols=2, fontsize=8.5)
    return figure


def failure_modes_figure(scores: dict, exact: dict, *, zoom=()):
    r"""Each model's Parzen estimate :math:`\pm` its reported standard error, beside its exact expected
    log-likelihood :math:`\mathbb E_{p_\mathrm{data}}[\log p_\mathrm{model}]` (an arrow to the left edge where it
    is :math:`-\infty`). Left: every model; right: the models named in ``zoom``, on an axis a few standard errors
    wide, where the error bars can be seen.

    Parameters
    ----------
    scores : dict[str, tuple[float, float]]
        Per model, the estimate and its standard error.
    exact : dict[str, float]
        Per model, the exact value (may be ``-inf``).
    zoom : sequence of str
        The models of the right panel (none: no right panel).

    Returns
    -------
    Figure
    """
    names = list(scores)
    zoom = [name for name in names if name in set(zoom)]
    panels = 2 if zoom else 1
    figure, axes = new_figure(1, panels, width=12.0 if zoom else 9.0, height=3.2)
    axes = np.atleast_1d(axes)
    for ax, shown in zip(axes, (names, zoom)):
        rows = np.arange(len(shown))[::-1]
        values = np.array([scores[name][0] for name in shown])
        errors = np.array([scores[name][1] for name in shown])
        finite = [exact[name] for name in shown if math.isfinite(exact[name])]
        if shown is names:
            low, high = min(min(finite), values.min()) - 0.8, max(max(finite), values.max()) + 0.4
        else:
            pad = 4.0 * errors.max()
            low, high = min(min(finite), values.min()) - pad, max(max(finite), values.max()) + pad
        ax.errorbar(values, rows + 0.12, xerr=errors, fmt="o", color=_ESTIMATE, ecolor=_REPORTED, elinewidth=1.6,
                    capsize=4, label=r"Parzen estimate $\pm$ reported standard error")
        for row, name in zip(rows, shown):
            if math.isfinite(exact[name]):
                ax.plot(exact[name], row - 0.12, "D", color="green", markersize=6)
            else:
                width = high - low
                ax.annotate("", xy=(low, row - 0.12), xytext=(low + 0.2 * width, row - 0.12),
                            arrowprops={"arrowstyle": "->", "color": "green", "linewidth": 1.6})
                ax.text(low + 0.22 * width, row - 0.12, r"$-\infty$", color="green", va="center", fontsize=10)
        ax.plot([], [], "D", color="green", label=r"exact $\mathbb{E}_{p_\mathrm{data}}[\log p_\mathrm{model}]$")
        ax.set_yticks(rows, shown)
        ax.set_ylim(rows.min() - 0.6, rows.max() + 0.6)
        ax.set_xlim(low, high)
        ax.set_xlabel("mean log-likelihood of the test data (nats)")
    axes[0].set_title("four models of the same data")
    if zoom:
        axes[1].set_title("the same, a few standard errors wide")
    legend_below(axes[0], ncols=2, fontsize=8.5)
    return figure
