r"""GAN losses computed from the discriminator's logits :math:`a`, with :math:`D = \sigma(a)`.

Each function returns the loss and its gradient with respect to the logits, side by side, so the
backward pass through D starts from a numerically exact number even where D is within 1e-300 of 0 or 1.

The generator's losses are batch means of its per-sample costs, :mod:`ganmath.core.costs` (the three costs and
their slopes in the logit, tabulated there).
"""

from __future__ import annotations

import numpy as np
from scipy import special

from ganmath.core.costs import check_generator_loss
from ganmath.nn.layers import softplus

__all__ = [
    "generator_loss",
    "discriminator_loss",
    "discriminator_loss_stacked",
]

def _batch_axis(a: np.ndarray) -> int:
    """The axis of the batch's rows: 0 for shapes (n,) and (n, 1), 1 for a stack (R, n, 1)."""
    return max(a.ndim - 2, 0)


def _per_run(total, stacked: bool):
    """A batch's value as a float for one network, or as an array of shape (R,) for a stack."""
    total = np.asarray(total)
    return total.reshape(total.shape[0]) if stacked else float(total.reshape(-1)[0])


def generator_loss(fake_logits, loss: str):
    """Mean generator cost over a batch and its gradient.

    Parameters
    ----------
    fake_logits : ndarray, shape (m,), (m, 1), or (R, m, 1) for a stack of R runs
        D's logits at G(z) for m noise samples.
    loss : {"minimax", "non-saturating", "maximum-likelihood"}

    Returns
    -------
    value : float, or ndarray of shape (R,) for a stack
    grad : ndarray, the shape of ``fake_logits``
        d value / d fake_logits (already divided by m).
    """
    a = np.asarray(fake_logits, dtype=float)
    check_generator_loss(loss)
    rows = _batch_axis(a)
    m = a.shape[rows]
    if loss == "minimax":  # log(1 - D) = -softplus(a); d/da = -expit(a)
        return _per_run(-softplus(a).sum(axis=rows) / m, a.ndim == 3), np.divide(special.expit(a), -m)
    if loss == "non-saturating":  # -log D = softplus(-a); d/da = -expit(-a)
        minus_a = np.negative(a)
        value = _per_run(softplus(minus_a).sum(axis=rows) / m, a.ndim == 3)
        return value, np.divide(special.expit(minus_a, out=minus_a), -m, out=minus_a)
    exp_a = np.exp(a)
    return _per_run(-exp_a.sum(axis=rows) / m, a.ndim == 3), np.divide(exp_a, -m, out=exp_a)


def discriminator_loss(real_logits, fake_logits, smoothing: float = 0.0):
    r"""Binary cross-entropy of D on a real and a fake batch, and its gradients.

    .. math:: L_D = -\frac1m \sum_i \big[t \log D(x_i) + (1 - t)\log(1 - D(x_i))\big]
                    - \frac1m \sum_i \log(1 - D(G(z_i))), \qquad t = 1 - \text{smoothing}

    With ``smoothing = 0`` this is minus the quantity D ascends in Algorithm 1. One-sided label
    smoothing (real targets ``t < 1``, fake targets kept at 0) moves the optimum to
    :math:`t\,p_\mathrm{data} / (p_\mathrm{data} + p_g)`.

    Parameters
    ----------
    real_logits : ndarray, shape (m, 1) or (m,)
    fake_logits : ndarray, shape (m', 1) or (m',)
    smoothing : float in [0, 1)

    Returns
    -------
    value : float
    grad_real, grad_fake : ndarray, the shapes of the inputs
        Gradients of ``value`` with respect to the logits (each batch's mean already taken).
    """
    if not (0.0 <= smoothing < 1.0):
        raise ValueError(f"smoothing must lie in [0, 1), got smoothing={smoothing!r}")
    real = np.asarray(real_logits, dtype=float)
    fake = np.asarray(fake_logits, dtype=float)
    target = 1.0 - smoothing
    real_cost = -(target * special.log_expit(real) + smoothing * special.log_expit(-real))
    fake_cost = -special.log_expit(-fake)
    value = float(np.mean(real_cost) + np.mean(fake_cost))
    grad_real = (special.expit(real) - target) / real.shape[0]
    grad_fake = special.expit(fake) / fake.shape[0]
    return value, grad_real, grad_fake


def discriminator_loss_stacked(logits, n_real: int, smoothing: float = 0.0):
    r""":func:`discriminator_loss` for the real and the fake batch stacked in one array, as one pass of
    D over both computes them.

    Parameters
    ----------
    logits : ndarray, shape (n_real + n_fake,), (n_real + n_fake, 1), or (R, n_real + n_fake, 1) for a stack
        D's logits: the first ``n_real`` rows at data points, the rest at generated points.
    n_real : int
        Number of real rows, ``1 <= n_real < n_real + n_fake``.
    smoothing : float in [0, 1)

    Returns
    -------
    value : float, or ndarray of shape (R,) for a stack
        The value of :func:`discriminator_loss` on the real rows and the fake rows.
    grad : ndarray, the shape of ``logits``
        Its gradient with respect to every logit (each batch's mean already taken).
    """
    if not (0.0 <= smoothing < 1.0):
        raise ValueError(f"smoothing must lie in [0, 1), got smoothing={smoothing!r}")
    a = np.asarray(logits, dtype=float)
    rows = _batch_axis(a)
    n_fake = a.shape[rows] - n_real
    if not (1 <= n_real and n_fake >= 1):
        raise ValueError(f"n_real must lie in [1, {a.shape[rows] - 1}], got n_real={n_real!r}")
    real_rows = (slice(None),) * rows + (slice(None, n_real),)
    fake_rows = (slice(None),) * rows + (slice(n_real, None),)
    target = 1.0 - smoothing
    # -log D = softplus(-a) on the real rows, -log(1 - D) = softplus(a) on the fake rows.
    signed = np.negative(a)
    signed[fake_rows] = a[fake_rows]
    costs = softplus(signed)
    if smoothing != 0.0:
        costs[real_rows] = target * costs[real_rows] + smoothing * softplus(a[real_rows])
    value = _per_run(costs[real_rows].sum(axis=rows) / n_real + costs[fake_rows].sum(axis=rows) / n_fake, a.ndim == 3)
    # d/da of the real cost is expit(a) - target, of the fake cost expit(a): one expit for both batches.
    grad = special.expit(a, out=costs)
    grad[real_rows] -= target
    if n_real == n_fake:
        grad /= n_real
    else:
        grad[real_rows] /= n_real
        grad[fake_rows] /= n_fake
    return value, grad
