"""The slider of notebook 14: scrub through a DCGAN run's snapshots, the same noise vectors through G as it
trains (ipywidgets, as every module of ganmath.ui).

- :func:`snapshot_slider`: one slider over the snapshot iterations of a :class:`ganmath.gan.dcgan.DCGAN`
  (or any iterations with their images), redrawing the grid of G's digits.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ganmath.ui.panel import SliderPanel
from ganmath.viz import dcgan as plots_dcgan
from ganmath.viz import render

__all__ = ["snapshot_slider"]

_STYLE = {"description_width": "130px"}
_LAYOUT = {"width": "460px"}


def snapshot_slider(iterations, images, *, columns: int = 8, start: int | None = None) -> SliderPanel:
    """A slider over training snapshots: at each, G of the same fixed noise vectors.

    Parameters
    ----------
    iterations : sequence of int
        The iteration of each snapshot (``gan.snapshot_iterations``).
    images : sequence of arrays (n, 1, 8, 8)
        G's images at each snapshot (``gan.snapshot_images``).
    columns : int
        Images per row.
    start : int, optional
        The snapshot shown first (the last by default).

    Returns
    -------
    SliderPanel
        ``controls["index"]`` is the slider; ``result`` holds the ``iteration`` shown and the ``mean_ink``
        (the mean pixel value, from -1 for blank images).
    """
    if isinstance(columns, bool) or not isinstance(columns, int) or columns < 1:
        raise ValueError(f"columns must be a positive integer, got columns={columns!r}")
    iterations = [int(i) for i in iterations]
    images = [np.asarray(frame, dtype=np.float64) for frame in images]
    if not images or len(images) != len(iterations):
        raise ValueError(f"iterations and images must be non-empty and of one length, got {len(iterations)} "
                         f"and {len(images)}")
    start = len(images) - 1 if start is None else start
    if not (isinstance(start, int) and 0 <= start < len(images)):
        raise ValueError(f"start must be an index into the {len(images)} snapshots, got start={start!r}")
    rows = -(-len(images[0]) // columns)
    figure, ax = render.widget_figure(1, 1, width=0.62 * columns + 0.4, height=0.62 * rows + 0.6, left=0.03,
                                     right=0.97, bottom=0.03, top=0.88)
    artists = plots_dcgan.draw_image_grid(ax, images[start], columns)
    renderer = render.FigureRenderer(figure, artists.moving())

    def update(index):
        plots_dcgan.update_image_grid(artists, images[index], title=f"G(z) at iteration {iterations[index]}")
        return {"iteration": iterations[index], "mean_ink": float(np.mean(images[index]))}

    slider = widgets.IntSlider(value=start, min=0, max=len(images) - 1, step=1, description="snapshot",
                               continuous_update=True, style=_STYLE, layout=widgets.Layout(**_LAYOUT))
    return SliderPanel({"index": slider}, renderer, update)
