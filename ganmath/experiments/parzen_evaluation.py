r"""How the paper evaluated its generators (Goodfellow et al. 2014, Section 5 and Table 1), against the truth (notebook 12).

The paper fits a Gaussian Parzen window to samples of G, chooses its width by the likelihood of a validation set,
and reports the mean log-likelihood of test data with its standard error (:func:`ganmath.parzen_log_likelihood`,
:func:`ganmath.parzen_bandwidth`). Here p_g is exact, so the estimate can be set against
:math:`\mathbb E_{p_\mathrm{data}}[\log p_g]` itself:

- :func:`trained_generator`: a 1-D GAN trained with the non-saturating loss on :data:`DATA`, and its exact density;
- :func:`parzen_study`: the estimate over repeated draws of the generator's samples, for sample sizes from 10 to
  100,000: its bias and spread, and the width the procedure chooses;
- :func:`failure_modes`: the two failures Theis, van den Oord and Bethge (2016) describe, in 1-D: a "model" that
  copies its training data, and one that is mostly noise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ganmath._validation import check_positive_int, check_rng
from ganmath.core.densities import (
    Density,
    Mixture,
    TruncatedNormal,
    Uniform,
    check_density,
)
from ganmath.core.likelihood import cross_entropy
from ganmath.core.parzen import parzen_bandwidth, parzen_log_likelihood
from ganmath.gan.population import Population
from ganmath.gan.pushforward import GeneratorDensity

__all__ = ["DATA", "SIGMAS", "TrainedGenerator", "trained_generator", "ParzenStudy", "parzen_study",
           "FailureModes", "failure_modes"]

#: A bell with compact support, N(0, 1) truncated to [-2.5, 2.5]: a generator with unbounded range covers it, so that
#: E_data[log p_g] is finite.
DATA = TruncatedNormal(0.0, 1.0, -2.5, 2.5)

#: The candidate widths of the validation search (geometric, 0.01 to 2).
SIGMAS = np.geomspace(0.01, 2.0, 16)


@dataclass
class TrainedGenerator:
    """A trained 1-D generator: its network and its exact density.

    Attributes
    ----------
    network : ganmath.nn.mlp.MLP
    noise : Density
    density : GeneratorDensity
        The exact p_g.
    exact : float
        :math:`\\mathbb E_{p_\\mathrm{data}}[\\log p_g]` by quadrature (minus the cross-entropy).
    data : Density
    """

    network: object
    noise: Density
    density: GeneratorDensity
    exact: float
    data: Density

    def sample(self, n: int, rng) -> np.ndarray:
        """``n`` samples G(z), z drawn from the noise with ``rng``."""
        z = self.noise.sample(check_positive_int("n", n), check_rng(rng))
        return self.network(z[:, None])[:, 0]


def trained_generator(data: Density = DATA, *, seed: int = 0, n_iter: int = 800) -> TrainedGenerator:
    """A 1-16-16-1 softplus generator on N(0, 1) noise, trained by the non-saturating GAN with RMSProp (learning
    rates 2e-3, two discriminator steps per generator step, minibatches of 64) for ``n_iter`` iterations."""
    check_density("data", data)
    population = Population(data, seeds=[seed], generator_loss="non-saturating", optimizer="rmsprop", k=2,
                            generator_hidden=(16, 16), discriminator_hidden=(32, 32),
                            discriminator_activation="leaky-relu", lr_discriminator=2e-3, lr_generator=2e-3)
    population.train(check_positive_int("n_iter", n_iter))
    density = population.generator_density(0)
    return TrainedGenerator(population.generator.network(0), population.noise, density,
                            -cross_entropy(data, density), data)


@dataclass
class ParzenStudy:
    r"""The Parzen estimate over repeated draws of the generator's samples, for each sample size.

    Attributes
    ----------
    sizes : ndarray of int, shape (k,)
    estimates : list of ndarray
        Per size, the estimate of each repeat (repeats may differ by size).
    standard_errors : list of ndarray
        Per size, the reported standard error (over the test points) of each repeat.
    sigmas : list of ndarray
        Per size, the width the validation search chose in each repeat.
    exact : float
        :math:`\mathbb E_{p_\mathrm{data}}[\log p_g]`.
    exact_on_test : float
        :math:`\frac1m\sum_i\log p_g(x_i)` on the test set itself: what the estimate would be with the exact p_g
        in place of the window (it differs from ``exact`` by the test set's own sampling error).
    """

    sizes: np.ndarray
    estimates: list
    standard_errors: list
    sigmas: list
    exact: float
    exact_on_test: float

    @property
    def bias(self) -> np.ndarray:
        """Mean estimate minus the exact p_g's mean log-density on the same test set, per size: the error of the
        window alone."""
        return np.array([np.mean(e) for e in self.estimates]) - self.exact_on_test

    @property
    def spread(self) -> np.ndarray:
        """Standard deviation of the estimate over repeats, per size (NaN for a single repeat)."""
        return np.array([np.std(e, ddof=1) if e.size > 1 else math.nan for e in self.estimates])


def parzen_study(generator: TrainedGenerator, sizes=(10, 100, 1_000, 10_000, 100_000), repeats=(32, 32, 16, 4, 1),
                 *, n_validation: int = 200, n_test: int = 1_000, sigmas=SIGMAS, seed: int = 0) -> ParzenStudy:
    """The paper's procedure, repeated: per size n and repeat, n fresh generator samples, the width chosen on a fixed
    validation set, the estimate on a fixed test set (both drawn once from the data with ``seed``)."""
    sizes = np.array([check_positive_int(f"sizes[{i}]", n) for i, n in enumerate(sizes)])
    repeats = [check_positive_int(f"repeats[{i}]", r) for i, r in enumerate(repeats)]
    if len(repeats) != sizes.size:
        raise ValueError(f"repeats must give one count per size ({sizes.size}), got {len(repeats)}")
    rng = np.random.default_rng(seed)
    validation = generator.data.sample(check_positive_int("n_validation", n_validation), rng)
    test = generator.data.sample(check_positive_int("n_test", n_test), rng)
    estimates, errors, chosen = [], [], []
    for n, count in zip(sizes, repeats):
        rows = []
        for _ in range(count):
            samples = generator.sample(int(n), rng)
            sigma = parzen_bandwidth(samples, validation, sigmas)
            rows.append((*parzen_log_likelihood(samples, test, sigma), sigma))
        rows = np.array(rows)
        estimates.append(rows[:, 0])
        errors.append(rows[:, 1])
        chosen.append(rows[:, 2])
    exact_on_test = float(np.mean(generator.density.logpdf(test)))
    return ParzenStudy(sizes, estimates, errors, chosen, generator.exact, exact_on_test)


@dataclass
class FailureModes:
    """Parzen scores (mean test log-likelihood, standard error) and exact values of four models of the same data.

    Attributes
    ----------
    scores : dict[str, tuple[float, float]]
    exact : dict[str, float]
        :math:`\\mathbb E_{p_\\mathrm{data}}[\\log p_\\mathrm{model}]`; ``-inf`` for the copies (point masses).
    sigmas : dict[str, float]
        The widths chosen on the validation set.
    """

    scores: dict
    exact: dict
    sigmas: dict


def failure_modes(generator: TrainedGenerator, *, n_samples: int = 10_000, noise_fraction: float = 0.99,
                  n_validation: int = 200, n_test: int = 1_000, sigmas=SIGMAS, seed: int = 1) -> FailureModes:
    r"""The Parzen procedure on four "models" of :math:`p_\mathrm{data}`, each giving ``n_samples`` samples:

    - ``"the data itself"``: samples of :math:`p_\mathrm{data}` (the best model there is);
    - ``"the trained GAN"``: samples of G;
    - ``"copies of the training set"``: the training set itself, returned as the model's samples (a model that
      memorizes; its law is a sum of point masses, whose exact log-likelihood of new data is :math:`-\infty`);
    - ``"mostly noise"``: :math:`0.01\,p_\mathrm{data} + 0.99\,U(-20, 20)`: 99% of its samples are noise.
    """
    rng = np.random.default_rng(seed)
    data = generator.data
    validation, test = data.sample(n_validation, rng), data.sample(n_test, rng)
    noisy = Mixture([data, Uniform(-20.0, 20.0)], [1.0 - noise_fraction, noise_fraction])
    training_set = data.sample(n_samples, rng)
    samples = {
        "the data itself": data.sample(n_samples, rng),
        "the trained GAN": generator.sample(n_samples, rng),
        "copies of the training set": training_set,
        "mostly noise": noisy.sample(n_samples, rng),
    }
    exact = {"the data itself": -cross_entropy(data, data), "the trained GAN": generator.exact,
             "copies of the training set": -math.inf, "mostly noise": -cross_entropy(data, noisy)}
    scores, chosen = {}, {}
    for name, values in samples.items():
        chosen[name] = parzen_bandwidth(values, validation, sigmas)
        scores[name] = parzen_log_likelihood(values, test, chosen[name])
    return FailureModes(scores, exact, chosen)
