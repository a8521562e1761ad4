r"""The minimax game of Goodfellow et al. (2014), Eq. 1, played by gradient steps on the smallest GANs there are.

**The Dirac GAN** (Mescheder, Geiger & Nowozin 2018). The data are a point mass at 0, the generator a point mass
at :math:`\theta`, and the discriminator's logit is linear in x: :math:`D_\psi(x) = \sigma(-\psi x)` is the
probability it gives x of being data. Eq. 1 becomes

.. math::
    V(\theta, \psi) = \log D_\psi(0) + \log(1 - D_\psi(\theta)) = f(\psi\theta) + f(0), \qquad
    f(t) = \log\sigma(t) = -\log(1 + e^{-t}),

the objective of Mescheder et al. (their discriminator output :math:`\psi x` is the logit of "generated", hence the
sign of the logit here). G descends V in :math:`\theta`, D ascends it in :math:`\psi`; their gradient vector field is

.. math::
    v(\theta, \psi) = \Big(-\frac{\partial V}{\partial\theta},\ \frac{\partial V}{\partial\psi}\Big)
                    = \big(-\psi f'(\psi\theta),\ \theta f'(\psi\theta)\big), \qquad f'(t) = \sigma(-t).

Its only zero is the equilibrium (0, 0), where the Jacobian :math:`\begin{pmatrix} 0 & -f'(0) \\ f'(0) & 0
\end{pmatrix}` has the eigenvalues :math:`\pm i f'(0) = \pm i/2`: the continuous dynamics circle it. The zero-centred
gradient penalty of their paper (R1), :math:`\frac\gamma2\,|\partial_x \mathrm{logit}\,D_\psi|^2 = \frac\gamma2\psi^2`,
subtracted from D's objective, adds :math:`-\gamma\psi` to D's velocity and moves the eigenvalues to
:math:`-\gamma/2 \pm \sqrt{\gamma^2/4 - f'(0)^2}`.

**Discrete play.** A step of size h moves a player by h times its velocity. *Simultaneous* steps read both velocities
at the same point; *alternating* steps move D first and then G from D's new value; with k discriminator steps per
generator step D takes k steps and G reads D before (simultaneous) or after (alternating) D's last one. Near the
equilibrium each scheme is a linear map (:func:`update_matrix`), and its eigenvalues decide:

- simultaneous: :math:`I + hJ` multiplies the distance to the equilibrium by :math:`\sqrt{1 + h^2 f'(0)^2} > 1`
  exactly (:func:`simultaneous_growth_factor`): the iterates spiral out; away from the equilibrium too, by
  :math:`\sqrt{1 + h^2 f'(\psi\theta)^2}` (:func:`simultaneous_step_growth`), since the field is perpendicular to
  :math:`(\theta, \psi)`;
- alternating: determinant 1, eigenvalues of modulus 1 for :math:`h f'(0) < 2` (:func:`alternating_eigenvalues`):
  they circle for ever;
- with the penalty :math:`\gamma > 0` both schemes contract for small h.

**The bilinear game** :math:`V(x, y) = xy` (Goodfellow 2016, the exercise of Section 5): x minimizes, y maximizes,
:math:`v = (-y, x)`, and a simultaneous step multiplies the distance to (0, 0) by :math:`\sqrt{1 + h^2}` exactly
(:func:`bilinear_growth_factor`). It is the linearized Dirac GAN with :math:`f'(0)` replaced by 1.
"""

from __future__ import annotations

import cmath
import math
from dataclasses import dataclass

import numpy as np
from scipy import special

from ganmath._validation import (
    as_real_array,
    check_choice,
    check_finite_real,
    check_positive,
    check_positive_int,
)

__all__ = [
    "F_PRIME_AT_ZERO",
    "SCHEMES",
    "dirac_discriminator",
    "dirac_value",
    "dirac_vector_field",
    "dirac_jacobian",
    "equilibrium_jacobian",
    "equilibrium_eigenvalues",
    "update_matrix",
    "update_modulus",
    "simultaneous_growth_factor",
    "simultaneous_step_growth",
    "simultaneous_eigenvalues",
    "alternating_eigenvalues",
    "Trajectory",
    "dirac_trajectory",
    "bilinear_value",
    "bilinear_vector_field",
    "bilinear_trajectory",
    "bilinear_growth_factor",
]

#: :math:`f'(0) = \sigma(0) = 1/2` for the original GAN's :math:`f(t) = \log\sigma(t)`.
F_PRIME_AT_ZERO = 0.5
SCHEMES = ("simultaneous", "alternating")


# ---------------------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------------------


def _penalty(penalty) -> float:
    penalty = check_finite_real("penalty", penalty)
    if penalty < 0:
        raise ValueError(f"penalty must be >= 0 (the weight gamma of the gradient penalty), got penalty={penalty!r}")
    return penalty


def _scheme(scheme) -> str:
    if not isinstance(scheme, str):
        raise TypeError(f"scheme must be one of {SCHEMES}, got scheme={scheme!r}")
    return check_choice("scheme", scheme, SCHEMES)


def _start(start) -> tuple[float, float]:
    point = as_real_array(start, "start", finite=True)
    if point.shape != (2,):
        raise ValueError(f"start must hold two numbers (the two players' parameters), got start={start!r}")
    return float(point[0]), float(point[1])


def _pair(a, b, names):
    a = as_real_array(a, names[0], finite=True)
    b = as_real_array(b, names[1], finite=True)
    try:
        return np.broadcast_arrays(a, b)
    except ValueError:
        raise ValueError(f"{names[0]} and {names[1]} must have broadcastable shapes, got {a.shape} and {b.shape}") from None


def _scalar_or_array(values: np.ndarray):
    return float(values) if values.ndim == 0 else values


# ---------------------------------------------------------------------------------------------------------
# The Dirac GAN
# ---------------------------------------------------------------------------------------------------------


def dirac_discriminator(psi, x):
    r"""The Dirac GAN's discriminator :math:`D_\psi(x) = \sigma(-\psi x)`, the probability that x is data.

    Parameters
    ----------
    psi, x : float or array_like
        Broadcastable.

    Returns
    -------
    float or ndarray, their broadcast shape
        1/2 at x = 0 for every :math:`\psi`: the data point is never told apart from anything.
    """
    psi, x = _pair(psi, x, ("psi", "x"))
    return _scalar_or_array(special.expit(-psi * x))


def dirac_value(theta, psi):
    r"""The Dirac GAN's value :math:`V(\theta, \psi) = f(\psi\theta) + f(0)`, :math:`f = \log\sigma`.

    Equal to :math:`\log D_\psi(0) + \log(1 - D_\psi(\theta))`, Eq. 1 of Goodfellow et al. (2014) for a point mass of
    data at 0 and of generated samples at :math:`\theta`; ``log_expit`` keeps it exact where :math:`\psi\theta` is
    large.

    Parameters
    ----------
    theta, psi : float or array_like
        The generator's and the discriminator's parameters, broadcastable.

    Returns
    -------
    float or ndarray, their broadcast shape
        :math:`-2\log 2` at the equilibrium, and along both axes :math:`\theta = 0` and :math:`\psi = 0`.
    """
    theta, psi = _pair(theta, psi, ("theta", "psi"))
    return _scalar_or_array(special.log_expit(psi * theta) + special.log_expit(0.0))


def dirac_vector_field(theta, psi, penalty=0.0):
    r"""The gradient vector field :math:`v = (-\partial_\theta V,\ \partial_\psi V - \gamma\psi)` of the Dirac GAN.

    .. math:: v(\theta, \psi) = \big(-\psi f'(\psi\theta),\ \theta f'(\psi\theta) - \gamma\psi\big),
              \qquad f'(t) = \sigma(-t).

    Parameters
    ----------
    theta, psi : float or array_like
        Broadcastable.
    penalty : float
        :math:`\gamma \ge 0`, the weight of D's gradient penalty :math:`\frac\gamma2\psi^2`.

    Returns
    -------
    v_theta, v_psi : float or ndarray, their broadcast shape
        The generator's and the discriminator's velocities.
    """
    theta, psi = _pair(theta, psi, ("theta", "psi"))
    gamma = _penalty(penalty)
    slope = special.expit(-psi * theta)
    return _scalar_or_array(-psi * slope), _scalar_or_array(theta * slope - gamma * psi)


def dirac_jacobian(theta, psi, penalty=0.0) -> np.ndarray:
    r"""The Jacobian of :func:`dirac_vector_field` at :math:`(\theta, \psi)`.

    With :math:`t = \psi\theta` and :math:`f''(t) = -\sigma(t)\sigma(-t)`,

    .. math:: J = \begin{pmatrix} -\psi^2 f''(t) & -f'(t) - t f''(t) \\
                                   f'(t) + t f''(t) & \theta^2 f''(t) - \gamma \end{pmatrix}.

    Returns
    -------
    ndarray, shape (..., 2, 2)
        Rows: :math:`v_\theta, v_\psi`; columns: :math:`\partial_\theta, \partial_\psi`.
    """
    theta, psi = _pair(theta, psi, ("theta", "psi"))
    gamma = _penalty(penalty)
    t = psi * theta
    slope = special.expit(-t)
    curvature = -special.expit(t) * slope
    cross = slope + t * curvature
    return np.stack([np.stack([-psi**2 * curvature, -cross], axis=-1),
                     np.stack([cross, theta**2 * curvature - gamma], axis=-1)], axis=-2)


def equilibrium_jacobian(penalty=0.0) -> np.ndarray:
    r"""The Jacobian at the equilibrium (0, 0), in closed form:
    :math:`J = \begin{pmatrix} 0 & -f'(0) \\ f'(0) & -\gamma \end{pmatrix}`, shape (2, 2)."""
    gamma = _penalty(penalty)
    a = F_PRIME_AT_ZERO
    return np.array([[0.0, -a], [a, -gamma]])


def equilibrium_eigenvalues(penalty=0.0) -> np.ndarray:
    r"""The eigenvalues of :func:`equilibrium_jacobian`, in closed form:

    .. math:: \lambda_\pm = -\frac\gamma2 \pm \sqrt{\frac{\gamma^2}{4} - f'(0)^2},

    the roots of :math:`\lambda^2 + \gamma\lambda + f'(0)^2`. Without the penalty :math:`\pm i f'(0) = \pm i/2`.

    Returns
    -------
    ndarray of complex, shape (2,)
        :math:`\lambda_+` first.
    """
    gamma = _penalty(penalty)
    root = cmath.sqrt(gamma**2 / 4.0 - F_PRIME_AT_ZERO**2)
    return np.array([-gamma / 2.0 + root, -gamma / 2.0 - root])


def _check_step_and_counts(step, d_steps):
    return check_positive("step", step), check_positive_int("d_steps", d_steps)


def update_matrix(step, scheme="simultaneous", d_steps=1, penalty=0.0) -> np.ndarray:
    r"""One generator step of the linearized Dirac GAN (with its ``d_steps`` discriminator steps) as a 2x2 matrix.

    The linearized velocities are :math:`J z` with :math:`J` of :func:`equilibrium_jacobian`; a discriminator step
    alone is :math:`A_D = \begin{pmatrix} 1 & 0 \\ h a & 1 - h\gamma\end{pmatrix}`, a generator step alone
    :math:`A_G = \begin{pmatrix} 1 & -h a \\ 0 & 1\end{pmatrix}`, a simultaneous step :math:`I + hJ`
    (:math:`a = f'(0)`, :math:`z = (\theta, \psi)`). With k discriminator steps per generator step:

    .. math:: M_\mathrm{simultaneous} = (I + hJ)\,A_D^{k-1}, \qquad M_\mathrm{alternating} = A_G\,A_D^{k}.

    It is the Jacobian at (0, 0) of the map that :func:`dirac_trajectory` iterates.

    Parameters
    ----------
    step : float > 0
        h.
    scheme : {"simultaneous", "alternating"}
    d_steps : int >= 1
        k.
    penalty : float >= 0
        :math:`\gamma`.

    Returns
    -------
    ndarray, shape (2, 2)
    """
    h, k = _check_step_and_counts(step, d_steps)
    scheme = _scheme(scheme)
    gamma = _penalty(penalty)
    a = F_PRIME_AT_ZERO
    discriminator_step = np.array([[1.0, 0.0], [h * a, 1.0 - h * gamma]])
    generator_step = np.array([[1.0, -h * a], [0.0, 1.0]])
    discriminator_steps = np.linalg.matrix_power(discriminator_step, k - 1 if scheme == "simultaneous" else k)
    first = np.eye(2) + h * equilibrium_jacobian(gamma) if scheme == "simultaneous" else generator_step
    return first @ discriminator_steps


def update_modulus(step, scheme="simultaneous", d_steps=1, penalty=0.0) -> float:
    r"""The largest modulus of the eigenvalues of :func:`update_matrix`: per generator step, the factor by which the
    distance to the equilibrium of the linearized game grows (> 1), stays (= 1) or shrinks (< 1) in the long run."""
    return float(np.max(np.abs(np.linalg.eigvals(update_matrix(step, scheme, d_steps, penalty)))))


def simultaneous_growth_factor(step) -> float:
    r"""The factor :math:`\sqrt{1 + h^2 f'(0)^2}` by which one simultaneous step of the linearized Dirac GAN
    (no penalty) multiplies the distance to the equilibrium.

    :math:`I + hJ = \begin{pmatrix} 1 & -ha \\ ha & 1\end{pmatrix}` is :math:`\sqrt{1 + h^2a^2}` times a rotation,
    so this holds for every step, not only in the long run: after n steps the distance is
    :math:`(1 + h^2/4)^{n/2}` times the start's.
    """
    h = check_positive("step", step)
    return math.sqrt(1.0 + (h * F_PRIME_AT_ZERO) ** 2)


def simultaneous_step_growth(theta, psi, step):
    r"""The factor :math:`\sqrt{1 + h^2 f'(\psi\theta)^2}` by which one simultaneous step of the Dirac GAN itself (no
    linearization, no penalty) from :math:`(\theta, \psi)` multiplies the distance to the equilibrium.

    The field is perpendicular to :math:`z = (\theta, \psi)`: :math:`z \cdot v = -\theta\psi f' + \psi\theta f' = 0`,
    so :math:`|z + hv|^2 = |z|^2 + h^2|v|^2 = |z|^2\,(1 + h^2 f'(\psi\theta)^2)`. The continuous flow keeps
    :math:`\theta^2 + \psi^2` fixed (it circles at every radius); each step pushes outwards, most where
    :math:`\psi\theta < 0` (D wrong about which point is data, :math:`f' \to 1`), least where D is confidently right
    (:math:`\psi\theta \gg 0`, :math:`f' \to 0`). At the equilibrium it is :func:`simultaneous_growth_factor`.

    Returns
    -------
    float or ndarray, the broadcast shape of ``theta`` and ``psi``
    """
    theta, psi = _pair(theta, psi, ("theta", "psi"))
    h = check_positive("step", step)
    return _scalar_or_array(np.hypot(1.0, h * special.expit(-psi * theta)))


def simultaneous_eigenvalues(step, penalty=0.0) -> np.ndarray:
    r"""The eigenvalues :math:`1 + h\lambda_\pm` of one simultaneous step :math:`I + hJ`, in closed form.

    Without the penalty their modulus is :math:`\sqrt{1 + h^2 f'(0)^2}`; with
    :math:`0 < \gamma < 2 f'(0)` it is :math:`\sqrt{1 - h\gamma + h^2 f'(0)^2}`, below 1 for
    :math:`h < \gamma / f'(0)^2`.

    Returns
    -------
    ndarray of complex, shape (2,)
    """
    h = check_positive("step", step)
    return 1.0 + h * equilibrium_eigenvalues(penalty)


def alternating_eigenvalues(step, penalty=0.0) -> np.ndarray:
    r"""The eigenvalues of one alternating step (D first, then G; one D step), in closed form.

    The matrix :math:`A_G A_D = \begin{pmatrix} 1 - h^2a^2 & -ha(1 - h\gamma) \\ ha & 1 - h\gamma\end{pmatrix}` has
    trace :math:`T = 2 - h\gamma - h^2a^2` and determinant :math:`\Delta = 1 - h\gamma`, so

    .. math:: \mu_\pm = \frac T2 \pm \sqrt{\frac{T^2}{4} - \Delta}.

    Without the penalty :math:`\Delta = 1`: for :math:`ha < 2` the two are complex conjugates of modulus exactly 1
    (the iterates circle); with :math:`\gamma > 0` and complex roots the modulus is :math:`\sqrt{1 - h\gamma} < 1`.

    Returns
    -------
    ndarray of complex, shape (2,)
        :math:`\mu_+` first.
    """
    h = check_positive("step", step)
    gamma = _penalty(penalty)
    a = F_PRIME_AT_ZERO
    trace = 2.0 - h * gamma - (h * a) ** 2
    determinant = 1.0 - h * gamma
    root = cmath.sqrt(trace**2 / 4.0 - determinant)
    return np.array([trace / 2.0 + root, trace / 2.0 - root])


# ---------------------------------------------------------------------------------------------------------
# Trajectories
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Trajectory:
    r"""The iterates of a two-player game played by gradient steps.

    Attributes
    ----------
    points : ndarray, shape (n_steps + 1, 2)
        The start, then the point after each generator step (after its ``d_steps`` discriminator steps): column 0
        the minimizing player's parameter (:math:`\theta`, or x), column 1 the maximizing player's
        (:math:`\psi`, or y).
    game : str
        ``"Dirac GAN"`` or ``"bilinear"``.
    scheme : str
    step : float
    d_steps : int
    penalty : float
    """

    points: np.ndarray
    game: str
    scheme: str
    step: float
    d_steps: int
    penalty: float

    @property
    def minimizer(self) -> np.ndarray:
        """The minimizing player's parameter at each generator step, shape (n_steps + 1,)."""
        return self.points[:, 0]

    @property
    def maximizer(self) -> np.ndarray:
        """The maximizing player's parameter at each generator step, shape (n_steps + 1,)."""
        return self.points[:, 1]

    @property
    def distance(self) -> np.ndarray:
        """The Euclidean distance to the equilibrium (0, 0) at each generator step, shape (n_steps + 1,)."""
        return np.hypot(self.points[:, 0], self.points[:, 1])

    def __repr__(self):
        extra = f", {self.d_steps} D steps per G step" if self.d_steps != 1 else ""
        extra += f", penalty {self.penalty:g}" if self.penalty else ""
        return (f"Trajectory({self.game}, {self.scheme}, step {self.step:g}{extra}, "
                f"{len(self.points) - 1} steps, distance {self.distance[0]:.4g} -> {self.distance[-1]:.4g})")


def _play(velocity, start, step, n_steps, scheme, d_steps) -> np.ndarray:
    """Iterate the steps of ``scheme``; ``velocity(u, w) -> (v_u, v_w)`` for the minimizer u and the maximizer w."""
    u, w = start
    points = np.empty((n_steps + 1, 2))
    points[0] = u, w
    lone_discriminator_steps = d_steps - 1 if scheme == "simultaneous" else d_steps
    for index in range(1, n_steps + 1):
        for _ in range(lone_discriminator_steps):
            w = w + step * velocity(u, w)[1]
        if scheme == "simultaneous":
            v_u, v_w = velocity(u, w)
            u, w = u + step * v_u, w + step * v_w
        else:
            u = u + step * velocity(u, w)[0]
        points[index] = u, w
    return points


def _check_play(step, n_steps, scheme, d_steps):
    step, d_steps = _check_step_and_counts(step, d_steps)
    return step, check_positive_int("n_steps", n_steps, allow_zero=True), _scheme(scheme), d_steps


def dirac_trajectory(start, *, step, n_steps, scheme="simultaneous", d_steps=1, penalty=0.0) -> Trajectory:
    r"""The Dirac GAN played by gradient steps of size ``step`` from ``start``.

    Each generator step: D takes ``d_steps`` steps :math:`\psi \leftarrow \psi + h\,v_\psi(\theta, \psi)`, and G
    one step :math:`\theta \leftarrow \theta + h\,v_\theta(\theta, \psi)`, read at the same point as D's last step
    (``"simultaneous"``) or after it (``"alternating"``), with the velocities of :func:`dirac_vector_field`.

    Parameters
    ----------
    start : array_like, shape (2,)
        :math:`(\theta_0, \psi_0)`.
    step : float > 0
        h, the same for both players.
    n_steps : int >= 0
        Generator steps.
    scheme : {"simultaneous", "alternating"}
    d_steps : int >= 1
        Discriminator steps per generator step (k of Algorithm 1).
    penalty : float >= 0
        :math:`\gamma` of D's gradient penalty.

    Returns
    -------
    Trajectory
        Near the equilibrium one generator step is :func:`update_matrix`.
    """
    start = _start(start)
    step, n_steps, scheme, d_steps = _check_play(step, n_steps, scheme, d_steps)
    gamma = _penalty(penalty)
    expit = special.expit

    def velocity(theta, psi):
        slope = float(expit(-psi * theta))
        return -psi * slope, theta * slope - gamma * psi

    points = _play(velocity, start, step, n_steps, scheme, d_steps)
    return Trajectory(points, "Dirac GAN", scheme, step, d_steps, gamma)


# ---------------------------------------------------------------------------------------------------------
# The bilinear game V(x, y) = x y
# ---------------------------------------------------------------------------------------------------------


def bilinear_value(x, y):
    r"""The bilinear game's value :math:`V(x, y) = xy`: x minimizes it, y maximizes it; the equilibrium is (0, 0).

    Returns
    -------
    float or ndarray, the broadcast shape of ``x`` and ``y``
    """
    x, y = _pair(x, y, ("x", "y"))
    return _scalar_or_array(x * y)


def bilinear_vector_field(x, y):
    r"""The bilinear game's gradient vector field :math:`v = (-\partial_x V, \partial_y V) = (-y, x)`.

    Returns
    -------
    v_x, v_y : float or ndarray, the broadcast shape of ``x`` and ``y``
    """
    x, y = _pair(x, y, ("x", "y"))
    return _scalar_or_array(-y), _scalar_or_array(x.copy())


def bilinear_trajectory(start, *, step, n_steps, scheme="simultaneous", d_steps=1) -> Trajectory:
    r"""The bilinear game :math:`V = xy` played by gradient steps: the steps of :func:`dirac_trajectory` with
    the velocities :math:`(-y, x)`.

    Parameters
    ----------
    start : array_like, shape (2,)
        :math:`(x_0, y_0)`.
    step : float > 0
    n_steps : int >= 0
    scheme : {"simultaneous", "alternating"}
    d_steps : int >= 1
        Steps of the maximizing player y per step of x.

    Returns
    -------
    Trajectory
        Simultaneous steps multiply the distance to (0, 0) by :func:`bilinear_growth_factor` at every step.
    """
    start = _start(start)
    step, n_steps, scheme, d_steps = _check_play(step, n_steps, scheme, d_steps)
    points = _play(lambda x, y: (-y, x), start, step, n_steps, scheme, d_steps)
    return Trajectory(points, "bilinear", scheme, step, d_steps, 0.0)


def bilinear_growth_factor(step) -> float:
    r"""The factor :math:`\sqrt{1 + h^2}` by which one simultaneous step of the bilinear game multiplies the
    distance to (0, 0): :math:`(x, y) \mapsto (x - hy,\ y + hx)` is :math:`\sqrt{1 + h^2}` times a rotation."""
    h = check_positive("step", step)
    return math.sqrt(1.0 + h * h)
