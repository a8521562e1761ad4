r"""The interactive 1-D GAN trainer: controls, buttons, a live picture and live curves (ipywidgets).

``gan_trainer(**settings)`` returns a :class:`TrainerApp`; show ``app.widget`` in a notebook. The logic lives
in :class:`ganmath.experiments.trainer.Trainer`; this module only wires widgets to it and draws
(:func:`ganmath.viz.training.trainer_figure`).

- Buttons "Step D", "Step G", "Iterate", "Play", "Pause", "Reset", and "Strong D": a new run on N(4, 0.5)
  whose D is trained ahead with SGD, under the minimax loss, to watch saturation live. Play runs an asyncio
  task on the kernel's event loop: it iterates, redraws, then yields, so the kernel keeps handling messages
  (Pause, the sliders) between frames.
- The counter (CSS class ``ganmath-iteration``) reads "iteration N · D steps · G steps".
- The picture is an ``ipywidgets.Image`` whose PNG bytes are replaced in place at every update.
- Learning rates, the generator loss, k, m and the optimizer change in the middle of a run, playing or not;
  data, noise, network sizes and the seed start a new run, and the status line says which happened. The
  mixture sliders are shown only when p_data is the mixture.
- A loss not computed yet reads "—".

``trainer_snapshot(trainer)`` draws the same picture once, as a static figure (for a reader without a kernel).
"""

from __future__ import annotations

import asyncio
import html

import ipywidgets as widgets
import numpy as np

from ganmath.core.costs import GENERATOR_LOSSES
from ganmath.core.presets import NOISE_PRIORS
from ganmath.experiments.trainer import DATA_PRESETS, Trainer
from ganmath.gan import NonFiniteError
from ganmath.nn.optimizers import OPTIMIZERS
from ganmath.viz import render
from ganmath.viz.training import trainer_figure, update_trainer_figure

__all__ = ["BUTTON_LABELS", "TrainerApp", "gan_trainer", "trainer_headline", "trainer_snapshot"]

BUTTON_LABELS = ("Step D", "Step G", "Iterate", "Play", "Pause", "Reset", "Strong D")
MIXTURE_CONTROLS = ("mixture_mean_1", "mixture_mean_2", "mixture_spread", "mixture_weight_1")
_STYLE = {"description_width": "120px"}
_WIDE = widgets.Layout(width="330px")


def _dropdown(description, options, value):
    return widgets.Dropdown(options=options, value=value, description=description, style=_STYLE, layout=_WIDE)


def _number(value: float, digits: int) -> str:
    """``value`` with ``digits`` decimals, or "—" for a number not computed yet (NaN)."""
    return "—" if not np.isfinite(value) else f"{value:.{digits}f}"


def _float_slider(description, value, low, high, step):
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               continuous_update=False, style=_STYLE, layout=_WIDE, readout_format=".2f")


def trainer_headline(trainer: Trainer) -> str:
    """The line above the trainer's picture: the iteration, JS, C(G), sup|D - D*| and the settings that matter."""
    last, settings = trainer.last, trainer.settings
    return (f"iteration {last.iteration}:  JS = {_number(last.js, 4)},  C(G) = {_number(last.criterion, 4)},  "
            f"sup|D - D*| = {_number(last.sup_gap, 3)}   ({settings.data}, {settings.generator_loss} G loss, "
            f"{settings.optimizer}, k = {settings.k})")


def trainer_snapshot(trainer: Trainer):
    """The trainer's picture of ``trainer``'s current state, once: a matplotlib Figure that Jupyter shows.

    The same figure as the application's (:func:`ganmath.viz.training.trainer_figure`), with the curves of every
    readout since the trainer's last reset; nothing is trained or changed.
    """
    if not isinstance(trainer, Trainer):
        raise TypeError(f"trainer must be a Trainer, got trainer={trainer!r}")
    artists = trainer_figure(trainer.x, trainer.p_data, shown=True)
    update_trainer_figure(artists, trainer.picture(), trainer.curves(), headline=trainer_headline(trainer))
    return artists.figure


class TrainerApp:
    """The trainer's widgets around a :class:`ganmath.experiments.trainer.Trainer`.

    Attributes
    ----------
    trainer : Trainer
    widget : ipywidgets.VBox
        What the notebook shows.
    buttons : dict[str, ipywidgets.Button]
        By label (:data:`BUTTON_LABELS`); ``app.buttons["Iterate"].click()`` presses one.
    controls : dict[str, ipywidgets.ValueWidget]
        The settings, by the name of the :class:`ganmath.experiments.trainer.TrainerSettings` field (the mixture
        sliders as ``mixture_mean_1``, ``mixture_mean_2``, ``mixture_spread``, ``mixture_weight_1``).
    counter : ipywidgets.HTML
        "iteration N · ..." (CSS class ``ganmath-iteration``).
    readouts : ipywidgets.HTML
        The latest numbers, or the reason training stopped.
    image : ipywidgets.Image
        The live picture; ``png`` holds its bytes.
    iterations_per_frame : int
        Algorithm-1 iterations between two frames while playing.
    """

    def __init__(self, trainer: Trainer, *, iterations_per_frame: int = 1, frame_pause: float = 0.0):
        self.trainer = trainer
        self.iterations_per_frame = iterations_per_frame
        self.frame_pause = frame_pause
        self.playing = False
        self._task = None
        self.redraws = 0
        self.png = b""

        s = trainer.settings
        mixture = s.mixture
        self.controls = {
            "data": _dropdown("p_data", DATA_PRESETS, s.data),
            "mixture_mean_1": _float_slider("mixture: mean 1", mixture["means"][0], -4.0, 4.0, 0.1),
            "mixture_mean_2": _float_slider("mixture: mean 2", mixture["means"][-1], -4.0, 4.0, 0.1),
            "mixture_spread": _float_slider("mixture: spread", mixture["spreads"][0], 0.1, 1.5, 0.05),
            "mixture_weight_1": _float_slider("mixture: weight 1", mixture["weights"][0] / sum(mixture["weights"]),
                                              0.05, 0.95, 0.05),
            "noise": _dropdown("noise p_z", NOISE_PRIORS, s.noise),
            "generator_width": _dropdown("G width", (4, 8, 16, 32, 64), s.generator_width),
            "generator_depth": _dropdown("G hidden layers", (1, 2, 3), s.generator_depth),
            "discriminator_width": _dropdown("D width", (4, 8, 16, 32, 64), s.discriminator_width),
            "discriminator_depth": _dropdown("D hidden layers", (1, 2, 3), s.discriminator_depth),
            "generator_loss": _dropdown("G loss", GENERATOR_LOSSES, s.generator_loss),
            "optimizer": _dropdown("optimizer", tuple(OPTIMIZERS), s.optimizer),
            "lr_discriminator": widgets.FloatLogSlider(value=s.lr_discriminator, base=10, min=-5, max=-1, step=0.1,
                                                       description="D learning rate", continuous_update=False,
                                                       style=_STYLE, layout=_WIDE, readout_format=".1e"),
            "lr_generator": widgets.FloatLogSlider(value=s.lr_generator, base=10, min=-5, max=-1, step=0.1,
                                                   description="G learning rate", continuous_update=False,
                                                   style=_STYLE, layout=_WIDE, readout_format=".1e"),
            "k": widgets.BoundedIntText(value=s.k, min=1, max=20, description="k (D steps)", style=_STYLE,
                                        layout=_WIDE),
            "m": _dropdown("minibatch m", (16, 32, 64, 128, 256), s.m),
            "seed": widgets.BoundedIntText(value=s.seed, min=0, max=2**31 - 1, description="seed", style=_STYLE,
                                           layout=_WIDE),
        }
        self.buttons = {label: widgets.Button(description=label, layout=widgets.Layout(width="90px"))
                        for label in BUTTON_LABELS}
        self.buttons["Step D"].on_click(lambda _: self.step_discriminator())
        self.buttons["Step G"].on_click(lambda _: self.step_generator())
        self.buttons["Iterate"].on_click(lambda _: self.iterate())
        self.buttons["Play"].on_click(lambda _: self.play())
        self.buttons["Pause"].on_click(lambda _: self.pause())
        self.buttons["Reset"].on_click(lambda _: self.reset())
        self.buttons["Strong D"].on_click(lambda _: self.strong_discriminator())
        self.status = widgets.HTML()
        self.counter = widgets.HTML()
        self.counter.add_class("ganmath-iteration")
        self.readouts = widgets.HTML()
        self.image = widgets.Image(format="png")

        self.artists = trainer_figure(trainer.x, trainer.p_data)
        self.renderer = render.FigureRenderer(self.artists.figure, self.artists.moving())
        for control in self.controls.values():
            control.observe(self._on_setting, names="value")

        c = self.controls
        self.mixture_box = widgets.VBox([c[name] for name in MIXTURE_CONTROLS])
        columns = [
            widgets.VBox([c["data"], self.mixture_box, c["noise"], c["seed"]]),
            widgets.VBox([c[n] for n in ("generator_width", "generator_depth", "discriminator_width",
                                          "discriminator_depth")]),
            widgets.VBox([c[n] for n in ("generator_loss", "optimizer", "lr_discriminator", "lr_generator", "k",
                                          "m")]),
        ]
        self.widget = widgets.VBox([
            widgets.HBox(columns),
            widgets.HBox(list(self.buttons.values()) + [self.counter]),
            self.readouts,
            self.status,
            self.image,
        ])
        self._show_mixture()
        self.redraw()

    def _show_mixture(self) -> None:
        self.mixture_box.layout.display = "flex" if self.controls["data"].value == "mixture" else "none"

    # -- drawing ---------------------------------------------------------------------------------------

    def redraw(self) -> bytes:
        """Draw the current state into the image and the counter; return the PNG bytes."""
        trainer = self.trainer
        last = trainer.last
        update_trainer_figure(self.artists, trainer.picture(), trainer.curves(), headline=trainer_headline(trainer))
        self.png = self.renderer.png()
        self.image.value = self.png
        self.counter.value = (f"<b>iteration {last.iteration}</b> · D steps {last.discriminator_steps} · "
                              f"G steps {last.generator_steps}")
        if trainer.failure:
            self.readouts.value = f"<span style='color:#b00'>training stopped: {html.escape(trainer.failure)}</span>"
        else:
            self.readouts.value = (
                f"JS(p_data, p_g) = {_number(last.js, 5)} nats · C(G) = {_number(last.criterion, 5)} "
                f"(min -log 4 = -1.38629) · sup|D - D*| = {_number(last.sup_gap, 4)} · "
                f"D loss {_number(last.discriminator_loss, 4)} · G loss {_number(last.generator_loss, 4)}")
        self.redraws += 1
        return self.png

    def _apply(self, action) -> bool:
        """Run a trainer action and redraw; a non-finite run stops playing and shows why."""
        try:
            action()
        except NonFiniteError:
            self.playing = False
            self.redraw()
            return False
        self.redraw()
        return True

    # -- the buttons -----------------------------------------------------------------------------------

    def step_discriminator(self):
        return self._apply(self.trainer.step_discriminator)

    def step_generator(self):
        return self._apply(self.trainer.step_generator)

    def iterate(self):
        return self._apply(self.trainer.iterate)

    def reset(self):
        self.pause()
        self.trainer.reset()
        self.status.value = "reset: the same settings, from the seed"
        self.redraw()

    def strong_discriminator(self):
        """A new run whose D is trained ahead (``Trainer.strong_discriminator``), the controls set to match."""
        self.pause()
        self._silent = True
        try:
            self.trainer.strong_discriminator()
            for name, control in self.controls.items():
                if name in self.trainer.settings.__dataclass_fields__:
                    control.value = getattr(self.trainer.settings, name)
        finally:
            self._silent = False
        self._show_mixture()
        self._rebuild_figure()
        self.status.value = ("strong D: N(4, 0.5), D trained alone for 300 SGD steps, minimax loss; press Play "
                             "and watch the pushes, then switch G loss to non-saturating")
        self.redraw()

    def _rebuild_figure(self) -> None:
        # A new data density or range: the still parts of the figure (p_data, the axes) change too.
        self.artists = trainer_figure(self.trainer.x, self.trainer.p_data)
        self.renderer = render.FigureRenderer(self.artists.figure, self.artists.moving())

    def play(self) -> None:
        """Start iterating on the running event loop (does nothing when already playing)."""
        if self.playing:
            return
        self.playing = True
        self._task = asyncio.get_event_loop().create_task(self._play_loop())

    def pause(self) -> None:
        """Stop after the frame under way."""
        self.playing = False

    async def _play_loop(self):
        while self.playing:
            if not self._apply(lambda: self.trainer.iterate(self.iterations_per_frame)):
                break
            # Yield to the kernel so that Pause and the sliders are handled between frames.
            await asyncio.sleep(self.frame_pause)

    # -- the settings ----------------------------------------------------------------------------------

    def _settings_from_controls(self) -> dict:
        values = {name: control.value for name, control in self.controls.items()}
        weight = values.pop("mixture_weight_1")
        mixture = {"means": [values.pop("mixture_mean_1"), values.pop("mixture_mean_2")],
                   "spreads": [values["mixture_spread"]] * 2, "weights": [weight, 1.0 - weight]}
        values.pop("mixture_spread")
        # The mixture matters only when it is the data: moving its sliders otherwise changes nothing.
        return {**values, "mixture": mixture} if values["data"] == "mixture" else values

    def _on_setting(self, change) -> None:
        if getattr(self, "_silent", False):
            return
        self._show_mixture()
        name = next(n for n, control in self.controls.items() if control is change["owner"])
        if name in MIXTURE_CONTROLS and self.controls["data"].value != "mixture":
            return  # hidden: the mixture is not the data
        try:
            reset = self.trainer.change(**self._settings_from_controls())
        except (ValueError, TypeError) as error:
            self.status.value = f"<span style='color:#b00'>{html.escape(str(error))}</span>"
            return
        if reset:
            self.pause()
            self._rebuild_figure()
            self.status.value = f"{html.escape(name)} changed: a new run from the seed (data, noise, sizes and seed reset)"
        else:
            self.status.value = f"{html.escape(name)} changed in the middle of the run (iteration {self.trainer.gan.iteration})"
        self.redraw()


def gan_trainer(*, iterations_per_frame: int = 2, **settings) -> TrainerApp:
    """The interactive trainer for the settings of :class:`ganmath.experiments.trainer.TrainerSettings`.

    Example::

        from ganmath.ui.trainer_app import gan_trainer
        app = gan_trainer(data="two modes", generator_loss="non-saturating")
        app.widget
    """
    from ganmath._validation import check_positive_int

    iterations_per_frame = check_positive_int("iterations_per_frame", iterations_per_frame)
    return TrainerApp(Trainer(**settings), iterations_per_frame=iterations_per_frame)
