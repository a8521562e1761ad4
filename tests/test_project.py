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


def test_runtime_dependencies_are_the_documented_seven():
    runtime, _ = _pyproject_packages()
    assert runtime == {"numpy", "scipy", "matplotlib", "ipywidgets", "sympy", "scikit-learn", "threadpoolctl"}


def test_readme_gives_the_two_commands_and_the_full_tier_that_ci_runs():
    readme = (ROOT / "README.md").read_text()
    assert "make lab" in readme and "make test" in readme and "make test-full" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test-full$", ci, flags=re.M)
    makefile = (ROOT / "Makefile").read_text()
    for target in ("lab", "test", "test-full"):
        assert re.search(rf"^{target}:", makefile, flags=re.M), target
    assert "--ServerApp.ip=127.0.0.1" in makefile


def test_the_default_tier_is_selected_by_the_configuration():
    """`pytest` alone runs the default tier: the slow and browser tests are deselected by pyproject.toml, not by a
    convention of the command line; the full tier selects everything with -m ""."""
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "-m 'not slow and not browser'" in options["addopts"]
    assert {marker.split(":")[0] for marker in options["markers"]} == {"slow", "browser"}
    makefile = (ROOT / "Makefile").read_text()
    assert '-m "not browser"' in makefile and "-m browser" in makefile


# The layers: each package imports only those below it; pictures (viz) and widgets (ui) call the math, never
# the other way round. Only viz imports matplotlib, only ui imports ipywidgets (and matplotlib, through viz).
MAY_IMPORT = {
    "core": {"core"},
    "nn": {"core", "nn"},
    "gan": {"core", "nn", "gan"},
    "experiments": {"core", "nn", "gan", "experiments"},
    "viz": {"viz"},
    "ui": {"core", "nn", "gan", "experiments", "viz", "ui"},
}
TOP_LEVEL_HELPERS = {"_validation", "stats", "records", "constants", "_cli", "_modules"}


def _imported_packages(source: str) -> set[str]:
    return set(re.findall(r"^\s*(?:from|import) ganmath\.([a-z_]+)", source, flags=re.M)) - TOP_LEVEL_HELPERS


def test_each_layer_imports_only_the_layers_below_it():
    for package, allowed in MAY_IMPORT.items():
        for path in (ROOT / "ganmath" / package).rglob("*.py"):
            source = path.read_text()
            assert _imported_packages(source) <= allowed, f"{path.name} imports {_imported_packages(source) - allowed}"
            assert not re.search(r"^\s*(?:from ganmath import|import ganmath\b)", source.split('"""', 2)[-1], re.M) \
                or package == "ui", f"{path.name} imports the package root"


def test_only_viz_imports_matplotlib_and_only_ui_ipywidgets():
    for path in (ROOT / "ganmath").rglob("*.py"):
        source = path.read_text()
        layer = path.relative_to(ROOT / "ganmath").parts[0]
        for library, home in (("matplotlib", {"viz", "ui", "__main__.py"}), ("ipywidgets", {"ui"})):
            if re.search(rf"^\s*(import|from)\s+{library}\b", source, flags=re.M):
                assert layer in home, f"{path.relative_to(ROOT)} imports {library}"


def test_the_math_modules_exist():
    for module in ("core/densities", "core/quadrature", "core/divergences", "core/theory", "core/symbolic",
                   "gan/population", "gan/pushforward"):
        assert (ROOT / "ganmath" / f"{module}.py").exists(), module


# Docstrings, comments and the README name only what exists: a dotted reference to a ganmath module, class or
# function resolves, and a file of the repository named in them is there.
REFERENCE = re.compile(r":(?:func|mod|class|meth|data|attr):`~?(ganmath(?:\.\w+)+)`")
REPOSITORY_PATH = re.compile(
    r"(?<![\w/])((?:tests|benchmarks|ganmath|notebooks|docs)/[\w/.-]*\w\.(?:py|jsonl|json|npz|ipynb|png))(?!\w)")


def _resolves(dotted: str) -> bool:
    import importlib

    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for name in parts[i:]:
            if not hasattr(target, name):
                return False
            target = getattr(target, name)
        return True
    return False


def test_docstrings_name_only_what_exists():
    broken = []
    for path in sorted((ROOT / "ganmath").rglob("*.py")):
        text = path.read_text()
        broken += [f"{path.relative_to(ROOT)}: {m.group(1)}" for m in REFERENCE.finditer(text) if not _resolves(m.group(1))]
    assert not broken, broken


def test_files_named_in_the_code_and_the_readme_exist():
    missing = []
    for path in [*sorted((ROOT / "ganmath").rglob("*.py")), *sorted((ROOT / "tests").rglob("*.py")),
                 *sorted((ROOT / "benchmarks").rglob("*.py")), ROOT / "README.md", ROOT / "Makefile"]:
        for match in REPOSITORY_PATH.finditer(path.read_text()):
            name = match.group(1)
            if Path(name).stem.isupper():   # a placeholder, such as ganmath/data/NAME.json
                continue
            if not (ROOT / name).exists():
                missing.append(f"{path.relative_to(ROOT)}: {name}")
    assert not missing, missing


def _module_imports() -> dict:
    """Every ganmath module and the ganmath modules it imports, at the top or inside a function alike."""
    import ast

    modules = {}
    for path in (ROOT / "ganmath").rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph = {}
    for name, path in modules.items():
        imported = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ganmath"):
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    imported.add(full if full in modules else node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names if alias.name.startswith("ganmath"))
        graph[name] = {other for other in imported if other in modules and other != name}
    return graph


def test_no_module_imports_itself_through_others():
    """No import cycle between ganmath's modules, counting the imports made inside functions (a cycle hidden in
    a function is still a cycle): the modules can be ordered so that each imports only those before it."""
    graph, order, state = _module_imports(), [], {}

    def visit(name, path):
        if state.get(name) == "done":
            return
        assert state.get(name) != "visiting", " -> ".join([*path, name])
        state[name] = "visiting"
        for other in sorted(graph[name]):
            visit(other, [*path, name])
        state[name] = "done"
        order.append(name)

    for name in sorted(graph):
        visit(name, [])
    assert len(order) == len(graph)


def test_the_top_level_helpers_sit_below_every_layer():
    graph = _module_imports()
    for helper in TOP_LEVEL_HELPERS:
        assert graph[f"ganmath.{helper}"] <= {f"ganmath.{h}" for h in TOP_LEVEL_HELPERS}, helper


def test_no_module_imports_another_modules_private_name():
    import ast

    offenders = []
    for path in sorted((ROOT / "ganmath").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ganmath"):
                offenders += [f"{path.relative_to(ROOT)}: {node.module}.{alias.name}" for alias in node.names
                              if alias.name.startswith("_") and not node.module.endswith("._validation")
                              and node.module != "ganmath" and not alias.name.startswith("__")]
    assert not offenders, offenders
