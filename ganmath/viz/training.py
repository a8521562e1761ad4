r"""Pictures of training: the interactive trainer's live figure, and the figures of notebooks 8 and 9.

Same conventions as :mod:`ganmath.viz.palette` (Goodfellow et al. 2014, Figure 1): data black dotted, p_g green
solid, the learned D blue dashed, and the exact D* beside it, a lighter blue dash-dot. Every function draws
into axes it is given (or a figure it makes) and returns the artists that a slider or a button moves.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from ganmath.constants import LOG4
from ganmath.viz import drawing, palette, render

__all__ = [
    "LEARNED_DISCRIMINATOR_STYLE",
    "OPTIMAL_DISCRIMINATOR_STYLE",
    "FramePanel",
    "TrainerArtists",
    "collapse_figure",
    "draw_frame_panel",
    "draw_mapping",
    "landscape_figure",
    "mode_mass_figure",
    "mode_rate_figure",
    "push_lengths",
    "push_segments",
    "saturation_figure",
    "trainer_figure",
    "update_frame_panel",
    "update_trainer_figure",
]


LEARNED_DISCRIMINATOR_STYLE = {**palette.DISCRIMINATOR_STYLE, "label": "learned D"}
OPTIMAL_DISCRIMINATOR_STYLE = {"color": "deepskyblue", "linestyle": "-.", "linewidth": 1.6, "label": r"exact $D^*$"}
SAMPLE_STYLE = {"color": "green", "marker": "o", "markersize": 4, "linestyle": "none"}
PUSH_STYLE = {"colors": "darkorange", "linewidths": 1.8}
MAPPING_STYLE = {"colors": "0.35", "linewidths": 0.7}
TRAINER_CURVE_STYLES = {
    "discriminator_loss": {"color": "tab:blue", "linewidth": 1.4, "label": "D loss"},
    "generator_loss": {"color": "tab:green", "linewidth": 1.4, "label": "G loss"},
    "js": {"color": "tab:red", "linewidth": 1.6, "label": r"JS$(p_\mathrm{data}, p_g)$"},
    "criterion": {"color": "tab:purple", "linewidth": 1.6, "label": r"$C(G)$"},
    "sup_gap": {"color": "tab:cyan", "linewidth": 1.6, "label": r"$\sup|D - D^*|$"},
}
# The longest push arrow, as a fraction of the picture's x range; pushes from 1e-5 to 10 map onto log-scaled
# lengths between 5% and 100% of it, so that a saturated push (1e-4) is still seen, shorter than a strong one.
_PUSH_REACH = 0.12
_PUSH_DECADES = (-5.0, 1.0)


def push_lengths(push, span):
    r"""Arrow lengths in x units for pushes of any size: the sign of the push, a length that grows with
    :math:`\log_{10}|\mathrm{push}|` from 5% of ``_PUSH_REACH * span`` (|push| <= 1e-5) to all of it (>= 10)."""
    push = np.asarray(push, dtype=float)
    low, high = _PUSH_DECADES
    with np.errstate(divide="ignore"):
        level = np.clip((np.log10(np.abs(push)) - low) / (high - low), 0.0, 1.0)
    return np.sign(push) * _PUSH_REACH * span * (0.05 + 0.95 * level)


def push_segments(generated, push, base, span):
    """Horizontal segments from each sample ``generated[i]`` (at height ``base``) along ``push[i]``, with the
    log-scaled lengths of :func:`push_lengths` (visible at every size and zoom; the readouts print the sizes).

    Returns
    -------
    ndarray, shape (n, 2, 2)
    """
    generated, push = np.asarray(generated, dtype=float), np.asarray(push, dtype=float)
    length = push_lengths(push, span)
    start = np.stack([generated, np.full_like(generated, base)], axis=-1)
    end = np.stack([generated + length, np.full_like(generated, base)], axis=-1)
    return np.stack([start, end], axis=1)


def draw_mapping(ax, z, generated):
    """The paper's Figure 1 arrows: from each noise value z (lower line) to x = G(z) (upper line)."""
    ax.axhline(0.0, color="0.2", linewidth=0.8)
    ax.axhline(1.0, color="0.2", linewidth=0.8)
    mapping = LineCollection(_mapping_segments(z, generated), **MAPPING_STYLE)
    ax.add_collection(mapping)
    (tips,) = ax.plot(generated, np.ones_like(generated), **SAMPLE_STYLE)
    ax.set_ylim(-0.15, 1.15)
    ax.set_yticks([0.0, 1.0], ["z", "x = G(z)"])
    return mapping, tips


def _mapping_segments(z, generated):
    z, generated = np.asarray(z, dtype=float), np.asarray(generated, dtype=float)
    return np.stack([np.stack([z, np.zeros_like(z)], -1), np.stack([generated, np.ones_like(z)], -1)], axis=1)


@dataclass
class TrainerArtists:
    """What the trainer's buttons move."""

    figure: Figure
    densities: object
    learned: object
    optimal: object
    samples: object
    pushes: object
    mapping: object
    tips: object
    curves: dict
    axes: dict
    push_base: float
    span: float
    headline: object

    def moving(self) -> list:
        # The numbers are in the application's text readouts: only the headline is text that moves.
        return [self.densities, self.learned, self.optimal, self.samples, self.pushes, self.mapping, self.tips,
                *self.curves.values(), self.headline]


def trainer_figure(x, p_data, *, width: float = 12.0, height: float = 6.4, shown: bool = False) -> TrainerArtists:
    """The trainer's live figure: the picture (left) and the curves (right), outside pyplot.

    Left, top: p_data, p_g, the learned D and the exact D*, and the generated samples (dots at the
    bottom) with the direction and size of their push by a G step; left, bottom: the z-to-x mapping.
    Right: the losses; JS and C(G) against -log 4; sup|D - D*|, against the update number.
    With ``shown=True`` the figure is made through pyplot and closed there at once (as
    :func:`ganmath.viz.render.new_figure`), so that Jupyter shows it as a cell's value.
    """
    if shown:
        figure = plt.figure(figsize=(width, height), dpi=render.WIDGET_DPI)
        plt.close(figure)
    else:
        figure = Figure(figsize=(width, height), dpi=render.WIDGET_DPI)
        FigureCanvasAgg(figure)
    grid = figure.add_gridspec(3, 2, width_ratios=(1.55, 1.0), left=0.06, right=0.985, bottom=0.08, top=0.86,
                               wspace=0.17, hspace=0.55)
    picture = figure.add_subplot(grid[0:2, 0])
    mapping_ax = figure.add_subplot(grid[2, 0], sharex=picture)
    losses_ax, criterion_ax, gap_ax = (figure.add_subplot(grid[i, 1]) for i in range(3))
    span = float(x[-1] - x[0])
    top = max(1.05, 1.15 * float(np.max(p_data)))
    push_base = -0.07 * top
    picture.plot(x, p_data, **palette.DATA_STYLE)
    (densities,) = picture.plot(x, np.zeros_like(x), **palette.GENERATOR_STYLE)
    (learned,) = picture.plot(x, np.zeros_like(x), **LEARNED_DISCRIMINATOR_STYLE)
    (optimal,) = picture.plot(x, np.zeros_like(x), **OPTIMAL_DISCRIMINATOR_STYLE)
    (samples,) = picture.plot([], [], **SAMPLE_STYLE)
    pushes = LineCollection(np.zeros((0, 2, 2)), **PUSH_STYLE, label="push of a G step (log length)")
    picture.add_collection(pushes)
    picture.set_xlim(x[0], x[-1])
    picture.set_ylim(2.0 * push_base, top)
    picture.axhline(0.0, color="0.6", linewidth=0.6)
    picture.set_ylabel("density, and D(x)")
    picture.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=6, fontsize=8, frameon=False,
                   borderaxespad=0.2)
    headline = figure.text(0.01, 0.975, "", fontsize=11, va="top")
    mapping, tips = draw_mapping(mapping_ax, np.zeros(1), np.zeros(1))
    mapping_ax.set_xlabel("x (and z)")

    curves = {}
    for name in ("discriminator_loss", "generator_loss"):
        curves[name] = drawing.draw_curve(losses_ax, [], [], TRAINER_CURVE_STYLES[name])
    for name in ("js", "criterion"):
        curves[name] = drawing.draw_curve(criterion_ax, [], [], TRAINER_CURVE_STYLES[name])
    drawing.draw_level(criterion_ax, -LOG4, label=r"$-\log 4$", linestyle="--")
    drawing.draw_level(criterion_ax, 0.0)
    curves["sup_gap"] = drawing.draw_curve(gap_ax, [], [], TRAINER_CURVE_STYLES["sup_gap"])
    for ax in (losses_ax, criterion_ax, gap_ax):
        ax.set_xlim(0, 20)
    losses_ax.set_ylim(-0.1, 2.0)
    criterion_ax.set_ylim(-1.5, 0.8)
    gap_ax.set_ylim(0.0, 1.0)
    gap_ax.set_xlabel("iteration")
    for ax in (losses_ax, criterion_ax):
        ax.set_xlabel("iteration")
    losses_ax.set_ylabel("loss")
    criterion_ax.set_ylabel("nats")
    gap_ax.set_ylabel("sup|D - D*|")
    mapping_ax.set_title("the arrows of Figure 1: noise z to x = G(z)", fontsize=9)
    losses_ax.set_title("D loss (blue), G loss (green)", fontsize=9)
    criterion_ax.set_title("JS (red), C(G) (purple); dashed: -log 4", fontsize=9)
    gap_ax.set_title("sup|D - D*| on the data's central 95%", fontsize=9)
    axes = {"picture": picture, "mapping": mapping_ax, "losses": losses_ax, "criterion": criterion_ax,
            "gap": gap_ax}
    return TrainerArtists(figure, densities, learned, optimal, samples, pushes, mapping, tips, curves, axes,
                          push_base, span, headline)


def _padded_limits(values, low, high, floor=None):
    """Limits that hold every finite value, grown by halves, so they change rarely (each change redraws all)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return low, high
    vmin, vmax = float(finite.min()), float(finite.max())
    while vmin < low:
        low -= 0.5 * (high - low)
    while vmax > high:
        high += 0.5 * (high - low)
    if floor is not None:
        low = max(low, floor)
    return low, high


def update_trainer_figure(artists: TrainerArtists, picture, curves: dict, *, headline: str = "") -> None:
    """Move the artists to a :class:`ganmath.experiments.trainer.Picture` and the readout ``curves``."""
    artists.densities.set_ydata(picture.p_g)
    artists.learned.set_ydata(picture.discriminator)
    artists.optimal.set_ydata(picture.optimal_discriminator)
    artists.samples.set_data(picture.generated, np.full_like(picture.generated, artists.push_base))
    artists.pushes.set_segments(push_segments(picture.generated, picture.push, artists.push_base, artists.span))
    artists.mapping.set_segments(_mapping_segments(picture.z, picture.generated))
    artists.tips.set_data(picture.generated, np.ones_like(picture.generated))
    iteration = curves["iteration"]
    for name, line in artists.curves.items():
        line.set_data(iteration, curves[name])
    n = int(iteration[-1]) if iteration.size else 0
    for ax in (artists.axes["losses"], artists.axes["criterion"], artists.axes["gap"]):
        right = ax.get_xlim()[1]
        while n > right:
            right *= 2
        ax.set_xlim(0, right)
    losses = np.concatenate([curves["discriminator_loss"], curves["generator_loss"]])
    artists.axes["losses"].set_ylim(*_padded_limits(losses, *artists.axes["losses"].get_ylim()))
    # The picture follows p_g: its top grows (by halves, so rarely) to hold the density's peak, up to ten
    # times the first top (a fold's 1/sqrt spike is infinite at one point; it is then cut at that height).
    picture_ax = artists.axes["picture"]
    low, high = picture_ax.get_ylim()
    peak = np.asarray(picture.p_g, dtype=float)
    first_top = -artists.push_base / 0.07
    top = _padded_limits(peak[np.isfinite(peak)], low, high)[1] if np.isfinite(peak).any() else high
    top = min(top, 10.0 * first_top)
    if top > high:
        picture_ax.set_ylim(low, top)
    artists.headline.set_text(headline)


# ---------------------------------------------------------------------------------------------------------
# Notebook 8: saturation
# ---------------------------------------------------------------------------------------------------------


def saturation_figure(runs: dict, *, target: float, tolerance: float):
    """Three panels against the iteration, one line per generator loss (``LOSS_STYLES``): the generator's
    gradient norm, the distance its samples moved, and the median sample with the data's median.

    ``runs`` maps a loss name to a :class:`ganmath.experiments.saturation.SaturationRun`.
    """
    figure, (grad_ax, moved_ax, position_ax) = render.new_figure(1, 3, width=13.0, height=3.8)
    for loss, run in runs.items():
        style = palette.LOSS_STYLES[loss]
        iterations = np.arange(1, run.generator_grad_norm.size + 1)
        grad_ax.semilogy(iterations, run.generator_grad_norm, **style)
        moved_ax.semilogy(iterations, run.distance_moved, **style)
        position_ax.plot(np.arange(run.position.size), run.position, **style)
        if run.reached_at is not None:
            position_ax.plot([run.reached_at], [run.position[run.reached_at]], "o", color=style["color"],
                             markeredgecolor="white", markersize=8)
    position_ax.axhspan(target - tolerance, target + tolerance, color="0.88", zorder=0, label="data median ± tolerance")
    position_ax.axhline(target, **{**palette.DATA_STYLE, "label": "data median"})
    grad_ax.set_title("generator gradient norm", fontsize=10)
    moved_ax.set_title("distance the samples moved per iteration", fontsize=10)
    position_ax.set_title("median sample (dots: first within tolerance)", fontsize=10)
    grad_ax.set_ylabel(r"$\|\nabla_{\theta_g}\,$cost$\|$")
    moved_ax.set_ylabel(r"mean $|\Delta G(z)|$ per iteration")
    position_ax.set_ylabel(r"median of $G(z)$")
    for ax in (grad_ax, moved_ax, position_ax):
        ax.set_xlabel("iteration")
    handles, labels = position_ax.get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncols=len(labels), fontsize=9, frameon=False)
    return figure


# ---------------------------------------------------------------------------------------------------------
# Scrubbing recorded runs: one panel per run, p_data, p_g, D and D* at one recorded iteration
# ---------------------------------------------------------------------------------------------------------


@dataclass
class FramePanel:
    """The lines of one run's panel."""

    generator: object
    learned: object
    optimal: object
    ax: object
    peak: object = None


def draw_frame_panel(ax, frame, *, ylim=None) -> FramePanel:
    """p_data, the exact p_g, the learned D and the exact D* of a :class:`ganmath.gan.Snapshot`."""
    x = frame.x
    ax.plot(x, frame.p_data, **palette.DATA_STYLE)
    (generator,) = ax.plot(x, frame.p_g, **palette.GENERATOR_STYLE)
    (learned,) = ax.plot(x, frame.discriminator, **LEARNED_DISCRIMINATOR_STYLE)
    (optimal,) = ax.plot(x, frame.optimal_discriminator, **OPTIMAL_DISCRIMINATOR_STYLE)
    ax.set_xlim(x[0], x[-1])
    top = max(1.05, 1.15 * float(np.max(frame.p_data))) if ylim is None else ylim[1]
    ax.set_ylim(0.0 if ylim is None else ylim[0], top)
    ax.set_xlabel("x")
    peak = drawing.draw_peak_note(ax)
    drawing.note_clipped_peak(peak, x, frame.p_g)
    return FramePanel(generator, learned, optimal, ax, peak)


def update_frame_panel(panel: FramePanel, frame, title: str) -> None:
    panel.generator.set_ydata(frame.p_g)
    panel.learned.set_ydata(frame.discriminator)
    panel.optimal.set_ydata(frame.optimal_discriminator)
    panel.ax.set_title(title, fontsize=10)
    drawing.note_clipped_peak(panel.peak, frame.x, frame.p_g)


# ---------------------------------------------------------------------------------------------------------
# Notebook 9: mode collapse
# ---------------------------------------------------------------------------------------------------------

MODE_COLORS = ("tab:blue", "tab:orange", "tab:green", "tab:red")


def mode_mass_figure(runs_by_setting: dict, weights, *, threshold: float = 0.05):
    """For each setting (one panel), the generated mass near each mode against the iteration, every seed.

    ``runs_by_setting`` maps a title to a list of :class:`ganmath.experiments.mode_collapse.ModeRun`; ``weights`` are the
    modes' true masses (dotted levels).
    """
    n = len(runs_by_setting)
    figure, axes = render.new_figure(1, n, width=max(5.5, 4.3 * n), height=4.0)
    axes = np.atleast_1d(axes)
    seed_colors = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown", "tab:pink", "tab:gray")
    mode_styles = ("-", "--", ":", "-.")
    for ax, (title, runs) in zip(axes, runs_by_setting.items()):
        # One colour per seed; the line style says which mode (solid the first, dashed the second).
        for index, run in enumerate(runs):
            for mode in range(run.masses.shape[1]):
                ax.plot(run.iterations, run.masses[:, mode], color=seed_colors[index % len(seed_colors)],
                        linestyle=mode_styles[mode % len(mode_styles)], linewidth=1.3, alpha=0.85,
                        label=f"seed {run.seed}, mode {mode + 1}")
        for weight in sorted({float(w) for w in weights}):
            ax.axhline(weight, color="0.5", linestyle=":", linewidth=1.0)
        ax.axhline(threshold, **palette.LEVEL_STYLE)
        dropped = sum(int(np.any(run.final_masses < threshold)) for run in runs)
        ax.set_title(f"{title}\n{dropped} of {len(runs)} seeds end with a mode < {threshold:g}", fontsize=10)
        ax.set_xlabel("iteration")
        ax.set_ylim(-0.02, 1.02)
    axes[0].set_ylabel("generated mass near the mode")
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside right upper", fontsize=8, frameon=False)
    return figure


def collapse_figure(runs, *, mode_names=None):
    """Small multiples of mode collapse, one column per run: the run's last p_g against p_data with its learned
    D (top; a p_g spike above the axes is marked with its height), and the generated mass near each mode against
    the iteration (bottom, shared axes).

    Parameters
    ----------
    runs : list of :class:`ganmath.experiments.mode_collapse.ModeRun`
        Runs recorded with their frames (the last frame is drawn).
    mode_names : list of str, optional
        A name per mode for the legend of the masses, e.g. ``["near -2", "near +2"]``.
    """
    n = len(runs)
    figure, axes = render.new_figure(2, n, width=max(5.5, 2.9 * n), height=5.6)
    axes = np.asarray(axes).reshape(2, n)
    n_modes = runs[0].masses.shape[1]
    mode_names = mode_names or [f"mode {i + 1}" for i in range(n_modes)]
    top = max(1.05, 1.15 * float(np.max(runs[0].frames[-1].p_data)))
    for column, run in enumerate(runs):
        density_ax, mass_ax = axes[0, column], axes[1, column]
        frame = run.frames[-1]
        density_ax.plot(frame.x, frame.p_data, **palette.DATA_STYLE)
        density_ax.plot(frame.x, frame.p_g, **palette.GENERATOR_STYLE)
        density_ax.plot(frame.x, frame.discriminator, **LEARNED_DISCRIMINATOR_STYLE)
        density_ax.set_xlim(frame.x[0], frame.x[-1])
        density_ax.set_ylim(0.0, top)
        density_ax.set_xlabel("x")
        density_ax.set_title(f"seed {run.seed}, iteration {frame.iteration}", fontsize=10, pad=14)
        drawing.note_clipped_peak(drawing.draw_peak_note(density_ax), frame.x, frame.p_g)
        for mode in range(n_modes):
            mass_ax.plot(run.iterations, run.masses[:, mode], color=MODE_COLORS[mode % len(MODE_COLORS)],
                         linewidth=1.5, marker="o", markersize=2.5, label=f"mass {mode_names[mode]}")
        mass_ax.axhline(0.5, color="0.5", linestyle=":", linewidth=1.0, label=r"$p_\mathrm{data}$'s mass, 1/2")
        mass_ax.set_ylim(-0.03, 1.03)
        mass_ax.set_xlabel("iteration")
        if column:
            density_ax.tick_params(labelleft=False)
            mass_ax.tick_params(labelleft=False)
    axes[0, 0].set_ylabel("density, and D")
    axes[1, 0].set_ylabel("generated mass near the mode")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    more_handles, more_labels = axes[1, 0].get_legend_handles_labels()
    figure.legend(handles + more_handles, labels + more_labels, loc="outside upper center",
                  ncols=len(labels) + len(more_labels), fontsize=8, frameon=False)
    return figure


def mode_rate_figure(results: dict):
    """How often each setting drops a mode, over its seeds (:func:`ganmath.experiments.mode_collapse.mode_collapse` results by name):
    left the rate with its 95% Wilson interval, right the smaller mode's mass in every run."""
    figure, (rates, masses) = render.new_figure(1, 2, width=11.0, height=3.8)
    names = list(results)
    positions = np.arange(len(names))
    fractions = np.array([results[n].rate.fraction for n in names])
    low = fractions - np.array([results[n].rate.low for n in names])
    high = np.array([results[n].rate.high for n in names]) - fractions
    rates.barh(positions, fractions, xerr=[low, high], color="tab:red", alpha=0.7, capsize=3)
    rates.set_yticks(positions, names, fontsize=8)
    rates.set_xlim(0.0, 1.0)
    rates.set_xlabel("fraction of runs dropping a mode (95% interval)")
    rates.invert_yaxis()
    for row, name in enumerate(names):
        smaller = np.nanmin(results[name].masses, axis=1)
        jitter = (np.arange(smaller.size) % 7 - 3) * 0.04
        masses.scatter(smaller, row + jitter, s=10, color="tab:blue")
    masses.axvline(next(iter(results.values())).threshold, color="0.3", linestyle="--", linewidth=1.0,
                   label="threshold")
    masses.set_yticks(positions, [""] * len(names))
    masses.invert_yaxis()
    masses.set_xlim(0.0, 0.55)
    masses.set_xlabel("mass near the smaller mode, one dot per run")
    masses.legend(loc="upper right", fontsize=8)
    return figure


def landscape_figure(means, spreads, landscapes: dict, paths: dict):
    """Heatmaps over a one-Gaussian generator's (mean, spread), one per landscape, with paths drawn on them.

    ``landscapes`` maps a title to an array (n_spreads, n_means); ``paths`` maps a title to a list of
    ``(label, path (n, 2) of (mean, spread), style dict)`` drawn on that panel.
    """
    n = len(landscapes)
    figure, axes = render.new_figure(1, n, width=6.2 * n, height=4.6)
    axes = np.atleast_1d(axes)
    for ax, (title, values) in zip(axes, landscapes.items()):
        mesh = ax.pcolormesh(means, spreads, values, shading="nearest", cmap="viridis")
        ax.contour(means, spreads, values, levels=12, colors="white", linewidths=0.4, alpha=0.6)
        figure.colorbar(mesh, ax=ax)
        low = np.unravel_index(np.argmin(values), values.shape)
        ax.plot(means[low[1]], spreads[low[0]], "*", color="white", markersize=13, markeredgecolor="black",
                label="grid minimum")
        for label, path, style in paths.get(title, []):
            ax.plot(path[:, 0], path[:, 1], label=label, **style)
            ax.plot(path[-1, 0], path[-1, 1], "o", color=style.get("color", "white"), markeredgecolor="black")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("generator mean m")
        ax.set_ylabel("generator spread s")
        ax.legend(fontsize=7, loc="upper right")
    return figure
