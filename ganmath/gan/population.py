r"""Algorithm 1 of Goodfellow et al. (2014) for 1-D data, on R independent runs at once.

For each training iteration:

1. *k* times: draw *m* data :math:`x_i \sim p_\mathrm{data}` and *m* noise :math:`z_i \sim p_z`, and
   update D by one step *ascending* :math:`\frac1m \sum_i [\log D(x_i) + \log(1 - D(G(z_i)))]`
   (descending D's cross-entropy :func:`ganmath.nn.losses.discriminator_loss`);
2. draw *m* fresh noise samples and update G by one step descending the generator loss:
   ``"minimax"`` :math:`\frac1m\sum\log(1 - D(G(z_i)))` as printed in Algorithm 1, ``"non-saturating"``
   :math:`-\frac1m\sum\log D(G(z_i))` (the paper's Section 3), or ``"maximum-likelihood"``.

A :class:`Population` holds R runs: every weight, minibatch and optimizer state has a leading run axis,
and each product is a stacked matrix product in which a run sees only its own rows. Each run has its own
seed and its own :class:`numpy.random.Generator`, drawn from in the order a single run draws (G's initial
weights, D's, then every minibatch), so run i of a population is the run ``GAN(seed=seeds[i])``
(:class:`ganmath.gan.GAN` *is* a population of one; their numbers differ only by the rounding of the
stacked products, about 1e-16 relative at the first step).

A claim about one seeded run is an anecdote: a GAN run is chaotic in the last bits of its arithmetic,
and another BLAS kernel gives another run. A population gives the rate, over seeds, at which a claim
holds.

Usage::

    import ganmath as gm
    from ganmath.gan import GAN, Population

    population = Population(gm.Normal(4, 0.5), seeds=range(32))
    population.train(3000)
    js = population.js_divergences()          # shape (32,): the exact JS of every run
    (js < 0.01).mean()
    GAN.from_population(population, 3)       # run 3 as a GAN, to look at or to train on alone
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from ganmath._validation import check_callback, check_choice, check_positive_int
from ganmath.core.costs import GENERATOR_LOSSES
from ganmath.core.densities import Density, draw_raw
from ganmath.gan.history import History
from ganmath.gan.runs import Runs, gradient_norms
from ganmath.gan.settings import Settings
from ganmath.nn.losses import discriminator_loss_stacked, generator_loss
from ganmath.nn.mlp import MLP, Workspace
from ganmath.nn.optimizers import make_optimizer

__all__ = ["Population"]

def _reach(density: Density, q: float) -> float:
    """The end of ``density``'s support on the side of quantile ``q`` where it is finite, else its quantile ``q``."""
    end = density.support[0] if q < 0.5 else density.support[1]
    return float(end) if np.isfinite(end) else float(density.ppf(q))


class Population(Runs):
    r"""R independent runs of Algorithm 1 on the same data, trained at once.

    Parameters
    ----------
    data : Density
        :math:`p_\mathrm{data}`, sampled with ``data.sample(m, rng)``.
    noise : Density, optional
        :math:`p_z`: ``Normal(0, 1)`` by default, or ``Uniform(-1, 1)`` as in the paper's Figure 1.
    seeds : iterable of (int, numpy.random.SeedSequence or numpy.random.Generator)
        One per run: the source of that run's initial weights (G first, then D) and minibatches.
    generators, discriminators : sequence of MLP, optional
        Networks to start from instead of new ones, one per run (copied; their sizes and activations
        then override the hidden/activation settings).
    on_nonfinite : {"record", "raise"}
        A run whose loss, gradient or weights become non-finite is recorded in ``diverged_at`` and goes on as
        NaN (the default), or raises :class:`ganmath.gan.runs.NonFiniteError` (what a single run does).
    **settings
        The keywords of :class:`ganmath.gan.settings.Settings` (k, m, generator_loss, optimizer, learning
        rates, momentum, betas, label_smoothing, hidden widths, activations).

    Attributes
    ----------
    n_runs : int
    settings : Settings
    rngs : list of numpy.random.Generator
    generator, discriminator : MLP
        Stacks of R networks (parameters of shape ``(R, P)``).
    iteration, discriminator_steps, generator_steps : int
        Completed Algorithm-1 iterations, and all steps taken (single steps included).
    history : History
        Every step's losses, gradient norms and mean D values, as arrays of shape ``(R,)`` (a GAN's
        population keeps ``History(one_run=True)``: floats).
    diverged_at : ndarray of int, shape (R,)
        The iteration at which a run's loss, gradient or weights became non-finite, -1 if never. Such a
        run goes on as NaN, apart from the others; its measurements are NaN.
    """

    def __init__(self, data: Density, noise: Density | None = None, *, seeds=range(32), generators=None,
                 discriminators=None, on_nonfinite: str = "record", **settings):
        s = self.settings = Settings.from_keywords(**settings)
        super().__init__(data, noise, seeds, {
            "generator": (generators, (1, *s.generator_hidden, 1), s.generator_activation),
            "discriminator": (discriminators, (1, *s.discriminator_hidden, 1), s.discriminator_activation),
        }, on_nonfinite=on_nonfinite)
        self._make_optimizers()
        self.history = History()

    def _make_optimizers(self):
        s = self.settings
        common = {"momentum": s.momentum, "betas": s.betas}
        self.optimizer_generator = make_optimizer(
            s.optimizer, self.generator.parameters, self.generator.gradients, lr=s.lr_generator, **common)
        self.optimizer_discriminator = make_optimizer(
            s.optimizer, self.discriminator.parameters, self.discriminator.gradients, lr=s.lr_discriminator, **common)

    def __repr__(self):
        return (f"Population(data={self.data!r}, noise={self.noise!r}, n_runs={self.n_runs}, "
                f"iteration={self.iteration}, settings={self.settings!r})")

    def update_settings(self, **changes):
        """Change settings in the middle of a run: learning rates, momentum, betas, k, m, the generator
        loss, label smoothing, and the optimizer (a new optimizer starts from a zero state; the others
        keep their moment estimates). The networks' sizes and activations cannot change."""
        fixed = {"generator_hidden", "discriminator_hidden", "generator_activation", "discriminator_activation"}
        if fixed & set(changes):
            raise ValueError(f"{sorted(fixed & set(changes))} cannot change during a run; start a new one")
        old, new = self.settings, self.settings.replace(**changes)
        self.settings = new
        if (new.optimizer, new.momentum, new.betas) != (old.optimizer, old.momentum, old.betas):
            if new.optimizer == old.optimizer:
                for opt in (self.optimizer_generator, self.optimizer_discriminator):
                    if new.optimizer == "sgd":
                        opt.momentum = new.momentum
                    elif new.optimizer == "adam":
                        opt.beta1, opt.beta2 = new.betas
            else:
                self._make_optimizers()
        self.optimizer_generator.lr = new.lr_generator
        self.optimizer_discriminator.lr = new.lr_discriminator

    def copy(self) -> "Population":
        """An independent population in the same state (networks, optimizer states, counters, random
        generators, divergence record; a fresh history): training both gives the same numbers."""
        # Networks given: the copied generators are not drawn from.
        twin = Population(self.data, self.noise, seeds=self.copied_generators(),
                          generators=[self.generator.network(i) for i in range(self.n_runs)],
                          discriminators=[self.discriminator.network(i) for i in range(self.n_runs)],
                          on_nonfinite=self.on_nonfinite, **self.settings.as_dict())
        twin.seeds = list(self.seeds)
        for mine, theirs in ((twin.optimizer_generator, self.optimizer_generator),
                             (twin.optimizer_discriminator, self.optimizer_discriminator)):
            mine.load_state({key: np.array(value, copy=True) for key, value in theirs.state().items()})
        twin.iteration, twin.discriminator_steps, twin.generator_steps = (
            self.iteration, self.discriminator_steps, self.generator_steps)
        twin.diverged_at = self.diverged_at.copy()
        return twin

    def _iterate(self):
        # A generator call costs microseconds whatever its size, and an iteration takes 2k + 1 minibatches
        # per run. When data and noise transform the same raw draws, each run draws the iteration's
        # (2k + 1) m numbers in one call, which the steps take in their order: data, noise (k times), noise.
        # A generator's draws follow one another in its stream, so these are the numbers of one call per
        # minibatch, and the run is the same to the bit.
        method = self.data.raw_draws
        if method is None or method != self.noise.raw_draws:
            return super()._iterate()
        m = self.settings.m
        raw = self._buffer("draws", (self.n_runs, (2 * self._inner_steps() + 1) * m))
        draw_raw(raw, self.rngs, method)
        self._draws = (raw, 0)
        try:
            super()._iterate()
            if self._draws[1] != raw.shape[1]:
                raise RuntimeError(f"an iteration took {self._draws[1]} draws per run, not {raw.shape[1]}")
        finally:
            self._draws = None

    # --- the steps of Algorithm 1 --------------------------------------------------------------

    def _check_weights(self, what: str, network: MLP):
        """After an update: the weights of every run are finite."""
        parameters = network.parameters
        ok = np.isfinite(np.einsum("rp,rp->r", parameters, parameters))

        def detail():
            bad = int(np.count_nonzero(~np.isfinite(parameters)))
            return f"the {what} weights became non-finite ({bad} of {parameters.size}) after the update"

        self._flag(ok, detail)

    def _discriminator_step(self):
        m, R, s = self.settings.m, self.n_runs, self.settings
        batch = self._buffer("batch", (R, 2 * m, 1))
        noise = self._buffer("noise", (R, m, 1))
        self._sample(self.data, batch[:, :m])  # each run draws its data, then its noise, as a single run does
        self._sample(self.noise, noise)
        fake, _ = self.generator.forward(noise, self._workspace(("generator", m)))
        batch[:, m:] = fake
        loss, logits = self._discriminator_gradients(batch, m, self._workspace(("discriminator", 2 * m)),
                                                     s.label_smoothing)
        probabilities = special.expit(logits[:, :, 0])  # D on the batch: its means are what the history keeps
        mean_real, mean_fake = probabilities[:, :m].mean(axis=1), probabilities[:, m:].mean(axis=1)
        grad_norm = gradient_norms(self.discriminator)
        self._check_step("discriminator", loss, grad_norm)
        self.optimizer_discriminator.step()
        self._check_weights("discriminator", self.discriminator)
        self.history.record(discriminator_iteration=self.iteration, discriminator_loss=loss,
                            discriminator_grad_norm=grad_norm, discriminator_real=mean_real,
                            discriminator_fake=mean_fake)
        self.discriminator_steps += 1

    def _discriminator_gradients(self, batch, n_real: int, workspace, smoothing: float = 0.0):
        """D's loss on ``batch`` (shape (R, n, 1); the first ``n_real`` rows real, the rest generated), its
        gradients left in ``self.discriminator.gradients``; returns the loss per run and D's logits on the batch."""
        logits, cache = self.discriminator.forward(batch, workspace)
        loss, grad = discriminator_loss_stacked(logits, n_real, smoothing)
        self.discriminator.zero_grad()
        self.discriminator.backward(grad, cache, input_gradient=False, workspace=workspace)
        return loss, logits

    def _generator_gradients(self, noise, generator_workspace, discriminator_workspace, loss_name=None):
        """G's loss on ``noise`` (shape (R, n, 1)) through the current D (the ``generator_loss`` setting, or
        ``loss_name``), its gradients left in ``self.generator.gradients``; returns the loss per run and D's logits
        on G(noise)."""
        fake, generator_cache = self.generator.forward(noise, generator_workspace)
        logits, discriminator_cache = self.discriminator.forward(fake, discriminator_workspace)
        loss, grad_logits = generator_loss(logits, self.settings.generator_loss if loss_name is None else loss_name)
        grad_fake = self.discriminator.backward_inputs(grad_logits, discriminator_cache,
                                                       workspace=discriminator_workspace)
        self.generator.zero_grad()
        self.generator.backward(grad_fake, generator_cache, input_gradient=False, workspace=generator_workspace)
        return loss, logits

    def generator_loss_and_gradient(self, noise):
        """G's loss of every run on a noise batch through the current D (the ``generator_loss`` setting), its gradient
        left in ``generator.gradients``, without a step: what a gradient check, or a look at the gradient's size,
        reads.

        Parameters
        ----------
        noise : ndarray, shape (R, m, 1)

        Returns
        -------
        ndarray, shape (R,)
        """
        noise = np.ascontiguousarray(noise, dtype=float)
        if noise.ndim != 3 or noise.shape[0] != self.n_runs or noise.shape[2] != 1:
            raise ValueError(f"noise must have shape ({self.n_runs}, m, 1), got noise.shape={noise.shape}")
        m = noise.shape[1]
        loss, _ = self._generator_gradients(noise, self._workspace(("generator", m)), self._workspace(("discriminator", m)))
        return loss

    def _generator_step(self):
        m, R = self.settings.m, self.n_runs
        noise = self._buffer("noise", (R, m, 1))
        self._sample(self.noise, noise)
        loss, logits = self._generator_gradients(noise, self._workspace(("generator", m)),
                                                 self._workspace(("discriminator", m)))
        grad_norm = gradient_norms(self.generator)
        mean_fake = np.mean(special.expit(logits[:, :, 0]), axis=1)
        self._check_step("generator", loss, grad_norm, loss_name=self.settings.generator_loss)
        self.optimizer_generator.step()
        self._check_weights("generator", self.generator)
        self.history.record(generator_iteration=self.iteration, generator_loss=loss, generator_grad_norm=grad_norm,
                     generator_fake=mean_fake)
        self.generator_steps += 1

    def fit_discriminators(self, steps: int, *, lr: float = 1e-3, grid=None):
        r"""Train every run's D alone, G frozen, on the *exact* expectations of the value function:
        D descends :math:`-\int p_\mathrm{data} \log D - \int p_g \log(1 - D)`, with the exact
        :math:`p_g` of each run, by Adam (a fresh one; the run's own optimizer is left as it was).

        This is the inner loop of Algorithm 1 with its minibatches replaced by their limit, m -> infinity:
        there is no sampling noise, so what remains of :math:`\sup|D - D^*|` after it is the network's
        capacity and the number of steps, not the batch size.

        Parameters
        ----------
        steps : int
        lr : float
        grid : array_like, optional
            Evenly spaced points on which the integrals are taken by the midpoint rule, the same for every
            run; by default each run has its own 4,001 points, covering the data's central 1 - 2e-6 and that
            run's p_g (its support, or its central 1 - 2e-6 where the support is unbounded; so that a run's inner loop does not depend on the other runs of the population: run r
            of a population is the run of the same seed trained alone).
        """
        from ganmath.nn.optimizers import Adam

        steps = check_positive_int("steps", steps)
        densities = [self._generator_density(r) for r in range(self.n_runs)]
        if grid is None:
            low, high = (float(v) for v in self.data.ppf([1e-6, 1 - 1e-6]))
            grids = np.array([np.linspace(min(low, _reach(d, 1e-6)), max(high, _reach(d, 1 - 1e-6)), 4001)
                              for d in densities])
        else:
            grid = np.asarray(grid, dtype=float)
            spacing = np.diff(grid)
            if grid.ndim != 1 or grid.size < 2 or not np.allclose(spacing, spacing[0], rtol=1e-9):
                raise ValueError("grid must be 1-D, evenly spaced, with at least 2 points")
            grids = np.broadcast_to(grid, (self.n_runs, grid.size))
        steps_x = grids[:, 1] - grids[:, 0]
        data_weight = self.data.pdf(grids) * steps_x[:, None]
        generator_weight = np.array([d.pdf(g) * step for d, g, step in zip(densities, grids, steps_x)])
        total = data_weight + generator_weight
        inputs = np.ascontiguousarray(grids[:, :, None])
        network, workspace = self.discriminator, Workspace()
        optimizer = Adam(network.parameters, network.gradients, lr=lr, beta1=self.settings.betas[0],
                         beta2=self.settings.betas[1])
        grad = np.empty(inputs.shape)
        for _ in range(steps):
            logits, cache = network.forward(inputs, workspace)
            # d/da of -w_data log(expit a) - w_g log(expit -a) = expit(a) (w_data + w_g) - w_data
            special.expit(logits, out=grad)
            grad[:, :, 0] *= total
            grad[:, :, 0] -= data_weight
            network.zero_grad()
            network.backward(grad, cache, input_gradient=False, workspace=workspace)
            optimizer.step()
        self.discriminator_steps += steps

    def fit_generators(self, steps: int, *, lr: float = 1e-3, n_points: int = 2001, loss: str | None = None,
                       optimizer: str = "adam"):
        r"""Train every run's G alone, D frozen, on the *exact* expectation over the noise: G descends its
        loss (the ``generator_loss`` setting, or ``loss``) averaged over the noise's midpoint quantiles
        :math:`z_i = F_z^{-1}((i - \tfrac12)/n)`, by Adam or by plain gradient descent (a fresh optimizer; the
        run's own is left as it was).

        The generator's step of Algorithm 1 with its minibatch replaced by its limit, m -> infinity, the
        counterpart of :meth:`fit_discriminators`: no sampling noise, so G moves where D's gradient points.

        Parameters
        ----------
        steps : int
        lr : float
        n_points : int
            Quantiles of the noise the expectation is taken over.
        loss : {"minimax", "non-saturating", "maximum-likelihood"}, optional
            G's loss for these steps; the run's ``generator_loss`` setting by default. With D at its optimum
            :math:`D^*`, the gradient of the minimax loss is that of the criterion C(G) (Goodfellow et al. 2014,
            Proposition 2), so small steps of gradient descent on it lower the JS.
        optimizer : {"adam", "sgd"}
            Adam with the run's betas, or plain gradient descent (no momentum), whose steps are ``lr`` times the
            gradient.
        """
        from ganmath.nn.optimizers import SGD, Adam

        steps = check_positive_int("steps", steps)
        n_points = check_positive_int("n_points", n_points)
        if loss is not None:
            loss = check_choice("loss", loss, GENERATOR_LOSSES)
        if optimizer not in ("adam", "sgd"):
            raise ValueError(f"optimizer must be 'adam' or 'sgd', got optimizer={optimizer!r}")
        z = self.noise.ppf((np.arange(n_points) + 0.5) / n_points)
        inputs = self.for_every_run(z)
        generator_workspace, discriminator_workspace = Workspace(), Workspace()
        if optimizer == "adam":
            step = Adam(self.generator.parameters, self.generator.gradients, lr=lr, beta1=self.settings.betas[0],
                        beta2=self.settings.betas[1])
        else:
            step = SGD(self.generator.parameters, self.generator.gradients, lr=lr)
        for _ in range(steps):
            self._generator_gradients(inputs, generator_workspace, discriminator_workspace, loss)
            step.step()
        self.generator_steps += steps

    def train_exact(self, iterations: int, *, k: int = 5, lr_discriminator: float = 5e-4,
                    lr_generator: float = 5e-5, n_points: int = 2001, callback=None, callback_every: int = 1):
        r"""Algorithm 1 with both minibatches replaced by their limit, m -> infinity: each iteration takes
        ``k`` steps of D on the exact value function, then one step of G on its exact loss (the
        ``generator_loss`` setting), by Adam (fresh ones for the call; the run's own optimizers are left as
        they were).

        The expectations are midpoint rules in the quantiles: over :math:`x_i = F_\mathrm{data}^{-1}((i -
        \tfrac12)/n)` for the data and over :math:`G(z_i)`, :math:`z_i = F_z^{-1}((i - \tfrac12)/n)`, for
        :math:`p_g`, so no density of G is needed. Without sampling noise, D follows its optimum for the
        current G and G improves the criterion: the procedure of Proposition 2, as far as the networks'
        capacity allows. The counterpart, for both networks at once, of :meth:`fit_discriminators` and
        :meth:`fit_generators`; the ``iteration`` counter (of minibatch iterations) is not advanced.

        Parameters
        ----------
        iterations : int
        k : int
            D steps per G step.
        lr_discriminator, lr_generator : float
        n_points : int
            Quantiles of the data, and of the noise, that the expectations are taken over.
        callback : callable, optional
            ``callback(self)`` after every ``callback_every`` iterations; returning ``True`` stops the
            phase (the step counters say how far it went).
        callback_every : int >= 1
        """
        from ganmath.nn.optimizers import Adam

        iterations = check_positive_int("iterations", iterations)
        k = check_positive_int("k", k)
        n_points = check_positive_int("n_points", n_points)
        callback_every = check_callback(callback, callback_every)
        betas = {"beta1": self.settings.betas[0], "beta2": self.settings.betas[1]}
        optimizer_d = Adam(self.discriminator.parameters, self.discriminator.gradients, lr=lr_discriminator, **betas)
        optimizer_g = Adam(self.generator.parameters, self.generator.gradients, lr=lr_generator, **betas)
        quantiles = (np.arange(n_points) + 0.5) / n_points
        noise = self.for_every_run(self.noise.ppf(quantiles))
        batch = np.empty((self.n_runs, 2 * n_points, 1))
        batch[:, :n_points] = self.for_every_run(self.data.ppf(quantiles))
        generator_workspace, discriminator_workspace, through_d = Workspace(), Workspace(), Workspace()
        for count in range(1, iterations + 1):
            fake, _ = self.generator.forward(noise, generator_workspace)
            batch[:, n_points:] = fake
            for _ in range(k):
                self._discriminator_gradients(batch, n_points, discriminator_workspace)
                optimizer_d.step()
            self._generator_gradients(noise, generator_workspace, through_d)
            optimizer_g.step()
            self.discriminator_steps += k
            self.generator_steps += 1
            if callback is not None and count % callback_every == 0 and callback(self) is True:
                break

    # --- runs and what they measure --------------------------------------------------------------

    def snapshot(self, run: int, grid=None):
        """The :class:`ganmath.gan.snapshot.Snapshot` of run ``run`` now (D, D*, the exact p_g, JS, sup|D - D*| on
        ``grid``; by default the grid a GAN of this run would have), as :meth:`ganmath.gan.GAN.snapshot` gives."""
        from ganmath.gan.snapshot import RunState, default_grid, measure

        run = self.check_run(run)
        generator, discriminator = self.generator.view(run), self.discriminator.view(run)
        grid = default_grid(self.data, self.noise, generator) if grid is None else np.asarray(grid, dtype=float)
        return measure(RunState(self.data, self.noise, generator, discriminator, grid, self.iteration,
                                self.discriminator_steps, self.generator_steps))

    def js_divergences(self) -> np.ndarray:
        """JS(p_data, p_g) in nats for every run, with the exact p_g, shape ``(R,)``.

        NaN for a run that diverged or whose p_g has a point mass (no density, so no JS).
        """
        from ganmath.gan.snapshot import run_js

        return np.array([run_js(self.data, self.noise, self.generator.network(r)) if self.diverged_at[r] < 0
                         else math.nan for r in range(self.n_runs)])

    def sup_discriminator_gaps(self) -> np.ndarray:
        r""":math:`\sup|D - D^*|` over the central 95% of p_data for every run, shape ``(R,)`` (NaN as in
        :meth:`js_divergences`)."""
        from ganmath.gan.snapshot import run_sup_gap

        return np.array([run_sup_gap(self.data, self.noise, self.generator.network(r), self.discriminator.network(r))
                         if self.diverged_at[r] < 0 else math.nan for r in range(self.n_runs)])

