"""Every named density the notebooks, the experiments and the trainer use, defined once: data presets, noise
priors, a mixture built from slider values, a two-mode generator, and random densities for checks."""

from __future__ import annotations

import math

from ganmath._validation import (
    check_finite_real,
    check_in_range,
    check_positive,
    check_positive_int,
    check_rng,
)
from ganmath.core.densities import Density, Mixture, Normal, TruncatedNormal, Uniform

__all__ = ["data_presets", "data_preset", "NOISE_PRIORS", "noise_prior", "mixture_from_parameters", "two_mode_generator",
           "random_densities"]

NOISE_PRIORS = ("normal", "uniform")


def data_presets() -> dict[str, Density]:
    """The data densities a slider can choose from, by name.

    Returns
    -------
    dict[str, Density]
        ``"normal"``: N(0, 1); ``"bimodal"``: two separated modes; ``"skewed"``: a normal with a heavy right
        shoulder; ``"uniform"``: U[-1.5, 1.5], a density with edges (D* drops to 0 outside it);
        ``"one Gaussian"``: N(2, 0.6); ``"two modes"``: N(-2, 0.5) and N(2, 0.5), equally weighted (notebook 09);
        ``"three modes"``: N(-3, 0.4), N(0, 0.4), N(3, 0.4); ``"N(4, 0.5)"``: the GAN's usual data;
        ``"truncated normal"``: N(0, 1) on [-2, 2], the data of Figure 1.
    """
    return {
        "normal": Normal(0.0, 1.0),
        "bimodal": Mixture([Normal(-2.0, 0.6), Normal(2.0, 0.6)], [0.5, 0.5]),
        "skewed": Mixture([Normal(-0.5, 0.7), Normal(1.5, 1.2)], [0.7, 0.3]),
        "uniform": Uniform(-1.5, 1.5),
        "one Gaussian": Normal(2.0, 0.6),
        "two modes": Mixture([Normal(-2.0, 0.5), Normal(2.0, 0.5)], [0.5, 0.5]),
        "three modes": Mixture([Normal(-3.0, 0.4), Normal(0.0, 0.4), Normal(3.0, 0.4)]),
        "N(4, 0.5)": Normal(4.0, 0.5),
        "truncated normal": TruncatedNormal(0.0, 1.0, -2.0, 2.0),
    }


def data_preset(name: str) -> Density:
    """One of :func:`data_presets` by name."""
    presets = data_presets()
    if name not in presets:
        raise ValueError(f"name must be one of {tuple(presets)}, got name={name!r}")
    return presets[name]


def noise_prior(name: str) -> Density:
    """p_z by name: ``"normal"`` N(0, 1) or ``"uniform"`` U(-1, 1) (the paper's Figure 1)."""
    if name == "normal":
        return Normal(0.0, 1.0)
    if name == "uniform":
        return Uniform(-1.0, 1.0)
    raise ValueError(f"noise must be one of {NOISE_PRIORS}, got noise={name!r}")


def mixture_from_parameters(means, spreads, weights) -> Density:
    r"""The Gaussian mixture :math:`\sum_k w_k\,\mathcal N(\mu_k, s_k^2)` built from slider values.

    Parameters
    ----------
    means : sequence of float, length n
    spreads : sequence of float > 0, length n
    weights : sequence of float >= 0, length n
        Relative weights, not all 0; they are divided by their sum.

    Returns
    -------
    Density
        A ``Normal`` for one component (or one with non-zero weight), else a ``Mixture``.
    """
    try:
        means, spreads, weights = list(means), list(spreads), list(weights)
    except TypeError:
        raise TypeError(f"means, spreads and weights must be sequences, got means={means!r}, "
                        f"spreads={spreads!r}, weights={weights!r}") from None
    if not means:
        raise ValueError("means must hold at least one value, got means=[]")
    if not (len(means) == len(spreads) == len(weights)):
        raise ValueError(f"means, spreads and weights must have the same length, got {len(means)}, "
                         f"{len(spreads)}, {len(weights)}")
    means = [check_finite_real(f"means[{i}]", v) for i, v in enumerate(means)]
    spreads = [check_positive(f"spreads[{i}]", v) for i, v in enumerate(spreads)]
    weights = [check_finite_real(f"weights[{i}]", v) for i, v in enumerate(weights)]
    for i, w in enumerate(weights):
        if w < 0:
            raise ValueError(f"weights[{i}] must be >= 0, got weights[{i}]={w!r}")
    total = math.fsum(weights)
    if total <= 0:
        raise ValueError(f"weights must not all be 0, got weights={weights!r}")
    kept = [(m, s, w / total) for m, s, w in zip(means, spreads, weights) if w > 0]
    if len(kept) == 1:
        return Normal(kept[0][0], kept[0][1])
    return Mixture([Normal(m, s) for m, s, _ in kept], [w for _, _, w in kept])


def two_mode_generator(mean, spread, second_weight=0.0, second_offset=3.0) -> Density:
    r"""A generator density with a main mode and an optional second one.

    .. math:: p_g = (1 - w)\,\mathcal N(m, s^2) + w\,\mathcal N(m + \delta, s^2)

    Parameters
    ----------
    mean : float
        m, the main mode's centre.
    spread : float
        s > 0, both modes' standard deviation.
    second_weight : float in [0, 1)
        w, the second mode's mass; 0 gives a plain normal.
    second_offset : float
        :math:`\delta`, the second mode's distance from the first.

    Returns
    -------
    Density
        ``Normal(mean, spread)`` when ``second_weight`` is 0, else a ``Mixture``.
    """
    mean = check_finite_real("mean", mean)
    spread = check_positive("spread", spread)
    weight = check_in_range("second_weight", second_weight, 0.0, 1.0, high_open=True)
    offset = check_finite_real("second_offset", second_offset)
    main = Normal(mean, spread)
    if weight == 0.0:
        return main
    return Mixture([main, Normal(mean + offset, spread)], [1.0 - weight, weight])


def random_densities(n, rng) -> list[Density]:
    """``n`` random generator densities for checks over many cases: normals, uniforms and two-normal mixtures.

    Kinds are drawn with equal probability; normals have means in [-3, 5] and spreads in [0.3, 2];
    uniforms start in [-3, 4] and have widths in [0.5, 3]; mixtures hold two equally weighted normals with
    means in [-3, 5] and spreads in [0.3, 1.5].

    Parameters
    ----------
    n : int
    rng : numpy.random.Generator

    Returns
    -------
    list of Density
    """
    n = check_positive_int("n", n, allow_zero=True)
    rng = check_rng(rng)
    out = []
    for _ in range(n):
        kind = rng.integers(3)
        if kind == 0:
            out.append(Normal(rng.uniform(-3, 5), rng.uniform(0.3, 2.0)))
        elif kind == 1:
            low = rng.uniform(-3, 4)
            out.append(Uniform(low, low + rng.uniform(0.5, 3.0)))
        else:
            parts = [Normal(rng.uniform(-3, 5), rng.uniform(0.3, 1.5)) for _ in range(2)]
            out.append(Mixture(parts, [0.5, 0.5]))
    return out
