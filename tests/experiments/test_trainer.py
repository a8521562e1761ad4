"""The trainer's logic without a browser: each action advances the model and the readouts; reset, presets,
settings validation; the fast readouts against the adaptive integrals; the push against finite differences."""

import math
import re

import numpy as np
import pytest

import ganmath as gm
from ganmath.core.costs import GENERATOR_LOSSES, generator_cost
from ganmath.core.presets import mixture_from_parameters
from ganmath.experiments.trainer import (
    DATA_PRESETS,
    Trainer,
    data_preset_density,
    fixed_rule_readouts,
    generator_gradient_at,
)
from ganmath.gan.pushforward import GeneratorDensity

LOG4 = math.log(4.0)


@pytest.fixture
def trainer():
    return Trainer(data="two modes", seed=3)


def test_step_d_moves_only_the_discriminator(trainer):
    generator, discriminator = trainer.gan.generator.parameters.copy(), trainer.gan.discriminator.parameters.copy()
    readout = trainer.step_discriminator()
    assert (readout.iteration, readout.discriminator_steps, readout.generator_steps) == (0, 1, 0)
    assert readout.action == "step D" and len(trainer.readouts) == 2
    assert np.array_equal(trainer.gan.generator.parameters, generator)
    assert not np.array_equal(trainer.gan.discriminator.parameters, discriminator)
    assert np.isfinite(readout.discriminator_loss) and math.isnan(readout.generator_loss)
    # D moved, p_g did not: JS and C(G) stay, the gap to D* changes.
    start = trainer.readouts[0]
    assert readout.js == start.js and readout.criterion == start.criterion
    assert readout.sup_gap != start.sup_gap


def test_step_g_moves_only_the_generator(trainer):
    generator, discriminator = trainer.gan.generator.parameters.copy(), trainer.gan.discriminator.parameters.copy()
    picture_before = trainer.picture()
    readout = trainer.step_generator()
    assert (readout.iteration, readout.discriminator_steps, readout.generator_steps) == (0, 0, 1)
    assert np.array_equal(trainer.gan.discriminator.parameters, discriminator)
    assert not np.array_equal(trainer.gan.generator.parameters, generator)
    assert readout.js != trainer.readouts[0].js
    picture_after = trainer.picture()
    assert not np.array_equal(picture_after.p_g, picture_before.p_g)
    assert not np.array_equal(picture_after.generated, picture_before.generated)
    assert np.array_equal(picture_after.discriminator, picture_before.discriminator)


def test_iterate_is_k_discriminator_steps_then_one_generator_step():
    trainer = Trainer(k=3, seed=1)
    readout = trainer.iterate()
    assert (readout.iteration, readout.discriminator_steps, readout.generator_steps) == (1, 3, 1)
    readout = trainer.iterate(4)
    assert (readout.iteration, readout.discriminator_steps, readout.generator_steps) == (5, 15, 5)
    assert [r.update for r in trainer.readouts] == [0, 1, 2]
    curves = trainer.curves()
    assert curves["iteration"].tolist() == [0, 1, 5]
    assert np.all(np.isfinite(curves["js"])) and np.all(np.isfinite(curves["sup_gap"]))


def test_training_from_the_trainer_brings_p_g_to_the_data():
    trainer = Trainer(data="one Gaussian", seed=0)
    start = trainer.last.js
    trainer.iterate(600)
    assert trainer.last.js < 0.1 < start, (start, trainer.last.js)
    assert trainer.last.criterion < -LOG4 + 0.2


def test_reset_repeats_the_run_bit_for_bit(trainer):
    for action in (trainer.step_discriminator, trainer.step_generator, trainer.iterate, trainer.iterate):
        action()
    first_run = [r.__dict__ for r in trainer.readouts]
    parameters = trainer.gan.generator.parameters.copy()
    trainer.reset()
    assert trainer.gan.iteration == 0 and len(trainer.readouts) == 1
    assert trainer.readouts[0].__dict__ == first_run[0]
    for action in (trainer.step_discriminator, trainer.step_generator, trainer.iterate, trainer.iterate):
        action()
    assert [r.__dict__ for r in trainer.readouts] == first_run
    assert np.array_equal(trainer.gan.generator.parameters, parameters)


def test_a_new_seed_gives_another_run():
    assert Trainer(seed=0).last.js != Trainer(seed=1).last.js


@pytest.mark.parametrize("preset", DATA_PRESETS)
def test_every_preset_trains_and_reads_out(preset):
    trainer = Trainer(data=preset, noise="uniform" if preset == "uniform" else "normal")
    trainer.iterate(3)
    last = trainer.last
    assert 0.0 <= last.js <= math.log(2.0)
    assert -LOG4 - 1e-9 <= last.criterion <= 1e-9
    assert 0.0 <= last.sup_gap <= 1.0
    np.testing.assert_allclose(trainer.p_data, trainer.data.pdf(trainer.x), rtol=0, atol=0)


def test_presets_are_the_documented_densities():
    x = np.linspace(-5, 5, 201)
    two = data_preset_density("two modes")
    expected = 0.5 * np.exp(-((x + 2) ** 2) / 0.5) / math.sqrt(2 * math.pi * 0.25) + 0.5 * np.exp(
        -((x - 2) ** 2) / 0.5) / math.sqrt(2 * math.pi * 0.25)
    np.testing.assert_allclose(two.pdf(x), expected, rtol=1e-12, atol=1e-300)
    three = data_preset_density("three modes")
    assert three.cdf(1.5) == pytest.approx(2.0 / 3.0, abs=1e-4)


def test_mixture_from_parameters_normalizes_the_weights():
    mixture = mixture_from_parameters([-1.0, 2.0], [0.5, 1.0], [1.0, 3.0])
    x = np.linspace(-4, 6, 101)
    expected = 0.25 * gm.Normal(-1.0, 0.5).pdf(x) + 0.75 * gm.Normal(2.0, 1.0).pdf(x)
    np.testing.assert_allclose(mixture.pdf(x), expected, rtol=1e-12)
    single = mixture_from_parameters([1.0, 2.0], [0.5, 1.0], [0.0, 2.0])
    assert isinstance(single, gm.Normal) and single.mu == 2.0
    trainer = Trainer(data="mixture", mixture={"means": [-1.0, 2.0], "spreads": [0.5, 1.0], "weights": [1.0, 3.0]})
    np.testing.assert_allclose(trainer.data.pdf(x), expected, rtol=1e-12)


@pytest.mark.parametrize(
    "settings, parameter",
    [
        ({"data": "five modes"}, "data"),
        ({"noise": "cauchy"}, "noise"),
        ({"generator_loss": "wasserstein"}, "generator_loss"),
        ({"optimizer": "adagrad"}, "optimizer"),
        ({"lr_generator": 0.0}, "lr_generator"),
        ({"lr_discriminator": -1e-3}, "lr_discriminator"),
        ({"lr_discriminator": float("nan")}, "lr_discriminator"),
        ({"k": 0}, "k"),
        ({"m": -4}, "m"),
        ({"generator_width": 0}, "generator_width"),
        ({"discriminator_depth": 0}, "discriminator_depth"),
        ({"seed": -1}, "seed"),
        ({"data": "mixture", "mixture": {"means": [0.0, 1.0], "spreads": [0.5, -0.5], "weights": [1, 1]}}, "spreads[1]"),
        ({"data": "mixture", "mixture": {"means": [0.0, 1.0], "spreads": [0.5, 0.5], "weights": [0, 0]}}, "weights"),
        ({"data": "mixture", "mixture": {"means": [0.0]}}, "mixture"),
    ],
)
def test_bad_settings_raise_naming_the_parameter(settings, parameter):
    with pytest.raises(ValueError, match=rf"\b{re.escape(parameter)}"):
        Trainer(**settings)


def test_bad_types_and_unknown_settings():
    with pytest.raises(TypeError, match="k"):
        Trainer(k=2.5)
    with pytest.raises(TypeError, match="learning_rate"):
        Trainer(learning_rate=0.1)
    trainer = Trainer()
    with pytest.raises(ValueError, match="lr_generator"):
        trainer.configure(lr_generator=-1.0)
    # A rejected change leaves the trainer as it was.
    assert trainer.settings.lr_generator == 1e-3 and trainer.gan.lr_generator == 1e-3


def test_configure_rebuilds_from_the_seed():
    trainer = Trainer()
    trainer.iterate(5)
    trainer.configure(generator_loss="minimax", k=1)
    assert trainer.gan.iteration == 0 and trainer.gan.generator_loss == "minimax" and trainer.gan.k == 1
    assert trainer.readouts[0].js == Trainer(generator_loss="minimax", k=1).readouts[0].js


@pytest.mark.parametrize("preset", ["one Gaussian", "two modes", "uniform"])
@pytest.mark.parametrize("noise", ["normal", "uniform"])
def test_fast_readouts_agree_with_the_adaptive_integrals(preset, noise):
    trainer = Trainer(data=preset, noise=noise, seed=2)
    trainer.iterate(150)
    p_g = GeneratorDensity(trainer.gan.generator, trainer.noise)
    js, criterion = fixed_rule_readouts(trainer.data, p_g)
    exact_js = gm.js_divergence(trainer.data, p_g)
    exact_criterion = gm.virtual_criterion(trainer.data, p_g)
    assert abs(js - exact_js) < 2e-5, (js, exact_js)
    assert abs(criterion - exact_criterion) < 4e-5, (criterion, exact_criterion)
    # Theorem 1, from two separate integrals.
    assert abs(criterion - (-LOG4 + 2 * js)) < 1e-5


def test_fast_readouts_on_closed_forms():
    # Identical densities: JS = 0, C(G) = -log 4. Disjoint uniforms: JS = log 2, C(G) = 0.
    p = gm.Normal(0.3, 1.2)
    js, criterion = fixed_rule_readouts(p, gm.Normal(0.3, 1.2))
    assert abs(js) < 1e-12 and abs(criterion + LOG4) < 1e-12
    js, criterion = fixed_rule_readouts(gm.Uniform(0, 1), gm.Uniform(2, 3))
    assert js == pytest.approx(math.log(2.0), abs=1e-14) and criterion == pytest.approx(0.0, abs=1e-14)


@pytest.mark.parametrize("loss", GENERATOR_LOSSES)
def test_the_push_is_minus_the_derivative_of_the_cost(loss):
    trainer = Trainer(seed=4)
    trainer.iterate(20)
    discriminator = trainer.gan.discriminator
    x = np.linspace(-1.0, 3.0, 9)
    push = generator_gradient_at(discriminator, x, loss)
    h = 1e-5
    cost = lambda at: generator_cost(discriminator(at.reshape(-1, 1))[:, 0], loss)
    central = -(cost(x + h) - cost(x - h)) / (2 * h)
    np.testing.assert_allclose(push, central, rtol=1e-6, atol=1e-9)


def test_the_picture_holds_the_exact_d_star_and_p_g():
    trainer = Trainer(data="two modes", seed=5)
    trainer.iterate(30)
    picture = trainer.picture()
    p_g = GeneratorDensity(trainer.gan.generator, trainer.noise)
    np.testing.assert_allclose(picture.p_g, p_g.pdf(picture.x), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(picture.optimal_discriminator, gm.optimal_discriminator(trainer.data, p_g, picture.x),
                               rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(picture.discriminator, trainer.gan.discriminator_probability(picture.x), rtol=1e-15)
    np.testing.assert_allclose(picture.generated, trainer.gan.generator(picture.z[:, None])[:, 0], rtol=1e-15)
    # z are the noise's quantiles, increasing.
    assert np.all(np.diff(picture.z) > 0)
