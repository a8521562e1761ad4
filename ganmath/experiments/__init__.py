"""Training runs and what they show, each claim measured over a population of seeds (:mod:`ganmath.stats`):

- :mod:`ganmath.experiments.algorithm1`: does Algorithm 1 train (the defaults on N(4, 0.5); the paper's own
  k = 1 with SGD, swept);
- :mod:`ganmath.experiments.figure1`: the paper's Figure 1 (a)-(d) from real runs, its bounds as rates;
- :mod:`ganmath.experiments.saturation`: minimax against non-saturating from a strong D;
- :mod:`ganmath.experiments.mode_collapse`: how often a run drops a mode, and what helps;
- :mod:`ganmath.experiments.landscape`: C(G) and the non-saturating objective of a one-Gaussian generator;
- :mod:`ganmath.experiments.trainer`: the state of the interactive trainer.
"""

from ganmath._modules import lazy_modules
from ganmath.experiments import (
    algorithm1,
    figure1,
    landscape,
    mode_collapse,
    saturation,
    trainer,
)

__all__ = ["algorithm1", "figure1", "saturation", "mode_collapse", "landscape", "trainer"]


__getattr__ = lazy_modules(__name__)
