"""The Figure 1 experiment.

Fast tier: the committed default run (seed 0, the run the notebook draws) has its panel numbers recomputed
independently (finer grids, scipy quadrature, closed forms for two normals) and its first 100 iterations retrained;
the committed runs of seeds 0-31 have their summary recomputed from their per-seed lines, their rates asserted with
a margin and their fingerprint retrained (bit for bit under the arithmetic they name, within a stated tolerance
under another).

Full tier (``slow``): the claims, that each panel's bound holds, asserted as rates over 32 freshly trained seeds
with a margin below the rate measured, and again after every initial weight moved by one ulp (the trajectory then
changes as under another BLAS kernel), and on seeds that were never used to choose the protocol. The default run is
retrained from start to end in the fast tier (a few seconds).
"""

import dataclasses
import math

import numpy as np
import pytest
from scipy import integrate, special, stats

import ganmath as gm
from ganmath.core.divergences import js_divergence
from ganmath.experiments.figure1 import (
    BOUNDS,
    DEFAULT_SEED,
    FINGERPRINT_PROTOCOL,
    MASS_TAIL,
    PANELS,
    PROTOCOL,
    figure1_data,
    figure1_noise,
    fingerprint,
    mass_region,
    orient_generator,
    replay,
    run_figure1,
    stored_run,
    stored_runs,
    summarize_lines,
    summary,
    train_figure1,
)
from ganmath.gan import GAN
from ganmath.records import fingerprint_mismatches, same_arithmetic

# Measured over seeds 0-31 (ganmath/data/figure1_seeds.jsonl, the README): every bound held in 32/32 runs, and in
# 32/32 with every initial weight one ulp away, and in 32/32 of seeds 1000-1031, never looked at while the
# protocol was chosen (on seeds 0-15). Asserted at about the lower end of the 95% Wilson interval of 32/32 (0.89,
# 28.6 runs): a machine whose rounding differs trains other runs and must still see these rates.
MIN_SUCCESSES = 29
UNSEEN_SEEDS = range(1000, 1032)


@pytest.fixture(scope="module")
def result():
    """The committed default run, its snapshots measured again from the stored networks."""
    return stored_run()


@pytest.fixture(scope="module")
def population():
    return train_figure1(range(32))


def affine_generator(snapshot):
    """G(z) = a z + b of a snapshot, read off its network: (a, b)."""
    values = snapshot.generator(np.array([[0.0], [1.0]]))[:, 0]
    return float(values[1] - values[0]), float(values[0])


# --- the default run, stored -------------------------------------------------------------------------------------


def test_four_panels_in_training_order(result):
    assert tuple(result.panels) == PANELS
    indices = [result.panel_index(name) for name in PANELS]
    assert indices == sorted(indices) and len(set(indices)) == 4
    a, b, c, d = (result.panels[name] for name in PANELS)
    # (b) trains D alone, (c) G alone: the generator of (a) and (b) is the same, D of (b) and (c) is the same.
    np.testing.assert_array_equal(a.generator.parameters, b.generator.parameters)
    assert b.discriminator_steps == a.discriminator_steps + result.numbers["b_discriminator_steps"]
    np.testing.assert_array_equal(b.discriminator_network.parameters, c.discriminator_network.parameters)
    assert c.generator_steps == b.generator_steps + PROTOCOL.generator_steps
    assert d.iteration == c.iteration + PROTOCOL.final


def test_the_generator_is_affine_and_p_g_the_normal_it_makes(result):
    """p_g of G(z) = a z + b with z ~ N(0, 1) is N(b, a^2): the exact p_g against the closed form."""
    for snapshot in result.panels.values():
        a, b = affine_generator(snapshot)
        assert a > 0   # oriented: the arrows do not cross
        np.testing.assert_allclose(snapshot.p_g, stats.norm.pdf(snapshot.x, loc=b, scale=a), rtol=1e-9, atol=1e-300)


def test_panel_a_is_the_first_check_below_the_threshold(result):
    a = result.panels["a"]
    assert a.iteration % PROTOCOL.check_every == 0
    assert result.numbers["a_js"] < PROTOCOL.a_threshold
    earlier = [s for s in result.snapshots if s.iteration < a.iteration and s.iteration % PROTOCOL.check_every == 0]
    assert earlier and all(s.js >= PROTOCOL.a_threshold for s in earlier)
    low, high = BOUNDS["a_js"]
    assert low <= result.numbers["a_js"] <= high


def closed_form_js(mu_1, sigma_1, mu_2, sigma_2):
    """JS of two normals by scipy quadrature of the definition, written out."""
    p, q = stats.norm(mu_1, sigma_1), stats.norm(mu_2, sigma_2)

    def integrand(x):
        m = 0.5 * (p.pdf(x) + q.pdf(x))
        return 0.5 * (special.xlogy(p.pdf(x), p.pdf(x) / m) + special.xlogy(q.pdf(x), q.pdf(x) / m))

    low, high = min(mu_1 - 12 * sigma_1, mu_2 - 12 * sigma_2), max(mu_1 + 12 * sigma_1, mu_2 + 12 * sigma_2)
    return integrate.quad(integrand, low, high, points=[mu_1, mu_2], limit=400, epsabs=1e-13, epsrel=1e-12)[0]


def test_the_panels_js_against_quadrature_of_two_normals(result):
    for name, key in (("a", "a_js"), ("c", "c_js_after"), ("d", "d_js")):
        a, b = affine_generator(result.panels[name])
        np.testing.assert_allclose(result.numbers[key], closed_form_js(2.0, 0.5, b, a), rtol=1e-7, atol=1e-12,
                                   err_msg=name)
    a, b = affine_generator(result.panels["b"])
    np.testing.assert_allclose(result.numbers["c_js_before"], closed_form_js(2.0, 0.5, b, a), rtol=1e-7)
    np.testing.assert_allclose(result.numbers["c_js_ratio"], result.numbers["c_js_after"] / result.numbers["c_js_before"],
                               rtol=1e-15)


def test_panel_b_gap_recomputed_on_a_finer_grid(result):
    b = result.panels["b"]
    a_, b_ = affine_generator(b)
    data, p_g = stats.norm(2.0, 0.5), stats.norm(b_, a_)
    low = min(data.ppf(MASS_TAIL), p_g.ppf(MASS_TAIL))
    high = max(data.isf(MASS_TAIL), p_g.isf(MASS_TAIL))
    x = np.linspace(low, high, 20001)
    d_star = data.pdf(x) / (data.pdf(x) + p_g.pdf(x))
    d = special.expit(b.discriminator_network(x[:, None])[:, 0])
    np.testing.assert_allclose(result.numbers["b_sup_abs_D_minus_Dstar"], np.max(np.abs(d - d_star)), atol=2e-3)
    assert result.numbers["b_sup_abs_D_minus_Dstar"] <= BOUNDS["b_sup_abs_D_minus_Dstar"]


def test_panel_c_moved_p_g_toward_the_data(result):
    """G's steps moved its mean toward the data's, and p_g visibly: its mean by more than a tenth of the data's
    spread."""
    (_, b_b), (_, b_c) = affine_generator(result.panels["b"]), affine_generator(result.panels["c"])
    assert abs(b_c - 2.0) < abs(b_b - 2.0) and abs(b_c - b_b) > 0.05
    assert result.numbers["c_js_ratio"] <= BOUNDS["c_js_ratio"]


def test_panel_d_numbers_recomputed(result):
    d = result.panels["d"]
    x = np.linspace(stats.norm.ppf(MASS_TAIL, 2.0, 0.5), stats.norm.isf(MASS_TAIL, 2.0, 0.5), 20001)
    half_gap = np.max(np.abs(special.expit(d.discriminator_network(x[:, None])[:, 0]) - 0.5))
    np.testing.assert_allclose(result.numbers["d_sup_abs_D_minus_half"], half_gap, atol=1e-4)
    np.testing.assert_allclose(result.numbers["d_js"], js_divergence(result.data, d.generator_density), rtol=1e-9)
    held = result.numbers["bounds_held"]
    assert held["d"] == (result.numbers["d_js"] <= BOUNDS["d_js"]
                         and result.numbers["d_sup_abs_D_minus_half"] <= BOUNDS["d_sup_abs_D_minus_half"])


def test_the_arrows_do_not_cross(result):
    """G increases, by the orientation rule: evenly spaced quantiles of z go to increasing G(z) in every snapshot."""
    for snapshot in result.snapshots:
        assert np.all(np.diff(snapshot.generated) > 0), snapshot.iteration


def test_the_stored_run_is_its_own_first_iterations_retrained(result):
    """The first 100 iterations of seed 0 again: the stored snapshot's networks, bit for bit under the arithmetic
    that made them, within the fingerprint tolerance under another."""
    stored = next(s for s in result.snapshots if s.iteration == 100)
    again = replay(DEFAULT_SEED, 100)
    fresh = {"generator": again.generator.parameters.tolist(), "discriminator": again.discriminator.parameters.tolist()}
    kept = {"generator": stored.generator.parameters.tolist(),
            "discriminator": stored.discriminator_network.parameters.tolist()}
    assert fingerprint_mismatches(kept, fresh, exact=same_arithmetic(result.arithmetic)) == []


def test_the_stored_run_is_seed_0_of_the_stored_runs(result):
    runs, summary_line = stored_runs()
    assert result.arithmetic == summary_line["arithmetic"]     # both made under one arithmetic: the same numbers
    seed_0 = next(run for run in runs if run["seed"] == DEFAULT_SEED)
    assert {k: v for k, v in result.numbers.items() if k in seed_0} == seed_0


# --- the 32 stored runs ------------------------------------------------------------------------------------------


def test_the_stored_runs_follow_their_code_path():
    _, summary_line = stored_runs()
    assert summary_line["command"] == "python -m ganmath figure1 --seeds 0:32"
    exact = same_arithmetic(summary_line["arithmetic"])
    assert fingerprint_mismatches(summary_line["fingerprint"], fingerprint(), exact=exact) == [], (
        "regenerate ganmath/data/figure1_seeds.jsonl with its command if the training code changed on purpose")


def test_the_stored_runs_meet_the_bounds():
    runs, summary_line = stored_runs()
    assert [run["seed"] for run in runs] == list(range(32)) and summary_line["n_runs"] == 32
    recomputed = summarize_lines(runs)
    assert {k: summary_line[k] for k in recomputed} == recomputed
    rates = summary_line["rates"]
    for panel in (*PANELS, "all"):
        assert rates[panel]["successes"] >= MIN_SUCCESSES, (panel, rates[panel])
    low, high = BOUNDS["a_js"]
    for run in runs:
        a = low <= run["a_js"] <= high
        b = run["b_sup_abs_D_minus_Dstar"] <= BOUNDS["b_sup_abs_D_minus_Dstar"]
        c = run["c_js_ratio"] <= BOUNDS["c_js_ratio"]
        d = run["d_js"] <= BOUNDS["d_js"] and run["d_sup_abs_D_minus_half"] <= BOUNDS["d_sup_abs_D_minus_half"]
        assert run["bounds_held"] == {"a": a, "b": b, "c": c, "d": d, "all": a and b and c and d}, run["seed"]


# --- the parts, quickly ------------------------------------------------------------------------------------------


def test_the_orientation_rule_reflects_z_and_keeps_p_g():
    reflected = 0
    for seed in range(8):
        gan = GAN(figure1_data(), figure1_noise(), seed=seed, **PROTOCOL.settings)
        before = gan.generator_density()
        if orient_generator(gan):
            reflected += 1
            assert js_divergence(before, gan.generator_density()) < 1e-15
        values = gan.generator(np.array([[-1.0], [1.0]]))[:, 0]
        assert values[1] > values[0]
    assert 0 < reflected < 8
    with pytest.raises(ValueError, match="symmetric"):
        orient_generator(GAN(figure1_data(), gm.Normal(1.0, 1.0), seed=0, **PROTOCOL.settings))


def test_the_mass_region_spans_the_quantiles():
    data, p_g = gm.Normal(2.0, 0.5), gm.Normal(1.0, 0.3)
    x = mass_region(data, p_g, n=11)
    np.testing.assert_allclose([x[0], x[-1]], [stats.norm.ppf(MASS_TAIL, 1.0, 0.3), stats.norm.isf(MASS_TAIL, 2.0, 0.5)],
                               rtol=1e-12)
    with pytest.raises(TypeError, match="densities"):
        mass_region("not a density")


def test_a_run_and_the_same_seed_among_others_are_the_same():
    one = run_figure1(3, FINGERPRINT_PROTOCOL, snapshot_every=1)
    among = train_figure1([2, 3], FINGERPRINT_PROTOCOL)
    assert among.run_numbers(1) == {k: v for k, v in one.numbers.items() if k != "training_seconds"}


def test_the_exact_final_phase_runs_before_d_is_measured():
    short = dataclasses.replace(FINGERPRINT_PROTOCOL, exact_final={})
    plain, exact = train_figure1([0], short), train_figure1([0], FINGERPRINT_PROTOCOL)
    for name in ("a_js", "b_sup_abs_D_minus_Dstar", "c_js_after"):
        np.testing.assert_array_equal(plain.numbers[name], exact.numbers[name])
    assert exact.runs[0].generator_steps == plain.runs[0].generator_steps + 3
    assert not np.array_equal(plain.numbers["d_js"], exact.numbers["d_js"])
    np.testing.assert_array_equal(exact.numbers["d_js"], [exact.runs[0].js_divergence()])


def test_the_slider_sees_every_phase():
    run = run_figure1(0, FINGERPRINT_PROTOCOL, snapshot_every=1)
    counters = [(s.iteration, s.discriminator_steps, s.generator_steps) for s in run.snapshots]
    assert counters == sorted(counters)
    assert run.panels["d"] is run.snapshots[-1] and run.panels["d"].js == run.numbers["d_js"]
    last = run.snapshots[-5:]   # the last minibatch iteration, three exact ones, then (d)
    assert [s.generator_steps - last[0].generator_steps for s in last] == [0, 1, 2, 3, 3]


@pytest.mark.parametrize("kwargs, error", [({"seed": -1}, ValueError), ({"seed": 1.5}, TypeError),
                                           ({"snapshot_every": 0}, ValueError)])
def test_bad_arguments_name_the_parameter(kwargs, error):
    name = next(iter(kwargs))
    with pytest.raises(error, match=name):
        run_figure1(**kwargs)


def test_data_and_noise():
    data, noise = figure1_data(), figure1_noise()
    assert isinstance(data, gm.Normal) and (data.mu, data.sigma) == (2.0, 0.5)
    assert isinstance(noise, gm.Normal) and (noise.mu, noise.sigma) == (0.0, 1.0)
    assert math.isclose(MASS_TAIL, 0.005)


# --- the default run retrained from start to end (seconds), and the 32 seeds (the full tier) ------------------------


def test_same_seed_same_numbers_and_the_stored_run(result):
    """The default run trained from start to end, twice: the same numbers; under the stored run's arithmetic, its
    numbers."""
    first, again = run_figure1(DEFAULT_SEED), run_figure1(DEFAULT_SEED)
    timeless = lambda n: {k: v for k, v in n.items() if k != "training_seconds"}  # noqa: E731
    assert timeless(again.numbers) == timeless(first.numbers)
    if same_arithmetic(result.arithmetic):
        assert timeless(first.numbers) == result.numbers


@pytest.mark.slow
def test_the_bounds_hold_for_most_seeds(population):
    for panel, held in population.rates.items():
        assert held.successes >= MIN_SUCCESSES, (panel, str(held))
    assert summary(population)["success_rate"] == population.rates["all"].fraction
    for failure in population.failures():
        assert failure["missed"] and not failure["bounds_held"]["all"]


@pytest.mark.slow
def test_the_bounds_hold_for_most_seeds_one_ulp_away():
    nudged = train_figure1(range(32), nudge_ulps=1)
    for panel, held in nudged.rates.items():
        assert held.successes >= MIN_SUCCESSES, (panel, str(held))


@pytest.mark.slow
def test_the_bounds_hold_on_seeds_never_used_to_choose_the_protocol():
    unseen = train_figure1(UNSEEN_SEEDS)
    # the bar for unseen seeds is 80%; measured 32/32
    assert unseen.rates["all"].successes >= 26, {k: str(v) for k, v in unseen.rates.items()}


@pytest.mark.slow
def test_the_stored_runs_are_like_fresh_ones(population):
    runs, summary_line = stored_runs()
    if same_arithmetic(summary_line["arithmetic"]):
        fresh = [population.run_numbers(i) for i in range(32)]
        assert fresh == runs, "regenerate ganmath/data/figure1_seeds.jsonl with its command"
    stored_low, stored_high = summary_line["rates"]["all"]["ci95"]
    assert population.rates["all"].low <= stored_high and stored_low <= population.rates["all"].high
