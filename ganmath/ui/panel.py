r"""A slider panel: sliders, a figure that moves in place, and the numbers of the moment (ipywidgets).

:class:`SliderPanel` is what every slider of the course returns. Moving a slider recomputes the numbers (kept in
``panel.result``), moves the figure's lines in place and renders the figure to a PNG image shown in the panel's
``Output`` widget (``panel.png`` holds the bytes). A test can set ``panel.controls["mean"].value`` without a
browser and read both. :func:`slider`, :data:`SLIDER_STYLE` and :data:`SLIDER_LAYOUT` give every panel the same
sliders.
"""

from __future__ import annotations

import base64
from typing import Callable

import ipywidgets as widgets

from ganmath.viz import render

__all__ = ["SliderPanel", "slider", "SLIDER_STYLE", "SLIDER_LAYOUT"]

SLIDER_STYLE = {"description_width": "130px"}
SLIDER_LAYOUT = {"width": "460px"}


def slider(description: str, value: float, low: float, high: float, step: float, readout_format=".2f"):
    """A float slider in the panels' style: its label ``description``, starting at ``value`` on [low, high] by
    ``step``, redrawing while it is dragged."""
    return widgets.FloatSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        continuous_update=True,
        readout_format=readout_format,
        style=SLIDER_STYLE,
        layout=widgets.Layout(**SLIDER_LAYOUT),
    )


class SliderPanel:
    """Sliders, the figure they redraw and the numbers of the last redraw.

    Parameters
    ----------
    controls : dict[str, ipywidgets.ValueWidget]
        The sliders (and other controls) by the name of the argument they set in ``update``.
    renderer : ganmath.viz.render.FigureRenderer
        The figure and the artists that move.
    update : callable
        ``update(**values) -> dict``: recompute the numbers for the controls' values, move the artists,
        return the numbers.

    Attributes
    ----------
    widget : ipywidgets.VBox
        What the notebook shows: the controls above an ``Output`` with the figure's image.
    result : dict[str, float]
        The numbers of the last redraw.
    png : bytes
        The last image.
    redraws : int
        How many times the figure has been redrawn.
    """

    def __init__(self, controls: dict, renderer: render.FigureRenderer, update: Callable[..., dict]):
        self.controls = dict(controls)
        self.renderer = renderer
        self.figure = renderer.figure
        self.output = widgets.Output()
        self._update = update
        self.result: dict = {}
        self.png = b""
        self.redraws = 0
        self.widget = widgets.VBox([widgets.VBox(list(self.controls.values())), self.output])
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.redraw()

    @property
    def sliders(self) -> list:
        """The controls that are sliders, in the order shown."""
        return [c for c in self.controls.values() if isinstance(c, widgets.FloatSlider)]

    def values(self) -> dict:
        """The controls' current values by name."""
        return {name: control.value for name, control in self.controls.items()}

    def redraw(self) -> dict:
        """Recompute for the current values, move the artists, render and show the image; return the numbers."""
        self.result = self._update(**self.values())
        self.png = self.renderer.png()
        width, height = self.renderer.size
        self.output.outputs = (
            {
                "output_type": "display_data",
                "data": {
                    "image/png": base64.b64encode(self.png).decode("ascii"),
                    "text/plain": f"<Figure size {width}x{height}>",
                },
                "metadata": {"image/png": {"width": width, "height": height}},
            },
        )
        self.redraws += 1
        return self.result

    def _on_change(self, change) -> None:
        try:
            self.redraw()
        except Exception as error:
            # Show the failure where the figure was, then let the caller (or the kernel's log) see it.
            self.output.outputs = (
                {"output_type": "stream", "name": "stderr", "text": f"{type(error).__name__}: {error}\n"},
            )
            raise

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
