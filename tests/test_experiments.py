"""The measured claims of notebooks 7 and 8: saturation of the minimax loss, mode dropping from the exact p_g,
and the landscape of a one-Gaussian generator; each checked against an independent computation."""

import math

import numpy as np
import pytest
from scipy import integrate, stats

import ganmath as gm
from ganmath import experiments
from ganmath.pushforward import GeneratorDensity

TWO_MODES = gm.Mixture([gm.Normal(-2.0, 0.5), gm.Normal(2.0, 0.5)], [0.5, 0.5])


@pytest.fixture(scope="module")
def saturation():
    return experiments.saturation_experiment(gm.Normal(4.0, 0.5), seed=0, n_pretrain=300, n_iter=300, n_snapshots=4)


def test_minimax_gradient_is_orders_of_magnitude_smaller_at_the_start(saturation):
    minimax, non_saturating = saturation["minimax"], saturation["non-saturating"]
    assert minimax.position[0] == non_saturating.position[0]
    assert minimax.fake_probability[0] == non_saturating.fake_probability[0] < 0.01
    ratio = non_saturating.generator_grad_norm[0] / minimax.generator_grad_norm[0]
    assert ratio > 100, ratio
    assert np.median(non_saturating.generator_grad_norm[:10]) > 100 * np.median(minimax.generator_grad_norm[:10])
    # The per-sample factor (1 - D)/D at the batch's mean D predicts the order of magnitude.
    d = minimax.fake_probability[0]
    assert 0.3 < ratio / ((1 - d) / d) < 3


def test_non_saturating_reaches_the_data_first(saturation):
    minimax, non_saturating = saturation["minimax"], saturation["non-saturating"]
    assert non_saturating.reached_at is not None and non_saturating.reached_at < 50
    assert minimax.reached_at is None or minimax.reached_at > non_saturating.reached_at
    assert np.mean(non_saturating.distance_moved[:10]) > 100 * np.mean(minimax.distance_moved[:10])
    assert abs(minimax.position[-1] - 4.0) > 3.0  # still far away


def test_saturation_records_are_consistent(saturation):
    run = saturation["non-saturating"]
    assert run.generator_grad_norm.shape == (300,) and run.position.shape == (301,)
    assert run.distance_moved.shape == (300,) and np.all(run.distance_moved >= 0)
    iterations = [f.iteration for f in run.frames]
    assert iterations[0] == 0 and iterations[-1] == 300 and iterations == sorted(iterations)
    last = run.frames[-1]
    np.testing.assert_allclose(last.js, gm.js_divergence(gm.Normal(4.0, 0.5), last.generator_density), atol=2e-5)


def test_the_same_seed_gives_the_same_runs():
    a = experiments.saturation_experiment(seed=3, n_pretrain=20, n_iter=15, n_snapshots=2)
    b = experiments.saturation_experiment(seed=3, n_pretrain=20, n_iter=15, n_snapshots=2)
    for loss in a:
        assert np.array_equal(a[loss].generator_grad_norm, b[loss].generator_grad_norm)
        assert np.array_equal(a[loss].position, b[loss].position)


def test_mode_masses_match_normal_cdfs_and_quadrature():
    windows = experiments.mode_windows(TWO_MODES)
    np.testing.assert_allclose(windows, [[-3.5, -0.5], [0.5, 3.5]])
    q = gm.Normal(0.7, 1.3)
    expected = stats.norm.cdf(windows[:, 1], 0.7, 1.3) - stats.norm.cdf(windows[:, 0], 0.7, 1.3)
    np.testing.assert_allclose(experiments.mode_masses(q, windows), expected, rtol=1e-12)
    # On an exact generator density: against QUADPACK on its pdf.
    from ganmath.gan import GAN

    trained = GAN(TWO_MODES, seed=1, k=1, lr_generator=2e-3)
    trained.train(200)
    p_g = GeneratorDensity(trained.generator, trained.noise)
    quad = [integrate.quad(p_g.pdf, a, b, limit=200, points=[p for p in p_g.breakpoints if a < p < b][:40])[0]
            for a, b in windows]
    np.testing.assert_allclose(experiments.mode_masses(p_g, windows), quad, atol=1e-7)


def test_runs_drop_a_mode_measured_from_the_exact_p_g():
    runs = experiments.mode_collapse_runs(TWO_MODES, seeds=(0, 2), n_iter=800, checkpoint_every=400, k=1,
                                          lr_generator=2e-3, lr_discriminator=2e-3)
    for run in runs:
        assert run.iterations.tolist() == [0, 400, 800]
        assert run.masses.shape == (3, 2) and np.all(run.masses >= 0) and np.all(run.masses.sum(axis=1) <= 1 + 1e-12)
        # One mode gets nearly everything, the other nearly nothing.
        assert run.final_masses.max() > 0.95 and run.dropped().size == 1, run.final_masses
        # Sampling the trained generator agrees with the exact masses.
        samples = run.frames[-1].generator_density.sample(20000, np.random.default_rng(0))
        empirical = [np.mean((samples >= a) & (samples <= b)) for a, b in experiments.mode_windows(TWO_MODES)]
        np.testing.assert_allclose(empirical, run.final_masses, atol=0.01)


def test_the_landscapes_prefer_covering_and_one_mode():
    means = np.array([0.0, 2.0])
    spreads = np.array([0.5, 2.0])
    criterion = experiments.criterion_landscape(TWO_MODES, means, spreads)
    surrogate = experiments.non_saturating_landscape(TWO_MODES, means, spreads)
    # criterion[i, j]: spread i, mean j.  Covering both: (s=2, m=0); one mode: (s=0.5, m=2).
    assert criterion[1, 0] < criterion[0, 1]
    assert surrogate[0, 1] < surrogate[1, 0]
    np.testing.assert_allclose(criterion[0, 1], -math.log(4) + 2 * gm.js_divergence(TWO_MODES, gm.Normal(2.0, 0.5)),
                               atol=1e-12)
    # The reverse KL of the one-mode fit, from its definition by QUADPACK.
    q = gm.Normal(2.0, 0.5)
    reverse_kl = integrate.quad(lambda x: q.pdf(x) * (q.logpdf(x) - TWO_MODES.logpdf(x)), -2, 6, limit=200)[0]
    np.testing.assert_allclose(surrogate[0, 1], reverse_kl - 2 * gm.js_divergence(TWO_MODES, q), atol=1e-9)
    # q is the right component: KL(q || p_data) = log 2 - E_q[log(1 + p_left/q)], just below log 2.
    assert math.log(2.0) - 1e-3 < reverse_kl < math.log(2.0)


def test_the_paths_follow_their_landscapes():
    flow = experiments.frozen_optimum_path(TWO_MODES, "non-saturating", start=(0.5, 1.0), n_steps=80)
    np.testing.assert_allclose(flow[-1], [2.0, 0.5], atol=0.02)
    flow = experiments.frozen_optimum_path(TWO_MODES, "criterion", start=(0.5, 1.0), n_steps=80)
    assert flow[-1, 1] > 1.8 and abs(flow[-1, 0]) < 0.3
    path = experiments.linear_generator_path(TWO_MODES, start=(0.5, 1.0), loss="non-saturating", k=5,
                                             lr_generator=2e-3, n_iter=1500, record_every=500)
    assert path[:, 0].tolist() == [0, 500, 1000, 1500]
    np.testing.assert_allclose(path[0, 1:], [0.5, 1.0])
    np.testing.assert_allclose(path[-1, 1:], [2.0, 0.5], atol=0.1)


def test_linear_generator_pushes_normal_noise_to_the_normal():
    network = experiments.linear_generator(0.7, 1.3)
    z = np.linspace(-2, 2, 5)
    np.testing.assert_allclose(network(z[:, None])[:, 0], 0.7 + 1.3 * z, rtol=1e-15)
    p_g = GeneratorDensity(network, gm.Normal(0.0, 1.0))
    x = np.linspace(-3, 4, 15)
    np.testing.assert_allclose(p_g.pdf(x), stats.norm.pdf(x, 0.7, 1.3), rtol=1e-10)


@pytest.mark.parametrize(
    "call, parameter",
    [
        (lambda: experiments.saturation_experiment(n_iter=0), "n_iter"),
        (lambda: experiments.saturation_experiment(tolerance=-1.0), "tolerance"),
        (lambda: experiments.saturation_experiment(data="normal"), "data"),
        (lambda: experiments.mode_windows(TWO_MODES, half_width=0.0), "half_width"),
        (lambda: experiments.mode_masses(gm.Normal(0, 1), [[1.0, 0.0]]), "windows"),
        (lambda: experiments.criterion_landscape(TWO_MODES, [0.0], [-1.0]), "spreads"),
        (lambda: experiments.frozen_optimum_path(TWO_MODES, "wasserstein"), "objective"),
        (lambda: experiments.linear_generator(0.0, 0.0), "spread"),
        (lambda: experiments.mode_collapse_runs(TWO_MODES, seeds=[-1], n_iter=1), "seed"),
    ],
)
def test_bad_arguments_name_the_parameter(call, parameter):
    with pytest.raises((ValueError, TypeError), match=parameter):
        call()


def test_mode_windows_needs_normal_components():
    with pytest.raises(TypeError, match="mixture"):
        experiments.mode_windows(gm.Normal(0, 1))
