r"""The slider of the minimax-game lesson: the Dirac GAN played by gradient steps.

:func:`game_sliders` takes the step size h, the update scheme (simultaneous or alternating), the number k of
discriminator steps per generator step and the weight :math:`\gamma` of the discriminator's gradient penalty. For
them it plays the Dirac GAN from a fixed start for a fixed time (h times the number of generator steps) and draws
the path over the vector field and the distance to the equilibrium, with the linearized game's prediction.
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np

from ganmath._validation import as_real_array, check_positive
from ganmath.core import game
from ganmath.ui.panel import SLIDER_LAYOUT, SLIDER_STYLE, SliderPanel, slider
from ganmath.viz import drawing, palette, render
from ganmath.viz import game as game_plots

__all__ = ["game_sliders"]

# Distances below this are drawn at it (the log axis stops there).
_DISTANCE_FLOOR = 1e-6


def _number(value: float) -> str:
    return f"{value:.3f}" if value >= 0.01 else f"{value:.1e}"


def _verdict(modulus: float) -> str:
    if modulus > 1.0 + 1e-12:
        return "> 1: spirals out"
    if modulus < 1.0 - 1e-12:
        return "< 1: converges"
    return "= 1: circles"


def game_sliders(*, start=(1.0, 1.0), duration: float = 60.0, limit: float = 5.0) -> SliderPanel:
    r"""Sliders for the Dirac GAN played by gradient steps.

    Controls: ``step`` (h), ``scheme`` (``"simultaneous"`` or ``"alternating"``), ``d_steps`` (k) and ``penalty``
    (:math:`\gamma`). Left: the direction of the vector field (with the penalty) and the path from ``start``, red for
    simultaneous steps, blue for alternating ones, green for either with the penalty. Right: the distance to the
    equilibrium against the time :math:`t = nh`, and dashed :math:`|\mu|^{n}` times the start's distance, with
    :math:`|\mu|` the largest eigenvalue modulus of one generator step of the linearized game
    (:func:`ganmath.core.game.update_modulus`).

    Parameters
    ----------
    start : tuple of two floats
        :math:`(\theta_0, \psi_0)`.
    duration : float > 0
        The time played: :math:`\lceil \text{duration}/h \rceil` generator steps, so that every step size plays
        as long.
    limit : float > 0
        The plane shows :math:`[-\text{limit}, \text{limit}]^2`.

    Returns
    -------
    SliderPanel
        ``result``: ``trajectory`` (a :class:`ganmath.core.game.Trajectory`), ``n_steps``, ``start_distance``,
        ``final_distance``, ``modulus``, ``eigenvalues`` (of one linearized generator step).
    """
    point = as_real_array(start, "start", finite=True)
    if point.shape != (2,):
        raise ValueError(f"start must hold two numbers (theta, psi), got start={start!r}")
    start = (float(point[0]), float(point[1]))
    duration = check_positive("duration", duration)
    limit = check_positive("limit", limit)
    grid = np.linspace(-limit, limit, 15)
    theta_mesh, psi_mesh = np.meshgrid(grid, grid)

    figure, (plane, right) = render.widget_figure(1, 2, width=11.5, height=5.6, left=0.06, right=0.97, bottom=0.25,
                                                 top=0.87, wspace=0.25)
    field = game_plots.draw_vector_field(plane, grid, grid, *game.dirac_vector_field(theta_mesh, psi_mesh))
    path_line = game_plots.draw_play(plane, [start, start], game_plots.PLAY_STYLES["simultaneous"])
    (end_marker,) = plane.plot([start[0]], [start[1]], "o", color="tab:red", markersize=6, zorder=5)
    start_marker = game_plots.draw_start(plane, start)
    equilibrium_marker = game_plots.draw_equilibrium(plane)
    game_plots.label_plane(plane, r"generator's parameter $\theta$", r"discriminator's parameter $\psi$",
                           (-limit, limit))
    # The legend is drawn once and the path changes colour: one entry per colour, not one for the moving line.
    drawing.legend_below(plane, ncols=2, fontsize=8, drop=0.5,
                       handles=[*game_plots.play_handles(), start_marker, equilibrium_marker])

    distance_line = game_plots.draw_distance(right, [0.0, duration], [1.0, 1.0], game_plots.PLAY_STYLES["simultaneous"])
    prediction_line = game_plots.draw_distance(right, [0.0, duration], [1.0, 1.0], game_plots.PREDICTION_STYLE,
                                               label="linearized game: largest |eigenvalue| of a step, to the power n")
    right.set_xlim(0.0, duration)
    right.set_ylim(_DISTANCE_FLOOR, 20.0)
    right.set_xlabel(r"time $t = n h$ ($n$ generator steps of size $h$)")
    right.set_ylabel("distance to the equilibrium")
    right.axhline(1.0, **{**palette.LEVEL_STYLE, "linewidth": 0.6})
    # The path's distance takes the path's colour, which the left legend explains.
    drawing.legend_below(right, ncols=1, fontsize=8, drop=0.5, handles=[prediction_line])

    moving = [field, path_line, end_marker, equilibrium_marker, distance_line, prediction_line, plane.title,
              right.title]
    renderer = render.FigureRenderer(figure, moving)
    start_distance = math.hypot(*start)

    def update(step, scheme, d_steps, penalty):
        n_steps = math.ceil(duration / step - 1e-9)
        trajectory = game.dirac_trajectory(start, step=step, n_steps=n_steps, scheme=scheme, d_steps=d_steps,
                                           penalty=penalty)
        matrix = game.update_matrix(step, scheme, d_steps, penalty)
        eigenvalues = np.linalg.eigvals(matrix)
        modulus = float(np.max(np.abs(eigenvalues)))
        key = "penalized" if penalty > 0 else scheme
        color = game_plots.PLAY_STYLES[key]["color"]
        game_plots.move_vector_field(field, *game.dirac_vector_field(theta_mesh, psi_mesh, penalty=penalty))
        path_line.set_data(trajectory.minimizer, trajectory.maximizer)
        end_marker.set_data([trajectory.minimizer[-1]], [trajectory.maximizer[-1]])
        for artist in (path_line, end_marker, distance_line):
            artist.set_color(color)
        times = step * np.arange(n_steps + 1)
        distance = trajectory.distance
        distance_line.set_data(times, np.maximum(distance, _DISTANCE_FLOOR))
        predicted = start_distance * modulus ** np.arange(n_steps + 1)
        prediction_line.set_data(times, np.clip(predicted, _DISTANCE_FLOOR, 1e3))
        k_text = f", {d_steps} D steps per G step" if d_steps > 1 else ""
        plane.set_title(f"{scheme} steps of size h = {step:.2f}{k_text}, penalty γ = {penalty:.2f}\n"
                        f"distance {start_distance:.2f} → {_number(distance[-1])} after {n_steps} generator steps",
                        fontsize=10)
        right.set_title(f"one generator step of the linearized game:\n"
                        f"largest |eigenvalue| {modulus:.4f} {_verdict(modulus)}", fontsize=10)
        return {
            "trajectory": trajectory,
            "n_steps": n_steps,
            "start_distance": start_distance,
            "final_distance": float(distance[-1]),
            "modulus": modulus,
            "eigenvalues": eigenvalues,
        }

    controls = {
        "step": slider("step size h", 0.2, 0.05, 1.5, 0.05),
        "scheme": widgets.ToggleButtons(options=list(game.SCHEMES), value="simultaneous", description="updates",
                                        style=SLIDER_STYLE),
        "d_steps": widgets.IntSlider(value=1, min=1, max=5, step=1, description="D steps per G (k)",
                                     continuous_update=True, style=SLIDER_STYLE,
                                     layout=widgets.Layout(**SLIDER_LAYOUT)),
        "penalty": slider("gradient penalty γ", 0.0, 0.0, 1.5, 0.05),
    }
    return SliderPanel(controls, renderer, update)
