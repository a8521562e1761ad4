"""The project's set-up stays consistent: environment.yml and pyproject.toml list the same packages, and
the README's two commands are the ones the Makefile and CI run."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    test = {_name(r) for r in project["optional-dependencies"]["test"]}
    return runtime, test


def _conda_packages():
    names = set()
    in_dependencies = False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        if line.startswith("dependencies:"):
            in_dependencies = True
            continue
        match = re.match(r"^  - ([A-Za-z0-9_.\-]+)", line)
        if in_dependencies and match:
            names.add(_name(match.group(1)))
    return names - {"python", "pip"}


def test_environment_yml_lists_the_pyproject_dependencies():
    runtime, test = _pyproject_packages()
    assert _conda_packages() == runtime | test


def test_environment_yml_installs_the_package_itself():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^  - pip:\n      - -e \.$", text, flags=re.M)
    assert "conda-forge" in text


def test_runtime_dependencies_are_the_documented_five():
    runtime, _ = _pyproject_packages()
    assert runtime == {"numpy", "scipy", "matplotlib", "ipywidgets", "sympy"}


def test_readme_gives_exactly_the_two_commands_that_ci_runs():
    readme = (ROOT / "README.md").read_text()
    assert "make lab" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, flags=re.M)
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^lab:", makefile, flags=re.M) and re.search(r"^test:", makefile, flags=re.M)
    assert "--ServerApp.ip=127.0.0.1" in makefile


# Pictures and widgets call the math, never the other way round.
PRESENTATION = re.compile(r"^(plots\w*|widgets\w*|trainer_app|__main__)\.py$")


def test_only_the_presentation_modules_import_matplotlib_or_ipywidgets():
    package = ROOT / "ganmath"
    for path in package.rglob("*.py"):
        source = path.read_text()
        name = path.relative_to(package).as_posix()
        top_level = re.search(r"^(import|from)\s+(matplotlib|ipywidgets)\b", source, flags=re.M)
        anywhere = re.search(r"^\s*(import|from)\s+(matplotlib|ipywidgets)\b", source, flags=re.M)
        if PRESENTATION.match(name):
            continue
        if name == "progress.py":
            # The notebook progress bar imports ipywidgets lazily, only when a notebook asks for it.
            assert not top_level and "matplotlib" not in source, name
            continue
        assert not anywhere, f"{name} imports {anywhere.group(2)}"


def test_the_math_modules_exist():
    for module in ("densities", "quadrature", "divergences", "theory", "symbolic", "gan/population", "pushforward"):
        assert (ROOT / "ganmath" / f"{module}.py").exists(), module
