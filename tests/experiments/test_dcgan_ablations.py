"""DCGAN's rules measured (ganmath.experiments.dcgan): the digits split, the metrics against independent
computations (the Fréchet distance against scipy.linalg.sqrtm, the Inception-style score and the Parzen window
written out, nearest neighbours by brute force), the committed weights against a retraining through the command
line, and the committed ablation results against their own summary and a recomputed run."""

import json
import math
import subprocess
import sys

import numpy as np
import pytest
from scipy import linalg
from scipy import stats as scipy_stats

from ganmath.experiments import dcgan as experiment
from ganmath.experiments import digits, image_metrics
from ganmath.gan.dcgan import DCGAN, load_dcgan
from ganmath.records import fingerprint_mismatches, same_arithmetic
from ganmath.stats import spread

# The metrics of the committed weights recomputed: the classifier is fitted again (L-BFGS) and the Fréchet distance
# takes a matrix square root, both through BLAS and LAPACK. Under the arithmetic that stored them they are the same
# bits; under another kernel the Fréchet distance moved by 8.3e-8 relative (OpenBLAS's Prescott and Sandybridge kernels
# against Haswell; 2.3e-7 was seen on another machine), the other metrics by 1e-15: so 1e-5 there. The first 20
# losses of a retrained cell moved by at most 3.2e-16 (ganmath.records.FINGERPRINT_RTOL is 1e-9).
METRICS_RTOL_ELSEWHERE = 1e-5

# --- the data and the classifier ------------------------------------------------------------------


def test_digits_split_is_a_stratified_partition_in_the_tanh_range():
    split = digits.digits_split()
    sizes = (len(split.train), len(split.validation), len(split.test))
    assert sum(sizes) == 1797 and sizes == (len(split.train_labels), len(split.validation_labels),
                                            len(split.test_labels))
    assert split.train.shape[1:] == (1, 8, 8) and split.train.dtype == np.float64
    everything = np.concatenate([split.train, split.validation, split.test])
    assert everything.min() == -1.0 and everything.max() == 1.0
    # a partition: the three splits together hold every image once
    from sklearn.datasets import load_digits

    rows = sorted(map(tuple, everything.reshape(1797, -1)))
    assert rows == sorted(map(tuple, digits.scale_digits(load_digits().images).reshape(1797, -1)))
    for labels, fraction in ((split.test_labels, 0.2), (split.validation_labels, 0.1)):
        counts = np.bincount(labels, minlength=10)
        totals = np.bincount(load_digits().target, minlength=10)
        assert np.all(np.abs(counts - fraction * totals) <= 0.5)
    assert not split.train.flags.writeable


def test_the_classifier_reads_digits():
    split = digits.digits_split()
    classifier = digits.digits_classifier()
    assert classifier.accuracy(split.test, split.test_labels) > 0.93
    probabilities = classifier.probabilities(split.test[:5])
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-14)
    np.testing.assert_allclose(classifier.logits(split.test[:5]),
                               classifier.model.decision_function(split.test[:5].reshape(5, -1)), rtol=1e-12)


# --- the metrics against independent computations -------------------------------------------------


def test_inception_score_against_the_formula_written_out():
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.full(10, 0.3), size=50)
    marginal = p.mean(axis=0)
    kl = [sum(p[i, y] * math.log(p[i, y] / marginal[y]) for y in range(10) if p[i, y] > 0) for i in range(50)]
    np.testing.assert_allclose(image_metrics.inception_score(p), math.exp(np.mean(kl)), rtol=1e-12)


def test_inception_score_bounds():
    assert image_metrics.inception_score(np.full((7, 10), 0.1)) == pytest.approx(1.0, abs=1e-14)
    certain = np.eye(10)[np.arange(40) % 10]        # every class, equally often, each sample certain
    assert image_metrics.inception_score(certain) == pytest.approx(10.0, rel=1e-14)
    one_class = np.eye(10)[np.zeros(40, dtype=int)]  # a generator that makes one digit only
    assert image_metrics.inception_score(one_class) == pytest.approx(1.0, abs=1e-14)


def test_frechet_distance_against_scipy_sqrtm():
    rng = np.random.default_rng(1)
    for d in (1, 2, 5):
        a, b = rng.normal(size=(d, d)), rng.normal(size=(d, d))
        cov_a, cov_b = a @ a.T + 0.1 * np.eye(d), b @ b.T
        mean_a, mean_b = rng.normal(size=d), rng.normal(size=d)
        root = linalg.sqrtm(cov_a @ cov_b)
        expected = np.sum((mean_a - mean_b) ** 2) + np.trace(cov_a + cov_b - 2.0 * np.real(root))
        np.testing.assert_allclose(image_metrics.gaussian_frechet_distance(mean_a, cov_a, mean_b, cov_b), expected,
                                   rtol=1e-10)


def test_frechet_distance_of_samples():
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(300, 3)), rng.normal(size=(200, 3)) * 2.0 + 1.0
    expected = image_metrics.gaussian_frechet_distance(x.mean(0), np.cov(x.T), y.mean(0), np.cov(y.T))
    assert image_metrics.frechet_distance(x, y) == pytest.approx(expected, rel=1e-14)
    assert image_metrics.frechet_distance(x, x) == pytest.approx(0.0, abs=1e-10)
    # one dimension: (mu_a - mu_b)^2 + (sigma_a - sigma_b)^2
    np.testing.assert_allclose(image_metrics.gaussian_frechet_distance([0.0], [[4.0]], [3.0], [[1.0]]), 9.0 + 1.0,
                               rtol=1e-14)


def test_nearest_neighbours_against_brute_force():
    rng = np.random.default_rng(5)
    samples, reference = rng.normal(size=(30, 1, 8, 8)), rng.normal(size=(50, 1, 8, 8))
    distances, indices = image_metrics.nearest_neighbours(samples, reference)
    for i in range(30):
        all_distances = [np.linalg.norm(samples[i] - r) for r in reference]
        assert indices[i] == int(np.argmin(all_distances))
        assert distances[i] == pytest.approx(min(all_distances), rel=1e-14)
    copies, where = image_metrics.nearest_neighbours(reference[[3, 7]], reference)
    assert np.array_equal(copies, [0.0, 0.0]) and list(where) == [3, 7]


@pytest.mark.parametrize("call", [
    lambda: image_metrics.inception_score(np.full((2, 3), 0.5)),
    lambda: image_metrics.frechet_distance(np.zeros((1, 3)), np.zeros((5, 3))),
])
def test_bad_metric_input_raises(call):
    with pytest.raises(ValueError):
        call()


# --- the committed run and the command that made it -----------------------------------------------


def test_committed_run_is_the_protocols_seed_0():
    gan = experiment.default_run()
    assert gan.seed == 0 and gan.iteration == experiment.PROTOCOL.n_iter
    assert gan.settings.as_dict() == DCGAN(digits.digits_split().train).settings.as_dict()
    assert gan.snapshot_iterations == list(range(0, gan.iteration + 1, experiment.PROTOCOL.snapshot_every))
    assert "train-dcgan --seed 0" in gan.extra["command"]
    # the committed samples are digits, by the metrics the ablations recorded for the same run
    ablations = experiment.stored_ablations()
    stored = next(run for run in ablations["runs"] if run["configuration"] == "dcgan" and run["seed"] == 0)
    assert gan.extra["arithmetic"] == ablations["arithmetic"]   # one arithmetic made both: the same run
    metrics = experiment.evaluate(gan)
    rtol = 0.0 if same_arithmetic(gan.extra["arithmetic"]) else METRICS_RTOL_ELSEWHERE
    for key in ("inception_score", "frechet_distance", "parzen_log_likelihood"):
        np.testing.assert_allclose(metrics[key], stored[key], rtol=rtol, err_msg=key)
    assert gan.history.first_steps(experiment.FIRST_STEPS) == stored["first_steps"]


def test_retraining_through_the_command_line_follows_the_committed_code_path(tmp_path):
    out = tmp_path / "short.npz"
    completed = subprocess.run([sys.executable, "-m", "ganmath", "train-dcgan", "--seed", "0", "--iterations", "4",
                                "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    summary = json.loads(completed.stdout.strip().splitlines()[-1])
    assert summary["seed"] == 0 and summary["iterations"] == 4 and summary["out"] == str(out)
    short = load_dcgan(out, data=digits.digits_split().train)
    in_process = experiment.train_dcgan(0, n_iter=4)
    assert np.array_equal(short.generator.parameters, in_process.generator.parameters)
    assert np.array_equal(short.discriminator.parameters, in_process.discriminator.parameters)
    # the committed run began with the same four iterations: bit for bit under the arithmetic that made it
    committed = experiment.default_run()
    names = ("discriminator_loss", "generator_loss", "discriminator_real", "generator_fake")
    fresh = {name: getattr(short.history, name) for name in names}
    kept = {name: getattr(committed.history, name)[:4] for name in names}
    exact = same_arithmetic(committed.extra["arithmetic"])
    assert fingerprint_mismatches(kept, fresh, exact=exact) == []
    assert fingerprint_mismatches({"image": committed.snapshot_images[0].tolist()},
                                  {"image": short.snapshot_images[0].tolist()}, exact=exact) == []


# --- the committed ablations ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def stored():
    return experiment.stored_ablations()


def test_stored_ablations_are_of_this_protocol(stored):
    assert stored["protocol"] == experiment.PROTOCOL.as_dict()
    assert stored["command"] == "python -m ganmath.experiments.dcgan --seeds 0:10 --out ganmath/data/dcgan_ablations.json"
    configurations = [run["configuration"] for run in stored["runs"]]
    assert set(configurations) == set(experiment.ABLATIONS)
    for name in experiment.ABLATIONS:
        assert sorted(run["seed"] for run in stored["runs"] if run["configuration"] == name) == list(range(10))
    for run in stored["runs"]:
        assert run["diverged"] or all(math.isfinite(run[metric]) for metric in experiment.METRICS)
        curve = run["curve"]
        assert set(curve) == set(experiment.CURVE_RECORDS)
        if not run["diverged"]:
            blocks = experiment.PROTOCOL.n_iter // experiment.PROTOCOL.snapshot_every
            assert all(len(values) == blocks for values in curve.values())


def test_stored_summary_and_comparisons_follow_from_the_runs(stored):
    runs = stored["runs"]
    assert experiment.summarize(runs) == stored["summary"]
    assert experiment.compare(runs) == stored["comparisons"]
    for name, entry in stored["summary"].items():
        good = [run for run in runs if run["configuration"] == name and not run["diverged"]]
        values = [run["inception_score"] for run in good]
        assert entry["inception_score"] == {**spread(values).as_dict(), "ci95": [float(np.sort(values)[1]),
                                                                                float(np.sort(values)[8])]}


def test_no_generator_copies_its_training_images(stored):
    """Samples are as far from their nearest training digit as held-out digits are (ratio near 1), far from 0."""
    ratios = [run["nearest_train_distance_ratio"] for run in stored["runs"] if not run["diverged"]]
    assert min(ratios) > 0.7


@pytest.mark.parametrize("configuration, seed", [("all-broken", 7), ("pooling", 3)])
def test_a_few_iterations_of_a_stored_cell_retrained_follow_its_code_path(stored, configuration, seed):
    """A cell of the table trained again for its first iterations from its seed: the first losses of the stored
    run (the same draws, the same layers, the same steps), bit for bit under the arithmetic that stored them and
    within the fingerprint tolerance under another."""
    record = next(run for run in stored["runs"] if run["configuration"] == configuration and run["seed"] == seed)
    gan = experiment.train_dcgan(seed, configuration=configuration, n_iter=experiment.FIRST_STEPS)
    fresh = gan.history.first_steps(experiment.FIRST_STEPS)
    assert fingerprint_mismatches(record["first_steps"], fresh, exact=same_arithmetic(stored["arithmetic"])) == []


def test_stored_controls_are_well_formed_and_a_cell_retrains_its_first_steps():
    controls = experiment.stored_controls()
    assert controls["protocol"] == experiment.PROTOCOL.as_dict()
    assert controls["command"] == ("python -m ganmath.experiments.dcgan --seeds 0:10 --out "
                                   "ganmath/data/dcgan_controls.json --configurations dcgan-init-0.1 no-batch-norm-init-0.1")
    cells = sorted((run["configuration"], run["seed"]) for run in controls["runs"])
    assert cells == [(name, seed) for name in sorted(experiment.CONTROLS) for seed in range(10)]
    assert experiment.summarize(controls["runs"]) == controls["summary"]
    record = next(run for run in controls["runs"] if run["configuration"] == "no-batch-norm-init-0.1"
                  and run["seed"] == 4)
    gan = experiment.train_dcgan(record["seed"], configuration=record["configuration"], n_iter=experiment.FIRST_STEPS)
    assert gan.settings.init_std == 0.1 and not gan.settings.batch_norm
    fresh = gan.history.first_steps(experiment.FIRST_STEPS)
    assert fingerprint_mismatches(record["first_steps"], fresh, exact=same_arithmetic(controls["arithmetic"])) == []


def test_median_interval_is_the_binomial_order_statistic_interval():
    values = np.arange(10.0)[::-1]
    low, median, high = experiment.median_interval(values)
    # n = 10: the 2nd and 9th order statistics cover the median with probability 1 - 2 P(B <= 1), B ~ Bin(10, 1/2)
    assert (low, median, high) == (1.0, 4.5, 8.0)
    assert 1 - 2 * scipy_stats.binom.cdf(1, 10, 0.5) >= 0.95 > 1 - 2 * scipy_stats.binom.cdf(2, 10, 0.5)
    with pytest.raises(ValueError, match="values"):
        experiment.median_interval([1.0, 2.0])
    with pytest.raises(ValueError, match="confidence=1.5"):
        experiment.median_interval(values, confidence=1.5)


def test_bad_run_arguments_are_named(tmp_path):
    with pytest.raises(TypeError, match="gan"):
        experiment.evaluate("not a run")
    with pytest.raises(ValueError, match="configuration='bogus'"):
        experiment.train_dcgan(0, configuration="bogus", n_iter=1)
    from ganmath.__main__ import main

    with pytest.raises(SystemExit) as exit_status:
        main(["train-dcgan", "--seed", "0", "--configuration", "bogus", "--out", str(tmp_path / "x.npz")])
    assert exit_status.value.code == 2


@pytest.mark.slow
def test_a_recomputed_run_falls_in_the_stored_spread(stored):
    """Seed 0 of the full DCGAN trained again: on this machine its numbers are the stored ones; on another,
    a chaotic run gives another draw, which must fall within the stored seeds' range widened by their
    interquartile range."""
    record = experiment._run_record("dcgan", 0, experiment.PROTOCOL)
    runs = [run for run in stored["runs"] if run["configuration"] == "dcgan" and not run["diverged"]]
    for metric in experiment.METRICS:
        values = np.array([run[metric] for run in runs])
        margin = np.subtract(*np.percentile(values, [75, 25]))
        assert values.min() - margin <= record[metric] <= values.max() + margin, (metric, record[metric], values)
