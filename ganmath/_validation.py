"""Checks at the public boundary: each raises with a message that names the parameter and the value."""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "check_finite_real",
    "check_positive",
    "check_positive_int",
    "check_in_range",
    "check_choice",
    "check_rng",
    "check_seed",
    "as_real_array",
    "check_bool",
]


def _float_array(x, name: str, *, finite: bool) -> np.ndarray:
    """``x`` as a float64 array; NaN (and, with ``finite=True``, +-inf) raise ``ValueError``."""
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number or an array of them, got {name}={x!r}") from None
    if np.any(np.isnan(arr)):
        raise ValueError(f"{name} must not contain NaN, got {name}={_short(x)}")
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {name}={_short(x)}")
    return arr


def check_finite_real(name: str, value) -> float:
    """``value`` as a float; bool, non-numbers, NaN and +-inf raise, and so does an integer too large for a float
    (``10**400``: ``ValueError`` naming the parameter, not an ``OverflowError``)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        if not (isinstance(value, np.ndarray) and value.shape == () and np.issubdtype(value.dtype, np.number)):
            raise TypeError(f"{name} must be a real number, got {name}={value!r}")
    try:
        value = float(value)
    except OverflowError:
        raise ValueError(f"{name} must be finite (representable as a float), got {name}={_short(value)}") from None
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {name}={value!r}")
    return value


def check_positive(name: str, value) -> float:
    """``value`` as a finite float > 0."""
    value = check_finite_real(name, value)
    if value <= 0:
        raise ValueError(f"{name} must be > 0, got {name}={value!r}")
    return value


def check_positive_int(name: str, value, *, allow_zero: bool = False) -> int:
    """``value`` as an int >= 1 (>= 0 with ``allow_zero``)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be an integer, got {name}={value!r}")
    smallest = 0 if allow_zero else 1
    if value < smallest:
        raise ValueError(f"{name} must be >= {smallest}, got {name}={value!r}")
    return int(value)


def check_callback(callback, callback_every) -> int:
    """A training loop's ``callback`` (None or a callable) and ``callback_every`` (an int >= 1, returned)."""
    callback_every = check_positive_int("callback_every", callback_every)
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be callable, got callback={callback!r}")
    return callback_every


def check_in_range(name: str, value, low: float, high: float, *, low_open=False, high_open=False) -> float:
    """``value`` as a finite float in the interval from ``low`` to ``high`` (ends open or closed)."""
    value = check_finite_real(name, value)
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if too_low or too_high:
        interval = f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        raise ValueError(f"{name} must lie in {interval}, got {name}={value!r}")
    return value


def check_choice(name: str, value, choices: tuple):
    """``value`` if it is one of ``choices`` (compared with ==, after a type check against the choices')."""
    if not any(type(value) is type(choice) and value == choice for choice in choices):
        raise ValueError(f"{name} must be one of {tuple(choices)}, got {name}={value!r}")
    return value


def check_seed(name: str, seed) -> np.random.Generator:
    """A ``numpy.random.Generator`` from a seed: a non-negative int, a ``SeedSequence``, or a Generator
    (returned as it is, so that its stream is shared). bool, float and other types raise TypeError."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, np.random.SeedSequence):
        return np.random.default_rng(seed)
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be a non-negative int, a numpy SeedSequence or a numpy Generator, "
                        f"got {name}={seed!r}")
    if seed < 0:
        raise ValueError(f"{name} must be >= 0, got {name}={seed!r}")
    return np.random.default_rng(int(seed))


def check_rng(rng, name: str = "rng") -> np.random.Generator:
    """``rng`` must be a ``numpy.random.Generator``: randomness is always explicit."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"{name} must be a numpy.random.Generator (np.random.default_rng(seed)), got {name}={rng!r}")
    return rng


def as_real_array(x, name: str = "x", *, finite: bool = False) -> np.ndarray:
    """``x`` as a float64 array, strict about what counts as a real number: the one array check of the package.

    numpy alone would read ``True`` as 1.0 and drop the imaginary part of a complex array with only a warning;
    here bool and complex values (scalars, arrays, or elements of a sequence) and strings raise ``TypeError``;
    NaN (and, with ``finite=True``, +-inf) raise ``ValueError``.
    """
    if isinstance(x, np.ndarray):
        raw = x
    else:
        try:
            raw = np.asarray(x)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be a real number or an array of them, got {name}={_short(x)}") from None
        if raw.dtype.kind in "fiu" and not isinstance(x, (numbers.Number, np.generic)):
            # A sequence that numpy read as numbers may still hold a bool or two among floats ([True, 0.5]).
            elements = np.asarray(x, dtype=object).ravel()
            if any(isinstance(e, (bool, np.bool_)) for e in elements):
                raise TypeError(f"{name} must hold real numbers, not bools, got {name}={_short(x)}")
    if raw.dtype.kind == "O":
        if not all(_is_real_number(e) for e in raw.ravel()):
            raise TypeError(
                f"{name} must hold real numbers (no bools, complex numbers or None), got {name}={_short(x)}"
            )
    elif raw.dtype.kind == "b":
        raise TypeError(f"{name} must be a real number or an array of them, not bool, got {name}={_short(x)}")
    elif raw.dtype.kind == "c":
        raise TypeError(f"{name} must be real, got a complex {name}={_short(x)}")
    elif raw.dtype.kind not in "fiu":
        raise TypeError(f"{name} must be a real number or an array of them, got {name}={_short(x)}")
    try:
        return _float_array(raw, name, finite=finite)
    except OverflowError:
        raise ValueError(f"{name} must hold numbers representable as floats, got {name}={_short(x)}") from None


def check_bool(name: str, value) -> bool:
    """``value`` if it is ``True`` or ``False`` (a numpy bool too); anything else, even 0, 1 or 'no', raises."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {name}={value!r}")
    return bool(value)


def _is_real_number(value) -> bool:
    return isinstance(value, (numbers.Real, np.floating, np.integer)) and not isinstance(value, (bool, np.bool_))


def _short(x) -> str:
    text = repr(x)
    return text if len(text) <= 80 else text[:77] + "..."
