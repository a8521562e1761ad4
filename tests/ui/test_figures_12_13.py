"""The static pictures of notebooks 12 and 13: each draws what its docstring names, on the axes it says."""

import math
from types import SimpleNamespace

import numpy as np

import ganmath as gm
from ganmath.experiments import wasserstein as ws
from ganmath.viz import parzen as plots_parzen
from ganmath.viz import wasserstein as plots_ws


def test_the_parzen_study_figure_draws_the_reported_standard_error():
    sizes = np.array([10, 100, 1000])
    estimates = [np.array([-1.5, -1.4, -1.45]), np.array([-1.38, -1.37]), np.array([-1.36])]
    errors = [np.array([0.02, 0.02, 0.02]), np.array([0.015, 0.016]), np.array([0.017])]
    figure = plots_parzen.parzen_study_figure(sizes, estimates, errors, exact_on_test=-1.34)
    left, right = figure.axes
    bars = [c for c in left.containers if c.__class__.__name__ == "ErrorbarContainer"]
    assert len(bars) == 1
    # The bar's segments are mean +- the median reported error, at each size.
    segments = bars[0].lines[2][0].get_segments()
    lengths = [segment[1][1] - segment[0][1] for segment in segments]
    np.testing.assert_allclose(lengths, 2 * np.array([0.02, 0.0155, 0.017]), rtol=1e-12)
    assert [line.get_ydata()[0] for line in left.lines if line.get_label().startswith("exact")] == [0.0]
    assert right.get_yscale() == "log" and len(right.lines) == 3


def test_the_failure_modes_figure_marks_minus_infinity_with_an_arrow():
    scores = {"a": (-1.36, 0.02), "copies": (-1.37, 0.02), "noise": (-3.6, 0.004)}
    exact = {"a": -1.362, "copies": -math.inf, "noise": -3.59}
    figure = plots_parzen.failure_modes_figure(scores, exact, zoom=["a", "copies"])
    assert len(figure.axes) == 2
    assert all(any(text.get_text() == r"$-\infty$" for text in ax.texts) for ax in figure.axes)


def test_the_saturation_contrast_figure_has_three_panels_and_a_log_gradient_axis():
    p_data, p_g = gm.Normal(0.0, 0.5), gm.Normal(4.0, 0.5)
    contrast = ws.saturation_contrast(p_data, p_g, np.linspace(-2.0, 6.5, 171))
    figure = plots_ws.saturation_contrast_figure(contrast, p_data, p_g)
    assert len(figure.axes) == 4  # three panels and the critic's own y axis
    assert figure.axes[2].get_yscale() == "log"


def test_the_disjoint_start_figure_has_one_legend_for_the_three_objectives():
    iterations = np.arange(0, 41, 20)
    paths = {objective: SimpleNamespace(iterations=iterations, js=np.full(3, math.log(2)), w1=np.array([5.0, 3, 1]))
             for objective in ("minimax", "non-saturating", "wasserstein")}
    reached = {objective: [gm.rate([True, False]), gm.rate([True, True])] for objective in paths}
    figure = plots_ws.disjoint_start_figure(paths, np.array([20, 40]), reached)
    assert len(figure.legends) == 1 and len(figure.legends[0].get_texts()) == 4
