r"""One run of Algorithm 1: :class:`GAN`, a population of one with the views a notebook looks at.

Usage::

    import ganmath as gm
    from ganmath.gan import GAN

    gan = GAN(gm.Normal(4, 0.5), seed=0)            # 1-32-32-1 networks, normal noise, Adam
    gan.train(3000, snapshot_every=500)            # snapshots: D, D*, exact p_g, JS, sup|D - D*|
    last = gan.history.snapshots[-1]
    last.js, last.sup_gap
    gan.step_discriminator(); gan.step_generator() # single steps, for an interactive trainer
    gan.save("pair.npz"); GAN.load("pair.npz")     # continues the run bit for bit

The steps themselves are :class:`ganmath.gan.population.Population`'s, on a run axis of length one, so
that a run of a population and the GAN of the same seed are the same computation.
"""

from __future__ import annotations

import numpy as np

from ganmath._validation import check_callback, check_positive_int, check_seed
from ganmath.core.densities import Density
from ganmath.core.divergences import js_divergence
from ganmath.gan.history import History
from ganmath.gan.io import load_gan_state, save_gan
from ganmath.gan.loop import snapshot_schedule
from ganmath.gan.population import Population
from ganmath.gan.pushforward import GeneratorDensity
from ganmath.gan.runs import check_network
from ganmath.gan.snapshot import (
    Snapshot,
    data_region,
    default_grid,
    discriminator_probability,
    measure,
    sup_discriminator_gap,
)
from ganmath.nn.mlp import MLP

__all__ = ["GAN"]


class GAN:
    r"""A 1-D GAN trained by Algorithm 1, with hand-written backprop.

    Parameters
    ----------
    data : Density
        :math:`p_\mathrm{data}`, sampled with ``data.sample(m, rng)``.
    noise : Density, optional
        :math:`p_z`: ``Normal(0, 1)`` by default, or ``Uniform(-1, 1)`` as in the paper's Figure 1.
    seed : int, numpy.random.SeedSequence or numpy.random.Generator
        The only source of randomness: initial weights (G first, then D), then every minibatch.
    generator, discriminator : MLP, optional
        Networks to start from instead of new ones (copied; their sizes and activations then override
        the hidden/activation settings). ``gan.generator`` is the trained copy.
    grid : array_like, optional
        The x grid of the snapshots. By default 401 points covering the data's central 99.98% and
        G's initial range, with a margin.
    **settings
        The keywords of :class:`ganmath.gan.settings.Settings`: ``k``, ``m``, ``generator_loss``,
        ``optimizer``, ``lr_discriminator``, ``lr_generator``, ``momentum``, ``betas``,
        ``label_smoothing``, ``generator_hidden``, ``discriminator_hidden``, ``generator_activation``,
        ``discriminator_activation``.

    Attributes
    ----------
    population : Population
        The run itself, on a run axis of length one.
    generator, discriminator : MLP
        The two networks (views into the population's stacks: what trains one trains the other).
    iteration : int
        Completed Algorithm-1 iterations (:meth:`iterate`).
    discriminator_steps, generator_steps : int
        All steps taken, including single steps.
    history : History
        Floats, one per step, and the snapshots.
    rng : numpy.random.Generator
    """

    def __init__(self, data: Density, noise: Density | None = None, *, seed=0, generator: MLP | None = None,
                 discriminator: MLP | None = None, grid=None, **settings):
        population = Population(
            data, noise, seeds=[check_seed("seed", seed)],
            generators=None if generator is None else [check_network("generator", generator)],
            discriminators=None if discriminator is None else [check_network("discriminator", discriminator)],
            on_nonfinite="raise", **settings,
        )
        population.history = History(one_run=True)
        self.population = population
        self.generator = population.generator.view(0)
        self.discriminator = population.discriminator.view(0)
        self.data_region = data_region(population.data)
        self.grid = default_grid(population.data, population.noise, self.generator) if grid is None else _check_grid(grid)
        self._warned_point_mass = False

    # --- what the run is -------------------------------------------------------------------------

    data = property(lambda self: self.population.data)
    noise = property(lambda self: self.population.noise)
    settings = property(lambda self: self.population.settings)
    history: History = property(lambda self: self.population.history)
    rng = property(lambda self: self.population.rngs[0])
    optimizer_generator = property(lambda self: self.population.optimizer_generator)
    optimizer_discriminator = property(lambda self: self.population.optimizer_discriminator)
    iteration = property(lambda self: self.population.iteration)
    discriminator_steps = property(lambda self: self.population.discriminator_steps)
    generator_steps = property(lambda self: self.population.generator_steps)
    k = property(lambda self: self.settings.k)
    m = property(lambda self: self.settings.m)
    generator_loss = property(lambda self: self.settings.generator_loss)
    optimizer = property(lambda self: self.settings.optimizer)
    lr_discriminator = property(lambda self: self.settings.lr_discriminator)
    lr_generator = property(lambda self: self.settings.lr_generator)
    momentum = property(lambda self: self.settings.momentum)
    betas = property(lambda self: self.settings.betas)
    label_smoothing = property(lambda self: self.settings.label_smoothing)

    def __repr__(self):
        return (f"GAN(data={self.data!r}, noise={self.noise!r}, k={self.k}, m={self.m}, "
                f"generator_loss={self.generator_loss!r}, optimizer={self.optimizer!r}, iteration={self.iteration})")

    @classmethod
    def from_population(cls, population: Population, run: int) -> "GAN":
        """Run ``run`` of ``population`` as an independent GAN: copies of its networks, optimizer state, counters
        and random generator, so that training it goes on as the population would."""
        if not isinstance(population, Population):
            raise TypeError(f"population must be a ganmath.gan.Population, got population={population!r}")
        run = population.check_run(run)
        rng = np.random.Generator(type(population.rngs[run].bit_generator)())
        rng.bit_generator.state = population.rngs[run].bit_generator.state
        gan = cls(population.data, population.noise, seed=rng, generator=population.generator.network(run),
                  discriminator=population.discriminator.network(run), **population.settings.as_dict())
        for mine, theirs in ((gan.optimizer_generator, population.optimizer_generator),
                             (gan.optimizer_discriminator, population.optimizer_discriminator)):
            mine.load_state({key: value[run:run + 1] if np.ndim(value) == 2 else value
                             for key, value in theirs.state().items()})
        own = gan.population
        own.iteration, own.discriminator_steps, own.generator_steps = (
            population.iteration, population.discriminator_steps, population.generator_steps)
        own.diverged_at[0] = population.diverged_at[run]
        return gan

    def copy(self) -> "GAN":
        """An independent GAN in the same state (networks, optimizer state, counters, random generator):
        training both gives the same numbers."""
        copy = GAN.from_population(self.population, 0)
        copy.grid = self.grid.copy()
        return copy

    def update_settings(self, **changes):
        """Change settings mid-run (see :meth:`Population.update_settings`)."""
        self.population.update_settings(**changes)

    def set_learning_rates(self, *, discriminator: float | None = None, generator: float | None = None):
        """Change the learning rates from now on (the optimizers keep their momentum / moment estimates)."""
        changes = {}
        if discriminator is not None:
            changes["lr_discriminator"] = discriminator
        if generator is not None:
            changes["lr_generator"] = generator
        self.population.update_settings(**changes)

    # --- the steps of Algorithm 1 --------------------------------------------------------------

    def step_discriminator(self) -> float:
        """One discriminator step on fresh minibatches (does not advance ``iteration``); returns D's loss."""
        self.population.step_discriminator()
        return self.history.discriminator_loss[-1]

    def step_generator(self) -> float:
        """One generator step on a fresh noise minibatch (does not advance ``iteration``); returns G's loss."""
        self.population.step_generator()
        return self.history.generator_loss[-1]

    def iterate(self):
        """One iteration of Algorithm 1 (k D steps, then one G step); returns (last D loss, G loss)."""
        self.population.iterate()
        return self.history.discriminator_loss[-1], self.history.generator_loss[-1]

    def train(self, n_iter: int, *, snapshot_every=None, snapshot_at=(), callback=None,
              callback_every: int = 1) -> History:
        """Run ``n_iter`` iterations of Algorithm 1.

        Parameters
        ----------
        n_iter : int >= 0
        snapshot_every : int, optional
            Take a :meth:`snapshot` whenever ``iteration`` is a multiple of it (including the start and
            the end of this call).
        snapshot_at : iterable of int
            Further iterations (absolute) at which to take a snapshot.
        callback : callable, optional
            ``callback(gan)`` after every ``callback_every`` iterations; returning ``True`` stops training.
            A progress bar (:func:`ganmath.ui.progress.progress_bar`) is itself a callback.

        Returns
        -------
        History
        """
        due = snapshot_schedule(self.iteration, n_iter, snapshot_every, snapshot_at)
        callback_every = check_callback(callback, callback_every)
        if due(self.iteration) and not any(s.iteration == self.iteration for s in self.history.snapshots):
            self.snapshot()
        count = 0

        def after_iteration(_):
            nonlocal count
            count += 1
            if due(self.iteration):
                self.snapshot()
            if callback is not None and count % callback_every == 0:
                return callback(self)
            return None

        self.population.train(n_iter, callback=after_iteration)
        return self.history

    # --- what the notebooks look at ------------------------------------------------------------

    def discriminator_logit(self, x) -> np.ndarray:
        """D's logit at ``x`` (any shape)."""
        x = np.asarray(x, dtype=float)
        return self.discriminator(x.reshape(-1, 1))[:, 0].reshape(x.shape)

    def discriminator_probability(self, x) -> np.ndarray:
        """D(x) = expit(logit), the probability that x is data."""
        return discriminator_probability(self.discriminator, x)

    def generate(self, n: int, rng: np.random.Generator | None = None) -> np.ndarray:
        """``n`` samples G(z), shape ``(n,)``.

        The noise is drawn from ``rng``, or by default from the run's own generator, which then moves on:
        training after a default ``generate`` differs from training without it.
        """
        n = check_positive_int("n", n, allow_zero=True)
        return self.generator(self.noise.sample(n, self.rng if rng is None else rng)[:, None])[:, 0]

    def generator_density(self) -> GeneratorDensity:
        """The exact p_g of the current generator (raises PointMassError if it has a point mass)."""
        return GeneratorDensity(self.generator, self.noise)

    def js_divergence(self) -> float:
        """JS(p_data, p_g) in nats, with the exact p_g."""
        return js_divergence(self.data, self.generator_density())

    def sup_discriminator_gap(self, p_g: Density | None = None) -> float:
        """:math:`\\sup |D - D^*|` on 401 points of the central 95% of p_data."""
        return sup_discriminator_gap(self.data, self.generator_density() if p_g is None else p_g, self.discriminator)

    def snapshot(self, *, record: bool = True) -> Snapshot:
        """The present state (:func:`ganmath.gan.snapshot.measure`), appended to the history unless
        ``record=False`` (an interactive trainer redrawing after every step)."""
        snapshot = measure(self, warn_point_mass=not self._warned_point_mass)
        if snapshot.point_mass is not None:
            self._warned_point_mass = True
        if record:
            self.history.snapshots.append(snapshot)
        return snapshot

    # --- saving ------------------------------------------------------------------------------

    def save(self, path):
        """Save the networks, the optimizers' state, the counters, the settings and the random state
        (:func:`ganmath.gan.io.save_gan`): a loaded GAN continues the run bit for bit."""
        save_gan(self, path)

    @classmethod
    def load(cls, path, data: Density | None = None, noise: Density | None = None) -> "GAN":
        """A GAN restored from :meth:`save` (``data`` / ``noise`` needed when they were not Normal or Uniform)."""
        state = load_gan_state(path, data=data, noise=noise)
        gan = cls(**state["arguments"])
        for name, optimizer in (("generator", gan.optimizer_generator), ("discriminator", gan.optimizer_discriminator)):
            optimizer.load_state(state["optimizer_state"][name])
        population, counters = gan.population, state["counters"]
        population.iteration = counters["iteration"]
        population.discriminator_steps = counters["discriminator_steps"]
        population.generator_steps = counters["generator_steps"]
        return gan


def _check_grid(grid) -> np.ndarray:
    grid = np.asarray(grid, dtype=float)
    if grid.ndim != 1 or grid.size < 2 or not np.all(np.isfinite(grid)) or np.any(np.diff(grid) <= 0):
        raise ValueError(f"grid must be a 1-D increasing array of finite numbers, got grid of shape {grid.shape}")
    return grid
