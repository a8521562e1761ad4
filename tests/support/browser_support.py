"""A real JupyterLab server and a headless-Chromium view of one notebook, for the browser test.

``LabServer`` starts ``jupyter lab`` on 127.0.0.1 (a free port, a random token) serving a temporary copy of
the notebooks, with its own configuration, settings, workspaces and a ``python3`` kernelspec that runs this
Python: the user's Jupyter configuration is not read, and nothing is written outside a temporary folder
(screenshots aside). ``NotebookPage`` drives one
notebook in that server through playwright: open, run all cells, collect errors, move sliders, press
buttons and fingerprint the pictures in the output areas.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS_ENV = "GANMATH_NOTEBOOKS"
CHROMIUM_ENV = "GANMATH_CHROMIUM"
SCREENSHOT_DIR = REPO_ROOT / "build" / "screenshots"

# Debian's chromium under playwright: no sandbox (containers, root), no GPU, no background traffic.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

# Used when the project's jupyter/overrides.json is missing: no news pop-up over the screenshots.
DEFAULT_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}
# Settings the test needs on top of the project's: every cell attached to the DOM (so sliders below the
# fold can be found), and a kernel started without asking.
TEST_OVERRIDES = {
    "@jupyterlab/notebook-extension:tracker": {
        "windowingMode": "none",
        "autoStartDefaultKernel": True,
    },
}

SERVER_START_TIMEOUT = 90.0
KERNEL_START_TIMEOUT = 90.0
RUN_ALL_TIMEOUT = 300.0
# A widget update counts as finished when the kernel has been idle and silent this long.
QUIET_SECONDS = 0.8
UPDATE_TIMEOUT = 60.0


# --------------------------------------------------------------------------------------------------------
# What to test


def notebooks_dir() -> Path:
    """The folder whose notebooks are tested: ``$GANMATH_NOTEBOOKS`` or the repository's ``notebooks/``."""
    return Path(os.environ.get(NOTEBOOKS_ENV) or REPO_ROOT / "notebooks").resolve()


def notebook_paths() -> list[Path]:
    """The notebooks directly inside `notebooks_dir()`, sorted by name."""
    folder = notebooks_dir()
    return sorted(folder.glob("*.ipynb")) if folder.is_dir() else []


def is_trainer(path: Path) -> bool:
    """The interactive-trainer notebook is the one whose file name contains ``trainer``."""
    return "trainer" in path.name.lower()


def find_chromium() -> str | None:
    """Path of a chromium binary: ``$GANMATH_CHROMIUM``, then ``chromium`` on PATH, then /usr/bin/chromium."""
    for candidate in (os.environ.get(CHROMIUM_ENV), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def file_digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every notebook directly inside `folder`, by file name."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.ipynb"))}


# --------------------------------------------------------------------------------------------------------
# The server


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (the server is started with no port retries)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _write_json(path: Path, payload) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=1))


def _lab_overrides() -> dict:
    """The project's settings overrides (when the file exists) merged with the test's own."""
    project_file = REPO_ROOT / "jupyter" / "overrides.json"
    overrides = json.loads(project_file.read_text()) if project_file.is_file() else copy.deepcopy(DEFAULT_OVERRIDES)
    for plugin, values in TEST_OVERRIDES.items():
        overrides.setdefault(plugin, {}).update(values)
    return overrides


@dataclass(repr=False)
class LabServer:
    """A running ``jupyter lab`` process serving `root_dir` (a copy of `source`); stop it with `stop()`."""

    process: subprocess.Popen
    port: int
    token: str
    root_dir: Path
    log_path: Path
    source: Path
    source_digests: dict[str, str]

    def __repr__(self) -> str:
        return f"<JupyterLab on {self.base_url} serving {self.root_dir}>"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str, **query: str) -> str:
        query = {**query, "token": self.token}
        return f"{self.base_url}/{path.lstrip('/')}?{urllib.parse.urlencode(query)}"

    def api(self, path: str, method: str = "GET", timeout: float = 10.0):
        request = urllib.request.Request(
            f"{self.base_url}/api/{path.lstrip('/')}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, n_lines: int = 40) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no server log)"
        return "\n".join(lines[-n_lines:])

    def shutdown_sessions(self, notebook_path: str | None = None) -> None:
        """Shut down the kernels of every session (or of the one notebook at `notebook_path`)."""
        if self.process.poll() is not None:
            return
        for session in self.api("sessions"):
            if notebook_path is None or session.get("path") == notebook_path:
                self.api(f"sessions/{session['id']}", method="DELETE", timeout=30.0)

    def stop(self) -> None:
        """Shut down the kernels, then the server; kill the server's process group if it lingers."""
        try:
            self.shutdown_sessions()
        except (OSError, urllib.error.URLError, ValueError):
            pass
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait(timeout=15)


def start_lab(notebooks: Path, workdir: Path) -> LabServer:
    """Copy `notebooks` into `workdir` and start JupyterLab on that copy.

    Everything Jupyter reads or writes lives under `workdir`: config, data and runtime folders, user
    settings, workspaces, the settings overrides and a ``python3`` kernelspec running ``sys.executable``
    (so the kernel is this virtualenv's ipykernel whatever ``python`` is on PATH). ``MPLBACKEND`` is
    removed from the environment so matplotlib uses the inline backend in the kernel.
    """
    source_digests = file_digests(notebooks)
    root_dir = workdir / "notebooks"
    shutil.copytree(notebooks, root_dir, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    jupyter_path = workdir / "jupyter_path"
    _write_json(
        jupyter_path / "kernels" / "python3" / "kernel.json",
        {
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "metadata": {"debugger": False},
        },
    )
    app_settings = workdir / "app_settings"
    _write_json(app_settings / "overrides.json", _lab_overrides())

    env = {k: v for k, v in os.environ.items() if k not in {"MPLBACKEND", "JUPYTER_PATH"}}
    env.update(
        JUPYTER_CONFIG_DIR=str(workdir / "config"),
        JUPYTER_DATA_DIR=str(workdir / "data"),
        JUPYTER_RUNTIME_DIR=str(workdir / "runtime"),
        JUPYTER_PATH=str(jupyter_path),
        IPYTHONDIR=str(workdir / "ipython"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    )
    last_error = ""
    for _attempt in range(3):  # another process may take the free port between probe and bind
        port, token = free_port(), secrets.token_hex(24)
        log_path = workdir / f"lab-{port}.log"
        command = [
            sys.executable, "-m", "jupyterlab",
            "--no-browser",
            f"--port={port}",
            "--port-retries=0",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root_dir}",
            "--ServerApp.terminals_enabled=False",
            "--LabApp.expose_app_in_browser=True",
            f"--LabApp.app_settings_dir={app_settings}",
            f"--LabApp.user_settings_dir={workdir / 'user_settings'}",
            f"--LabApp.workspaces_dir={workdir / 'workspaces'}",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                command, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
        server = LabServer(process, port, token, root_dir, log_path, notebooks, source_digests)
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            try:
                server.api("")
                return server
            except (OSError, urllib.error.URLError, ValueError):
                time.sleep(0.25)
        last_error = server.log_tail()
        server.stop()
    raise RuntimeError(f"JupyterLab did not answer on /api; its log ends with:\n{last_error}")


@dataclass
class VoilaServer:
    """A running ``voila`` process serving one notebook as a web app (``make app``); stop it with `stop()`."""

    process: subprocess.Popen
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass


def start_voila(notebook: Path, workdir: Path) -> VoilaServer:
    """Copy `notebook` into `workdir` and serve it with Voila on 127.0.0.1, as ``make app`` does."""
    copy = workdir / notebook.name
    shutil.copy(notebook, copy)
    voila = Path(sys.executable).with_name("voila")
    env = {k: v for k, v in os.environ.items() if k not in {"MPLBACKEND", "JUPYTER_PATH"}}
    env.update(OPENBLAS_NUM_THREADS="1", JUPYTER_CONFIG_DIR=str(workdir / "config"),
               JUPYTER_DATA_DIR=str(workdir / "data"), JUPYTER_RUNTIME_DIR=str(workdir / "runtime"))
    last_error = ""
    for _attempt in range(3):
        port = free_port()
        log_path = workdir / f"voila-{port}.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [str(voila), str(copy), "--no-browser", "--Voila.ip=127.0.0.1", f"--port={port}"],
                cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        server = VoilaServer(process, port, log_path)
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(server.url, timeout=60) as response:
                    if response.status == 200:
                        return server
            except (OSError, urllib.error.URLError):
                time.sleep(0.5)
        last_error = log_path.read_text(errors="replace")[-3000:]
        server.stop()
    raise RuntimeError(f"Voila did not answer; its log ends with:\n{last_error}")


def screenshot_path(folder: str, name: str) -> Path:
    """``build/screenshots/<folder>/<name>.png`` (the folder made if needed)."""
    target = SCREENSHOT_DIR / folder
    target.mkdir(parents=True, exist_ok=True)
    return target / f"{name}.png"


# --------------------------------------------------------------------------------------------------------
# One notebook in the browser

_OPEN_JS = r"""
async (path) => { await window.jupyterapp.commands.execute('docmanager:open', {path}); }
"""

_CLOSE_JS = r"""
() => { const g = window.__ganmath; if (g && !g.panel.isDisposed) g.panel.dispose(); window.__ganmath = null; }
"""

# Installed for each notebook: finds the notebook's panel and records every kernel message that matters.
_MONITOR_JS = r"""
async (path) => {
  const app = window.jupyterapp;
  const deadline = Date.now() + 60000;
  let panel;
  while (!(panel = Array.from(app.shell.widgets('main')).find(w => w.context && w.context.path === path))) {
    if (Date.now() > deadline) throw new Error('no notebook panel for ' + path);
    await new Promise(r => setTimeout(r, 100));
  }
  await panel.context.ready;
  const g = {panel, path, errors: [], stderr: [], status: 'unknown', last: Date.now(), runAll: null};
  window.__ganmath = g;
  panel.sessionContext.iopubMessage.connect((_, msg) => {
    g.last = Date.now();
    const type = msg.header.msg_type;
    if (type === 'status') g.status = msg.content.execution_state;
    else if (type === 'error') {
      g.errors.push(`${msg.content.ename}: ${msg.content.evalue}\n` + (msg.content.traceback || []).join('\n'));
    } else if (type === 'stream' && msg.content.name === 'stderr') {
      g.stderr.push(msg.content.text);
    }
  });
  app.shell.activateById(panel.id);
  return panel.id;
}
"""

_KERNEL_STATE_JS = r"""
() => {
  const g = window.__ganmath, ctx = g.panel.sessionContext;
  const kernel = ctx.session && ctx.session.kernel;
  return {
    kernel: kernel ? kernel.status : null,
    connection: kernel ? kernel.connectionStatus : null,
    dialog: document.querySelectorAll('.jp-Dialog').length,
    quietMs: Date.now() - g.last,
    status: g.status,
  };
}
"""

_RUN_ALL_JS = r"""
() => {
  const g = window.__ganmath, app = window.jupyterapp;
  app.shell.activateById(g.panel.id);
  g.runAll = 'running';
  app.commands.execute('notebook:run-all-cells').then(
    ok => { g.runAll = 'done'; }, err => { g.runAll = 'failed: ' + err; });
}
"""

_EXECUTION_STATE_JS = r"""
() => {
  const g = window.__ganmath;
  const prompts = Array.from(g.panel.node.querySelectorAll('.jp-InputPrompt')).map(p => p.textContent);
  return {runAll: g.runAll, busyPrompts: prompts.filter(t => t.includes('*')).length,
          status: g.status, quietMs: Date.now() - g.last};
}
"""

# Errors from three independent places: the notebook model's error outputs, the kernel's error messages
# (including those raised in widget callbacks, which no cell shows), and rendered stderr in the page.
_ERRORS_JS = r"""
() => {
  const g = window.__ganmath, found = [];
  const cells = g.panel.content.model.cells;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type !== 'code') continue;
    for (const out of cell.toJSON().outputs || []) {
      if (out.output_type === 'error') {
        found.push(`cell ${i}: ${out.ename}: ${out.evalue}\n` + (out.traceback || []).join('\n'));
      }
    }
  }
  // A kernel error message repeats a cell's error output: report it only when no cell shows it.
  for (const e of g.errors) {
    const head = e.split('\n')[0];
    if (!found.some(f => f.split('\n')[0].endsWith(': ' + head))) found.push('kernel error message: ' + e);
  }
  // A widget the page could not render (no model, a broken view) is shown as text in its place.
  for (const area of g.panel.content.node.querySelectorAll('.jp-Cell-outputArea')) {
    const text = area.textContent;
    const match = text.match(/Error (displaying|rendering) widget[^\n]*/);
    if (match) found.push('widget not rendered: ' + match[0]);
  }
  // The page is the last line of defence: rendered tracebacks count when nothing above explains them.
  const stderr = g.panel.node.querySelectorAll(
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
  for (const node of stderr) {
    const text = node.textContent;
    if (found.length === 0 && /Traceback|^\s*\w*(Error|Exception)\b.*$/m.test(text)) {
      found.push('rendered error: ' + text);
    }
  }
  return found;
}
"""

# A fingerprint of every picture in a scope: output images (src), inline SVG (markup) and canvases
# (pixels), hashed in the page so large data URLs stay there.
_PICTURES_JS = r"""
async (scope) => {
  const g = window.__ganmath;
  const root = scope === null ? g.panel.content.node
             : g.panel.content.node.querySelectorAll('.jp-Cell')[scope];
  let h1 = 0xdeadbeef, h2 = 0x41c6ce57, count = 0;
  const mix = (code) => { h1 = Math.imul(h1 ^ code, 2654435761); h2 = Math.imul(h2 ^ code, 1597334677); };
  const add = (text) => { count += 1; for (let i = 0; i < text.length; i++) mix(text.charCodeAt(i)); mix(10); };
  for (const area of root.querySelectorAll('.jp-Cell-outputArea')) {
    for (const img of area.querySelectorAll('img')) {
      if (img.src.startsWith('blob:')) {
        // An Image widget gets a new blob URL at every update, even for the same bytes: hash the bytes.
        try {
          const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
          add('blob:');
          for (const b of bytes) mix(b);
        } catch (e) { add('blob:unreadable'); }
      } else {
        add('img:' + img.src);
      }
    }
    for (const svg of area.querySelectorAll('svg')) {
      if (!svg.parentElement.closest('svg') && svg.getBoundingClientRect().width > 40) add('svg:' + svg.outerHTML);
    }
    for (const canvas of area.querySelectorAll('canvas')) {
      try { add('canvas:' + canvas.toDataURL()); } catch (e) { add('canvas:tainted'); }
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const hex = (v) => (v >>> 0).toString(16).padStart(8, '0');
  return {count, hash: hex(h2) + hex(h1)};
}
"""

_SLIDER_CELLS_JS = r"""
() => {
  const cells = Array.from(window.__ganmath.panel.content.node.querySelectorAll('.jp-Cell'));
  return cells.map((cell, i) => [i, cell.querySelectorAll('.widget-slider .noUi-handle').length])
              .filter(([i, n]) => n > 0);
}
"""

# Widget views still showing the placeholder: their model never arrived (or has not arrived yet).
_PENDING_WIDGETS_JS = r"""
() => Array.from(window.__ganmath.panel.content.node.querySelectorAll('.jp-Cell')).flatMap((cell, i) =>
  Array.from(cell.querySelectorAll('.jp-OutputArea-output'))
       .filter(out => out.textContent.trim().startsWith('Loading widget'))
       .map(out => i))
"""

# Where the first picture and the first assert are, and which outputs print "nan" or a traceback.
_LAYOUT_JS = r"""
() => {
  const g = window.__ganmath;
  const cells = Array.from(g.panel.content.node.querySelectorAll('.jp-Cell'));
  const model = g.panel.content.model.cells;
  let firstPicture = null, firstAssert = null;
  const nan = [], tracebacks = [];
  cells.forEach((cell, i) => {
    const area = cell.querySelector('.jp-Cell-outputArea');
    if (firstPicture === null && area && area.querySelector('img, canvas, .widget-slider')) firstPicture = i;
    const m = model.get(i);
    const source = m.sharedModel ? m.sharedModel.getSource() : '';
    if (firstAssert === null && m.type === 'code' && /^\s*(assert\b|np\.testing\.assert)/m.test(source)) firstAssert = i;
    if (area) {
      const text = area.textContent;
      if (/\bnan\b/i.test(text)) nan.push(i);
      if (/Traceback \(most recent call last\)/.test(text)) tracebacks.push(i);
    }
  });
  return {firstPicture, firstAssert, nan, tracebacks};
}
"""

# The cell that holds the trainer's iteration counter.
_COUNTER_CELL_JS = r"""
() => Array.from(window.__ganmath.panel.content.node.querySelectorAll('.jp-Cell'))
          .findIndex(cell => cell.querySelector('.ganmath-iteration') !== null)
"""

_BUTTON_LABELS_JS = r"""
() => Array.from(window.__ganmath.panel.content.node.querySelectorAll('.jp-Cell-outputArea button'))
          .map(b => b.textContent.trim()).filter(t => t)
"""


@dataclass
class Pictures:
    """Fingerprint of the pictures in a scope (a cell or the whole notebook)."""

    count: int
    hash: str


@dataclass
class SliderMove:
    """What happened when one slider was moved."""

    cell: int
    index: int
    value_before: str | None
    value_after: str | None
    pictures_before: Pictures
    pictures_after: Pictures
    scope: int | None

    @property
    def moved(self) -> bool:
        return self.value_before != self.value_after

    @property
    def picture_changed(self) -> bool:
        return self.pictures_after.count > 0 and self.pictures_after != self.pictures_before


class LabWindow:
    """One JupyterLab page, reused for every notebook: loading JupyterLab itself takes seconds.

    `page()` returns the page, opening (or reopening, after a crash or a failed clean-up) JupyterLab
    in an empty workspace when needed.
    """

    def __init__(self, context, server: LabServer):
        self.context = context
        self.server = server
        self._page = None

    def page(self):
        if self._page is None or self._page.is_closed():
            page = self.context.new_page()
            page.set_default_timeout(30_000)
            page.goto(self.server.url("lab/workspaces/ganmath-test", reset=""))
            page.wait_for_function("() => window.jupyterapp && window.jupyterapp.started", timeout=60_000)
            page.evaluate("() => window.jupyterapp.started")
            self._page = page
        return self._page

    def discard(self) -> None:
        """Close the page; the next `page()` loads JupyterLab afresh."""
        if self._page is not None and not self._page.is_closed():
            self._page.close()
        self._page = None


@dataclass(repr=False)
class NotebookPage:
    """One notebook opened in JupyterLab in a playwright page."""

    page: object
    server: LabServer
    path: str
    screenshots: Path
    log: list[str] = field(default_factory=list)
    panel_id: str = ""

    def __repr__(self) -> str:
        return f"<notebook {self.path} in the browser>"

    # -- opening and running ------------------------------------------------------------------------

    def open(self) -> None:
        """Open the notebook in the JupyterLab page and wait until its kernel is idle."""
        start = time.monotonic()
        self.page.evaluate(_OPEN_JS, self.path)
        self.panel_id = self.page.evaluate(_MONITOR_JS, self.path)
        opened = time.monotonic()
        self.wait_kernel_idle()
        self.log.append(f"open: notebook {opened - start:.1f} s, kernel {time.monotonic() - opened:.1f} s")

    def close(self) -> None:
        """Close the notebook's tab without saving (its kernel is shut down through the server)."""
        self.page.evaluate(_CLOSE_JS)

    def accept_dialog(self) -> None:
        """Accept the dialog on screen (the kernel selector); any other dialog is an error."""
        dialog = self.page.locator(".jp-Dialog").first
        text = " ".join(dialog.inner_text().split())
        accept = dialog.locator(".jp-mod-accept")
        if not accept.count() or "kernel" not in text.lower():
            raise RuntimeError(f"unexpected dialog over {self.path}: {text!r}")
        accept.first.click()
        dialog.wait_for(state="detached", timeout=10_000)
        self.log.append(f"accepted the dialog {text!r}")

    def kernel_state(self) -> dict:
        return self.page.evaluate(_KERNEL_STATE_JS)

    def wait_kernel_idle(self, timeout: float = KERNEL_START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while True:
            state = self.kernel_state()
            if state["dialog"]:
                self.accept_dialog()
            elif state["kernel"] == "idle" and state["connection"] == "connected":
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"kernel of {self.path} not idle after {timeout:.0f} s: {state}")
            time.sleep(0.1)

    def run_all(self, timeout: float = RUN_ALL_TIMEOUT) -> float:
        """Run all cells; wait until no prompt shows ``[*]`` and the kernel is quiet. Returns seconds."""
        start = time.monotonic()
        self.page.evaluate(_RUN_ALL_JS)
        while True:
            state = self.page.evaluate(_EXECUTION_STATE_JS)
            if (state["runAll"] != "running" and state["busyPrompts"] == 0 and state["status"] == "idle"
                    and state["quietMs"] > QUIET_SECONDS * 1000):
                if state["runAll"] != "done":
                    raise RuntimeError(f"run all cells of {self.path}: {state['runAll']}")
                return time.monotonic() - start
            if time.monotonic() - start > timeout:
                raise TimeoutError(f"{self.path} still executing after {timeout:.0f} s: {state}")
            if self.kernel_state()["dialog"]:
                self.accept_dialog()
            time.sleep(0.1)

    def wait_quiet(self, timeout: float = UPDATE_TIMEOUT, required: bool = True) -> bool:
        """Wait until the kernel is idle and has sent nothing for `QUIET_SECONDS`.

        Returns whether it went quiet; after `timeout` seconds raises TimeoutError if `required`.
        """
        deadline = time.monotonic() + timeout
        while True:
            state = self.page.evaluate(_EXECUTION_STATE_JS)
            if state["status"] == "idle" and state["quietMs"] > QUIET_SECONDS * 1000:
                return True
            if time.monotonic() > deadline:
                if required:
                    raise TimeoutError(f"kernel of {self.path} not quiet after {timeout:.0f} s: {state}")
                return False
            time.sleep(0.1)

    # -- reading the page ---------------------------------------------------------------------------

    def wait_widgets_rendered(self, timeout: float = 15.0) -> list[int]:
        """Wait until no widget shows "Loading widget..."; return the cells where some still do."""
        deadline = time.monotonic() + timeout
        while True:
            pending = self.page.evaluate(_PENDING_WIDGETS_JS)
            if not pending or time.monotonic() > deadline:
                return pending
            time.sleep(0.1)

    def errors(self) -> list[str]:
        """Every error the notebook produced so far, each with its message (empty list: none)."""
        return [_strip_ansi(e) for e in self.page.evaluate(_ERRORS_JS)]

    def stderr_text(self) -> str:
        """Everything the kernel wrote to stderr (warnings, progress bars) since the notebook opened."""
        return _strip_ansi("".join(self.page.evaluate("() => window.__ganmath.stderr")))

    def pictures(self, cell: int | None = None) -> Pictures:
        """Fingerprint of the output pictures of one cell (by index) or of the whole notebook (None)."""
        return Pictures(**self.page.evaluate(_PICTURES_JS, cell))

    def wait_pictures_change(self, before: Pictures, cell: int | None,
                             timeout: float = UPDATE_TIMEOUT) -> Pictures:
        """Wait until the pictures differ from `before`, or the kernel has gone quiet without a change."""
        start = time.monotonic()
        while True:
            now = self.pictures(cell)
            if now.count and now != before:
                return now
            state = self.page.evaluate(_EXECUTION_STATE_JS)
            quiet = state["status"] == "idle" and state["quietMs"] > QUIET_SECONDS * 1000
            elapsed = time.monotonic() - start
            if (quiet and elapsed > 2 * QUIET_SECONDS) or elapsed > timeout:
                return now
            time.sleep(0.1)

    def cell(self, index: int):
        return self.notebook_locator(".jp-Cell").nth(index)

    def notebook_locator(self, selector: str):
        """Elements matching `selector` inside this notebook's panel only."""
        return self.page.locator(f"#{self.panel_id}").locator(selector)

    def screenshot(self, name: str, cell: int | None = None) -> Path:
        self.screenshots.mkdir(parents=True, exist_ok=True)
        target = self.screenshots / f"{name}.png"
        if cell is None:
            self.page.screenshot(path=str(target))
        else:
            self.cell(cell).screenshot(path=str(target))
        return target

    # -- sliders ------------------------------------------------------------------------------------

    def slider_cells(self, settle: float = 0.5, timeout: float = 15.0) -> list[tuple[int, int]]:
        """(cell index, number of slider handles) for every cell whose output holds sliders.

        Widget views render after the kernel has answered: wait until the list has been the same for
        `settle` seconds and is not empty, or `timeout` seconds have passed.
        """
        deadline = time.monotonic() + timeout
        found, since = None, time.monotonic()
        while True:
            now = [tuple(pair) for pair in self.page.evaluate(_SLIDER_CELLS_JS)]
            if now != found:
                found, since = now, time.monotonic()
            elif found and time.monotonic() - since >= settle:
                return found
            if time.monotonic() > deadline:
                return found
            time.sleep(0.1)

    def move_slider(self, cell: int, index: int, name: str | None = None) -> SliderMove | None:
        """Drag slider handle `index` of `cell` with the mouse (arrow keys if the drag did not move it).

        The handle moves towards the larger end unless it already sits there. Pictures are compared in
        the slider's own cell, or in the whole notebook when that cell shows none. A hidden slider is
        not moved (returns None).
        """
        handle = self.cell(cell).locator(".widget-slider .noUi-handle").nth(index)
        if not handle.is_visible():  # e.g. in a tab that is not selected
            self.log.append(f"slider {index} of cell {cell}: hidden, not moved")
            return None
        scope = cell if self.pictures(cell).count else None
        pictures_before = self.pictures(scope)
        if name:
            self.screenshot(f"{name}-before", cell)
        value_before = handle.get_attribute("aria-valuenow")
        at_max = value_before is not None and value_before == handle.get_attribute("aria-valuemax")
        direction = -1 if at_max else 1
        handle.scroll_into_view_if_needed()
        box = handle.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        self.page.mouse.move(x, y)
        self.page.mouse.down()
        self.page.mouse.move(x + direction * 40, y, steps=5)
        self.page.mouse.up()
        if handle.get_attribute("aria-valuenow") == value_before:
            handle.focus()
            for _ in range(5):
                handle.press("ArrowLeft" if at_max else "ArrowRight")
        value_after = handle.get_attribute("aria-valuenow")
        pictures_after = self.wait_pictures_change(pictures_before, scope)
        if name:
            self.screenshot(f"{name}-after", cell)
        move = SliderMove(cell, index, value_before, value_after, pictures_before, pictures_after, scope)
        self.log.append(
            f"slider {index} of cell {cell}: {value_before} -> {value_after}, "
            f"picture {'changed' if move.picture_changed else 'unchanged'}"
            f" ({'cell' if scope is not None else 'notebook'} scope)"
        )
        return move

    def layout(self) -> dict:
        """``firstPicture`` and ``firstAssert`` (cell indices or None), and the cells whose outputs print
        "nan" (``nan``) or a traceback (``tracebacks``)."""
        return self.page.evaluate(_LAYOUT_JS)

    def visible_slider_indices(self, cell: int) -> list[int]:
        handles = self.cell(cell).locator(".widget-slider .noUi-handle")
        return [i for i in range(handles.count()) if handles.nth(i).is_visible()]

    # -- buttons and the iteration counter ----------------------------------------------------------

    def counter_cell(self) -> int:
        """The index of the cell that shows the trainer's iteration counter (-1 if none)."""
        return self.page.evaluate(_COUNTER_CELL_JS)

    def button_labels(self) -> list[str]:
        return self.page.evaluate(_BUTTON_LABELS_JS)

    def button(self, label: str):
        """The first output-area button whose text is `label`, ignoring case and surrounding space."""
        pattern = re.compile(rf"^\s*{re.escape(label)}\s*$", re.IGNORECASE)
        return self.notebook_locator(".jp-Cell-outputArea button").filter(has_text=pattern).first

    def has_button(self, label: str) -> bool:
        pattern = re.compile(rf"^\s*{re.escape(label)}\s*$", re.IGNORECASE)
        return self.notebook_locator(".jp-Cell-outputArea button").filter(has_text=pattern).count() > 0

    def press(self, label: str) -> None:
        button = self.button(label)
        button.scroll_into_view_if_needed()
        button.click()
        self.log.append(f"pressed {label!r}")

    def counter_text(self) -> str:
        counter = self.notebook_locator(".jp-Cell-outputArea .ganmath-iteration").first
        return counter.inner_text(timeout=10_000)

    def iteration(self) -> int:
        """The iteration number: the first integer in the text of the ``ganmath-iteration`` widget."""
        text = self.counter_text()
        match = re.search(r"\d+", text)
        if match is None:
            raise AssertionError(f"the iteration counter shows no number: {text!r}")
        return int(match.group())


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)
