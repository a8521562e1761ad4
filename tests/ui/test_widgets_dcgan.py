"""The DCGAN's snapshot slider and pictures, without a browser: setting the slider redraws the grid of G's images
at that snapshot."""

import numpy as np
import pytest

from ganmath.gan.dcgan import DCGAN
from ganmath.ui.dcgan import snapshot_slider
from ganmath.viz import dcgan as plots_dcgan


@pytest.fixture(scope="module")
def gan():
    images = np.tanh(np.random.default_rng(0).normal(size=(40, 1, 8, 8)))
    run = DCGAN(images, seed=2, noise_dim=4, channels=4, m=8)
    run.train(6, snapshot_every=2)
    return run


def test_slider_redraws_the_snapshot_it_is_set_to(gan):
    panel = snapshot_slider(gan.snapshot_iterations, gan.snapshot_images, columns=4)
    slider = panel.controls["index"]
    assert slider.max == len(gan.snapshot_iterations) - 1 and slider.value == slider.max
    first_png, redraws = panel.png, panel.redraws
    slider.value = 0
    assert panel.redraws == redraws + 1 and panel.png != first_png
    assert panel.result == {"iteration": 0, "mean_ink": pytest.approx(float(np.mean(gan.snapshot_images[0])))}
    shown = panel.renderer.moving[0].get_array()
    np.testing.assert_array_equal(shown, plots_dcgan.image_mosaic(gan.snapshot_images[0], 4))


def test_slider_rejects_bad_arguments(gan):
    with pytest.raises(ValueError, match="iterations and images"):
        snapshot_slider([], [])
    with pytest.raises(ValueError, match="start"):
        snapshot_slider(gan.snapshot_iterations, gan.snapshot_images, start=99)
    with pytest.raises(ValueError, match="columns=0"):
        snapshot_slider(gan.snapshot_iterations, gan.snapshot_images, columns=0)
    with pytest.raises(ValueError, match="columns=2.5"):
        plots_dcgan.image_mosaic(gan.snapshot_images[0], columns=2.5)


def test_mosaic_places_each_image_and_leaves_gaps():
    images = np.arange(5 * 64, dtype=float).reshape(5, 1, 8, 8)
    mosaic = plots_dcgan.image_mosaic(images, columns=3)
    assert mosaic.shape == (2 * 9 - 1, 3 * 9 - 1)
    np.testing.assert_array_equal(mosaic[9:17, 9:17], images[4, 0])
    assert np.all(np.isnan(mosaic[8])) and np.all(np.isnan(mosaic[9:, 18:]))


def test_figures_draw(gan):
    samples = gan.snapshot_images[-1][:5]
    figure = plots_dcgan.nearest_neighbour_figure(samples, samples[::-1], np.arange(5.0), columns=3)
    assert len(figure.axes) == 6
    figure = plots_dcgan.interpolation_figure([samples, samples], labels=["a", "b"])
    assert len(figure.axes) == 1
    curves = {"iteration": np.arange(60) // 10, "discriminator_loss": np.ones(60), "generator_loss": np.ones(60),
              "discriminator_real": np.full(60, 0.6), "discriminator_fake": np.full(60, 0.4)}
    assert len(plots_dcgan.training_curves_figure(curves, window=5).axes) == 2
    figure = plots_dcgan.ablation_figure(["a", "b"], {"m": [np.array([1.0, 2.0]), np.array([np.nan, 3.0])]},
                                         references={"m": 2.5}, intervals={"m": [(0.5, 2.5), (3.0, 3.0)]}, log={"m"})
    (ax,) = figure.axes
    assert ax.get_yscale() == "log" and "real digits" in ax.get_title()
    interval_line = ax.lines[1]      # median bar, then interval, for the first configuration
    np.testing.assert_array_equal(interval_line.get_ydata(), [0.5, 2.5])
    ramp = np.vstack([np.linspace(0.0, 1.0, 4), np.linspace(1.0, 2.0, 4), np.full(4, np.nan)])
    figure = plots_dcgan.ablation_curves_figure(np.arange(1, 5) * 50, {"a": {"loss": ramp}, "b": {"loss": ramp}},
                                                {"loss": "D's loss"})
    median_line = figure.axes[0].lines[0]
    np.testing.assert_allclose(median_line.get_ydata(), [0.5, 5 / 6, 7 / 6, 1.5])   # the median of the two finite seeds
    assert len(figure.legends) == 1
    with pytest.raises(ValueError, match="shape"):
        plots_dcgan.ablation_curves_figure(np.arange(3), {"a": {"loss": ramp}}, {"loss": "D's loss"})
    with pytest.raises(ValueError, match="pairs"):
        plots_dcgan.nearest_neighbour_figure(samples, samples[:3], np.arange(5.0))


def test_sample_grids_put_each_stage_of_each_configuration_in_its_panel(gan):
    early, late = gan.snapshot_images[0], gan.snapshot_images[-1]
    figure = plots_dcgan.sample_grids_figure({"a": [early, late], "b": [late, early]}, columns=4,
                                             row_labels=["early", "late"], title="same z")
    assert len(figure.axes) == 4
    top_right, bottom_left = figure.axes[1], figure.axes[2]     # row by row: (early a, early b), (late a, late b)
    np.testing.assert_array_equal(top_right.images[0].get_array(), plots_dcgan.image_mosaic(late, 4))
    np.testing.assert_array_equal(bottom_left.images[0].get_array(), plots_dcgan.image_mosaic(late, 4))
    assert top_right.get_title() == "b" and bottom_left.get_title() == "" and bottom_left.get_ylabel() == "late"
    with pytest.raises(ValueError, match="same number of rows"):
        plots_dcgan.sample_grids_figure({"a": [early, late], "b": [late]})
    with pytest.raises(ValueError, match="one label per row"):
        plots_dcgan.sample_grids_figure({"a": [early]}, row_labels=["x", "y"])
    with pytest.raises(ValueError, match="at least one"):
        plots_dcgan.sample_grids_figure({})


def test_ablation_runs_draw_every_seed_in_its_panel_coloured_by_collapse():
    iteration = np.arange(1, 5) * 50.0
    fake = {"a": np.full((3, 4), 0.4), "b": np.vstack([np.full(4, 0.1), np.full(4, 0.45)])}
    collapsed = {"a": np.array([False, False, False]), "b": np.array([True, False])}
    real = {"a": np.full((3, 4), 0.6), "b": np.array([[0.9, 0.9, 0.9, 0.9], [0.7, 0.7, 0.7, np.nan]])}
    figure = plots_dcgan.ablation_runs_figure(iteration, fake, collapsed, real=real, columns=2)
    panel_a, panel_b, legend_panel = figure.axes[:3]
    assert panel_b.get_title() == "b: 1 of 2 collapsed" and panel_a.get_title() == "a: 0 of 3 collapsed"
    seeds = panel_b.lines[:2]
    assert [line.get_color() for line in seeds] == ["tab:red", "tab:blue"]
    np.testing.assert_allclose(panel_b.lines[2].get_ydata(), [0.8, 0.8, 0.8, 0.9])   # the median of D(x) over seeds
    assert len(panel_a.lines) == 3 + 2 and legend_panel.get_legend() is not None
    with pytest.raises(ValueError, match="one flag per seed"):
        plots_dcgan.ablation_runs_figure(iteration, fake, {"a": np.array([True]), "b": collapsed["b"]})
