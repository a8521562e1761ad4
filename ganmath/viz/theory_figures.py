r"""The theory notebooks' panels and figures (01-05): fits, D* and the integrand of C(G), the JS against the
distance, the generator costs, their slopes and the gradient through a frozen D*."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ganmath.viz.drawing import (
    crossings,
    draw_crossings,
    draw_curve,
    draw_densities,
    draw_half_level,
    draw_histogram,
    draw_level,
    legend_below,
    legend_beside,
    nice_top,
)
from ganmath.viz.palette import CURVE_STYLES, DATA_STYLE, LEVEL_STYLE, LOSS_STYLES
from ganmath.viz.render import new_figure

__all__ = [
    "draw_integrand",
    "DistanceArtists",
    "draw_js_against_distance",
    "draw_generator_costs",
    "draw_cost_slope",
    "draw_generator_gradient",
    "fit_figure",
    "discriminator_figure",
    "curves_figure",
    "survey_gaussians_figure",
    "js_distance_figure",
    "generator_cost_figure",
    "generator_gradient_figure",
]


def draw_integrand(ax, x, integrand):
    """The integrand of C(G) against x, with the level 0 (its integral is C(G)); returns the Line2D."""
    line = draw_curve(ax, x, integrand, CURVE_STYLES["integrand"])
    ax.axhline(0.0, **LEVEL_STYLE)
    ax.set_xlim(x[0], x[-1])
    ax.set_xlabel("x")
    ax.set_ylabel("integrand of C(G) (nats per unit x)")
    return line


@dataclass
class DistanceArtists:
    """The curves of the distance panels: the JS values, their slopes and W1, by name."""

    values: dict = field(default_factory=dict)
    slopes: dict = field(default_factory=dict)
    wasserstein: dict = field(default_factory=dict)


def draw_js_against_distance(ax_values, ax_slopes, d, *, js, js_slope, uniform_js, uniform_slope,
                             ax_wasserstein=None, label_x=True) -> DistanceArtists:
    """JS of two Gaussians and of two uniforms against the distance; their slopes; W1 = d on its own axes.

    Each quantity gets axes whose range holds it: W1 grows without bound and would leave the JS's axes at
    d = 1, so it is drawn on ``ax_wasserstein`` with its slope 1 (or not at all when that is None).

    Parameters
    ----------
    ax_values, ax_slopes : Axes
        The values (nats) and the slopes (nats per unit of d); may be the same axes.
    d : ndarray, shape (n,)
        Distances between the means (in units of the Gaussians' sigma and the uniforms' width).
    js, js_slope, uniform_js, uniform_slope : ndarray, shape (n,)
    ax_wasserstein : Axes, optional
    label_x : bool
        Label the x axes.

    Returns
    -------
    DistanceArtists
    """
    artists = DistanceArtists()
    artists.values["js"] = draw_curve(ax_values, d, js, CURVE_STYLES["js"])
    artists.values["uniform_js"] = draw_curve(ax_values, d, uniform_js, CURVE_STYLES["uniform_js"])
    artists.values["log2"] = draw_level(ax_values, np.log(2.0), label=r"$\log 2$", linestyle="--")
    artists.slopes["js_slope"] = draw_curve(ax_slopes, d, js_slope, CURVE_STYLES["js_slope"])
    artists.slopes["uniform_slope"] = draw_curve(ax_slopes, d, uniform_slope, CURVE_STYLES["uniform_slope"])
    top = max(0.75, 1.08 * float(np.max(uniform_slope)), 1.08 * float(np.max(js_slope)))
    if ax_values is ax_slopes:
        ax_values.set_ylim(-0.03, top)
        ax_values.set_ylabel("JS (nats), slope (nats per unit d)")
    else:
        ax_values.set_ylim(-0.03, 0.78)
        ax_values.set_ylabel("JS (nats)")
        ax_slopes.set_ylim(-0.03 * top, top)
        ax_slopes.set_ylabel("slope of the JS (nats per unit d)")
    axes = [ax_values, ax_slopes]
    if ax_wasserstein is not None:
        artists.wasserstein["wasserstein"] = draw_curve(ax_wasserstein, d, d, CURVE_STYLES["wasserstein"])
        artists.wasserstein["wasserstein_slope"] = draw_curve(ax_wasserstein, d, np.ones_like(d),
                                                              CURVE_STYLES["wasserstein_slope"])
        ax_wasserstein.set_ylim(-0.03 * d[-1], 1.05 * d[-1])
        ax_wasserstein.set_ylabel(r"$W_1$ (units of x), and its slope")
        axes.append(ax_wasserstein)
    for ax in axes:
        ax.set_xlim(d[0], d[-1])
        if label_x:
            ax.set_xlabel(r"distance between the means $d$")
    return artists


def draw_generator_costs(ax, d_values, costs: dict, *, ylabel="generator cost", ylim=(-5.0, 5.0)) -> dict:
    """Generator costs (or their slopes) against D(G(z)) in (0, 1), one line per loss.

    Parameters
    ----------
    ax : Axes
    d_values : ndarray, shape (n,)
        D(G(z)) in (0, 1).
    costs : dict[str, ndarray]
        Loss name (a key of ``LOSS_STYLES``) -> values on ``d_values``.

    Returns
    -------
    dict[str, Line2D]
    """
    lines = {loss: draw_curve(ax, d_values, values, LOSS_STYLES[loss]) for loss, values in costs.items()}
    ax.axhline(0.0, **LEVEL_STYLE)
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(*ylim)
    ax.set_xlabel(r"$D(G(z))$")
    ax.set_ylabel(ylabel)
    return lines


def draw_cost_slope(ax, logits, slope, loss: str, *, ylim=(1e-35, 10.0)):
    """The size of one generator cost's slope in D's logit a, on a log scale, against a; returns the Line2D.

    One loss per axes: minimax and maximum likelihood share the slope :math:`e^a` far left, so on one axes
    their lines would lie on top of each other.

    Parameters
    ----------
    ax : Axes
    logits : ndarray, shape (n,)
        D's logit a at a generated sample (:math:`D = \\sigma(a)`).
    slope : ndarray, shape (n,)
        :math:`|d\\,\\mathrm{cost}/da|` on ``logits`` (positive).
    loss : str
        A key of ``LOSS_STYLES``.
    """
    line = draw_curve(ax, logits, slope, LOSS_STYLES[loss])
    ax.set_yscale("log")
    ax.set_xlim(logits[0], logits[-1])
    ax.set_ylim(*ylim)
    ax.set_xlabel(r"logit $a$ of $D(G(z)) = \sigma(a)$")
    ax.set_ylabel(r"$|d\,\mathrm{cost}/da|$")
    return line


def draw_generator_gradient(ax, d, gradient, loss: str, *, ylim=None, log=False):
    """One cost's gradient through the frozen D* against the distance; returns the Line2D.

    Parameters
    ----------
    ax : Axes
    d : ndarray, shape (n,)
        Distances of :math:`p_g = \\mathcal N(d, 1)` from :math:`p_\\mathrm{data} = \\mathcal N(0, 1)`.
    gradient : ndarray, shape (n,)
    loss : str
        A key of ``LOSS_STYLES``.
    ylim : tuple of float, optional
        The range of ``gradient`` with a margin by default.
    log : bool
        A logarithmic y axis (values that are not positive are not drawn), so that axes given one ``ylim``
        show the ratio of the gradients they hold.
    """
    gradient = np.asarray(gradient, dtype=float)
    if log:
        line = draw_curve(ax, d, np.where(gradient > 0, gradient, np.nan), LOSS_STYLES[loss])
        ax.set_yscale("log")
        if ylim is None:
            positive = gradient[gradient > 0]
            ylim = (0.3 * float(np.min(positive)), 3.0 * float(np.max(positive)))
    else:
        line = draw_curve(ax, d, gradient, LOSS_STYLES[loss])
        ax.axhline(0.0, **LEVEL_STYLE)
        if ylim is None:
            top = float(np.max(gradient))
            ylim = (-0.04 * top, 1.08 * top)
    ax.set_xlim(d[0], d[-1])
    ax.set_ylim(*ylim)
    ax.set_xlabel(r"distance $d$ of $p_g = \mathcal{N}(d, 1)$ from $p_\mathrm{data} = \mathcal{N}(0, 1)$")
    ax.set_ylabel("gradient through D*" + (" (log scale)" if log else ""))
    return line


# ---------------------------------------------------------------------------------------------------------
# Notebook figures
# ---------------------------------------------------------------------------------------------------------


def fit_figure(x, data, samples, fits: dict, *, title=None):
    """Data density, samples and fitted normal models (notebook 1).

    Parameters
    ----------
    x : ndarray, shape (n,)
    data : ndarray, shape (n,)
        p_data on x.
    samples : ndarray, shape (m,)
    fits : dict[str, tuple[ndarray, dict]]
        Legend label -> (model density on x, line style).
    title : str, optional

    Returns
    -------
    Figure
    """
    figure, ax = new_figure(width=11.0, height=3.8)
    draw_histogram(ax, samples, bins=50, range=(x[0], x[-1]), label=f"{len(samples)} samples of $p_\\mathrm{{data}}$")
    ax.plot(x, data, **DATA_STYLE)
    for label, (values, style) in fits.items():
        ax.plot(x, values, **{**style, "label": label})
    ax.set_xlabel("x")
    ax.set_ylabel("density")
    ax.set_xlim(x[0], x[-1])
    legend_beside(ax)
    if title:
        ax.set_title(title)
    return figure


def discriminator_figure(x, data, generator, discriminator, integrand, *, smoothed=None, title=None,
                         integrand_title=None):
    """p_data, p_g and D* on the left, with the level D = 1/2 and the points where the densities cross; the
    integrand of C(G) = V(D*, G) on the right (notebook 3).

    Parameters
    ----------
    x : ndarray, shape (n,)
        A grid that holds both densities (its ends are the x-range).
    data, generator, discriminator, integrand : ndarray, shape (n,)
        p_data, p_g, D* and :math:`p_\\mathrm{data}\\log D^* + p_g\\log(1 - D^*)` on x.
    smoothed : ndarray, shape (n,), optional
        The label-smoothed optimum.
    title, integrand_title : str, optional

    Returns
    -------
    Figure
    """
    figure, (left, right) = new_figure(1, 2, width=11.0, height=4.3)
    draw_densities(left, x, data=data, generator=generator, discriminator=discriminator, smoothed=smoothed)
    draw_half_level(left)
    draw_crossings(left, crossings(x, data, generator))
    left.set_xlim(x[0], x[-1])
    left.set_ylim(0.0, max(1.05, nice_top(1.08 * max(np.max(data), np.max(generator)), 0.25)))
    legend_below(left, ncols=3)
    if title:
        left.set_title(title)
    draw_integrand(right, x, integrand)
    right.set_ylim(-nice_top(-1.1 * float(np.min(integrand)), 0.05), 0.02)
    if integrand_title:
        right.set_title(integrand_title)
    return figure


def curves_figure(x, curves: dict, *, xlabel: str, ylabel: str, title=None, levels=None, points=None,
                  width=9.0, height=3.8):
    """Several curves against one variable on one axes, with reference levels and checked points; the legend
    beside the axes.

    Parameters
    ----------
    x : ndarray, shape (n,)
    curves : dict[str, tuple[ndarray, dict]]
        Legend label -> (y on x, line style).
    xlabel, ylabel : str
    title : str, optional
    levels : dict[str, float], optional
        Legend label -> height of a horizontal reference line.
    points : dict[str, tuple[ndarray, ndarray, str]], optional
        Legend label -> (x, y, colour) of points computed another way, drawn as open circles (whole, even
        at the ends of the x-range).

    Returns
    -------
    Figure
    """
    figure, ax = new_figure(width=width, height=height)
    for label, (values, style) in curves.items():
        draw_curve(ax, x, values, style, label=label)
    for (label, height_value), linestyle in zip((levels or {}).items(), ("--", ":", "-.", (0, (1, 3)))):
        draw_level(ax, height_value, label=label, linestyle=linestyle)
    for label, (px, py, color) in (points or {}).items():
        ax.plot(px, py, "o", markerfacecolor="none", markeredgecolor=color, markersize=7, label=label, clip_on=False)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_xlim(x[0], x[-1])
    legend_beside(ax)
    if title:
        ax.set_title(title)
    return figure


def survey_gaussians_figure(x, pairs: list, titles: list):
    """Pairs of densities side by side, one panel per separation, in the order given (notebook 5 draws
    two Gaussians at increasing distances, as in the survey's picture of the JS).

    Parameters
    ----------
    x : ndarray, shape (n,)
    pairs : list of tuple[ndarray, ndarray]
        (p_data on x, p_g on x) for each panel.
    titles : list of str

    Returns
    -------
    Figure
    """
    figure, axes = new_figure(1, len(pairs), width=4.0 * len(pairs), height=3.6)
    axes = np.ravel(axes)
    for ax, (data, generator), title in zip(axes, pairs, titles):
        draw_densities(ax, x, data=data, generator=generator)
        ax.set_xlim(x[0], x[-1])
        ax.set_ylim(0.0, 1.1 * max(np.max(data), np.max(generator)))
        ax.set_title(title, fontsize=10)
    figure.legend(handles=axes[0].get_lines(), loc="outside lower center", ncols=2, fontsize=9, frameon=False)
    return figure


def js_distance_figure(d, *, js, js_slope, uniform_js, uniform_slope, titles=("", "")):
    """The flat JS (notebook 5): its values, its slopes, and W1 = d on axes of its own.

    Parameters
    ----------
    d : ndarray, shape (n,)
    js, js_slope, uniform_js, uniform_slope : ndarray, shape (n,)
    titles : tuple of str
        Two or three panel titles (values, slopes, W1); the third says W1's slope by default.

    Returns
    -------
    Figure
    """
    figure, axes = new_figure(1, 3, width=13.0, height=4.2)
    artists = draw_js_against_distance(axes[0], axes[1], d, js=js, js_slope=js_slope, uniform_js=uniform_js,
                                       uniform_slope=uniform_slope, ax_wasserstein=axes[2], label_x=False)
    titles = tuple(titles) + (r"$W_1 = d$: slope 1 at every distance",) * (3 - len(titles))
    for ax, title in zip(axes, titles):
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(r"distance $d$ ($\sigma$ = 1; uniform width 1)")
    legend_below(axes[0], ncols=2, handles=list(artists.values.values()))
    legend_below(axes[1], ncols=1, handles=list(artists.slopes.values()))
    legend_below(axes[2], ncols=1, handles=list(artists.wasserstein.values()))
    return figure


def generator_cost_figure(d_values, costs: dict, slopes: dict, *, titles=("", "")):
    """Goodfellow (2016), Figure 16: the generator costs against D(G(z)), and their slopes in D's logit.

    Returns
    -------
    Figure
    """
    figure, (left, right) = new_figure(1, 2, width=12.0, height=4.2)
    lines = draw_generator_costs(left, d_values, costs)
    draw_generator_costs(right, d_values, slopes, ylabel=r"slope $d\,\mathrm{cost}/da$, $D = \sigma(a)$",
                         ylim=(-5.0, 0.3))
    left.set_title(titles[0], fontsize=10)
    right.set_title(titles[1], fontsize=10)
    figure.legend(handles=list(lines.values()), loc="outside lower center", ncols=len(lines), fontsize=9,
                  frameon=False)
    return figure


def generator_gradient_figure(d, gradients: dict, *, title="", ratio_at=None):
    """The generator's gradient through the frozen D* against the distance, every cost on one log axis
    (notebook 5).

    One shared logarithmic axis, because the ratio of the gradients is the point: far apart the minimax one is
    orders of magnitude below the others, which separate scales would hide. The maximum-likelihood gradient is
    dashed: it lies close to the non-saturating one, which differs from it by the small minimax gradient.

    Parameters
    ----------
    d : ndarray, shape (n,)
        Distances of :math:`p_g = \\mathcal N(d, 1)` from :math:`p_\\mathrm{data} = \\mathcal N(0, 1)`.
    gradients : dict[str, ndarray]
        Loss name (a key of ``LOSS_STYLES``) -> gradient on ``d``; values that are not positive are not drawn.
    title : str
    ratio_at : float, optional
        A distance at which an arrow spans the minimax gradient to the non-saturating one, labelled with their
        ratio (both must be among ``gradients``).

    Returns
    -------
    Figure
    """
    d = np.asarray(d, dtype=float)
    figure, ax = new_figure(width=10.0, height=4.2)
    positive = []
    for loss, gradient in gradients.items():
        gradient = np.asarray(gradient, dtype=float)
        shown = np.where(gradient > 0, gradient, np.nan)
        overrides = {"linestyle": "--"} if loss == "maximum-likelihood" else {}
        draw_curve(ax, d, shown, LOSS_STYLES[loss], **overrides)
        positive.append(gradient[gradient > 0])
    positive = np.concatenate(positive)
    ax.set_yscale("log")
    ax.set_ylim(0.3 * float(np.min(positive)), 3.0 * float(np.max(positive)))
    ax.set_xlim(d[0], d[-1])
    if ratio_at is not None:
        low = float(np.interp(ratio_at, d, gradients["minimax"]))
        high = float(np.interp(ratio_at, d, gradients["non-saturating"]))
        ax.annotate("", xy=(ratio_at, high), xytext=(ratio_at, low),
                    arrowprops={"arrowstyle": "<->", "color": "0.3", "linewidth": 1.2})
        ax.text(ratio_at, float(np.sqrt(low * high)), f"  ratio {high / low:,.0f}", color="0.2", fontsize=10,
                va="center", ha="left")
    ax.set_xlabel(r"distance $d$ of $p_g = \mathcal{N}(d, 1)$ from $p_\mathrm{data} = \mathcal{N}(0, 1)$")
    ax.set_ylabel("gradient through D* (log scale)")
    legend_beside(ax)
    if title:
        ax.set_title(title, fontsize=10)
    return figure
