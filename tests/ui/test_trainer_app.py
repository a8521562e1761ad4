"""The trainer application without a browser: button clicks, the counter, the picture's bytes, play and pause."""

import asyncio
import re

import ipywidgets as widgets
import numpy as np
import pytest

from ganmath.ui.trainer_app import BUTTON_LABELS, gan_trainer


def iteration(app) -> int:
    """The first integer in the counter's text, as the browser test reads it."""
    text = re.sub(r"<[^>]+>", "", app.counter.value)
    return int(re.search(r"\d+", text).group())


@pytest.fixture
def app():
    return gan_trainer(data="two modes", seed=1)


def test_the_buttons_and_the_counter_are_there(app):
    assert tuple(app.buttons) == BUTTON_LABELS
    assert [b.description for b in app.buttons.values()] == list(BUTTON_LABELS)
    assert all(isinstance(b, widgets.Button) for b in app.buttons.values())
    assert "ganmath-iteration" in app.counter._dom_classes
    assert iteration(app) == 0
    assert app.image.value == app.png and app.png.startswith(b"\x89PNG")
    assert app.image in app.widget.children


def test_each_button_advances_the_model_and_changes_the_picture(app):
    trainer = app.trainer
    before = app.png
    app.buttons["Step D"].click()
    assert app.png != before and trainer.gan.discriminator_steps == 1 and iteration(app) == 0
    assert "D steps 1" in app.counter.value

    before = app.png
    app.buttons["Step G"].click()
    assert app.png != before and trainer.gan.generator_steps == 1 and iteration(app) == 0

    before, js_before = app.png, trainer.last.js
    app.buttons["Iterate"].click()
    assert app.png != before and iteration(app) == 1 and trainer.gan.iteration == 1
    assert trainer.last.js != js_before and f"{trainer.last.js:.5f}" in app.readouts.value
    assert len(trainer.readouts) == 4


def test_reset_returns_to_the_first_picture_bit_for_bit(app):
    first = app.png
    for label in ("Iterate", "Iterate", "Step G"):
        app.buttons[label].click()
    assert app.png != first and iteration(app) == 2
    app.buttons["Reset"].click()
    assert iteration(app) == 0 and app.trainer.gan.iteration == 0
    assert app.png == first  # same seed, same state, same drawing


def test_play_iterates_until_pause():
    app = gan_trainer(seed=2, iterations_per_frame=2)

    async def scenario():
        app.buttons["Play"].click()
        while iteration(app) < 6:
            await asyncio.sleep(0.01)
        app.buttons["Pause"].click()
        await asyncio.sleep(0.2)  # the frame under way finishes
        paused_at = iteration(app)
        await asyncio.sleep(0.3)
        return paused_at

    first = app.png
    paused_at = asyncio.run(scenario())
    assert paused_at >= 6 and iteration(app) == paused_at and not app.playing
    assert app.png != first
    assert paused_at % app.iterations_per_frame == 0  # whole frames


def test_training_settings_change_mid_run_and_the_rest_reset(app):
    app.buttons["Iterate"].click()
    app.buttons["Iterate"].click()
    # Learning rates, the generator loss, k and the optimizer: the run goes on.
    app.controls["generator_loss"].value = "minimax"
    app.controls["lr_generator"].value = 1e-4
    app.controls["k"].value = 3
    assert app.trainer.gan.generator_loss == "minimax" and app.trainer.gan.lr_generator == 1e-4
    assert app.trainer.gan.k == 3 and iteration(app) == 2 and "middle of the run" in app.status.value
    app.buttons["Iterate"].click()
    assert app.trainer.gan.discriminator_steps == 2 * 2 + 3
    # Data: a new run, and the status says so.
    before = app.png
    app.controls["data"].value = "three modes"
    assert app.trainer.settings.data == "three modes" and iteration(app) == 0 and app.png != before
    assert "new run" in app.status.value
    # The mixture sliders show only for the mixture, and then build p_data.
    assert app.mixture_box.layout.display == "none"
    app.controls["data"].value = "mixture"
    assert app.mixture_box.layout.display != "none"
    app.controls["mixture_mean_1"].value = -3.0
    assert app.trainer.settings.data == "mixture" and app.trainer.settings.mixture["means"][0] == -3.0
    x = np.array([-3.0, 0.0, 2.5])
    weight = app.controls["mixture_weight_1"].value
    spread = app.controls["mixture_spread"].value
    mean_2 = app.controls["mixture_mean_2"].value
    normal = lambda at, mu: np.exp(-0.5 * ((at - mu) / spread) ** 2) / (spread * np.sqrt(2 * np.pi))
    np.testing.assert_allclose(app.trainer.data.pdf(x), weight * normal(x, -3.0) + (1 - weight) * normal(x, mean_2),
                               rtol=1e-12)


def test_losses_not_computed_read_as_a_dash_and_strong_d_saturates(app):
    assert "D loss —" in app.readouts.value and "G loss —" in app.readouts.value and "nan" not in app.readouts.value
    app.strong_discriminator()
    assert app.controls["generator_loss"].value == "minimax" and app.trainer.settings.data == "N(4, 0.5)"
    assert app.trainer.gan.discriminator_steps == 300 and iteration(app) == 0
    picture = app.trainer.picture()
    assert np.max(np.abs(picture.push)) < 1e-2  # the minimax push has saturated where D rejects the samples


def test_bad_factory_arguments():
    with pytest.raises(ValueError, match="lr_generator"):
        gan_trainer(lr_generator=0.0)
    with pytest.raises(ValueError, match="iterations_per_frame"):
        gan_trainer(iterations_per_frame=0)


def test_the_snapshot_is_the_application_s_picture_of_the_same_state():
    from ganmath.experiments.trainer import Trainer
    from ganmath.ui.trainer_app import trainer_headline, trainer_snapshot

    trainer = Trainer(data="two modes", seed=1)
    for _ in range(5):
        trainer.iterate()
    before = trainer.curves()
    figure = trainer_snapshot(trainer)
    picture = trainer.picture()
    axes = figure.axes
    density_lines = axes[0].lines
    np.testing.assert_allclose(density_lines[1].get_ydata(), picture.p_g)
    np.testing.assert_allclose(density_lines[2].get_ydata(), picture.discriminator)
    np.testing.assert_allclose(density_lines[3].get_ydata(), picture.optimal_discriminator)
    assert trainer_headline(trainer) in [text.get_text() for text in figure.texts]
    assert "iteration 5" in trainer_headline(trainer)
    # Drawing trains nothing: the readouts are those before it.
    assert all(np.array_equal(before[name], values, equal_nan=True) for name, values in trainer.curves().items())
    with pytest.raises(TypeError, match="trainer"):
        trainer_snapshot("a trainer")
