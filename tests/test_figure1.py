"""The Figure 1 experiment: the bounds each panel claims, measured independently, and a bit-identical rerun."""

import numpy as np
import pytest
from scipy import integrate, special

from ganmath.divergences import js_divergence
from ganmath.figure1 import DEFAULT_SEED, PANELS, mean_discriminator_on_fakes, run_figure1


@pytest.fixture(scope="module")
def result():
    return run_figure1()


def region(result):
    return np.linspace(*result.gan.data_region, 1001)


def test_four_panels_in_training_order(result):
    assert tuple(result.panels) == PANELS
    indices = [result.panel_index(name) for name in PANELS]
    assert indices == sorted(indices) and len(set(indices)) == 4
    a, b, c, d = (result.panels[name] for name in PANELS)
    # (b) trains D alone, (c) G alone: the generator of (a) and (b) is the same, D of (b) and (c) is the same.
    np.testing.assert_array_equal(a.generator.parameters, b.generator.parameters)
    assert b.discriminator_steps > a.discriminator_steps
    np.testing.assert_array_equal(b.discriminator_network.parameters, c.discriminator_network.parameters)
    assert c.generator_steps > b.generator_steps
    assert d.iteration > c.iteration


def test_panel_b_discriminator_on_top_of_the_optimum(result):
    b = result.panels["b"]
    x = region(result)
    # D* from the pdf values of the exact p_g, on a finer grid than the run used.
    p_data, p_g = result.data.pdf(x), b.generator_density.pdf(x)
    d_star = p_data / (p_data + p_g)
    d = special.expit(b.discriminator_network(x[:, None])[:, 0])
    gap = np.max(np.abs(d - d_star))
    assert gap <= 0.05, gap
    np.testing.assert_allclose(result.numbers["b_sup_abs_D_minus_Dstar"], gap, atol=5e-3)


def test_panel_c_generator_flowed_toward_higher_d(result):
    n = result.numbers
    assert n["c_mean_D_of_G_after"] > n["c_mean_D_of_G_before"]
    # Independent check: E_z[D(G(z))] by scipy's adaptive quadrature over z ~ U(-1, 1), frozen D of (b) and (c).
    b, c = result.panels["b"], result.panels["c"]
    d_net = c.discriminator_network

    def mean_d(generator):
        f = lambda z: special.expit(d_net(generator(np.array([[z]])))[0, 0]) / 2.0
        return integrate.quad(f, -1.0, 1.0, epsabs=1e-11, limit=200)[0]

    before, after = mean_d(b.generator), mean_d(c.generator)
    assert after > before
    np.testing.assert_allclose([n["c_mean_D_of_G_before"], n["c_mean_D_of_G_after"]], [before, after], atol=1e-6)


def test_panel_d_converged(result):
    d = result.panels["d"]
    js = js_divergence(result.data, d.generator_density)
    assert js <= 0.01, js
    np.testing.assert_allclose(result.numbers["d_js"], js, rtol=1e-9)
    x = region(result)
    half_gap = np.max(np.abs(special.expit(d.discriminator_network(x[:, None])[:, 0]) - 0.5))
    assert half_gap <= 0.05, half_gap
    assert result.numbers["d_sup_abs_D_minus_half"] <= 0.05


def test_mean_discriminator_on_fakes_is_a_midpoint_rule(result):
    gan = result.gan
    z = np.linspace(-1.0, 1.0, 200001)
    values = special.expit(gan.discriminator_logit(gan.generator(z[:, None])[:, 0]))
    np.testing.assert_allclose(mean_discriminator_on_fakes(gan), np.trapezoid(values, z) / 2.0, atol=1e-6)


def test_same_seed_same_numbers(result):
    again = run_figure1(DEFAULT_SEED)
    timeless = lambda n: {k: v for k, v in n.items() if k != "training_seconds"}
    assert timeless(again.numbers) == timeless(result.numbers)
    np.testing.assert_array_equal(again.panels["d"].generator.parameters, result.panels["d"].generator.parameters)


def test_training_time_is_reported(result):
    assert 0.0 < result.numbers["training_seconds"]


@pytest.mark.parametrize("kwargs", [{"seed": -1}, {"seed": 1.5}, {"inner_loop_target": 0.0},
                                    {"final_schedule": ((0, 1e-3, 1e-4),)}, {"generator_steps": 0}])
def test_bad_arguments_name_the_parameter(kwargs):
    name = next(iter(kwargs))
    with pytest.raises((ValueError, TypeError), match=name):
        run_figure1(**kwargs)
