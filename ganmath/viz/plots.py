r"""The styles and the theory notebooks' figures (matplotlib, as every module of ganmath.viz).

Conventions of Goodfellow et al. (2014), Figure 1: the data density black dotted, the generator's density
:math:`p_g` green solid, the discriminator D blue dashed. Every function here draws into an Axes it is given
and returns the artists it made, so that a slider can move them in place; the figure functions lay those
panels out for the notebooks.

Two kinds of figure:

- :func:`new_figure`, for a notebook cell: a figure that Jupyter shows once, from the cell's value.
- :func:`widget_figure` and :class:`FigureRenderer`, for a slider: a figure outside pyplot that is rendered
  to PNG bytes on every move, redrawing only the artists that move on a cached image of the rest.

Every axis is labelled, and legends sit outside the axes (:func:`legend_below`, :func:`legend_beside`), so
that no legend covers a curve whatever the data; x-ranges follow the densities (:func:`window`).

Sections: styles; figures and rendering; axes helpers; panels (axes-level); notebook figures.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
import PIL.Image
from matplotlib import transforms
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = [
    "DATA_STYLE",
    "GENERATOR_STYLE",
    "DISCRIMINATOR_STYLE",
    "SMOOTHED_DISCRIMINATOR_STYLE",
    "HALF_LEVEL_STYLE",
    "CROSSING_STYLE",
    "LOSS_STYLES",
    "CURVE_STYLES",
    "new_figure",
    "widget_figure",
    "FigureRenderer",
    "png_bytes",
    "legend_below",
    "legend_beside",
    "nice_top",
    "window",
    "crossings",
    "DensityArtists",
    "draw_densities",
    "update_densities",
    "draw_curve",
    "draw_marker",
    "move_marker",
    "draw_level",
    "draw_half_level",
    "draw_crossings",
    "draw_histogram",
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

# ---------------------------------------------------------------------------------------------------------
# Styles. Goodfellow et al. (2014), Figure 1: data black dotted, p_g green solid, D blue dashed.
# ---------------------------------------------------------------------------------------------------------

DATA_STYLE = {"color": "black", "linestyle": ":", "linewidth": 2.2, "label": r"$p_\mathrm{data}$"}
GENERATOR_STYLE = {"color": "green", "linestyle": "-", "linewidth": 2.0, "label": r"$p_g$"}
DISCRIMINATOR_STYLE = {"color": "blue", "linestyle": "--", "linewidth": 2.0, "label": r"$D^*$"}
SMOOTHED_DISCRIMINATOR_STYLE = {
    "color": "royalblue",
    "linestyle": "-.",
    "linewidth": 1.6,
    "label": r"$\alpha D^*$ (label smoothing)",
}

# Goodfellow (2016), Figure 16: the three generator costs.
LOSS_STYLES = {
    "minimax": {"color": "tab:red", "linestyle": "-", "linewidth": 2.0, "label": r"minimax $\log(1-D)$"},
    "non-saturating": {"color": "tab:purple", "linestyle": "-", "linewidth": 2.0, "label": r"non-saturating $-\log D$"},
    "maximum-likelihood": {
        "color": "tab:orange",
        "linestyle": "-",
        "linewidth": 2.0,
        "label": r"maximum likelihood $-D/(1-D)$",
    },
}

CURVE_STYLES = {
    "js": {"color": "tab:red", "linestyle": "-", "linewidth": 2.0, "label": "JS, two Gaussians"},
    "js_slope": {"color": "tab:red", "linestyle": "--", "linewidth": 2.0, "label": "dJS/dd, two Gaussians"},
    "uniform_js": {"color": "tab:brown", "linestyle": "-", "linewidth": 1.6, "label": "JS, two uniforms"},
    "uniform_slope": {"color": "tab:brown", "linestyle": "--", "linewidth": 1.6, "label": "dJS/da, two uniforms"},
    "wasserstein": {"color": "tab:gray", "linestyle": "-", "linewidth": 1.6, "label": r"$W_1 = d$"},
    "wasserstein_slope": {"color": "tab:gray", "linestyle": "--", "linewidth": 1.6, "label": r"$dW_1/dd = 1$"},
    "kl": {"color": "tab:purple", "linestyle": "-", "linewidth": 2.0, "label": r"KL$(p_\mathrm{data}\,\|\,q)$"},
    "nll": {
        "color": "tab:orange",
        "linestyle": "--",
        "linewidth": 1.6,
        "label": r"$-\frac{1}{n}\sum\log q(x_i) - H(p_\mathrm{data})$",
    },
    "criterion": {"color": "tab:red", "linestyle": "-", "linewidth": 2.0, "label": r"$C(G)$"},
    "integrand": {
        "color": "tab:red",
        "linestyle": "-",
        "linewidth": 1.6,
        "label": r"$p_\mathrm{data}\log D^* + p_g\log(1-D^*)$",
    },
    "reverse_fit": {"color": "tab:orange", "linestyle": "-.", "linewidth": 2.0, "label": "reverse-KL fit"},
}
LEVEL_STYLE = {"color": "0.45", "linestyle": "-", "linewidth": 0.9}
# D = 1/2, and the points where p_data = p_g, which D* crosses it at.
HALF_LEVEL_STYLE = {"color": "blue", "linestyle": ":", "linewidth": 1.0}
CROSSING_STYLE = {"marker": "o", "markersize": 6.0, "color": "blue", "markerfacecolor": "white", "zorder": 5,
                  "label": r"$p_\mathrm{data} = p_g$: $D^* = 1/2$"}
MARKER_SIZE = 8.0

FIGURE_DPI = 100
WIDGET_DPI = 90
PNG_COMPRESS_LEVEL = 1  # zlib level 1: about three times faster than the default, a slightly larger image

# ---------------------------------------------------------------------------------------------------------
# Figures and rendering
# ---------------------------------------------------------------------------------------------------------


def new_figure(nrows: int = 1, ncols: int = 1, *, width: float = 11.0, height: float = 3.8):
    """A figure for a notebook cell, with its axes: Jupyter shows it once, as the cell's value.

    It is made through pyplot (which sets up Jupyter's display of figures) and closed there at once, so
    that the inline backend does not show it a second time at the end of the cell.

    Returns
    -------
    figure : Figure
    axes : Axes, or an ndarray of them as from :func:`matplotlib.pyplot.subplots`
    """
    figure, axes = plt.subplots(nrows, ncols, figsize=(width, height), dpi=FIGURE_DPI, layout="constrained")
    plt.close(figure)
    return figure, axes


def widget_figure(nrows: int = 1, ncols: int = 1, *, width: float = 11.0, height: float = 3.8, **adjust):
    """A figure for a slider: outside pyplot (never shown on its own), fixed margins, Agg canvas.

    Parameters
    ----------
    nrows, ncols : int
    width, height : float
        Inches, at ``WIDGET_DPI``.
    **adjust
        Margins for :meth:`Figure.subplots_adjust` (fixed, so a redraw never has to lay the figure out again).

    Returns
    -------
    figure : Figure
    axes : Axes, or an ndarray of them as from :func:`matplotlib.pyplot.subplots`
    """
    figure = Figure(figsize=(width, height), dpi=WIDGET_DPI)
    FigureCanvasAgg(figure)
    axes = figure.subplots(nrows, ncols)
    margins = {"left": 0.07, "right": 0.98, "bottom": 0.13, "top": 0.84, "wspace": 0.25, "hspace": 0.45}
    margins.update(adjust)
    figure.subplots_adjust(**margins)
    return figure, axes


def _encode_png(canvas: FigureCanvasAgg) -> bytes:
    """The canvas's pixels as PNG, read in place from the Agg buffer (no copy, no colour mapping)."""
    width, height = canvas.get_width_height(physical=True)
    image = PIL.Image.frombuffer("RGBA", (int(width), int(height)), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=PNG_COMPRESS_LEVEL)
    return buffer.getvalue()


def png_bytes(figure: Figure) -> bytes:
    """The whole figure drawn and encoded as PNG (no caching)."""
    canvas = FigureCanvasAgg(figure) if not isinstance(figure.canvas, FigureCanvasAgg) else figure.canvas
    canvas.draw()
    return _encode_png(canvas)


@dataclass
class FigureRenderer:
    """Renders a slider's figure to PNG again and again, redrawing only what moves.

    The ``moving`` artists are marked animated: a full draw leaves them out and its image is kept; each
    :meth:`png` restores that image and draws the moving artists on it (blitting). The cached image is
    redrawn when any axes' limits have changed since, or after :meth:`invalidate`. The moving artists are
    drawn over every still one, whatever their zorder.

    Parameters
    ----------
    figure : Figure
        From :func:`widget_figure`.
    moving : list of Artist
        Everything a slider changes: lines, markers, titles.
    on_top : list of Artist
        Still artists that moving ones may cross, such as a legend: redrawn on top of them every time
        (a legend costs about 10 ms, so lay panels out to need few).
    """

    figure: Figure
    moving: list = field(default_factory=list)
    on_top: list = field(default_factory=list)
    full_draws: int = 0

    def __post_init__(self):
        if not isinstance(self.figure.canvas, FigureCanvasAgg):
            FigureCanvasAgg(self.figure)
        # Drawn after the moving artists, so that these pass behind them (a legend they may cross).
        self.moving = list(self.moving) + [artist for artist in self.on_top if artist not in self.moving]
        for artist in self.moving:
            artist.set_animated(True)
        self._background = None
        self._limits = None

    def invalidate(self) -> None:
        """Redraw the still parts at the next :meth:`png` (after a change to something that is not moving)."""
        self._background = None

    def _current_limits(self):
        return [(tuple(ax.get_xlim()), tuple(ax.get_ylim())) for ax in self.figure.axes]

    def png(self) -> bytes:
        """The figure as PNG bytes, the moving artists drawn in their current state."""
        canvas = self.figure.canvas
        limits = self._current_limits()
        if self._background is None or limits != self._limits:
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            self._limits = limits
            self.full_draws += 1
        else:
            canvas.restore_region(self._background)
        for artist in self.moving:
            self.figure.draw_artist(artist)
        return _encode_png(canvas)

    @property
    def size(self) -> tuple[int, int]:
        """Width and height of the image in pixels."""
        width, height = self.figure.canvas.get_width_height()
        return int(width), int(height)


# ---------------------------------------------------------------------------------------------------------
# Axes helpers: legends off the data, windows that follow the densities
# ---------------------------------------------------------------------------------------------------------


def legend_below(ax, *, ncols: int = 3, fontsize: float = 9, drop: float = 0.5, handles=None):
    """A legend under the axes, below its x label (``drop`` inches under the axes' bottom edge).

    Outside the axes, so it never covers a curve, whatever the data; a constrained layout makes room for it, a
    slider's fixed layout must leave a bottom margin.

    Returns
    -------
    Legend
    """
    anchor = transforms.offset_copy(ax.transAxes, fig=ax.get_figure(), y=-drop, units="inches")
    kwargs = {} if handles is None else {"handles": handles}
    return ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), bbox_transform=anchor, ncols=ncols,
                     fontsize=fontsize, frameon=False, borderaxespad=0.0, columnspacing=1.2, **kwargs)


def legend_beside(ax, *, fontsize: float = 9, handles=None):
    """A legend to the right of the axes, outside it (for a figure with a constrained layout).

    Returns
    -------
    Legend
    """
    kwargs = {} if handles is None else {"handles": handles}
    return ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, fontsize=fontsize,
                     frameon=False, **kwargs)


def nice_top(value: float, step: float) -> float:
    """The smallest multiple of ``step`` at or above ``value``: an axis limit that changes only now and then."""
    return step * math.ceil(value / step - 1e-9)


def window(low: float, high: float, *, base=(-6.0, 6.0), step: float = 1.0) -> tuple[float, float]:
    """An x-range that holds ``base`` and ``[low, high]``: ``base``, each end pushed out by whole ``step``s as needed.

    A slider's densities move; their window grows with them in steps, so the figure's limits (and its full
    redraws) change only now and then.

    Returns
    -------
    tuple of float
    """
    below = max(0.0, math.ceil((base[0] - low) / step - 1e-9))
    above = max(0.0, math.ceil((high - base[1]) / step - 1e-9))
    return (float(base[0] - step * below), float(base[1] + step * above))


def crossings(x, data, generator, *, floor: float = 1e-3) -> np.ndarray:
    """Where :math:`p_\\mathrm{data} = p_g` on a grid: sign changes of their difference, linearly interpolated.

    Only where one of the two densities is above ``floor`` times the larger peak (in the far tails both are
    next to 0 and their difference is rounding).

    Parameters
    ----------
    x, data, generator : ndarray, shape (n,)

    Returns
    -------
    ndarray, shape (k,)
    """
    x, data, generator = (np.asarray(v, dtype=float) for v in (x, data, generator))
    if x.size == 0:
        return np.zeros(0)
    difference = data - generator
    visible = np.maximum(data, generator) > floor * max(np.max(data), np.max(generator))
    sign = np.sign(difference)
    # Consecutive visible points of opposite signs, with only exact zeros between them (a grid point on the crossing).
    candidates = np.flatnonzero(visible & (sign != 0))
    flips = np.flatnonzero(sign[candidates[:-1]] != sign[candidates[1:]])
    found = []
    for i, j in zip(candidates[flips], candidates[flips + 1]):
        if not np.all(visible[i:j + 1]):
            continue
        if j == i + 1:
            found.append(x[i] - difference[i] * (x[j] - x[i]) / (difference[j] - difference[i]))
        else:
            found.append(0.5 * (x[i + 1] + x[j - 1]))
    return np.array(found)


# ---------------------------------------------------------------------------------------------------------
# Panels: draw into a given Axes, return the artists
# ---------------------------------------------------------------------------------------------------------


@dataclass
class DensityArtists:
    """The lines of a density panel; ``None`` for those not drawn."""

    data: object = None
    generator: object = None
    discriminator: object = None
    smoothed: object = None

    def lines(self) -> list:
        return [a for a in (self.data, self.generator, self.discriminator, self.smoothed) if a is not None]


def draw_densities(ax, x, *, data=None, generator=None, discriminator=None, smoothed=None,
                   discriminator_label=None) -> DensityArtists:
    """Draw p_data (black dotted), p_g (green solid) and D (blue dashed) against x on one axes.

    Parameters
    ----------
    ax : Axes
    x : ndarray, shape (n,)
    data, generator, discriminator, smoothed : ndarray, shape (n,), optional
        Values of p_data, p_g, D (D* by default in the legend) and the label-smoothed D.
    discriminator_label : str, optional
        Legend label of the discriminator line.

    Returns
    -------
    DensityArtists
    """
    artists = DensityArtists()
    if data is not None:
        (artists.data,) = ax.plot(x, data, **DATA_STYLE)
    if generator is not None:
        (artists.generator,) = ax.plot(x, generator, **GENERATOR_STYLE)
    if discriminator is not None:
        style = dict(DISCRIMINATOR_STYLE)
        if discriminator_label is not None:
            style["label"] = discriminator_label
        (artists.discriminator,) = ax.plot(x, discriminator, **style)
    if smoothed is not None:
        (artists.smoothed,) = ax.plot(x, smoothed, **SMOOTHED_DISCRIMINATOR_STYLE)
    ax.set_xlabel("x")
    ax.set_ylabel("density, and D(x)" if discriminator is not None or smoothed is not None else "density")
    return artists


def update_densities(artists: DensityArtists, *, data=None, generator=None, discriminator=None, smoothed=None):
    """Set new y-values on the lines of :func:`draw_densities` (``None`` leaves a line as it is)."""
    for line, values in ((artists.data, data), (artists.generator, generator),
                         (artists.discriminator, discriminator), (artists.smoothed, smoothed)):
        if line is not None and values is not None:
            line.set_ydata(values)


def draw_peak_note(ax):
    """An empty note at the top of ``ax`` for :func:`note_clipped_peak` (green, like p_g)."""
    return ax.text(0.5, 0.985, "", transform=ax.get_xaxis_transform(), ha="center", va="top", fontsize=8,
                   color=GENERATOR_STYLE["color"], clip_on=False)


def note_clipped_peak(note, x, density, *, name: str = "p_g") -> None:
    """Say how high ``density`` goes where it leaves the top of the axes (an arrow and its height), or nothing.

    A generator's density has integrable spikes where G turns; scaling the axes to them would flatten
    everything else, so the spike is cut at the top and its height written there.
    """
    values = np.asarray(density, dtype=float)
    top = note.axes.get_ylim()[1]
    peak = int(np.nanargmax(values)) if np.any(np.isfinite(values)) else 0
    if not np.isfinite(values[peak]) or values[peak] <= top:
        note.set_text("")
        return
    low, high = note.axes.get_xlim()
    position = min(max(float(x[peak]), low + 0.08 * (high - low)), high - 0.08 * (high - low))
    note.set_x(position)
    note.set_text(f"\u2191 {name} peaks at {values[peak]:.3g}")


def draw_curve(ax, x, y, style: dict, **overrides):
    """One line in a named style (``CURVE_STYLES[...]`` or ``LOSS_STYLES[...]``); returns the Line2D."""
    (line,) = ax.plot(x, y, **{**style, **overrides})
    return line


def draw_marker(ax, x, y, color, *, label=None, size=MARKER_SIZE):
    """A single round marker at (x, y), to be moved with :func:`move_marker`; returns the Line2D."""
    (marker,) = ax.plot([x], [y], "o", color=color, markersize=size, markeredgecolor="white", label=label,
                        zorder=5, clip_on=False)
    return marker


def move_marker(marker, x, y) -> None:
    """Move a marker of :func:`draw_marker` to (x, y)."""
    marker.set_data([x], [y])


def draw_level(ax, y, label=None, **style):
    """A horizontal reference line (a bound, an optimum), thin and grey unless ``style`` says otherwise."""
    return ax.axhline(y, **{**LEVEL_STYLE, "label": label, **style})


def draw_half_level(ax):
    """The level D = 1/2, where :math:`D^*` stands wherever :math:`p_\\mathrm{data} = p_g`; returns the Line2D."""
    return draw_level(ax, 0.5, label=r"$D = 1/2$", **HALF_LEVEL_STYLE)


def draw_crossings(ax, x_crossings):
    """Markers on D = 1/2 at the points where the densities cross (:func:`crossings`); returns the Line2D.

    Move them with ``line.set_data(x, np.full_like(x, 0.5))``.
    """
    x_crossings = np.asarray(x_crossings, dtype=float)
    (line,) = ax.plot(x_crossings, np.full_like(x_crossings, 0.5), linestyle="none", **CROSSING_STYLE)
    return line


def draw_histogram(ax, samples, bins=40, *, label="samples", range=None):
    """A density-normalized histogram of samples, light grey behind the curves; returns the bar container."""
    _, _, bars = ax.hist(samples, bins=bins, range=range, density=True, color="0.85", edgecolor="0.7",
                         label=label, zorder=0)
    return bars


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
