"""Sliders for notebooks 6 and 7: scrub through a training run's snapshots; Algorithm 1's settings, then train.

- :func:`snapshot_slider`: one slider over the recorded snapshots, redrawing the four-layer picture of
  Figure 1 (p_data, exact p_g, D, D*, the arrows from z to G(z)) at each, its title stating JS and
  sup|D - D*|.
- :func:`algorithm1_controls`: k, the optimizer, the learning rate, the momentum and the generator loss; a
  Train button runs a short Algorithm-1 run, its snapshots on :func:`wide_grid`, and puts them under a
  :func:`snapshot_slider`.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ganmath.core.costs import GENERATOR_LOSSES
from ganmath.gan import GAN
from ganmath.ui.panel import SliderPanel
from ganmath.viz import figure1 as plots_figure1
from ganmath.viz import render

__all__ = ["Algorithm1Controls", "algorithm1_controls", "snapshot_slider", "wide_grid"]

_STYLE = {"description_width": "130px"}
_LAYOUT = {"width": "460px"}


def snapshot_slider(snapshots, *, x_range=None, start=None, legend_loc=None) -> SliderPanel:
    """A slider over ``snapshots`` (:class:`ganmath.gan.Snapshot`, one x grid), redrawing Figure 1's picture.

    ``x_range`` is the x axis shown, by default the one that holds the run's data and every snapshot's arrows
    within the grid (:func:`ganmath.viz.figure1.x_range_of`); when some arrows of a snapshot land outside it, its
    title says so. ``legend_loc`` places the legend inside the axes (matplotlib's ``loc``); by default it sits
    to the right of the axes, off the curves.

    Returns
    -------
    SliderPanel
        ``controls["index"]`` is the slider; ``result`` holds ``iteration``, ``js``, ``sup_gap`` of the
        snapshot shown.
    """
    snapshots = list(snapshots)
    if not snapshots:
        raise ValueError("snapshots must hold at least one snapshot, got an empty sequence")
    start = len(snapshots) - 1 if start is None else start
    x_range = plots_figure1.x_range_of(snapshots) if x_range is None else x_range
    if not (isinstance(start, int) and 0 <= start < len(snapshots)):
        raise ValueError(f"start must be an index into the {len(snapshots)} snapshots, got start={start!r}")
    outside = legend_loc is None
    figure, ax = render.widget_figure(1, 1, width=9.0, height=4.4, left=0.08, bottom=0.12, top=0.88,
                                     right=0.84 if outside else 0.97)
    artists = plots_figure1.draw_four_layers(ax, snapshots[start], x_range=x_range)
    if outside:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)
    else:
        ax.legend(loc=legend_loc, fontsize=8, ncols=2)
    renderer = render.FigureRenderer(figure, artists.moving())

    def update(index):
        snapshot = snapshots[index]
        beyond = np.any((snapshot.generated < x_range[0]) | (snapshot.generated > x_range[1]))
        title = (f"iteration {snapshot.iteration} (D steps {snapshot.discriminator_steps}, G steps "
                 f"{snapshot.generator_steps}):  JS = {snapshot.js:.4f},  sup|D - D*| = {snapshot.sup_gap:.3f}"
                 + ("\nsome G(z) land beyond the axes" if beyond else ""))
        plots_figure1.update_four_layers(artists, snapshot, x_range=x_range, title=title)
        return {"iteration": snapshot.iteration, "js": snapshot.js, "sup_gap": snapshot.sup_gap}

    slider = widgets.IntSlider(value=start, min=0, max=len(snapshots) - 1, step=1, description="snapshot",
                               continuous_update=True, style=_STYLE, layout=widgets.Layout(**_LAYOUT))
    return SliderPanel({"index": slider}, renderer, update)


def wide_grid(data, n: int = 801) -> np.ndarray:
    """``n`` points over the data's central 99.98% and twice its width on either side: where a run's G may go
    when its learning rate is too large, so that its p_g and arrows stay on the picture."""
    low, high = (float(v) for v in data.ppf([1e-4, 1 - 1e-4]))
    width = high - low
    return np.linspace(low - 2.0 * width, high + 2.0 * width, n)


class Algorithm1Controls:
    """Algorithm 1's settings, a Train button, and the run's snapshots under a slider.

    Attributes
    ----------
    controls : dict[str, ipywidgets.ValueWidget]
        ``k``, ``optimizer`` ("adam", or "sgd" with momentum as in the paper), ``lr`` (D's; G's is a quarter
        of it), ``momentum``, ``loss``, ``iterations``.
    gan : GAN or None
        The last run.
    panel : SliderPanel
        The snapshot slider of the last run (a first, short run is made at construction).
    widget : ipywidgets.VBox
    """

    def __init__(self, data, noise, *, iterations=300, seed=0, x_range=None):
        self.data, self.noise, self.seed, self.x_range = data, noise, seed, x_range
        self.controls = {
            "k": widgets.IntSlider(value=1, min=1, max=5, description="k (D steps)", style=_STYLE,
                                   layout=widgets.Layout(**_LAYOUT)),
            "optimizer": widgets.Dropdown(options=["adam", "sgd"], value="adam", description="optimizer",
                                          style=_STYLE),
            "lr": widgets.FloatLogSlider(value=2e-3, base=10, min=-4, max=-1, step=0.1, description="D's learning rate",
                                         style=_STYLE, layout=widgets.Layout(**_LAYOUT)),
            "momentum": widgets.FloatSlider(value=0.9, min=0.0, max=0.95, step=0.05, description="momentum (SGD)",
                                            style=_STYLE, layout=widgets.Layout(**_LAYOUT)),
            "loss": widgets.Dropdown(options=list(GENERATOR_LOSSES), value="non-saturating",
                                     description="generator loss", style=_STYLE),
            "iterations": widgets.IntSlider(value=iterations, min=100, max=3000, step=100, description="iterations",
                                            style=_STYLE, layout=widgets.Layout(**_LAYOUT)),
        }
        self.button = widgets.Button(description="Train")
        self.button.on_click(lambda _: self.train())
        self.status = widgets.Label()
        self.gan = None
        self.panel = None
        self._holder = widgets.VBox()
        self.train()
        # The snapshot slider first, so that it is the first slider of the notebook's output.
        self.widget = widgets.VBox([self._holder, widgets.VBox(list(self.controls.values())),
                                    widgets.HBox([self.button, self.status])])

    def train(self) -> GAN:
        """Train a new GAN with the current settings (G's learning rate a quarter of D's, as in Figure 1's run),
        its snapshots on :func:`wide_grid`."""
        values = {name: control.value for name, control in self.controls.items()}
        gan = GAN(self.data, self.noise, k=values["k"], optimizer=values["optimizer"], lr_discriminator=values["lr"],
                  lr_generator=values["lr"] / 4.0, momentum=values["momentum"], generator_loss=values["loss"],
                  seed=self.seed, grid=wide_grid(self.data))
        every = max(1, values["iterations"] // 20)
        gan.train(values["iterations"], snapshot_every=every)
        self.gan = gan
        self.panel = snapshot_slider(gan.history.snapshots, x_range=self.x_range)
        self._holder.children = (self.panel.widget,)
        last = gan.history.snapshots[-1]
        self.status.value = f"{gan.iteration} iterations: JS = {last.js:.4f} nats, sup|D - D*| = {last.sup_gap:.3f}"
        return gan

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def algorithm1_controls(data, noise, *, iterations=300, seed=0, x_range=None) -> Algorithm1Controls:
    """Widgets to choose k, the learning rate, the momentum and the generator loss, then train (notebook 6).

    ``x_range`` is the x axis of the snapshot slider; by default each run's own (:func:`snapshot_slider`)."""
    return Algorithm1Controls(data, noise, iterations=iterations, seed=seed, x_range=x_range)
