"""ganmath: the mathematics of the original GAN (Goodfellow et al. 2014), computed exactly in 1-D.

The theory kit, exported here: densities, the optimal discriminator, the value function, the virtual
criterion and the divergences. Elsewhere:

- :mod:`ganmath.symbolic`: the paper's derivations in sympy;
- :mod:`ganmath.nn` (layers, MLP, losses, optimizers), :mod:`ganmath.gan` (Algorithm 1 and its history),
  :mod:`ganmath.pushforward` (the exact density of G(z));
- :mod:`ganmath.vanishing`, :mod:`ganmath.likelihood`, :mod:`ganmath.pointwise`, :mod:`ganmath.figure1`,
  :mod:`ganmath.experiments`, :mod:`ganmath.trainer`: what the notebooks compute;
- :mod:`ganmath.plots`, :mod:`ganmath.widgets`, :mod:`ganmath.trainer_app` and their ``*_figure1`` /
  ``*_training`` companions: pictures and sliders, the only modules that import matplotlib or ipywidgets.
"""

from ganmath.densities import CustomDensity, Density, Mixture, Normal, TruncatedNormal, Uniform
from ganmath.divergences import js_deficit, js_divergence, kl_divergence, total_variation, wasserstein1
from ganmath.theory import optimal_discriminator, optimal_discriminator_logit, value_function, virtual_criterion

__version__ = "0.1.0"

__all__ = [
    "Density",
    "Normal",
    "Uniform",
    "TruncatedNormal",
    "Mixture",
    "CustomDensity",
    "optimal_discriminator",
    "optimal_discriminator_logit",
    "value_function",
    "virtual_criterion",
    "kl_divergence",
    "js_divergence",
    "js_deficit",
    "total_variation",
    "wasserstein1",
]
