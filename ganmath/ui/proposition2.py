r"""The slider of notebook 11: Proposition 2 in function space against descent in a parametric family.

:func:`proposition2_sliders` takes a step size :math:`\eta` and a parametric family. For that :math:`\eta` it runs the
exponentiated-gradient descent of :math:`p_g` as a histogram (D* exact at every step) and gradient descent of
:math:`C(\theta)` in the family from one fixed start, and draws the two final :math:`p_g` against the data and the two
gaps :math:`C + \log 4` against the step.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ganmath.core import histogram
from ganmath.core.densities import Density, Normal
from ganmath.experiments import proposition2 as p2
from ganmath.ui.panel import SLIDER_STYLE, SliderPanel, slider
from ganmath.viz import palette, render

__all__ = ["proposition2_sliders"]

# Gaps are drawn on a log axis; a gap at rounding level (it can round to 0 or below) is drawn at this floor.
_GAP_FLOOR = 1e-16


def proposition2_sliders(p_data: Density = p2.TARGET, *, start: Density | None = None, n_bins: int = 40,
                         x_range=(-4.0, 4.0), n_steps: int = 60, parametric_steps: int = 300,
                         seed: int = 0) -> SliderPanel:
    r"""Sliders for the step size and the parametric family of notebook 11.

    Parameters
    ----------
    p_data : Density
        The target (two modes by default); binned on ``n_bins`` bins over ``x_range`` for the function-space run.
    start : Density, optional
        The function-space start, binned (``Normal(1.5, 0.5)`` by default: one mode only).
    n_steps, parametric_steps : int
        Steps of the function-space and the parametric descent.
    seed : int
        The parametric start, ``family.initial(np.random.default_rng(seed), 1)``.

    Returns
    -------
    SliderPanel
        ``result``: ``functional_gap`` and ``parametric_gap`` (the gaps after the last step, arrays over the steps)
        and ``monotone`` (whether the function-space C never rose).
    """
    edges = np.linspace(*x_range, n_bins + 1)
    data_histogram = histogram.histogram_of(p_data, edges)
    start_histogram = histogram.histogram_of(Normal(1.5, 0.5) if start is None else start, edges)
    families = {name: p2.FAMILIES[name](p_data, panels=64) for name in p2.FAMILIES}
    starts = {name: family.initial(np.random.default_rng(seed), 1)[0] for name, family in families.items()}
    x = np.linspace(*x_range, 801)

    figure, (left, right) = render.widget_figure(1, 2, width=11.5, height=4.4, top=0.78, bottom=0.13, wspace=0.28)
    left.plot(x, p_data.pdf(x), **palette.DATA_STYLE)
    (functional_line,) = left.step(edges, np.append(data_histogram.masses / np.diff(edges), 0.0), where="post",
                                   color="green", linewidth=2.0, label=r"$p_g$ as a histogram, last step")
    (parametric_line,) = left.plot(x, np.zeros_like(x), color="tab:orange", linewidth=2.0,
                                   label=r"$p_g$ of $G_\theta$, last step")
    left.set_xlim(*x_range)
    left.set_ylim(0.0, 0.75)
    left.set_xlabel("x")
    left.set_ylabel("density")
    left.legend(loc="upper center", ncols=3, fontsize=8, bbox_to_anchor=(0.5, 1.0))

    (functional_gap,) = right.semilogy([0, n_steps], [1, 1], color="green", linewidth=2.0,
                                       label="function space (histogram)")
    (parametric_gap,) = right.semilogy([0, parametric_steps], [1, 1], color="tab:orange", linewidth=2.0,
                                       label=r"parameter space ($\theta$)")
    right.set_xlim(0, parametric_steps)
    right.set_ylim(1e-16, 3.0)
    right.set_xlabel("step")
    right.set_ylabel(r"$C(G) + \log 4 = 2\,\mathrm{JS}$")
    right.legend(loc="lower left", fontsize=8)
    renderer = render.FigureRenderer(figure, [functional_line, parametric_line, functional_gap, parametric_gap,
                                             left.title, right.title])

    def update(step, family):
        path = p2.functional_descent(data_histogram, start_histogram, step=step, n_steps=n_steps)
        last = path.density()
        functional_line.set_ydata(np.append(last.masses / np.diff(edges), 0.0))
        functional_gap.set_data(np.arange(n_steps + 1), np.maximum(path.gap, _GAP_FLOOR))
        chosen = families[family]
        descent = p2.parametric_descent(chosen, starts[family], step=step, n_steps=parametric_steps,
                                        record_every=parametric_steps)
        theta = descent.theta[-1, 0]
        with np.errstate(all="ignore"):
            parametric_values = chosen.generator_density(theta).pdf(x)
        parametric_line.set_ydata(np.where(np.isfinite(parametric_values), parametric_values, 0.0))
        gaps = descent.gap[:, 0]
        parametric_gap.set_data(np.arange(gaps.size), np.maximum(gaps, _GAP_FLOOR))
        monotone = bool(np.all(np.diff(path.criterion) <= 1e-15))
        left.set_title(f"η = {step:.2f}; function space after {n_steps} steps: 2 JS = {max(path.gap[-1], 0.0):.2e}\n"
                       f"{chosen.name} after {parametric_steps} steps: 2 JS = {gaps[-1]:.3f}", fontsize=10)
        right.set_title("C(G) never rose in function space" if monotone else
                        f"C(G) rose at some step in function space (η = {step:.2f} > 1)", fontsize=10)
        return {"functional_gap": path.gap, "parametric_gap": gaps, "monotone": monotone}

    controls = {
        "step": slider("step size η", 0.5, 0.05, 2.0, 0.05),
        "family": widgets.Dropdown(options=list(families), value="MLP", description="family",
                                   style=SLIDER_STYLE),
    }
    return SliderPanel(controls, renderer, update)

