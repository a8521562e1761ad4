"""Named example densities for the notebooks and their sliders: data presets and a two-mode generator."""

from __future__ import annotations

from ganmath._validation import check_finite_real, check_in_range, check_positive_int, check_rng
from ganmath.densities import Density, Mixture, Normal, Uniform

__all__ = ["data_presets", "data_preset", "two_mode_generator", "random_densities"]


def data_presets() -> dict[str, Density]:
    """The data densities a slider can choose from, by name.

    Returns
    -------
    dict[str, Density]
        ``"normal"``: N(0, 1); ``"bimodal"``: two separated modes; ``"skewed"``: a normal with a heavy right
        shoulder; ``"uniform"``: U[-1.5, 1.5], a density with edges (D* drops to 0 outside it).
    """
    return {
        "normal": Normal(0.0, 1.0),
        "bimodal": Mixture([Normal(-2.0, 0.6), Normal(2.0, 0.6)], [0.5, 0.5]),
        "skewed": Mixture([Normal(-0.5, 0.7), Normal(1.5, 1.2)], [0.7, 0.3]),
        "uniform": Uniform(-1.5, 1.5),
    }


def data_preset(name: str) -> Density:
    """One of :func:`data_presets` by name."""
    presets = data_presets()
    if name not in presets:
        raise ValueError(f"name must be one of {tuple(presets)}, got name={name!r}")
    return presets[name]


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
    spread = check_finite_real("spread", spread)
    if spread <= 0:
        raise ValueError(f"spread must be > 0, got spread={spread!r}")
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
