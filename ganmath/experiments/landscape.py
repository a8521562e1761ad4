r"""The landscape of a one-Gaussian generator against a two-mode target (notebook 09).

For :math:`p_g = \mathcal N(m, s^2)`: :func:`criterion_landscape` is C(G), which the minimax game descends with an
optimal D (Theorem 1); :func:`non_saturating_landscape` is :math:`\mathrm{KL}(p_g\|p_\mathrm{data}) - 2\,\mathrm{JS}`,
whose gradient the non-saturating loss follows with D* frozen (Arjovsky & Bottou 2017, Theorem 2.5);
:func:`frozen_optimum_path` descends either exactly; :func:`linear_generator_path` trains a real GAN whose generator is
:math:`G(z) = w z + b` and returns its path in that plane.
"""

from __future__ import annotations

import math

import numpy as np

from ganmath._validation import check_finite_real, check_positive, check_positive_int
from ganmath.core.costs import check_generator_loss
from ganmath.core.densities import Density, Normal, check_density
from ganmath.core.divergences import js_divergence, kl_divergence
from ganmath.core.theory import virtual_criterion
from ganmath.gan import GAN
from ganmath.nn.mlp import MLP

__all__ = [
    "criterion_landscape",
    "frozen_optimum_path",
    "linear_generator",
    "linear_generator_path",
    "non_saturating_landscape",
]


def _grid(means, spreads):
    means = np.asarray(means, dtype=float)
    spreads = np.asarray(spreads, dtype=float)
    if means.ndim != 1 or spreads.ndim != 1 or means.size == 0 or spreads.size == 0:
        raise ValueError("means and spreads must be non-empty 1-D arrays")
    if np.any(spreads <= 0) or not np.all(np.isfinite(spreads)):
        raise ValueError(f"spreads must be finite and > 0, got spreads={spreads!r}")
    if not np.all(np.isfinite(means)):
        raise ValueError(f"means must be finite, got means={means!r}")
    return means, spreads


def criterion_landscape(p_data: Density, means, spreads) -> np.ndarray:
    r""":math:`C(G) = -\log 4 + 2\,\mathrm{JS}(p_\mathrm{data}, \mathcal N(m, s^2))` on a grid.

    Returns
    -------
    ndarray, shape (n_spreads, n_means)
        Row i, column j: spread ``spreads[i]``, mean ``means[j]`` (``virtual_criterion``, adaptive quadrature).
    """
    check_density("p_data", p_data)
    means, spreads = _grid(means, spreads)
    return np.array([[virtual_criterion(p_data, Normal(m, s)) for m in means] for s in spreads])


def non_saturating_landscape(p_data: Density, means, spreads) -> np.ndarray:
    r""":math:`\mathrm{KL}(\mathcal N(m, s^2)\,\|\,p_\mathrm{data}) - 2\,\mathrm{JS}` on a grid.

    With D frozen at D*, the expected gradient of the non-saturating cost :math:`-\log D^*(G_\theta(z))` is
    the gradient of this function (Arjovsky & Bottou 2017, Theorem 2.5). The reverse KL punishes mass where
    p_data has none, not missing modes: among Gaussians it is small on one mode and large between two. Over all
    densities it is :math:`2\,\mathrm{KL}(m\,\|\,p_\mathrm{data})` with :math:`m = (p_\mathrm{data} + p_g)/2`,
    whose only minimum is 0 at :math:`p_g = p_\mathrm{data}`.

    Returns
    -------
    ndarray, shape (n_spreads, n_means)
    """
    check_density("p_data", p_data)
    means, spreads = _grid(means, spreads)
    out = np.empty((spreads.size, means.size))
    for i, s in enumerate(spreads):
        for j, m in enumerate(means):
            q = Normal(m, s)
            out[i, j] = kl_divergence(q, p_data) - 2.0 * js_divergence(p_data, q)
    return out


def linear_generator(mean: float, spread: float) -> MLP:
    """The 1-1 network :math:`G(z) = s z + m`: with z ~ N(0, 1), p_g = N(m, s^2)."""
    mean, spread = check_finite_real("mean", mean), check_positive("spread", spread)
    return MLP.from_weights([np.array([[spread]])], [np.array([mean])])


def linear_generator_path(p_data: Density, *, start=(0.3, 1.0), loss: str = "non-saturating", seed: int = 0,
                          n_iter: int = 1500, record_every: int = 10, **gan_settings) -> np.ndarray:
    r"""A real GAN whose generator is :math:`G(z) = w z + b`, z ~ N(0, 1): its path :math:`(b, |w|)`.

    p_g is exactly :math:`\mathcal N(b, w^2)` at every step, so the path lives on the plane of
    :func:`criterion_landscape`. D is the default 1-32-32-1 tanh network.

    Returns
    -------
    ndarray, shape (n_records, 3)
        Columns: iteration, mean b, spread |w|; the first row is the start.
    """
    check_density("p_data", p_data)
    check_generator_loss(loss)
    record_every = check_positive_int("record_every", record_every)
    gan = GAN(p_data, Normal(0.0, 1.0), generator=linear_generator(*start), generator_loss=loss, seed=seed,
              **gan_settings)
    rows = [(0, float(gan.generator.parameters[1]), abs(float(gan.generator.parameters[0])))]

    def record(trained):
        weight, bias = trained.generator.parameters
        rows.append((trained.iteration, float(bias), abs(float(weight))))

    gan.train(n_iter, callback=record, callback_every=record_every)
    return np.array(rows)


def frozen_optimum_path(p_data: Density, objective: str, *, start=(0.3, 1.0), step: float = 0.2, n_steps: int = 60,
                        h: float = 1e-4) -> np.ndarray:
    r"""Gradient descent on :math:`(m, \log s)` of an exact objective: the generator's flow with D = D*.

    ``objective="criterion"``: C(G) (the minimax loss with D optimal, Proposition 2);
    ``"non-saturating"``: :math:`\mathrm{KL}(p_g\|p_\mathrm{data}) - 2\,\mathrm{JS}` (Theorem 2.5 of Arjovsky &
    Bottou). Gradients by central differences of width ``h``.

    Returns
    -------
    ndarray, shape (n_steps + 1, 2)
        (mean, spread) along the path.
    """
    check_density("p_data", p_data)
    functions = {
        "criterion": lambda m, s: virtual_criterion(p_data, Normal(m, s)),
        "non-saturating": lambda m, s: kl_divergence(Normal(m, s), p_data) - 2.0 * js_divergence(p_data, Normal(m, s)),
    }
    if objective not in functions:
        raise ValueError(f"objective must be one of {tuple(functions)}, got objective={objective!r}")
    f = functions[objective]
    step = check_finite_real("step", step)
    n_steps = check_positive_int("n_steps", n_steps)
    mean, log_spread = float(start[0]), math.log(float(start[1]))
    path = [(mean, math.exp(log_spread))]
    for _ in range(n_steps):
        grad_mean = (f(mean + h, math.exp(log_spread)) - f(mean - h, math.exp(log_spread))) / (2 * h)
        grad_log = (f(mean, math.exp(log_spread + h)) - f(mean, math.exp(log_spread - h))) / (2 * h)
        mean -= step * grad_mean
        log_spread -= step * grad_log
        path.append((mean, math.exp(log_spread)))
    return np.array(path)
