r"""Stored training records: the arithmetic that made them, and a fingerprint that a fresh run is checked against.

The same seed gives the same bits only under the same arithmetic: the same numpy and the same BLAS kernel.
Another kernel rounds the matrix products of the first iteration differently, by an ulp or two, and a GAN run
is chaotic in those bits: after a few thousand iterations it is another run, and what holds on every machine is a
rate over seeds. So every record of training written to ``ganmath/data`` carries

* ``arithmetic``: what :func:`arithmetic` reports, the numpy version and the BLAS library, its version, the
  kernel it chose for this CPU (threadpoolctl's ``architecture``; the processor's name says nothing about it) and
  its number of threads (OpenBLAS takes another path through a long product when it may use two threads: the
  exact inner loop of :meth:`ganmath.gan.Population.fit_discriminators`, over 4,001 points, differed in its last bit
  between one thread and two);
* ``fingerprint``: a few seeds' first steps and the numbers after a short prefix of the record's own protocol,
  which a test retrains in seconds.

:func:`fingerprint_mismatches` compares a fresh fingerprint with the stored one: bit for bit when the arithmetic
is the one recorded (:func:`same_arithmetic`), within a relative :data:`FINGERPRINT_RTOL` otherwise. Measured on a
1-32-32-1 GAN, OpenBLAS's Prescott, Sandybridge and SkylakeX kernels against Haswell: the first 20 losses differ
by at most 2.2e-16 relative, the losses of 300 iterations by 1.3e-15 and the exact JS after them by 8.8e-15.
A change to the training code (another learning rate, draw order or formula) moves them by 1e-4 or more, so the
tolerance, 1e-9, separates the two by five orders of magnitude on either side.

A record whose fingerprint no longer matches was made by other code: regenerate it with the command it names.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

__all__ = [
    "FINGERPRINT_RTOL",
    "arithmetic",
    "same_arithmetic",
    "describe_arithmetic",
    "fingerprint_mismatches",
    "read_json",
    "write_json",
]

#: Relative tolerance of a fingerprint made under another arithmetic (see the module's docstring).
FINGERPRINT_RTOL = 1e-9

#: The fields of :func:`arithmetic` that decide whether two runs of the same code give the same bits.
_SAME_BITS_FIELDS = ("numpy", "blas", "blas_version", "blas_kernel", "blas_threads")


def arithmetic() -> dict:
    """The arithmetic below this process's numbers: numpy's version and its BLAS library, version and kernel.

    Returns
    -------
    dict
        ``numpy``, ``blas`` (threadpoolctl's ``internal_api``, e.g. ``"openblas"``), ``blas_version``,
        ``blas_kernel`` (e.g. ``"Haswell"``; OpenBLAS chooses it at start-up from the CPU, and the environment
        variable ``OPENBLAS_CORETYPE`` overrides the choice), ``blas_threads`` (its thread limit now; the
        environment variable ``OPENBLAS_NUM_THREADS`` sets it, and the test commands set it to 1) and ``machine``.
    """
    import platform

    from threadpoolctl import threadpool_info

    blas = _numpy_blas(threadpool_info())
    return {"numpy": np.__version__, "blas": blas.get("internal_api", "unknown"),
            "blas_version": blas.get("version") or "unknown", "blas_kernel": blas.get("architecture") or "unknown",
            "blas_threads": blas.get("num_threads") or "unknown", "machine": platform.machine()}


def _numpy_blas(infos: list) -> dict:
    """The BLAS that numpy itself links (numpy's wheels bring their own OpenBLAS, beside any other)."""
    blas = [info for info in infos if info.get("user_api") == "blas"]
    for info in blas:
        if "numpy" in str(info.get("filepath", "")):
            return info
    return blas[0] if blas else {}


def same_arithmetic(recorded, current: dict | None = None) -> bool:
    """Whether ``recorded`` (an :func:`arithmetic` dict stored with some numbers) is the arithmetic of this process
    (or of ``current``): the same numpy and the same BLAS library, version, kernel and number of threads. A record
    without one, or with a field unknown, is never the same."""
    if not isinstance(recorded, dict):
        return False
    current = arithmetic() if current is None else current
    return all(recorded.get(key) not in (None, "unknown") and recorded.get(key) == current.get(key)
               for key in _SAME_BITS_FIELDS)


def describe_arithmetic(recorded: dict) -> str:
    """One line for people: ``"numpy 2.4.6, openblas 0.3.31 (Haswell kernel, 1 thread)"``."""
    threads = recorded.get("blas_threads", "?")
    return (f"numpy {recorded.get('numpy', '?')}, {recorded.get('blas', '?')} {recorded.get('blas_version', '?')} "
            f"({recorded.get('blas_kernel', '?')} kernel, {threads} thread{'' if threads == 1 else 's'})")


def fingerprint_mismatches(stored: dict, fresh: dict, *, exact: bool, rtol: float = FINGERPRINT_RTOL) -> list[str]:
    """Where a freshly computed fingerprint differs from the stored one.

    Parameters
    ----------
    stored, fresh : dict
        Fingerprints: the same keys, each value a number, a (nested) list of numbers, or a dict of them.
    exact : bool
        Compare bit for bit (the arithmetic is the recorded one) or within ``rtol``.
    rtol : float
        The relative tolerance when not exact.

    Returns
    -------
    list of str
        One line per key that differs, naming the key, the largest relative difference and the values at it;
        empty when they agree.
    """
    if not isinstance(stored, dict) or not isinstance(fresh, dict):
        raise TypeError(f"stored and fresh must be dicts, got {type(stored).__name__} and {type(fresh).__name__}")
    out = []
    if set(stored) != set(fresh):
        out.append(f"keys differ: stored {sorted(stored)}, fresh {sorted(fresh)}")
    for key in sorted(set(stored) & set(fresh)):
        a, b = stored[key], fresh[key]
        if isinstance(a, dict) or isinstance(b, dict):
            if not (isinstance(a, dict) and isinstance(b, dict)):
                out.append(f"{key}: stored {a!r}, fresh {b!r}")
                continue
            out += [f"{key}.{line}" for line in fingerprint_mismatches(a, b, exact=exact, rtol=rtol)]
            continue
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        if a.shape != b.shape:
            out.append(f"{key}: shapes differ, stored {a.shape}, fresh {b.shape}")
            continue
        same_nan = np.isnan(a) & np.isnan(b)
        if exact:
            differ = ~((a == b) | same_nan)
        else:
            differ = ~(np.isclose(b, a, rtol=rtol, atol=0.0) | same_nan)
        if np.any(differ):
            with np.errstate(divide="ignore", invalid="ignore"):
                relative = np.where(differ, np.abs(a - b) / np.abs(a), 0.0)
            at = np.unravel_index(int(np.nanargmax(np.where(np.isnan(relative), np.inf, relative))), a.shape)
            out.append(f"{key}: {int(differ.sum())} of {a.size} values differ ({'bit for bit' if exact else f'rtol {rtol:g}'}); "
                       f"largest relative difference {float(relative[at]):.3g} at {tuple(int(i) for i in at)}: "
                       f"stored {float(a[at])!r}, fresh {float(b[at])!r}")
    return out


def read_json(path) -> dict:
    """A committed record (one JSON object)."""
    return json.loads(Path(path).read_text())


def write_json(record: dict, path) -> None:
    """Write a record as sorted, indented JSON with a final newline (non-finite numbers refused: write None)."""
    _check_finite(record, "record")
    Path(path).write_text(json.dumps(record, sort_keys=True, indent=1, allow_nan=False) + "\n")


def _check_finite(value, where: str):
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{where} is {value!r}: store None for a value a run could not measure")
    if isinstance(value, dict):
        for key, item in value.items():
            _check_finite(item, f"{where}[{key!r}]")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _check_finite(item, f"{where}[{i}]")
