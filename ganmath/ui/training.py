"""A slider that scrubs recorded training runs (notebooks 8 and 9).

:func:`frames_scrubber` shows one panel per run (p_data, the exact p_g, the learned D and the exact D* at one
recorded iteration) and a slider over the recorded iterations; it returns a :class:`ganmath.ui.panel.SliderPanel`
(``panel.controls["frame"].value = i`` redraws without a browser; ``panel.result`` holds the shown iterations
and JS values).
"""

from __future__ import annotations

import ipywidgets as widgets

from ganmath.ui.panel import SliderPanel
from ganmath.viz import render
from ganmath.viz.training import draw_frame_panel, update_frame_panel

__all__ = ["frames_scrubber"]


def frames_scrubber(runs: dict, *, width_per_panel: float = 5.2, height: float = 3.4) -> SliderPanel:
    """A slider over recorded iterations, redrawing one panel per run.

    Parameters
    ----------
    runs : dict[str, list of ganmath.gan.Snapshot]
        Title of each panel -> its frames; every list has the same length (frame i of every run is shown
        together).

    Returns
    -------
    SliderPanel
        ``result``: ``iterations`` and ``js`` (lists, one per run) of the frames shown.
    """
    if not isinstance(runs, dict) or not runs:
        raise ValueError(f"runs must be a non-empty dict of title -> list of frames, got runs={runs!r}")
    lengths = {title: len(frames) for title, frames in runs.items()}
    if len(set(lengths.values())) != 1 or 0 in lengths.values():
        raise ValueError(f"every run must have the same non-zero number of frames, got {lengths}")
    n_frames = next(iter(lengths.values()))
    figure, axes = render.widget_figure(1, len(runs), width=width_per_panel * len(runs), height=height,
                                       top=0.80, bottom=0.16, left=0.05, right=0.99, wspace=0.15)
    axes = [axes] if len(runs) == 1 else list(axes)
    panels = {title: draw_frame_panel(ax, frames[0]) for ax, (title, frames) in zip(axes, runs.items())}
    axes[0].legend(loc="lower left", bbox_to_anchor=(0.0, 1.12), ncols=4, fontsize=8, frameon=False)
    moving = [artist for panel in panels.values() for artist in (panel.generator, panel.learned, panel.optimal,
                                                                  panel.ax.title, panel.peak)]
    renderer = render.FigureRenderer(figure, moving)

    def update(frame):
        shown = {"iterations": [], "js": []}
        for title, frames in runs.items():
            current = frames[frame]
            update_frame_panel(panels[title], current,
                               f"{title}\niteration {current.iteration}:  JS = {current.js:.4f}")
            shown["iterations"].append(current.iteration)
            shown["js"].append(current.js)
        return shown

    slider = widgets.IntSlider(value=0, min=0, max=n_frames - 1, step=1, description="recorded frame",
                               continuous_update=True, style={"description_width": "130px"},
                               layout=widgets.Layout(width="460px"))
    return SliderPanel({"frame": slider}, renderer, update)
