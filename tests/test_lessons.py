"""Every notebook reads as a lesson: the shape the course promises, checked on the committed files.

The order of a lesson: the question; a static picture (the first output of the notebook, drawn by a plain cell,
so a reader without a kernel sees it); the sliders; the derivation; three takeaways; exercises with folded
answers, at least one the student codes (a stub cell marked ``# TODO`` that no runner executes, its solution
folded below it, and a cell that runs the solution); a short Verify section; references. And no machinery in
what a student reads: no command lines, file paths, versions, machine names, benchmark or test names, rank tests,
or library names in the prose and in what the cells print.
"""

import ast
import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
STUB_TAGS = {"skip-execution", "nbval-skip"}

#: Verify's share of a notebook's cells, at most.
VERIFY_SHARE = 0.25

#: What a lesson's prose and printed output never show, each with the reason a reader would give.
MACHINERY = {
    "a command line": r"python -m|\bpytest\b|\bmake (test|lab|app|book)\b|\bpip install\b",
    "a file path": r"\b(ganmath|tests|benchmarks|notebooks|build)/|\.(json|jsonl|npz|py)\b",
    "a benchmark or test name": r"\bbench_\w+|\btest_\w+",
    "a version or machine": r"\bnumpy \d|\bOpenBLAS\b|\bHaswell\b|\bSandybridge\b|\bx86_64\b|\bBLAS kernel\b",
    "a rank test": r"Mann[- ]Whitney|Wilcoxon|\bU statistic\b",
    "a library name": r"\bgm\.\w|\bganmath\.\w",
}


def cells_of(path):
    return nbformat.read(path, as_version=4).cells


def is_stub(cell) -> bool:
    return cell.cell_type == "code" and STUB_TAGS <= set(cell.metadata.get("tags", ()))


def heading(cell) -> str | None:
    """The text of a markdown cell's first line when it is a ``##`` heading, else None."""
    if cell.cell_type != "markdown":
        return None
    match = re.match(r"##\s+(.+)", cell.source.strip())
    return match.group(1).strip() if match else None


def section_index(cells, name: str) -> int | None:
    for index, cell in enumerate(cells):
        title = heading(cell)
        if title is not None and title.lower().startswith(name.lower()):
            return index
    return None


def sections(path, cells, first: str, following: str) -> tuple[int, int]:
    """Where the section ``first`` starts and the section after it, ``following``, starts."""
    start, end = section_index(cells, first), section_index(cells, following)
    if start is None or end is None or end < start:
        pytest.fail(f"{path.name}: no section {first!r} followed by {following!r}")
    return start, end


def prose(source: str) -> str:
    """Markdown without its fenced code blocks (a folded solution may show code) and without HTML tags."""
    source = re.sub(r"```.*?```", "", source, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", "", source)


def printed(cell) -> str:
    """What a code cell shows as text: its streams and the plain-text form of its results."""
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif "data" in output and WIDGET_MIME not in output.data:
            text = output.data.get("text/plain", "")
            if not text.startswith("<Figure"):
                parts.append(text)
    return "\n".join(parts)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_first_output_is_a_static_picture(path):
    for index, cell in enumerate(cells_of(path)):
        if cell.cell_type == "code" and cell.get("outputs"):
            data = [output.get("data", {}) for output in cell.outputs]
            assert any("image/png" in d or "image/svg+xml" in d for d in data), (
                f"{path.name}: the first output (cell {index}) is not a figure")
            assert not any(WIDGET_MIME in d for d in data), f"{path.name}: cell {index} opens with a widget"
            return
    pytest.fail(f"{path.name} has no output at all")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_sections_come_in_the_order_of_a_lesson(path):
    cells = cells_of(path)
    first = cells[0]
    assert first.cell_type == "markdown" and "question" in first.source.lower(), (
        f"{path.name}: the first cell does not pose the question")
    order = [(name, section_index(cells, name)) for name in ("Takeaways", "Exercises", "Verify", "References")]
    missing = [name for name, index in order if index is None]
    assert not missing, f"{path.name} lacks the sections {missing}"
    indices = [index for _, index in order]
    assert indices == sorted(indices), f"{path.name}: sections out of order {order}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_three_takeaways(path):
    cells = cells_of(path)
    start, end = sections(path, cells, "Takeaways", "Exercises")
    text = "\n".join(cell.source for cell in cells[start:end] if cell.cell_type == "markdown")
    items = re.findall(r"^(?:[-*]|\d+\.)\s", text, re.MULTILINE)
    assert len(items) == 3, f"{path.name}: {len(items)} takeaways"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_verify_is_short(path):
    cells = cells_of(path)
    start, end = sections(path, cells, "Verify", "References")
    share = (end - start) / len(cells)
    assert share <= VERIFY_SHARE, f"{path.name}: Verify is {end - start} of {len(cells)} cells ({share:.0%})"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_an_exercise_the_student_codes(path):
    """A stub the student fills, its solution folded in the markdown cell after it, and a cell that runs it."""
    cells = cells_of(path)
    start, end = sections(path, cells, "Exercises", "Verify")
    stubs = [index for index in range(start, end) if is_stub(cells[index])]
    assert stubs, f"{path.name}: no exercise with a stub to fill"
    for index in stubs:
        assert "# TODO" in cells[index].source, f"{path.name}, cell {index}: the stub has no # TODO"
        after = cells[index + 1:end]
        folded = next((i for i, cell in enumerate(after) if cell.cell_type == "markdown"), None)
        assert folded is not None and "<details" in after[folded].source, (
            f"{path.name}, cell {index}: no folded solution after the stub")
        runs = [cell for cell in after[folded + 1:] if cell.cell_type == "code" and not is_stub(cell)]
        assert runs and runs[0].execution_count is not None, f"{path.name}, cell {index}: the solution never runs"


def calls_its_own_stubs(source: str) -> list[str]:
    """The functions a stub defines that its own top-level statements call: run unfilled (as JupyterLab's Run All
    does, which knows nothing of the runners' tags), those calls get None back and the cell fails."""
    tree = ast.parse(source)
    defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    called = {node.func.id for statement in tree.body if not isinstance(statement, ast.FunctionDef)
              for node in ast.walk(statement) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    return sorted(defined & called)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_stub_runs_unfilled_without_an_error(path):
    for index, cell in enumerate(cells_of(path)):
        if is_stub(cell):
            assert not calls_its_own_stubs(cell.source), (
                f"{path.name}, cell {index} calls {calls_its_own_stubs(cell.source)} before the student has written them")


def test_the_stub_check_finds_a_call():
    assert calls_its_own_stubs("def f(x):\n    ...\n\n\ny = f(2)\n") == ["f"]
    assert calls_its_own_stubs("def f(x):\n    ...\n\n\n# y = f(2)\n") == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_machinery_in_what_a_student_reads(path):
    found = []
    for index, cell in enumerate(cells_of(path)):
        text = prose(cell.source) if cell.cell_type == "markdown" else printed(cell)
        for what, pattern in MACHINERY.items():
            match = re.search(pattern, text)
            if match:
                found.append(f"cell {index}: {what} ({match.group(0)!r})")
    assert not found, f"{path.name}: " + "; ".join(found)


@pytest.mark.parametrize("source, what", [
    ("Run `python -m ganmath claim convergence` first.", "a command line"),
    ("The runs are stored in ganmath/data/convergence.json.", "a file path"),
    ("Measured by bench_sliders on one core.", "a benchmark or test name"),
    ("Made with numpy 2.4 on Haswell.", "a version or machine"),
    ("A Mann-Whitney test gives p = 0.07.", "a rank test"),
    ("The curve of gm.js_divergence.", "a library name"),
])
def test_the_machinery_patterns_find_what_they_name(source, what):
    assert re.search(MACHINERY[what], prose(source))


def test_the_machinery_patterns_leave_a_plain_sentence_alone():
    plain = ("These 32 runs were trained once and stored; the cell below retrains four of them. "
             "31 of 32 runs (95% interval 84-99%) reach JS < 0.01, e.g. at x = 2.5.")
    assert not any(re.search(pattern, prose(plain)) for pattern in MACHINERY.values())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_notebook_reaches_the_library_through_gm_alone(path):
    """``import ganmath as gm`` and names reachable from it (``gm.viz.figure1``, ``gm.experiments.claims``): one
    import line, and no module of one layer aliased to tell it from its namesake in another."""
    lines = [line.strip() for cell in cells_of(path) if cell.cell_type == "code" for line in cell.source.split("\n")]
    imports = [line for line in lines if re.match(r"(from|import) ganmath\b", line)]
    assert imports and set(imports) == {"import ganmath as gm"}, f"{path.name}: {sorted(set(imports))}"
