"""The Figure 1 experiment.

Fast tier: the committed default run (seed 0, the run the notebook draws) has its panel numbers recomputed
independently (finer grids, scipy quadrature) and its first 250 iterations retrained; the committed population of
32 seeds has its summary recomputed from its per-seed lines, its rates asserted with a margin and its fingerprint
retrained (bit for bit under the arithmetic it names, within a stated tolerance under another).

Full tier (``slow``): the claims, that each panel's bound holds, asserted as rates over 32 freshly trained seeds
with a margin below the rate measured, and again after every initial weight moved by one ulp (the trajectory then
changes as under another BLAS kernel); the default run retrained from start to end.
"""

import dataclasses

import numpy as np
import pytest
from scipy import integrate, special

import ganmath as gm
from ganmath.core.divergences import js_divergence
from ganmath.experiments.figure1 import (
    BOUNDS,
    PROTOCOL,
    DEFAULT_SEED,
    PANELS,
    figure1_data,
    figure1_noise,
    fingerprint,
    mean_discriminator_on_fakes,
    orient_generators,
    replay,
    run_figure1,
    stored_run,
    stored_runs,
    summarize_lines,
    summary,
    train_figure1,
)
from ganmath.gan import Population
from ganmath.gan.snapshot import data_region
from ganmath.records import fingerprint_mismatches, same_arithmetic

# Measured over seeds 0-31 (ganmath/data/figure1_seeds.jsonl, the README): (b) held in 31/32 runs, (c) in 32/32,
# (d) in 32/32, all of them in 31/32; with every initial weight one ulp away, 32/32, 32/32, 31/32 and 31/32.
# Asserted at about the lower end of the 95% Wilson interval of 31/32 (0.84, 27 runs) or below: a machine
# whose rounding differs trains other runs and must still see these rates.
MIN_SUCCESSES = 26
MIN_PANEL_SUCCESSES = {"b": 27, "c": 28, "d": 27}


@pytest.fixture(scope="module")
def result():
    """The committed default run, its snapshots measured again from the stored networks."""
    return stored_run()


@pytest.fixture(scope="module")
def population():
    return train_figure1(range(32))


def region(result):
    return np.linspace(*data_region(result.data), 1001)


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


def test_panel_b_gap_recomputed_from_the_densities(result):
    b = result.panels["b"]
    x = region(result)
    p_data, p_g = result.data.pdf(x), b.generator_density.pdf(x)
    d_star = p_data / (p_data + p_g)
    d = special.expit(b.discriminator_network(x[:, None])[:, 0])
    np.testing.assert_allclose(result.numbers["b_sup_abs_D_minus_Dstar"], np.max(np.abs(d - d_star)), atol=5e-3)


def test_panel_c_means_recomputed_by_simpson(result):
    n = result.numbers
    b, c = result.panels["b"], result.panels["c"]
    d_net = c.discriminator_network

    # Simpson's rule (D's kinks stall adaptive quadrature) against the numbers' midpoint rule on 2,001 points:
    # D's steep ramp where G's range ends puts the midpoint rule's error near 2e-6, far below the rises (> 1e-3).
    z = np.linspace(-1.0, 1.0, 200001)

    def mean_d(generator):
        return integrate.simpson(special.expit(d_net(generator(z[:, None]))[:, 0]), x=z) / 2.0

    np.testing.assert_allclose([n["c_mean_D_of_G_before"], n["c_mean_D_of_G_after"]],
                               [mean_d(b.generator), mean_d(c.generator)], atol=1e-5)


def test_panel_d_numbers_recomputed(result):
    d = result.panels["d"]
    np.testing.assert_allclose(result.numbers["d_js"], js_divergence(result.data, d.generator_density), rtol=1e-9)
    x = region(result)
    half_gap = np.max(np.abs(special.expit(d.discriminator_network(x[:, None])[:, 0]) - 0.5))
    np.testing.assert_allclose(result.numbers["d_sup_abs_D_minus_half"], half_gap, atol=5e-3)
    held = result.numbers["bounds_held"]
    assert held["d"] == (result.numbers["d_js"] <= BOUNDS["d_js"]
                         and result.numbers["d_sup_abs_D_minus_half"] <= BOUNDS["d_sup_abs_D_minus_half"])


def test_the_arrows_do_not_cross(result):
    """G increases, by the orientation rule: evenly spaced z go to increasing G(z) in every panel."""
    for name in PANELS:
        assert np.all(np.diff(result.panels[name].generated) > 0), name


def test_orientation_rule_reflects_z_and_keeps_p_g():
    population = Population(figure1_data(), figure1_noise(), seeds=range(8), generator_activation="tanh")
    before = [population.generator_density(i) for i in range(8)]
    reflected = orient_generators(population)
    assert reflected.any() and not reflected.all()
    ends = np.broadcast_to(np.array([[-1.0], [1.0]]), (8, 2, 1))
    values = population.generator(np.ascontiguousarray(ends))[:, :, 0]
    assert np.all(values[:, 1] > values[:, 0])
    for i in np.flatnonzero(reflected):
        assert js_divergence(before[i], population.generator_density(i)) < 1e-12


def test_mean_discriminator_on_fakes_is_a_midpoint_rule():
    gan = replay(DEFAULT_SEED, 100)
    population = gan.population
    z = np.linspace(-1.0, 1.0, 200001)
    values = special.expit(gan.discriminator_logit(gan.generator(z[:, None])[:, 0]))
    np.testing.assert_allclose(mean_discriminator_on_fakes(population), [np.trapezoid(values, z) / 2.0], atol=1e-6)


def test_the_stored_run_is_its_own_first_iterations_retrained(result):
    """The first 250 iterations of seed 0 again: the stored snapshot's networks, bit for bit under the arithmetic
    that made them, within the fingerprint tolerance under another."""
    stored = next(s for s in result.snapshots if s.iteration == 250)
    again = replay(DEFAULT_SEED, 250)
    fresh = {"generator": again.generator.parameters.tolist(), "discriminator": again.discriminator.parameters.tolist()}
    kept = {"generator": stored.generator.parameters.tolist(),
            "discriminator": stored.discriminator_network.parameters.tolist()}
    assert fingerprint_mismatches(kept, fresh, exact=same_arithmetic(result.arithmetic)) == []


def test_the_stored_run_is_seed_0_of_the_stored_population(result):
    runs, summary_line = stored_runs()
    assert result.arithmetic == summary_line["arithmetic"]     # both made under one arithmetic: the same numbers
    seed_0 = next(run for run in runs if run["seed"] == DEFAULT_SEED)
    assert {k: v for k, v in result.numbers.items() if k in seed_0} == seed_0


def test_the_stored_population_follows_its_code_path():
    _, summary_line = stored_runs()
    assert summary_line["command"] == "python -m ganmath figure1 --seeds 0:32"
    exact = same_arithmetic(summary_line["arithmetic"])
    assert fingerprint_mismatches(summary_line["fingerprint"], fingerprint(), exact=exact) == [], (
        "regenerate ganmath/data/figure1_seeds.jsonl with its command if the training code changed on purpose")


def test_the_stored_population_meets_the_bounds():
    runs, summary_line = stored_runs()
    assert [run["seed"] for run in runs] == list(range(32)) and summary_line["n_runs"] == 32
    recomputed = summarize_lines(runs)
    assert {k: summary_line[k] for k in recomputed} == recomputed
    rates = summary_line["rates"]
    assert rates["all"]["successes"] >= MIN_SUCCESSES, rates
    for panel, at_least in MIN_PANEL_SUCCESSES.items():
        assert rates[panel]["successes"] >= at_least, (panel, rates[panel])
    for run in runs:
        assert run["d_G_increasing"]
        b = run["b_sup_abs_D_minus_Dstar"] <= BOUNDS["b_sup_abs_D_minus_Dstar"]
        c = run["c_mean_D_of_G_after"] > run["c_mean_D_of_G_before"]
        d = run["d_js"] <= BOUNDS["d_js"] and run["d_sup_abs_D_minus_half"] <= BOUNDS["d_sup_abs_D_minus_half"]
        assert run["bounds_held"] == {"b": b, "c": c, "d": d, "all": b and c and d}, run["seed"]


@pytest.mark.slow
def test_same_seed_same_numbers_on_this_machine(result):
    """The default run trained from start to end, twice: the same numbers; under the stored run's arithmetic, its
    numbers."""
    first, again = run_figure1(DEFAULT_SEED), run_figure1(DEFAULT_SEED)
    timeless = lambda n: {k: v for k, v in n.items() if k != "training_seconds"}  # noqa: E731
    assert timeless(again.numbers) == timeless(first.numbers)
    if same_arithmetic(result.arithmetic):
        assert timeless(first.numbers) == result.numbers


@pytest.mark.slow
def test_the_bounds_hold_for_most_seeds(population):
    rates = population.rates
    assert rates["all"].successes >= MIN_SUCCESSES, [str(r) for r in rates.values()]
    for panel, at_least in MIN_PANEL_SUCCESSES.items():
        assert rates[panel].successes >= at_least, (panel, str(rates[panel]))
    assert np.all(population.numbers["d_G_increasing"])
    assert summary(population)["success_rate"] == rates["all"].fraction


@pytest.mark.slow
def test_the_bounds_hold_for_most_seeds_one_ulp_away():
    nudged = train_figure1(range(32), nudge_ulps=1)
    assert nudged.rates["all"].successes >= MIN_SUCCESSES, [str(r) for r in nudged.rates.values()]
    for panel, at_least in MIN_PANEL_SUCCESSES.items():
        assert nudged.rates[panel].successes >= at_least, (panel, str(nudged.rates[panel]))


@pytest.mark.slow
def test_failures_say_which_bound_they_missed(population):
    for failure in population.failures():
        assert failure["missed"] and not failure["bounds_held"]["all"]


@pytest.mark.slow
def test_the_stored_population_is_like_a_fresh_one(population):
    runs, summary_line = stored_runs()
    if same_arithmetic(summary_line["arithmetic"]):
        fresh = [population.run_numbers(i) for i in range(32)]
        assert fresh == runs, "regenerate ganmath/data/figure1_seeds.jsonl with its command"
    # Elsewhere the stored runs and a fresh population are two draws of the same rates: their 95% intervals overlap.
    stored_low, stored_high = summary_line["rates"]["all"]["ci95"]
    assert population.rates["all"].low <= stored_high and stored_low <= population.rates["all"].high


def test_an_exact_final_phase_runs_before_d_is_measured():
    """A short protocol with and without ``exact_final``: the same runs up to (c); (d) after the exact phase."""
    short = dataclasses.replace(PROTOCOL, approach=((40, {}),), inner_steps=20, final=((20, {}),), exact_final={})
    exact = dataclasses.replace(short, exact_final={"iterations": 3, "k": 2, "n_points": 101})
    plain_runs, exact_runs = train_figure1([0, 1], short), train_figure1([0, 1], exact)
    for name in ("a_js", "b_sup_abs_D_minus_Dstar", "c_mean_D_of_G_after"):
        np.testing.assert_array_equal(plain_runs.numbers[name], exact_runs.numbers[name])
    plain, fitted = plain_runs.population, exact_runs.population
    assert fitted.generator_steps == plain.generator_steps + 3
    assert fitted.discriminator_steps == plain.discriminator_steps + 6
    assert fitted.iteration == plain.iteration
    assert not np.array_equal(plain_runs.numbers["d_js"], exact_runs.numbers["d_js"])
    np.testing.assert_array_equal(exact_runs.numbers["d_js"], fitted.js_divergences())


def test_the_slider_sees_the_exact_final_phase():
    short = dataclasses.replace(PROTOCOL, approach=((40, {}),), inner_steps=20, final=((20, {}),), exact_final={})
    exact = dataclasses.replace(short, exact_final={"iterations": 3, "k": 2, "n_points": 101})
    plain, fitted = run_figure1(0, short, snapshot_every=1), run_figure1(0, exact, snapshot_every=1)
    assert len(fitted.snapshots) == len(plain.snapshots) + 3
    assert fitted.numbers["d_exact_iterations"] == 3 and plain.numbers["d_exact_iterations"] == 0
    last = fitted.snapshots[-5:]   # the last minibatch iteration, three exact ones, then (d)
    assert [s.iteration for s in last] == [60] * 5
    assert [s.generator_steps for s in last] == [last[0].generator_steps + i for i in (0, 1, 2, 3, 3)]
    assert [s.discriminator_steps - last[0].discriminator_steps for s in last] == [0, 2, 4, 6, 6]
    assert fitted.panels["d"] is last[-1] and fitted.panels["d"].js == fitted.numbers["d_js"]


@pytest.mark.parametrize("kwargs, error", [({"seed": -1}, ValueError), ({"seed": 1.5}, TypeError),
                                           ({"snapshot_every": 0}, ValueError)])
def test_bad_arguments_name_the_parameter(kwargs, error):
    name = next(iter(kwargs))
    with pytest.raises(error, match=name):
        run_figure1(**kwargs)


def test_data_is_a_bell_with_compact_support():
    data = figure1_data()
    assert isinstance(data, gm.TruncatedNormal) and data.support == (-2.0, 2.0)
    assert data.pdf(0.0) > data.pdf(1.0) > data.pdf(1.9) > 0 and data.pdf(2.01) == 0
