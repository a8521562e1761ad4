r"""RMSProp, the optimizer of the WGAN paper (Arjovsky, Chintala & Bottou 2017, Algorithm 1).

The same interface as :mod:`ganmath.nn.optimizers` (``SGD``, ``Adam``): the optimizer keeps ``parameters`` and
``gradients``, two float64 arrays of the same shape, by reference and updates ``parameters`` in place at each
:meth:`RMSProp.step`. Elementwise, so ``parameters`` may be a stack of runs, shape ``(R, P)``.

RMSProp (Tieleman & Hinton 2012, lecture 6.5) divides each gradient component by a running root mean square of
its recent values, as PyTorch's ``torch.optim.RMSprop`` does with its defaults (no momentum, not centred):

.. math::
    v \leftarrow \alpha v + (1 - \alpha)\,g^2, \qquad
    \theta \leftarrow \theta - \eta\,\frac{g}{\sqrt{v} + \epsilon}

The WGAN paper chose it over momentum-based optimizers (Adam with :math:`\beta_1 > 0`), which at times made the
critic's training unstable; its Algorithm 1 uses :math:`\eta = 5 \times 10^{-5}`.
"""

from __future__ import annotations

import numpy as np

from ganmath._validation import check_in_range, check_positive
from ganmath.nn.optimizers import _check_arrays

__all__ = ["RMSProp"]


class RMSProp:
    r"""RMSProp with the update of ``torch.optim.RMSprop`` (``momentum=0``, ``centered=False``).

    Parameters
    ----------
    parameters, gradients : ndarray, float64, same shape
        Updated in place / read at each :meth:`step`.
    lr : float > 0
        :math:`\eta` (5e-5 in the WGAN paper).
    alpha : float in [0, 1)
        Decay of the running mean of squared gradients (PyTorch's default 0.99).
    eps : float > 0
        Added to the root mean square, so that a component whose gradient has always been 0 stays put.
    """

    def __init__(self, parameters, gradients, *, lr: float = 5e-5, alpha: float = 0.99, eps: float = 1e-8):
        _check_arrays(parameters, gradients)
        self.parameters, self.gradients = parameters, gradients
        self.lr = check_positive("lr", lr)
        self.alpha = check_in_range("alpha", alpha, 0.0, 1.0, high_open=True)
        self.eps = check_positive("eps", eps)
        self.square_average = np.zeros_like(parameters)
        self.steps = 0
        self._work = np.empty_like(parameters)

    def __repr__(self):
        return f"RMSProp(lr={self.lr:g}, alpha={self.alpha:g}, eps={self.eps:g})"

    def step(self):
        """One update from the current gradients."""
        self.steps += 1
        g, v, work = self.gradients, self.square_average, self._work
        v *= self.alpha
        np.multiply(g, g, out=work)
        work *= 1.0 - self.alpha
        v += work
        np.sqrt(v, out=work)
        work += self.eps
        np.divide(g, work, out=work)
        work *= self.lr
        self.parameters -= work

    def state(self) -> dict:
        """The optimizer's state as plain arrays (for saving)."""
        return {"square_average": self.square_average.copy(), "steps": np.array(self.steps)}

    def load_state(self, state: dict):
        self.square_average[...] = state["square_average"]
        self.steps = int(state["steps"])
