r"""The interactive 1-D GAN trainer's logic: settings, actions and readouts, without widgets.

A :class:`Trainer` holds a :class:`ganmath.gan.GAN` built from validated settings (the data preset or a
mixture built from parameters, the noise prior, the network sizes, the generator loss, the optimizer, the
learning rates, k and m) and answers the buttons of the application (:mod:`ganmath.ui.trainer_app`):

- :meth:`Trainer.step_discriminator` ("Step D"), :meth:`Trainer.step_generator` ("Step G"),
  :meth:`Trainer.iterate` ("Iterate", one Algorithm-1 iteration: k D steps then one G step),
  :meth:`Trainer.reset` ("Reset", the same seed again, so the run repeats bit for bit);
- after each action it records the readouts (:class:`Readout`): the losses, JS(p_data, p_g),
  C(G) (to compare with its minimum :math:`-\log 4`) and :math:`\sup|D - D^*|`; and
  :meth:`Trainer.picture` gives the data of the live picture (:class:`Picture`): p_data, the exact p_g,
  the learned D, the exact D*, the z-to-x mapping and the generator's gradient at sample points.

JS and C(G) are computed from the exact p_g (:class:`ganmath.gan.pushforward.GeneratorDensity`) with a fixed
Gauss-Legendre rule on panels that start at every breakpoint of both densities (the fold spikes of p_g
included), so that a readout costs a few milliseconds; :func:`fixed_rule_readouts` (the JS and C(G))
are compared with the adaptive :func:`ganmath.js_divergence` and
:func:`ganmath.virtual_criterion` in the tests. C(G) is integrated directly, not derived from JS, so the
identity :math:`C(G) = -\log 4 + 2\,\mathrm{JS}` (Goodfellow et al. 2014, Theorem 1) is a live check.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from ganmath._validation import (
    check_positive_int,
    check_seed,
)
from ganmath.constants import LOG2
from ganmath.core.costs import generator_cost_grad
from ganmath.core.densities import Density
from ganmath.core.divergences import weighted
from ganmath.core.presets import data_preset, mixture_from_parameters, noise_prior
from ganmath.core.quadrature import fixed_rule_nodes, panel_edges
from ganmath.core.theory import optimal_discriminator_logit
from ganmath.gan import GAN, NonFiniteError, Settings
from ganmath.gan.pushforward import GeneratorDensity, PointMassError

__all__ = [
    "DATA_PRESETS",
    "LIVE_SETTINGS",
    "STRONG_DISCRIMINATOR",
    "data_preset_density",
    "fixed_rule_readouts",
    "generator_gradient_at",
    "TrainerSettings",
    "Readout",
    "Picture",
    "Trainer",
]


#: The data the trainer offers: named presets of :mod:`ganmath.core.presets`, and a mixture set by sliders.
DATA_PRESETS = ("one Gaussian", "two modes", "three modes", "uniform", "N(4, 0.5)", "mixture")
#: Settings that change in the middle of a run (the optimizers keep their state unless the optimizer changes);
#: every other setting (data, noise, sizes, seed) starts a new run.
LIVE_SETTINGS = ("lr_discriminator", "lr_generator", "generator_loss", "k", "m", "optimizer")
#: The "strong D" start: G far from N(4, 0.5), D trained alone first with SGD, the minimax loss: saturation.
STRONG_DISCRIMINATOR = {"data": "N(4, 0.5)", "noise": "normal", "optimizer": "sgd", "lr_discriminator": 1e-2,
                        "lr_generator": 3e-4, "k": 1, "generator_loss": "minimax"}

_MIN_PANELS = 48


def data_preset_density(preset: str, mixture=None) -> Density:
    """p_data for a name of :data:`DATA_PRESETS` (:func:`ganmath.core.presets.data_preset`), or for
    ``"mixture"`` the mixture of the sliders, ``mixture = {"means": ..., "spreads": ..., "weights": ...}``."""
    if preset == "mixture":
        if not isinstance(mixture, dict) or set(mixture) != {"means", "spreads", "weights"}:
            raise ValueError("mixture must be a dict with keys 'means', 'spreads' and 'weights' for "
                             f"data='mixture', got mixture={mixture!r}")
        return mixture_from_parameters(**mixture)
    if preset not in DATA_PRESETS:
        raise ValueError(f"data must be one of {DATA_PRESETS}, got data={preset!r}")
    return data_preset(preset)


# ---------------------------------------------------------------------------------------------------------
# Fast readouts from the exact p_g
# ---------------------------------------------------------------------------------------------------------


def fixed_rule_readouts(p_data: Density, p_g: Density, *, n_panels: int = _MIN_PANELS) -> tuple[float, float]:
    r"""JS(p_data, p_g) and C(G), both from one evaluation of the two log densities on the same nodes.

    .. math:: \mathrm{JS} = \log 2 - \tfrac12 \int p\,\mathrm{softplus}(\log q - \log p)
              + q\,\mathrm{softplus}(\log p - \log q)\,dx, \qquad
              C(G) = \int p\,\log D^* + q\,\log(1 - D^*)\,dx

    with :math:`p = p_\mathrm{data}`, :math:`q = p_g` and
    :math:`\log D^* = \log p - \operatorname{logaddexp}(\log p, \log q)`. An 8-point Gauss-Legendre rule
    on at least ``n_panels`` panels that start at every breakpoint of both densities (so the integrable
    spikes of a generator's density sit at panel ends). Not adaptive: a few milliseconds; the tests compare
    it with the adaptive :func:`ganmath.js_divergence` and :func:`ganmath.virtual_criterion`. C(G) is not
    derived from JS, so :math:`C(G) = -\log 4 + 2\,\mathrm{JS}` (Theorem 1) stays a check.

    Returns
    -------
    js : float
        In nats, within [0, log 2].
    criterion : float
        C(G); its minimum is :math:`-\log 4`, at p_g = p_data.
    """
    x, w = fixed_rule_nodes(panel_edges(p_data, p_g), check_positive_int("n_panels", n_panels))
    log_p, log_q = p_data.logpdf(x), p_g.logpdf(x)
    with np.errstate(invalid="ignore"):
        overlap = weighted(log_p, np.logaddexp(0.0, log_q - log_p)) + weighted(
            log_q, np.logaddexp(0.0, log_p - log_q))
        log_sum = np.logaddexp(log_p, log_q)
        integrand = weighted(log_p, log_p - log_sum) + weighted(log_q, log_q - log_sum)
    js = min(max(LOG2 - 0.5 * float(w @ overlap), 0.0), LOG2)
    return js, float(w @ integrand)


def generator_gradient_at(discriminator, x, loss: str) -> np.ndarray:
    r"""How a generator step pushes a generated point x: :math:`-\frac{d}{dx} c(a(x))`.

    With D's logit :math:`a(x)` and the per-sample generator cost :math:`c` of ``loss``
    (:mod:`ganmath.nn.losses`), a step of G moves a sample :math:`x = G(z)` along
    :math:`-c'(a)\,a'(x)` (times the learning rate and G's own Jacobian): positive means to the right.

    Parameters
    ----------
    discriminator : ganmath.nn.mlp.MLP
        D's network (1 input, 1 output: the logit).
    x : array_like, shape (n,)
    loss : {"minimax", "non-saturating", "maximum-likelihood"}

    Returns
    -------
    ndarray, shape (n,)
    """
    x = np.asarray(x, dtype=float).reshape(-1, 1)
    logits, cache = discriminator.forward(x)
    grad_logits = generator_cost_grad(logits, loss)
    return -discriminator.backward_inputs(grad_logits, cache)[:, 0]


# ---------------------------------------------------------------------------------------------------------
# Settings, readouts, picture
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainerSettings:
    """Everything the trainer's controls set. Validated by :meth:`validated`.

    ``mixture`` holds ``{"means": ..., "spreads": ..., "weights": ...}`` for ``data="mixture"``.
    """

    data: str = "one Gaussian"
    mixture: dict = field(default_factory=lambda: {"means": [-1.5, 2.5], "spreads": [0.5, 0.7], "weights": [0.4, 0.6]})
    noise: str = "normal"
    generator_width: int = 32
    generator_depth: int = 2
    discriminator_width: int = 32
    discriminator_depth: int = 2
    generator_loss: str = "non-saturating"
    optimizer: str = "adam"
    lr_discriminator: float = 2e-3
    lr_generator: float = 1e-3
    k: int = 2
    m: int = 64
    seed: int = 0

    def gan_settings(self) -> Settings:
        """The GAN's :class:`ganmath.gan.Settings` these controls give, checked there (k, m, the generator loss, the
        optimizer, the learning rates, the networks' widths and depths)."""
        return Settings.from_keywords(
            k=self.k, m=self.m, generator_loss=self.generator_loss, optimizer=self.optimizer,
            lr_discriminator=self.lr_discriminator, lr_generator=self.lr_generator,
            generator_hidden=(self.generator_width,) * self.generator_depth,
            discriminator_hidden=(self.discriminator_width,) * self.discriminator_depth)

    def validated(self) -> "TrainerSettings":
        """The settings, checked: each bad value raises ValueError/TypeError naming its parameter."""
        data_preset_density(self.data, self.mixture)
        noise_prior(self.noise)
        for name in ("generator_width", "generator_depth", "discriminator_width", "discriminator_depth"):
            check_positive_int(name, getattr(self, name))
        self.gan_settings()
        check_seed("seed", self.seed)
        return self


@dataclass
class Readout:
    """The numbers after one action.

    ``action`` is "start", "step D", "step G" or "iterate"; ``iteration`` the Algorithm-1 iterations
    done; the losses are the last D and G batch losses (NaN before the first step of each);
    ``js`` JS(p_data, p_g) in nats; ``criterion`` C(G) (minimum -log 4); ``sup_gap`` sup|D - D*| on the
    central 95% of p_data. JS, C(G) and the gap are NaN when p_g has a point mass.
    """

    update: int
    action: str
    iteration: int
    discriminator_steps: int
    generator_steps: int
    discriminator_loss: float
    generator_loss: float
    js: float
    criterion: float
    sup_gap: float


@dataclass
class Picture:
    """The live picture's data (shapes: ``x`` and the curves (n_grid,), ``z`` and ``generated`` (n_z,)).

    ``generated = G(z)`` for noise quantiles ``z`` (the arrows of the paper's Figure 1);
    ``push = -d c(a(x))/dx`` at ``generated``: how a G step moves each sample (see
    :func:`generator_gradient_at`).
    """

    x: np.ndarray
    p_data: np.ndarray
    p_g: np.ndarray
    discriminator: np.ndarray
    optimal_discriminator: np.ndarray
    z: np.ndarray
    generated: np.ndarray
    push: np.ndarray


class Trainer:
    """A GAN and its readouts, driven one action at a time.

    Parameters
    ----------
    **settings
        Fields of :class:`TrainerSettings` (defaults: one Gaussian N(2, 0.6), normal noise, 1-32-32-1 networks,
        non-saturating loss, Adam, learning rates 2e-3 for D and 1e-3 for G, k = 2, m = 64, seed 0).
    n_grid : int
        Points of the picture's x grid.
    n_samples : int
        Generated points shown with their push (noise quantiles).

    Attributes
    ----------
    gan : ganmath.gan.GAN
    settings : TrainerSettings
    readouts : list of Readout
        One per action since the last reset, the first at the start.
    failure : str or None
        Why the last action could not be taken (non-finite training), if it could not.
    """

    def __init__(self, *, n_grid: int = 301, n_samples: int = 25, **settings):
        self.n_grid = check_positive_int("n_grid", n_grid)
        self.n_samples = check_positive_int("n_samples", n_samples)
        if self.n_grid < 2:
            raise ValueError(f"n_grid must be >= 2, got n_grid={n_grid!r}")
        self.settings = TrainerSettings()
        self.configure(**settings)

    def __repr__(self):
        return (f"Trainer(data={self.settings.data!r}, generator_loss={self.settings.generator_loss!r}, "
                f"iteration={self.gan.iteration}, updates={len(self.readouts) - 1})")

    # -- settings --------------------------------------------------------------------------------------

    def change(self, **changes) -> bool:
        """Change settings in the middle of a run where that makes sense, else start a new run.

        Learning rates, the generator loss, k, m and the optimizer (:data:`LIVE_SETTINGS`) change the running
        GAN without a reset; data, noise, network sizes and the seed start over from the seed.

        Returns
        -------
        bool
            True if the run was reset.
        """
        unknown = set(changes) - set(TrainerSettings.__dataclass_fields__)
        if unknown:
            raise TypeError(f"unknown trainer settings {sorted(unknown)}; known: {sorted(TrainerSettings.__dataclass_fields__)}")
        changed = {name: value for name, value in changes.items() if getattr(self.settings, name) != value}
        if not changed:
            return False
        if set(changed) <= set(LIVE_SETTINGS):
            self.settings = TrainerSettings(**{**self.settings.__dict__, **changed}).validated()
            self.gan.update_settings(**changed)
            return False
        self.configure(**changes)
        return True

    def strong_discriminator(self, steps: int = 300) -> Readout:
        """The "strong D" start (:data:`STRONG_DISCRIMINATOR`): a new run on N(4, 0.5) whose D is trained alone
        for ``steps`` SGD steps before G moves, with the minimax loss, so that its saturation is seen live."""
        steps = check_positive_int("steps", steps)
        self.configure(**STRONG_DISCRIMINATOR)
        for _ in range(steps - 1):
            self.gan.step_discriminator()
        return self.step_discriminator()

    def configure(self, **changes) -> None:
        """Change settings (names of :class:`TrainerSettings`) and start over from the seed."""
        unknown = set(changes) - set(TrainerSettings.__dataclass_fields__)
        if unknown:
            raise TypeError(f"unknown trainer settings {sorted(unknown)}; known: {sorted(TrainerSettings.__dataclass_fields__)}")
        merged = {**self.settings.__dict__, **changes}
        self.settings = TrainerSettings(**merged).validated()
        self.reset()

    def reset(self) -> None:
        """A new GAN from the current settings and seed; the readouts start again."""
        s = self.settings
        self.data = data_preset_density(s.data, s.mixture)
        self.noise = noise_prior(s.noise)
        self.gan = GAN(self.data, self.noise, seed=s.seed, **s.gan_settings().as_dict())
        # The picture's range: the data's central 99.98% and the generator's starting range, fixed for the run.
        low, high = float(self.gan.grid[0]), float(self.gan.grid[-1])
        self.x = np.linspace(low, high, self.n_grid)
        self.z = self.noise.ppf(np.linspace(0.0, 1.0, self.n_samples + 2)[1:-1])
        self.p_data = self.data.pdf(self.x)
        self.failure = None
        self.readouts: list[Readout] = []
        self._discriminator_loss = math.nan
        self._generator_loss = math.nan
        self._record("start")

    # -- actions ---------------------------------------------------------------------------------------

    def _act(self, action: str, step) -> Readout:
        try:
            losses = step()
        except NonFiniteError as error:
            self.failure = str(error)
            raise
        if action == "step D":
            self._discriminator_loss = losses
        elif action == "step G":
            self._generator_loss = losses
        else:
            self._discriminator_loss, self._generator_loss = losses
        return self._record(action)

    def step_discriminator(self) -> Readout:
        """One D step on fresh minibatches ("Step D"); the iteration counter stays."""
        return self._act("step D", self.gan.step_discriminator)

    def step_generator(self) -> Readout:
        """One G step on fresh noise ("Step G"); the iteration counter stays."""
        return self._act("step G", self.gan.step_generator)

    def iterate(self, n: int = 1) -> Readout:
        """``n`` Algorithm-1 iterations ("Iterate"); readouts recorded after the last one."""
        n = check_positive_int("n", n)
        for _ in range(n - 1):
            self._discriminator_loss, self._generator_loss = self.gan.iterate()
        return self._act("iterate", self.gan.iterate)

    # -- readouts --------------------------------------------------------------------------------------

    def generator_density(self):
        """The exact p_g of the current generator, or None when it has a point mass (a coarser first grid than
        the default, 513 points of each kind: a live picture redrawn 25 times a second)."""
        try:
            return GeneratorDensity(self.gan.generator, self.noise, grid_size=513)
        except PointMassError:
            return None

    def _record(self, action: str) -> Readout:
        p_g = self.generator_density()
        self._p_g = p_g
        if p_g is None:
            js = criterion = gap = math.nan
        else:
            js, criterion = fixed_rule_readouts(self.data, p_g)
            gap = self.gan.sup_discriminator_gap(p_g)
        readout = Readout(
            update=len(self.readouts), action=action, iteration=self.gan.iteration,
            discriminator_steps=self.gan.discriminator_steps, generator_steps=self.gan.generator_steps,
            discriminator_loss=float(self._discriminator_loss), generator_loss=float(self._generator_loss),
            js=js, criterion=criterion, sup_gap=gap,
        )
        self.readouts.append(readout)
        return readout

    @property
    def last(self) -> Readout:
        """The readout after the last action."""
        return self.readouts[-1]

    def curves(self) -> dict:
        """Every readout field as an array over the updates since the last reset."""
        names = [name for name in Readout.__dataclass_fields__ if name != "action"]
        return {name: np.array([getattr(r, name) for r in self.readouts]) for name in names}

    def picture(self) -> Picture:
        """The live picture's data for the current state."""
        x, gan = self.x, self.gan
        logit = gan.discriminator_logit(x)
        p_g = self._p_g
        if p_g is None:
            density = d_star = np.full(x.shape, np.nan)
        else:
            log_q = p_g.logpdf(x)
            density = np.exp(log_q)
            with np.errstate(invalid="ignore"):
                logit_star = optimal_discriminator_logit(self.data, p_g, x)
            d_star = special.expit(logit_star)
        generated = gan.generator(self.z[:, None])[:, 0]
        push = generator_gradient_at(gan.discriminator, generated, gan.generator_loss)
        return Picture(x=x, p_data=self.p_data, p_g=density, discriminator=special.expit(logit),
                       optimal_discriminator=d_star, z=self.z, generated=generated, push=push)
