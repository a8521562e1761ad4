r"""Algorithm 1 of Goodfellow et al. (2014) for 1-D data: a trainer with its history.

For each training iteration:

1. *k* times: draw *m* data :math:`x_i \sim p_\mathrm{data}` and *m* noise :math:`z_i \sim p_z`, and
   update D by one step *ascending* :math:`\frac1m \sum_i [\log D(x_i) + \log(1 - D(G(z_i)))]`
   (descending D's cross-entropy :func:`ganmath.nn.losses.discriminator_loss`);
2. draw *m* fresh noise samples and update G by one step descending the generator loss:
   ``"minimax"`` :math:`\frac1m\sum\log(1 - D(G(z_i)))` as printed in Algorithm 1, ``"non-saturating"``
   :math:`-\frac1m\sum\log D(G(z_i))` (the paper's Section 3), or ``"maximum-likelihood"``.

The real and the fake batch go through D in one pass of :math:`2m` rows (the gradient is the sum of
the two batches' gradients either way). Every random number comes from one
:class:`numpy.random.Generator` owned by the trainer: the same seed gives a bit-identical run.

Usage::

    import ganmath as gm
    from ganmath.gan import GAN

    gan = GAN(gm.Normal(4, 0.5), seed=0)            # 1-32-32-1 networks, normal noise, Adam
    gan.train(3000, snapshot_every=500)            # a progress bar in a notebook or a terminal
    last = gan.history.snapshots[-1]               # D(x), D*(x), p_g(x), JS, sup|D - D*|, the networks
    last.js, last.sup_gap
    gan.step_discriminator(); gan.step_generator() # single steps, for an interactive trainer
    gan.save("pair.npz"); GAN.load("pair.npz")     # continues the run bit for bit

    # Figure 1's uniform noise with k = 1: JS 0.03-0.04 nats after 5,000 iterations (seeds 0-2)
    figure_1 = GAN(gm.Normal(4, 0.5), gm.Uniform(-1, 1), k=1, generator_activation="tanh", seed=0)

The paper's own rule, SGD with momentum (``optimizer="sgd"``), is available; on this problem the
settings tried (learning rates 1e-3 to 1e-2, momentum 0.5 and 0.9) left JS near 0.25-0.33 after
5,000 iterations, the generator covering only part of the data.
"""

from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from ganmath._validation import check_finite_real, check_in_range, check_positive_int
from ganmath.densities import Density, Normal, Uniform
from ganmath.divergences import js_divergence
from ganmath.nn.losses import check_generator_loss, discriminator_loss_stacked, generator_loss
from ganmath.nn.mlp import MLP
from ganmath.nn.optimizers import OPTIMIZERS, make_optimizer
from ganmath.progress import progress_bar
from ganmath.pushforward import GeneratorDensity, PointMassError
from ganmath.theory import optimal_discriminator_logit

__all__ = ["GAN", "History", "Snapshot", "NonFiniteError", "save_pair", "load_pair"]

_FORMAT_VERSION = 1


class NonFiniteError(FloatingPointError):
    """A loss, a gradient or a weight became NaN or infinite during training."""


@dataclass
class Snapshot:
    """The state of a GAN at one moment, with everything needed to draw the paper's Figure 1.

    Attributes
    ----------
    iteration, discriminator_steps, generator_steps : int
        Counters when the snapshot was taken.
    x : ndarray, shape (n_grid,)
        The plotting grid.
    discriminator : ndarray, shape (n_grid,)
        D(x), the trained discriminator's probability that x is data (``expit`` of its logit).
    discriminator_logit : ndarray, shape (n_grid,)
    optimal_discriminator : ndarray, shape (n_grid,)
        :math:`D^*(x) = p_\\mathrm{data}/(p_\\mathrm{data} + p_g)` for the current G (NaN where both
        densities are 0, or everywhere when p_g has a point mass).
    p_data, p_g : ndarray, shape (n_grid,)
        The data density and the generator's exact density (p_g NaN when it has a point mass).
    js : float
        :math:`\\mathrm{JS}(p_\\mathrm{data}, p_g)` in nats, exact p_g (NaN when p_g has a point mass).
    sup_gap : float
        :math:`\\sup |D - D^*|` over the central 95% of p_data (on 401 points).
    z, generated : ndarray, shape (n_z,)
        Noise quantiles and their images G(z): the arrows of Figure 1.
    generator, discriminator_network : MLP
        Copies of the two networks.
    generator_density : GeneratorDensity or None
        The exact p_g as a density (None when it has a point mass).
    point_mass : str or None
        Why p_g could not be computed, if it could not.
    """

    iteration: int
    discriminator_steps: int
    generator_steps: int
    x: np.ndarray
    discriminator: np.ndarray
    discriminator_logit: np.ndarray
    optimal_discriminator: np.ndarray
    p_data: np.ndarray
    p_g: np.ndarray
    js: float
    sup_gap: float
    z: np.ndarray
    generated: np.ndarray
    generator: MLP
    discriminator_network: MLP
    generator_density: GeneratorDensity | None
    point_mass: str | None = None


@dataclass
class History:
    """What a training run recorded: one entry per discriminator step and per generator step, and snapshots.

    The ``*_iteration`` lists give the value of ``gan.iteration`` when each step was taken (the
    Algorithm-1 iteration it belongs to). ``discriminator_real`` / ``discriminator_fake`` are the batch
    means of D(x) and D(G(z)) in the D steps, ``generator_fake`` the mean of D(G(z)) in the G steps.
    Gradient norms are Euclidean norms of the whole parameter gradient before the update.
    """

    discriminator_iteration: list = field(default_factory=list)
    discriminator_loss: list = field(default_factory=list)
    discriminator_grad_norm: list = field(default_factory=list)
    discriminator_real: list = field(default_factory=list)
    discriminator_fake: list = field(default_factory=list)
    generator_iteration: list = field(default_factory=list)
    generator_loss: list = field(default_factory=list)
    generator_grad_norm: list = field(default_factory=list)
    generator_fake: list = field(default_factory=list)
    snapshots: list = field(default_factory=list)

    def as_arrays(self) -> dict:
        """Every per-step list as an ndarray, plus ``snapshot_iteration``, ``js`` and ``sup_gap``."""
        out = {name: np.asarray(getattr(self, name)) for name in self.__dataclass_fields__ if name != "snapshots"}
        out["snapshot_iteration"] = np.array([s.iteration for s in self.snapshots], dtype=int)
        out["js"] = np.array([s.js for s in self.snapshots])
        out["sup_gap"] = np.array([s.sup_gap for s in self.snapshots])
        return out

    def snapshot_at(self, iteration: int) -> Snapshot:
        """The last snapshot taken at ``iteration``."""
        for snapshot in reversed(self.snapshots):
            if snapshot.iteration == iteration:
                return snapshot
        raise KeyError(f"no snapshot at iteration={iteration!r}; snapshots at {[s.iteration for s in self.snapshots]}")


def _check_hidden(name: str, hidden) -> tuple[int, ...]:
    try:
        widths = tuple(hidden)
    except TypeError:
        raise TypeError(f"{name} must be a sequence of hidden-layer widths, got {name}={hidden!r}") from None
    for i, width in enumerate(widths):
        check_positive_int(f"{name}[{i}]", width)
    return tuple(int(w) for w in widths)


def _check_lr(name: str, lr) -> float:
    lr = check_finite_real(name, lr)
    if lr <= 0:
        raise ValueError(f"{name} must be > 0, got {name}={lr!r}")
    return lr


def _check_density(name: str, value) -> Density:
    if not isinstance(value, Density):
        raise TypeError(f"{name} must be a ganmath Density (Normal, Uniform, Mixture, ...), got {name}={value!r}")
    return value


def _check_network(name: str, network) -> MLP:
    if not isinstance(network, MLP):
        raise TypeError(f"{name} must be a ganmath.nn.mlp.MLP, got {name}={network!r}")
    if network.sizes[0] != 1 or network.sizes[-1] != 1:
        raise ValueError(f"{name} must have one input and one output, got sizes={network.sizes}")
    return network


def _describe_density(density: Density) -> str:
    """A JSON description of a Normal or Uniform (what a saved file can restore); '' otherwise."""
    if type(density) is Normal:
        return json.dumps({"kind": "normal", "mu": density.mu, "sigma": density.sigma})
    if type(density) is Uniform:
        return json.dumps({"kind": "uniform", "low": density.low, "high": density.high})
    return ""


def _restore_density(description: str):
    if not description:
        return None
    spec = json.loads(description)
    if spec["kind"] == "normal":
        return Normal(spec["mu"], spec["sigma"])
    return Uniform(spec["low"], spec["high"])


class GAN:
    r"""A 1-D GAN trained by Algorithm 1, with hand-written backprop.

    Parameters
    ----------
    data : Density
        :math:`p_\mathrm{data}`, sampled with ``data.sample(m, rng)``.
    noise : Density
        :math:`p_z`: ``Normal(0, 1)`` by default, or ``Uniform(-1, 1)`` as in the paper's Figure 1
        (a uniform z cannot reach a normal's tails through a network of bounded slope: on N(4, 0.5)
        data JS then levels off near 0.03-0.05 nats).
    k : int >= 1
        Discriminator steps per iteration (the paper used k = 1, "the least expensive option").
    m : int >= 1
        Minibatch size (of data and of noise).
    generator_loss : {"non-saturating", "minimax", "maximum-likelihood"}
    optimizer : {"adam", "sgd"}
        "sgd" is SGD with momentum, as in the paper.
    lr_discriminator, lr_generator : float > 0
    momentum : float in [0, 1)
        SGD momentum (ignored by Adam).
    betas : (float, float), each in [0, 1)
        Adam's :math:`\beta_1, \beta_2` (ignored by SGD).
    label_smoothing : float in [0, 1)
        One-sided label smoothing: D's target for real data is ``1 - label_smoothing``.
    generator_hidden, discriminator_hidden : sequence of int
        Hidden-layer widths; ``(32, 32)`` gives the 1-32-32-1 networks.
    generator_activation : {"softplus", "tanh", "leaky-relu", "relu"}
        Smooth by default, so that p_g is a density (see :mod:`ganmath.pushforward`).
    discriminator_activation : {"tanh", "softplus", "leaky-relu", "relu"}

    seed : int, numpy.random.SeedSequence or numpy.random.Generator
        The only source of randomness: initial weights (G first, then D), then every minibatch.
    generator, discriminator : MLP, optional
        Networks to train instead of new ones (used as they are, not copied; their sizes and
        activations then override the hidden/activation parameters).
    grid : array_like, optional
        The x grid of the snapshots. By default 401 points covering the data's central 99.98% and
        G's initial range, with a margin.

    Attributes
    ----------
    iteration : int
        Completed Algorithm-1 iterations (:meth:`iterate`).
    discriminator_steps, generator_steps : int
        All steps taken, including single steps.
    history : History
    rng : numpy.random.Generator

    Notes
    -----
    The defaults (normal noise, softplus G, tanh D, Adam with :math:`\beta_1 = 0.5`, learning rates
    2e-3 for D and 2e-4 for G, k = 2, m = 64) bring N(4, 0.5) data to JS(p_data, p_g) < 0.02 nats by
    iteration 2,500 for each of the seeds 0-7, and below 0.01 from iteration 3,000 on. The paper's
    own choices are ``k=1, optimizer="sgd"``; a ReLU discriminator trained by SGD tends to die
    (its units switch off where the fakes are, and G gets no gradient). A softplus generator
    extrapolates linearly, so a normal z can become a normal x; saturating tanh units pile mass up
    at the ends of G's range.
    """

    def __init__(
        self,
        data: Density,
        noise: Density | None = None,
        *,
        k: int = 2,
        m: int = 64,
        generator_loss: str = "non-saturating",
        optimizer: str = "adam",
        lr_discriminator: float = 2e-3,
        lr_generator: float = 2e-4,
        momentum: float = 0.9,
        betas=(0.5, 0.999),
        label_smoothing: float = 0.0,
        generator_hidden=(32, 32),
        discriminator_hidden=(32, 32),
        generator_activation: str = "softplus",
        discriminator_activation: str = "tanh",
        seed=0,
        generator: MLP | None = None,
        discriminator: MLP | None = None,
        grid=None,
    ):
        self.data = _check_density("data", data)
        self.noise = Normal(0.0, 1.0) if noise is None else _check_density("noise", noise)
        self.k = check_positive_int("k", k)
        self.m = check_positive_int("m", m)
        self.generator_loss = check_generator_loss(generator_loss)
        if optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {tuple(OPTIMIZERS)}, got optimizer={optimizer!r}")
        self.optimizer = optimizer
        self.lr_discriminator = _check_lr("lr_discriminator", lr_discriminator)
        self.lr_generator = _check_lr("lr_generator", lr_generator)
        self.momentum = check_in_range("momentum", momentum, 0.0, 1.0, high_open=True)
        try:
            beta1, beta2 = betas
        except (TypeError, ValueError):
            raise TypeError(f"betas must be a pair (beta1, beta2), got betas={betas!r}") from None
        self.betas = (
            check_in_range("betas[0]", beta1, 0.0, 1.0, high_open=True),
            check_in_range("betas[1]", beta2, 0.0, 1.0, high_open=True),
        )
        self.label_smoothing = check_in_range("label_smoothing", label_smoothing, 0.0, 1.0, high_open=True)
        if isinstance(seed, np.random.Generator):
            self.rng = seed
        else:
            try:
                self.rng = np.random.default_rng(seed)
            except (TypeError, ValueError):
                raise TypeError(
                    f"seed must be an int, a SeedSequence or a numpy Generator, got seed={seed!r}"
                ) from None

        if generator is None:
            hidden = _check_hidden("generator_hidden", generator_hidden)
            generator = MLP((1, *hidden, 1), self.rng, activation=generator_activation)
        if discriminator is None:
            hidden = _check_hidden("discriminator_hidden", discriminator_hidden)
            discriminator = MLP((1, *hidden, 1), self.rng, activation=discriminator_activation)
        self.generator = _check_network("generator", generator)
        self.discriminator = _check_network("discriminator", discriminator)
        self._make_optimizers()

        self.iteration = 0
        self.discriminator_steps = 0
        self.generator_steps = 0
        self.history = History()
        self.data_region = tuple(float(v) for v in self.data.ppf([0.025, 0.975]))
        self._region_grid = np.linspace(*self.data_region, 401)
        self.grid = self._default_grid() if grid is None else self._check_grid(grid)
        self._batch = np.empty((2 * self.m, 1))
        self._warned_point_mass = False

    def _make_optimizers(self):
        common = {"momentum": self.momentum, "betas": self.betas}
        self.optimizer_generator = make_optimizer(
            self.optimizer, self.generator.parameters, self.generator.gradients, lr=self.lr_generator, **common
        )
        self.optimizer_discriminator = make_optimizer(
            self.optimizer, self.discriminator.parameters, self.discriminator.gradients,
            lr=self.lr_discriminator, **common
        )

    def set_learning_rates(self, *, discriminator: float | None = None, generator: float | None = None):
        """Change the learning rates from now on (the optimizers keep their momentum / moment estimates)."""
        if discriminator is not None:
            self.lr_discriminator = _check_lr("discriminator", discriminator)
            self.optimizer_discriminator.lr = self.lr_discriminator
        if generator is not None:
            self.lr_generator = _check_lr("generator", generator)
            self.optimizer_generator.lr = self.lr_generator

    def __repr__(self):
        return (
            f"GAN(data={self.data!r}, noise={self.noise!r}, k={self.k}, m={self.m}, "
            f"generator_loss={self.generator_loss!r}, optimizer={self.optimizer!r}, iteration={self.iteration})"
        )

    def _check_grid(self, grid) -> np.ndarray:
        grid = np.asarray(grid, dtype=float)
        if grid.ndim != 1 or grid.size < 2 or not np.all(np.isfinite(grid)) or np.any(np.diff(grid) <= 0):
            raise ValueError(f"grid must be a 1-D increasing array of finite numbers, got grid of shape {grid.shape}")
        return grid

    def _default_grid(self) -> np.ndarray:
        low, high = (float(v) for v in self.data.ppf([1e-4, 1 - 1e-4]))
        generated = self.generator(self.noise.ppf(np.linspace(0.001, 0.999, 201))[:, None])[:, 0]
        low, high = min(low, float(generated.min())), max(high, float(generated.max()))
        margin = 0.15 * (high - low)
        return np.linspace(low - margin, high + margin, 401)

    # --- the steps of Algorithm 1 --------------------------------------------------------------

    def _fail(self, what: str):
        raise NonFiniteError(
            f"iteration {self.iteration} (discriminator step {self.discriminator_steps + 1}, generator step "
            f"{self.generator_steps + 1}): {what}"
        )

    def _check_weights(self, name: str, network: MLP):
        if not math.isfinite(float(network.parameters @ network.parameters)):
            bad = int(np.count_nonzero(~np.isfinite(network.parameters)))
            if bad:
                self._fail(
                    f"the {name} weights became non-finite ({bad} of {network.parameters.size}) after the update"
                )

    def _discriminator_step(self) -> float:
        m = self.m
        batch = self._batch
        batch[:m, 0] = self.data.sample(m, self.rng)
        noise = self.noise.sample(m, self.rng)
        batch[m:] = self.generator.forward(noise[:, None])[0]
        logits, cache = self.discriminator.forward(batch)
        loss, grad = discriminator_loss_stacked(logits, m, self.label_smoothing)
        self.discriminator.zero_grad()
        self.discriminator.backward(grad, cache, input_gradient=False)
        gradients = self.discriminator.gradients
        grad_norm = math.sqrt(float(gradients @ gradients))
        if not math.isfinite(loss):
            self._fail(f"the discriminator loss is {loss}")
        if not math.isfinite(grad_norm):
            self._fail("the discriminator gradient is non-finite")
        self.optimizer_discriminator.step()
        self._check_weights("discriminator", self.discriminator)
        history = self.history
        history.discriminator_iteration.append(self.iteration)
        history.discriminator_loss.append(loss)
        history.discriminator_grad_norm.append(grad_norm)
        # m * grad = expit(a) - target on the real rows, expit(a) on the fake rows: the batch means of D.
        history.discriminator_real.append(float(grad[:m].sum()) + 1.0 - self.label_smoothing)
        history.discriminator_fake.append(float(grad[m:].sum()))
        self.discriminator_steps += 1
        return loss

    def _generator_step(self) -> float:
        noise = self.noise.sample(self.m, self.rng)
        fake, generator_cache = self.generator.forward(noise[:, None])
        logits, discriminator_cache = self.discriminator.forward(fake)
        loss, grad_logits = generator_loss(logits, self.generator_loss)
        grad_fake = self.discriminator.backward_inputs(grad_logits, discriminator_cache)
        self.generator.zero_grad()
        self.generator.backward(grad_fake, generator_cache, input_gradient=False)
        gradients = self.generator.gradients
        grad_norm = math.sqrt(float(gradients @ gradients))
        if not math.isfinite(loss):
            self._fail(f"the generator loss ({self.generator_loss}) is {loss}")
        if not math.isfinite(grad_norm):
            self._fail("the generator gradient is non-finite")
        self.optimizer_generator.step()
        self._check_weights("generator", self.generator)
        history = self.history
        history.generator_iteration.append(self.iteration)
        history.generator_loss.append(loss)
        history.generator_grad_norm.append(grad_norm)
        history.generator_fake.append(float(special.expit(logits).sum()) / self.m)
        self.generator_steps += 1
        return loss

    def _iterate(self):
        for _ in range(self.k):
            discriminator_loss_value = self._discriminator_step()
        generator_loss_value = self._generator_step()
        self.iteration += 1
        return discriminator_loss_value, generator_loss_value

    def step_discriminator(self) -> float:
        """One discriminator step on fresh minibatches (does not advance ``iteration``); returns D's loss."""
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self._discriminator_step()

    def step_generator(self) -> float:
        """One generator step on a fresh noise minibatch (does not advance ``iteration``); returns G's loss."""
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self._generator_step()

    def iterate(self):
        """One iteration of Algorithm 1 (k D steps, then one G step); returns (last D loss, G loss)."""
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self._iterate()

    def train(self, n_iter: int, *, snapshot_every=None, snapshot_at=(), callback=None, callback_every: int = 1,
              progress="auto") -> History:
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
        progress : {"auto", "notebook", "text", "silent"} or bool
            A progress bar (see :func:`ganmath.progress.progress_bar`); ``False`` for silence.

        Returns
        -------
        History
        """
        n_iter = check_positive_int("n_iter", n_iter, allow_zero=True)
        if snapshot_every is not None:
            snapshot_every = check_positive_int("snapshot_every", snapshot_every)
        callback_every = check_positive_int("callback_every", callback_every)
        if callback is not None and not callable(callback):
            raise TypeError(f"callback must be callable, got callback={callback!r}")
        wanted = {check_positive_int("snapshot_at", i, allow_zero=True) for i in snapshot_at}
        end = self.iteration + n_iter

        def due(iteration):
            return iteration in wanted or (
                snapshot_every is not None and (iteration % snapshot_every == 0 or iteration == end)
            )

        if due(self.iteration) and not any(s.iteration == self.iteration for s in self.history.snapshots):
            self.snapshot()
        caller_errstate = np.geterr()
        # Overflow shows up as a non-finite loss or weight, which _iterate reports itself; snapshots and
        # the callback run with the caller's settings.
        ignore = {"over": "ignore", "invalid": "ignore", "divide": "ignore"}
        with progress_bar(n_iter, progress, "training") as bar, np.errstate(**ignore):
            for count in range(1, n_iter + 1):
                self._iterate()
                bar.update()
                if due(self.iteration):
                    with np.errstate(**caller_errstate):
                        self.snapshot()
                if callback is not None and count % callback_every == 0:
                    with np.errstate(**caller_errstate):
                        if callback(self) is True:
                            break
        return self.history

    # --- what the notebooks look at ------------------------------------------------------------

    def discriminator_logit(self, x) -> np.ndarray:
        """D's logit at ``x`` (any shape)."""
        x = np.asarray(x, dtype=float)
        return self.discriminator(x.reshape(-1, 1))[:, 0].reshape(x.shape)

    def discriminator_probability(self, x) -> np.ndarray:
        """D(x) = expit(logit), the probability that x is data."""
        return special.expit(self.discriminator_logit(x))

    def generate(self, n: int, rng: np.random.Generator | None = None) -> np.ndarray:
        """``n`` samples G(z), shape ``(n,)``.

        The noise is drawn from ``rng``, or by default from the trainer's own generator, which then
        moves on: training after a default ``generate`` differs from training without it.
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
        p_g = self.generator_density() if p_g is None else p_g
        d = special.expit(self.discriminator_logit(self._region_grid))
        d_star = special.expit(optimal_discriminator_logit(self.data, p_g, self._region_grid))
        return float(np.max(np.abs(d - d_star)))

    def snapshot(self, *, record: bool = True) -> Snapshot:
        """The present state (D, D*, p_g, JS, sup|D - D*|, copies of both networks), appended to the
        history unless ``record=False`` (an interactive trainer redrawing after every step)."""
        x = self.grid
        logit = self.discriminator_logit(x)
        z = self.noise.ppf(np.linspace(0.0, 1.0, 41)[1:-1])
        point_mass = None
        try:
            p_g = self.generator_density()
        except PointMassError as error:
            p_g, point_mass = None, str(error)
            if not self._warned_point_mass:
                warnings.warn(f"p_g has no density, so JS, D* and p_g are NaN in the snapshots: {error}", stacklevel=2)
                self._warned_point_mass = True
        if p_g is None:
            nan = np.full(x.shape, np.nan)
            d_star, density, js, gap = nan, nan, math.nan, math.nan
        else:
            with np.errstate(invalid="ignore"):
                d_star = special.expit(optimal_discriminator_logit(self.data, p_g, x))
            density, js, gap = p_g.pdf(x), js_divergence(self.data, p_g), self.sup_discriminator_gap(p_g)
        snapshot = Snapshot(
            iteration=self.iteration,
            discriminator_steps=self.discriminator_steps,
            generator_steps=self.generator_steps,
            x=x.copy(),
            discriminator=special.expit(logit),
            discriminator_logit=logit,
            optimal_discriminator=d_star,
            p_data=self.data.pdf(x),
            p_g=density,
            js=js,
            sup_gap=gap,
            z=z,
            generated=self.generator(z[:, None])[:, 0],
            generator=self.generator.copy(),
            discriminator_network=self.discriminator.copy(),
            generator_density=p_g,
            point_mass=point_mass,
        )
        if record:
            self.history.snapshots.append(snapshot)
        return snapshot

    # --- saving ------------------------------------------------------------------------------

    def save(self, path):
        """Save the networks, the optimizers' state, the counters, the hyperparameters and the random state.

        A :meth:`load` ed GAN continues the run bit for bit. The data and noise are saved when they
        are a Normal or a Uniform; otherwise pass them to :meth:`load`. The history is not saved.
        """
        config = {
            "k": self.k, "m": self.m, "generator_loss": self.generator_loss, "optimizer": self.optimizer,
            "lr_discriminator": self.lr_discriminator, "lr_generator": self.lr_generator,
            "momentum": self.momentum, "betas": list(self.betas), "label_smoothing": self.label_smoothing,
            "iteration": self.iteration, "discriminator_steps": self.discriminator_steps,
            "generator_steps": self.generator_steps,
        }
        optimizer_state = {}
        for name, opt in (("generator", self.optimizer_generator), ("discriminator", self.optimizer_discriminator)):
            for key, value in opt.state().items():
                optimizer_state[f"optimizer_{name}_{key}"] = np.asarray(value)
        save_pair(
            path,
            self.generator,
            self.discriminator,
            config=np.array(json.dumps(config)),
            rng_state=np.array(json.dumps(self.rng.bit_generator.state)),
            rng_kind=np.array(type(self.rng.bit_generator).__name__),
            data_description=np.array(_describe_density(self.data)),
            noise_description=np.array(_describe_density(self.noise)),
            grid=self.grid,
            **optimizer_state,
        )

    @classmethod
    def load(cls, path, data: Density | None = None, noise: Density | None = None) -> "GAN":
        """A GAN restored from :meth:`save` (``data`` / ``noise`` needed when they were not Normal or Uniform)."""
        stored = load_pair(path)
        arrays = stored["arrays"]
        config = json.loads(str(arrays["config"]))
        data = data if data is not None else _restore_density(str(arrays["data_description"]))
        noise = noise if noise is not None else _restore_density(str(arrays["noise_description"]))
        if data is None:
            raise ValueError(f"data must be given: the file {path!r} does not describe the data density")
        if noise is None:
            raise ValueError(f"noise must be given: the file {path!r} does not describe the noise density")
        counters = {name: config.pop(name) for name in ("iteration", "discriminator_steps", "generator_steps")}
        gan = cls(data, noise, generator=stored["generator"], discriminator=stored["discriminator"],
                  grid=arrays["grid"], **config)
        bit_generator = getattr(np.random, str(arrays["rng_kind"]))()
        bit_generator.state = json.loads(str(arrays["rng_state"]))
        gan.rng = np.random.Generator(bit_generator)
        for name, opt in (("generator", gan.optimizer_generator), ("discriminator", gan.optimizer_discriminator)):
            prefix = f"optimizer_{name}_"
            opt.load_state({key[len(prefix):]: arrays[key] for key in arrays if key.startswith(prefix)})
        gan.iteration, gan.discriminator_steps, gan.generator_steps = (
            counters["iteration"], counters["discriminator_steps"], counters["generator_steps"]
        )
        return gan


def save_pair(path, generator: MLP, discriminator: MLP, **extra_arrays):
    """Save a generator and a discriminator (and any further arrays) to an ``.npz`` file without pickles.

    Each network is stored as its sizes, its activation name (a string array), its leaky slope and its
    flat parameter vector.
    """
    arrays = {"format_version": np.array(_FORMAT_VERSION)}
    for name, network in (("generator", generator), ("discriminator", discriminator)):
        if not isinstance(network, MLP):
            raise TypeError(f"{name} must be a ganmath.nn.mlp.MLP, got {name}={network!r}")
        arrays[f"{name}_sizes"] = np.array(network.sizes)
        arrays[f"{name}_activation"] = np.array(network.activation)
        arrays[f"{name}_leaky_slope"] = np.array(float(network.leaky_slope))
        arrays[f"{name}_parameters"] = network.parameters.copy()
    clash = set(arrays) & set(extra_arrays)
    if clash:
        raise ValueError(f"extra array names clash with the stored networks: {sorted(clash)}")
    np.savez(path, **arrays, **extra_arrays)


def load_pair(path) -> dict:
    """Load what :func:`save_pair` saved, with ``allow_pickle=False``.

    Returns
    -------
    dict
        ``"generator"`` and ``"discriminator"`` (MLPs) and ``"arrays"`` (every stored array by name).
    """
    with np.load(path, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    version = int(arrays.get("format_version", -1))
    if version != _FORMAT_VERSION:
        raise ValueError(f"{path!r} is not a ganmath GAN file of format version {_FORMAT_VERSION} (found {version})")
    networks = {}
    for name in ("generator", "discriminator"):
        network = MLP(
            tuple(int(s) for s in arrays[f"{name}_sizes"]),
            np.random.default_rng(0),
            activation=str(arrays[f"{name}_activation"]),
            leaky_slope=float(arrays[f"{name}_leaky_slope"]),
        )
        network.set_parameters(arrays[f"{name}_parameters"])
        networks[name] = network
    return {**networks, "arrays": arrays}
