r"""Algorithm 1 on images: a small DCGAN (Radford, Metz and Chintala 2015) for 8x8 images, in numpy.

The game is the 1-D GAN's (:mod:`ganmath.gan.population`), the same steps with the same losses
(:mod:`ganmath.nn.losses`) and optimizers (:mod:`ganmath.nn.optimizers`); only the networks change, from
MLPs on numbers to convolutional networks on images (:mod:`ganmath.nn.conv`, :mod:`ganmath.nn.batchnorm`,
:mod:`ganmath.nn.resample`, laid in a row by
:class:`ganmath.nn.sequential.Sequential`). For each training iteration:

1. *k* times: draw *m* training images (indices uniform with replacement: the empirical p_data) and *m*
   noise vectors :math:`z \sim U(-1, 1)^d`, and take one step descending D's cross-entropy
   :math:`-\frac1m \sum_i [\log D(x_i) + \log(1 - D(G(z_i)))]`;
2. draw *m* fresh noise vectors and take one step of G on the generator loss (non-saturating
   :math:`-\frac1m\sum\log D(G(z_i))` by default, as in the DCGAN paper).

Real and generated images go through D as two batches, each normalized by its own batch statistics,
as in the DCGAN paper's code and its reimplementations (a batch mixing both would let batch
normalization compare them); their gradients add up in D's gradient vector.

The architecture (:class:`DCGANSettings`, :func:`build_generator`, :func:`build_discriminator`), by default
the paper's three rules at 8x8:

* G: z (d) -> Linear -> 64 x 2 x 2 -> BatchNorm -> ReLU -> ConvTranspose 4x4 stride 2 (2 -> 4) -> 32 x 4 x 4
  -> BatchNorm -> ReLU -> ConvTranspose 4x4 stride 2 (4 -> 8) -> 1 x 8 x 8 -> tanh;
* D: Conv 4x4 stride 2 (8 -> 4) -> 32 x 4 x 4 -> LeakyReLU(0.2) -> Conv 4x4 stride 2 (4 -> 2) -> 64 x 2 x 2
  -> BatchNorm -> LeakyReLU(0.2) -> Flatten -> Linear -> one logit (no batch normalization on D's input
  layer, nor on G's output layer, as in the paper).

Each rule can be broken by a setting: ``strided=False`` puts 2x2 average pooling after stride-1 3x3
convolutions in D and nearest-neighbour upsampling before them in G; ``fully_connected=True`` adds a
hidden fully connected layer (``hidden_width`` units) after z in G and before the logit in D;
``batch_norm=False`` removes every batch normalization. Weights start as in the paper: normal with
standard deviation 0.02, biases 0, BatchNorm's scale 1 and shift 0.

Randomness: ``seed`` makes a :class:`numpy.random.SeedSequence` spawning two streams, one for training
(the initial weights, G's then D's, then every minibatch, in the order the steps draw them) and one for
the fixed noise of the snapshots, so that taking snapshots never changes a run.

Usage::

    from ganmath.gan.dcgan import DCGAN

    gan = DCGAN(images, seed=0)          # images: (n, 1, 8, 8) in [-1, 1]
    gan.train(2000, snapshot_every=100)
    gan.sample(64, np.random.default_rng(1))    # 64 images, batch normalization in inference mode
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import numpy as np
from scipy import special

from ganmath._validation import (
    check_bool,
    check_in_range,
    check_positive,
    check_positive_int,
    check_rng,
)
from ganmath.gan.history import STEP_RECORDS, History
from ganmath.gan.loop import AlgorithmOne, snapshot_schedule
from ganmath.gan.runs import NonFiniteError
from ganmath.gan.settings import TrainingSettings, checked_training_fields
from ganmath.nn.batchnorm import BatchNorm
from ganmath.nn.conv import Conv2d, ConvTranspose2d
from ganmath.nn.layers import LeakyReLU, Linear, ReLU, Tanh
from ganmath.nn.losses import discriminator_loss, generator_loss
from ganmath.nn.mlp import Workspace
from ganmath.nn.optimizers import make_optimizer
from ganmath.nn.resample import AvgPool2d, Flatten, Reshape, UpsampleNearest
from ganmath.nn.sequential import Sequential

__all__ = [
    "IMAGE_SHAPE",
    "DCGANSettings",
    "build_generator",
    "build_discriminator",
    "sample_noise",
    "DCGAN",
    "save_dcgan",
    "load_dcgan",
    "DCGAN_FORMAT",
    "GENERATE_CHUNK",
]

#: One channel of 8 x 8 pixels: the images the networks make and judge.
IMAGE_SHAPE = (1, 8, 8)
#: How many images :meth:`DCGAN.generate` makes per pass.
GENERATE_CHUNK = 500
#: The tag and version of a saved run.
DCGAN_FORMAT = ("ganmath-dcgan", 1)


@dataclass(frozen=True)
class DCGANSettings(TrainingSettings):
    r"""Algorithm 1's hyperparameters and the architecture of a DCGAN for 8x8 images.

    Attributes
    ----------
    k : int >= 1
        Discriminator steps per iteration (the DCGAN paper: 1).
    m : int >= 2
        Minibatch size of data and of noise (batch normalization needs more than one image).
    generator_loss : {"non-saturating", "minimax", "maximum-likelihood"}
    optimizer : {"adam", "sgd", "rmsprop"}
    lr_discriminator, lr_generator : float > 0
    momentum : float in [0, 1)
        SGD's momentum (ignored by Adam).
    betas : (float, float)
        Adam's; the DCGAN paper's :math:`\beta_1 = 0.5`.
    label_smoothing : float in [0, 1)
    noise_dim : int >= 1
        d, the length of z.
    channels : int >= 1
        The channels of G's last hidden layer and D's first (twice as many in the layer at 2 x 2).
    strided : bool
        Rule 1: strided (transposed) convolutions; False puts pooling and upsampling in their place.
    fully_connected : bool
        Rule 2 broken when True: a hidden fully connected layer in each network.
    batch_norm : bool
        Rule 3: batch normalization in both networks (not on D's input nor G's output layer).
    hidden_width : int >= 1
        The width of the hidden fully connected layers (used with ``fully_connected``).
    leaky_slope : float in [0, 1)
        D's LeakyReLU slope (the paper's 0.2).
    init_std : float > 0
        The standard deviation of the initial weights (the paper's 0.02).
    """

    noise_dim: int = 32
    channels: int = 32
    strided: bool = True
    fully_connected: bool = False
    batch_norm: bool = True
    hidden_width: int = 128
    leaky_slope: float = 0.2
    init_std: float = 0.02

    def checked(self) -> "DCGANSettings":
        """The same settings with every field validated and normalized."""
        common = checked_training_fields(self)
        m = check_positive_int("m", self.m)
        if m < 2:
            raise ValueError(f"m must be >= 2 (batch normalization needs two images), got m={m!r}")
        return DCGANSettings(
            **common,
            m=m,
            noise_dim=check_positive_int("noise_dim", self.noise_dim),
            channels=check_positive_int("channels", self.channels),
            strided=check_bool("strided", self.strided),
            fully_connected=check_bool("fully_connected", self.fully_connected),
            batch_norm=check_bool("batch_norm", self.batch_norm),
            hidden_width=check_positive_int("hidden_width", self.hidden_width),
            leaky_slope=check_in_range("leaky_slope", self.leaky_slope, 0.0, 1.0, high_open=True),
            init_std=check_positive("init_std", self.init_std),
        )


# --- the networks ---------------------------------------------------------------------------------


def _normal(rng, std, shape) -> np.ndarray:
    return rng.normal(0.0, std, size=shape)


def _linear(n_in: int, n_out: int, rng, std: float) -> Linear:
    return Linear(_normal(rng, std, (n_in, n_out)), np.zeros(n_out))


def _conv(n_in: int, n_out: int, kernel: int, rng, std: float, **geometry) -> Conv2d:
    return Conv2d(_normal(rng, std, (n_out, n_in, kernel, kernel)), np.zeros(n_out), **geometry)


def _conv_transpose(n_in: int, n_out: int, kernel: int, rng, std: float, **geometry) -> ConvTranspose2d:
    return ConvTranspose2d(_normal(rng, std, (n_in, n_out, kernel, kernel)), np.zeros(n_out), **geometry)


def build_generator(settings: DCGANSettings, rng) -> list:
    """G's layers for ``settings``, weights drawn from ``rng`` (normal, ``init_std``; biases 0), in order.

    Returns
    -------
    list of layers, from z ``(N, noise_dim)`` to images ``(N, 1, 8, 8)`` in (-1, 1)
    """
    s, rng = settings, check_rng(rng)
    wide = 2 * s.channels
    layers, width = [], s.noise_dim
    if s.fully_connected:
        layers += [_linear(width, s.hidden_width, rng, s.init_std)]
        layers += [BatchNorm(s.hidden_width)] if s.batch_norm else []
        layers += [ReLU()]
        width = s.hidden_width
    layers += [_linear(width, wide * 2 * 2, rng, s.init_std), Reshape(wide, 2, 2)]
    layers += [BatchNorm(wide)] if s.batch_norm else []
    layers += [ReLU()]
    for n_in, n_out, last in ((wide, s.channels, False), (s.channels, 1, True)):
        if s.strided:
            layers += [_conv_transpose(n_in, n_out, 4, rng, s.init_std, stride=2, padding=1)]
        else:
            layers += [UpsampleNearest(2), _conv(n_in, n_out, 3, rng, s.init_std, padding=1)]
        if not last:
            layers += [BatchNorm(n_out)] if s.batch_norm else []
            layers += [ReLU()]
    return layers + [Tanh()]


def build_discriminator(settings: DCGANSettings, rng) -> list:
    """D's layers for ``settings``, weights drawn from ``rng`` (normal, ``init_std``; biases 0), in order.

    Returns
    -------
    list of layers, from images ``(N, 1, 8, 8)`` to logits ``(N, 1)``
    """
    s, rng = settings, check_rng(rng)
    wide = 2 * s.channels
    layers = []
    for n_in, n_out, first in ((1, s.channels, True), (s.channels, wide, False)):
        if s.strided:
            layers += [_conv(n_in, n_out, 4, rng, s.init_std, stride=2, padding=1)]
        else:
            layers += [_conv(n_in, n_out, 3, rng, s.init_std, padding=1), AvgPool2d(2)]
        if not first:  # no batch normalization on D's input layer
            layers += [BatchNorm(n_out)] if s.batch_norm else []
        layers += [LeakyReLU(s.leaky_slope)]
    layers += [Flatten()]
    width = wide * 2 * 2
    if s.fully_connected:
        layers += [_linear(width, s.hidden_width, rng, s.init_std)]
        layers += [BatchNorm(s.hidden_width)] if s.batch_norm else []
        layers += [LeakyReLU(s.leaky_slope)]
        width = s.hidden_width
    return layers + [_linear(width, 1, rng, s.init_std)]


def sample_noise(n: int, noise_dim: int, rng, out=None) -> np.ndarray:
    r"""``n`` noise vectors :math:`z \sim U(-1, 1)^d` (the DCGAN paper's prior), as :math:`2u - 1`, shape ``(n, d)``."""
    rng = check_rng(rng)
    out = np.empty((n, noise_dim)) if out is None else out
    rng.random(out=out)
    out *= 2.0
    out -= 1.0
    return out


def _check_images(name: str, images) -> np.ndarray:
    if not isinstance(images, np.ndarray) or images.dtype != np.float64:
        raise TypeError(f"{name} must be a float64 ndarray of images, got {name}={images!r:.80}")
    if images.ndim != 4 or images.shape[1:] != IMAGE_SHAPE or images.shape[0] < 1:
        raise ValueError(f"{name} must have shape (n, 1, 8, 8) with n >= 1, got {name}.shape={images.shape}")
    if not np.all(np.isfinite(images)):
        raise ValueError(f"{name} must be finite")
    return images


def data_fingerprint(images) -> str:
    """The SHA-256 of the images' bytes: a saved run names the data it was trained on."""
    return hashlib.sha256(np.ascontiguousarray(images, dtype=np.float64).tobytes()).hexdigest()


# --- the trainer ----------------------------------------------------------------------------------


class DCGAN(AlgorithmOne):
    r"""One run of Algorithm 1 with convolutional networks, on a set of 8x8 images.

    Parameters
    ----------
    data : ndarray, shape (n, 1, 8, 8), float64
        The training images (the empirical p_data), scaled to [-1, 1] to match G's tanh. Kept by reference.
    seed : int >= 0
        Spawns the training stream (initial weights, G's then D's; then every minibatch) and the
        snapshot stream (the fixed noise of :meth:`snapshot`).
    n_snapshot : int
        How many fixed noise vectors a snapshot renders.
    **settings
        The keywords of :class:`DCGANSettings`.

    Attributes
    ----------
    settings : DCGANSettings
    generator, discriminator : Sequential
    optimizer_generator, optimizer_discriminator : SGD or Adam
    rng : numpy.random.Generator
        The training stream.
    iteration, discriminator_steps, generator_steps : int
    history : History
        One entry per D step (loss, gradient norm, batch means of D(x) and D(G(z))) and per G step (loss,
        gradient norm, mean D(G(z))).
    snapshot_noise : ndarray, shape (n_snapshot, noise_dim)
    snapshot_iterations : list of int
    snapshot_images : list of ndarray, each (n_snapshot, 1, 8, 8)
        G of the fixed noise at each snapshot (inference mode).
    """

    def __init__(self, data, *, seed: int = 0, n_snapshot: int = 16, **settings):
        settings = DCGANSettings.from_keywords(**settings)
        seed = check_positive_int("seed", seed, allow_zero=True)
        n_snapshot = check_positive_int("n_snapshot", n_snapshot)
        self.data = _check_images("data", data)
        self.seed = seed
        training, snapshots = np.random.SeedSequence(seed).spawn(2)
        self.rng = np.random.default_rng(training)
        self.settings = settings
        # G first, then D, from the training stream.
        self.generator = Sequential(build_generator(settings, self.rng))
        self.discriminator = Sequential(build_discriminator(settings, self.rng))
        self._make_optimizers()
        self.snapshot_noise = sample_noise(n_snapshot, settings.noise_dim, np.random.default_rng(snapshots))
        self.snapshot_iterations, self.snapshot_images = [], []
        self.iteration = self.discriminator_steps = self.generator_steps = 0
        self._snapshot_due = None
        self.history = History()
        # One workspace per pass whose cache must live: G, D on the real batch, D on the fake batch. The
        # generator's step sends its fakes through D in the real batch's workspace, dead by then.
        self._workspaces = {name: Workspace() for name in ("generator", "real", "fake", "inputs")}
        self.extra, self.has_optimizer_state = {}, True

    def _make_optimizers(self):
        s = self.settings
        common = {"momentum": s.momentum, "betas": s.betas}
        self.optimizer_generator = make_optimizer(s.optimizer, self.generator.parameters, self.generator.gradients,
                                                  lr=s.lr_generator, **common)
        self.optimizer_discriminator = make_optimizer(s.optimizer, self.discriminator.parameters,
                                                      self.discriminator.gradients, lr=s.lr_discriminator, **common)

    def __repr__(self):
        s = self.settings
        rules = (f"strided={s.strided}, fully_connected={s.fully_connected}, batch_norm={s.batch_norm}")
        return (f"DCGAN(seed={self.seed}, {rules}, G {self.generator.n_parameters} and D "
                f"{self.discriminator.n_parameters} parameters, iteration={self.iteration})")

    # --- drawing --------------------------------------------------------------------------------

    def _draw_data(self, m: int) -> np.ndarray:
        """``m`` training images drawn uniformly with replacement, into a kept buffer."""
        if self.data is None:
            raise ValueError("this run was loaded without its training data: load_dcgan(path, data=images)")
        index = self.rng.integers(0, self.data.shape[0], size=m)
        out = self._workspaces["inputs"].get("real", (m,) + IMAGE_SHAPE)
        return np.take(self.data, index, axis=0, out=out)

    def _draw_noise(self, m: int) -> np.ndarray:
        out = self._workspaces["inputs"].get("noise", (m, self.settings.noise_dim))
        return sample_noise(m, self.settings.noise_dim, self.rng, out=out)

    # --- one step's loss and gradients, on given batches ----------------------------------------

    def discriminator_loss_and_gradient(self, real, noise, *, workspaces: bool = False):
        r"""D's cross-entropy on a real batch and on G(noise), its gradient left in
        ``discriminator.gradients`` (zeroed first): the work of a D step before the update.

        .. math:: L_D = -\frac1m\sum_i \log D(x_i) - \frac1m\sum_i \log(1 - D(G(z_i)))

        Both networks run in training mode (batch statistics, running statistics updated).

        Parameters
        ----------
        real : ndarray, shape (m, 1, 8, 8)
        noise : ndarray, shape (m', noise_dim)
        workspaces : bool
            Write the passes into the run's kept buffers (what the training steps do).

        Returns
        -------
        loss : float
        mean_real, mean_fake : float
            The batch means of D(x) and D(G(z)).
        """
        spaces = self._workspaces if workspaces else {}
        fake, _ = self.generator.forward(noise, spaces.get("generator"))
        self.discriminator.zero_grad()
        real_logits, real_cache = self.discriminator.forward(real, spaces.get("real"))
        fake_logits, fake_cache = self.discriminator.forward(fake, spaces.get("fake"))
        loss, grad_real, grad_fake = discriminator_loss(real_logits, fake_logits, self.settings.label_smoothing)
        self.discriminator.backward(grad_real, real_cache, input_gradient=False, workspace=spaces.get("real"))
        self.discriminator.backward(grad_fake, fake_cache, input_gradient=False, workspace=spaces.get("fake"))
        mean_real, mean_fake = float(np.mean(special.expit(real_logits))), float(np.mean(special.expit(fake_logits)))
        return loss, mean_real, mean_fake

    def generator_loss_and_gradient(self, noise, *, workspaces: bool = False):
        r"""G's loss on D(G(noise)), its gradient (through D, whose own gradients are left alone) in
        ``generator.gradients`` (zeroed first): the work of a G step before the update.

        Returns
        -------
        loss : float
        mean_fake : float
            The batch mean of D(G(z)).
        """
        spaces = self._workspaces if workspaces else {}
        fake, generator_cache = self.generator.forward(noise, spaces.get("generator"))
        logits, discriminator_cache = self.discriminator.forward(fake, spaces.get("real"))
        loss, grad_logits = generator_loss(logits, self.settings.generator_loss)
        grad_fake = self.discriminator.backward_inputs(grad_logits, discriminator_cache, spaces.get("real"))
        self.generator.zero_grad()
        self.generator.backward(grad_fake, generator_cache, input_gradient=False, workspace=spaces.get("generator"))
        mean_fake = float(np.mean(special.expit(logits)))
        return loss, mean_fake

    # --- the steps of Algorithm 1 ---------------------------------------------------------------

    def _check(self, what: str, loss: float, network: Sequential, stage: str):
        values = network.gradients if stage == "gradient" else network.parameters
        if not (np.isfinite(loss) and np.isfinite(values @ values)):
            raise NonFiniteError(f"iteration {self.iteration} (discriminator step {self.discriminator_steps + 1}, "
                                 f"generator step {self.generator_steps + 1}): the {what} loss is {loss} or its "
                                 f"{stage} is non-finite")

    def _discriminator_step(self):
        m = self.settings.m
        real = self._draw_data(m)  # the data first, then the noise
        noise = self._draw_noise(m)
        loss, mean_real, mean_fake = self.discriminator_loss_and_gradient(real, noise, workspaces=True)
        gradients = self.discriminator.gradients
        self._check("discriminator", loss, self.discriminator, "gradient")
        self.optimizer_discriminator.step()
        self._check("discriminator", loss, self.discriminator, "weights")
        history = self.history
        history.discriminator_iteration.append(self.iteration)
        history.discriminator_loss.append(loss)
        history.discriminator_grad_norm.append(float(np.sqrt(gradients @ gradients)))
        history.discriminator_real.append(mean_real)
        history.discriminator_fake.append(mean_fake)
        self.discriminator_steps += 1

    def _generator_step(self):
        noise = self._draw_noise(self.settings.m)
        loss, mean_fake = self.generator_loss_and_gradient(noise, workspaces=True)
        gradients = self.generator.gradients
        self._check("generator", loss, self.generator, "gradient")
        self.optimizer_generator.step()
        self._check("generator", loss, self.generator, "weights")
        history = self.history
        history.generator_iteration.append(self.iteration)
        history.generator_loss.append(loss)
        history.generator_grad_norm.append(float(np.sqrt(gradients @ gradients)))
        history.generator_fake.append(mean_fake)
        self.generator_steps += 1

    def train(self, n_iter: int, *, snapshot_every: int | None = None, callback=None, callback_every: int = 1):
        """Run ``n_iter`` iterations of Algorithm 1 (:meth:`ganmath.gan.loop.AlgorithmOne.train`).

        Parameters
        ----------
        n_iter : int >= 0
        snapshot_every : int, optional
            Take a :meth:`snapshot` when :func:`ganmath.gan.loop.snapshot_schedule` says: at the start (when due and
            none was taken at this iteration), after every iteration that is a multiple of it, and at the end.
        callback : callable, optional
            ``callback(self)`` after every ``callback_every`` iterations; returning True stops training.
        callback_every : int >= 1
        """
        self._snapshot_due = None if snapshot_every is None else snapshot_schedule(self.iteration, n_iter, snapshot_every)
        try:
            super().train(n_iter, callback=callback, callback_every=callback_every)
        finally:
            self._snapshot_due = None

    def _before_training(self):
        if (self._snapshot_due is not None and self._snapshot_due(self.iteration)
                and (not self.snapshot_iterations or self.snapshot_iterations[-1] != self.iteration)):
            self.snapshot()

    def _after_iteration(self):
        if self._snapshot_due is not None and self._snapshot_due(self.iteration):
            self.snapshot()

    # --- what G makes ---------------------------------------------------------------------------

    def generate(self, noise) -> np.ndarray:
        """G(noise), shape ``(n, 1, 8, 8)``, with batch normalization in inference mode (the running
        statistics), so that each image depends on its own z only; no state changes.

        Computed in chunks of :data:`GENERATE_CHUNK` noise vectors: the columns of a stride-1 convolution on
        10,000 images would take over a gigabyte at once."""
        noise = np.asarray(noise, dtype=np.float64)
        if noise.ndim != 2 or noise.shape[1] != self.settings.noise_dim:
            raise ValueError(f"noise must have shape (n, {self.settings.noise_dim}), got noise.shape={noise.shape}")
        images = np.empty((noise.shape[0],) + IMAGE_SHAPE)
        self.generator.training = False
        try:
            for start in range(0, noise.shape[0], GENERATE_CHUNK):
                chunk, _ = self.generator.forward(noise[start:start + GENERATE_CHUNK])
                images[start:start + len(chunk)] = chunk
        finally:
            self.generator.training = True
        return images

    def sample(self, n: int, rng) -> np.ndarray:
        """``n`` images G(z), z drawn from ``rng`` (:func:`sample_noise`), in inference mode."""
        n = check_positive_int("n", n)
        return self.generate(sample_noise(n, self.settings.noise_dim, check_rng(rng)))

    def discriminate(self, images) -> np.ndarray:
        """D's logits for ``images``, shape ``(n,)``, batch normalization in inference mode."""
        images = _check_images("images", np.asarray(images, dtype=np.float64))
        self.discriminator.training = False
        try:
            logits, _ = self.discriminator.forward(images)
        finally:
            self.discriminator.training = True
        return logits[:, 0]

    def snapshot(self):
        """Record G of the fixed snapshot noise at the current iteration."""
        self.snapshot_iterations.append(self.iteration)
        self.snapshot_images.append(self.generate(self.snapshot_noise))


# --- saving and loading ---------------------------------------------------------------------------


def save_dcgan(gan: DCGAN, path, *, optimizer_state: bool = True, **extra):
    """Save a run to an ``.npz`` file without pickles (:func:`load_dcgan` reads it).

    Stored: the settings and counters (JSON), both networks' parameters and batch normalization running
    statistics, the training stream's state, the snapshot noise and images, the history, a fingerprint of
    the training data (not the data) and, with ``optimizer_state``, the optimizers' state: then loading
    and training go on bit for bit as the saved run would have. ``extra`` adds JSON-ready values under
    ``extra`` (for instance the command that made the file).
    """
    if not isinstance(gan, DCGAN):
        raise TypeError(f"gan must be a ganmath.gan.dcgan.DCGAN, got gan={gan!r}")
    counters = {"iteration": gan.iteration, "discriminator_steps": gan.discriminator_steps,
                "generator_steps": gan.generator_steps, "seed": gan.seed}
    arrays = {
        "format": np.array(json.dumps(DCGAN_FORMAT)),
        "settings": np.array(json.dumps(gan.settings.as_dict())),
        "counters": np.array(json.dumps(counters)),
        "extra": np.array(json.dumps(extra)),
        "data_sha256": np.array(data_fingerprint(gan.data)),
        "rng_state": np.array(json.dumps(gan.rng.bit_generator.state)),
        "rng_kind": np.array(type(gan.rng.bit_generator).__name__),
        "generator_parameters": gan.generator.parameters.copy(),
        "generator_running": gan.generator.running_statistics(),
        "discriminator_parameters": gan.discriminator.parameters.copy(),
        "discriminator_running": gan.discriminator.running_statistics(),
        "snapshot_noise": gan.snapshot_noise,
        "snapshot_iterations": np.array(gan.snapshot_iterations, dtype=np.int64),
        "snapshot_images": (np.array(gan.snapshot_images) if gan.snapshot_images
                            else np.empty((0, gan.snapshot_noise.shape[0]) + IMAGE_SHAPE)),
    }
    for name in STEP_RECORDS:
        values = getattr(gan.history, name)
        arrays[f"history_{name}"] = np.array(values, dtype=np.int64 if name.endswith("_iteration") else np.float64)
    if optimizer_state:
        for name, optimizer in (("generator", gan.optimizer_generator),
                                ("discriminator", gan.optimizer_discriminator)):
            for key, value in optimizer.state().items():
                arrays[f"optimizer_{name}_{key}"] = np.asarray(value)
    np.savez_compressed(path, **arrays)


def load_dcgan(path, data=None) -> DCGAN:
    """A run restored from :func:`save_dcgan`, read with ``allow_pickle=False``.

    Parameters
    ----------
    path : str or Path
    data : ndarray, shape (n, 1, 8, 8), optional
        The training images, needed to train further; they must be those the run was trained on (their
        fingerprint is checked). Without them the run can generate and judge images but not train.

    Returns
    -------
    DCGAN
        ``gan.extra`` holds what was saved under ``extra``; ``gan.has_optimizer_state`` says whether the
        optimizers' state was restored (if not, they start from zero).
    """
    with np.load(path, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    found = json.loads(str(arrays["format"])) if "format" in arrays else None
    if found != list(DCGAN_FORMAT):
        raise ValueError(f"{path!s} is not a ganmath DCGAN file of format {DCGAN_FORMAT} (found {found})")
    settings = json.loads(str(arrays["settings"]))
    counters = json.loads(str(arrays["counters"]))
    fingerprint = str(arrays["data_sha256"])
    if data is not None:
        data = _check_images("data", data)
        if data_fingerprint(data) != fingerprint:
            raise ValueError("data are not the images this run was trained on (their SHA-256 differs)")
    placeholder = data is None
    n_snapshot = arrays["snapshot_noise"].shape[0]
    gan = DCGAN(np.zeros((1,) + IMAGE_SHAPE) if placeholder else data, seed=counters["seed"],
                n_snapshot=n_snapshot, **settings)
    if placeholder:
        gan.data = None
    gan.generator.set_parameters(arrays["generator_parameters"])
    gan.generator.set_running_statistics(arrays["generator_running"])
    gan.discriminator.set_parameters(arrays["discriminator_parameters"])
    gan.discriminator.set_running_statistics(arrays["discriminator_running"])
    bit_generator = getattr(np.random, str(arrays["rng_kind"]))()
    bit_generator.state = json.loads(str(arrays["rng_state"]))
    gan.rng = np.random.Generator(bit_generator)
    gan.snapshot_noise = arrays["snapshot_noise"]
    gan.snapshot_iterations = [int(i) for i in arrays["snapshot_iterations"]]
    gan.snapshot_images = list(arrays["snapshot_images"])
    gan.has_optimizer_state = False
    for name, optimizer in (("generator", gan.optimizer_generator), ("discriminator", gan.optimizer_discriminator)):
        prefix = f"optimizer_{name}_"
        state = {key[len(prefix):]: arrays[key] for key in arrays if key.startswith(prefix)}
        if state:
            optimizer.load_state(state)
            gan.has_optimizer_state = True
    for name in STEP_RECORDS:
        values = arrays[f"history_{name}"]
        getattr(gan.history, name).extend(int(v) if name.endswith("_iteration") else float(v) for v in values)
    gan.iteration = counters["iteration"]
    gan.discriminator_steps = counters["discriminator_steps"]
    gan.generator_steps = counters["generator_steps"]
    gan.extra = json.loads(str(arrays["extra"]))
    return gan
