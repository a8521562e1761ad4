r"""The course's colours and line styles, one place for every picture.

Goodfellow et al. (2014), Figure 1: the data density black dotted, the generator's density :math:`p_g` green
solid, the discriminator D blue dashed; Goodfellow (2016), Figure 16: the three generator costs.
"""

from __future__ import annotations

__all__ = [
    "DATA_STYLE",
    "GENERATOR_STYLE",
    "DISCRIMINATOR_STYLE",
    "SMOOTHED_DISCRIMINATOR_STYLE",
    "HALF_LEVEL_STYLE",
    "CROSSING_STYLE",
    "LOSS_STYLES",
    "CURVE_STYLES",
    "LEVEL_STYLE",
    "MARKER_SIZE",
]


# ---------------------------------------------------------------------------------------------------------
# Styles. Goodfellow et al. (2014), Figure 1: data black dotted, p_g green solid, D blue dashed.
# ---------------------------------------------------------------------------------------------------------

DATA_STYLE = {"color": "black", "linestyle": ":", "linewidth": 2.2, "label": r"$p_\mathrm{data}$"}
GENERATOR_STYLE = {"color": "green", "linestyle": "-", "linewidth": 2.0, "label": r"$p_g$"}
DISCRIMINATOR_STYLE = {"color": "blue", "linestyle": "--", "linewidth": 2.0, "label": r"$D^*$"}
SMOOTHED_DISCRIMINATOR_STYLE = {
    "color": "royalblue",
    "linestyle": "-.",
    "linewidth": 1.6,
    "label": r"$\alpha D^*$ (label smoothing)",
}

# Goodfellow (2016), Figure 16: the three generator costs.
LOSS_STYLES = {
    "minimax": {"color": "tab:red", "linestyle": "-", "linewidth": 2.0, "label": r"minimax $\log(1-D)$"},
    "non-saturating": {"color": "tab:purple", "linestyle": "-", "linewidth": 2.0, "label": r"non-saturating $-\log D$"},
    "maximum-likelihood": {
        "color": "tab:orange",
        "linestyle": "-",
        "linewidth": 2.0,
        "label": r"maximum likelihood $-D/(1-D)$",
    },
}

CURVE_STYLES = {
    "js": {"color": "tab:red", "linestyle": "-", "linewidth": 2.0, "label": "JS, two Gaussians"},
    "js_slope": {"color": "tab:red", "linestyle": "--", "linewidth": 2.0, "label": "dJS/dd, two Gaussians"},
    "uniform_js": {"color": "tab:brown", "linestyle": "-", "linewidth": 1.6, "label": "JS, two uniforms"},
    "uniform_slope": {"color": "tab:brown", "linestyle": "--", "linewidth": 1.6, "label": "dJS/da, two uniforms"},
    "wasserstein": {"color": "tab:gray", "linestyle": "-", "linewidth": 1.6, "label": r"$W_1 = d$"},
    "wasserstein_slope": {"color": "tab:gray", "linestyle": "--", "linewidth": 1.6, "label": r"$dW_1/dd = 1$"},
    "kl": {"color": "tab:purple", "linestyle": "-", "linewidth": 2.0, "label": r"KL$(p_\mathrm{data}\,\|\,q)$"},
    "nll": {
        "color": "tab:orange",
        "linestyle": "--",
        "linewidth": 1.6,
        "label": r"$-\frac{1}{n}\sum\log q(x_i) - H(p_\mathrm{data})$",
    },
    "criterion": {"color": "tab:red", "linestyle": "-", "linewidth": 2.0, "label": r"$C(G)$"},
    "integrand": {
        "color": "tab:red",
        "linestyle": "-",
        "linewidth": 1.6,
        "label": r"$p_\mathrm{data}\log D^* + p_g\log(1-D^*)$",
    },
    "reverse_fit": {"color": "tab:orange", "linestyle": "-.", "linewidth": 2.0, "label": "reverse-KL fit"},
}
LEVEL_STYLE = {"color": "0.45", "linestyle": "-", "linewidth": 0.9}
# D = 1/2, and the points where p_data = p_g, which D* crosses it at.
HALF_LEVEL_STYLE = {"color": "blue", "linestyle": ":", "linewidth": 1.0}
CROSSING_STYLE = {"marker": "o", "markersize": 6.0, "color": "blue", "markerfacecolor": "white", "zorder": 5,
                  "label": r"$p_\mathrm{data} = p_g$: $D^* = 1/2$"}
MARKER_SIZE = 8.0
