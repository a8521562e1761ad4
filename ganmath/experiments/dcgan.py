r"""DCGAN's three architecture rules, each measured: a numpy DCGAN on scikit-learn's 8x8 digits, its
ablations over seeds, and metrics that need no download.

Radford, Metz and Chintala (2015) changed three things in a CNN to make GANs train: strided convolutions
instead of pooling; no fully connected hidden layers; batch normalization. Here each rule is broken
alone, and all three together, and each configuration is trained from 10 seeds by the same Algorithm 1
(:class:`ganmath.gan.dcgan.DCGAN`) with the same budget. Two controls (:data:`CONTROLS`) train the DCGAN with and
without batch normalization from larger initial weights, to tell the rule from the initialization it protects.

The data (:func:`ganmath.experiments.digits.digits_split`): scikit-learn's 8x8 digits, split by class into
training, validation and test images; the scores (:mod:`ganmath.experiments.image_metrics`) need no download.

The metrics (:func:`evaluate`), on G's samples in inference mode, each against the held-out images:

* **Inception-style score** (Salimans et al. 2016) with a digits classifier in place of Inception:
  :math:`\exp\big(\mathbb E_x\, \mathrm{KL}(p(y \mid x)\,\|\,p(y))\big)`, :math:`p(y) = \mathbb E_x\, p(y \mid x)`:
  high when each sample is one clear digit and the ten digits come equally often (at most 10).
  The classifier (:class:`ganmath.experiments.digits.DigitsClassifier`) is scikit-learn's multinomial
  ``LogisticRegression`` trained once on the training images.
* **Fréchet distance** (Heusel et al. 2017) between Gaussians fitted to the classifier's ten logits of
  the samples and of the test images:
  :math:`\|\mu_1 - \mu_2\|^2 + \mathrm{tr}\big(\Sigma_1 + \Sigma_2 - 2(\Sigma_1^{1/2}\Sigma_2\Sigma_1^{1/2})^{1/2}\big)`.
* **Parzen-window log-likelihood** of the test images (the GAN paper's Table 1, :func:`ganmath.parzen_log_likelihood`
  and :func:`ganmath.parzen_bandwidth`): a Gaussian kernel of
  width :math:`\sigma` on 10,000 samples, :math:`\sigma` chosen on the validation images; nats per image.
* **Distance to the nearest training image**, of every sample and, for scale, of every test image: a
  generator that copied its training images would have samples at distance 0 (the DCGAN paper's
  Figure 2 shows each sample beside its nearest training image).

A claim is over seeds: each metric as a median with quartiles (:func:`ganmath.stats.spread`) and a
distribution-free 95% interval for the median (:func:`median_interval`), and each rule compared with the
full DCGAN by a Mann-Whitney rank test (:func:`compare`). As a course states them: how many runs collapsed
(:func:`collapse_rate`) and how many fell on the worse side of the full DCGAN's median (:func:`worse_than_median`),
each a count of seeds with its 95% Wilson interval (:func:`ganmath.stats.rate`).

``python -m ganmath.experiments.dcgan --seeds 0:10 --out ganmath/data/dcgan_ablations.json`` runs the
ablations (50 runs, about half an hour on one shared core) and writes what :func:`stored_ablations` reads;
``python -m ganmath train-dcgan --seed 0 --out ganmath/data/dcgan_seed0.npz`` trains the run the notebook
shows (:func:`default_run`).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import stats as scipy_stats

from ganmath._cli import seed_range
from ganmath._validation import check_positive_int
from ganmath.core.parzen import parzen_bandwidth, parzen_log_likelihood
from ganmath.experiments.digits import (
    DigitsClassifier,
    DigitsSplit,
    digits_classifier,
    digits_split,
)
from ganmath.experiments.image_metrics import (
    frechet_distance,
    inception_score,
    nearest_neighbours,
)
from ganmath.gan.dcgan import DCGAN, DCGANSettings, load_dcgan, sample_noise
from ganmath.gan.runs import NonFiniteError
from ganmath.records import arithmetic
from ganmath.stats import Rate, rate, spread

__all__ = [
    "ABLATIONS",
    "COLLAPSE_SCORE",
    "CONFIGURATIONS",
    "CONTROLS",
    "DEFAULT_WEIGHTS",
    "METRICS",
    "PROTOCOL",
    "RULES",
    "STORED_ABLATIONS",
    "STORED_CONTROLS",
    "DCGANProtocol",
    "collapse_rate",
    "collapsed",
    "compare",
    "default_run",
    "evaluate",
    "median_interval",
    "reference_metrics",
    "run_ablations",
    "stored_ablations",
    "stored_controls",
    "summarize",
    "train_dcgan",
    "worse_than_median",
]

DATA = Path(__file__).resolve().parents[1] / "data"
STORED_ABLATIONS = DATA / "dcgan_ablations.json"
STORED_CONTROLS = DATA / "dcgan_controls.json"
DEFAULT_WEIGHTS = DATA / "dcgan_seed0.npz"


# --- the protocol ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DCGANProtocol:
    """How every run is trained and measured.

    Attributes
    ----------
    n_iter : int
        Algorithm-1 iterations (k = 1: one D step and one G step each) per run.
    snapshot_every : int
    settings : dict
        Changes to :class:`ganmath.gan.dcgan.DCGANSettings` shared by every configuration (none: the paper's
        Adam, learning rate 2e-4, beta1 0.5, batch 64, k = 1).
    n_samples : int
        Samples for the Inception-style score, the Fréchet distance and the nearest-image distances.
    n_parzen_samples : int
        Samples in the Parzen window.
    parzen_sigmas : tuple of float
        The widths tried on the validation images.
    evaluation_seed : int
        Seed of the noise of the evaluation samples (the same z for every run).
    split_seed : int
    """

    n_iter: int = 1500
    snapshot_every: int = 50
    settings: dict = field(default_factory=dict)
    n_samples: int = 2000
    n_parzen_samples: int = 10000
    parzen_sigmas: tuple = tuple(float(s) for s in np.round(np.geomspace(0.1, 1.0, 21), 4))
    evaluation_seed: int = 1
    split_seed: int = 0

    def as_dict(self) -> dict:
        return {"n_iter": self.n_iter, "snapshot_every": self.snapshot_every, "settings": dict(self.settings),
                "n_samples": self.n_samples, "n_parzen_samples": self.n_parzen_samples,
                "parzen_sigmas": list(self.parzen_sigmas), "evaluation_seed": self.evaluation_seed,
                "split_seed": self.split_seed}


PROTOCOL = DCGANProtocol()

#: The configurations: the full DCGAN, each rule broken alone, all three broken.
ABLATIONS = {
    "dcgan": {},
    "pooling": {"strided": False},
    "fully-connected": {"fully_connected": True},
    "no-batch-norm": {"batch_norm": False},
    "all-broken": {"strided": False, "fully_connected": True, "batch_norm": False},
}
#: Controls: configurations that ask what an ablation's result is due to. Without batch normalization the
#: paper's N(0, 0.02^2) weights shrink the signal layer by layer; weights five times larger, with and without
#: batch normalization, separate the rule from the initialization that batch normalization makes harmless.
CONTROLS = {
    "dcgan-init-0.1": {"init_std": 0.1},
    "no-batch-norm-init-0.1": {"batch_norm": False, "init_std": 0.1},
}
#: Every configuration a run can be trained in.
CONFIGURATIONS = {**ABLATIONS, **CONTROLS}
#: Which configuration breaks which rule of the paper.
RULES = {
    "pooling": "strided convolutions instead of pooling",
    "fully-connected": "no fully connected hidden layers",
    "no-batch-norm": "batch normalization",
    "all-broken": "all three",
}
#: The metrics compared across configurations, and whether higher is better.
METRICS = {"inception_score": True, "frechet_distance": False, "parzen_log_likelihood": True}


def _settings(configuration: str, protocol: DCGANProtocol) -> dict:
    if configuration not in CONFIGURATIONS:
        raise ValueError(f"configuration must be one of {tuple(CONFIGURATIONS)}, got configuration={configuration!r}")
    return {**protocol.settings, **CONFIGURATIONS[configuration]}


def _new_run(seed: int, configuration: str, protocol: DCGANProtocol) -> DCGAN:
    """An untrained DCGAN of ``configuration`` on the training digits, from ``seed``."""
    return DCGAN(digits_split(protocol.split_seed).train, seed=seed, **_settings(configuration, protocol))


def train_dcgan(seed: int = 0, *, configuration: str = "dcgan", n_iter: int | None = None,
                protocol: DCGANProtocol = PROTOCOL, callback=None) -> DCGAN:
    """A DCGAN of ``configuration`` trained on the training digits for ``n_iter`` iterations (the
    protocol's by default), snapshots every ``protocol.snapshot_every`` iterations."""
    n_iter = protocol.n_iter if n_iter is None else check_positive_int("n_iter", n_iter, allow_zero=True)
    gan = _new_run(seed, configuration, protocol)
    gan.train(n_iter, snapshot_every=protocol.snapshot_every, callback=callback)
    return gan


def _image_metrics(images, split: DigitsSplit, classifier: DigitsClassifier) -> dict:
    """The Inception-style score, the Fréchet distance to the test images and the nearest-training-image
    distances of ``images``."""
    distances, _ = nearest_neighbours(images, split.train)
    return {
        "inception_score": inception_score(classifier.probabilities(images)),
        "frechet_distance": frechet_distance(classifier.logits(images), classifier.logits(split.test)),
        "nearest_train_distance_median": float(np.median(distances)),
    }


def evaluate(gan: DCGAN, *, protocol: DCGANProtocol = PROTOCOL) -> dict:
    """Every metric of a run's generator, on samples from the protocol's evaluation noise.

    Returns
    -------
    dict
        ``inception_score``, ``frechet_distance`` (to the test images, in the classifier's logits),
        ``parzen_log_likelihood`` and ``parzen_standard_error`` (of the test images, nats per image),
        ``parzen_sigma`` (chosen on the validation images), ``nearest_train_distance_median`` and
        ``nearest_train_distance_ratio`` (over the same median for the test images: about 1 when samples
        are as far from the training images as new digits are, near 0 for copies).
    """
    if not isinstance(gan, DCGAN):
        raise TypeError(f"gan must be a ganmath.gan.dcgan.DCGAN, got gan={gan!r:.80}")
    split, classifier = digits_split(protocol.split_seed), digits_classifier(protocol.split_seed)
    rng = np.random.default_rng(protocol.evaluation_seed)
    noise = sample_noise(max(protocol.n_samples, protocol.n_parzen_samples), gan.settings.noise_dim, rng)
    images = gan.generate(noise)
    out = _image_metrics(images[:protocol.n_samples], split, classifier)
    out["nearest_train_distance_ratio"] = out["nearest_train_distance_median"] / _test_nearest_median(split)
    parzen_samples = images[:protocol.n_parzen_samples]
    sigma = parzen_bandwidth(parzen_samples, split.validation, protocol.parzen_sigmas)
    mean, error = parzen_log_likelihood(parzen_samples, split.test, sigma)
    out.update(parzen_log_likelihood=mean, parzen_standard_error=error, parzen_sigma=sigma)
    return out


def _test_nearest_median(split: DigitsSplit) -> float:
    return float(np.median(nearest_neighbours(split.test, split.train)[0]))


def reference_metrics(protocol: DCGANProtocol = PROTOCOL) -> dict:
    """The metrics of real digits, for scale: the test images as the "samples" (their Inception-style score,
    the Fréchet distance of the training images to the test images, the Parzen window on the training
    images), the classifier's test accuracy, and the split's sizes."""
    split, classifier = digits_split(protocol.split_seed), digits_classifier(protocol.split_seed)
    sigma = parzen_bandwidth(split.train, split.validation, protocol.parzen_sigmas)
    mean, error = parzen_log_likelihood(split.train, split.test, sigma)
    return {
        "inception_score_test": inception_score(classifier.probabilities(split.test)),
        "frechet_distance_train_to_test": frechet_distance(classifier.logits(split.train),
                                                           classifier.logits(split.test)),
        "parzen_log_likelihood_train_window": mean,
        "parzen_standard_error_train_window": error,
        "parzen_sigma_train_window": sigma,
        "nearest_train_distance_median_test": _test_nearest_median(split),
        "classifier_test_accuracy": classifier.accuracy(split.test, split.test_labels),
        "n_train": len(split.train), "n_validation": len(split.validation), "n_test": len(split.test),
    }


# --- the ablations --------------------------------------------------------------------------------


#: How many first steps of every run the ablation records keep, loss by loss: the run's fingerprint. A retraining
#: of as many iterations reproduces them bit for bit under the arithmetic the record names, and within
#: :data:`ganmath.records.FINGERPRINT_RTOL` under another (:mod:`ganmath.records`).
FIRST_STEPS = 20
#: The per-step records averaged over blocks of ``snapshot_every`` iterations in the ablation records.
CURVE_RECORDS = ("discriminator_loss", "generator_loss", "discriminator_real", "discriminator_fake")


def _block_means(values, block: int) -> list:
    values = np.asarray(values, dtype=np.float64)
    complete = values.size // block * block
    return values[:complete].reshape(-1, block).mean(axis=1).tolist()


def _run_record(configuration: str, seed: int, protocol: DCGANProtocol) -> dict:
    start = time.perf_counter()
    record = {"configuration": configuration, "seed": seed}
    gan = _new_run(seed, configuration, protocol)
    try:
        gan.train(protocol.n_iter, snapshot_every=protocol.snapshot_every)
        diverged = None
    except NonFiniteError as error:
        diverged = str(error)
    history = gan.history
    record["first_steps"] = {name: [float(v) for v in getattr(history, name)[:FIRST_STEPS]]
                             for name in ("discriminator_loss", "generator_loss")}
    # Block means of every per-step record, one point per snapshot_every iterations (k D steps each).
    record["curve"] = {name: _block_means(getattr(history, name),
                                          protocol.snapshot_every * (gan.settings.k if name.startswith("discriminator")
                                                                     else 1))
                       for name in CURVE_RECORDS}
    if diverged is not None:
        record.update(diverged=True, error=diverged, seconds=round(time.perf_counter() - start, 1))
        return record
    tail = max(1, protocol.n_iter // 10)
    record.update(
        diverged=False,
        generator_parameters=gan.generator.n_parameters,
        discriminator_parameters=gan.discriminator.n_parameters,
        # the last 10% of training: the batch means of D on data and on samples, and the losses
        final_discriminator_real=float(np.mean(history.discriminator_real[-tail:])),
        final_discriminator_fake=float(np.mean(history.discriminator_fake[-tail:])),
        final_discriminator_loss=float(np.mean(history.discriminator_loss[-tail:])),
        final_generator_loss=float(np.mean(history.generator_loss[-tail:])),
        training_seconds=round(time.perf_counter() - start, 1),
    )
    record.update(evaluate(gan, protocol=protocol))
    record["seconds"] = round(time.perf_counter() - start, 1)
    return record


def median_interval(values, confidence: float = 0.95) -> tuple[float, float, float]:
    r"""The median of ``values`` and a distribution-free interval for the population median.

    For :math:`n` independent values, the order statistics :math:`x_{(j)} \le x_{(n+1-j)}` cover the median
    with probability :math:`1 - 2\,P(B \le j - 1)`, :math:`B \sim \mathrm{Bin}(n, 1/2)`, whatever the
    distribution; ``j`` is the largest with that probability at least ``confidence`` (for 10 seeds: the 2nd
    and 9th values, 97.9%).

    Returns
    -------
    low, median, high : float

    Raises
    ------
    ValueError
        When no interval reaches ``confidence`` (fewer than 6 values at 95%).
    """
    if not (isinstance(confidence, float) and 0.0 < confidence < 1.0):
        raise ValueError(f"confidence must be a float in (0, 1), got confidence={confidence!r}")
    array = np.sort(np.asarray(values, dtype=np.float64).ravel())
    n = array.size
    coverage = [1.0 - 2.0 * scipy_stats.binom.cdf(j - 1, n, 0.5) for j in range(1, n // 2 + 1)]
    reached = [j for j, value in zip(range(1, n // 2 + 1), coverage) if value >= confidence]
    if not reached or not np.all(np.isfinite(array)):
        raise ValueError(f"values must be finite and enough for a {confidence:.0%} interval of the median, got "
                         f"{n} values")
    j = max(reached)
    return float(array[j - 1]), float(np.median(array)), float(array[n - j])


def summarize(runs: list) -> dict:
    """For every configuration and metric, over its seeds that did not diverge: the median and quartiles
    (:func:`ganmath.stats.spread`) and the 95% interval of the median (:func:`median_interval`, ``ci95``);
    and the number of diverged runs."""
    out = {}
    for configuration in dict.fromkeys(run["configuration"] for run in runs):
        mine = [run for run in runs if run["configuration"] == configuration]
        good = [run for run in mine if not run["diverged"]]
        entry = {"n_runs": len(mine), "diverged": len(mine) - len(good)}
        for metric in (*METRICS, "nearest_train_distance_ratio"):
            values = [run[metric] for run in good]
            entry[metric] = spread(values).as_dict() if good else None
            if len(values) >= 6:
                low, _, high = median_interval(values)
                entry[metric]["ci95"] = [low, high]
        out[configuration] = entry
    return out


def compare(runs: list, baseline: str = "dcgan") -> dict:
    """Each rule against the full DCGAN, metric by metric: a two-sided Mann-Whitney U test over the seeds.

    For every configuration other than ``baseline`` and every metric of :data:`METRICS`: the
    probability that a DCGAN seed beats a seed of the configuration (U over the number of pairs: 1 when
    every DCGAN run is better), the p-value, and the verdict: ``"supports the rule"`` when p < 0.05 and
    the DCGAN is better, ``"against the rule"`` when p < 0.05 and the configuration is better, else
    ``"not resolved"``. A diverged run counts as worse than every finished one.
    """
    def values(configuration, metric, higher_is_better):
        worst = -math.inf if higher_is_better else math.inf
        return [worst if run["diverged"] else run[metric] for run in runs if run["configuration"] == configuration]

    out = {}
    for configuration in dict.fromkeys(run["configuration"] for run in runs):
        if configuration == baseline:
            continue
        entry = {}
        for metric, higher_is_better in METRICS.items():
            ours, theirs = values(baseline, metric, higher_is_better), values(configuration, metric, higher_is_better)
            sign = 1.0 if higher_is_better else -1.0
            test = scipy_stats.mannwhitneyu([sign * v for v in ours], [sign * v for v in theirs],
                                            alternative="two-sided")
            superiority = float(test.statistic) / (len(ours) * len(theirs))
            p = float(test.pvalue)
            verdict = ("not resolved" if p >= 0.05 else
                       "supports the rule" if superiority > 0.5 else "against the rule")
            entry[metric] = {"dcgan_better_probability": superiority, "p_value": p, "verdict": verdict}
        out[configuration] = entry
    return out


#: A run has collapsed when its Inception-style score is below this: its samples read as one digit whatever z is
#: (1 is the minimum; the runs that train score 4.6 or more, the collapsed ones at most 1.5).
COLLAPSE_SCORE = 2.0


def collapsed(run: dict) -> bool:
    """Whether a run record (as :func:`run_ablations` stores it) diverged or collapsed: its Inception-style score
    below :data:`COLLAPSE_SCORE`."""
    return bool(run["diverged"] or run["inception_score"] < COLLAPSE_SCORE)


def _runs_of(runs: list, configuration: str) -> list:
    mine = [run for run in runs if run["configuration"] == configuration]
    if not mine:
        raise ValueError(f"configuration must name runs in the records, got configuration={configuration!r}")
    return mine


def collapse_rate(runs: list, configuration: str) -> Rate:
    """How many runs of ``configuration`` collapsed (:func:`collapsed`), with the 95% Wilson interval of the rate."""
    return rate(np.array([collapsed(run) for run in _runs_of(runs, configuration)]))


def worse_than_median(runs: list, configuration: str, metric: str, baseline: str = "dcgan") -> Rate:
    """How many runs of ``configuration`` are worse on ``metric`` than the median run of ``baseline``, with the 95%
    Wilson interval of the rate.

    If the configuration changed nothing, about half its runs would fall on each side of the baseline's median;
    an interval above 1/2 says the configuration is worse, one below 1/2 that it is better. A diverged run counts
    as worse.
    """
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {tuple(METRICS)}, got metric={metric!r}")
    higher_is_better = METRICS[metric]
    median = float(np.median([run[metric] for run in _runs_of(runs, baseline) if not run["diverged"]]))
    worse = [run["diverged"] or (run[metric] < median if higher_is_better else run[metric] > median)
             for run in _runs_of(runs, configuration)]
    return rate(np.array(worse, dtype=bool))


def run_ablations(seeds=range(10), configurations=tuple(ABLATIONS), *, protocol: DCGANProtocol = PROTOCOL,
                  progress=None) -> dict:
    """Train and measure every configuration from every seed, one run after another.

    Parameters
    ----------
    seeds : iterable of int
    configurations : iterable of str
        Names of :data:`CONFIGURATIONS` (the ablations and the controls).
    protocol : DCGANProtocol
    progress : callable, optional
        ``progress(record)`` after each run.

    Returns
    -------
    dict, JSON-ready
        ``protocol``, ``reference`` (:func:`reference_metrics`), ``runs`` (one record per run: its metrics
        as :func:`evaluate`, parameter counts, the last 10% of training's mean D(x), D(G(z)) and losses,
        seconds), ``summary`` (:func:`summarize`), ``comparisons`` (:func:`compare`, when "dcgan" is among
        the configurations) and the ``arithmetic`` that made them (:func:`ganmath.records.arithmetic`).
    """
    seeds = [check_positive_int(f"seeds[{i}]", s, allow_zero=True) for i, s in enumerate(seeds)]
    configurations = list(configurations)
    for configuration in configurations:
        _settings(configuration, protocol)
    start = time.perf_counter()
    runs = []
    for configuration in configurations:
        for seed in seeds:
            runs.append(_run_record(configuration, seed, protocol))
            if progress is not None:
                progress(runs[-1])
    result = {
        "protocol": protocol.as_dict(),
        "settings": {name: DCGANSettings.from_keywords(**_settings(name, protocol)).as_dict()
                     for name in configurations},
        "reference": reference_metrics(protocol),
        "runs": runs,
        "summary": summarize(runs),
        "seconds": round(time.perf_counter() - start, 1),
        "arithmetic": arithmetic(),
    }
    if "dcgan" in configurations and len(configurations) > 1:
        result["comparisons"] = compare(runs)
    return result


def stored_ablations(path=STORED_ABLATIONS) -> dict:
    """The committed ablation results (as :func:`run_ablations` returns them), made by
    ``python -m ganmath.experiments.dcgan --seeds 0:10 --out ganmath/data/dcgan_ablations.json``."""
    return json.loads(Path(path).read_text())


def stored_controls(path=STORED_CONTROLS) -> dict:
    """The committed control runs (:data:`CONTROLS`, as :func:`run_ablations` returns them), made by
    ``python -m ganmath.experiments.dcgan --seeds 0:10 --out ganmath/data/dcgan_controls.json --configurations
    dcgan-init-0.1 no-batch-norm-init-0.1``."""
    return json.loads(Path(path).read_text())


def default_run(path=DEFAULT_WEIGHTS) -> DCGAN:
    """The committed DCGAN run (seed 0, the protocol's iterations), with its training images, made by
    ``python -m ganmath train-dcgan --seed 0 --out ganmath/data/dcgan_seed0.npz``."""
    return load_dcgan(path, data=digits_split(PROTOCOL.split_seed).train)


# --- the command line -------------------------------------------------------------------------------


def main(argv=None) -> int:
    """``python -m ganmath.experiments.dcgan --seeds 0:10 --out FILE``: the ablations as one JSON file."""
    parser = argparse.ArgumentParser(prog="python -m ganmath.experiments.dcgan",
                                     description="Train the DCGAN and its ablations over seeds; write the metrics "
                                                 "as JSON.")
    parser.add_argument("--seeds", type=seed_range, default=range(10), metavar="A:B")
    parser.add_argument("--configurations", nargs="+", choices=tuple(CONFIGURATIONS), default=list(ABLATIONS))
    parser.add_argument("--out", type=Path, required=True, help="the JSON file to write")
    args = parser.parse_args(argv)

    def progress(record):
        keys = ("inception_score", "frechet_distance", "parzen_log_likelihood", "nearest_train_distance_ratio")
        numbers = "diverged" if record["diverged"] else "  ".join(f"{key} {record[key]:.4g}" for key in keys)
        print(f"{record['configuration']:16s} seed {record['seed']:2d}  {record['seconds']:6.1f} s  {numbers}",
              file=sys.stderr, flush=True)

    result = run_ablations(args.seeds, args.configurations, progress=progress)
    command = f"python -m ganmath.experiments.dcgan --seeds {args.seeds.start}:{args.seeds.stop} --out {args.out}"
    if list(args.configurations) != list(ABLATIONS):
        command += " --configurations " + " ".join(args.configurations)
    result["command"] = command
    args.out.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    print(json.dumps(result["summary"], sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
