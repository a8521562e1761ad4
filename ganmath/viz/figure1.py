r"""The reproduced Figure 1 of Goodfellow et al. (2014): the four-layer picture, drawn from a training run.

Each panel, from the top: :math:`p_\mathrm{data}` (black dotted), the exact :math:`p_g` (green solid), the
learned D (blue dashed) and the optimal :math:`D^*` (light blue); below them the x line, and under it the z line
with arrows from evenly spaced quantiles of the noise up to G(z): each arrow carries the same probability, so
where their heads crowd :math:`p_g` is high. D and :math:`D^*` are drawn only where the data or :math:`p_g` have
mass (each density above :data:`MASS_FRACTION` of its peak: for the normal densities of Figure 1, between their
0.5% and 99.5% quantiles); elsewhere a discriminator's value is a guess about points that never occur. Panel (c)
shows panel (b)'s :math:`p_g` and arrow heads faintly beneath its own, so that G's motion is seen.

Matplotlib only here (and in :mod:`ganmath.viz.palette`, whose styles this module uses).
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib
import numpy as np

from ganmath.viz import drawing, palette, render

__all__ = [
    "BEFORE_STYLE",
    "FIGURE1_X_RANGE",
    "LEARNED_DISCRIMINATOR_STYLE",
    "MASS_FRACTION",
    "OPTIMAL_DISCRIMINATOR_STYLE",
    "FourLayerArtists",
    "draw_before",
    "draw_four_layers",
    "figure1_figure",
    "history_figure",
    "mass_mask",
    "panel_title",
    "save_figure",
    "seed_spread_figure",
    "snapshots_figure",
    "sweep_figure",
    "update_four_layers",
    "x_range_of",
]

LEARNED_DISCRIMINATOR_STYLE = {**palette.DISCRIMINATOR_STYLE, "label": "D"}
OPTIMAL_DISCRIMINATOR_STYLE = {"color": "deepskyblue", "linestyle": "-", "linewidth": 1.4, "alpha": 0.9,
                               "label": r"$D^*$"}
BEFORE_STYLE = {"color": "green", "linestyle": "-", "linewidth": 1.6, "alpha": 0.3, "label": r"$p_g$ in (b)"}
X_LINE, Z_LINE = -0.15, -0.55  # heights of the x line and the z line under the curves
FIGURE1_X_RANGE = (-1.0, 4.5)  # the data of ganmath.experiments.figure1 are N(2, 0.5^2)
ARROW_COLOR = "0.35"
ARROW_EVERY = 2  # every second of the snapshot's 39 noise quantiles
#: D and D* are drawn where p_data or p_g exceeds this fraction of its own peak (for a normal density, between its
#: 0.5% and 99.5% quantiles: phi(2.5758) / phi(0) = 0.0362).
MASS_FRACTION = 0.0362


@dataclass
class FourLayerArtists:
    """The moving parts of one four-layer panel."""

    generator: object
    discriminator: object
    optimal: object
    arrows: object
    title: object
    peak: object = None

    def moving(self) -> list:
        return [self.generator, self.discriminator, self.optimal, self.arrows, self.title, self.peak]


def mass_mask(p_data, p_g) -> np.ndarray:
    """Where the data or p_g have mass: each density above :data:`MASS_FRACTION` of its peak (arrays on one grid)."""
    p_data, p_g = np.asarray(p_data, dtype=float), np.asarray(p_g, dtype=float)
    mask = p_data >= MASS_FRACTION * np.nanmax(p_data)
    if np.all(np.isfinite(p_g)):
        mask |= p_g >= MASS_FRACTION * np.max(p_g)
    return mask


def x_range_of(snapshots, *, margin: float = 0.1) -> tuple[float, float]:
    """The x range that shows a run: where p_data has mass (:func:`mass_mask` with p_g left out) and where the
    arrows of every snapshot land, widened by ``margin`` of its width on each side and kept inside the grid.

    Parameters
    ----------
    snapshots : sequence of :class:`ganmath.gan.Snapshot`
        On one x grid.
    margin : float >= 0

    Returns
    -------
    (low, high) : tuple of float
    """
    snapshots = list(snapshots)
    if not snapshots:
        raise ValueError("snapshots must hold at least one snapshot, got an empty sequence")
    if not margin >= 0:
        raise ValueError(f"margin must be >= 0, got margin={margin!r}")
    x = snapshots[0].x
    p_data = np.asarray(snapshots[0].p_data, dtype=float)
    where = x[p_data >= MASS_FRACTION * np.nanmax(p_data)]
    generated = np.concatenate([np.asarray(s.generated, dtype=float) for s in snapshots])
    generated = generated[np.isfinite(generated)]
    low = min(float(where.min()), float(generated.min()) if generated.size else np.inf)
    high = max(float(where.max()), float(generated.max()) if generated.size else -np.inf)
    pad = margin * (high - low)
    return max(float(x[0]), low - pad), min(float(x[-1]), high + pad)


def _where_mass(values, snapshot) -> np.ndarray:
    return np.where(mass_mask(snapshot.p_data, snapshot.p_g), values, np.nan)


def _z_positions(z, x_range):
    """Where the noise values sit on the z line: their range spread under the middle 60% of the x range."""
    low, high = x_range
    centre, half = (low + high) / 2.0, (high - low) * 0.3
    reach = float(np.max(np.abs(z)))
    return centre + half * z / reach


def _arrows(snapshot):
    return snapshot.z[::ARROW_EVERY], snapshot.generated[::ARROW_EVERY]


def draw_four_layers(ax, snapshot, *, x_range=FIGURE1_X_RANGE, height=1.1) -> FourLayerArtists:
    """Draw one panel of Figure 1 for a :class:`ganmath.gan.Snapshot` into ``ax``; returns the moving artists."""
    x = snapshot.x
    ax.plot(x, snapshot.p_data, **palette.DATA_STYLE)
    (generator,) = ax.plot(x, snapshot.p_g, **palette.GENERATOR_STYLE)
    (optimal,) = ax.plot(x, _where_mass(snapshot.optimal_discriminator, snapshot), **OPTIMAL_DISCRIMINATOR_STYLE)
    (discriminator,) = ax.plot(x, _where_mass(snapshot.discriminator, snapshot), **LEARNED_DISCRIMINATOR_STYLE)
    ax.axhline(X_LINE, color="black", linewidth=1.0)
    ax.axhline(Z_LINE, color="black", linewidth=1.0)
    ax.text(x_range[0] + 0.05, X_LINE + 0.04, "x", fontsize=9)
    ax.text(x_range[0] + 0.05, Z_LINE + 0.04, "z", fontsize=9)
    z, generated = _arrows(snapshot)
    start = _z_positions(z, x_range)
    arrows = ax.quiver(start, np.full(z.shape, Z_LINE), generated - start, np.full(z.shape, X_LINE - Z_LINE),
                       angles="xy", scale_units="xy", scale=1.0, color=ARROW_COLOR, width=0.004,
                       headwidth=4.0, headlength=5.0, headaxislength=4.5, zorder=3)
    ax.set_xlim(*x_range)
    ax.set_ylim(Z_LINE - 0.1, height)
    ax.set_yticks([0.0, 0.5, 1.0])
    ax.set_xlabel("x")
    title = ax.set_title("", fontsize=9)
    peak = drawing.draw_peak_note(ax)
    drawing.note_clipped_peak(peak, x, snapshot.p_g)
    return FourLayerArtists(generator, discriminator, optimal, arrows, title, peak)


def draw_before(ax, before) -> None:
    """Beneath a panel, the p_g and the arrow heads of an earlier snapshot ``before``, faintly: what moved."""
    ax.plot(before.x, before.p_g, **BEFORE_STYLE, zorder=1)
    _, generated = _arrows(before)
    ax.plot(generated, np.full(generated.shape, X_LINE), linestyle="none", marker="v", markersize=5,
            color="green", alpha=0.35, zorder=2, label="arrow heads in (b)")


def update_four_layers(artists: FourLayerArtists, snapshot, *, x_range=FIGURE1_X_RANGE, title: str = "") -> None:
    """Move a panel of :func:`draw_four_layers` to another snapshot (same x grid)."""
    artists.generator.set_ydata(snapshot.p_g)
    artists.discriminator.set_ydata(_where_mass(snapshot.discriminator, snapshot))
    artists.optimal.set_ydata(_where_mass(snapshot.optimal_discriminator, snapshot))
    z, generated = _arrows(snapshot)
    start = _z_positions(z, x_range)
    artists.arrows.set_UVC(generated - start, np.full(z.shape, X_LINE - Z_LINE))
    artists.title.set_text(title)
    drawing.note_clipped_peak(artists.peak, snapshot.x, snapshot.p_g)


def panel_title(name: str, numbers: dict) -> str:
    """The title of panel ``name`` of Figure 1, stating its measured numbers."""
    if name == "a":
        return (f"(a) iteration {numbers['a_iteration']}: JS = {numbers['a_js']:.3f} nats;\n"
                f"D partly accurate, sup|D - D*| = {numbers['a_sup_abs_D_minus_Dstar']:.2f}")
    if name == "b":
        return (f"(b) G frozen, {numbers['b_discriminator_steps']} D steps on the exact expectations:\n"
                f"sup|D - D*| = {numbers['b_sup_abs_D_minus_Dstar']:.3f} where the densities have mass")
    if name == "c":
        return (f"(c) D frozen, {numbers['c_generator_steps']} G steps: JS {numbers['c_js_before']:.3f} -> "
                f"{numbers['c_js_after']:.3f} nats\n(down {100 * (1 - numbers['c_js_ratio']):.0f}%); faint: p_g "
                f"and arrow heads of (b)")
    if name == "d":
        exact = numbers.get("d_exact_iterations", 0)
        return (f"(d) iteration {numbers['d_iteration']}{f' + {exact} exact' if exact else ''}: "
                f"JS = {numbers['d_js']:.1e} nats,\n"
                f"sup|D - 1/2| = {numbers['d_sup_abs_D_minus_half']:.3f} where the data have mass")
    raise ValueError(f"name must be one of 'a', 'b', 'c', 'd', got name={name!r}")


def figure1_figure(panels: dict, numbers: dict, *, x_range=FIGURE1_X_RANGE, for_widget=False):
    """Figure 1 (a)-(d) from the snapshots of :func:`ganmath.experiments.figure1.run_figure1`; returns the Figure."""
    make = render.widget_figure if for_widget else render.new_figure
    figure, axes = make(2, 2, width=10.0, height=8.6)
    for ax, name in zip(np.ravel(axes), ("a", "b", "c", "d")):
        if name == "c":
            draw_before(ax, panels["b"])
        artists = draw_four_layers(ax, panels[name], x_range=x_range)
        artists.title.set_text(panel_title(name, numbers))
        artists.title.set_fontsize(10)
    for ax in np.ravel(axes)[::2]:
        ax.set_ylabel("density, and D(x)")
    handles, labels = np.ravel(axes)[2].get_legend_handles_labels()
    # Below the panels, off the data ("outside" places it in the constrained layout's margin).
    figure.legend(handles, labels, loc="outside lower center" if not for_widget else "lower center",
                  ncols=len(labels), fontsize=9, frameon=False)
    return figure


def snapshots_figure(snapshots, *, x_range=None, labels=None):
    """Small multiples of Figure 1's picture, one panel per snapshot, side by side on one x range (by default
    :func:`x_range_of` the snapshots); each title gives the iteration, the JS and sup|D - D*|, after
    ``labels[i]`` if given. Returns the Figure."""
    snapshots = list(snapshots)
    x_range = x_range_of(snapshots) if x_range is None else x_range
    figure, axes = render.new_figure(1, len(snapshots), width=3.9 * len(snapshots), height=3.9)
    axes = np.atleast_1d(axes)
    for i, (ax, snapshot) in enumerate(zip(axes, snapshots)):
        artists = draw_four_layers(ax, snapshot, x_range=x_range)
        head = f"{labels[i]}: " if labels is not None else ""
        artists.title.set_text(f"{head}iteration {snapshot.iteration}\nJS = {snapshot.js:.3f} nats, "
                               f"$\\sup|D - D^*|$ = {snapshot.sup_gap:.2f}")
        artists.title.set_fontsize(10)
    axes[0].set_ylabel("density, and D(x)")
    handles, labels_ = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels_, loc="outside lower center", ncols=len(labels_), fontsize=9, frameon=False)
    return figure


def seed_spread_figure(runs: list, bounds: dict):
    """The panel numbers of every seed (dicts of :meth:`ganmath.experiments.figure1.Figure1Runs.run_numbers`) against
    their bounds, one dot per seed, the runs that missed a bound in red: (a) the JS with its band, (b)
    sup|D - D*|, (c) the JS after G's steps over the JS before, (d) the JS and sup|D - 1/2|."""
    names = [("a_js", "(a) JS, nats", "log"), ("b_sup_abs_D_minus_Dstar", r"(b) $\sup|D - D^*|$", "linear"),
             ("c_js_ratio", "(c) JS after / JS before", "linear"), ("d_js", "(d) JS, nats", "log"),
             ("d_sup_abs_D_minus_half", r"(d) $\sup|D - 1/2|$", "linear")]
    figure, axes = render.new_figure(1, len(names), width=13.0, height=3.2)
    seeds = np.array([run["seed"] for run in runs])
    failed = np.array([not run["bounds_held"]["all"] for run in runs])
    for ax, (name, label, scale) in zip(axes, names):
        values = np.array([run[name] for run in runs], dtype=float)
        ax.scatter(seeds[~failed], values[~failed], s=12, color="tab:blue", label="every bound held")
        if failed.any():
            ax.scatter(seeds[failed], values[failed], s=22, color="tab:red", marker="x", label="a bound missed")
        bound = bounds[name]
        for level in (bound if isinstance(bound, (list, tuple)) else [bound]):
            ax.axhline(level, color="0.3", linestyle="--", linewidth=1.0, label="bound")
        ax.set_yscale(scale)
        if scale == "linear":
            top = max(bound) if isinstance(bound, (list, tuple)) else bound
            ax.set_ylim(0.0, max(1.25 * top, 1.08 * float(np.nanmax(values))))
        ax.set_xlabel("seed")
        ax.set_title(label, fontsize=10)
    handles, labels = axes[0].get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    figure.legend(unique.values(), unique.keys(), loc="outside lower center", ncols=len(unique), fontsize=9,
                  frameon=False)
    return figure


def sweep_figure(sweep):
    """Heatmaps of :class:`ganmath.experiments.algorithm1.PaperSweep`, one panel per generator loss and momentum, D's
    learning rate down and G's across, on one colour scale: the colour and the number in each cell are the median
    JS over the cell's runs (log scale), the lowest cell of each panel is framed, and a cell where some runs reached
    JS below the sweep's threshold also says how many. When no run of any cell reached it, the title says so."""
    from matplotlib.colors import LogNorm
    from matplotlib.patches import Rectangle

    n_losses, n_momentum = len(sweep.losses), sweep.momentum.size
    figure, axes = render.new_figure(n_losses, n_momentum, width=4.3 * n_momentum + 1.0, height=3.5 * n_losses + 0.4)
    axes = np.atleast_2d(axes)
    norm = LogNorm(vmin=0.03, vmax=0.7)
    image = None
    for l, loss in enumerate(sweep.losses):
        for i, momentum in enumerate(sweep.momentum):
            ax = axes[l, i]
            median = sweep.median_js[l, i]
            image = ax.imshow(median, norm=norm, cmap="viridis_r", origin="lower", aspect="auto")
            for (j, k), value in np.ndenumerate(median):
                count = sweep.trained[l, i, j, k]
                text = f"{value:.3f}" + (f"\n{count}/{sweep.n_runs} < {sweep.threshold:g}" if count else "")
                ax.text(k, j, text, ha="center", va="center", fontsize=8,
                        color="white" if value > 0.15 else "black")
            j, k = np.unravel_index(np.nanargmin(median), median.shape)
            ax.add_patch(Rectangle((k - 0.45, j - 0.45), 0.9, 0.9, fill=False, edgecolor="tab:red", linewidth=2.0))
            ax.set_xticks(range(sweep.lr_generator.size), [f"{v:g}" for v in sweep.lr_generator], fontsize=8)
            ax.set_yticks(range(sweep.lr_discriminator.size), [f"{v:g}" for v in sweep.lr_discriminator], fontsize=8)
            ax.set_xlabel("G's learning rate")
            ax.set_ylabel("D's learning rate")
            ax.set_title(f"{loss} G loss, momentum {momentum:g}", fontsize=10)
    bar = figure.colorbar(image, ax=axes, label=f"median JS after {sweep.n_iter} iterations (nats)")
    ticks = [0.03, 0.05, 0.1, 0.2, 0.4, 0.7]
    bar.set_ticks(ticks, labels=[f"{t:g}" for t in ticks])
    bar.ax.minorticks_off()
    reached = int(np.sum(sweep.trained))
    summary = (f"no run of any cell reached JS < {sweep.threshold:g} nats" if reached == 0 else
               f"{reached} of {sweep.trained.size * sweep.n_runs} runs reached JS < {sweep.threshold:g} nats")
    figure.suptitle(f"Median JS of {sweep.n_runs} runs per cell after {sweep.n_iter} iterations ({summary});\n"
                    "red frame: the lowest median of each panel", fontsize=10)
    return figure


def history_figure(history: dict, *, title: str = ""):
    """Losses, JS(p_data, p_g) and sup|D - D*| against the iteration (``History.as_arrays()``); returns the Figure."""
    figure, (losses, js, gap) = render.new_figure(1, 3, width=15.0, height=3.6)
    losses.plot(history["discriminator_iteration"], history["discriminator_loss"], color="blue", linewidth=0.6,
                alpha=0.7, label="D's loss")
    losses.plot(history["generator_iteration"], history["generator_loss"], color="green", linewidth=0.6,
                alpha=0.7, label="G's loss")
    losses.axhline(np.log(4.0), **{**palette.LEVEL_STYLE, "linestyle": "--"}, label=r"$\log 4$")
    losses.set_xlabel("iteration")
    losses.set_ylabel("minibatch loss")
    drawing.legend_below(losses, ncols=3, fontsize=8)
    js.semilogy(history["snapshot_iteration"], history["js"], color="tab:red", marker="o", markersize=3)
    js.set_xlabel("iteration")
    js.set_ylabel(r"JS$(p_\mathrm{data}, p_g)$, nats (exact $p_g$)")
    gap.plot(history["snapshot_iteration"], history["sup_gap"], color="blue", marker="o", markersize=3)
    gap.set_ylim(0.0, 1.0)
    gap.set_xlabel("iteration")
    gap.set_ylabel(r"$\sup|D - D^*|$, central 95%")
    if title:
        js.set_title(title, fontsize=10)
    return figure


def save_figure(figure, path) -> None:
    """Save as PNG or SVG, byte-identical from run to run (no dates, a fixed SVG id salt)."""
    path = str(path)
    if path.endswith(".svg"):
        with matplotlib.rc_context({"svg.hashsalt": "ganmath"}):
            figure.savefig(path, format="svg", metadata={"Date": None, "Creator": None})
    elif path.endswith(".png"):
        figure.savefig(path, format="png", metadata={"Software": None}, dpi=render.FIGURE_DPI)
    else:
        raise ValueError(f"path must end in .png or .svg, got path={path!r}")
