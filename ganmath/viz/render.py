r"""Figures for a notebook cell and for a slider.

- :func:`new_figure`, for a notebook cell: a figure that Jupyter shows once, from the cell's value.
- :func:`widget_figure` and :class:`FigureRenderer`, for a slider: a figure outside pyplot that is rendered
  to PNG bytes on every move, redrawing only the artists that move on a cached image of the rest.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = [
    "new_figure",
    "widget_figure",
    "FigureRenderer",
    "png_bytes",
    "FIGURE_DPI",
    "WIDGET_DPI",
    "PNG_COMPRESS_LEVEL",
]


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
