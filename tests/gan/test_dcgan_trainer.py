"""The numpy DCGAN (ganmath.gan.dcgan): the architectures and their rules, one iteration's gradients against
central differences on tiny networks, the steps of Algorithm 1 against a recomputation from the same draws,
and saving and loading, bit for bit."""

import numpy as np
import pytest
from support.gradcheck import assert_gradient_matches, numerical_gradient

from ganmath.gan.dcgan import (
    DCGAN,
    DCGANSettings,
    build_discriminator,
    build_generator,
    load_dcgan,
    sample_noise,
    save_dcgan,
)
from ganmath.gan.runs import NonFiniteError
from ganmath.nn.batchnorm import BatchNorm
from ganmath.nn.conv import Conv2d, ConvTranspose2d
from ganmath.nn.layers import Linear
from ganmath.nn.losses import discriminator_loss, generator_loss
from ganmath.nn.resample import AvgPool2d, UpsampleNearest
from ganmath.nn.sequential import Sequential

CONFIGURATIONS = {
    "dcgan": {},
    "pooling": {"strided": False},
    "fully-connected": {"fully_connected": True},
    "no-batch-norm": {"batch_norm": False},
    "all-broken": {"strided": False, "fully_connected": True, "batch_norm": False},
}
# Tiny networks for the checks: a few hundred parameters, weights large enough that pre-activations stay away
# from the ReLU kinks by more than the finite-difference step.
TINY = {"noise_dim": 3, "channels": 2, "hidden_width": 3, "m": 4, "init_std": 0.4}


def images(n, seed=0):
    return np.tanh(np.random.default_rng(seed).normal(size=(n, 1, 8, 8)))


def tiny_gan(name, seed=1):
    """A tiny run of configuration ``name`` whose parameters are all moved off their initial values: biases that
    start at 0 would put a ReLU exactly at its kink wherever its inputs are all 0."""
    gan = DCGAN(images(12), seed=seed, **TINY, **CONFIGURATIONS[name])
    rng = np.random.default_rng(seed + 100)
    for network in (gan.generator, gan.discriminator):
        network.parameters += rng.normal(0.0, 0.1, size=network.parameters.shape)
    return gan


# --- the architectures ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", CONFIGURATIONS)
def test_networks_map_noise_to_images_and_images_to_one_logit(name):
    settings = DCGANSettings.from_keywords(**CONFIGURATIONS[name])
    rng = np.random.default_rng(0)
    generator = Sequential(build_generator(settings, rng))
    discriminator = Sequential(build_discriminator(settings, rng))
    made, _ = generator.forward(sample_noise(5, settings.noise_dim, rng))
    assert made.shape == (5, 1, 8, 8) and np.all(np.abs(made) < 1.0)
    logits, _ = discriminator.forward(made)
    assert logits.shape == (5, 1)


def _kinds(layers):
    return [type(layer) for layer in layers]


def test_the_default_follows_the_three_rules():
    settings = DCGANSettings()
    generator = build_generator(settings, np.random.default_rng(0))
    discriminator = build_discriminator(settings, np.random.default_rng(0))
    kinds = _kinds(generator) + _kinds(discriminator)
    # 1. strided convolutions, no pooling or upsampling
    assert AvgPool2d not in kinds and UpsampleNearest not in kinds
    assert [layer.stride for layer in generator if isinstance(layer, ConvTranspose2d)] == [(2, 2), (2, 2)]
    assert [layer.stride for layer in discriminator if isinstance(layer, Conv2d)] == [(2, 2), (2, 2)]
    # 2. the only linear layers are G's projection of z and D's logit
    assert _kinds(generator).index(Linear) == 0 and _kinds(generator).count(Linear) == 1
    assert _kinds(discriminator)[-1] is Linear and _kinds(discriminator).count(Linear) == 1
    # 3. batch normalization, but not on D's input layer nor G's output layer
    assert _kinds(discriminator)[1] is not BatchNorm and BatchNorm in _kinds(discriminator)
    assert _kinds(generator).count(BatchNorm) == 2 and BatchNorm not in _kinds(generator)[-3:]


def test_each_ablation_breaks_its_rule():
    def kinds(**changes):
        settings = DCGANSettings().replace(**changes)
        rng = np.random.default_rng(0)
        return _kinds(build_generator(settings, rng)), _kinds(build_discriminator(settings, rng))

    generator, discriminator = kinds(strided=False)
    assert generator.count(UpsampleNearest) == 2 and discriminator.count(AvgPool2d) == 2
    assert ConvTranspose2d not in generator
    generator, discriminator = kinds(fully_connected=True)
    assert generator.count(Linear) == 2 and discriminator.count(Linear) == 2
    generator, discriminator = kinds(batch_norm=False)
    assert BatchNorm not in generator + discriminator


def test_initial_weights_follow_the_paper():
    gan = DCGAN(images(10), seed=0)
    for network in (gan.generator, gan.discriminator):
        for layer in network.layers:
            if isinstance(layer, (Linear, Conv2d, ConvTranspose2d)):
                assert np.all(layer.bias == 0.0)
                assert 0.015 < np.std(layer.weight) < 0.025 or layer.weight.size < 300
            if isinstance(layer, BatchNorm):
                assert np.all(layer.gamma == 1.0) and np.all(layer.beta == 0.0)


# --- one iteration's gradients against central differences ----------------------------------------


@pytest.mark.parametrize("name", CONFIGURATIONS)
def test_discriminator_gradient_matches_central_differences(name):
    gan = tiny_gan(name)
    rng = np.random.default_rng(2)
    real, noise = images(4, seed=3), sample_noise(4, 3, rng)
    gan.discriminator_loss_and_gradient(real, noise)
    analytic = gan.discriminator.gradients.copy()
    numeric = numerical_gradient(lambda: gan.discriminator_loss_and_gradient(real, noise)[0],
                                 gan.discriminator.parameters, step=1e-5)
    assert_gradient_matches(analytic, numeric, what=f"{name}: D's gradient")


@pytest.mark.parametrize("name", CONFIGURATIONS)
def test_generator_gradient_through_the_discriminator_matches_central_differences(name):
    gan = tiny_gan(name)
    noise = sample_noise(4, 3, np.random.default_rng(4))
    discriminator_before = gan.discriminator.parameters.copy()
    gan.generator_loss_and_gradient(noise)
    analytic = gan.generator.gradients.copy()
    assert np.array_equal(gan.discriminator.parameters, discriminator_before)
    numeric = numerical_gradient(lambda: gan.generator_loss_and_gradient(noise)[0], gan.generator.parameters,
                                 step=1e-5)
    assert_gradient_matches(analytic, numeric, what=f"{name}: G's gradient")


def test_losses_are_the_1d_gans_on_the_logits():
    """D's loss is ganmath.nn.losses.discriminator_loss of D's logits on the two batches, G's the
    non-saturating generator_loss: the code path of the 1-D GAN."""
    gan = DCGAN(images(12), seed=1, **TINY)
    real, noise = images(4, seed=5), sample_noise(4, 3, np.random.default_rng(6))
    fake, _ = gan.generator.forward(noise)
    expected_d, _, _ = discriminator_loss(gan.discriminator.forward(real)[0], gan.discriminator.forward(fake)[0])
    expected_g, _ = generator_loss(gan.discriminator.forward(fake)[0], "non-saturating")
    np.testing.assert_allclose(gan.discriminator_loss_and_gradient(real, noise)[0], expected_d, rtol=1e-14)
    np.testing.assert_allclose(gan.generator_loss_and_gradient(noise)[0], expected_g, rtol=1e-14)


def test_buffers_change_no_bit():
    twins = [DCGAN(images(12), seed=7, **TINY) for _ in range(2)]
    real, noise = images(4, seed=8), sample_noise(4, 3, np.random.default_rng(9))
    results = [gan.discriminator_loss_and_gradient(real, noise, workspaces=flag) for gan, flag in
               zip(twins, (True, False))]
    assert results[0] == results[1]
    assert np.array_equal(twins[0].discriminator.gradients, twins[1].discriminator.gradients)
    results = [gan.generator_loss_and_gradient(noise, workspaces=flag) for gan, flag in zip(twins, (True, False))]
    assert results[0] == results[1]
    assert np.array_equal(twins[0].generator.gradients, twins[1].generator.gradients)


# --- the steps of Algorithm 1 against a recomputation -----------------------------------------------


def adam_step(parameters, gradient, lr, beta1, beta2, eps=1e-8):
    """Adam's first step from zero moments, written out: theta - lr * m_hat / (sqrt(v_hat) + eps)."""
    first = (1 - beta1) * gradient / (1 - beta1)
    second = (1 - beta2) * gradient**2 / (1 - beta2)
    return parameters - lr * first / (np.sqrt(second) + eps)


def test_one_iteration_is_a_d_step_then_a_g_step_on_the_documented_draws():
    data = images(20)
    gan = DCGAN(data, seed=11, **TINY)
    twin = DCGAN(data, seed=11, **TINY)
    assert np.array_equal(gan.generator.parameters, twin.generator.parameters)
    s = gan.settings
    gan.iterate()

    # D's step: m images drawn with replacement, then m noise vectors 2u - 1, from the training stream
    rng = twin.rng
    real = data[rng.integers(0, len(data), size=s.m)]
    noise = 2.0 * rng.random((s.m, s.noise_dim)) - 1.0
    g_before, d_before = twin.generator.parameters.copy(), twin.discriminator.parameters.copy()
    loss_d, _, _ = twin.discriminator_loss_and_gradient(real, noise)
    expected_d = adam_step(d_before, twin.discriminator.gradients, s.lr_discriminator, *s.betas)
    np.testing.assert_allclose(gan.discriminator.parameters, expected_d, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(gan.history.discriminator_loss[0], loss_d, rtol=1e-13)

    # G's step: fresh noise, through the updated D
    twin.discriminator.set_parameters(gan.discriminator.parameters)
    noise = 2.0 * rng.random((s.m, s.noise_dim)) - 1.0
    loss_g, mean_fake = twin.generator_loss_and_gradient(noise)
    expected_g = adam_step(g_before, twin.generator.gradients, s.lr_generator, *s.betas)
    np.testing.assert_allclose(gan.generator.parameters, expected_g, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose([gan.history.generator_loss[0], gan.history.generator_fake[0]], [loss_g, mean_fake],
                               rtol=1e-13)
    assert (gan.iteration, gan.discriminator_steps, gan.generator_steps) == (1, 1, 1)


def test_k_discriminator_steps_per_generator_step():
    gan = DCGAN(images(20), seed=0, k=3, **{**TINY})
    gan.train(2)
    assert (gan.iteration, gan.discriminator_steps, gan.generator_steps) == (2, 6, 2)
    assert gan.history.discriminator_iteration == [0, 0, 0, 1, 1, 1]
    gan.step_discriminator()
    gan.step_generator()
    assert (gan.iteration, gan.discriminator_steps, gan.generator_steps) == (2, 7, 3)


def test_same_seed_same_run_and_snapshots_do_not_change_it():
    data = images(30)
    quiet, watched = DCGAN(data, seed=4, **TINY), DCGAN(data, seed=4, **TINY)
    quiet.train(6)
    watched.train(6, snapshot_every=2)
    assert np.array_equal(quiet.generator.parameters, watched.generator.parameters)
    assert np.array_equal(quiet.discriminator.parameters, watched.discriminator.parameters)
    assert watched.snapshot_iterations == [0, 2, 4, 6]
    assert np.array_equal(watched.snapshot_images[-1], watched.generate(watched.snapshot_noise))
    other = DCGAN(data, seed=5, **TINY)
    assert not np.array_equal(other.generator.parameters, quiet.generator.parameters)


def test_generation_uses_running_statistics_so_each_image_depends_on_its_own_noise():
    gan = DCGAN(images(30), seed=0, **TINY)
    gan.train(3)
    noise = sample_noise(6, 3, np.random.default_rng(0))
    running = gan.generator.running_statistics()
    np.testing.assert_allclose(gan.generate(noise[:1]), gan.generate(noise)[:1], rtol=1e-12, atol=1e-14)
    assert np.array_equal(gan.generator.running_statistics(), running) and gan.generator.training


def test_a_non_finite_loss_raises():
    gan = DCGAN(images(30), seed=0, **TINY)
    gan.discriminator.parameters[0] = np.nan
    with pytest.raises(NonFiniteError, match="discriminator"):
        gan.iterate()


@pytest.mark.parametrize("kwargs, error", [
    ({"unknown": 1}, TypeError), ({"m": 1}, ValueError), ({"generator_loss": "wasserstein"}, ValueError),
    ({"strided": 1}, TypeError), ({"lr_generator": -1.0}, ValueError), ({"seed": -1}, ValueError),
])
def test_bad_settings_are_named(kwargs, error):
    with pytest.raises(error, match=list(kwargs)[0]):
        DCGAN(images(5), **kwargs)


def test_bad_data_is_named():
    with pytest.raises(ValueError, match="data"):
        DCGAN(np.zeros((5, 1, 7, 7)))
    with pytest.raises(TypeError, match="data"):
        DCGAN(np.zeros((5, 1, 8, 8), dtype=np.float32))


# --- saving and loading ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["dcgan", "all-broken"])
def test_save_load_continues_bit_for_bit(tmp_path, name):
    data = images(40)
    gan = DCGAN(data, seed=3, k=2, **TINY, **CONFIGURATIONS[name])
    gan.train(5, snapshot_every=2)
    path = tmp_path / "run.npz"
    save_dcgan(gan, path, command="test")
    loaded = load_dcgan(path, data=data)
    assert loaded.extra == {"command": "test"} and loaded.settings == gan.settings
    gan.train(4, snapshot_every=2)
    loaded.train(4, snapshot_every=2)
    for network in ("generator", "discriminator"):
        mine, theirs = getattr(gan, network), getattr(loaded, network)
        assert np.array_equal(mine.parameters, theirs.parameters), network
        assert np.array_equal(mine.running_statistics(), theirs.running_statistics()), network
    assert gan.history.as_arrays().keys() == loaded.history.as_arrays().keys()
    for key, values in gan.history.as_arrays().items():
        assert np.array_equal(values, loaded.history.as_arrays()[key]), key
    assert gan.snapshot_iterations == loaded.snapshot_iterations
    assert np.array_equal(np.array(gan.snapshot_images), np.array(loaded.snapshot_images))
    assert (gan.iteration, gan.discriminator_steps, gan.generator_steps) == (
        loaded.iteration, loaded.discriminator_steps, loaded.generator_steps)


def test_saved_file_needs_no_pickle_and_checks_its_data(tmp_path):
    data = images(40)
    gan = DCGAN(data, seed=3, **TINY)
    gan.train(2)
    path = tmp_path / "run.npz"
    save_dcgan(gan, path, optimizer_state=False)
    with np.load(path, allow_pickle=False) as stored:
        assert all(stored[name].dtype != object for name in stored.files)
    without_data = load_dcgan(path)
    assert not without_data.has_optimizer_state
    assert np.array_equal(without_data.generate(gan.snapshot_noise), gan.generate(gan.snapshot_noise))
    with pytest.raises(ValueError, match="training data"):
        without_data.iterate()
    with pytest.raises(ValueError, match="SHA-256"):
        load_dcgan(path, data=images(40, seed=1))
    other = tmp_path / "other.npz"
    np.savez(other, x=np.zeros(3))
    with pytest.raises(ValueError, match="not a ganmath DCGAN file"):
        load_dcgan(other)
