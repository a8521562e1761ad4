"""Every notebook in a real JupyterLab, driven by headless Chromium.

One JupyterLab server (module-scoped) serves a temporary copy of the notebooks. For each notebook the test
runs all cells, fails on any error (in a cell, in a widget callback, or rendered as a traceback), then moves
the sliders with the mouse and requires that at least one of them redraws a figure. The interactive
trainer notebook must also respond to its buttons: the picture and the ``ganmath-iteration`` counter change.
Screenshots go to build/screenshots/<notebook>/.

``GANMATH_NOTEBOOKS=<folder>`` tests another folder of notebooks. Without chromium the test skips, except
under CI (``CI=true``), where ``make test`` installs chromium and its absence is a failure.
"""

from __future__ import annotations

import json
import os
import re
import time

import pytest
from support import browser_support as bs

NOTEBOOKS = bs.notebook_paths()
# Sliders tried per cell before the cell is reported as not redrawing: a cell may begin with sliders that
# set parameters only (learning rates, sizes) before the one that moves the figure.
SLIDERS_PER_CELL = 4

pytestmark = pytest.mark.browser


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason} (CI=true: make test installs it, so this is an error)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    executable = bs.find_chromium()
    if executable is None:
        _unavailable("chromium is not installed (make chromium installs Debian's package)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=bs.CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if not NOTEBOOKS:
        pytest.skip(f"no notebooks in {bs.notebooks_dir()}")
    server = bs.start_lab(bs.notebooks_dir(), tmp_path_factory.mktemp("lab"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def lab_window(lab, chromium):
    """One JupyterLab page for the module; each test opens its notebook in it and closes it after."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    try:
        yield bs.LabWindow(context, lab)
    finally:
        context.close()


@pytest.fixture
def notebook(request, lab, lab_window):
    """The notebook named by the test's parameter, open in JupyterLab with an idle kernel."""
    path = request.param
    view = bs.NotebookPage(lab_window.page(), lab, path.name, bs.SCREENSHOT_DIR / path.stem)
    try:
        view.open()
        yield view
    finally:
        try:
            view.screenshot("final")
        except Exception:  # a page that died has nothing to show; the test has failed already
            pass
        try:
            stderr = view.stderr_text().strip()
        except Exception:
            stderr = ""
        if stderr:
            view.log.append("kernel stderr: " + stderr[:2000])
        print(f"{path.name}:", *view.log, sep="\n  ")
        try:
            view.close()
        except Exception:  # start the next notebook from a fresh page rather than a damaged one
            lab_window.discard()
        lab.shutdown_sessions(path.name)


def _assert_no_errors(view: bs.NotebookPage, when: str) -> None:
    errors = view.errors()
    assert not errors, f"{view.path} {when}:\n" + "\n\n".join(errors)


def _params():
    if not NOTEBOOKS:
        return [pytest.param(None, id="no-notebooks")]
    return [pytest.param(path, id=path.stem) for path in NOTEBOOKS]


@pytest.mark.parametrize("notebook", _params(), indirect=True)
def test_notebook_runs_and_its_sliders_redraw(notebook):
    start = time.monotonic()
    seconds = notebook.run_all()
    notebook.log.append(f"run all: {seconds:.1f} s")
    notebook.screenshot("run-all")
    pending = notebook.wait_widgets_rendered()
    _assert_no_errors(notebook, "after running all cells")
    assert not pending, f"{notebook.path}: widgets never rendered (still 'Loading widget...') in cells {pending}"
    layout = notebook.layout()
    notebook.log.append(f"layout: {layout}")
    # Teach first, verify after: the first picture (or slider) comes before the first assert.
    if layout["firstAssert"] is not None:
        assert layout["firstPicture"] is not None and layout["firstPicture"] < layout["firstAssert"], (
            f"{notebook.path}: the first assert (cell {layout['firstAssert']}) comes before the first picture "
            f"(cell {layout['firstPicture']})")
    assert not layout["nan"], f"{notebook.path}: outputs print 'nan' in cells {layout['nan']}"
    assert not layout["tracebacks"], f"{notebook.path}: outputs show a traceback in cells {layout['tracebacks']}"

    trainer = bs.is_trainer(notebook.server.root_dir / notebook.path)
    if trainer:
        # The buttons first, on the notebook's own settings; sliders afterwards may set anything.
        _exercise_trainer(notebook)
    slider_cells = notebook.slider_cells()
    if not trainer:
        assert slider_cells, f"{notebook.path} shows no slider (.widget-slider .noUi-handle) after running"

    redrawn, silent = [], []
    for cell, n_handles in slider_cells:
        for index in notebook.visible_slider_indices(cell)[:SLIDERS_PER_CELL]:
            move = notebook.move_slider(cell, index, name=f"cell{cell:02d}-slider{index}")
            _assert_no_errors(notebook, f"after moving slider {index} of cell {cell}")
            if move is not None and move.picture_changed:
                redrawn.append(move)
                break
        else:
            silent.append(cell)
    if not trainer:
        # Every interactive cell: one of its sliders redraws its picture.
        assert redrawn and not silent, (
            f"{notebook.path}: no slider redrew a figure in cells {silent}; tried: "
            + "; ".join(line for line in notebook.log if line.startswith("slider"))
        )
        for move in redrawn:
            assert move.moved, f"the picture changed although slider {move.index} of cell {move.cell} did not move"
    notebook.log.append(f"test body: {time.monotonic() - start:.1f} s")


TRAINER_BUTTONS = ("Step D", "Step G", "Iterate", "Play", "Reset")


def _exercise_trainer(view: bs.NotebookPage) -> None:
    """Press Step D, Step G, Iterate, Play, Pause and Reset, checking the picture and the counter."""
    labels = view.button_labels()
    missing = [label for label in TRAINER_BUTTONS if not view.has_button(label)]
    assert not missing, f"{view.path}: no button {missing}; the buttons are {labels}"
    view.wait_quiet()
    start_iteration = view.iteration()
    view.screenshot("trainer-start")

    for label in ("Step D", "Step G"):
        before = view.pictures()
        view.press(label)
        after = view.wait_pictures_change(before, None)
        _assert_no_errors(view, f"after pressing {label!r}")
        assert after.count and after != before, f"{label!r} did not change the picture"
        view.screenshot(f"trainer-after-{label.replace(' ', '-').lower()}")

    before_pictures, before_iteration = view.pictures(), view.iteration()
    view.press("Iterate")
    after_pictures = view.wait_pictures_change(before_pictures, None)
    view.wait_quiet()
    _assert_no_errors(view, "after pressing 'Iterate'")
    assert after_pictures.count and after_pictures != before_pictures, "'Iterate' did not change the picture"
    assert view.iteration() > before_iteration, (
        f"'Iterate' did not advance the counter: {before_iteration} -> {view.counter_text()!r}")
    view.screenshot("trainer-after-iterate")

    # A learning rate changed in the middle of the run: the run goes on, the counter does not reset.
    app_cell = view.counter_cell()
    sliders = view.visible_slider_indices(app_cell)
    assert sliders, f"{view.path}: the trainer shows no visible slider"
    running_at = view.iteration()
    view.move_slider(app_cell, sliders[-1], name="trainer-learning-rate")
    view.wait_quiet()
    _assert_no_errors(view, "after changing a learning rate")
    assert view.iteration() == running_at >= 1, (
        f"changing a learning rate mid-run moved the counter: {running_at} -> {view.iteration()}")

    before_pictures, before_iteration = view.pictures(), view.iteration()
    view.press("Play")
    deadline = time.monotonic() + 60
    while view.iteration() < before_iteration + 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    played_to = view.iteration()
    assert played_to >= before_iteration + 2, (
        f"'Play' did not keep iterating: {before_iteration} -> {played_to} in 60 s")
    assert view.pictures() != before_pictures, "'Play' advanced the counter but not the picture"
    view.screenshot("trainer-playing")
    _record_play_rate(view)

    # Pause: a button of its own, or the Play toggle relabelled (or still labelled Play but pressed).
    view.press("Pause" if view.has_button("Pause") else "Play")
    view.wait_quiet(timeout=10, required=False)  # the iteration under way may finish
    paused_at = view.iteration()
    time.sleep(1.5)
    assert view.iteration() == paused_at, (
        f"the counter still moves after 'Pause': {paused_at} -> {view.iteration()}")
    view.wait_quiet()
    _assert_no_errors(view, "after Play and Pause")

    before_pictures = view.pictures()
    view.press("Reset")
    after_pictures = view.wait_pictures_change(before_pictures, None)
    view.wait_quiet()
    _assert_no_errors(view, "after pressing 'Reset'")
    # Back to the start: 0, or the count the notebook opened with if an earlier cell trained first.
    assert view.iteration() in {0, start_iteration}, (
        f"'Reset' left the counter at {view.counter_text()!r}, not 0 or {start_iteration}")
    assert after_pictures != before_pictures, "'Reset' did not change the picture"
    view.screenshot("trainer-after-reset")


def _record_play_rate(view: bs.NotebookPage, seconds: float = 5.0) -> None:
    """Frames per second while playing, as the browser shows them (one iteration per frame).

    A measurement, not an assertion: the machines are shared. It goes to the log and to
    ``build/screenshots/<notebook>/play_rate.json``.
    """
    first, start = view.iteration(), time.monotonic()
    time.sleep(seconds)
    last, elapsed = view.iteration(), time.monotonic() - start
    rate = {"iterations": last - first, "seconds": round(elapsed, 2),
            "frames_per_second": round((last - first) / elapsed, 1)}
    view.log.append(f"play: {rate['frames_per_second']} frames per second over {rate['seconds']} s")
    view.screenshots.mkdir(parents=True, exist_ok=True)
    (view.screenshots / "play_rate.json").write_text(json.dumps(rate) + "\n")


def test_committed_notebooks_are_not_modified(lab):
    """The server works on a copy: the source notebooks are byte-identical after the browser runs."""
    assert lab.root_dir.resolve() != lab.source.resolve()
    changed = sorted(name for name, digest in bs.file_digests(lab.source).items()
                     if lab.source_digests.get(name) != digest)
    assert not changed, (
        f"notebooks in {lab.source} changed while the browser test ran: {changed} "
        "(the server only serves a copy; was a notebook edited or re-executed meanwhile?)")


@pytest.fixture(scope="module")
def voila_app(tmp_path_factory):
    """``make app``'s server: Voila serving a copy of the trainer notebook on 127.0.0.1."""
    trainer = [path for path in NOTEBOOKS if bs.is_trainer(path)]
    if not trainer:
        pytest.skip("no trainer notebook")
    server = bs.start_voila(trainer[0], tmp_path_factory.mktemp("voila"))
    try:
        yield server
    finally:
        server.stop()


def test_the_trainer_runs_as_a_web_app(voila_app, chromium):
    """The page Voila serves shows the trainer without code, and its buttons train."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(voila_app.url, wait_until="domcontentloaded")
        counter = page.locator(".ganmath-iteration").first
        counter.wait_for(timeout=120_000)
        page.screenshot(path=str(bs.screenshot_path("voila", "start")))
        counter.scroll_into_view_if_needed()
        assert "import ganmath" not in page.inner_text("body"), "the app page shows code"
        before = int(re.search(r"\d+", counter.inner_text()).group())
        button = page.locator("button", has_text=re.compile(r"^\s*Iterate\s*$")).first
        for _ in range(3):
            button.click()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            now = int(re.search(r"\d+", counter.inner_text()).group())
            if now >= before + 3:
                break
            time.sleep(0.2)
        assert now >= before + 3, f"the app's counter went from {before} to {now} after three presses of Iterate"
        page.screenshot(path=str(bs.screenshot_path("voila", "after-iterate")))
    finally:
        context.close()
