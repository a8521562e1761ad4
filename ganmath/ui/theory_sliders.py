r"""Sliders for the theory notebooks (01-05): each factory builds its sliders and a figure, and returns a
:class:`ganmath.ui.panel.SliderPanel`.

- :func:`likelihood_sliders` (notebook 1): a normal model's mean and spread against data; the KL and the
  log-likelihood move together.
- :func:`discriminator_sliders` (notebook 3): p_g's mean, spread and second mode against a data preset;
  D*, the integrand of C(G), V(D*, G), C(G), JS; a label-smoothing slider.
- :func:`criterion_sliders` (notebook 4): p_g's mean and spread; C(G) descends to -log 4 at p_g = p_data.
- :func:`vanishing_sliders` (notebook 5): the distance between two Gaussians or two uniforms and their width;
  the JS and its slope against W1.
- :func:`generator_gradient_sliders` (notebook 5): the distance between two Gaussians; each generator cost's
  slope at the generator's samples and its gradient through the frozen D*, one column per cost.

Every axis is labelled and every legend sits under its axes, off the data; the x-ranges follow the densities.
"""


from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np

from ganmath._validation import check_positive, check_positive_int
from ganmath.constants import LOG2, LOG4
from ganmath.core.costs import GENERATOR_LOSSES, generator_cost_grad
from ganmath.core.densities import Density, Normal, Uniform, check_density
from ganmath.core.divergences import js_divergence, kl_divergence, wasserstein1
from ganmath.core.likelihood import entropy, mean_log_likelihood, normal_cross_entropy
from ganmath.core.pointwise import criterion_integrand, smoothed_optimal_discriminator
from ganmath.core.presets import data_presets, two_mode_generator
from ganmath.core.theory import (
    optimal_discriminator,
    optimal_discriminator_logit,
    value_function,
    virtual_criterion,
)
from ganmath.core.vanishing import (
    gaussian_js,
    gaussian_js_deficit,
    gaussian_js_slope,
    generator_gradient,
    shifted_uniforms_js,
    shifted_uniforms_js_slope,
)
from ganmath.ui.panel import SLIDER_STYLE, SliderPanel, slider
from ganmath.viz import drawing, palette, render, theory_figures

__all__ = [
    "likelihood_sliders",
    "discriminator_sliders",
    "criterion_sliders",
    "vanishing_sliders",
    "generator_gradient_sliders",
]


# ---------------------------------------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------------------------------------

# Under each axes: its x label, then its legend (drawing.legend_below), then the next row or the image's edge.
_LEGEND_DROP = 0.48


def _grid(low: float, high: float, step: float = 0.02) -> np.ndarray:
    """A fixed grid over everything a slider can reach: lines keep their x, only the axes' window moves."""
    return np.linspace(low, high, int(round((high - low) / step)) + 1)


def _central_range(density: Density, tail: float = 5e-4) -> tuple[float, float]:
    """Where a density has its mass: between its ``tail`` and ``1 - tail`` quantiles."""
    low, high = density.ppf(np.array([tail, 1.0 - tail]))
    return float(low), float(high)


def _density_top(*peaks: float) -> float:
    """The top of a density axes that also shows D in [0, 1]: above the highest peak, on a step of 0.5."""
    return max(1.05, drawing.nice_top(1.08 * max(peaks), 0.5))


def _ladder_top(value: float, start: float) -> float:
    """The smallest of ``start * (1, 1.5, 2, 3, 4, 6, ...)`` at or above ``value``: a limit that changes rarely."""
    power = start * 2.0 ** max(0, math.floor(math.log2(max(value, start) / start) + 1e-9))
    return power if value <= power * (1 + 1e-9) else (1.5 * power if value <= 1.5 * power else 2.0 * power)


# ---------------------------------------------------------------------------------------------------------
# Notebook 1: the likelihood and the KL move together
# ---------------------------------------------------------------------------------------------------------


def likelihood_sliders(p_data: Density | None = None, *, n_samples: int = 500, seed: int = 0,
                       x_range=(-5.0, 5.0)) -> SliderPanel:
    r"""Sliders for a normal model :math:`q = \mathcal N(\mu, \sigma^2)` fitted to ``p_data``.

    Left: p_data, a histogram of ``n_samples`` draws and the model; the x-range holds the data (``x_range``)
    and follows the model out of it, the y-range follows the model's peak. Right, against :math:`\mu` at the
    current :math:`\sigma`: :math:`\mathrm{KL}(p_\mathrm{data}\,\|\,q)` (closed form,
    :func:`ganmath.core.likelihood.normal_cross_entropy` minus the entropy) and its sample estimate
    :math:`-\frac1n\sum\log q(x_i) - H(p_\mathrm{data})`, with markers at the current model, which the y-range
    keeps in view.

    Parameters
    ----------
    p_data : Density, optional
        The ``"skewed"`` preset of :func:`ganmath.core.presets.data_presets` by default.
    n_samples : int
    seed : int
        Seed of the samples' generator.
    x_range : tuple of float
        The histogram's range, and the least x-range shown.

    Returns
    -------
    SliderPanel
        ``result``: ``mu``, ``sigma``, ``kl`` (by quadrature), ``expected_log_likelihood``,
        ``mean_log_likelihood`` (of the samples), ``entropy``.
    """
    p_data = data_presets()["skewed"] if p_data is None else check_density("p_data", p_data)
    n_samples = check_positive_int("n_samples", n_samples)
    samples = p_data.sample(n_samples, np.random.default_rng(seed))
    data_entropy = entropy(p_data)
    mu_range, sigma_range = (-4.0, 4.0), (0.3, 3.0)
    x = _grid(min(x_range[0], mu_range[0] - 4 * sigma_range[1]), max(x_range[1], mu_range[1] + 4 * sigma_range[1]))
    data_values = p_data.pdf(x)
    data_peak = float(np.max(data_values))
    mu_grid = np.linspace(*mu_range, 161)

    figure, (left, right) = render.widget_figure(1, 2, width=11.5, height=4.5, bottom=0.27, top=0.85)
    drawing.draw_histogram(left, samples, bins=40, range=x_range, label=f"{n_samples} samples")
    left.plot(x, data_values, **palette.DATA_STYLE)
    model_line = drawing.draw_curve(left, x, np.zeros_like(x), palette.GENERATOR_STYLE, label=r"model $q$")
    left.set_xlabel("x")
    left.set_ylabel("density")
    drawing.legend_below(left, ncols=3, drop=_LEGEND_DROP)

    kl_line = drawing.draw_curve(right, mu_grid, np.zeros_like(mu_grid), palette.CURVE_STYLES["kl"])
    nll_line = drawing.draw_curve(right, mu_grid, np.zeros_like(mu_grid), palette.CURVE_STYLES["nll"])
    kl_marker = drawing.draw_marker(right, 0.0, 0.0, palette.CURVE_STYLES["kl"]["color"])
    nll_marker = drawing.draw_marker(right, 0.0, 0.0, palette.CURVE_STYLES["nll"]["color"])
    right.axvline(p_data.mean, **palette.LEVEL_STYLE, label=r"$\mu = \mathbb{E}[x]$ of $p_\mathrm{data}$")
    right.set_xlim(mu_grid[0], mu_grid[-1])
    right.set_xlabel(r"model mean $\mu$ (at the slider's $\sigma$)")
    right.set_ylabel("nats")
    drawing.legend_below(right, ncols=2, drop=_LEGEND_DROP)

    renderer = render.FigureRenderer(
        figure, [model_line, kl_line, nll_line, kl_marker, nll_marker, left.title, right.title]
    )
    curves_for = {}

    def update(mu, sigma):
        model = Normal(mu, sigma)
        model_line.set_ydata(model.pdf(x))
        # Limits that change only now and then: each change costs a full redraw of the figure.
        left.set_xlim(*drawing.window(mu - 4 * sigma, mu + 4 * sigma, base=x_range, step=5.0))
        left.set_ylim(0.0, drawing.nice_top(1.08 * max(data_peak, float(model.pdf(mu))), 0.5))
        if sigma not in curves_for:
            kl_curve = normal_cross_entropy(p_data, mu_grid, sigma) - data_entropy
            # log N(x; m, s^2) = log N(x - m; 0, s^2): one array for the whole grid of means.
            log_likelihoods = Normal(0.0, sigma).logpdf(samples[None, :] - mu_grid[:, None])
            nll_curve = -log_likelihoods.mean(axis=1) - data_entropy
            curves_for.clear()
            curves_for[sigma] = (kl_curve, nll_curve)
        kl_curve, nll_curve = curves_for[sigma]
        kl_line.set_ydata(kl_curve)
        nll_line.set_ydata(nll_curve)
        kl = kl_divergence(p_data, model)
        expected = -(data_entropy + kl)
        sample_mean = mean_log_likelihood(model, samples)
        estimate = -sample_mean - data_entropy
        drawing.move_marker(kl_marker, mu, kl)
        drawing.move_marker(nll_marker, mu, estimate)
        # Both whole curves, and so the markers on them, in view at every spread; the top doubles when it must.
        top = _ladder_top(1.05 * max(float(np.max(kl_curve)), float(np.max(nll_curve))), 4.0)
        lowest = float(np.min(nll_curve))   # the sample estimate can dip below 0, the KL cannot
        right.set_ylim(-0.04 * top if lowest > -0.02 * top else -drawing.nice_top(0.02 * top - lowest, 0.5), top)
        left.set_title(rf"$q = \mathcal{{N}}({mu:.2f}, {sigma:.2f}^2)$" "\n"
                       f"mean log-likelihood of the samples {sample_mean:.4f}", fontsize=10)
        right.set_title(f"KL = {kl:.4f},  E[log q] = {expected:.4f}\n"
                        f"KL + E[log q] = {kl + expected:.4f} = -H(p_data) for every q", fontsize=10)
        return {
            "mu": mu,
            "sigma": sigma,
            "kl": kl,
            "expected_log_likelihood": expected,
            "mean_log_likelihood": sample_mean,
            "entropy": data_entropy,
        }

    controls = {
        "mu": slider("model mean μ", 0.0, *mu_range, 0.05),
        "sigma": slider("model spread σ", 1.0, *sigma_range, 0.05),
    }
    return SliderPanel(controls, renderer, update)


# ---------------------------------------------------------------------------------------------------------
# Notebook 3: the optimal discriminator
# ---------------------------------------------------------------------------------------------------------


def discriminator_sliders(preset: str = "normal", *, x_range=(-6.0, 6.0)) -> SliderPanel:
    r"""Sliders that move p_g against a data preset, drawing D*, its label-smoothed version and the integrand of C(G).

    Controls: ``mean``, ``spread`` (p_g's main mode), ``second_weight``, ``second_offset`` (its second mode;
    :func:`ganmath.core.presets.two_mode_generator`), ``alpha`` (the real-label target of one-sided label
    smoothing) and ``data`` (a key of :func:`ganmath.core.presets.data_presets`).

    The x-range holds ``x_range``, the data and four spreads around each of p_g's modes, so that a mode moved
    far out stays in the picture; the y-range holds the highest peak. The level D = 1/2 is drawn, with markers
    where the densities cross: D* passes through them.

    Returns
    -------
    SliderPanel
        ``result``: ``value`` = V(D*, G) (from the logits of D*, :func:`ganmath.value_function`),
        ``criterion`` = C(G) (:func:`ganmath.virtual_criterion`), ``js``, ``smoothed_max`` (the largest
        value of :math:`\alpha D^*` on the grid), ``x_range`` (the x-range shown), ``crossings`` (the x where
        p_data = p_g on the grid).
    """
    presets = data_presets()
    if preset not in presets:
        raise ValueError(f"preset must be one of {tuple(presets)}, got preset={preset!r}")
    limits = {"mean": (-5.0, 5.0), "spread": (0.2, 3.0), "second_offset": (-6.0, 6.0)}
    reach = 4 * limits["spread"][1] + abs(limits["mean"][0]) + abs(limits["second_offset"][0])
    x = _grid(min(x_range[0], -reach), max(x_range[1], reach))
    data_windows = {name: drawing.window(*_central_range(density), base=x_range, step=2.0)
                    for name, density in presets.items()}

    figure, (left, right) = render.widget_figure(1, 2, width=11.5, height=4.6, bottom=0.27, top=0.86)
    zeros = np.zeros_like(x)
    lines = drawing.draw_densities(left, x, data=zeros, generator=zeros, discriminator=zeros, smoothed=zeros)
    drawing.draw_half_level(left)
    crossing_markers = drawing.draw_crossings(left, [])
    drawing.legend_below(left, ncols=3, drop=_LEGEND_DROP)
    integrand_line = theory_figures.draw_integrand(right, x, zeros)
    drawing.legend_below(right, ncols=1, drop=_LEGEND_DROP)
    renderer = render.FigureRenderer(figure, lines.lines() + [crossing_markers, integrand_line, left.title, right.title])

    def update(mean, spread, second_weight, second_offset, alpha, data):
        p_data = presets[data]
        p_g = two_mode_generator(mean, spread, second_weight, second_offset)
        data_values, generator_values = p_data.pdf(x), p_g.pdf(x)
        d_star = optimal_discriminator(p_data, p_g, x)
        smoothed = smoothed_optimal_discriminator(p_data, p_g, x, alpha)
        integrand = criterion_integrand(p_data, p_g, x)
        drawing.update_densities(lines, data=data_values, generator=generator_values, discriminator=d_star,
                               smoothed=smoothed)
        integrand_line.set_ydata(integrand)
        modes = [mean, mean + second_offset] if second_weight > 0 else [mean]
        shown = drawing.window(min(modes) - 4 * spread, max(modes) + 4 * spread, base=data_windows[data], step=2.0)
        where = (x >= shown[0]) & (x <= shown[1])
        x_cross = drawing.crossings(x[where], data_values[where], generator_values[where])
        crossing_markers.set_data(x_cross, np.full_like(x_cross, 0.5))
        for ax in (left, right):
            ax.set_xlim(*shown)
        left.set_ylim(0.0, _density_top(float(np.max(data_values)), float(np.max(generator_values))))
        # The integrand is at least -(p_data + p_g) log 2 (where the densities agree): a steady lower limit.
        right.set_ylim(-drawing.nice_top(LOG2 * np.max(data_values + generator_values), 0.25), 0.05)
        value = value_function(lambda t: optimal_discriminator_logit(p_data, p_g, t), p_data, p_g, logit=True)
        criterion = virtual_criterion(p_data, p_g)
        js = js_divergence(p_data, p_g)
        smoothed_max = float(np.max(smoothed[np.isfinite(smoothed)]))
        left.set_title(f"data: {data}\nα = {alpha:.2f}: largest αD* = {smoothed_max:.3f}", fontsize=10)
        right.set_title(f"V(D*,G) = {value:.4f},  C(G) = {criterion:.4f}\n"
                        f"JS = {js:.4f},  -log 4 + 2 JS = {-LOG4 + 2 * js:.4f}", fontsize=10)
        return {"value": value, "criterion": criterion, "js": js, "smoothed_max": smoothed_max,
                "x_range": shown, "crossings": x_cross}

    controls = {
        "mean": slider("p_g mean", 2.0, *limits["mean"], 0.1),
        "spread": slider("p_g spread", 1.0, *limits["spread"], 0.05),
        "second_weight": slider("2nd mode mass", 0.0, 0.0, 0.9, 0.05),
        "second_offset": slider("2nd mode offset", 3.0, *limits["second_offset"], 0.1),
        "alpha": slider("real label α", 1.0, 0.5, 1.0, 0.01),
        "data": widgets.Dropdown(options=list(presets), value=preset, description="p_data",
                                 style=SLIDER_STYLE),
    }
    return SliderPanel(controls, renderer, update)


# ---------------------------------------------------------------------------------------------------------
# Notebook 4: C(G) descends to -log 4
# ---------------------------------------------------------------------------------------------------------


def criterion_sliders(p_data: Density | None = None, *, x_range=(-5.0, 6.0), mean_range=(-4.0, 5.0)) -> SliderPanel:
    r"""Sliders that move a normal p_g and follow :math:`C(G) = -\log 4 + 2\,\mathrm{JSD}` down to its minimum.

    Left: p_data, p_g, D* and the level D = 1/2 (D* lies on it when p_g = p_data); the x-range holds
    ``x_range`` and four spreads around p_g's mean. Right: C(G) against p_g's mean at the current spread, with a
    marker at the current p_g, the minimum :math:`-\log 4` and the ceiling 0 (disjoint supports).

    Parameters
    ----------
    p_data : Density, optional
        ``Normal(1, 0.8)`` by default: a normal p_g can reach it on the sliders' steps.

    Returns
    -------
    SliderPanel
        ``result``: ``criterion`` = C(G), ``js``, ``d_star_range`` = (min, max) of D* on the x-range shown,
        ``x_range``.
    """
    p_data = Normal(1.0, 0.8) if p_data is None else check_density("p_data", p_data)
    spread_range = (0.2, 3.0)
    x = _grid(min(x_range[0], mean_range[0] - 4 * spread_range[1]), max(x_range[1], mean_range[1] + 4 * spread_range[1]))
    means = np.round(np.arange(mean_range[0], mean_range[1] + 1e-9, 0.1), 10)

    figure, (left, right) = render.widget_figure(1, 2, width=11.5, height=4.5, bottom=0.27, top=0.85)
    zeros = np.zeros_like(x)
    data_values = p_data.pdf(x)
    lines = drawing.draw_densities(left, x, data=data_values, generator=zeros, discriminator=zeros)
    drawing.draw_half_level(left)
    data_peak = float(np.max(data_values))
    drawing.legend_below(left, ncols=4, drop=_LEGEND_DROP)
    curve = drawing.draw_curve(right, means, np.zeros_like(means), palette.CURVE_STYLES["criterion"],
                             label="C(G) at this spread")
    marker = drawing.draw_marker(right, 0.0, 0.0, palette.CURVE_STYLES["criterion"]["color"])
    drawing.draw_level(right, -LOG4, label=r"$-\log 4$ (only at $p_g = p_\mathrm{data}$)", linestyle="--")
    drawing.draw_level(right, 0.0, label="0 (disjoint supports)", linestyle=":")
    right.set_xlim(means[0], means[-1])
    right.set_ylim(-LOG4 - 0.08, 0.08)
    right.set_xlabel(r"mean of $p_g$")
    right.set_ylabel(r"$C(G) = \max_D V(D, G)$")
    drawing.legend_below(right, ncols=2, drop=_LEGEND_DROP)
    renderer = render.FigureRenderer(
        figure, [lines.generator, lines.discriminator, curve, marker, left.title, right.title]
    )
    curve_for = {}

    def update(mean, spread):
        p_g = Normal(mean, spread)
        generator_values = p_g.pdf(x)
        d_star = optimal_discriminator(p_data, p_g, x)
        drawing.update_densities(lines, generator=generator_values, discriminator=d_star)
        shown = drawing.window(mean - 4 * spread, mean + 4 * spread, base=x_range, step=5.0)
        left.set_xlim(*shown)
        left.set_ylim(0.0, _density_top(data_peak, float(p_g.pdf(mean))))
        if spread not in curve_for:   # every spread seen is kept: a slider goes back and forth (57 steps at most)
            curve_for[spread] = np.array([virtual_criterion(p_data, Normal(m, spread)) for m in means])
        curve.set_ydata(curve_for[spread])
        criterion = virtual_criterion(p_data, p_g)
        js = js_divergence(p_data, p_g)
        drawing.move_marker(marker, mean, criterion)
        seen = d_star[(x >= shown[0]) & (x <= shown[1])]
        low, high = float(np.min(seen)), float(np.max(seen))
        left.set_title(rf"$p_g = \mathcal{{N}}({mean:.2f}, {spread:.2f}^2)$" "\n"
                       f"D* between {low:.3f} and {high:.3f}", fontsize=10)
        right.set_title(f"C(G) = {criterion:.6f}\n= -log 4 + 2 JS = -1.386294 + 2 × {js:.6f}", fontsize=10)
        return {"criterion": criterion, "js": js, "d_star_range": (low, high), "x_range": shown}

    controls = {
        "mean": slider("p_g mean", 3.0, mean_range[0], mean_range[1], 0.1),
        "spread": slider("p_g spread", 1.5, *spread_range, 0.05),
    }
    return SliderPanel(controls, renderer, update)


# ---------------------------------------------------------------------------------------------------------
# Notebook 5: the flat JS against W1, and the generator's gradient through D*
# ---------------------------------------------------------------------------------------------------------

SHAPES = ("Gaussian", "uniform")


def _shape_pair(shape: str, distance: float, width: float) -> tuple[Density, Density]:
    """p_data and p_g of the distance panel: N(0, w^2) and N(d, w^2), or U[-w/2, w/2] and U[d - w/2, d + w/2]."""
    if shape == "Gaussian":
        return Normal(0.0, width), Normal(distance, width)
    return Uniform(-width / 2, width / 2), Uniform(distance - width / 2, distance + width / 2)


def vanishing_sliders(*, max_distance: float = 12.0) -> SliderPanel:
    r"""Two densities a distance d apart: how the JS, its slope and W1 change with d, the width and the shape.

    Controls: ``distance`` d, ``width`` (the Gaussians' standard deviation :math:`\sigma`, or the uniforms'
    width w) and ``shape`` (``"Gaussian"``: :math:`\mathcal N(0, \sigma^2)` against :math:`\mathcal N(d, \sigma^2)`;
    ``"uniform"``: :math:`U[-w/2, w/2]` against :math:`U[d - w/2, d + w/2]`).

    Three panels: the two densities and D* (undefined, so not drawn, where both densities are 0); the JS of
    both shapes and their slopes against d at the current width, the chosen shape drawn strong, with markers
    at d; and :math:`W_1 = d` with its slope 1, on axes of its own. The JS depends on d/width only, W1 on d
    only: widen the densities and the JS curves stretch while W1 stays put.

    Returns
    -------
    SliderPanel
        ``result``: ``js`` and ``js_slope`` (of the chosen shape), ``gaussian_js``, ``gaussian_js_slope``,
        ``uniform_js``, ``uniform_js_slope``, ``deficit`` (log 2 - js), ``wasserstein``
        (:func:`ganmath.wasserstein1` of the pair drawn), ``shape``, ``width``.
    """
    max_distance = check_positive("max_distance", max_distance)
    width_range = (0.5, 3.0)
    d_grid = np.round(np.linspace(0.0, max_distance, int(round(max_distance / 0.05)) + 1), 10)
    # JS of two Gaussians depends on t = d / sigma only: tabulate it once in t, read it at d / sigma.
    t_grid = np.linspace(0.0, max_distance / width_range[0], 601)
    t_js, t_slope = gaussian_js(t_grid), gaussian_js_slope(t_grid)
    x = _grid(-4 * width_range[1], max_distance + 4 * width_range[1])
    zeros = np.zeros_like(x)

    figure, (densities_ax, js_ax, w1_ax) = render.widget_figure(1, 3, width=12.5, height=4.5, left=0.055,
                                                                right=0.99, bottom=0.27, top=0.86, wspace=0.3)
    lines = drawing.draw_densities(densities_ax, x, data=zeros, generator=zeros, discriminator=zeros)
    drawing.legend_below(densities_ax, ncols=3, drop=_LEGEND_DROP)
    curves = theory_figures.draw_js_against_distance(js_ax, js_ax, d_grid, js=d_grid * 0, js_slope=d_grid * 0,
                                            uniform_js=d_grid * 0, uniform_slope=d_grid * 0,
                                            ax_wasserstein=w1_ax)
    js_marker = drawing.draw_marker(js_ax, 0.0, 0.0, "black", size=7.0)
    slope_marker = drawing.draw_marker(js_ax, 0.0, 0.0, "black", size=7.0)
    w1_marker = drawing.draw_marker(w1_ax, 0.0, 0.0, palette.CURVE_STYLES["wasserstein"]["color"])
    drawing.legend_below(js_ax, ncols=2, drop=_LEGEND_DROP,
                       handles=[curves.values["js"], curves.slopes["js_slope"], curves.values["uniform_js"],
                                curves.slopes["uniform_slope"], curves.values["log2"]])
    drawing.legend_below(w1_ax, ncols=1, drop=_LEGEND_DROP, handles=list(curves.wasserstein.values()))
    w1_ax.set_title(r"$W_1 = d$ for both shapes and every width: slope 1", fontsize=10)
    # The JS curves move too (with the width): drawn on each image, they cost less than a full redraw.
    js_curves = [curves.values["js"], curves.values["uniform_js"], curves.slopes["js_slope"],
                 curves.slopes["uniform_slope"]]
    moving = [lines.data, lines.generator, lines.discriminator, *js_curves, js_marker, slope_marker, w1_marker,
              densities_ax.title, js_ax.title]
    renderer = render.FigureRenderer(figure, moving)
    curves_for = {}
    by_shape = {"Gaussian": ("js", "js_slope"), "uniform": ("uniform_js", "uniform_slope")}

    def update(distance, width, shape):
        if shape not in SHAPES:
            raise ValueError(f"shape must be one of {SHAPES}, got shape={shape!r}")
        if curves_for.get("key") != (width, shape):
            gaussian = np.interp(d_grid / width, t_grid, t_js), np.interp(d_grid / width, t_grid, t_slope) / width
            uniform = shifted_uniforms_js(d_grid, width), shifted_uniforms_js_slope(d_grid, width)
            for name, values in (("js", gaussian[0]), ("uniform_js", uniform[0])):
                curves.values[name].set_ydata(values)
            for name, values in (("js_slope", gaussian[1]), ("uniform_slope", uniform[1])):
                curves.slopes[name].set_ydata(values)
            for kind, names in by_shape.items():
                for name in names:
                    line = curves.values.get(name) or curves.slopes.get(name)
                    line.set_alpha(1.0 if kind == shape else 0.3)
            js_ax.set_ylim(-0.03, max(0.75, drawing.nice_top(1.05 * LOG2 / width, 0.25)))
            peak = 1.0 / (width * math.sqrt(2 * math.pi)) if shape == "Gaussian" else 1.0 / width
            densities_ax.set_ylim(0.0, _density_top(peak))
            margin = 4 * width if shape == "Gaussian" else width
            densities_ax.set_xlim(*drawing.window(-margin, max_distance + margin, base=(-4.0, max_distance + 4.0),
                                                step=4.0))
            curves_for["key"] = (width, shape)
        p_data, p_g = _shape_pair(shape, distance, width)
        lines.data.set_ydata(p_data.pdf(x))
        lines.generator.set_ydata(p_g.pdf(x))
        lines.discriminator.set_ydata(optimal_discriminator(p_data, p_g, x))
        deficit = gaussian_js_deficit(distance, width)
        numbers = {
            "gaussian_js": LOG2 - deficit,
            "gaussian_js_slope": gaussian_js_slope(distance, width),
            "uniform_js": shifted_uniforms_js(distance, width),
            "uniform_js_slope": shifted_uniforms_js_slope(distance, width),
        }
        if shape == "uniform":
            js, slope = numbers["uniform_js"], numbers["uniform_js_slope"]
            deficit = LOG2 - js
        else:
            js, slope = numbers["gaussian_js"], numbers["gaussian_js_slope"]
        color = palette.CURVE_STYLES["js" if shape == "Gaussian" else "uniform_js"]["color"]
        for marker, y in ((js_marker, js), (slope_marker, slope)):
            drawing.move_marker(marker, distance, y)
            marker.set_color(color)
        wasserstein = wasserstein1(p_data, p_g)
        drawing.move_marker(w1_marker, distance, wasserstein)
        pair = (rf"$\mathcal{{N}}(0, {width:.2f}^2)$, $\mathcal{{N}}({distance:.2f}, {width:.2f}^2)$" if shape == "Gaussian"
                else rf"$U[\pm{width / 2:.3g}]$ and the same shifted by {distance:.2f}")
        densities_ax.set_title(f"{pair}\nd/width = {distance / width:.2f}", fontsize=10)
        js_ax.set_title(f"{shape}s: JS = {js:.6f}, log 2 - JS = {deficit:.1e}\n"
                        f"dJS/dd = {slope:.2e}", fontsize=10)
        return {"js": js, "js_slope": slope, "deficit": deficit, "wasserstein": wasserstein, "shape": shape,
                "width": width, **numbers}

    controls = {
        "distance": slider("distance d", 2.0, 0.0, max_distance, 0.1),
        "width": slider("width σ (or w)", 1.0, *width_range, 0.05),
        "shape": widgets.ToggleButtons(options=list(SHAPES), value="Gaussian", description="shape",
                                       style=SLIDER_STYLE),
    }
    return SliderPanel(controls, renderer, update)


def generator_gradient_sliders(*, max_distance: float = 12.0) -> SliderPanel:
    r"""A slider for the distance d between :math:`p_\mathrm{data} = \mathcal N(0, 1)` and :math:`p_g = \mathcal N(d, 1)`:
    what each generator cost hands the generator through the frozen D*.

    One column per cost (minimax, non-saturating, maximum likelihood), so that no two lines lie on top of each
    other. Top: the size of the cost's slope in D's logit a (log scale), with a marker at
    :math:`a = -d^2/2`, the logit D* gives the generator's median sample x = d. Bottom: the generator's
    gradient through the frozen D* against d (:func:`ganmath.core.vanishing.generator_gradient`), with a
    marker at d, on log axes with one range for the three costs, so that their ratio reads off the ticks.

    Returns
    -------
    SliderPanel
        ``result``: ``gradients`` (dict by loss), ``d_at_median`` (:math:`D^*` at x = d), ``cost_slopes``
        (dict by loss: the slopes in the logit at x = d).
    """
    max_distance = check_positive("max_distance", max_distance)
    p_data = Normal(0.0, 1.0)
    d_grid = np.round(np.linspace(0.0, max_distance, int(round(max_distance / 0.05)) + 1), 10)
    gradient_curves = {
        loss: np.array([generator_gradient(p_data, Normal(d, 1.0), loss) for d in d_grid]) for loss in GENERATOR_LOSSES
    }
    logit_grid = np.linspace(-0.6 * max_distance**2, 5.0, 400)
    floor = 0.1 * math.exp(logit_grid[0])

    figure, axes = render.widget_figure(2, 3, width=12.5, height=6.6, left=0.065, right=0.99, bottom=0.09,
                                       top=0.91, wspace=0.32, hspace=0.62)
    # One log range for the three gradient axes, so that their ratio (about 10^4 at d = 8) reads off the ticks.
    positive = np.concatenate([g[g > 0] for g in gradient_curves.values()])
    gradient_range = (0.3 * float(np.min(positive)), 3.0 * float(np.max(positive)))
    slope_markers, gradient_markers = {}, {}
    for column, loss in enumerate(GENERATOR_LOSSES):
        slope_ax, gradient_ax = axes[0, column], axes[1, column]
        color = palette.LOSS_STYLES[loss]["color"]
        theory_figures.draw_cost_slope(slope_ax, logit_grid, np.abs(generator_cost_grad(logit_grid, loss)), loss,
                              ylim=(floor, 1e3))
        slope_markers[loss] = drawing.draw_marker(slope_ax, 0.0, 1.0, color)
        theory_figures.draw_generator_gradient(gradient_ax, d_grid, gradient_curves[loss], loss, ylim=gradient_range,
                                      log=True)
        gradient_ax.set_xlabel(r"distance $d$ of $p_g$ from $p_\mathrm{data}$")
        gradient_markers[loss] = drawing.draw_marker(gradient_ax, 0.0, 0.0, color)
    moving = [*slope_markers.values(), *gradient_markers.values(), *(ax.title for ax in axes.ravel())]
    renderer = render.FigureRenderer(figure, moving)
    names = {"minimax": "minimax log(1 - D)", "non-saturating": "non-saturating -log D",
             "maximum-likelihood": "max. likelihood -D/(1 - D)"}

    def update(distance):
        p_g = Normal(distance, 1.0)
        gradients = {loss: generator_gradient(p_data, p_g, loss) for loss in GENERATOR_LOSSES}
        # D* at the generator's median sample x = d: logit log p_data(d) - log p_g(d) = -d^2/2.
        logit_at_median = float(optimal_discriminator_logit(p_data, p_g, distance))
        d_at_median = float(optimal_discriminator(p_data, p_g, distance))
        slopes = {loss: float(generator_cost_grad(logit_at_median, loss)) for loss in GENERATOR_LOSSES}
        for column, loss in enumerate(GENERATOR_LOSSES):
            drawing.move_marker(slope_markers[loss], logit_at_median, abs(slopes[loss]))
            drawing.move_marker(gradient_markers[loss], distance, gradients[loss])
            axes[0, column].set_title(f"{names[loss]}\nat x = d (D* = {d_at_median:.1e}): {abs(slopes[loss]):.1e}",
                                      fontsize=10)
            axes[1, column].set_title(f"gradient at d = {distance:.2f}: {gradients[loss]:.4g}", fontsize=10)
        return {"gradients": gradients, "d_at_median": d_at_median, "cost_slopes": slopes}

    controls = {"distance": slider("distance d", 2.0, 0.0, max_distance, 0.1)}
    return SliderPanel(controls, renderer, update)
