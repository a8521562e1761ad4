"""Rates with Wilson intervals and medians with quartiles, against their defining equations."""

import math

import numpy as np
import pytest
from scipy import stats as scipy_stats

from ganmath.stats import rate, spread, wilson_interval


@pytest.mark.parametrize("successes, trials", [(0, 32), (1, 32), (16, 32), (29, 32), (31, 32), (32, 32), (8, 10), (1, 1)])
def test_wilson_bounds_solve_the_score_equation(successes, trials):
    """Each bound strictly inside (0, 1) is a root of (p_hat - p)^2 = z^2 p (1 - p) / n."""
    z = scipy_stats.norm.ppf(0.975)
    p_hat = successes / trials
    low, high = wilson_interval(successes, trials)
    assert 0.0 <= low <= p_hat <= high <= 1.0
    for bound in (low, high):
        if 0.0 < bound < 1.0:
            assert (p_hat - bound) ** 2 == pytest.approx(z * z * bound * (1 - bound) / trials, rel=1e-12)
    if successes == 0:
        assert low == 0.0
    if successes == trials:
        assert high == 1.0


def test_wilson_interval_of_8_in_10_matches_the_published_value():
    # Newcombe (1998), Table I: 8/10 -> 0.4902, 0.9433 for the score interval without continuity correction.
    low, high = wilson_interval(8, 10)
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)


def test_rate_and_spread():
    r = rate(np.array([True] * 29 + [False] * 3))
    assert (r.successes, r.trials) == (29, 32) and r.fraction == pytest.approx(29 / 32)
    assert "29 of 32" in str(r) and r.as_dict()["ci95"][0] < 29 / 32 < r.as_dict()["ci95"][1]
    s = spread(np.arange(1.0, 10.0))
    assert (s.median, s.lower_quartile, s.upper_quartile, s.n) == (5.0, 3.0, 7.0, 9)


@pytest.mark.parametrize("call, error, word", [
    (lambda: wilson_interval(3, 2), ValueError, "successes"),
    (lambda: wilson_interval(1, 0), ValueError, "trials"),
    (lambda: wilson_interval(1, 2, confidence=1.0), ValueError, "confidence"),
    (lambda: wilson_interval(1.5, 2), TypeError, "successes"),
    (lambda: rate([1, 0]), ValueError, "outcomes"),
    (lambda: spread([1.0, math.nan]), ValueError, "values"),
])
def test_bad_input_names_the_parameter(call, error, word):
    with pytest.raises(error, match=word):
        call()


def test_a_rate_reads_as_a_course_states_it():
    from scipy.stats import binomtest

    low, high = binomtest(31, 32).proportion_ci(confidence_level=0.95, method="wilson")
    assert f"{100 * low:.0f}-{100 * high:.0f}" == "84-99"
    assert str(rate(np.arange(32) > 0)) == "31 of 32 (95% interval 84-99%)"
    assert str(rate(np.zeros(32, dtype=bool))) == "0 of 32 (95% interval 0-11%)"
