r"""The slider of notebook 12: the paper's Parzen-window estimate against the exact :math:`\mathbb E_{p_\mathrm{data}}[\log p_g]`.

:func:`parzen_sliders` takes a trained generator (:func:`ganmath.experiments.parzen_evaluation.trained_generator`).
The sliders set the number of generated samples n and the window width :math:`\sigma`. Left: :math:`p_\mathrm{data}`,
the exact :math:`p_g` and the window density on the first n samples of a fixed pool. Right: the estimate against
:math:`\sigma` for this n, the current :math:`\sigma`, the width the validation search chooses, and the exact value as a
fixed line.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ganmath.core.parzen import parzen_log_density, parzen_scores
from ganmath.experiments.parzen_evaluation import TrainedGenerator
from ganmath.ui.panel import SLIDER_LAYOUT, SLIDER_STYLE, SliderPanel, slider
from ganmath.viz import drawing, palette, render

__all__ = ["parzen_sliders"]


def parzen_sliders(generator: TrainedGenerator, *, max_samples: int = 10_000, n_validation: int = 200,
                   n_test: int = 200, seed: int = 0, x_range=(-3.5, 3.5)) -> SliderPanel:
    """Sliders for the number of samples (10 to ``max_samples``, log scale) and the window width.

    Returns
    -------
    SliderPanel
        ``result``: ``n``, ``sigma``, ``estimate`` (mean test log-likelihood at this sigma), ``chosen_sigma`` (the
        validation search's width for this n) and ``exact``.
    """
    if not isinstance(generator, TrainedGenerator):
        raise TypeError(f"generator must be a TrainedGenerator, got generator={generator!r}")
    rng = np.random.default_rng(seed)
    pool = generator.sample(max_samples, rng)
    validation = generator.data.sample(n_validation, rng)
    test = generator.data.sample(n_test, rng)
    sigmas = np.geomspace(0.005, 3.0, 20)
    x = np.linspace(*x_range, 561)

    figure, (left, right) = render.widget_figure(1, 2, width=11.5, height=4.3, top=0.82, bottom=0.14, wspace=0.3)
    left.plot(x, generator.data.pdf(x), **palette.DATA_STYLE)
    left.plot(x, generator.density.pdf(x), **{**palette.GENERATOR_STYLE, "label": r"exact $p_g$"})
    (window_line,) = left.plot(x, np.zeros_like(x), color="tab:purple", linewidth=1.5,
                               label=r"Parzen window on n samples")
    left.set_xlim(*x_range)
    left.set_ylim(0.0, 0.65)
    left.set_xlabel("x")
    left.set_ylabel("density")
    left.legend(loc="upper left", fontsize=8)

    (curve,) = right.semilogx(sigmas, np.zeros_like(sigmas), color="tab:purple", linewidth=2.0,
                              label="Parzen estimate at this n")
    marker = drawing.draw_marker(right, 0.1, 0.0, "tab:purple")
    chosen_line = right.axvline(0.1, color="tab:purple", linestyle=":", linewidth=1.2, label="σ chosen on validation")
    right.axhline(generator.exact, color="green", linewidth=1.5, label=r"exact $\mathbb{E}_{p_\mathrm{data}}[\log p_g]$")
    right.set_xlim(sigmas[0], sigmas[-1])
    right.set_ylim(generator.exact - 2.0, generator.exact + 0.6)
    right.set_xlabel("window width σ")
    right.set_ylabel("mean test log-likelihood")
    right.legend(loc="lower center", fontsize=8)
    renderer = render.FigureRenderer(figure, [window_line, curve, marker, chosen_line, left.title, right.title])

    def update(log_n, sigma):
        n = int(round(10.0**log_n))
        samples = pool[:n]
        window_line.set_ydata(np.exp(parzen_log_density(samples, x, sigma)))
        scores = parzen_scores(samples, test, sigmas)
        curve.set_ydata(np.maximum(scores, generator.exact - 10.0))
        estimate = float(np.mean(parzen_log_density(samples, test, sigma)))
        drawing.move_marker(marker, sigma, max(estimate, generator.exact - 10.0))
        chosen = float(sigmas[int(np.argmax(parzen_scores(samples, validation, sigmas)))])
        chosen_line.set_xdata([chosen, chosen])
        left.set_title(f"n = {n:,} samples of G, σ = {sigma:.3g}", fontsize=10)
        right.set_title(f"estimate at σ = {sigma:.3g}: {estimate:.3f}\n"
                        f"exact: {generator.exact:.3f};  validation chooses σ = {chosen:.3g}", fontsize=10)
        return {"n": n, "sigma": sigma, "estimate": estimate, "chosen_sigma": chosen, "exact": generator.exact}

    controls = {
        "log_n": slider("log10 n", 2.0, 1.0, float(np.log10(max_samples)), 0.25),
        "sigma": widgets.FloatLogSlider(value=0.2, base=10.0, min=-2.3, max=0.45, step=0.05, description="window σ",
                                        continuous_update=True, readout_format=".3g", style=SLIDER_STYLE,
                                        layout=widgets.Layout(**SLIDER_LAYOUT)),
    }
    return SliderPanel(controls, renderer, update)
