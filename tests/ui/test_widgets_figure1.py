"""The snapshot slider and Algorithm 1's controls, without a browser: setting a control redraws the figure."""

import numpy as np
import pytest

import ganmath as gm
from ganmath.experiments import algorithm1
from ganmath.experiments.figure1 import figure1_data, figure1_noise
from ganmath.gan import GAN
from ganmath.ui import figure1 as ui_figure1
from ganmath.ui.figure1 import algorithm1_controls, snapshot_slider
from ganmath.viz import figure1 as plots_figure1


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


@pytest.fixture(scope="module")
def paper_snapshots():
    """A short run on the truncated normal of notebook 6, whose data end at x = -2 and x = 2."""
    gan = GAN(algorithm1.paper_data(), algorithm1.paper_noise(), seed=1, grid=np.linspace(-3.0, 3.0, 301),
              **algorithm1.PAPER_NETWORKS)
    gan.train(100, snapshot_every=50)
    return gan.history.snapshots


def test_the_x_range_follows_the_runs_data(paper_snapshots):
    low, high = plots_figure1.x_range_of(paper_snapshots)
    assert -3.0 <= low < -2.0 and 2.0 < high <= 3.0      # both edges of the data in view, inside the grid
    for snapshot in paper_snapshots:                     # every arrow lands inside the axes
        assert low <= snapshot.generated.min() and snapshot.generated.max() <= high


def test_the_slider_draws_on_the_runs_x_range(paper_snapshots):
    panel = snapshot_slider(paper_snapshots)
    ax = panel.renderer.figure.axes[0]
    assert ax.get_xlim() == pytest.approx(plots_figure1.x_range_of(paper_snapshots))
    assert snapshot_slider(paper_snapshots, x_range=(-1.0, 1.0)).renderer.figure.axes[0].get_xlim() == (-1.0, 1.0)


def test_x_range_of_rejects_bad_arguments(paper_snapshots):
    with pytest.raises(ValueError, match="snapshots"):
        plots_figure1.x_range_of([])
    with pytest.raises(ValueError, match="margin"):
        plots_figure1.x_range_of(paper_snapshots, margin=-0.1)


def _sweep(trained):
    shape = (2, 2, 4, 4)
    median = np.linspace(0.04, 0.6, np.prod(shape)).reshape(shape)
    return algorithm1.PaperSweep(losses=("minimax", "non-saturating"), momentum=np.array([0.5, 0.9]),
                                 lr_discriminator=np.array([1e-3, 3e-3, 1e-2, 3e-2]),
                                 lr_generator=np.array([3e-4, 1e-3, 3e-3, 1e-2]), trained=trained,
                                 median_js=median, n_runs=16, threshold=0.02, n_iter=4000)


def test_the_sweep_figure_shows_the_medians_and_counts_only_where_some_run_reached():
    none = plots_figure1.sweep_figure(_sweep(np.zeros((2, 2, 4, 4), dtype=int)))
    texts = [t.get_text() for ax in none.axes[:4] for t in ax.texts]
    assert len(texts) == 64 and not any("/16" in t for t in texts)
    assert texts[0] == "0.040" and "no run of any cell" in none.get_suptitle()
    trained = np.zeros((2, 2, 4, 4), dtype=int)
    trained[0, 0, 0, 0] = 5
    some = plots_figure1.sweep_figure(_sweep(trained))
    texts = [t.get_text() for ax in some.axes[:4] for t in ax.texts]
    assert texts[0] == "0.040\n5/16 < 0.02" and sum("/16" in t for t in texts) == 1
    assert "5 of 1024 runs" in some.get_suptitle()
    frame = some.axes[0].patches[0]                       # the lowest median of the first panel is its cell (0, 0)
    assert frame.get_xy() == (-0.45, -0.45)


def test_a_run_that_leaves_the_data_stays_on_the_picture():
    # Plain SGD with D's learning rate 0.03 and the minimax loss sends G's samples near x = 10 on this data.
    controls = algorithm1_controls(algorithm1.paper_data(), algorithm1.paper_noise(), iterations=100, seed=1)
    for name, value in {"optimizer": "sgd", "lr": 0.03, "loss": "minimax", "iterations": 300}.items():
        controls.controls[name].value = value
    controls.button.click()
    snapshots = controls.gan.history.snapshots
    reach = max(float(np.max(s.generated)) for s in snapshots)
    assert reach > 5.0                                   # the run did leave the data's [-2, 2]
    ax = controls.panel.renderer.figure.axes[0]
    low, high = ax.get_xlim()
    assert low < -2.0 and high >= reach                  # and its arrows stay inside the axes
    np.testing.assert_allclose(controls.gan.grid[[0, -1]], ui_figure1.wide_grid(algorithm1.paper_data())[[0, -1]])


def test_the_title_says_when_arrows_land_beyond_the_axes(paper_snapshots):
    panel = snapshot_slider(paper_snapshots, x_range=(-0.5, 0.5))
    panel.controls["index"].value = len(paper_snapshots) - 1
    assert "beyond the axes" in panel.renderer.moving[4].get_text()
    panel = snapshot_slider(paper_snapshots)
    panel.controls["index"].value = 0
    assert "beyond" not in panel.renderer.moving[4].get_text()
