r"""The slider of notebook 13: a clipped WGAN critic against the optimal 1-Lipschitz critic.

:func:`wasserstein_sliders` sets the clipping constant c and the distance between the generator's median sample and
the data's. For each setting a generator (seed 0) is placed at that distance and a critic is trained against it
alone (300 RMSProp steps, clipped to [-c, c]). Left: :math:`p_\mathrm{data}`, the exact :math:`p_g`, the learned critic
divided by its Lipschitz constant K and the optimal critic. Right: their slopes, :math:`f'/K` and
:math:`\mathrm{sign}(F_g - F_\mathrm{data})`.
"""

from __future__ import annotations

import numpy as np

from ganmath.core.divergences import js_divergence
from ganmath.experiments import wasserstein as ws
from ganmath.gan.wgan import input_slope
from ganmath.ui.panel import SliderPanel, slider
from ganmath.viz import palette, render

__all__ = ["wasserstein_sliders"]


def wasserstein_sliders(*, seed: int = 0, n_critic_steps: int = 300, max_distance: float = 6.0) -> SliderPanel:
    """Sliders for the clipping constant and the starting distance.

    Returns
    -------
    SliderPanel
        ``result``: ``w1`` (exact), ``js`` (exact), ``estimate`` (the critic's value), ``lipschitz`` (K) and
        ``scaled`` (value / K, a lower bound on W1).
    """
    x = np.linspace(-1.5, max_distance + 2.5, 1201)
    figure, (left, right) = render.widget_figure(1, 2, width=11.5, height=4.3, top=0.80, bottom=0.14, wspace=0.25)
    left.plot(x, ws.DATA.pdf(x), **palette.DATA_STYLE)
    (generator_line,) = left.plot(x, np.zeros_like(x), **palette.GENERATOR_STYLE)
    (learned_line,) = left.plot(x, np.zeros_like(x), color="blue", linestyle="--", linewidth=2.0,
                                label="learned critic f / K")
    (optimal_line,) = left.plot(x, np.zeros_like(x), color="tab:cyan", linewidth=1.6, label="optimal critic")
    left.set_xlim(x[0], x[-1])
    left.set_xlabel("x")
    left.set_ylabel("density, and critic (centred)")
    left.legend(loc="upper left", ncols=2, fontsize=8)
    (learned_slope,) = right.plot(x, np.zeros_like(x), color="blue", linestyle="--", linewidth=2.0,
                                  label="learned slope f' / K")
    (optimal_slope,) = right.plot(x, np.zeros_like(x), color="tab:cyan", linewidth=1.6,
                                  label=r"optimal slope sign($F_g - F_\mathrm{data}$)")
    right.set_xlim(x[0], x[-1])
    right.set_ylim(-1.3, 1.6)
    right.set_xlabel("x")
    right.set_ylabel("slope")
    right.legend(loc="upper right", fontsize=8)
    renderer = render.FigureRenderer(figure, [generator_line, learned_line, optimal_line, learned_slope, optimal_slope,
                                             left.title, right.title])

    def update(clip, distance):
        population = ws.shifted_population("wasserstein", distance, [seed], clip=clip, n_pretrain=n_critic_steps)
        p_g = population.generator_density(0)
        critic = population.discriminator.network(0)
        estimate = ws.critic_estimate(critic, ws.DATA, p_g, x)
        slopes = input_slope(critic, x[:, None]) / estimate.lipschitz
        optimal = ws.optimal_critic_slope(ws.DATA, p_g, x)
        optimal_values = np.concatenate([[0.0], np.cumsum(0.5 * (optimal[1:] + optimal[:-1]) * np.diff(x))])
        learned_values = critic(x[:, None])[:, 0] / estimate.lipschitz
        centre = np.argmin(np.abs(x - 0.5))
        generator_values = p_g.pdf(x)
        generator_line.set_ydata(generator_values)
        learned_line.set_ydata(learned_values - learned_values[centre])
        optimal_line.set_ydata(optimal_values - optimal_values[centre])
        learned_slope.set_ydata(slopes)
        optimal_slope.set_ydata(optimal)
        critics = np.concatenate([optimal_values - optimal_values[centre], learned_values - learned_values[centre]])
        low = min(-1.0, float(np.min(critics)) - 0.3)
        high = max(1.6, 1.1 * float(np.max(generator_values)), float(np.max(critics)) + 1.2)
        left.set_ylim(low, high)
        js = js_divergence(ws.DATA, p_g)
        left.set_title(f"c = {clip:.3f}, start {distance:.1f} from the data\nexact W1 = {estimate.exact:.3f}, "
                       f"exact JS = {js:.4f} (log 2 = 0.6931)", fontsize=10)
        right.set_title(f"critic: E_data f - E_g f = {estimate.value:.4f}, K = {estimate.lipschitz:.4f}\n"
                        f"value / K = {estimate.scaled:.3f} <= W1 = {estimate.exact:.3f}", fontsize=10)
        return {"w1": estimate.exact, "js": js, "estimate": estimate.value, "lipschitz": estimate.lipschitz,
                "scaled": estimate.scaled}

    controls = {
        "clip": slider("clipping c", 0.05, 0.005, 0.2, 0.005, readout_format=".3f"),
        "distance": slider("start distance", 4.0, 0.0, max_distance, 0.5, readout_format=".1f"),
    }
    return SliderPanel(controls, renderer, update)
