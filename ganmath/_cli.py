"""The command lines' argument types (``python -m ganmath`` and ``python -m ganmath.experiments.dcgan``): each
refuses a bad value with a message that names the argument and the value, and argparse exits with status 2."""

from __future__ import annotations

import argparse

__all__ = ["seed_range", "non_negative_int"]


def seed_range(text: str) -> range:
    """``"A:B"`` as ``range(A, B)``, with integers 0 <= A < B."""
    try:
        start, stop = (int(part) for part in text.split(":"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"seeds must be A:B with integers 0 <= A < B, got {text!r}") from None
    if not 0 <= start < stop:
        raise argparse.ArgumentTypeError(f"seeds must be A:B with integers 0 <= A < B, got {text!r}")
    return range(start, stop)


def non_negative_int(name: str):
    """The argument type of an integer >= 0 called ``name`` (named in the message a bad value gets)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a non-negative integer, got {text!r}") from None
        if value < 0:
            raise argparse.ArgumentTypeError(f"{name} must be a non-negative integer, got {text!r}")
        return value

    parse.__name__ = name
    return parse
