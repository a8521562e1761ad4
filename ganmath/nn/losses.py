r"""GAN losses computed from the discriminator's logits :math:`a`, with :math:`D = \sigma(a)`.

Each function returns the loss and its gradient with respect to the logits, side by side, so the
backward pass through D starts from a numerically exact number even where D is within 1e-300 of 0 or 1.

Generator costs per sample (Goodfellow et al. 2014, Algorithm 1 and Section 3; Goodfellow 2016, Figure 16):

============================  ===========================  ========================
loss                          cost                         d cost / d a
============================  ===========================  ========================
``"minimax"``                 :math:`\log(1 - D)`          :math:`-D`
``"non-saturating"``          :math:`-\log D`              :math:`-(1 - D)`
``"maximum-likelihood"``      :math:`-D / (1 - D) = -e^a`  :math:`-e^a`
============================  ===========================  ========================
"""

from __future__ import annotations

import numpy as np
from scipy import special

__all__ = [
    "GENERATOR_LOSSES",
    "check_generator_loss",
    "generator_cost",
    "generator_cost_grad",
    "generator_loss",
    "discriminator_loss",
    "discriminator_loss_stacked",
]

GENERATOR_LOSSES = ("minimax", "non-saturating", "maximum-likelihood")


def check_generator_loss(loss: str) -> str:
    if loss not in GENERATOR_LOSSES:
        raise ValueError(f"loss must be one of {GENERATOR_LOSSES}, got loss={loss!r}")
    return loss


def generator_cost(logits, loss: str):
    """Per-sample generator cost for ``logits`` of D at generated points; shape of ``logits``."""
    a = np.asarray(logits, dtype=float)
    check_generator_loss(loss)
    if loss == "minimax":
        return special.log_expit(-a)
    if loss == "non-saturating":
        return -special.log_expit(a)
    return -np.exp(a)


def generator_cost_grad(logits, loss: str):
    """Derivative of :func:`generator_cost` with respect to the logit; shape of ``logits``."""
    a = np.asarray(logits, dtype=float)
    check_generator_loss(loss)
    if loss == "minimax":
        return -special.expit(a)
    if loss == "non-saturating":
        return -special.expit(-a)
    return -np.exp(a)


def generator_loss(fake_logits, loss: str):
    """Mean generator cost over a batch and its gradient.

    Parameters
    ----------
    fake_logits : ndarray, shape (m, 1) or (m,)
        D's logits at G(z) for m noise samples.
    loss : {"minimax", "non-saturating", "maximum-likelihood"}

    Returns
    -------
    value : float
    grad : ndarray, the shape of ``fake_logits``
        d value / d fake_logits (already divided by m).
    """
    a = np.asarray(fake_logits, dtype=float)
    check_generator_loss(loss)
    m = a.shape[0]
    # The numbers of generator_cost and generator_cost_grad, in fewer array operations (this runs once
    # per G step): sum(-c) = -sum(c) and (-g) / m = g / (-m) exactly, and sum / m is np.mean's arithmetic.
    if loss == "minimax":
        return float(special.log_expit(-a).sum() / m), np.divide(special.expit(a), -m)
    if loss == "non-saturating":
        return float(-special.log_expit(a).sum() / m), np.divide(special.expit(-a), -m)
    exp_a = np.exp(a)
    return float(-exp_a.sum() / m), np.divide(exp_a, -m, out=exp_a)


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
    logits : ndarray, shape (n_real + n_fake, 1) or (n_real + n_fake,)
        D's logits: the first ``n_real`` rows at data points, the rest at generated points.
    n_real : int
        Number of real rows, ``1 <= n_real < len(logits)``.
    smoothing : float in [0, 1)

    Returns
    -------
    value : float
        The value of :func:`discriminator_loss` on ``logits[:n_real]``, ``logits[n_real:]``.
    grad : ndarray, the shape of ``logits``
        Its gradient with respect to every logit (each batch's mean already taken).
    """
    if not (0.0 <= smoothing < 1.0):
        raise ValueError(f"smoothing must lie in [0, 1), got smoothing={smoothing!r}")
    a = np.asarray(logits, dtype=float)
    n_fake = a.shape[0] - n_real
    if not (1 <= n_real and n_fake >= 1):
        raise ValueError(f"n_real must lie in [1, {a.shape[0] - 1}], got n_real={n_real!r}")
    real, fake = a[:n_real], a[n_real:]
    target = 1.0 - smoothing
    if smoothing == 0.0:
        real_cost = -special.log_expit(real).sum()
    else:
        real_cost = -(target * special.log_expit(real) + smoothing * special.log_expit(-real)).sum()
    fake_cost = -special.log_expit(-fake).sum()
    value = float(real_cost / n_real + fake_cost / n_fake)
    # d/da of the real cost is expit(a) - target, of the fake cost expit(a): one expit for both batches.
    grad = special.expit(a)
    grad[:n_real] -= target
    if n_real == n_fake:
        grad /= n_real
    else:
        grad[:n_real] /= n_real
        grad[n_real:] /= n_fake
    return value, grad
