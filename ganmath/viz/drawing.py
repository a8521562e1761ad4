r"""Drawing into a given Axes: legends off the data, windows that follow the densities, and the panels every
picture is made of (densities, curves, markers, levels, histograms), each returning the artists it made so that a
slider can move them in place.

Every axis is labelled, and legends sit outside the axes (:func:`legend_below`, :func:`legend_beside`), so
that no legend covers a curve whatever the data; x-ranges follow the densities (:func:`window`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from matplotlib import transforms

from ganmath.viz.palette import (
    CROSSING_STYLE,
    DATA_STYLE,
    DISCRIMINATOR_STYLE,
    GENERATOR_STYLE,
    HALF_LEVEL_STYLE,
    LEVEL_STYLE,
    MARKER_SIZE,
    SMOOTHED_DISCRIMINATOR_STYLE,
)

__all__ = [
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
    "draw_peak_note",
    "note_clipped_peak",
]


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
