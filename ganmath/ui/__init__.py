"""Sliders, scrubbers, the trainer application and progress bars (ipywidgets only; each factory returns the widget,
so a test can set a slider or press a button and read the result).

- :mod:`ganmath.ui.panel`: the slider panel every slider of the course returns, and its sliders' look;
- :mod:`ganmath.ui.theory_sliders`: the theory notebooks' slider panels (01-05);
- :mod:`ganmath.ui.figure1`: the Figure 1 snapshot slider and the Algorithm 1 controls;
- :mod:`ganmath.ui.training`: run scrubbers;
- :mod:`ganmath.ui.trainer_app`: the interactive 1-D GAN trainer;
- :mod:`ganmath.ui.proposition2`: notebook 11's step size and parametric family;
- :mod:`ganmath.ui.parzen`: notebook 12's number of samples and window width;
- :mod:`ganmath.ui.wasserstein`: notebook 13's clipping constant and starting distance;
- :mod:`ganmath.ui.game`: the minimax game's step size, update scheme, discriminator steps and gradient penalty;
- :mod:`ganmath.ui.progress`: a bar in a notebook, on a terminal, or nothing; a bar is a training callback.
"""

from ganmath._modules import lazy_modules
from ganmath.ui import (
    figure1,
    game,
    panel,
    parzen,
    progress,
    proposition2,
    theory_sliders,
    trainer_app,
    training,
    wasserstein,
)

__all__ = ["panel", "theory_sliders", "figure1", "training", "trainer_app", "progress", "proposition2", "parzen",
           "wasserstein", "game"]

__getattr__ = lazy_modules(__name__)
