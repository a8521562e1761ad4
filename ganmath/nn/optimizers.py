r"""Gradient-descent rules that update a flat parameter vector in place: SGD with momentum, Adam, and RMSProp
(the WGAN paper's optimizer, Arjovsky, Chintala & Bottou 2017).

Each optimizer is a small class holding its state (the velocity; Adam's moment estimates and step
count) and updating ``parameters`` from ``gradients``, two float64 arrays of the same shape that it
keeps by reference (an :class:`ganmath.nn.mlp.MLP`'s ``parameters`` and ``gradients``).
"""

from __future__ import annotations

import numpy as np

from ganmath._validation import check_in_range, check_positive

__all__ = ["SGD", "Adam", "RMSProp", "OPTIMIZERS", "make_optimizer"]


def _check_arrays(parameters, gradients):
    for name, array in (("parameters", parameters), ("gradients", gradients)):
        if not isinstance(array, np.ndarray) or array.dtype != np.float64:
            raise TypeError(f"{name} must be a float64 ndarray, got {name}={array!r}")
    if parameters.shape != gradients.shape:
        raise ValueError(
            f"parameters and gradients must have the same shape, got {parameters.shape} and {gradients.shape}"
        )


def _check_lr(lr) -> float:
    return check_positive("lr", lr)


class SGD:
    r"""Stochastic gradient descent with (heavy-ball) momentum, as used by Goodfellow et al. (2014).

    Elementwise, so ``parameters`` may be a stack of runs, shape ``(R, P)``.

    .. math:: v \leftarrow \mu v - \eta\,g, \qquad \theta \leftarrow \theta + v

    Parameters
    ----------
    parameters, gradients : ndarray, float64, same shape
        Updated in place / read at each :meth:`step`.
    lr : float > 0
        Learning rate :math:`\eta`.
    momentum : float in [0, 1)
        :math:`\mu`; 0 gives plain SGD.
    """

    def __init__(self, parameters, gradients, *, lr: float = 0.01, momentum: float = 0.0):
        _check_arrays(parameters, gradients)
        self.parameters, self.gradients = parameters, gradients
        self.lr = _check_lr(lr)
        self.momentum = check_in_range("momentum", momentum, 0.0, 1.0, high_open=True)
        self.velocity = np.zeros_like(parameters)
        self._update = np.empty_like(parameters)

    def __repr__(self):
        return f"SGD(lr={self.lr:g}, momentum={self.momentum:g})"

    def step(self):
        """One update from the current gradients."""
        np.multiply(self.gradients, self.lr, out=self._update)
        self.velocity *= self.momentum
        self.velocity -= self._update
        self.parameters += self.velocity

    def state(self) -> dict:
        """The optimizer's state as plain arrays (for saving)."""
        return {"velocity": self.velocity.copy()}

    def load_state(self, state: dict):
        self.velocity[...] = state["velocity"]


class Adam:
    r"""Adam (Kingma & Ba 2015), with bias-corrected moment estimates.

    Elementwise, so ``parameters`` may be a stack of runs, shape ``(R, P)``: each run is updated as
    if alone.

    .. math::
        m \leftarrow \beta_1 m + (1-\beta_1) g, \quad
        v \leftarrow \beta_2 v + (1-\beta_2) g^2, \quad
        \theta \leftarrow \theta - \eta\,\frac{m / (1-\beta_1^t)}{\sqrt{v / (1-\beta_2^t)} + \epsilon}

    Parameters
    ----------
    parameters, gradients : ndarray, float64, same shape
    lr : float > 0
        :math:`\eta`.
    beta1, beta2 : float in [0, 1)
    eps : float > 0
        Keeps the step finite where a gradient component has always been 0.
    """

    def __init__(self, parameters, gradients, *, lr: float = 1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        _check_arrays(parameters, gradients)
        self.parameters, self.gradients = parameters, gradients
        self.lr = _check_lr(lr)
        self.beta1 = check_in_range("beta1", beta1, 0.0, 1.0, high_open=True)
        self.beta2 = check_in_range("beta2", beta2, 0.0, 1.0, high_open=True)
        self.eps = check_positive("eps", eps)
        self.first_moment = np.zeros_like(parameters)
        self.second_moment = np.zeros_like(parameters)
        self.steps = 0
        self._work = np.empty_like(parameters)

    def __repr__(self):
        return f"Adam(lr={self.lr:g}, beta1={self.beta1:g}, beta2={self.beta2:g}, eps={self.eps:g})"

    def step(self):
        """One update from the current gradients."""
        self.steps += 1
        g, m, v, work = self.gradients, self.first_moment, self.second_moment, self._work
        m *= self.beta1
        np.multiply(g, 1.0 - self.beta1, out=work)
        m += work
        v *= self.beta2
        np.multiply(g, g, out=work)
        work *= 1.0 - self.beta2
        v += work
        bias1 = 1.0 - self.beta1**self.steps
        bias2 = 1.0 - self.beta2**self.steps
        np.sqrt(v, out=work)
        work /= np.sqrt(bias2)
        work += self.eps
        np.divide(m, work, out=work)
        work *= self.lr / bias1
        self.parameters -= work

    def state(self) -> dict:
        return {
            "first_moment": self.first_moment.copy(),
            "second_moment": self.second_moment.copy(),
            "steps": np.array(self.steps),
        }

    def load_state(self, state: dict):
        self.first_moment[...] = state["first_moment"]
        self.second_moment[...] = state["second_moment"]
        self.steps = int(state["steps"])


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


#: The optimizers by name, as the trainers' settings accept them.
OPTIMIZERS = {"sgd": SGD, "adam": Adam, "rmsprop": RMSProp}


def make_optimizer(name: str, parameters, gradients, *, lr: float, momentum: float = 0.0, betas=(0.9, 0.999),
                   alpha: float = 0.99):
    """The optimizer ``name`` of :data:`OPTIMIZERS` on ``parameters``: ``SGD`` with ``momentum``, ``Adam`` with
    ``betas``, or ``RMSProp`` with ``alpha``."""
    if name not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {tuple(OPTIMIZERS)}, got optimizer={name!r}")
    if name == "sgd":
        return SGD(parameters, gradients, lr=lr, momentum=momentum)
    if name == "rmsprop":
        return RMSProp(parameters, gradients, lr=lr, alpha=alpha)
    beta1, beta2 = betas
    return Adam(parameters, gradients, lr=lr, beta1=beta1, beta2=beta2)
