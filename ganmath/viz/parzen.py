"""The static picture of notebook 12: the Parzen estimate's error and the chosen width against the number of samples."""

from __future__ import annotations

import numpy as np

from ganmath.viz.plots import new_figure

__all__ = ["parzen_study_figure"]


def parzen_study_figure(sizes, estimates: list, sigmas: list, exact_on_test: float, exact: float):
    """Left: every estimate minus the exact p_g's mean log-density on the same test set, with the mean per size.
    Right: the width chosen on the validation set, per repeat.

    Parameters
    ----------
    sizes : ndarray, shape (k,)
    estimates, sigmas : list of k arrays
        Per size, the estimate and the chosen width of each repeat.
    exact_on_test, exact : float
        The exact p_g's mean log-density on the test set, and its expectation under the data.
    """
    figure, (left, right) = new_figure(1, 2, width=11.5, height=3.6)
    for n, values in zip(sizes, estimates):
        left.plot(np.full(values.size, n), values - exact_on_test, "o", color="tab:purple", alpha=0.35, markersize=4)
    means = np.array([np.mean(values) for values in estimates]) - exact_on_test
    left.plot(sizes, means, "-", color="tab:purple", linewidth=2.0, label="mean over repeats")
    left.axhline(0.0, color="green", linewidth=1.4, label=r"exact $p_g$ on the same test points")
    left.axhline(exact - exact_on_test, color="green", linestyle="--", linewidth=1.0,
                 label=r"exact $\mathbb{E}_{p_\mathrm{data}}[\log p_g]$")
    left.set_xscale("log")
    left.set_xlabel("generated samples n")
    left.set_ylabel("Parzen estimate − exact (nats)")
    left.legend(fontsize=8, loc="lower right")
    for n, values in zip(sizes, sigmas):
        right.plot(np.full(values.size, n), values, "o", color="tab:purple", alpha=0.35, markersize=4)
    right.set_xscale("log")
    right.set_yscale("log")
    right.set_xlabel("generated samples n")
    right.set_ylabel("σ chosen on validation")
    return figure
