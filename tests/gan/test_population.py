"""Population training: R runs at once are R single runs (to rounding), each on its own random stream;
stacked networks against per-network passes; buffers against fresh arrays; divergence of one run
contained; settings changed mid-run."""

import numpy as np
import pytest
from scipy import special

import ganmath as gm
from ganmath.core.densities import draw_raw
from ganmath.gan import GAN, Population
from ganmath.nn.mlp import MLP, Workspace

DATA = gm.Normal(4.0, 0.5)


def _relative(a, b):
    return float(np.max(np.abs(a - b)) / np.max(np.abs(b)))


@pytest.mark.parametrize("settings", [
    {},
    {"k": 1, "optimizer": "sgd", "momentum": 0.9, "lr_discriminator": 0.02, "lr_generator": 0.005,
     "generator_loss": "minimax"},
    {"generator_activation": "tanh", "discriminator_activation": "leaky-relu", "label_smoothing": 0.1, "m": 16},
])
def test_run_i_of_a_population_is_the_gan_of_seed_i(settings):
    seeds = [3, 11, 4, 0]
    population = Population(DATA, gm.Uniform(-1, 1), seeds=seeds, **settings)
    population.train(20)
    for i, seed in enumerate(seeds):
        gan = GAN(DATA, gm.Uniform(-1, 1), seed=seed, **settings)
        gan.train(20)
        assert _relative(population.generator.parameters[i], gan.generator.parameters) < 1e-10
        assert _relative(population.discriminator.parameters[i], gan.discriminator.parameters) < 1e-10
        history = population.history.run(i)
        np.testing.assert_allclose(history.discriminator_loss, gan.history.discriminator_loss, rtol=1e-10)
        np.testing.assert_allclose(history.generator_fake, gan.history.generator_fake, rtol=1e-10)
        assert history.generator_iteration == gan.history.generator_iteration
        # each run drew exactly what its single twin drew
        assert population.rngs[i].bit_generator.state == gan.rng.bit_generator.state


def test_a_run_taken_out_of_the_population_continues_as_the_population_would():
    population = Population(DATA, seeds=[5, 6, 7])
    population.train(15)
    twin = GAN.from_population(population, 1)
    assert (twin.iteration, twin.discriminator_steps, twin.generator_steps) == (15, 30, 15)
    twin.train(10)
    population.train(10)
    assert _relative(population.generator.parameters[1], twin.generator.parameters) < 1e-10
    assert _relative(population.discriminator.parameters[1], twin.discriminator.parameters) < 1e-10


def test_a_copy_of_a_gan_trains_like_the_original():
    gan = GAN(DATA, seed=2)
    gan.train(10)
    copy = gan.copy()
    gan.train(10)
    copy.train(10)
    np.testing.assert_array_equal(copy.generator.parameters, gan.generator.parameters)


def test_runs_are_independent_of_each_other():
    """Run 1 is the same whether trained beside run 0 or beside a different run."""
    a = Population(DATA, seeds=[0, 1])
    b = Population(DATA, seeds=[9, 1])
    a.train(12)
    b.train(12)
    np.testing.assert_array_equal(a.generator.parameters[1], b.generator.parameters[1])


def test_a_diverging_run_is_recorded_and_the_others_go_on():
    population = Population(DATA, seeds=[0, 1, 2], generator_loss="maximum-likelihood")
    population.train(2)
    population.discriminator.linear_layers[-1].bias[1] = 800.0  # run 1: -D/(1 - D) = -exp(800) = -inf
    reference = Population(DATA, seeds=[0, 1, 2], generator_loss="maximum-likelihood")
    reference.train(5)
    population.train(3)
    np.testing.assert_array_equal(population.diverged_at, [-1, 2, -1])
    for run in (0, 2):
        np.testing.assert_array_equal(population.generator.parameters[run], reference.generator.parameters[run])
    js = population.js_divergences()
    assert np.isnan(js[1]) and np.all(np.isfinite(js[[0, 2]]))


def test_stacked_networks_are_their_runs():
    rng = np.random.default_rng(0)
    singles = [MLP((1, 5, 4, 1), rng, activation=a) for a in ("softplus",) * 3]
    stack = MLP.stack(singles)
    assert stack.parameters.shape == (3, singles[0].parameters.size) and stack.n_runs == 3
    inputs = rng.normal(size=(3, 7, 1))
    outputs, cache = stack.forward(inputs)
    grad = rng.normal(size=outputs.shape)
    grad_inputs = stack.backward(grad, cache)
    for i, single in enumerate(singles):
        out_i, cache_i = single.forward(inputs[i])
        np.testing.assert_allclose(outputs[i], out_i, rtol=1e-14, atol=1e-15)
        grad_in_i = single.backward(grad[i], cache_i)
        np.testing.assert_allclose(grad_inputs[i], grad_in_i, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(stack.gradients[i], single.gradients, rtol=1e-13, atol=1e-15)
        np.testing.assert_array_equal(stack.network(i).parameters, single.parameters)
    view = stack.view(2)
    view.parameters[0] = 7.0
    assert stack.parameters[2, 0] == 7.0
    with pytest.raises(ValueError, match="unlike"):
        MLP.stack([singles[0], MLP((1, 5, 1), rng)])
    with pytest.raises(ValueError, match="run"):
        stack.network(3)


@pytest.mark.parametrize("activation", ["tanh", "softplus", "relu", "leaky-relu"])
@pytest.mark.parametrize("runs", [None, 4])
def test_buffers_give_the_numbers_of_fresh_arrays(activation, runs):
    """The training path (a Workspace, the [x, 1] [W; b] product for one input) against plain passes."""
    rng = np.random.default_rng(1)
    singles = [MLP((1, 6, 6, 1), rng, activation=activation) for _ in range(runs or 1)]
    network = MLP.stack(singles) if runs else singles[0]
    shape = (runs, 9, 1) if runs else (9, 1)
    workspace = Workspace()
    for repeat in range(2):  # the second pass reuses the buffers
        inputs = rng.normal(size=shape)
        grad = rng.normal(size=shape)
        plain, plain_cache = network.forward(inputs)
        network.zero_grad()
        plain_inputs = network.backward(grad, plain_cache).copy()
        plain_gradients = network.gradients.copy()
        buffered, cache = network.forward(inputs, workspace)
        np.testing.assert_allclose(buffered, plain, rtol=1e-13, atol=1e-14)
        network.zero_grad()
        buffered_inputs = network.backward(grad, cache, workspace=workspace)
        np.testing.assert_allclose(buffered_inputs, plain_inputs, rtol=1e-13, atol=1e-14)
        np.testing.assert_allclose(network.gradients, plain_gradients, rtol=1e-13, atol=1e-14)
        only_inputs = network.backward_inputs(grad, cache, workspace=workspace)
        np.testing.assert_allclose(only_inputs, plain_inputs, rtol=1e-13, atol=1e-14)


@pytest.mark.parametrize("density", [gm.Normal(4, 0.5), gm.Normal(-3.3, 1e-3), gm.Uniform(-1, 1), gm.Uniform(3, 5),
                                     gm.Mixture([gm.Normal(-2, 0.5), gm.Normal(2, 0.5)])])
def test_drawing_into_a_buffer_draws_the_same_numbers(density):
    for seed in range(50):
        expected = density.sample(64, np.random.default_rng(seed))
        out = np.empty(64)
        density.sample_into(out, np.random.default_rng(seed))
        np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("density", [gm.Normal(4, 0.5), gm.Uniform(3, 5), gm.TruncatedNormal(0, 1, -2, 2),
                                     gm.Mixture([gm.Normal(-2, 0.5), gm.Normal(2, 0.5)])])
def test_drawing_for_a_population_gives_each_row_its_own_generators_numbers(density):
    out = np.empty((5, 64))
    density.sample_runs(out, [np.random.default_rng(seed) for seed in range(5)])
    for seed in range(5):
        np.testing.assert_array_equal(out[seed], density.sample(64, np.random.default_rng(seed)))


@pytest.mark.parametrize("density", [gm.Normal(4, 0.5), gm.Uniform(3, 5), gm.TruncatedNormal(0, 1, -2, 2)])
def test_raw_draws_in_one_call_are_the_draws_of_one_call_per_minibatch(density):
    # What a population relies on to draw an iteration's minibatches at once: the stream goes on.
    raw = np.empty((2, 3 * 64))
    draw_raw(raw, [np.random.default_rng(seed) for seed in (7, 8)], density.raw_draws)
    for row, seed in enumerate((7, 8)):
        rng = np.random.default_rng(seed)
        for start in (0, 64, 128):
            samples = raw[row, start:start + 64].copy()
            density.from_raw(samples)
            np.testing.assert_array_equal(samples, density.sample(64, rng))


def _state(population):
    return (population.generator.parameters.copy(), population.discriminator.parameters.copy(),
            [rng.bit_generator.state for rng in population.rngs])


@pytest.mark.parametrize(("data", "noise", "k"), [
    (gm.Normal(4, 0.5), None, 2),                                  # both standard normal: drawn at once
    (gm.TruncatedNormal(0, 1, -2, 2), gm.Uniform(-1, 1), 3),       # both uniform: drawn at once
    (gm.Uniform(3, 5), None, 2),                                   # uniform data, normal noise: one call each
    (gm.Mixture([gm.Normal(-2, 0.5), gm.Normal(2, 0.5)]), None, 1),  # no raw draws: one call each
])
def test_an_iteration_trains_as_its_steps_one_by_one_do(data, noise, k):
    trained = Population(data, noise, seeds=[3, 4, 5], k=k)
    stepped = Population(data, noise, seeds=[3, 4, 5], k=k)
    trained.train(6)
    for _ in range(6):  # single steps draw each minibatch when they take it
        for _ in range(k):
            stepped.step_discriminator()
        stepped.step_generator()
    (g1, d1, rngs1), (g2, d2, rngs2) = _state(trained), _state(stepped)
    np.testing.assert_array_equal(g1, g2)
    np.testing.assert_array_equal(d1, d2)
    assert rngs1 == rngs2


def test_drawing_for_a_population_names_a_bad_generator():
    with pytest.raises(TypeError, match=r"rngs\[1\]"):
        gm.Normal(0, 1).sample_runs(np.empty((2, 4)), [np.random.default_rng(0), 7])
    with pytest.raises(ValueError, match="one generator per row"):
        gm.Uniform(0, 1).sample_runs(np.empty((3, 4)), [np.random.default_rng(0)])


def test_settings_change_in_the_middle_of_a_run():
    population = Population(DATA, seeds=[0, 1])
    population.train(5)
    population.update_settings(lr_generator=1e-3, k=3, generator_loss="minimax")
    assert population.optimizer_generator.lr == 1e-3
    population.train(2)
    assert population.discriminator_steps == 5 * 2 + 2 * 3 and population.iteration == 7
    population.update_settings(optimizer="sgd", momentum=0.5)
    assert type(population.optimizer_generator).__name__ == "SGD" and population.optimizer_generator.momentum == 0.5
    population.train(1)
    with pytest.raises(ValueError, match="generator_hidden"):
        population.update_settings(generator_hidden=(8,))
    with pytest.raises(ValueError, match="lr_generator"):
        population.update_settings(lr_generator=-1.0)


def test_history_holds_one_value_per_run_and_step():
    population = Population(DATA, seeds=range(3), k=2)
    population.train(4)
    arrays = population.history.as_arrays()
    assert arrays["discriminator_loss"].shape == (8, 3) and arrays["generator_fake"].shape == (4, 3)
    np.testing.assert_array_equal(arrays["discriminator_iteration"], [0, 0, 1, 1, 2, 2, 3, 3])
    one = population.history.run(2)
    assert one.generator_loss == [float(v) for v in arrays["generator_loss"][:, 2]]


@pytest.mark.parametrize("seeds, error, words", [
    (5, TypeError, ["seeds", "5"]),
    ([], ValueError, ["seeds"]),
    ([0, True], TypeError, ["seeds[1]", "True"]),
    ([0, -1], ValueError, ["seeds[1]", "-1"]),
    ([0, 1.5], TypeError, ["seeds[1]", "1.5"]),
])
def test_bad_seeds_name_the_seed(seeds, error, words):
    with pytest.raises(error) as info:
        Population(DATA, seeds=seeds)
    for word in words:
        assert word in str(info.value)


def test_bad_settings_and_runs_name_the_parameter():
    with pytest.raises(TypeError, match="learning_rate"):
        Population(DATA, seeds=[0], learning_rate=0.1)
    population = Population(DATA, seeds=[0, 1])
    with pytest.raises(ValueError, match="run"):
        GAN.from_population(population, 2)
    with pytest.raises(TypeError, match="run"):
        GAN.from_population(population, True)
    with pytest.raises(TypeError, match="population"):
        GAN.from_population("not a population", 0)
    with pytest.raises(ValueError, match="generators"):
        Population(DATA, seeds=[0, 1], generators=[MLP((1, 4, 1), np.random.default_rng(0))])


def test_a_copied_population_trains_like_the_original():
    population = Population(DATA, seeds=[0, 1, 2])
    population.train(7)
    twin = population.copy()
    assert twin.iteration == 7 and twin.seeds == [0, 1, 2]
    population.train(5)
    twin.train(5)
    np.testing.assert_array_equal(twin.generator.parameters, population.generator.parameters)
    np.testing.assert_array_equal(twin.discriminator.parameters, population.discriminator.parameters)


def test_nudging_moves_every_weight_by_one_float():
    population = Population(DATA, seeds=[0, 1])
    before = population.generator.parameters.copy()
    population.nudge_weights(1)
    after = population.generator.parameters
    np.testing.assert_array_equal(after, np.nextafter(before, np.copysign(np.inf, before)))  # one float away from 0
    assert np.all(after != before)


def _central_difference(objective, parameters, h=1e-6):
    gradient = np.empty_like(parameters)
    for i in range(parameters.size):
        up, down = parameters.copy(), parameters.copy()
        up[i] += h
        down[i] -= h
        gradient[i] = (objective(up) - objective(down)) / (2 * h)
    return gradient


def _assert_first_adam_step_follows(before, after, gradient, lr):
    """Adam's first step moves each parameter by lr against the sign of its gradient (|g| >> eps)."""
    clear = np.abs(gradient) > 1e-5
    assert clear.sum() > 0.8 * gradient.size
    np.testing.assert_allclose((after - before)[clear], -lr * np.sign(gradient[clear]), rtol=1e-3)


SMALL = {"generator_hidden": (6,), "discriminator_hidden": (6,), "generator_activation": "tanh"}


def test_fitting_the_generators_follows_the_exact_expectation_over_the_noise():
    population = Population(gm.Normal(0.0, 1.0), gm.Uniform(-1.0, 1.0), seeds=[3, 4], **SMALL)
    population.train(30)
    z = (np.arange(501) + 0.5) / 501 * 2.0 - 1.0  # the midpoint quantiles of U(-1, 1)
    discriminator = population.discriminator.copy()
    own_state = {key: value.copy() for key, value in population.optimizer_generator.state().items()}
    before = population.generator.parameters.copy()
    population.fit_generators(1, lr=1e-4, n_points=501)
    for run in range(2):
        generator, d_net = population.generator.network(run), population.discriminator.network(run)

        def objective(parameters):  # the non-saturating loss, -mean log D(G(z)), by forward passes alone
            generator.set_parameters(parameters)
            return -np.mean(special.log_expit(d_net(generator(z[:, None]))[:, 0]))

        gradient = _central_difference(objective, before[run])
        # the step's gradient, left in the network, is that of the exact expectation; Adam's first step its sign
        np.testing.assert_allclose(population.generator.gradients[run], gradient, rtol=1e-5, atol=1e-9)
        _assert_first_adam_step_follows(before[run], population.generator.parameters[run], gradient, 1e-4)
    np.testing.assert_array_equal(population.discriminator.parameters, discriminator.parameters)
    for key, value in population.optimizer_generator.state().items():
        np.testing.assert_array_equal(value, own_state[key])
    assert population.generator_steps == 31


def test_fitting_the_discriminators_follows_the_exact_value_function():
    data = gm.Normal(0.0, 1.0)
    population = Population(data, gm.Uniform(-1.0, 1.0), seeds=[5, 6], **SMALL)
    population.train(30)
    grid = np.linspace(-4.0, 4.0, 801)
    step = grid[1] - grid[0]
    generator = population.generator.copy()
    before = population.discriminator.parameters.copy()
    population.fit_discriminators(1, lr=1e-4, grid=grid)
    for run in range(2):
        p_g = population.generator_density(run).pdf(grid) * step
        p_data = data.pdf(grid) * step
        d_net = population.discriminator.network(run)

        def objective(parameters):  # -V(D, G) on the grid: -sum p_data log D - sum p_g log(1 - D)
            d_net.set_parameters(parameters)
            logits = d_net(grid[:, None])[:, 0]
            return -np.sum(p_data * special.log_expit(logits)) - np.sum(p_g * special.log_expit(-logits))

        gradient = _central_difference(objective, before[run])
        np.testing.assert_allclose(population.discriminator.gradients[run], gradient, rtol=1e-5, atol=1e-9)
        _assert_first_adam_step_follows(before[run], population.discriminator.parameters[run], gradient, 1e-4)
    np.testing.assert_array_equal(population.generator.parameters, generator.parameters)


def test_a_runs_exact_inner_loop_does_not_depend_on_the_other_runs():
    """The default grid of the exact inner loop is each run's own: run 5 of a population is run 5 trained alone,
    bit for bit, even where the other run's generator reaches beyond the data and beyond run 5's."""
    data = gm.Uniform(-0.1, 0.1)
    pair = Population(data, gm.Uniform(-1.0, 1.0), seeds=[5, 6], **SMALL)
    alone = Population(data, gm.Uniform(-1.0, 1.0), seeds=[5], **SMALL)
    for population in (pair, alone):
        population.train(30)
    (low_5, high_5), (low_6, high_6) = (pair.generator_density(run).support for run in range(2))
    assert low_6 < min(low_5, -0.1) and high_6 > max(high_5, 0.1)   # run 6 reaches beyond run 5 and the data
    np.testing.assert_array_equal(pair.discriminator.parameters[0], alone.discriminator.parameters[0])
    for population in (pair, alone):
        population.fit_discriminators(5, lr=1e-3)
    np.testing.assert_array_equal(pair.discriminator.parameters[0], alone.discriminator.parameters[0])


def test_exact_training_follows_both_exact_expectations():
    """One iteration with k = 1: D's gradient is that of the value function over the quantiles of the data and
    of G(z); then G's, through the D just updated, that of its loss over the noise's quantiles."""
    data, noise = gm.Normal(0.0, 1.0), gm.Uniform(-1.0, 1.0)
    population = Population(data, noise, seeds=[7, 8], **SMALL)
    population.train(30)
    n = 301
    u = (np.arange(n) + 0.5) / n
    x, z = data.ppf(u), u * 2.0 - 1.0
    own_states = [{key: value.copy() for key, value in optimizer.state().items()}
                  for optimizer in (population.optimizer_generator, population.optimizer_discriminator)]
    d_before, g_before = population.discriminator.parameters.copy(), population.generator.parameters.copy()
    steps = (population.discriminator_steps, population.generator_steps, population.iteration)
    population.train_exact(1, k=1, lr_discriminator=1e-4, lr_generator=1e-4, n_points=n)
    for run in range(2):
        generator, d_net = population.generator.network(run), population.discriminator.network(run)
        fake = population.generator.network(run)
        fake.set_parameters(g_before[run])
        fakes = fake(z[:, None])

        def value(parameters):  # -V(D, G): -mean log D(x_i) - mean log(1 - D(G(z_i))), by forward passes alone
            d_net.set_parameters(parameters)
            return -np.mean(special.log_expit(d_net(x[:, None])[:, 0])) - np.mean(special.log_expit(-d_net(fakes)[:, 0]))

        d_after = population.discriminator.parameters[run].copy()
        gradient = _central_difference(value, d_before[run])
        d_net.set_parameters(d_after)
        # G's step passes through D without touching D's gradients: those of D's step are still there
        np.testing.assert_allclose(population.discriminator.gradients[run], gradient, rtol=1e-5, atol=1e-9)
        _assert_first_adam_step_follows(d_before[run], d_after, gradient, 1e-4)

        def loss(parameters):  # the non-saturating loss through the updated D
            generator.set_parameters(parameters)
            return -np.mean(special.log_expit(d_net(generator(z[:, None]))[:, 0]))

        gradient = _central_difference(loss, g_before[run])
        np.testing.assert_allclose(population.generator.gradients[run], gradient, rtol=1e-5, atol=1e-9)
        _assert_first_adam_step_follows(g_before[run], population.generator.parameters[run], gradient, 1e-4)
    for optimizer, own in zip((population.optimizer_generator, population.optimizer_discriminator), own_states):
        for key, value in optimizer.state().items():
            np.testing.assert_array_equal(value, own[key])
    assert (population.discriminator_steps, population.generator_steps, population.iteration) == (
        steps[0] + 1, steps[1] + 1, steps[2])


def test_exact_training_calls_back_and_stops_when_asked():
    population = Population(DATA, gm.Uniform(-1.0, 1.0), seeds=[3, 4], **SMALL)
    whole = Population(DATA, gm.Uniform(-1.0, 1.0), seeds=[3, 4], **SMALL)
    seen = []

    def callback(p):
        seen.append((p.generator_steps, p.discriminator_steps, p.generator.parameters.copy()))
        return len(seen) == 3

    population.train_exact(10, k=2, n_points=101, callback=callback, callback_every=2)
    assert [(g, d) for g, d, _ in seen] == [(2, 4), (4, 8), (6, 12)]
    assert (population.generator_steps, population.discriminator_steps) == (6, 12)
    whole.train_exact(6, k=2, n_points=101)   # the same six iterations without a callback
    np.testing.assert_array_equal(population.generator.parameters, whole.generator.parameters)
    np.testing.assert_array_equal(seen[-1][2], whole.generator.parameters)
    assert not np.array_equal(seen[0][2], seen[-1][2])


@pytest.mark.parametrize("kwargs", [{"callback": 3}, {"callback_every": 0}])
def test_exact_training_names_a_bad_callback(kwargs):
    population = Population(DATA, seeds=[0], **SMALL)
    with pytest.raises((TypeError, ValueError), match=next(iter(kwargs))):
        population.train_exact(1, **kwargs)


@pytest.mark.parametrize("kwargs", [{"iterations": 0}, {"iterations": 1, "k": 0}, {"iterations": 1, "n_points": -1}])
def test_exact_training_names_a_bad_argument(kwargs):
    population = Population(DATA, seeds=[0], **SMALL)
    name = [key for key, value in kwargs.items() if value in (0, -1)][0]
    with pytest.raises(ValueError, match=name):
        population.train_exact(**kwargs)


def test_the_same_points_for_every_run():
    population = Population(DATA, seeds=[0, 1, 2])
    inputs = population.for_every_run([0.5, -1.0, 2.0, 3.0])
    assert inputs.shape == (3, 4, 1) and inputs.flags.c_contiguous
    for run in range(3):
        np.testing.assert_array_equal(inputs[run, :, 0], [0.5, -1.0, 2.0, 3.0])
    np.testing.assert_array_equal(population.generator(inputs)[1], population.generator.network(1)(inputs[1]))


def test_a_runs_snapshot_is_the_snapshot_of_its_gan():
    population = Population(gm.Normal(4, 0.5), seeds=range(3))
    population.train(40)
    for run in range(3):
        ours = population.snapshot(run)
        theirs = GAN.from_population(population, run).snapshot(record=False)
        assert (ours.iteration, ours.discriminator_steps, ours.generator_steps) == (40, 80, 40)
        for name in ("x", "discriminator", "optimal_discriminator", "p_g", "generated"):
            np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name), rtol=1e-12, atol=1e-300, err_msg=name)
        np.testing.assert_allclose([ours.js, ours.sup_gap], [theirs.js, theirs.sup_gap], rtol=1e-12)
        # and the same JS as the population's own measurement of every run
        np.testing.assert_allclose(ours.js, population.js_divergences()[run], rtol=1e-12)


def test_the_generators_loss_and_gradient_without_a_step():
    population = Population(gm.Normal(4, 0.5), seeds=range(2), generator_loss="minimax", m=8)
    noise = np.random.default_rng(0).normal(size=(2, 8, 1))
    before = population.generator.parameters.copy()
    loss = population.generator_loss_and_gradient(noise)
    np.testing.assert_array_equal(population.generator.parameters, before)
    for run in range(2):  # the minimax loss mean log(1 - D(G(z))) of each run, from its own networks
        generator, discriminator = population.generator.network(run), population.discriminator.network(run)
        logits = discriminator(generator(noise[run]))[:, 0]
        np.testing.assert_allclose(loss[run], np.mean(special.log_expit(-logits)), rtol=1e-12)
    with pytest.raises(ValueError, match="noise"):
        population.generator_loss_and_gradient(noise[0])
