r"""The pictures of the minimax game: the Dirac GAN's vector field with the paths of gradient play, the bilinear game's
spiral, and min-max against max-min (the generator's best response to a frozen optimal discriminator).

The functions that draw into a given Axes return their artists, so that a slider can move them
(:mod:`ganmath.ui.game`); the figure functions lay those panels out for a notebook cell. Every axis is labelled and
every legend sits outside the axes.
"""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import FormatStrFormatter

from ganmath.viz.drawing import legend_below
from ganmath.viz.palette import (
    DATA_STYLE,
    DISCRIMINATOR_STYLE,
    GENERATOR_STYLE,
    LEVEL_STYLE,
)
from ganmath.viz.render import new_figure

__all__ = [
    "PLAY_STYLES",
    "PREDICTION_STYLE",
    "draw_vector_field",
    "move_vector_field",
    "draw_play",
    "play_handles",
    "draw_start",
    "draw_equilibrium",
    "label_plane",
    "draw_distance",
    "dirac_game_figure",
    "bilinear_figure",
    "minmax_figure",
]

PLAY_STYLES = {
    "simultaneous": {"color": "tab:red", "linestyle": "-", "linewidth": 1.6, "label": "simultaneous steps"},
    "alternating": {"color": "tab:blue", "linestyle": "-", "linewidth": 1.6, "label": "alternating steps"},
    "penalized": {"color": "tab:green", "linestyle": "-", "linewidth": 1.6,
                  "label": "with the gradient penalty"},
}
PREDICTION_STYLE = {"color": "black", "linestyle": "--", "linewidth": 1.1}
FIELD_STYLE = {"color": "0.62", "width": 0.0032, "headwidth": 4.0, "headlength": 4.5, "headaxislength": 4.0,
               "pivot": "middle", "zorder": 1}
EQUILIBRIUM_STYLE = {"marker": "*", "markersize": 13, "color": "black", "markeredgecolor": "white",
                     "linestyle": "none", "zorder": 6, "label": "equilibrium (0, 0)"}
START_STYLE = {"marker": "o", "markersize": 7, "color": "white", "markeredgecolor": "black", "linestyle": "none",
               "zorder": 6, "label": "start"}
BEST_RESPONSE_STYLE = {"color": "tab:orange", "linewidth": 2.4}


# ---------------------------------------------------------------------------------------------------------
# Panels
# ---------------------------------------------------------------------------------------------------------


def _directions(v_u, v_w, spacing: float):
    """Arrows of one length (a fraction of the grid spacing) in the direction of the field; 0 where it is 0."""
    v_u, v_w = np.asarray(v_u, dtype=float), np.asarray(v_w, dtype=float)
    size = np.hypot(v_u, v_w)
    scale = np.divide(0.8 * spacing, size, out=np.zeros_like(size), where=size > 0)
    return v_u * scale, v_w * scale


def draw_vector_field(ax, u, w, v_u, v_w):
    r"""The direction of a game's vector field as grey arrows of one length on the grid ``u`` x ``w``.

    Parameters
    ----------
    ax : Axes
    u, w : ndarray, shape (n,) and (m,)
        Evenly spaced grids of the minimizing (horizontal) and the maximizing (vertical) player's parameter.
    v_u, v_w : ndarray, shape (m, n)
        The field's components on ``np.meshgrid(u, w)``.

    Returns
    -------
    Quiver
        Move it with :func:`move_vector_field`.
    """
    spacing = float(min(np.diff(u).min(), np.diff(w).min()))
    du, dw = _directions(v_u, v_w, spacing)
    grid_u, grid_w = np.meshgrid(u, w)
    quiver = ax.quiver(grid_u, grid_w, du, dw, angles="xy", scale_units="xy", scale=1.0, **FIELD_STYLE)
    quiver.grid_spacing = spacing
    return quiver


def move_vector_field(quiver, v_u, v_w) -> None:
    """Point the arrows of :func:`draw_vector_field` along a new field on the same grid."""
    quiver.set_UVC(*_directions(v_u, v_w, quiver.grid_spacing))


def draw_play(ax, points, style: dict, **overrides):
    """The path of gradient play through the plane, ``points`` of shape (n + 1, 2); returns the Line2D."""
    points = np.asarray(points, dtype=float)
    (line,) = ax.plot(points[:, 0], points[:, 1], **{**style, "zorder": 3, **overrides})
    return line


def play_handles() -> list:
    """Legend entries for the three colours of :data:`PLAY_STYLES`, for a figure whose path changes colour."""
    return [Line2D([], [], **style) for style in PLAY_STYLES.values()]


def draw_start(ax, point, **overrides):
    """A white circle at the start of play; returns the Line2D."""
    (marker,) = ax.plot([point[0]], [point[1]], **{**START_STYLE, **overrides})
    return marker


def draw_equilibrium(ax, **overrides):
    """A black star at the equilibrium (0, 0); returns the Line2D."""
    (marker,) = ax.plot([0.0], [0.0], **{**EQUILIBRIUM_STYLE, **overrides})
    return marker


def label_plane(ax, minimizer: str, maximizer: str, limits) -> None:
    """Axis labels for the two players' parameters, equal scales, and the square window ``limits`` on both axes."""
    ax.set_xlabel(minimizer)
    ax.set_ylabel(maximizer)
    ax.set_xlim(*limits)
    ax.set_ylim(*limits)
    ax.set_aspect("equal", adjustable="box")


def draw_distance(ax, steps, distance, style: dict, **overrides):
    """The distance to the equilibrium against the step on a log scale; returns the Line2D."""
    (line,) = ax.semilogy(steps, distance, **{**style, **overrides})
    return line


def _distance_axes(ax, xlabel: str, ylim) -> None:
    ax.set_xlabel(xlabel)
    ax.set_ylabel("distance to the equilibrium")
    ax.set_ylim(*ylim)
    ax.axhline(1.0, **{**LEVEL_STYLE, "linewidth": 0.6})


# ---------------------------------------------------------------------------------------------------------
# Notebook figures
# ---------------------------------------------------------------------------------------------------------


def dirac_game_figure(theta, psi, portraits: dict, distances: dict, *, predictions: dict | None = None,
                      limits=(-3.0, 3.0), distance_ylim=(1e-4, 10.0)):
    r"""Three ways to play the Dirac GAN: each path over its vector field, and the three distances to the equilibrium.

    Parameters
    ----------
    theta, psi : ndarray, shape (n,) and (m,)
        The arrows' grid.
    portraits : dict[str, tuple]
        A key of :data:`PLAY_STYLES` -> ``(title, v_theta, v_psi, points)``: the panel's title, the field on
        ``np.meshgrid(theta, psi)`` (shape (m, n)) and the path, shape (steps + 1, 2). Up to three.
    distances : dict[str, ndarray]
        A key of :data:`PLAY_STYLES` -> the distance to the equilibrium at each generator step.
    predictions : dict[str, ndarray], optional
        A key -> the linearized game's distance at each step, drawn dashed.
    limits : tuple of float
        The window of the planes, on both axes.
    distance_ylim : tuple of float

    Returns
    -------
    Figure
    """
    figure, axes = new_figure(2, 2, width=10.5, height=10.0)
    planes = list(axes.ravel()[:3])
    for ax, (key, (title, v_theta, v_psi, points)) in zip(planes, portraits.items()):
        draw_vector_field(ax, theta, psi, v_theta, v_psi)
        draw_play(ax, points, PLAY_STYLES[key])
        draw_start(ax, points[0])
        draw_equilibrium(ax)
        label_plane(ax, r"generator's parameter $\theta$", r"discriminator's parameter $\psi$", limits)
        ax.set_title(title, fontsize=10)
        legend_below(ax, ncols=2, fontsize=8, drop=0.45)
    for ax in planes[len(portraits):]:
        ax.set_visible(False)
    ax = axes[1, 1]
    for key, distance in distances.items():
        draw_distance(ax, np.arange(len(distance)), distance, PLAY_STYLES[key])
    for key, predicted in (predictions or {}).items():
        draw_distance(ax, np.arange(len(predicted)), predicted, PREDICTION_STYLE,
                      color=PLAY_STYLES[key]["color"], label=f"{PLAY_STYLES[key]['label']}, linearized game")
    _distance_axes(ax, "generator step", distance_ylim)
    ax.set_title("distance to the equilibrium", fontsize=10)
    legend_below(ax, ncols=1, fontsize=8, drop=0.45)
    return figure


def bilinear_figure(x, y, v_x, v_y, points, distance, predicted, *, title="", limits=(-3.0, 3.0)):
    r"""The bilinear game :math:`V = xy` played by simultaneous steps: the spiral over the field, and its distance
    to (0, 0) against the closed form.

    Parameters
    ----------
    x, y : ndarray, shape (n,) and (m,)
        The arrows' grid.
    v_x, v_y : ndarray, shape (m, n)
    points : ndarray, shape (steps + 1, 2)
    distance, predicted : ndarray, shape (steps + 1,)
        The path's distance, and the closed form drawn dashed.
    title : str
        Above both panels.

    Returns
    -------
    Figure
    """
    figure, (plane, right) = new_figure(1, 2, width=10.5, height=4.9)
    draw_vector_field(plane, x, y, v_x, v_y)
    draw_play(plane, points, PLAY_STYLES["simultaneous"], label="simultaneous steps", marker=".", markersize=4)
    draw_start(plane, points[0])
    draw_equilibrium(plane)
    label_plane(plane, r"$x$ (minimizes $xy$)", r"$y$ (maximizes $xy$)", limits)
    legend_below(plane, ncols=3, fontsize=8, drop=0.45)
    steps = np.arange(len(distance))
    draw_distance(right, steps, distance, PLAY_STYLES["simultaneous"], label="simultaneous steps",
                  marker=".", markersize=5)
    draw_distance(right, steps, predicted, PREDICTION_STYLE, label=r"closed form $(1 + h^2)^{n/2}$ times the start")
    _distance_axes(right, "step n", (0.5, max(4.0, 1.5 * float(np.max(distance)))))
    # Plain numbers on the log axis: it spans less than a decade.
    right.yaxis.set_major_formatter(FormatStrFormatter("%g"))
    right.yaxis.set_minor_formatter(FormatStrFormatter("%g"))
    legend_below(right, ncols=1, fontsize=8, drop=0.45)
    if title:
        figure.suptitle(title, fontsize=10)
    return figure


def minmax_figure(x, data, generator, discriminator, point_mass_cost, *, best_x, generator_cost, titles=("", "")):
    r"""min-max against max-min: against :math:`D^*` frozen for :math:`p_g`, the best generator is a point mass.

    Left: :math:`p_\mathrm{data}`, :math:`p_g` and :math:`D^*`, with an arrow at the point where :math:`D^*` is
    largest. Right: G's term of V for a point mass at each x, :math:`\log(1 - D^*(x))`, against the same term for
    :math:`p_g`.

    Parameters
    ----------
    x, data, generator, discriminator, point_mass_cost : ndarray, shape (n,)
    best_x : float
        Where :math:`D^*` is largest.
    generator_cost : float
        :math:`\mathbb E_{p_g}[\log(1 - D^*)]`.
    titles : tuple of two str

    Returns
    -------
    Figure
    """
    figure, (left, right) = new_figure(1, 2, width=11.0, height=4.5)
    left.plot(x, data, **DATA_STYLE)
    left.plot(x, generator, **GENERATOR_STYLE)
    left.plot(x, discriminator, **{**DISCRIMINATOR_STYLE, "label": r"$D^*$ for this $p_g$, then frozen"})
    top = 1.12 * max(1.0, float(np.max(data)), float(np.max(generator)))
    # A point mass drawn as the usual upward arrow of a Dirac delta.
    left.annotate("", xy=(best_x, 0.92 * top), xytext=(best_x, 0.0),
                  arrowprops={"arrowstyle": "-|>", "color": BEST_RESPONSE_STYLE["color"], "linewidth": 2.4})
    left.plot([], [], **BEST_RESPONSE_STYLE, label=r"best response: all of $p_g$ where $D^*$ is largest")
    left.set_xlim(x[0], x[-1])
    left.set_ylim(0.0, top)
    left.set_xlabel("x")
    left.set_ylabel("density, and D(x)")
    left.set_title(titles[0], fontsize=10)
    legend_below(left, ncols=2, fontsize=8, drop=0.45)

    right.plot(x, point_mass_cost, color="tab:orange", linewidth=2.0,
               label=r"$\log(1 - D^*(x))$: G's term for a point mass at x")
    right.axhline(generator_cost, color=GENERATOR_STYLE["color"], linewidth=1.4, linestyle="-.",
                  label=r"$\mathbb{E}_{p_g}[\log(1 - D^*)]$: G's term for $p_g$")
    right.plot([best_x], [float(np.min(point_mass_cost))], "o", color="tab:orange", markeredgecolor="black",
               markersize=7, zorder=5, label="the lowest: the best response")
    right.set_xlim(x[0], x[-1])
    right.set_xlabel("x")
    right.set_ylabel("G's term of V (nats)")
    right.set_title(titles[1], fontsize=10)
    legend_below(right, ncols=1, fontsize=8, drop=0.45)
    return figure
