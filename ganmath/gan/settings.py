r"""The settings of Algorithm 1, checked once: what a run and a population of runs share.

:class:`Settings` is a frozen record; :meth:`Settings.checked` validates every field and names the
parameter and the value of a mistake. ``GAN(data, **settings)`` and ``Population(data, seeds=...,
**settings)`` take the same keywords.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

from ganmath._validation import (
    check_choice,
    check_in_range,
    check_positive,
    check_positive_int,
)
from ganmath.core.costs import GENERATOR_LOSSES
from ganmath.nn.layers import ACTIVATIONS
from ganmath.nn.optimizers import OPTIMIZERS

__all__ = ["Settings", "TrainingSettings", "CheckedSettings", "check_hidden", "checked_optimizer_fields", "checked_training_fields"]


class CheckedSettings:
    """What every frozen record of settings shares (:class:`Settings`, the DCGAN's and the WGAN's): built from
    keywords, copied with changes and written out as JSON-ready values, each time checked by the subclass's
    ``checked()``. Sequences (Adam's betas, the hidden widths) are tuples inside and lists outside."""

    def checked(self):
        raise NotImplementedError

    @classmethod
    def from_keywords(cls, **keywords):
        """Checked settings from keywords; an unknown keyword raises TypeError naming it."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(keywords) - known)
        if unknown:
            raise TypeError(f"unknown setting(s) {unknown}; the settings are {sorted(known)}")
        return cls(**{name: tuple(value) if isinstance(value, list) else value
                      for name, value in keywords.items()}).checked()

    def replace(self, **changes):
        """A checked copy with some fields changed."""
        return replace(self, **changes).checked()

    def as_dict(self) -> dict:
        """The fields as plain JSON-ready values."""
        return {name: list(value) if isinstance(value, tuple) else value for name, value in asdict(self).items()}


@dataclass(frozen=True)
class TrainingSettings(CheckedSettings):
    r"""The fields of Algorithm 1 with the cross-entropy that every such trainer shares, by the same names and checked
    by the same function (:func:`checked_training_fields`): :class:`Settings` (the 1-D GAN) and
    :class:`ganmath.gan.dcgan.DCGANSettings` add their networks and set their own defaults.

    Attributes
    ----------
    k, m, generator_loss, optimizer, lr_discriminator, lr_generator, momentum, betas, label_smoothing
        As in :class:`Settings`.
    """

    k: int = 1
    m: int = 64
    generator_loss: str = "non-saturating"
    optimizer: str = "adam"
    lr_discriminator: float = 2e-4
    lr_generator: float = 2e-4
    momentum: float = 0.9
    betas: tuple = (0.5, 0.999)
    label_smoothing: float = 0.0


@dataclass(frozen=True)
class Settings(TrainingSettings):
    r"""The hyperparameters of Algorithm 1 for the 1-D GAN.

    Attributes
    ----------
    k : int >= 1
        Discriminator steps per iteration (the paper used k = 1, "the least expensive option").
    m : int >= 1
        Minibatch size (of data and of noise).
    generator_loss : {"non-saturating", "minimax", "maximum-likelihood"}
    optimizer : {"adam", "sgd", "rmsprop"}
        "sgd" is SGD with momentum, as in the paper; "rmsprop" the WGAN's optimizer (decay 0.99).
    lr_discriminator, lr_generator : float > 0
    momentum : float in [0, 1)
        SGD momentum (ignored by Adam).
    betas : (float, float), each in [0, 1)
        Adam's :math:`\beta_1, \beta_2` (ignored by SGD).
    label_smoothing : float in [0, 1)
        One-sided label smoothing: D's target for real data is ``1 - label_smoothing``.
    generator_hidden, discriminator_hidden : tuple of int
        Hidden-layer widths; ``(32, 32)`` gives the 1-32-32-1 networks.
    generator_activation : {"softplus", "tanh", "leaky-relu", "relu"}
        Smooth by default, so that p_g is a density (see :mod:`ganmath.gan.pushforward`).
    discriminator_activation : {"tanh", "softplus", "leaky-relu", "relu"}

    Notes
    -----
    The defaults (softplus G, tanh D, Adam with :math:`\beta_1 = 0.5`, learning rates 2e-3 for D and
    2e-4 for G, k = 2, m = 64) train N(4, 0.5) data with normal noise; notebook 06 and
    ``tests/experiments/test_claims.py`` measure how often, over seeds.
    """

    k: int = 2
    lr_discriminator: float = 2e-3
    generator_hidden: tuple = (32, 32)
    discriminator_hidden: tuple = (32, 32)
    generator_activation: str = "softplus"
    discriminator_activation: str = "tanh"

    def checked(self) -> "Settings":
        """The same settings with every field validated and normalized (ints, floats, tuples)."""
        return Settings(
            **checked_training_fields(self),
            m=check_positive_int("m", self.m),
            generator_hidden=check_hidden("generator_hidden", self.generator_hidden),
            discriminator_hidden=check_hidden("discriminator_hidden", self.discriminator_hidden),
            generator_activation=check_choice("generator_activation", self.generator_activation, tuple(ACTIVATIONS)),
            discriminator_activation=check_choice("discriminator_activation", self.discriminator_activation,
                                                  tuple(ACTIVATIONS)),
        )


def checked_optimizer_fields(settings) -> dict:
    """The checked values of the fields every trainer's settings share (:class:`Settings`, the DCGAN's, the
    WGAN's), by the same names: ``k`` steps of the second network per generator step, and the optimizer with its
    learning rates, SGD's momentum and Adam's betas. A mistake raises ValueError or TypeError naming the field and
    the value."""
    try:
        beta1, beta2 = settings.betas
    except (TypeError, ValueError):
        raise TypeError(f"betas must be a pair (beta1, beta2), got betas={settings.betas!r}") from None
    return {
        "k": check_positive_int("k", settings.k),
        "optimizer": check_choice("optimizer", settings.optimizer, tuple(OPTIMIZERS)),
        "lr_discriminator": check_positive("lr_discriminator", settings.lr_discriminator),
        "lr_generator": check_positive("lr_generator", settings.lr_generator),
        "momentum": check_in_range("momentum", settings.momentum, 0.0, 1.0, high_open=True),
        "betas": (check_in_range("betas[0]", beta1, 0.0, 1.0, high_open=True),
                  check_in_range("betas[1]", beta2, 0.0, 1.0, high_open=True)),
    }


def checked_training_fields(settings) -> dict:
    """:func:`checked_optimizer_fields`, and the fields of the cross-entropy game (:class:`Settings`, the DCGAN's):
    the generator's loss and the label smoothing."""
    return {
        **checked_optimizer_fields(settings),
        "generator_loss": check_choice("generator_loss", settings.generator_loss, GENERATOR_LOSSES),
        "label_smoothing": check_in_range("label_smoothing", settings.label_smoothing, 0.0, 1.0, high_open=True),
    }


def check_hidden(name: str, hidden) -> tuple[int, ...]:
    """Hidden-layer widths as a tuple of ints >= 1; a string or a non-sequence raises TypeError naming ``name``."""
    if isinstance(hidden, (str, bytes)):
        raise TypeError(f"{name} must be a sequence of hidden-layer widths, got {name}={hidden!r}")
    try:
        widths = tuple(hidden)
    except TypeError:
        raise TypeError(f"{name} must be a sequence of hidden-layer widths, got {name}={hidden!r}") from None
    return tuple(check_positive_int(f"{name}[{i}]", width) for i, width in enumerate(widths))
