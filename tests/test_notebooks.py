"""The committed notebooks are executed, in order, without errors, and use ganmath without redefining it.

nbval (``pytest --nbval notebooks/``) re-runs every notebook and compares the outputs; these checks read the
committed files only: every code cell ran, top to bottom in one fresh kernel (execution counts 1..n without a
gap), no cell holds an error or a stderr stream, widget cells are tagged for nbval, and no notebook defines or
assigns a name of ganmath's public API.
"""

import importlib
import pkgutil
import re
from pathlib import Path

import nbformat
import pytest

import ganmath

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
THEORY_NOTEBOOKS = [
    "01_maximum_likelihood_is_kl.ipynb",
    "02_minimax_game.ipynb",
    "03_optimal_discriminator.ipynb",
    "04_global_optimum.ipynb",
    "05_vanishing_gradients.ipynb",
]
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def public_names() -> set[str]:
    """Every name in the ``__all__`` of ganmath and of each of its modules."""
    names = set(ganmath.__all__)
    for module_info in pkgutil.walk_packages(ganmath.__path__, prefix="ganmath."):
        if module_info.name.rsplit(".", 1)[-1] == "__main__":
            continue
        module = importlib.import_module(module_info.name)
        names.update(getattr(module, "__all__", ()))
    return names


# A function or class defined in a cell, or a name bound to a lambda: what would stand in for a library function.
DEFINITION = re.compile(r"^\s*(?:def|class)\s+(\w+)|^\s*(\w+)\s*=\s*lambda\b", re.M)


def defined_names(source: str) -> set[str]:
    return {match.group(1) or match.group(2) for match in DEFINITION.finditer(source)}


#: The tag of an exercise's stub, the cell a student fills in: never run (nbconvert skips it, nbval too).
STUB_TAGS = {"skip-execution", "nbval-skip"}


def code_cells(path):
    """The code cells that run (an exercise's stub, tagged :data:`STUB_TAGS`, does not)."""
    return [cell for cell in nbformat.read(path, as_version=4).cells
            if cell.cell_type == "code" and not STUB_TAGS <= set(cell.metadata.get("tags", ()))]


def stub_cells(path):
    return [cell for cell in nbformat.read(path, as_version=4).cells
            if cell.cell_type == "code" and STUB_TAGS & set(cell.metadata.get("tags", ()))]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_stub_is_tagged_for_both_runners_and_left_for_the_student(path):
    for cell in stub_cells(path):
        assert STUB_TAGS <= set(cell.metadata.get("tags", ())), f"{path.name}: a stub needs both tags {STUB_TAGS}"
        assert "# TODO" in cell.source and cell.execution_count is None and not cell.outputs, path.name


def test_the_theory_notebooks_are_there():
    present = {path.name for path in NOTEBOOKS}
    assert set(THEORY_NOTEBOOKS) <= present


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_code_cell_ran_in_order_in_one_kernel(path):
    cells = code_cells(path)
    counts = [cell.execution_count for cell in cells]
    assert counts == list(range(1, len(cells) + 1)), f"{path.name}: execution counts {counts}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_error_output(path):
    for index, cell in enumerate(code_cells(path)):
        for output in cell.outputs:
            assert output.output_type != "error", f"{path.name}, code cell {index}: {output.get('ename')}"
            if output.output_type == "stream":
                assert output.name != "stderr", f"{path.name}, code cell {index} wrote to stderr: {output.text[:200]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_notebook_redefines_ganmath(path):
    names = public_names()
    for index, cell in enumerate(code_cells(path)):
        for name in defined_names(cell.source):
            assert name not in names, f"{path.name}, code cell {index} redefines ganmath's {name!r}"


def test_the_check_finds_a_redefinition():
    # The pattern above, on a cell that redefines a public function and one that only calls it.
    names = public_names()
    assert {"js_divergence", "optimal_discriminator", "generator_gradient", "likelihood_sliders"} <= names
    redefining = "import numpy as np\n\ndef js_divergence(p, q):\n    return 0.0\n"
    assigning = "js_divergence = lambda p, q: 0.0\n"
    calling = "js = gm.js_divergence(p, q)\nentropy = likelihood.entropy(p)\n"
    found = lambda source: defined_names(source) & names
    assert found(redefining) == {"js_divergence"}
    assert found(assigning) == {"js_divergence"}
    assert found(calling) == set()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_imports_ganmath_and_checks_its_claims(path):
    sources = "\n".join(cell.source for cell in code_cells(path))
    assert re.search(r"^\s*(import ganmath|from ganmath)", sources, re.M), f"{path.name} does not import ganmath"
    assert re.search(r"np\.testing\.assert_allclose|is_zero\(", sources), f"{path.name} checks nothing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_widget_cells_are_tagged_for_nbval(path):
    for index, cell in enumerate(code_cells(path)):
        shows_widget = any(WIDGET_MIME in output.get("data", {}) for output in cell.outputs)
        if shows_widget:
            assert "nbval-ignore-output" in cell.metadata.get("tags", []), f"{path.name}, code cell {index}"


@pytest.mark.parametrize("name", THEORY_NOTEBOOKS)
def test_theory_notebooks_have_a_slider(name):
    path = next(p for p in NOTEBOOKS if p.name == name)
    cells = code_cells(path)
    assert any(WIDGET_MIME in output.get("data", {}) for cell in cells for output in cell.outputs)
    assert any("_sliders(" in cell.source for cell in cells)
