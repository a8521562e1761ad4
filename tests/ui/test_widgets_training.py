"""The run scrubber of notebooks 8 and 9 without a browser: the slider shows the chosen frame and redraws."""

import numpy as np
import pytest

import ganmath as gm
from ganmath.gan import GAN
from ganmath.ui.training import frames_scrubber


@pytest.fixture(scope="module")
def frames():
    gan = GAN(gm.Normal(2.0, 0.6), seed=0)
    recorded = [gan.snapshot(record=False)]
    for _ in range(3):
        gan.train(20)
        recorded.append(gan.snapshot(record=False))
    return recorded


def test_moving_the_slider_shows_that_frame(frames):
    panel = frames_scrubber({"a": frames, "b": frames[::-1]})
    first = panel.png
    assert panel.result["iterations"] == [0, 60]
    panel.controls["frame"].value = 2
    assert panel.result["iterations"] == [40, 20]
    assert panel.result["js"] == [frames[2].js, frames[1].js]
    assert panel.png != first and panel.redraws == 2
    panel.controls["frame"].value = 0
    assert panel.png == first  # the same frame draws the same image
    lines = panel.figure.axes[0].get_lines()
    np.testing.assert_array_equal(lines[1].get_ydata(), frames[0].p_g)


def test_the_frame_holds_the_exact_quantities(frames):
    last = frames[-1]
    np.testing.assert_allclose(last.p_g, last.generator_density.pdf(last.x), rtol=1e-12)
    np.testing.assert_allclose(last.optimal_discriminator,
                               gm.optimal_discriminator(gm.Normal(2.0, 0.6), last.generator_density, last.x),
                               rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(last.js, gm.js_divergence(gm.Normal(2.0, 0.6), last.generator_density), atol=2e-5)


def test_bad_runs(frames):
    with pytest.raises(ValueError, match="runs"):
        frames_scrubber({})
    with pytest.raises(ValueError, match="same non-zero number"):
        frames_scrubber({"a": frames, "b": frames[:2]})


def test_the_saturation_figure_labels_the_data_median_as_such():
    from ganmath.experiments import saturation
    from ganmath.viz import training as plots_training

    runs = saturation.saturation([0], data=gm.Normal(4.0, 0.5), n_pretrain=10, n_iter=20).run(0)
    figure = plots_training.saturation_figure(runs, target=4.0, tolerance=0.5)
    labels = [text.get_text() for text in figure.legends[0].get_texts()]
    assert "data median" in labels and "data median ± tolerance" in labels
    assert not any("p_" in label for label in labels)
