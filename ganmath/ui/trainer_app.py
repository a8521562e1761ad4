r"""The interactive 1-D GAN trainer: controls, buttons, a live picture and live curves (ipywidgets).

``gan_trainer(**settings)`` returns a :class:`TrainerApp`; show ``app.widget`` in a notebook. The logic lives
in :class:`ganmath.experiments.trainer.Trainer`; this module only wires widgets to it and draws
(:func:`ganmath.viz.training.trainer_figure`).

- Buttons "Step D", "Step G", "Iterate", "Play", "Pause", "Reset". Play runs an asyncio task on the
  kernel's event loop: it iterates, redraws, then awaits a short sleep, so the kernel keeps handling
  messages (Pause, the sliders) between frames.
- The counter (CSS class ``ganmath-iteration``) reads "iteration N · D steps · G steps".
- The picture is an ``ipywidgets.Image`` whose PNG bytes are replaced in place at every update.
- Changing a setting pauses, rebuilds the GAN from the seed and redraws; moving a mixture slider switches
  p_data to the mixture it builds.
"""

from __future__ import annotations

import asyncio
import html

import ipywidgets as widgets

from ganmath.viz import plots
from ganmath.gan import NonFiniteError
from ganmath.nn.losses import GENERATOR_LOSSES
from ganmath.nn.optimizers import OPTIMIZERS
from ganmath.viz.training import trainer_figure, update_trainer_figure
from ganmath.core.presets import NOISE_PRIORS
from ganmath.experiments.trainer import DATA_PRESETS, Trainer

__all__ = ["TrainerApp", "gan_trainer", "BUTTON_LABELS"]

BUTTON_LABELS = ("Step D", "Step G", "Iterate", "Play", "Pause", "Reset")
_STYLE = {"description_width": "120px"}
_WIDE = widgets.Layout(width="330px")


def _dropdown(description, options, value):
    return widgets.Dropdown(options=options, value=value, description=description, style=_STYLE, layout=_WIDE)


def _float_slider(description, value, low, high, step):
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               continuous_update=False, style=_STYLE, layout=_WIDE, readout_format=".2f")


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

    def __init__(self, trainer: Trainer, *, iterations_per_frame: int = 2, frame_pause: float = 0.02):
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
        self.counter = widgets.HTML()
        self.counter.add_class("ganmath-iteration")
        self.readouts = widgets.HTML()
        self.image = widgets.Image(format="png")

        self.artists = trainer_figure(trainer.x, trainer.p_data)
        self.renderer = plots.FigureRenderer(self.artists.figure, self.artists.moving())
        for name, control in self.controls.items():
            control.observe(self._on_setting, names="value")

        names = list(self.controls)
        columns = [widgets.VBox([self.controls[n] for n in names[i:i + 6]]) for i in range(0, len(names), 6)]
        self.widget = widgets.VBox([
            widgets.HBox(columns),
            widgets.HBox(list(self.buttons.values()) + [self.counter]),
            self.readouts,
            self.image,
        ])
        self.redraw()

    # -- drawing ---------------------------------------------------------------------------------------

    def redraw(self) -> bytes:
        """Draw the current state into the image and the counter; return the PNG bytes."""
        trainer = self.trainer
        last = trainer.last
        headline = (f"iteration {last.iteration}:  JS = {last.js:.4f},  C(G) = {last.criterion:.4f},  "
                    f"sup|D - D*| = {last.sup_gap:.3f}   ({trainer.settings.data}, {trainer.settings.generator_loss} "
                    f"G loss, {trainer.settings.optimizer}, k = {trainer.settings.k})")
        update_trainer_figure(self.artists, trainer.picture(), trainer.curves(), headline=headline)
        self.png = self.renderer.png()
        self.image.value = self.png
        self.counter.value = (f"<b>iteration {last.iteration}</b> · D steps {last.discriminator_steps} · "
                              f"G steps {last.generator_steps}")
        if trainer.failure:
            self.readouts.value = f"<span style='color:#b00'>training stopped: {html.escape(trainer.failure)}</span>"
        else:
            self.readouts.value = (
                f"JS(p_data, p_g) = {last.js:.5f} nats · C(G) = {last.criterion:.5f} (min -log 4 = -1.38629) · "
                f"sup|D - D*| = {last.sup_gap:.4f} · D loss {last.discriminator_loss:.4f} · "
                f"G loss {last.generator_loss:.4f}")
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
        self.redraw()

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
        return {**values, "mixture": mixture}

    def _on_setting(self, change) -> None:
        if change["owner"] in (self.controls["mixture_mean_1"], self.controls["mixture_mean_2"],
                               self.controls["mixture_spread"], self.controls["mixture_weight_1"]):
            if self.controls["data"].value != "mixture":
                self.controls["data"].value = "mixture"  # observed again: that call rebuilds
                return
        self.pause()
        try:
            self.trainer.configure(**self._settings_from_controls())
        except (ValueError, TypeError) as error:
            self.readouts.value = f"<span style='color:#b00'>{html.escape(str(error))}</span>"
            return
        # A new data density or range: the still parts of the figure (p_data, the axes) change too.
        self.artists = trainer_figure(self.trainer.x, self.trainer.p_data)
        self.renderer = plots.FigureRenderer(self.artists.figure, self.artists.moving())
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
