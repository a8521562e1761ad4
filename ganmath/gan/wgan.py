r"""The Wasserstein GAN of Arjovsky, Chintala & Bottou (2017) for 1-D data, on R independent runs at once.

Kantorovich-Rubinstein duality writes the earth mover's distance as a supremum over 1-Lipschitz functions,

.. math:: W_1(p_\mathrm{data}, p_g) = \sup_{\|f\|_L \le 1}\ \mathbb E_{p_\mathrm{data}}[f(x)] - \mathbb E_{p_z}[f(G(z))].

The WGAN's *critic* f is a network without a sigmoid. Its Algorithm 1, for each generator iteration:

1. :math:`n_\mathrm{critic}` times (the setting ``k``): draw m data and m noise samples, take one RMSProp step *ascending*
   :math:`\frac1m\sum_i f(x_i) - \frac1m\sum_i f(G(z_i))` (descending the critic loss
   :math:`\frac1m\sum f(G(z_i)) - \frac1m\sum f(x_i)`), then clip every weight and bias of f to :math:`[-c, c]`;
2. draw m noise samples and take one RMSProp step descending :math:`-\frac1m\sum_i f(G(z_i))`.

The paper's values: :math:`c = 0.01`, :math:`m = 64`, :math:`n_\mathrm{critic} = 5`, learning rate
:math:`5 \times 10^{-5}`. Clipping keeps f in a set of K-Lipschitz functions for some K that depends on c and the
architecture, so the critic estimates :math:`K \cdot W_1` at best (the paper's Theorem 3 and its discussion).

The gradient penalty of Gulrajani et al. (2017) replaces the clipping by
:math:`\lambda\,\mathbb E_{\hat x}[(|f'(\hat x)| - 1)^2]` at points :math:`\hat x = \epsilon x + (1 - \epsilon) G(z)`,
:math:`\epsilon \sim U(0, 1)`. Its gradient with respect to the critic's weights is a second-order derivative
(of :math:`f'(\hat x)`), computed here by :func:`input_slope_backward`, which backpropagates through the
forward-mode pass that gives :math:`f'` (:func:`input_slope`).

Every weight, minibatch and optimizer state has a leading run axis, as in :class:`ganmath.gan.Population`, and each
run draws from its own :class:`numpy.random.Generator` in the order a single run would (G's initial weights, the
critic's, then per critic step its data, noise and, with a penalty, the mixing weights; per generator step its noise).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ganmath._validation import (
    check_choice,
    check_in_range,
    check_positive,
    check_positive_int,
)
from ganmath.core.densities import Density
from ganmath.gan.runs import Runs, gradient_norms
from ganmath.gan.settings import CheckedSettings, check_hidden, checked_optimizer_fields
from ganmath.nn.layers import ACTIVATIONS, activation_derivatives, activation_values
from ganmath.nn.mlp import MLP
from ganmath.nn.optimizers import make_optimizer

__all__ = [
    "WGANSettings",
    "WGANHistory",
    "WGANPopulation",
    "critic_loss",
    "critic_generator_loss",
    "input_slope",
    "input_slope_backward",
    "gradient_penalty",
]


# ---------------------------------------------------------------------------------------------------------
# The losses, from the critic's scores
# ---------------------------------------------------------------------------------------------------------


def _batch_axis(scores: np.ndarray) -> int:
    return max(scores.ndim - 2, 0)


def critic_loss(scores, n_real: int):
    r"""The critic's loss :math:`\frac1{m'}\sum f(G(z_j)) - \frac1m\sum f(x_i)` and its gradient in the scores.

    Minus the loss is the critic's estimate of :math:`K\,W_1` on the batch.

    Parameters
    ----------
    scores : ndarray, shape (n_real + n_fake, 1), or (R, n_real + n_fake, 1) for a stack
        The critic's outputs: the first ``n_real`` rows at data points, the rest at generated points.
    n_real : int
        Number of real rows, ``1 <= n_real < n_real + n_fake``.

    Returns
    -------
    value : float, or ndarray of shape (R,) for a stack
    grad : ndarray, the shape of ``scores``
        :math:`-1/m` on the real rows, :math:`1/m'` on the fake rows.
    """
    scores = np.asarray(scores, dtype=float)
    rows = _batch_axis(scores)
    n_fake = scores.shape[rows] - n_real
    if not (1 <= n_real and n_fake >= 1):
        raise ValueError(f"n_real must lie in [1, {scores.shape[rows] - 1}], got n_real={n_real!r}")
    real = (slice(None),) * rows + (slice(None, n_real),)
    fake = (slice(None),) * rows + (slice(n_real, None),)
    value = scores[fake].sum(axis=rows) / n_fake - scores[real].sum(axis=rows) / n_real
    grad = np.empty_like(scores)
    grad[real] = -1.0 / n_real
    grad[fake] = 1.0 / n_fake
    return _per_run(value, scores.ndim == 3), grad


def critic_generator_loss(fake_scores):
    r"""The generator's loss :math:`-\frac1m\sum f(G(z_i))` and its gradient :math:`-1/m` in the scores.

    Parameters
    ----------
    fake_scores : ndarray, shape (m, 1), or (R, m, 1) for a stack

    Returns
    -------
    value : float, or ndarray of shape (R,)
    grad : ndarray, the shape of ``fake_scores``
    """
    scores = np.asarray(fake_scores, dtype=float)
    rows = _batch_axis(scores)
    m = scores.shape[rows]
    return _per_run(-scores.sum(axis=rows) / m, scores.ndim == 3), np.full_like(scores, -1.0 / m)


def _per_run(total, stacked: bool):
    total = np.asarray(total)
    return total.reshape(total.shape[0]) if stacked else float(total.reshape(-1)[0])


# ---------------------------------------------------------------------------------------------------------
# The critic's slope f'(x) and its gradient in the weights (the gradient penalty's second-order term)
# ---------------------------------------------------------------------------------------------------------


def _slope_pass(network: MLP, inputs):
    """The forward pass with the forward-mode tangent d/dx carried along; what the backward pass needs."""
    inputs = network._check_inputs(inputs)
    if network.sizes[0] != 1 or network.sizes[-1] != 1:
        raise ValueError(f"network must have one input and one output, got sizes={network.sizes}")
    hidden = inputs
    tangent = np.ones_like(inputs)
    record = []
    for index, layer in enumerate(network.linear_layers):
        pre = hidden @ layer.weight + layer.bias[..., None, :]
        pre_tangent = tangent @ layer.weight
        if index == len(network.linear_layers) - 1:
            record.append((hidden, tangent, None, None, None))
            return pre_tangent[..., 0], record
        first, second = activation_derivatives(network.activation, pre, network.leaky_slope)
        record.append((hidden, tangent, pre_tangent, first, second))
        hidden = activation_values(network.activation, pre, network.leaky_slope)
        tangent = first * pre_tangent


def input_slope(network: MLP, inputs) -> np.ndarray:
    r"""The slope :math:`f'(x)` of a 1-input, 1-output network at each input, by forward-mode differentiation.

    Parameters
    ----------
    network : MLP
        One network or a stack.
    inputs : ndarray, shape (n, 1), or (R, n, 1) for a stack

    Returns
    -------
    ndarray, shape (n,), or (R, n)
    """
    return _slope_pass(network, inputs)[0]


def input_slope_backward(network: MLP, inputs, grad_slopes) -> None:
    r"""*Add* :math:`\sum_i g_i\,\partial f'(x_i)/\partial\theta` to ``network.gradients``.

    Backpropagation through the forward-mode pass of :func:`input_slope`: with pre-activations
    :math:`a_l = h_{l-1} W_l + b_l`, activations :math:`h_l = \phi(a_l)` and tangents :math:`\dot a_l = \dot h_{l-1} W_l`,
    :math:`\dot h_l = \phi'(a_l)\,\dot a_l` (:math:`\dot h_0 = 1`), the slope is :math:`f' = \dot h_{L-1} W_L`, and the
    gradient flows back through both chains, meeting at :math:`\phi''(a_l)\,\dot a_l`.

    Parameters
    ----------
    network : MLP
    inputs : ndarray, shape (n, 1), or (R, n, 1)
    grad_slopes : ndarray, shape (n,), or (R, n)
        :math:`\partial L / \partial f'(x_i)`.
    """
    _, record = _slope_pass(network, inputs)
    layers = network.linear_layers
    grad_tangent = np.asarray(grad_slopes, dtype=float)[..., None]  # d L / d (pre-activation tangent), last layer
    grad_pre = None  # d L / d (pre-activation) of the last layer: the slope does not depend on it
    for index in range(len(layers) - 1, -1, -1):
        layer = layers[index]
        hidden, tangent, _, _, _ = record[index]
        swap = lambda a: np.swapaxes(a, -1, -2)  # noqa: E731
        # pre_tangent = tangent W;  pre = hidden W + b
        layer.grad_weight += swap(tangent) @ grad_tangent
        if grad_pre is not None:
            layer.grad_weight += swap(hidden) @ grad_pre
            layer.grad_bias += grad_pre.sum(axis=-2)
        if index == 0:
            return
        grad_hidden_tangent = grad_tangent @ swap(layer.weight)
        grad_hidden = None if grad_pre is None else grad_pre @ swap(layer.weight)
        _, _, pre_tangent, first, second = record[index - 1]
        # tangent_l = phi'(a) pre_tangent;  hidden_l = phi(a)
        grad_tangent = grad_hidden_tangent * first
        grad_pre = grad_hidden_tangent * second * pre_tangent
        if grad_hidden is not None:
            grad_pre = grad_pre + grad_hidden * first


def gradient_penalty(network: MLP, points, weight: float):
    r"""The gradient penalty :math:`\lambda\,\frac1n\sum_i(|f'(\hat x_i)| - 1)^2` and its gradient in the slopes.

    Parameters
    ----------
    network : MLP
    points : ndarray, shape (n, 1), or (R, n, 1)
    weight : float
        :math:`\lambda` (10 in Gulrajani et al. 2017).

    Returns
    -------
    value : float, or ndarray of shape (R,)
    grad_slopes : ndarray, shape (n,), or (R, n)
        :math:`\partial\,\text{value} / \partial f'(\hat x_i)`.
    """
    slopes = input_slope(network, points)
    n = slopes.shape[-1]
    excess = np.abs(slopes) - 1.0
    value = weight * np.sum(excess * excess, axis=-1) / n
    grad = 2.0 * weight * excess * np.sign(slopes) / n
    return (float(value) if np.ndim(value) == 0 else value), grad


# ---------------------------------------------------------------------------------------------------------
# Settings and history
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WGANSettings(CheckedSettings):
    r"""The hyperparameters of the WGAN's Algorithm 1 for 1-D data, in the words every trainer uses: the critic is
    the second network, the *discriminator* of :class:`ganmath.gan.Settings`, and its :math:`n_\mathrm{critic}`
    steps per generator step are ``k``.

    Attributes
    ----------
    k : int >= 1
        Critic steps per generator step (:math:`n_\mathrm{critic} = 5` in the paper).
    m : int >= 1
        Minibatch size.
    optimizer : {"rmsprop", "adam", "sgd"}
        RMSProp in the paper (a momentum-free method: the paper found Adam unstable with clipping).
    lr_discriminator, lr_generator : float > 0
        The critic's and the generator's learning rates (5e-5 in the paper, for both).
    momentum, betas
        SGD's momentum and Adam's betas, as in :class:`ganmath.gan.Settings` (unused by RMSProp).
    alpha : float in [0, 1)
        RMSProp's decay of the mean square.
    clip : float > 0 or None
        Every critic weight and bias is clipped to :math:`[-c, c]` after each critic step (0.01 in the paper);
        None for no clipping (with a gradient penalty).
    gradient_penalty : float >= 0
        :math:`\lambda` of Gulrajani et al. (2017); 0 for none.
    generator_hidden, discriminator_hidden : tuple of int
        Hidden widths of the generator and of the critic.
    generator_activation, discriminator_activation : str
        Hidden activations (:data:`ganmath.nn.layers.ACTIVATIONS`).
    """

    k: int = 5
    m: int = 64
    optimizer: str = "rmsprop"
    lr_discriminator: float = 5e-5
    lr_generator: float = 5e-5
    momentum: float = 0.9
    betas: tuple = (0.5, 0.999)
    alpha: float = 0.99
    clip: float | None = 0.01
    gradient_penalty: float = 0.0
    generator_hidden: tuple = (32, 32)
    discriminator_hidden: tuple = (32, 32)
    generator_activation: str = "softplus"
    discriminator_activation: str = "leaky-relu"

    def checked(self) -> "WGANSettings":
        """The same settings, validated and normalized; a mistake names the parameter and the value."""
        activations = tuple(ACTIVATIONS)
        return WGANSettings(
            **checked_optimizer_fields(self),
            m=check_positive_int("m", self.m),
            alpha=check_in_range("alpha", self.alpha, 0.0, 1.0, high_open=True),
            clip=None if self.clip is None else check_positive("clip", self.clip),
            gradient_penalty=check_in_range("gradient_penalty", self.gradient_penalty, 0.0, math.inf),
            generator_hidden=check_hidden("generator_hidden", self.generator_hidden),
            discriminator_hidden=check_hidden("discriminator_hidden", self.discriminator_hidden),
            generator_activation=check_choice("generator_activation", self.generator_activation, activations),
            discriminator_activation=check_choice("discriminator_activation", self.discriminator_activation,
                                                  activations),
        )


@dataclass
class WGANHistory:
    """Per step, arrays of shape ``(R,)``: the critic's batch estimate :math:`\\frac1m\\sum f(x) - \\frac1m\\sum f(G(z))`
    (minus its loss, penalty excluded), the penalty, and the generator's loss."""

    critic_estimate: list
    penalty: list
    generator_loss: list

    def as_arrays(self) -> dict:
        return {name: np.asarray(getattr(self, name)) for name in ("critic_estimate", "penalty", "generator_loss")}


# ---------------------------------------------------------------------------------------------------------
# The population
# ---------------------------------------------------------------------------------------------------------


class WGANPopulation(Runs):
    r"""R independent runs of the WGAN's Algorithm 1 on the same 1-D data, trained at once.

    The critic is the second network, named as in every trainer: ``discriminator`` (its weights),
    ``optimizer_discriminator``, ``discriminator_steps``, :meth:`step_discriminator`; the GAN with the
    cross-entropy losses, with any of the optimizers, is :class:`ganmath.gan.Population`.

    Parameters
    ----------
    data : Density
    noise : Density, optional
        :math:`p_z`, ``Normal(0, 1)`` by default.
    seeds : iterable of (int, numpy.random.SeedSequence or numpy.random.Generator)
        One per run: its initial weights (G, then the critic) and every minibatch.
    generators, discriminators : sequence of MLP, optional
        Networks to start from, one per run (copied; their sizes and activations override the settings).
    on_nonfinite : {"record", "raise"}
        What a run that goes non-finite does (:data:`ganmath.gan.runs.ON_NONFINITE`).
    **settings
        The keywords of :class:`WGANSettings`.

    Attributes
    ----------
    generator, discriminator : MLP
        Stacks of R generators and of R critics.
    iteration, discriminator_steps, generator_steps : int
    history : WGANHistory
    diverged_at : ndarray of int, shape (R,)
        The iteration at which a run became non-finite, -1 if never.
    """

    def __init__(self, data: Density, noise: Density | None = None, *, seeds=range(32), generators=None,
                 discriminators=None, on_nonfinite: str = "record", **settings):
        s = self.settings = WGANSettings.from_keywords(**settings)
        super().__init__(data, noise, seeds, {
            "generator": (generators, (1, *s.generator_hidden, 1), s.generator_activation),
            "discriminator": (discriminators, (1, *s.discriminator_hidden, 1), s.discriminator_activation),
        }, on_nonfinite=on_nonfinite)
        self._clip()
        common = {"momentum": s.momentum, "betas": s.betas, "alpha": s.alpha}
        self.optimizer_generator = make_optimizer(s.optimizer, self.generator.parameters, self.generator.gradients,
                                                  lr=s.lr_generator, **common)
        self.optimizer_discriminator = make_optimizer(s.optimizer, self.discriminator.parameters,
                                                      self.discriminator.gradients, lr=s.lr_discriminator, **common)
        self.history = WGANHistory([], [], [])

    def __repr__(self):
        return (f"WGANPopulation(data={self.data!r}, noise={self.noise!r}, n_runs={self.n_runs}, "
                f"iteration={self.iteration}, settings={self.settings!r})")

    def _clip(self):
        if self.settings.clip is not None:
            np.clip(self.discriminator.parameters, -self.settings.clip, self.settings.clip,
                    out=self.discriminator.parameters)

    def _draw(self, density: Density, n: int) -> np.ndarray:
        out = np.empty((self.n_runs, n, 1))
        self._sample(density, out)
        return out

    def _mixing(self, n: int) -> np.ndarray:
        return np.stack([rng.uniform(size=(n, 1)) for rng in self.rngs])

    # --- the gradients, without a step (what the steps use, and what a gradient check reads) ----------

    def critic_loss_and_gradient(self, real, noise, mixing=None):
        r"""The critic loss of every run on given batches, and its gradient, left in ``discriminator.gradients``.

        Parameters
        ----------
        real, noise : ndarray, shape (R, m, 1)
        mixing : ndarray, shape (R, m, 1), optional
            :math:`\epsilon` of the penalty's points :math:`\epsilon x + (1 - \epsilon) G(z)` (needed when the
            penalty weight is positive).

        Returns
        -------
        loss : ndarray, shape (R,)
            Critic loss plus penalty.
        estimate : ndarray, shape (R,)
            The batch's :math:`\frac1m\sum f(x) - \frac1m\sum f(G(z))`.
        penalty : ndarray, shape (R,)
        """
        m, critic = real.shape[1], self.discriminator
        fake, _ = self.generator.forward(noise, self._workspace(("generator", m)))
        batch = np.concatenate([real, fake], axis=1)
        scores, cache = critic.forward(batch, self._workspace(("critic", 2 * m)))
        loss, grad = critic_loss(scores, m)
        critic.zero_grad()
        critic.backward(grad, cache, input_gradient=False, workspace=self._workspace(("critic", 2 * m)))
        penalty = np.zeros(self.n_runs)
        weight = self.settings.gradient_penalty
        if weight > 0:
            if mixing is None:
                raise ValueError("mixing is needed when gradient_penalty > 0")
            points = mixing * real + (1.0 - mixing) * fake
            penalty, grad_slopes = gradient_penalty(critic, points, weight)
            input_slope_backward(critic, points, grad_slopes)
        return loss + penalty, -loss, penalty

    def generator_loss_and_gradient(self, noise):
        """The generator loss of every run on a noise batch (R, m, 1), its gradient left in ``generator.gradients``."""
        m = noise.shape[1]
        fake, generator_cache = self.generator.forward(noise, self._workspace(("generator", m)))
        scores, critic_cache = self.discriminator.forward(fake, self._workspace(("critic", m)))
        loss, grad = critic_generator_loss(scores)
        grad_fake = self.discriminator.backward_inputs(grad, critic_cache, workspace=self._workspace(("critic", m)))
        self.generator.zero_grad()
        self.generator.backward(grad_fake, generator_cache, input_gradient=False,
                                workspace=self._workspace(("generator", m)))
        return loss

    # --- the steps -----------------------------------------------------------------------------------

    def _discriminator_step(self):
        """One critic step: the critic loss (and penalty) on fresh minibatches, the optimizer's step, the clipping."""
        m = self.settings.m
        real = self._draw(self.data, m)
        noise = self._draw(self.noise, m)
        mixing = self._mixing(m) if self.settings.gradient_penalty > 0 else None
        loss, estimate, penalty = self.critic_loss_and_gradient(real, noise, mixing)
        self._check_step("critic", loss, gradient_norms(self.discriminator))
        self.optimizer_discriminator.step()
        self._clip()
        self.history.critic_estimate.append(estimate)
        self.history.penalty.append(penalty)
        self.discriminator_steps += 1

    def _generator_step(self):
        noise = self._draw(self.noise, self.settings.m)
        loss = self.generator_loss_and_gradient(noise)
        self._check_step("generator", loss, gradient_norms(self.generator))
        self.optimizer_generator.step()
        self.history.generator_loss.append(loss)
        self.generator_steps += 1
