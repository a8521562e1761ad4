"""Convexity of C in p_g on many random pairs of histograms, C along a mixture path, and notebook 11's first picture.

The convexity gap lambda C(p_1) + (1 - lambda) C(p_2) - C(lambda p_1 + (1 - lambda) p_2) is computed in closed form
on the bins for 2,000 Dirichlet pairs (a check of the closed form's code: convexity itself is proved), and along
the mixture path between the two modes with the adaptive virtual criterion.
"""

import math

import numpy as np

import ganmath as gm
from ganmath.core import histogram
from ganmath.experiments import proposition2 as p2
from ganmath.viz import proposition2 as plots_p2

LOG4 = math.log(4.0)
EDGES = np.linspace(-4.0, 4.0, 41)


def test_convexity_gap_is_never_negative_on_many_random_pairs():
    data = histogram.histogram_of(p2.TARGET, EDGES).masses
    rng = np.random.default_rng(0)
    first = rng.dirichlet(np.full(40, 0.5), size=2000)
    second = rng.dirichlet(np.full(40, 0.5), size=2000)
    weights = rng.uniform(0.0, 1.0, size=(2000, 1))
    gaps = (weights[:, 0] * histogram.histogram_criterion(data, first)
            + (1 - weights[:, 0]) * histogram.histogram_criterion(data, second)
            - histogram.histogram_criterion(data, weights * first + (1 - weights) * second))
    assert gaps.min() >= -1e-14 and gaps.max() > 0.05


def test_criterion_along_the_mixture_path_between_the_modes_is_below_its_chord():
    ends = (gm.Normal(-2.0, 0.5), gm.Normal(2.0, 0.5))
    weights = np.linspace(0.0, 1.0, 11)
    along = np.array([gm.virtual_criterion(p2.TARGET, gm.Mixture(list(ends), [1 - w, w])) if 0 < w < 1
                      else gm.virtual_criterion(p2.TARGET, ends[int(w)]) for w in weights])
    chord = (1 - weights) * along[0] + weights * along[-1]
    assert np.all(along <= chord + 1e-10)
    np.testing.assert_allclose(along[5], -LOG4, atol=1e-10)
    np.testing.assert_allclose(along[0], along[-1], rtol=1e-10)
    for w in (0.3, 0.8):
        gap = p2.convexity_gap(p2.TARGET, ends[1], ends[0], w)
        chord_at = w * along[-1] + (1 - w) * along[0]
        mixture = gm.virtual_criterion(p2.TARGET, gm.Mixture(list(ends), [1 - w, w]))
        np.testing.assert_allclose(gap, chord_at - mixture, rtol=1e-8)


def test_the_first_picture_draws_the_descents_and_the_parametric_run():
    data_bins = histogram.histogram_of(p2.TARGET, EDGES)
    start = histogram.histogram_of(gm.Normal(1.5, 0.5), EDGES)
    path = p2.functional_descent(data_bins, start, step=0.5, n_steps=10)
    x = np.linspace(-4.0, 4.0, 81)
    parametric_gaps = np.linspace(0.5, 0.46, 31)
    density = gm.Normal(2.0, 0.5).pdf(x)
    figure = plots_p2.functional_descent_figure(x, p2.TARGET.pdf(x), EDGES, {0: path.masses[0], 10: path.masses[10]},
                                                {0.5: path.gap}, parametric=("one run in θ", density,
                                                                             parametric_gaps))
    left, right = figure.axes
    assert [line.get_label() for line in left.lines][-1] == "one run in θ"
    np.testing.assert_allclose(left.lines[-1].get_ydata(), density)
    np.testing.assert_allclose(right.lines[-1].get_ydata(), parametric_gaps)
    np.testing.assert_allclose(right.lines[0].get_ydata(), np.maximum(path.gap, 1e-16))
    assert left.get_ylim()[1] >= density.max()
    without = plots_p2.functional_descent_figure(x, p2.TARGET.pdf(x), EDGES, {0: path.masses[0]}, {0.5: path.gap})
    assert len(without.axes[1].lines) == 1
