"""The non-saturating surrogate of notebook 9 as a divergence, and the picture of collapsed runs.

KL(p_g || p_data) - 2 JS(p_data, p_g) = 2 KL(m || p_data) with m = (p_data + p_g)/2: never negative, zero only at
p_g = p_data, checked against QUADPACK on the definition; the landscape of a one-Gaussian generator is this function.
"""

import itertools
import math

import numpy as np
import pytest
from scipy import integrate

import ganmath as gm
from ganmath.experiments import landscape, mode_collapse
from ganmath.experiments.mode_collapse import TWO_MODES
from ganmath.viz import training as plots_training


def half_mixture_kl_by_quadrature(p_data, p_g):
    """2 KL(m || p_data), m = (p_data + p_g)/2, integrated by QUADPACK from the two pdfs."""
    def integrand(x):
        m = 0.5 * (p_data.pdf(x) + p_g.pdf(x))
        return m * (math.log(m) - p_data.logpdf(x)) if m > 0 else 0.0
    # Far into both tails: there log(m / p_data) grows like x^2, so a short range loses digits.
    pieces = [-40.0, -12.0, -4.0, -2.0, 0.0, 2.0, 4.0, 12.0, 40.0]
    return 2 * sum(integrate.quad(integrand, a, b, limit=400, epsabs=1e-13, epsrel=1e-12)[0]
                   for a, b in itertools.pairwise(pieces))


@pytest.mark.parametrize("mean, spread", [(0.0, 2.0), (2.0, 0.5), (-1.3, 0.8), (0.4, 1.6)])
def test_the_surrogate_is_twice_the_kl_of_the_half_mixture(mean, spread):
    q = gm.Normal(mean, spread)
    surrogate = gm.kl_divergence(q, TWO_MODES) - 2 * gm.js_divergence(TWO_MODES, q)
    np.testing.assert_allclose(surrogate, half_mixture_kl_by_quadrature(TWO_MODES, q), rtol=1e-7)
    assert surrogate > 0


def test_the_surrogate_vanishes_only_at_the_data():
    assert abs(gm.kl_divergence(TWO_MODES, TWO_MODES) - 2 * gm.js_divergence(TWO_MODES, TWO_MODES)) < 1e-12
    near = gm.Mixture([gm.Normal(-2.0, 0.5), gm.Normal(2.0, 0.5)], [0.45, 0.55])
    assert gm.kl_divergence(near, TWO_MODES) - 2 * gm.js_divergence(TWO_MODES, near) > 1e-4


def test_the_non_saturating_landscape_is_that_divergence():
    means, spreads = np.array([-2.0, 0.0, 1.0]), np.array([0.5, 2.0])
    values = landscape.non_saturating_landscape(TWO_MODES, means, spreads)
    for i, s in enumerate(spreads):
        for j, m in enumerate(means):
            np.testing.assert_allclose(values[i, j], half_mixture_kl_by_quadrature(TWO_MODES, gm.Normal(m, s)),
                                       rtol=1e-6)


def test_the_collapse_figure_draws_each_run_and_marks_a_spike():
    runs = mode_collapse.mode_collapse((0, 2), n_iter=200, checkpoint_every=100, k=1, lr_generator=2e-3,
                                       lr_discriminator=2e-3).runs
    figure = plots_training.collapse_figure(runs, mode_names=["near -2", "near +2"])
    axes = figure.axes
    assert len(axes) == 4
    for column, run in enumerate(runs):
        density_ax, mass_ax = axes[column], axes[len(runs) + column]
        assert f"seed {run.seed}" in density_ax.get_title()
        np.testing.assert_allclose(mass_ax.lines[0].get_ydata(), run.masses[:, 0])
        np.testing.assert_allclose(mass_ax.lines[1].get_ydata(), run.masses[:, 1])
        spike = float(np.max(run.frames[-1].p_g)) > density_ax.get_ylim()[1]
        notes = [text.get_text() for text in density_ax.texts if text.get_text()]
        assert bool(notes) == spike
