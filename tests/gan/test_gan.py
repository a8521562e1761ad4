"""Algorithm 1: its steps against an independent recomputation, reproducibility, validation, non-finite
detection, save/load, snapshots, progress display, and two training runs (Proposition 1 and JS < 0.02)."""

import io
import json
import math
import warnings

import numpy as np
import pytest
from support.gradcheck import numerical_gradient
from scipy import special

import ganmath as gm
from ganmath.ui import progress
from ganmath.gan import GAN, NonFiniteError, load_pair, save_pair
from ganmath.nn.losses import discriminator_loss, generator_loss
from ganmath.nn.mlp import MLP
from ganmath.gan.pushforward import GeneratorDensity

DATA = gm.Normal(4.0, 0.5)


def _small(**overrides):
    settings = dict(m=8, generator_hidden=(6,), discriminator_hidden=(6,), seed=11)
    settings.update(overrides)
    return GAN(DATA, gm.Normal(0, 1), **settings)


def _reference_rng(gan):
    twin = np.random.Generator(type(gan.rng.bit_generator)())
    twin.bit_generator.state = gan.rng.bit_generator.state
    return twin


@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_one_iteration_is_algorithm_1_recomputed_independently(smoothing):
    """k D steps on fresh data and noise, descending D's cross-entropy, then one G step on fresh noise;
    gradients here by central differences, draws replayed from a copy of the trainer's generator."""
    gan = _small(k=2, optimizer="sgd", momentum=0.0, lr_discriminator=0.1, lr_generator=0.05,
                 label_smoothing=smoothing)
    replay = _reference_rng(gan)
    generator, discriminator = gan.generator.copy(), gan.discriminator.copy()
    gan.iterate()
    for _ in range(2):
        real = DATA.sample(8, replay)[:, None]
        fake = generator(gm.Normal(0, 1).sample(8, replay)[:, None])
        gradient = numerical_gradient(
            lambda: discriminator_loss(discriminator(real), discriminator(fake), smoothing)[0], discriminator.parameters
        )
        discriminator.parameters -= 0.1 * gradient
    noise = gm.Normal(0, 1).sample(8, replay)[:, None]
    gradient = numerical_gradient(
        lambda: generator_loss(discriminator(generator(noise)), "non-saturating")[0], generator.parameters
    )
    generator.parameters -= 0.05 * gradient
    np.testing.assert_allclose(gan.discriminator.parameters, discriminator.parameters, rtol=0, atol=1e-11)
    np.testing.assert_allclose(gan.generator.parameters, generator.parameters, rtol=0, atol=1e-11)
    assert gan.rng.bit_generator.state == replay.bit_generator.state  # exactly 2m + 2m + m draws
    assert (gan.iteration, gan.discriminator_steps, gan.generator_steps) == (1, 2, 1)


def test_the_same_seed_gives_a_bit_identical_run():
    runs = []
    for seed in (5, 5, 6):
        gan = GAN(DATA, seed=seed)
        gan.train(150)
        runs.append((gan.generator.parameters.copy(), gan.discriminator.parameters.copy(),
                     np.array(gan.history.discriminator_loss), np.array(gan.history.generator_loss)))
    for a, b in zip(runs[0], runs[1]):
        assert np.array_equal(a, b)
    assert not np.array_equal(runs[0][0], runs[2][0])


def test_history_records_every_step():
    gan = _small(k=3)
    gan.train(4)
    gan.step_discriminator()
    gan.step_generator()
    h = gan.history.as_arrays()
    assert (gan.iteration, gan.discriminator_steps, gan.generator_steps) == (4, 13, 5)
    np.testing.assert_array_equal(h["discriminator_iteration"], [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4])
    np.testing.assert_array_equal(h["generator_iteration"], [0, 1, 2, 3, 4])
    for net in ("discriminator", "generator"):
        assert np.all(np.isfinite(h[f"{net}_loss"])) and np.all(h[f"{net}_grad_norm"] > 0)
    for name in ("discriminator_real", "discriminator_fake", "generator_fake"):
        assert np.all((h[name] > 0) & (h[name] < 1))


def test_the_recorded_means_of_d_are_those_of_the_batches():
    gan = _small(label_smoothing=0.2)
    replay = _reference_rng(gan)
    discriminator, generator = gan.discriminator.copy(), gan.generator.copy()
    gan.step_discriminator()
    real = DATA.sample(8, replay)[:, None]
    fake = generator(gm.Normal(0, 1).sample(8, replay)[:, None])
    expected_real = float(np.mean(special.expit(discriminator(real))))
    expected_fake = float(np.mean(special.expit(discriminator(fake))))
    assert gan.history.discriminator_real[0] == pytest.approx(expected_real, rel=1e-13)
    assert gan.history.discriminator_fake[0] == pytest.approx(expected_fake, rel=1e-13)


def test_single_steps_update_only_their_network():
    gan = _small()
    generator, discriminator = gan.generator.parameters.copy(), gan.discriminator.parameters.copy()
    gan.step_discriminator()
    assert np.array_equal(gan.generator.parameters, generator)
    assert not np.array_equal(gan.discriminator.parameters, discriminator)
    discriminator = gan.discriminator.parameters.copy()
    gan.step_generator()
    assert np.array_equal(gan.discriminator.parameters, discriminator)
    assert not np.array_equal(gan.generator.parameters, generator)
    assert gan.iteration == 0


def test_minimax_loss_saturates_where_d_rejects_the_fakes():
    """Section 3 of the paper: with D(G(z)) near 0, log(1 - D) gives G almost no gradient, -log D a strong one."""
    norms = {}
    for loss in ("minimax", "non-saturating"):
        gan = _small(generator_loss=loss, seed=3)
        gan.discriminator.linear_layers[-1].bias[:] = -12.0  # D(G(z)) ~ 6e-6 everywhere
        gan.step_generator()
        norms[loss] = gan.history.generator_grad_norm[0]
        assert gan.history.generator_fake[0] < 1e-4
    assert norms["minimax"] < 1e-4 * norms["non-saturating"]


@pytest.mark.parametrize(
    "overrides, error, words",
    [
        ({"k": 0}, ValueError, ["k", "0"]),
        ({"k": 1.5}, TypeError, ["k", "1.5"]),
        ({"m": 0}, ValueError, ["m", "0"]),
        ({"lr_discriminator": 0.0}, ValueError, ["lr_discriminator", "0.0"]),
        ({"lr_generator": -1e-3}, ValueError, ["lr_generator", "-0.001"]),
        ({"lr_generator": float("inf")}, ValueError, ["lr_generator", "inf"]),
        ({"momentum": 1.0}, ValueError, ["momentum", "1.0"]),
        ({"momentum": -0.2}, ValueError, ["momentum", "-0.2"]),
        ({"generator_loss": "wasserstein"}, ValueError, ["loss", "wasserstein"]),
        ({"optimizer": "adagrad"}, ValueError, ["optimizer", "adagrad"]),
        ({"betas": (0.5, 1.0)}, ValueError, ["betas[1]", "1.0"]),
        ({"betas": 0.9}, TypeError, ["betas", "0.9"]),
        ({"label_smoothing": 1.0}, ValueError, ["label_smoothing", "1.0"]),
        ({"generator_hidden": (32, 0)}, ValueError, ["generator_hidden[1]", "0"]),
        ({"discriminator_activation": "sigmoid"}, ValueError, ["activation", "sigmoid"]),
        ({"seed": "zero"}, TypeError, ["seed", "zero"]),
        ({"grid": [3.0, 2.0]}, ValueError, ["grid"]),
        ({"generator": MLP((2, 3, 1), np.random.default_rng(0))}, ValueError, ["generator", "(2, 3, 1)"]),
        ({"discriminator": "D"}, TypeError, ["discriminator", "'D'"]),
    ],
)
def test_bad_hyperparameters_name_the_parameter(overrides, error, words):
    with pytest.raises(error) as info:
        _small(**overrides)
    for word in words:
        assert word in str(info.value)


def test_bad_data_and_training_arguments():
    with pytest.raises(TypeError, match="data"):
        GAN("N(4, 0.5)")
    with pytest.raises(TypeError, match="noise"):
        GAN(DATA, noise=np.random.default_rng(0))
    gan = _small()
    with pytest.raises(ValueError, match="n_iter"):
        gan.train(-1)
    with pytest.raises(ValueError, match="snapshot_every"):
        gan.train(3, snapshot_every=0)
    with pytest.raises(TypeError, match="callback"):
        gan.train(3, callback="print")
    with pytest.raises(ValueError, match="discriminator"):
        gan.set_learning_rates(discriminator=0.0)
    with pytest.raises(TypeError, match="progress"):
        gan.train(1, progress="text")  # display belongs to the caller: a progress bar is a callback


def test_a_non_finite_loss_stops_training_and_names_the_iteration():
    gan = _small(generator_loss="maximum-likelihood")
    gan.train(3)
    gan.discriminator.linear_layers[-1].bias[:] = 800.0  # -D/(1 - D) = -exp(800) = -inf
    before = gan.generator.parameters.copy()
    with pytest.raises(NonFiniteError) as info:
        gan.train(5)
    assert "iteration 3" in str(info.value) and "generator loss (maximum-likelihood) is -inf" in str(info.value)
    assert np.array_equal(gan.generator.parameters, before)  # stopped before the update
    assert isinstance(info.value, FloatingPointError)


def test_a_nan_weight_and_an_exploding_update_are_reported():
    gan = _small()
    gan.discriminator.parameters[0] = np.nan
    with pytest.raises(NonFiniteError, match="iteration 0 .*discriminator loss is nan"):
        gan.step_discriminator()
    gan = _small(optimizer="sgd", lr_discriminator=1e308)
    with pytest.raises(NonFiniteError, match="discriminator (loss is inf|weights became non-finite)"):
        gan.train(3)
    gan = _small()

    def overflowing_update():
        gan.generator.parameters[3] = np.inf

    gan.optimizer_generator.step = overflowing_update
    with pytest.raises(NonFiniteError, match=r"iteration 0 .*generator weights became non-finite \(1 of"):
        gan.iterate()


def test_save_and_load_continue_the_run_bit_for_bit(tmp_path):
    path = tmp_path / "pair.npz"
    straight = GAN(DATA, seed=2, optimizer="sgd", lr_discriminator=0.01, lr_generator=0.01)
    straight.train(60)
    interrupted = GAN(DATA, seed=2, optimizer="sgd", lr_discriminator=0.01, lr_generator=0.01)
    interrupted.train(25)
    interrupted.save(path)
    with np.load(path, allow_pickle=False) as stored:  # nothing in the file needs pickle
        assert all(stored[name].dtype != object for name in stored.files)
    resumed = GAN.load(path)
    assert (resumed.iteration, resumed.optimizer, resumed.k) == (25, "sgd", 2)
    assert resumed.data == DATA and resumed.noise == gm.Normal(0, 1)
    np.testing.assert_array_equal(resumed.generator.parameters, interrupted.generator.parameters)
    resumed.train(35)
    np.testing.assert_array_equal(resumed.generator.parameters, straight.generator.parameters)
    np.testing.assert_array_equal(resumed.discriminator.parameters, straight.discriminator.parameters)


def test_adam_state_survives_save_and_load(tmp_path):
    gan = _small()
    gan.train(10)
    gan.save(tmp_path / "adam.npz")
    resumed = GAN.load(tmp_path / "adam.npz")
    gan.train(10)
    resumed.train(10)
    np.testing.assert_array_equal(resumed.generator.parameters, gan.generator.parameters)


def test_save_pair_round_trip_and_foreign_files(tmp_path):
    generator = MLP((1, 5, 1), np.random.default_rng(0), activation="leaky-relu", leaky_slope=0.3)
    discriminator = MLP((1, 4, 4, 1), np.random.default_rng(1), activation="tanh")
    save_pair(tmp_path / "nets.npz", generator, discriminator, note=np.array("trained on N(4, 0.5)"))
    stored = load_pair(tmp_path / "nets.npz")
    x = np.linspace(-3, 3, 7)[:, None]
    np.testing.assert_array_equal(stored["generator"](x), generator(x))
    np.testing.assert_array_equal(stored["discriminator"](x), discriminator(x))
    assert stored["generator"].leaky_slope == 0.3 and str(stored["arrays"]["note"]) == "trained on N(4, 0.5)"
    np.savez(tmp_path / "other.npz", weights=np.ones(3))
    with pytest.raises(ValueError, match="not a ganmath GAN file"):
        load_pair(tmp_path / "other.npz")
    mixture = GAN(gm.Mixture([gm.Normal(0, 1), gm.Normal(3, 1)]), seed=0)
    mixture.save(tmp_path / "mixture.npz")
    with pytest.raises(ValueError, match="data must be given"):
        GAN.load(tmp_path / "mixture.npz")
    assert GAN.load(tmp_path / "mixture.npz", data=mixture.data).data == mixture.data


def test_snapshots_hold_what_figure_1_needs():
    gan = GAN(DATA, seed=1)
    gan.train(40, snapshot_every=20)
    assert [s.iteration for s in gan.history.snapshots] == [0, 20, 40]
    snapshot = gan.history.snapshot_at(40)
    n = gan.grid.size
    for name in ("x", "discriminator", "discriminator_logit", "optimal_discriminator", "p_data", "p_g"):
        assert getattr(snapshot, name).shape == (n,)
    np.testing.assert_allclose(snapshot.discriminator, gan.discriminator_probability(gan.grid), rtol=1e-15)
    p_g = GeneratorDensity(snapshot.generator, gm.Normal(0, 1))
    assert snapshot.js == pytest.approx(gm.js_divergence(DATA, p_g), rel=1e-12)
    np.testing.assert_allclose(snapshot.p_g, p_g.pdf(gan.grid), rtol=1e-12)
    assert 0 <= snapshot.sup_gap <= 1 and snapshot.point_mass is None
    np.testing.assert_allclose(snapshot.generated, snapshot.generator(snapshot.z[:, None])[:, 0])
    frozen = snapshot.generator.parameters.copy()
    gan.train(5)
    assert np.array_equal(snapshot.generator.parameters, frozen)  # snapshots keep copies
    arrays = gan.history.as_arrays()
    np.testing.assert_array_equal(arrays["snapshot_iteration"], [0, 20, 40])
    assert gan.snapshot(record=False).iteration == 45 and len(gan.history.snapshots) == 3
    with pytest.raises(KeyError):
        gan.history.snapshot_at(7)


def test_callback_can_stop_training_and_snapshot_at_chosen_iterations():
    gan = _small()
    seen = []

    def callback(trainer):
        seen.append(trainer.iteration)
        return trainer.iteration >= 6

    gan.train(50, callback=callback, callback_every=2, snapshot_at=[3, 5])
    assert seen == [2, 4, 6] and gan.iteration == 6
    assert [s.iteration for s in gan.history.snapshots] == [3, 5]


def test_a_point_mass_in_p_g_is_reported_not_hidden():
    relu_generator = MLP.from_weights([[[1.0]], [[1.0]]], [[0.0], [4.0]], activation="relu")  # G = 4 + max(z, 0)
    gan = GAN(DATA, gm.Uniform(-1, 1), generator=relu_generator, seed=0)
    with pytest.warns(UserWarning, match="point mass"):
        snapshot = gan.snapshot()
    assert math.isnan(snapshot.js) and np.all(np.isnan(snapshot.p_g)) and "mass 0.5" in snapshot.point_mass
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gan.snapshot()  # warned once per trainer


def test_text_progress_bar_and_silence(capsys):
    stream = io.StringIO()
    bar = progress.TextProgress(4, "training", stream=stream)
    for _ in range(4):
        bar.update()
    bar.close()
    text = stream.getvalue()
    assert text.startswith("\rtraining [") and "4/4" in text and text.endswith("\n")
    _small().train(3)
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""
    with progress.progress_bar(3, "text") as bar:
        _small().train(3, callback=bar)
    assert "3/3" in capsys.readouterr().err


def test_notebook_progress_bar_is_a_widget():
    assert not progress.in_notebook()  # pytest is not a Jupyter kernel
    bar = progress.progress_bar(5, "notebook", "training")
    for _ in range(5):
        bar.update()
    bar.close()
    assert bar.bar.value == 5 and bar.bar.max == 5 and bar.label.value == "5/5"
    assert isinstance(progress.progress_bar(5, "auto"), progress.TextProgress)


def test_generate_uses_the_given_generator_or_the_trainers():
    gan = _small()
    a = gan.generate(5, np.random.default_rng(9))
    b = gan.generate(5, np.random.default_rng(9))
    assert np.array_equal(a, b) and a.shape == (5,)
    state = gan.rng.bit_generator.state
    gan.generate(5)
    assert gan.rng.bit_generator.state != state


def test_set_learning_rates():
    gan = _small()
    gan.set_learning_rates(discriminator=0.5, generator=0.25)
    assert gan.optimizer_discriminator.lr == 0.5 and gan.optimizer_generator.lr == 0.25


@pytest.mark.slow
def test_d_trained_against_a_frozen_g_approaches_d_star():
    """Proposition 1 in practice: G fixed with p_g = N(3.5, 0.7), D (1-32-32-1, leaky ReLU) trained alone
    for 4,000 steps of m = 256 (learning rate 2e-3, then 2e-4) ends within 0.05 of D* on the central 95%
    of p_data. Seeds 0-5 end at 0.011-0.032."""
    generator = MLP.from_weights([[[0.7]]], [[3.5]])
    gan = GAN(DATA, gm.Normal(0, 1), generator=generator, m=256, discriminator_activation="leaky-relu", seed=0)
    for _ in range(2000):
        gan.step_discriminator()
    gan.set_learning_rates(discriminator=2e-4)
    for _ in range(2000):
        gan.step_discriminator()
    assert gan.sup_discriminator_gap() < 0.05


@pytest.mark.slow
def test_training_on_n_4_half_reaches_js_below_0_02():
    """A 1-32-32-1 pair with the default settings reaches JS(p_data, p_g) < 0.02 nats (exact p_g) within
    5,000 iterations. Seeds 0-7 cross 0.02 by iteration 2,500 and end at 1e-4 to 2e-3."""
    gan = GAN(DATA, seed=0)
    assert gan.generator.sizes == gan.discriminator.sizes == (1, 32, 32, 1)
    gan.train(5000, snapshot_every=1000)
    js = gan.history.as_arrays()["js"]
    assert js[0] > 0.5  # it starts far away
    assert js[-1] < 0.02
    assert json.dumps(js.tolist())  # plain floats for the notebooks


def test_one_snapshot_schedule_for_every_trainer():
    from ganmath.gan.loop import snapshot_schedule

    due = snapshot_schedule(5, 10, every=4, at=(6,))
    assert [i for i in range(5, 16) if due(i)] == [6, 8, 12, 15]   # multiples, the wanted one, the call's end
    assert not any(snapshot_schedule(0, 10)(i) for i in range(11))
    with pytest.raises(ValueError, match="snapshot_every"):
        snapshot_schedule(0, 10, every=0)
    gan = GAN(gm.Normal(4, 0.5), seed=0)
    gan.train(7, snapshot_every=3)
    assert [s.iteration for s in gan.history.snapshots] == [0, 3, 6, 7]


def test_the_history_keeps_the_batch_means_of_d_before_the_step():
    gan = GAN(gm.Normal(4, 0.5), seed=3, m=16, label_smoothing=0.2)
    twin = gan.copy()
    gan.step_discriminator()
    real = twin.data.sample(16, twin.rng)            # the same draws, in the order a D step makes them
    fake = twin.generate(16)
    d_real = twin.discriminator_probability(real)
    d_fake = twin.discriminator_probability(fake)
    np.testing.assert_allclose([gan.history.discriminator_real[0], gan.history.discriminator_fake[0]],
                               [d_real.mean(), d_fake.mean()], rtol=1e-13)
