"""The numpy networks of the GAN: layers with hand-written backward passes, the MLP built of them,
the losses computed from D's logits (the generator's per-sample costs they average are
:mod:`ganmath.core.costs`), and the optimizers."""

from ganmath._modules import lazy_modules
from ganmath.nn.layers import ACTIVATIONS, LeakyReLU, Linear, ReLU, Softplus, Tanh
from ganmath.nn.losses import (
    discriminator_loss,
    discriminator_loss_stacked,
    generator_loss,
)
from ganmath.nn.mlp import MLP
from ganmath.nn.optimizers import SGD, Adam, RMSProp

__all__ = [
    "ACTIVATIONS",
    "Linear",
    "ReLU",
    "LeakyReLU",
    "Tanh",
    "Softplus",
    "MLP",
    "SGD",
    "Adam",
    "RMSProp",
    "generator_loss",
    "discriminator_loss",
    "discriminator_loss_stacked",
]


__getattr__ = lazy_modules(__name__)
