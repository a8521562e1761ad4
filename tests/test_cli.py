"""``python -m ganmath``: the figures written, valid PNG and SVG, the JSON numbers consistent with the bounds they
report; ``figure1 --seeds`` as one JSON line per seed and a summary; ``claim`` writing a record.
"""

import json
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import pytest

from ganmath.experiments.figure1 import BOUNDS, DEFAULT_SEED

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "ganmath", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    out = tmp_path_factory.mktemp("figures")
    completed = run("figures", "--out", str(out))
    assert completed.returncode == 0, completed.stderr
    return out, completed.stdout


def test_files_written_and_valid(figures):
    out, stdout = figures
    for stem in ("figure1", "js_distance", "generator_costs"):
        png, svg = out / f"{stem}.png", out / f"{stem}.svg"
        assert png.read_bytes()[:8] == PNG_SIGNATURE
        root = ElementTree.parse(svg).getroot()
        assert root.tag.endswith("svg")
        assert f"wrote {png}" in stdout and f"wrote {svg}" in stdout


def test_last_line_is_json_of_the_default_run(figures):
    """One run's numbers, and which bounds they meet: whether they do is a claim over seeds (test_figure1.py)."""
    _, stdout = figures
    numbers = json.loads(stdout.strip().splitlines()[-1])
    figure1 = numbers["figure1"]
    assert figure1["seed"] == DEFAULT_SEED and figure1["training_seconds"] > 0.0
    held = figure1["bounds_held"]
    low, high = BOUNDS["a_js"]
    assert held["a"] == (low <= figure1["a_js"] <= high)
    assert held["b"] == (figure1["b_sup_abs_D_minus_Dstar"] <= BOUNDS["b_sup_abs_D_minus_Dstar"])
    assert held["c"] == (figure1["c_js_after"] <= BOUNDS["c_js_ratio"] * figure1["c_js_before"])
    assert held["d"] == (figure1["d_js"] <= BOUNDS["d_js"]
                         and figure1["d_sup_abs_D_minus_half"] <= BOUNDS["d_sup_abs_D_minus_half"])
    assert held["all"] == (held["a"] and held["b"] and held["c"] and held["d"])
    assert 0.0 <= figure1["d_js"] <= 0.6931471805599453


def test_same_seed_same_bytes(figures, tmp_path):
    out, _ = figures
    completed = run("figures", "--out", str(tmp_path))
    assert completed.returncode == 0, completed.stderr
    for name in ("figure1.png", "figure1.svg", "js_distance.svg", "generator_costs.png"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_help_lists_the_subcommands():
    completed = run("--help")
    assert completed.returncode == 0
    assert "figures" in completed.stdout and "figure1" in completed.stdout and "usage:" in completed.stdout
    assert "claim" in completed.stdout and "paper-sweep" in completed.stdout


def test_claim_writes_a_record_of_its_seeds(tmp_path):
    out = tmp_path / "saturation.json"
    completed = run("claim", "saturation", "--seeds", "0:2", "--out", str(out))
    assert completed.returncode == 0, completed.stderr
    record = json.loads(out.read_text())
    assert record["command"] == "python -m ganmath claim saturation --seeds 0:2"
    assert [run["seed"] for run in record["runs"]] == [0, 1]
    assert record["summary"]["reached"]["minimax"]["trials"] == 2
    assert json.loads(completed.stdout.strip().splitlines()[-1])["out"] == str(out)
    assert set(record["arithmetic"]) >= {"numpy", "blas_kernel"} and record["fingerprint"]


def test_figure1_population_prints_a_line_per_seed_and_a_summary():
    completed = run("figure1", "--seeds", "3:5")
    assert completed.returncode == 0, completed.stderr
    lines = [json.loads(line) for line in completed.stdout.strip().splitlines()]
    assert [line["seed"] for line in lines[:-1]] == [3, 4]
    summary = lines[-1]
    held = [line["bounds_held"]["all"] for line in lines[:-1]]
    assert summary["success_rate"] == sum(held) / 2 and summary["n_runs"] == 2
    low, high = summary["rates"]["all"]["ci95"]
    assert 0.0 <= low <= summary["success_rate"] <= high <= 1.0


@pytest.mark.parametrize("args", [("figures",), ("figures", "--out", "x", "--seed", "-3"), ("nonsense",), (),
                                  ("figure1",), ("figure1", "--seeds", "5:2"), ("figure1", "--seeds", "a:b"),
                                  ("claim",), ("claim", "bogus"), ("claim", "saturation", "--seeds", "3")])
def test_bad_arguments_exit_2_with_usage(args):
    completed = run(*args)
    assert completed.returncode == 2
    assert "usage:" in completed.stderr
