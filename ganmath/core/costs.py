r"""The generator's cost per sample as a function of D's logit :math:`a` at a generated point, :math:`D = \sigma(a)`
(Goodfellow et al. 2014, Algorithm 1 and Section 3; Goodfellow 2016, Figure 16), and its slope:

============================  ===========================  ========================
loss                          cost                         d cost / d a
============================  ===========================  ========================
``"minimax"``                 :math:`\log(1 - D)`          :math:`-D`
``"non-saturating"``          :math:`-\log D`              :math:`-(1 - D)`
``"maximum-likelihood"``      :math:`-D / (1 - D) = -e^a`  :math:`-e^a`
============================  ===========================  ========================

The batch losses that training descends (:mod:`ganmath.nn.losses`) are built on these.
"""

from __future__ import annotations

import numpy as np
from scipy import special

__all__ = ["GENERATOR_LOSSES", "check_generator_loss", "generator_cost", "generator_cost_grad"]

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
