"""Algorithm 1 on the numpy networks: one run (:class:`GAN`) or a population of seeded runs at once
(:class:`Population`), what a run records (:class:`History`), what it measures (:class:`Snapshot`,
:func:`measure`) and how it is saved (:mod:`ganmath.gan.io`)."""

from ganmath._modules import lazy_modules
from ganmath.gan.history import History
from ganmath.gan.io import load_pair, save_pair
from ganmath.gan.population import Population
from ganmath.gan.runs import NonFiniteError
from ganmath.gan.settings import Settings
from ganmath.gan.single import GAN
from ganmath.gan.snapshot import Snapshot, measure

__all__ = ["GAN", "Population", "Settings", "History", "Snapshot", "measure", "NonFiniteError", "save_pair",
           "load_pair"]


__getattr__ = lazy_modules(__name__)
