"""The theory kit: densities, the one integrator, divergences, the paper's functions of D and G, the sympy
derivations, and what the theory notebooks compute from them (vanishing gradients, likelihood fits, the pointwise
view of Proposition 1, named example densities). Nothing here imports matplotlib, ipywidgets or the networks."""

from ganmath._modules import lazy_modules

__getattr__ = lazy_modules(__name__)
