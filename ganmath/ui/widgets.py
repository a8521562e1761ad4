r"""Sliders for the theory notebooks (ipywidgets, as every module of ganmath.ui).

Each factory builds its sliders and a figure, and returns a :class:`SliderPanel`. Moving a slider
recomputes the numbers (kept in ``panel.result``), moves the figure's lines in place and renders the figure
to a PNG image shown in the panel's ``Output`` widget (``panel.png`` holds the bytes). A test can set
``panel.controls["mean"].value`` without a browser and read both.

- :func:`likelihood_sliders` (notebook 1): a normal model's mean and spread against data; the KL and the
  log-likelihood move together.
- :func:`discriminator_sliders` (notebook 2): p_g's mean, spread and second mode against a data preset;
  D*, the integrand of C(G), V(D*, G), C(G), JS; a label-smoothing slider.
- :func:`criterion_sliders` (notebook 3): p_g's mean and spread; C(G) descends to -log 4 at p_g = p_data.
- :func:`vanishing_sliders` (notebook 4): the distance between two Gaussians, moving markers along JS and its
  slope, the generator's gradients through D* and the generator costs.
"""

from __future__ import annotations

import base64
import math
from typing import Callable

import ipywidgets as widgets
import numpy as np

from ganmath.viz import plots
from ganmath._validation import check_positive, check_positive_int
from ganmath.core.densities import Density, Normal
from ganmath._validation import check_density
from ganmath.core.divergences import js_divergence, kl_divergence, wasserstein1
from ganmath.core.presets import data_presets, two_mode_generator
from ganmath.core.likelihood import entropy, mean_log_likelihood, normal_cross_entropy
from ganmath.nn.losses import GENERATOR_LOSSES, generator_cost_grad
from ganmath.core.pointwise import criterion_integrand, smoothed_optimal_discriminator
from ganmath.core.theory import optimal_discriminator, optimal_discriminator_logit, value_function, virtual_criterion
from ganmath.core.vanishing import (
    gaussian_js,
    gaussian_js_deficit,
    gaussian_js_slope,
    generator_gradient,
    shifted_uniforms_js,
    shifted_uniforms_js_slope,
)

__all__ = [
    "SliderPanel",
    "likelihood_sliders",
    "discriminator_sliders",
    "criterion_sliders",
    "vanishing_sliders",
]

LOG4 = math.log(4.0)
_SLIDER_STYLE = {"description_width": "130px"}
_SLIDER_LAYOUT = {"width": "460px"}


def _slider(description: str, value: float, low: float, high: float, step: float, readout_format=".2f"):
    return widgets.FloatSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        continuous_update=True,
        readout_format=readout_format,
        style=_SLIDER_STYLE,
        layout=widgets.Layout(**_SLIDER_LAYOUT),
    )


class SliderPanel:
    """Sliders, the figure they redraw and the numbers of the last redraw.

    Parameters
    ----------
    controls : dict[str, ipywidgets.ValueWidget]
        The sliders (and other controls) by the name of the argument they set in ``update``.
    renderer : ganmath.viz.plots.FigureRenderer
        The figure and the artists that move.
    update : callable
        ``update(**values) -> dict``: recompute the numbers for the controls' values, move the artists,
        return the numbers.

    Attributes
    ----------
    widget : ipywidgets.VBox
        What the notebook shows: the controls above an ``Output`` with the figure's image.
    result : dict[str, float]
        The numbers of the last redraw.
    png : bytes
        The last image.
    redraws : int
        How many times the figure has been redrawn.
    """

    def __init__(self, controls: dict, renderer: plots.FigureRenderer, update: Callable[..., dict]):
        self.controls = dict(controls)
        self.renderer = renderer
        self.figure = renderer.figure
        self.output = widgets.Output()
        self._update = update
        self.result: dict = {}
        self.png = b""
        self.redraws = 0
        self.widget = widgets.VBox([widgets.VBox(list(self.controls.values())), self.output])
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.redraw()

    @property
    def sliders(self) -> list:
        """The controls that are sliders, in the order shown."""
        return [c for c in self.controls.values() if isinstance(c, widgets.FloatSlider)]

    def values(self) -> dict:
        """The controls' current values by name."""
        return {name: control.value for name, control in self.controls.items()}

    def redraw(self) -> dict:
        """Recompute for the current values, move the artists, render and show the image; return the numbers."""
        self.result = self._update(**self.values())
        self.png = self.renderer.png()
        width, height = self.renderer.size
        self.output.outputs = (
            {
                "output_type": "display_data",
                "data": {
                    "image/png": base64.b64encode(self.png).decode("ascii"),
                    "text/plain": f"<Figure size {width}x{height}>",
                },
                "metadata": {"image/png": {"width": width, "height": height}},
            },
        )
        self.redraws += 1
        return self.result

    def _on_change(self, change) -> None:
        try:
            self.redraw()
        except Exception as error:
            # Show the failure where the figure was, then let the caller (or the kernel's log) see it.
            self.output.outputs = (
                {"output_type": "stream", "name": "stderr", "text": f"{type(error).__name__}: {error}\n"},
            )
            raise

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


# ---------------------------------------------------------------------------------------------------------
# Notebook 1: the likelihood and the KL move together
# ---------------------------------------------------------------------------------------------------------


def likelihood_sliders(p_data: Density | None = None, *, n_samples: int = 500, seed: int = 0,
                       x_range=(-5.0, 5.0)) -> SliderPanel:
    r"""Sliders for a normal model :math:`q = \mathcal N(\mu, \sigma^2)` fitted to ``p_data``.

    Left: p_data, a histogram of ``n_samples`` draws and the model. Right, against :math:`\mu` at the current
    :math:`\sigma`: :math:`\mathrm{KL}(p_\mathrm{data}\,\|\,q)` (closed form, :func:`ganmath.core.likelihood.normal_cross_entropy`
    minus the entropy) and its sample estimate :math:`-\frac1n\sum\log q(x_i) - H(p_\mathrm{data})`, with markers
    at the current model.

    Parameters
    ----------
    p_data : Density, optional
        The ``"skewed"`` preset of :func:`ganmath.core.presets.data_presets` by default.
    n_samples : int
    seed : int
        Seed of the samples' generator.
    x_range : tuple of float

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
    x = np.linspace(*x_range, 400)
    mu_grid = np.linspace(-4.0, 4.0, 161)

    figure, (left, right) = plots.widget_figure(1, 2, width=11.5, height=4.2)
    plots.draw_histogram(left, samples, bins=40, range=x_range, label=f"{n_samples} samples")
    left.plot(x, p_data.pdf(x), **plots.DATA_STYLE)
    model_line = plots.draw_curve(left, x, np.zeros_like(x), plots.GENERATOR_STYLE, label=r"model $q$")
    left.set_xlim(*x_range)
    left.set_ylim(0.0, 1.65)  # the model's peak stays below 1.33; the legend sits above it
    left.set_xlabel("x")
    left.set_ylabel("density")
    left.legend(loc="upper center", ncols=3, fontsize=9)

    kl_line = plots.draw_curve(right, mu_grid, np.zeros_like(mu_grid), plots.CURVE_STYLES["kl"])
    nll_line = plots.draw_curve(right, mu_grid, np.zeros_like(mu_grid), plots.CURVE_STYLES["nll"])
    kl_marker = plots.draw_marker(right, 0.0, 0.0, plots.CURVE_STYLES["kl"]["color"])
    nll_marker = plots.draw_marker(right, 0.0, 0.0, plots.CURVE_STYLES["nll"]["color"])
    right.axvline(p_data.mean, **plots.LEVEL_STYLE, label=r"$\mu = \mathbb{E}[x]$ of $p_\mathrm{data}$")
    right.set_xlim(mu_grid[0], mu_grid[-1])
    right.set_ylim(-0.1, 4.0)
    right.set_xlabel(r"model mean $\mu$ (at the slider's $\sigma$)")
    right.set_ylabel("nats")
    right.legend(loc="upper center", fontsize=9)

    renderer = plots.FigureRenderer(
        figure, [model_line, kl_line, nll_line, kl_marker, nll_marker, left.title, right.title],
        on_top=[right.get_legend()],
    )
    curves_for = {}

    def update(mu, sigma):
        model = Normal(mu, sigma)
        model_line.set_ydata(model.pdf(x))
        if sigma not in curves_for:
            kl_curve = normal_cross_entropy(p_data, mu_grid, sigma) - data_entropy
            # log N(x; m, s^2) = log N(x - m; 0, s^2): one array for the whole grid of means.
            log_likelihoods = Normal(0.0, sigma).logpdf(samples[None, :] - mu_grid[:, None])
            nll_curve = -log_likelihoods.mean(axis=1) - data_entropy
            curves_for.clear()
            curves_for[sigma] = (kl_curve, nll_curve)
        kl_line.set_ydata(curves_for[sigma][0])
        nll_line.set_ydata(curves_for[sigma][1])
        kl = kl_divergence(p_data, model)
        expected = -(data_entropy + kl)
        sample_mean = mean_log_likelihood(model, samples)
        plots.move_marker(kl_marker, mu, kl)
        plots.move_marker(nll_marker, mu, -sample_mean - data_entropy)
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
        "mu": _slider("model mean μ", 0.0, -4.0, 4.0, 0.05),
        "sigma": _slider("model spread σ", 1.0, 0.3, 3.0, 0.05),
    }
    return SliderPanel(controls, renderer, update)


# ---------------------------------------------------------------------------------------------------------
# Notebook 2: the optimal discriminator
# ---------------------------------------------------------------------------------------------------------


def _nice_top(value: float, step: float) -> float:
    """The smallest multiple of ``step`` above ``value``: axis limits that change only now and then."""
    return step * math.ceil(value / step + 1e-9)


def discriminator_sliders(preset: str = "normal", *, x_range=(-6.0, 6.0)) -> SliderPanel:
    r"""Sliders that move p_g against a data preset, drawing D*, its label-smoothed version and the integrand of C(G).

    Controls: ``mean``, ``spread`` (p_g's main mode), ``second_weight``, ``second_offset`` (its second mode;
    :func:`ganmath.core.presets.two_mode_generator`), ``alpha`` (the real-label target of one-sided label
    smoothing) and ``data`` (a key of :func:`ganmath.core.presets.data_presets`).

    Returns
    -------
    SliderPanel
        ``result``: ``value`` = V(D*, G) (from the logits of D*, :func:`ganmath.value_function`),
        ``criterion`` = C(G) (:func:`ganmath.virtual_criterion`), ``js``, ``smoothed_max`` (the largest
        value of :math:`\alpha D^*` on the grid).
    """
    presets = data_presets()
    if preset not in presets:
        raise ValueError(f"preset must be one of {tuple(presets)}, got preset={preset!r}")
    x = np.linspace(*x_range, 481)

    figure, (left, right) = plots.widget_figure(1, 2, width=11.5, height=4.2)
    zeros = np.zeros_like(x)
    lines = plots.draw_densities(left, x, data=zeros, generator=zeros, discriminator=zeros, smoothed=zeros)
    left.set_xlim(*x_range)
    left.legend(loc="upper center", ncols=4, fontsize=8)
    integrand_line = plots.draw_integrand(right, x, zeros)
    renderer = plots.FigureRenderer(figure, lines.lines() + [integrand_line, left.title, right.title])

    def update(mean, spread, second_weight, second_offset, alpha, data):
        p_data = presets[data]
        p_g = two_mode_generator(mean, spread, second_weight, second_offset)
        data_values, generator_values = p_data.pdf(x), p_g.pdf(x)
        d_star = optimal_discriminator(p_data, p_g, x)
        smoothed = smoothed_optimal_discriminator(p_data, p_g, x, alpha)
        integrand = criterion_integrand(p_data, p_g, x)
        plots.update_densities(lines, data=data_values, generator=generator_values, discriminator=d_star,
                               smoothed=smoothed)
        integrand_line.set_ydata(integrand)
        # Headroom above D <= 1 for the legend.
        left.set_ylim(0.0, max(1.35, _nice_top(1.35 * max(data_values.max(), generator_values.max()), 0.5)))
        # The integrand is at least -(p_data + p_g) log 2 (where the densities agree): a steady lower limit.
        right.set_ylim(-_nice_top(math.log(2.0) * np.max(data_values + generator_values), 0.25), 0.05)
        value = value_function(lambda t: optimal_discriminator_logit(p_data, p_g, t), p_data, p_g, logit=True)
        criterion = virtual_criterion(p_data, p_g)
        js = js_divergence(p_data, p_g)
        left.set_title(f"data: {data}\nα = {alpha:.2f}: largest αD* = {np.nanmax(smoothed):.3f}", fontsize=10)
        right.set_title(f"V(D*,G) = {value:.4f},  C(G) = {criterion:.4f}\n"
                        f"JS = {js:.4f},  -log 4 + 2 JS = {-LOG4 + 2 * js:.4f}", fontsize=10)
        return {"value": value, "criterion": criterion, "js": js, "smoothed_max": float(np.nanmax(smoothed))}

    controls = {
        "mean": _slider("p_g mean", 2.0, -5.0, 5.0, 0.1),
        "spread": _slider("p_g spread", 1.0, 0.2, 3.0, 0.05),
        "second_weight": _slider("2nd mode mass", 0.0, 0.0, 0.9, 0.05),
        "second_offset": _slider("2nd mode offset", 3.0, -6.0, 6.0, 0.1),
        "alpha": _slider("real label α", 1.0, 0.5, 1.0, 0.01),
        "data": widgets.Dropdown(options=list(presets), value=preset, description="p_data",
                                 style=_SLIDER_STYLE),
    }
    return SliderPanel(controls, renderer, update)


# ---------------------------------------------------------------------------------------------------------
# Notebook 3: C(G) descends to -log 4
# ---------------------------------------------------------------------------------------------------------


def criterion_sliders(p_data: Density | None = None, *, x_range=(-5.0, 6.0), mean_range=(-4.0, 5.0)) -> SliderPanel:
    r"""Sliders that move a normal p_g and follow :math:`C(G) = -\log 4 + 2\,\mathrm{JSD}` down to its minimum.

    Left: p_data, p_g, D*. Right: C(G) against p_g's mean at the current spread, with a marker at the current
    p_g, the minimum :math:`-\log 4` and the ceiling 0 (disjoint supports).

    Parameters
    ----------
    p_data : Density, optional
        ``Normal(1, 0.8)`` by default: a normal p_g can reach it on the sliders' steps.

    Returns
    -------
    SliderPanel
        ``result``: ``criterion`` = C(G), ``js``, ``d_star_range`` = (min, max) of D* on the grid.
    """
    p_data = Normal(1.0, 0.8) if p_data is None else check_density("p_data", p_data)
    x = np.linspace(*x_range, 441)
    means = np.round(np.arange(mean_range[0], mean_range[1] + 1e-9, 0.1), 10)

    figure, (left, right) = plots.widget_figure(1, 2, width=11.5, height=4.2)
    zeros = np.zeros_like(x)
    lines = plots.draw_densities(left, x, data=p_data.pdf(x), generator=zeros, discriminator=zeros)
    data_values_max = float(np.max(p_data.pdf(x)))
    left.set_xlim(*x_range)
    left.legend(loc="upper center", ncols=3, fontsize=9)
    curve = plots.draw_curve(right, means, np.zeros_like(means), plots.CURVE_STYLES["criterion"],
                             label="C(G) at this spread")
    marker = plots.draw_marker(right, 0.0, 0.0, plots.CURVE_STYLES["criterion"]["color"])
    plots.draw_level(right, -LOG4, label=r"$-\log 4$ (only at $p_g = p_\mathrm{data}$)", linestyle="--")
    plots.draw_level(right, 0.0, label="0 (disjoint supports)", linestyle=":")
    right.set_xlim(means[0], means[-1])
    right.set_ylim(-LOG4 - 0.08, 0.08)
    right.set_xlabel(r"mean of $p_g$")
    right.set_ylabel(r"$C(G) = \max_D V(D, G)$")
    right.legend(loc="center right", fontsize=9)
    renderer = plots.FigureRenderer(
        figure, [lines.generator, lines.discriminator, curve, marker, left.title, right.title]
    )
    curve_for = {}

    def update(mean, spread):
        p_g = Normal(mean, spread)
        generator_values = p_g.pdf(x)
        d_star = optimal_discriminator(p_data, p_g, x)
        plots.update_densities(lines, generator=generator_values, discriminator=d_star)
        left.set_ylim(0.0, max(1.3, _nice_top(1.3 * max(generator_values.max(), data_values_max), 0.5)))
        if spread not in curve_for:
            curve_for.clear()
            curve_for[spread] = np.array([virtual_criterion(p_data, Normal(m, spread)) for m in means])
        curve.set_ydata(curve_for[spread])
        criterion = virtual_criterion(p_data, p_g)
        js = js_divergence(p_data, p_g)
        plots.move_marker(marker, mean, criterion)
        low, high = float(np.min(d_star)), float(np.max(d_star))
        left.set_title(rf"$p_g = \mathcal{{N}}({mean:.2f}, {spread:.2f}^2)$" "\n"
                       f"D* between {low:.3f} and {high:.3f}", fontsize=10)
        right.set_title(f"C(G) = {criterion:.6f}\n= -log 4 + 2 JS = -1.386294 + 2 × {js:.6f}", fontsize=10)
        return {"criterion": criterion, "js": js, "d_star_range": (low, high)}

    controls = {
        "mean": _slider("p_g mean", 3.0, mean_range[0], mean_range[1], 0.1),
        "spread": _slider("p_g spread", 1.5, 0.2, 3.0, 0.05),
    }
    return SliderPanel(controls, renderer, update)


# ---------------------------------------------------------------------------------------------------------
# Notebook 4: vanishing gradients
# ---------------------------------------------------------------------------------------------------------


def vanishing_sliders(*, max_distance: float = 12.0) -> SliderPanel:
    r"""A slider for the distance d between :math:`p_\mathrm{data} = \mathcal N(0, 1)` and :math:`p_g = \mathcal N(d, 1)`.

    Four panels: the two densities and D*; JS, dJS/dd, the JS of two unit uniforms a distance d apart and
    W1 against d; the generator's gradient through the frozen D* for the three costs against d; the size of
    each cost's slope in D's logit a (log scale), with markers at :math:`a = -d^2/2`, the logit D* gives the
    generator's median sample x = d.

    Returns
    -------
    SliderPanel
        ``result``: ``js``, ``js_slope``, ``uniform_js``, ``wasserstein`` (= d), ``gradients`` (dict by
        loss), ``d_at_median`` (:math:`D^*` at x = d), ``cost_slopes`` (dict by loss: the slopes in the
        logit at x = d).
    """
    max_distance = check_positive("max_distance", max_distance)
    p_data = Normal(0.0, 1.0)
    d_grid = np.round(np.linspace(0.0, max_distance, int(round(max_distance / 0.05)) + 1), 10)
    x = np.linspace(-4.0, max_distance + 4.0, 500)
    js_curve, slope_curve = gaussian_js(d_grid), gaussian_js_slope(d_grid)
    uniform_curve, uniform_slope_curve = shifted_uniforms_js(d_grid), shifted_uniforms_js_slope(d_grid)
    gradient_curves = {
        loss: np.array([generator_gradient(p_data, Normal(d, 1.0), loss) for d in d_grid]) for loss in GENERATOR_LOSSES
    }
    logit_grid = np.linspace(-80.0, 5.0, 400)
    cost_slopes = {loss: np.abs(generator_cost_grad(logit_grid, loss)) for loss in GENERATOR_LOSSES}

    figure, axes = plots.widget_figure(2, 2, width=12.0, height=7.6, top=0.94, bottom=0.08, hspace=0.42)
    (densities_ax, js_ax), (gradient_ax, cost_ax) = axes
    lines = plots.draw_densities(densities_ax, x, data=p_data.pdf(x), generator=np.zeros_like(x),
                                 discriminator=np.zeros_like(x))
    densities_ax.set_xlim(x[0], x[-1])
    densities_ax.set_ylim(0.0, 1.3)
    densities_ax.legend(loc="upper center", ncols=3, fontsize=8)

    plots.draw_curve(js_ax, d_grid, js_curve, plots.CURVE_STYLES["js"])
    plots.draw_curve(js_ax, d_grid, slope_curve, plots.CURVE_STYLES["js_slope"])
    plots.draw_curve(js_ax, d_grid, uniform_curve, plots.CURVE_STYLES["uniform_js"])
    plots.draw_curve(js_ax, d_grid, uniform_slope_curve, plots.CURVE_STYLES["uniform_slope"])
    plots.draw_curve(js_ax, d_grid, d_grid, plots.CURVE_STYLES["wasserstein"])
    plots.draw_level(js_ax, math.log(2.0), label=r"$\log 2$", linestyle="--")
    js_marker = plots.draw_marker(js_ax, 0.0, 0.0, plots.CURVE_STYLES["js"]["color"])
    slope_marker = plots.draw_marker(js_ax, 0.0, 0.0, plots.CURVE_STYLES["js_slope"]["color"])
    js_ax.set_xlim(0.0, max_distance)
    js_ax.set_ylim(-0.02, 1.0)
    js_ax.set_xlabel(r"distance $d$ (units of $\sigma$; uniforms of width 1)")
    js_ax.set_ylabel("nats, or slope")
    js_ax.legend(loc="center right", bbox_to_anchor=(1.0, 0.38), fontsize=7)

    plots.draw_generator_gradients(gradient_ax, d_grid, gradient_curves, ylim=(-0.3, max_distance + 0.5))
    gradient_ax.legend(loc="upper left", fontsize=8)
    gradient_markers = {
        loss: plots.draw_marker(gradient_ax, 0.0, 0.0, plots.LOSS_STYLES[loss]["color"]) for loss in GENERATOR_LOSSES
    }
    plots.draw_cost_slopes(cost_ax, logit_grid, cost_slopes)
    cost_ax.legend(loc="lower right", fontsize=8)
    # Minimax and maximum likelihood have the same slope e^a far left: the larger marker rings the smaller.
    sizes = {"minimax": 12.0, "non-saturating": 8.0, "maximum-likelihood": 6.0}
    cost_markers = {
        loss: plots.draw_marker(cost_ax, 0.0, 1.0, plots.LOSS_STYLES[loss]["color"], size=sizes[loss])
        for loss in GENERATOR_LOSSES
    }
    moving = [lines.generator, lines.discriminator, js_marker, slope_marker, *gradient_markers.values(),
              *cost_markers.values(), densities_ax.title, js_ax.title, gradient_ax.title, cost_ax.title]
    renderer = plots.FigureRenderer(figure, moving)

    def update(distance):
        p_g = Normal(distance, 1.0)
        lines.generator.set_ydata(p_g.pdf(x))
        lines.discriminator.set_ydata(optimal_discriminator(p_data, p_g, x))
        deficit, slope = gaussian_js_deficit(distance), gaussian_js_slope(distance)
        js = math.log(2.0) - deficit
        uniform = shifted_uniforms_js(distance)
        gradients = {loss: generator_gradient(p_data, p_g, loss) for loss in GENERATOR_LOSSES}
        plots.move_marker(js_marker, distance, js)
        plots.move_marker(slope_marker, distance, slope)
        for loss, marker in gradient_markers.items():
            plots.move_marker(marker, distance, gradients[loss])
        # D* at the generator's median sample x = d: logit log p_data(d) - log p_g(d) = -d^2/2.
        logit_at_median = float(optimal_discriminator_logit(p_data, p_g, distance))
        d_at_median = float(optimal_discriminator(p_data, p_g, distance))
        slopes = {loss: float(generator_cost_grad(logit_at_median, loss)) for loss in GENERATOR_LOSSES}
        for loss, marker in cost_markers.items():
            plots.move_marker(marker, logit_at_median, abs(slopes[loss]))
        densities_ax.set_title(f"d = {distance:.2f}:  JS = {js:.6f},  log 2 - JS = {deficit:.1e}",
                               fontsize=10)
        js_ax.set_title(f"dJS/dd = {slope:.6f}", fontsize=10)
        gradient_ax.set_title(f"minimax {gradients['minimax']:.4f},  non-saturating {gradients['non-saturating']:.4f}",
                              fontsize=10)
        cost_ax.set_title(f"D*(d) = {d_at_median:.1e}:  minimax {abs(slopes['minimax']):.1e},  "
                          f"non-saturating {abs(slopes['non-saturating']):.3f}", fontsize=10)
        return {
            "js": js,
            "js_slope": slope,
            "uniform_js": uniform,
            "wasserstein": wasserstein1(p_data, p_g),
            "gradients": gradients,
            "d_at_median": d_at_median,
            "cost_slopes": slopes,
        }

    controls = {"distance": _slider("distance d", 2.0, 0.0, max_distance, 0.1)}
    return SliderPanel(controls, renderer, update)
