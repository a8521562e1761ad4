"""Pictures (matplotlib only): each function takes arrays or measured records and returns a Figure or artists.

- :mod:`ganmath.viz.palette`: the colours and line styles of every picture (those of the paper's Figure 1);
- :mod:`ganmath.viz.render`: figures for a notebook cell, and for a slider (rendered to PNG, redrawing only what moves);
- :mod:`ganmath.viz.drawing`: legends off the data, windows that follow the densities, and the panels every picture
  is made of;
- :mod:`ganmath.viz.theory_figures`: the theory notebooks' figures (01-05);
- :mod:`ganmath.viz.figure1`: the paper's Figure 1 as a four-layer picture, the spread over seeds, the sweep;
- :mod:`ganmath.viz.training`: the trainer's picture, saturation, mode collapse and the landscapes;
- :mod:`ganmath.viz.proposition2`: notebook 11's descent, segments and final gaps;
- :mod:`ganmath.viz.parzen`: notebook 12's estimate with its reported standard error against the number of
  samples, and four models of the same data scored by it;
- :mod:`ganmath.viz.wasserstein`: notebook 13's saturating D* against the linear critic (the WGAN paper's Figure 2),
  exact JS and W1 along runs, and the runs that reach the data;
- :mod:`ganmath.viz.game`: the minimax game's vector field and paths of play, the bilinear spiral, min-max
  against max-min.
"""

from ganmath._modules import lazy_modules
from ganmath.viz import (
    drawing,
    figure1,
    game,
    palette,
    parzen,
    proposition2,
    render,
    theory_figures,
    training,
    wasserstein,
)

__all__ = ["drawing", "figure1", "game", "palette", "parzen", "proposition2", "render", "theory_figures", "training",
           "wasserstein"]

__getattr__ = lazy_modules(__name__)
