"""The snapshot slider and Algorithm 1's controls, without a browser: setting a control redraws the figure."""

import numpy as np
import pytest

import ganmath as gm
from ganmath.experiments.figure1 import figure1_data, figure1_noise
from ganmath.gan import GAN
from ganmath.ui.figure1 import algorithm1_controls, snapshot_slider


@pytest.fixture(scope="module")
def snapshots():
    gan = GAN(figure1_data(), figure1_noise(), seed=3, grid=np.linspace(1.0, 7.0, 301))
    gan.train(200, snapshot_every=50)
    return gan.history.snapshots


def test_slider_redraws_and_reports_the_snapshot(snapshots):
    panel = snapshot_slider(snapshots)
    first_png, first_redraws = panel.png, panel.redraws
    slider = panel.controls["index"]
    assert slider.max == len(snapshots) - 1 and slider.value == slider.max
    slider.value = 0
    assert panel.redraws == first_redraws + 1
    assert panel.png != first_png
    assert panel.result["iteration"] == snapshots[0].iteration == 0
    assert panel.result["js"] == pytest.approx(gm.js_divergence(figure1_data(), snapshots[0].generator_density))
    line = panel.renderer.moving[0]
    np.testing.assert_array_equal(line.get_ydata(), snapshots[0].p_g)


def test_slider_rejects_bad_arguments(snapshots):
    with pytest.raises(ValueError, match="snapshots"):
        snapshot_slider([])
    with pytest.raises(ValueError, match="start"):
        snapshot_slider(snapshots, start=len(snapshots))


def test_algorithm1_controls_train_with_the_chosen_settings():
    controls = algorithm1_controls(figure1_data(), figure1_noise(), iterations=100)
    assert controls.gan.iteration == 100 and controls.gan.k == 1 and controls.gan.optimizer == "adam"
    controls.controls["k"].value = 2
    controls.controls["loss"].value = "minimax"
    controls.controls["optimizer"].value = "sgd"
    controls.controls["iterations"].value = 100
    old_panel = controls.panel
    controls.button.click()
    assert controls.gan.k == 2 and controls.gan.generator_loss == "minimax" and controls.gan.optimizer == "sgd"
    assert controls.gan.momentum == controls.controls["momentum"].value
    assert controls.gan.discriminator_steps == 200
    assert controls.panel is not old_panel
    before = controls.panel.png
    controls.panel.controls["index"].value = 0
    assert controls.panel.png != before
