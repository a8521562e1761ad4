"""The claims notebook 14 makes of the stored DCGAN ablations, stated as a course states them (how many runs of 10
collapsed, how many fell on the worse side of the DCGAN's median, each with its Wilson interval), the counting
functions against hand-made records, and the rank-test verdicts the stored records keep, which must agree with
what the rates say."""

import numpy as np
import pytest

from ganmath.experiments import dcgan as experiment
from ganmath.stats import wilson_interval


@pytest.fixture(scope="module")
def runs():
    return experiment.stored_ablations()["runs"] + experiment.stored_controls()["runs"]


def record(configuration, score, frechet=1.0, diverged=False):
    return {"configuration": configuration, "diverged": diverged, "inception_score": score,
            "frechet_distance": frechet, "parzen_log_likelihood": -score}


# --- the counting functions -------------------------------------------------------------------------


def test_collapse_is_a_score_below_two_or_a_diverged_run():
    assert experiment.collapsed(record("a", 1.99)) and not experiment.collapsed(record("a", 2.0))
    assert experiment.collapsed(record("a", 9.0, diverged=True))
    rate = experiment.collapse_rate([record("a", 1.0), record("a", 5.0), record("a", 1.5), record("b", 1.0)], "a")
    assert (rate.successes, rate.trials) == (2, 3)
    assert (rate.low, rate.high) == pytest.approx(wilson_interval(2, 3))


def test_worse_than_median_counts_each_metric_in_its_own_direction():
    baseline = [record("dcgan", score, frechet=score) for score in (4.0, 5.0, 6.0)]   # median 5 on both
    other = [record("x", 4.5, frechet=4.5), record("x", 5.5, frechet=5.5), record("x", 7.0, frechet=7.0),
             record("x", 9.0, frechet=9.0, diverged=True)]
    higher = experiment.worse_than_median(baseline + other, "x", "inception_score")
    lower = experiment.worse_than_median(baseline + other, "x", "frechet_distance")
    assert (higher.successes, higher.trials) == (2, 4)   # 4.5 below the median, and the diverged run
    assert (lower.successes, lower.trials) == (3, 4)     # 5.5 and 7.0 above the median, and the diverged run
    assert experiment.worse_than_median(baseline, "dcgan", "inception_score").successes == 1


def test_the_counting_functions_name_a_bad_argument():
    with pytest.raises(ValueError, match="configuration='nothing'"):
        experiment.collapse_rate([record("a", 1.0)], "nothing")
    with pytest.raises(ValueError, match="metric='accuracy'"):
        experiment.worse_than_median([record("dcgan", 1.0)], "dcgan", "accuracy")


# --- the claims of the notebook, from the stored runs -------------------------------------------------


def test_collapse_counts_and_the_gap_between_collapsed_and_trained_runs(runs):
    counts = {name: experiment.collapse_rate(runs, name).successes for name in experiment.CONFIGURATIONS}
    assert counts == {"dcgan": 0, "pooling": 0, "fully-connected": 3, "no-batch-norm": 10, "all-broken": 10,
                      "dcgan-init-0.1": 0, "no-batch-norm-init-0.1": 0}
    scores = np.array([run["inception_score"] for run in runs])
    assert scores[scores < experiment.COLLAPSE_SCORE].max() < 1.5 and scores[scores >= experiment.COLLAPSE_SCORE].min() > 4.6
    assert experiment.collapse_rate(runs, "fully-connected").low == pytest.approx(wilson_interval(3, 10)[0])


def test_the_rates_say_what_the_rank_tests_of_the_stored_records_say(runs):
    """Where the stored Mann-Whitney verdict supports a guideline, at least 9 of 10 runs fall on the worse side of
    the DCGAN's median (the interval wholly above one half); where it is not resolved, the interval holds one half."""
    comparisons = experiment.compare(runs)
    for name, by_metric in comparisons.items():
        for metric, entry in by_metric.items():
            worse = experiment.worse_than_median(runs, name, metric)
            if entry["verdict"] == "supports the rule":
                assert worse.low > 0.5, (name, metric, worse)
            elif entry["verdict"] == "against the rule":
                assert worse.high < 0.5, (name, metric, worse)
            else:
                assert worse.low < 0.5 < worse.high, (name, metric, worse)
    control = experiment.compare(experiment.stored_controls()["runs"], baseline="dcgan-init-0.1")
    assert all(entry["verdict"] == "supports the rule" for entry in control["no-batch-norm-init-0.1"].values())
    assert all(experiment.worse_than_median(runs, "no-batch-norm-init-0.1", metric, baseline="dcgan-init-0.1").low > 0.5
               for metric in experiment.METRICS)


def test_the_verdicts_the_notebook_states(runs):
    comparisons = experiment.compare(runs)
    verdict = lambda name, metric: comparisons[name][metric]["verdict"]
    assert verdict("fully-connected", "inception_score") == "not resolved"
    assert verdict("pooling", "frechet_distance") == "not resolved"
    assert all(verdict(name, "frechet_distance") == "supports the rule"
               for name in ("fully-connected", "no-batch-norm", "all-broken"))
    assert all(verdict("pooling", metric) == "supports the rule" for metric in ("inception_score", "parzen_log_likelihood"))
    # the metrics disagree on the initialization: a better Fréchet distance, a worse score
    assert verdict("dcgan-init-0.1", "frechet_distance") == "against the rule"
    assert verdict("dcgan-init-0.1", "inception_score") == "supports the rule"
    summary = {**experiment.stored_ablations()["summary"], **experiment.stored_controls()["summary"]}
    for metric in ("inception_score", "parzen_log_likelihood"):   # pooling below the DCGAN, median intervals apart
        assert summary["pooling"][metric]["ci95"][1] < summary["dcgan"][metric]["ci95"][0], metric
    assert (summary["no-batch-norm-init-0.1"]["inception_score"]["ci95"][1]
            < summary["dcgan-init-0.1"]["inception_score"]["ci95"][0])
    assert (summary["dcgan-init-0.1"]["frechet_distance"]["ci95"][1]
            < summary["no-batch-norm-init-0.1"]["frechet_distance"]["ci95"][0])
    # 6 of the 7 dense runs that train score above every DCGAN run
    dcgan_best = max(run["inception_score"] for run in runs if run["configuration"] == "dcgan")
    dense = [run["inception_score"] for run in runs if run["configuration"] == "fully-connected"
             and not experiment.collapsed(run)]
    assert len(dense) == 7 and sum(score > dcgan_best for score in dense) == 6


# --- the picture of samples ---------------------------------------------------------------------------

#: The runs notebook 14 shows as sample grids, and whether each has collapsed after 1,500 iterations.
PICTURED = {("dcgan", 0): False, ("pooling", 0): False, ("fully-connected", 0): False, ("fully-connected", 1): True,
            ("no-batch-norm", 0): True, ("all-broken", 0): True, ("dcgan-init-0.1", 0): False,
            ("no-batch-norm-init-0.1", 0): False}


def spread_over_noise(images) -> float:
    """A pixel's standard deviation over the snapshot's noise vectors, averaged over the pixels."""
    return float(np.mean(np.std(np.asarray(images), axis=0)))


@pytest.mark.slow
@pytest.mark.parametrize("configuration, seed", list(PICTURED))
def test_the_pictured_runs_are_the_stored_ones_and_look_as_the_picture_says(runs, configuration, seed):
    """Each run of the picture retrained in full: its first steps are the stored run's, its Inception-style score is
    the stored one (up to another computer's rounding), and its last snapshot's 16 images are nearly one image when
    the run collapsed, varied when it trained."""
    stored = next(run for run in runs if run["configuration"] == configuration and run["seed"] == seed)
    gan = experiment.train_dcgan(seed, configuration=configuration)
    np.testing.assert_allclose(gan.history.first_steps(experiment.FIRST_STEPS)["discriminator_loss"],
                               stored["first_steps"]["discriminator_loss"], rtol=1e-9)
    assert experiment.collapsed(stored) == PICTURED[configuration, seed]
    spread = spread_over_noise(gan.snapshot_images[-1])
    assert spread < 0.1 if PICTURED[configuration, seed] else spread > 0.3, spread
