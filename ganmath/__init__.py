"""ganmath: the mathematics of the original GAN (Goodfellow et al. 2014), computed exactly in 1-D.

The theory kit is exported here: densities, the optimal discriminator, the value function, the virtual
criterion, the divergences, and the Parzen-window evaluation of the paper's Table 1. The packages, each
importing only those above it in this list:

- :mod:`ganmath.core`: densities, the integrator, divergences, the paper's functions, the sympy derivations,
  and what the theory notebooks compute (vanishing gradients, likelihood fits, the pointwise view, presets);
- :mod:`ganmath.nn`: layers as forward/backward pairs, the MLP (one network or a stack of runs), losses,
  optimizers, and the image layers of the DCGAN;
- :mod:`ganmath.gan`: Algorithm 1 on a population of seeded runs (a GAN is a population of one), the measured
  state of a run, the exact density of G(z), saving and loading;
- :mod:`ganmath.experiments`: training runs and their claims, measured over seeds (Figure 1, convergence,
  saturation, mode collapse, the landscapes, the interactive trainer's state);
- :mod:`ganmath.viz` (matplotlib only) and :mod:`ganmath.ui` (ipywidgets): pictures and sliders, which call the
  math and are never called by it.

:mod:`ganmath.stats` states a rate with its Wilson interval; ``python -m ganmath`` is the command line.

A student needs only ``import ganmath as gm``: the theory kit, the GAN and the population of seeded runs
(``gm.GAN``, ``gm.Population``, ``gm.Settings``), the exact density of a 1-D generator (``gm.GeneratorDensity``), a
rate over seeds (``gm.rate``), and the pictures, sliders and experiments as ``gm.viz``, ``gm.ui`` and
``gm.experiments`` (imported when first used: matplotlib and ipywidgets load only then).
"""

from ganmath.core.densities import (
    CustomDensity,
    Density,
    Mixture,
    Normal,
    TruncatedNormal,
    Uniform,
)
from ganmath.core.divergences import (
    js_deficit,
    js_divergence,
    kl_divergence,
    total_variation,
    wasserstein1,
)
from ganmath.core.parzen import parzen_bandwidth, parzen_log_likelihood
from ganmath.core.theory import (
    optimal_discriminator,
    optimal_discriminator_logit,
    value_function,
    virtual_criterion,
)
from ganmath.gan import GAN, Population, Settings
from ganmath.gan.pushforward import GeneratorDensity
from ganmath.stats import rate, spread

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
    "parzen_log_likelihood",
    "parzen_bandwidth",
    "GAN",
    "Population",
    "Settings",
    "GeneratorDensity",
    "rate",
    "spread",
]

_SUBPACKAGES = ("core", "nn", "gan", "experiments", "viz", "ui")


def __getattr__(name):
    """``gm.viz``, ``gm.ui``, ``gm.experiments`` (and the other layers) as attributes, imported on first use."""
    if name in _SUBPACKAGES:
        import importlib

        return importlib.import_module(f"ganmath.{name}")
    raise AttributeError(f"module 'ganmath' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_SUBPACKAGES])
