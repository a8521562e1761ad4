"""``python -m ganmath``: the figures written, valid PNG and SVG, the JSON numbers within the issue's bounds."""

import json
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import pytest

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


def test_last_line_is_json_meeting_the_bounds(figures):
    _, stdout = figures
    numbers = json.loads(stdout.strip().splitlines()[-1])
    figure1 = numbers["figure1"]
    assert figure1["b_sup_abs_D_minus_Dstar"] <= 0.05
    assert figure1["d_js"] <= 0.01
    assert figure1["d_sup_abs_D_minus_half"] <= 0.05
    assert figure1["c_mean_D_of_G_after"] > figure1["c_mean_D_of_G_before"]
    assert 0.0 < figure1["training_seconds"] < 60.0


def test_same_seed_same_bytes(figures, tmp_path):
    out, _ = figures
    completed = run("figures", "--out", str(tmp_path))
    assert completed.returncode == 0, completed.stderr
    for name in ("figure1.png", "figure1.svg", "js_distance.svg", "generator_costs.png"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_help_lists_the_subcommands():
    completed = run("--help")
    assert completed.returncode == 0
    assert "figures" in completed.stdout and "usage:" in completed.stdout


@pytest.mark.parametrize("args", [("figures",), ("figures", "--out", "x", "--seed", "-3"), ("nonsense",), ()])
def test_bad_arguments_exit_2_with_usage(args):
    completed = run(*args)
    assert completed.returncode == 2
    assert "usage:" in completed.stderr
