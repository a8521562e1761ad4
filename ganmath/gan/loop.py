r"""The outer loop of Algorithm 1 (Goodfellow et al. 2014), written once for every GAN of the project.

For each training iteration: ``k`` steps of the discriminator on fresh minibatches, then one step of the
generator. What a step is differs (a stack of 1-D MLPs in :class:`ganmath.gan.Population`, convolutional
networks in :class:`ganmath.gan.dcgan.DCGAN`, a clipped critic in :class:`ganmath.gan.wgan.WGANPopulation`);
the loop, the single steps for the interactive tools and the training loop with its callback are the same.

A class that mixes in :class:`AlgorithmOne` defines ``_discriminator_step()``, ``_generator_step()`` and an
``iteration`` counter, and ``settings.k`` (or overrides :meth:`AlgorithmOne._inner_steps`).
"""

from __future__ import annotations

import numpy as np

from ganmath._validation import check_callback, check_positive_int

__all__ = ["AlgorithmOne", "QUIET", "snapshot_schedule"]

#: numpy's floating-point warnings while training: an overflow shows up as a non-finite loss or weight, which
#: the steps report themselves (by name, with the run and the iteration).
QUIET = {"over": "ignore", "invalid": "ignore", "divide": "ignore"}


def snapshot_schedule(start: int, n_iter: int, every: int | None = None, at=()):
    """When a training call of ``n_iter`` iterations from iteration ``start`` takes its snapshots: a function of the
    iteration, True at every multiple of ``every`` and at the call's last iteration (when ``every`` is given), and at
    the (absolute) iterations ``at``. Every trainer that takes snapshots asks it, at the start of the call and after
    each iteration."""
    if every is not None:
        every = check_positive_int("snapshot_every", every)
    wanted = {check_positive_int("snapshot_at", i, allow_zero=True) for i in at}
    end = start + check_positive_int("n_iter", n_iter, allow_zero=True)

    def due(iteration: int) -> bool:
        return iteration in wanted or (every is not None and (iteration % every == 0 or iteration == end))

    return due


class AlgorithmOne:
    """Mixin: Algorithm 1's iteration, its single steps and its training loop over the subclass's two steps."""

    def _inner_steps(self) -> int:
        """Discriminator steps per iteration (the paper's k)."""
        return self.settings.k

    def _before_training(self) -> None:
        """Called by :meth:`train` once its arguments are checked, before the first iteration."""

    def _after_iteration(self) -> None:
        """Called by :meth:`train` after each iteration, before the callback."""

    def _iterate(self):
        for _ in range(self._inner_steps()):
            self._discriminator_step()
        self._generator_step()
        self.iteration += 1

    def step_discriminator(self):
        """One discriminator step on fresh minibatches (does not advance ``iteration``)."""
        with np.errstate(**QUIET):
            self._discriminator_step()

    def step_generator(self):
        """One generator step on a fresh noise minibatch (does not advance ``iteration``)."""
        with np.errstate(**QUIET):
            self._generator_step()

    def iterate(self):
        """One iteration of Algorithm 1: k discriminator steps, then one generator step."""
        with np.errstate(**QUIET):
            self._iterate()

    def train(self, n_iter: int, *, callback=None, callback_every: int = 1):
        """Run ``n_iter`` iterations of Algorithm 1.

        Parameters
        ----------
        n_iter : int >= 0
        callback : callable, optional
            ``callback(self)`` after every ``callback_every`` iterations; returning ``True`` stops
            training. Display belongs here: a progress bar (:func:`ganmath.ui.progress.progress_bar`) is
            itself a callback.
        callback_every : int >= 1
        """
        n_iter = check_positive_int("n_iter", n_iter, allow_zero=True)
        callback_every = check_callback(callback, callback_every)
        self._before_training()
        caller = np.geterr()
        # The callback runs with the caller's floating-point settings.
        with np.errstate(**QUIET):
            for count in range(1, n_iter + 1):
                self._iterate()
                self._after_iteration()
                if callback is not None and count % callback_every == 0:
                    with np.errstate(**caller):
                        if callback(self) is True:
                            break
