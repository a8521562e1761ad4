"""ganmath: the mathematics of the original GAN (Goodfellow et al. 2014), computed exactly in 1-D.

The theory kit: densities, the optimal discriminator, the value function, the virtual criterion and
the divergences. The numpy GAN lives in :mod:`ganmath.nn` and :mod:`ganmath.gan`; the sympy
derivations in :mod:`ganmath.symbolic`; pictures and sliders in :mod:`ganmath.plots` and
:mod:`ganmath.widgets`.
"""

from ganmath.densities import CustomDensity, Density, Mixture, Normal, Uniform
from ganmath.divergences import js_deficit, js_divergence, kl_divergence, total_variation, wasserstein1
from ganmath.theory import optimal_discriminator, optimal_discriminator_logit, value_function, virtual_criterion

__version__ = "0.1.0"

__all__ = [
    "Density",
    "Normal",
    "Uniform",
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
