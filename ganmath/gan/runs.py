r"""R seeded runs of a 1-D generator against a second network, trained at once: what every 1-D trainer shares.

A GAN's discriminator and a WGAN's critic are trained by the same machinery: each run has its own seed and its
own :class:`numpy.random.Generator`, from which it draws its networks' initial weights (the generator's first,
then the second network's) and then every minibatch, in the order a single run draws; the networks of all runs
are stacked (parameters of shape ``(R, P)``), so that each product is a stacked matrix product in which a run
sees only its own rows; buffers and the networks' workspaces are kept between steps; and a run whose loss,
gradient or weights become non-finite is either recorded (a population goes on, the run as NaN) or raised
(a single run stops, with the step that failed).

:class:`ganmath.gan.Population` (cross-entropy, Algorithm 1 of Goodfellow et al. 2014) and
:class:`ganmath.gan.wgan.WGANPopulation` (the critic, with clipping or a gradient penalty) are :class:`Runs` with
their own objective and steps.
"""

from __future__ import annotations

import numpy as np

from ganmath._validation import check_choice, check_positive_int, check_seed
from ganmath.core.densities import Density, Normal, check_density
from ganmath.gan.loop import AlgorithmOne
from ganmath.nn.mlp import MLP, Workspace

__all__ = ["Runs", "NonFiniteError", "ON_NONFINITE", "check_network", "seeded_generators", "gradient_norms"]

#: What happens to a run whose loss, gradient or weights become non-finite: ``"record"`` its iteration in
#: ``diverged_at`` and go on (the run continues as NaN, apart from the others), or ``"raise"`` NonFiniteError.
ON_NONFINITE = ("record", "raise")


class NonFiniteError(FloatingPointError):
    """A loss, a gradient or a weight became NaN or infinite during training."""


def check_network(name: str, network) -> MLP:
    """``network`` if it is a single 1-input, 1-output MLP."""
    if not isinstance(network, MLP) or network.n_runs is not None:
        raise TypeError(f"{name} must be a single ganmath.nn.mlp.MLP, got {name}={network!r}")
    if network.sizes[0] != 1 or network.sizes[-1] != 1:
        raise ValueError(f"{name} must have one input and one output, got sizes={network.sizes}")
    return network


def seeded_generators(seeds) -> tuple[list, list[np.random.Generator]]:
    """``seeds`` as a list, and one :class:`numpy.random.Generator` per seed (a Generator is used as it is).

    Parameters
    ----------
    seeds : iterable of (int, numpy.random.SeedSequence or numpy.random.Generator)
        At least one; a single seed (not in an iterable) raises TypeError.
    """
    if isinstance(seeds, (int, np.integer, np.random.Generator, np.random.SeedSequence)):
        raise TypeError(f"seeds must be an iterable of seeds, one per run, got seeds={seeds!r}")
    try:
        seeds = list(seeds)
    except TypeError:
        raise TypeError(f"seeds must be an iterable of seeds, one per run, got seeds={seeds!r}") from None
    if not seeds:
        raise ValueError("seeds must hold at least one seed")
    return seeds, [check_seed(f"seeds[{i}]", seed) for i, seed in enumerate(seeds)]


def gradient_norms(network: MLP) -> np.ndarray:
    """The Euclidean norm of each run's whole parameter gradient, shape ``(R,)``, for a stack of networks."""
    gradients = network.gradients
    return np.sqrt(np.einsum("rp,rp->r", gradients, gradients))


def _given_networks(name: str, networks, n_runs: int):
    """The networks a caller gave for role ``name`` (plural, e.g. "generators"), one per run, checked; or None."""
    if networks is None:
        return None
    networks = list(networks)
    if len(networks) != n_runs:
        raise ValueError(f"{name} must hold one network per seed ({n_runs}), got {len(networks)}")
    singular = name[:-1]
    return [check_network(f"{singular}[{i}]" if n_runs > 1 else singular, n) for i, n in enumerate(networks)]


class Runs(AlgorithmOne):
    r"""R seeded runs of a 1-D generator against a second network: data, noise, seeds, stacked networks,
    buffers and the policy for a run that diverges. A subclass adds its optimizers and its two steps.

    Parameters
    ----------
    data, noise : Density
        :math:`p_\mathrm{data}`, and :math:`p_z` (``Normal(0, 1)`` when None).
    seeds : iterable of (int, numpy.random.SeedSequence or numpy.random.Generator)
        One per run.
    networks : dict
        ``{attribute: (given, sizes, activation)}`` in the order a run draws its initial weights (the generator
        first): ``given`` a sequence of single MLPs, one per run (copied; then nothing is drawn for them), or
        None for new networks of ``sizes`` and ``activation``; ``attribute`` names the stack (``"generator"``)
        and, with an "s", the networks a caller gives (``"generators"``).
    on_nonfinite : {"record", "raise"}
        See :data:`ON_NONFINITE`.

    Attributes
    ----------
    data, noise : Density
    seeds : list
    rngs : list of numpy.random.Generator
    n_runs : int
    iteration, discriminator_steps, generator_steps : int
        Completed iterations, and all steps of each network taken (single steps included).
    diverged_at : ndarray of int, shape (R,)
        The iteration at which a run became non-finite, -1 if never.
    """

    def __init__(self, data: Density, noise: Density | None, seeds, networks: dict, *, on_nonfinite: str = "record"):
        self.data = check_density("data", data)
        self.noise = Normal(0.0, 1.0) if noise is None else check_density("noise", noise)
        self.on_nonfinite = check_choice("on_nonfinite", on_nonfinite, ON_NONFINITE)
        self.seeds, self.rngs = seeded_generators(seeds)
        given = {name: _given_networks(f"{name}s", spec[0], self.n_runs) for name, spec in networks.items()}
        singles = {name: [] for name in networks}
        for run, rng in enumerate(self.rngs):
            for name, (_, sizes, activation) in networks.items():
                singles[name].append(given[name][run] if given[name] else MLP(sizes, rng, activation=activation))
        self._stacks = tuple(networks)
        for name, nets in singles.items():
            setattr(self, name, MLP.stack(nets))
        self.iteration = self.discriminator_steps = self.generator_steps = 0
        self.diverged_at = np.full(self.n_runs, -1)
        self._workspaces = {}
        self._draws = None

    @property
    def n_runs(self) -> int:
        return len(self.rngs)

    def check_run(self, run) -> int:
        """``run`` as an index of these runs; TypeError or ValueError naming it otherwise."""
        if isinstance(run, (bool, np.bool_)) or not isinstance(run, (int, np.integer)):
            raise TypeError(f"run must be an int, got run={run!r}")
        if not (0 <= run < self.n_runs):
            raise ValueError(f"run must lie in [0, {self.n_runs - 1}], got run={run!r}")
        return int(run)

    def copied_generators(self) -> list[np.random.Generator]:
        """A copy of every run's random generator, in its present state."""
        copies = []
        for rng in self.rngs:
            copy = np.random.Generator(type(rng.bit_generator)())
            copy.bit_generator.state = rng.bit_generator.state
            copies.append(copy)
        return copies

    def nudge_weights(self, ulps: int = 1):
        """Move every weight and bias of both networks by ``ulps`` of its ulps, away from 0 (one ulp:
        ``np.nextafter`` toward +-inf).

        A change in the last bit, as another BLAS kernel or CPU makes: a claim about training that still
        holds after it does not rest on this machine's rounding. 0 changes nothing. Returns the runs.
        """
        ulps = check_positive_int("ulps", ulps, allow_zero=True)
        for name in self._stacks:
            network = getattr(self, name)
            # spacing(w) is the distance from w to the next float away from 0: one ulp of w.
            network.parameters += ulps * np.spacing(network.parameters)
        return self

    def for_every_run(self, points) -> np.ndarray:
        """The same 1-D ``points`` (shape ``(n,)``) as the input of every run: a contiguous array of shape
        ``(R, n, 1)``, what the stacked networks take."""
        points = np.asarray(points, dtype=float)
        return np.ascontiguousarray(np.broadcast_to(points[None, :, None], (self.n_runs, points.size, 1)))

    def generator_density(self, run: int):
        """The exact p_g of run ``run`` (:class:`ganmath.gan.pushforward.GeneratorDensity`); raises
        :class:`NonFiniteError` for a run that diverged, and :class:`ganmath.gan.pushforward.PointMassError`
        when p_g has a point mass."""
        run = self.check_run(run)
        if self.diverged_at[run] >= 0:
            raise NonFiniteError(f"run {run} diverged at iteration {self.diverged_at[run]}")
        return self._generator_density(run)

    def _generator_density(self, run: int):
        from ganmath.gan.pushforward import GeneratorDensity

        return GeneratorDensity(self.generator.network(run), self.noise)

    # --- buffers -----------------------------------------------------------------------------------

    def _workspace(self, key) -> Workspace:
        workspace = self._workspaces.get(key)
        if workspace is None:
            workspace = self._workspaces[key] = Workspace()
        return workspace

    def _buffer(self, key, shape) -> np.ndarray:
        return self._workspace("inputs").get(key, shape)

    def _sample(self, density: Density, out: np.ndarray):
        """Each run's draws from its own generator into ``out[r, :, 0]`` (shape (R, n, 1)): the next ``n`` of
        the raw draws an iteration made beforehand (``self._draws``, set by a subclass), fresh draws otherwise."""
        if self._draws is None:
            density.sample_runs(out[:, :, 0], self.rngs)
            return
        raw, start = self._draws
        n = out.shape[1]
        out[:, :, 0] = raw[:, start:start + n]
        density.from_raw(out[:, :, 0])
        self._draws = (raw, start + n)

    # --- runs that diverge ---------------------------------------------------------------------------

    def _flag(self, ok: np.ndarray, detail):
        """Runs where ``ok`` is False have gone non-finite: raised (``detail()`` says what) or recorded."""
        if ok.all():
            return
        if self.on_nonfinite == "raise":
            raise NonFiniteError(f"iteration {self.iteration} (discriminator step {self.discriminator_steps + 1}, "
                                 f"generator step {self.generator_steps + 1}): {detail()}")
        fresh = ~ok & (self.diverged_at < 0)
        self.diverged_at[fresh] = self.iteration

    def _check_step(self, what: str, loss, grad_norm, loss_name: str | None = None):
        """Before an update: the loss (``loss_name`` names it in the message) and the gradient norm of every run
        are finite."""
        loss_ok = np.isfinite(loss)

        def detail():
            if not loss_ok.all():
                return f"the {what} loss{f' ({loss_name})' if loss_name else ''} is {float(np.asarray(loss).flat[0])}"
            return f"the {what} gradient is non-finite"

        self._flag(loss_ok & np.isfinite(grad_norm), detail)
