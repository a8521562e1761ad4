r"""How a claim from training is stated: a rate over seeds with its Wilson interval, or a median with quartiles.

A GAN run is chaotic in the last bits of its arithmetic, so a claim about training is a claim about a
population of seeded runs. :func:`rate` states how often a bound held; :func:`spread` how a number varies.

The Wilson score interval (Wilson 1927) for :math:`k` successes in :math:`n` trials at confidence
:math:`1 - \alpha` is the set of :math:`p` with :math:`|\hat p - p| \le z \sqrt{p(1-p)/n}`,
:math:`\hat p = k/n`, :math:`z = \Phi^{-1}(1 - \alpha/2)`:

.. math:: \frac{\hat p + \frac{z^2}{2n} \pm z\sqrt{\frac{\hat p(1-\hat p)}{n} + \frac{z^2}{4n^2}}}{1 + \frac{z^2}{n}}

Unlike :math:`\hat p \pm z\sqrt{\hat p(1-\hat p)/n}`, it stays in [0, 1] and is not empty at 0/n or n/n.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

from ganmath._validation import check_in_range, check_positive_int

__all__ = ["wilson_interval", "Rate", "rate", "Spread", "spread"]


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval of a binomial proportion.

    Parameters
    ----------
    successes : int, 0 <= successes <= trials
    trials : int >= 1
    confidence : float in (0, 1)

    Returns
    -------
    (low, high) : floats in [0, 1]
    """
    trials = check_positive_int("trials", trials)
    successes = check_positive_int("successes", successes, allow_zero=True)
    if successes > trials:
        raise ValueError(f"successes must be <= trials ({trials}), got successes={successes!r}")
    confidence = check_in_range("confidence", confidence, 0.0, 1.0, low_open=True, high_open=True)
    z = float(special.ndtri(0.5 + confidence / 2))
    p = successes / trials
    z2n = z * z / trials
    centre = (p + z2n / 2) / (1 + z2n)
    half = z * math.sqrt(p * (1 - p) / trials + z2n / (4 * trials)) / (1 + z2n)
    # At 0/n and n/n one end is exactly 0 or 1; clip the other rounding.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high


@dataclass(frozen=True)
class Rate:
    """How often a claim held: ``successes`` of ``trials``, with its 95% Wilson interval."""

    successes: int
    trials: int
    low: float
    high: float

    @property
    def fraction(self) -> float:
        return self.successes / self.trials

    def __str__(self):
        """As a course states it: ``31 of 32 (95% interval 84-99%)``."""
        return f"{self.successes} of {self.trials} (95% interval {100 * self.low:.0f}-{100 * self.high:.0f}%)"

    def as_dict(self) -> dict:
        return {"successes": self.successes, "trials": self.trials, "rate": round(self.fraction, 4),
                "ci95": [round(self.low, 4), round(self.high, 4)]}


def rate(outcomes) -> Rate:
    """The :class:`Rate` of an array of booleans (one per seeded run; NaN comparisons count as failures)."""
    outcomes = np.asarray(outcomes)
    if outcomes.ndim != 1 or outcomes.size == 0 or outcomes.dtype != bool:
        raise ValueError(f"outcomes must be a non-empty 1-D array of booleans, got {outcomes!r}")
    successes = int(np.count_nonzero(outcomes))
    return Rate(successes, outcomes.size, *wilson_interval(successes, outcomes.size))


@dataclass(frozen=True)
class Spread:
    """The median and the quartiles of a number measured over seeded runs."""

    median: float
    lower_quartile: float
    upper_quartile: float
    n: int

    def __str__(self):
        return f"median {self.median:.3g} (quartiles {self.lower_quartile:.3g}-{self.upper_quartile:.3g}, n = {self.n})"

    def as_dict(self) -> dict:
        return {"median": self.median, "quartiles": [self.lower_quartile, self.upper_quartile], "n": self.n}


def spread(values) -> Spread:
    """The :class:`Spread` of a 1-D array of finite numbers (NaN raises: a failed run is a claim of its own)."""
    values = np.asarray(values, dtype=float)
    if values.ndim != 1 or values.size == 0 or not np.all(np.isfinite(values)):
        raise ValueError(f"values must be a non-empty 1-D array of finite numbers, got {values!r}")
    lower, median, upper = np.percentile(values, [25, 50, 75])
    return Spread(float(median), float(lower), float(upper), values.size)
