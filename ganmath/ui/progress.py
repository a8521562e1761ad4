"""Progress of long runs: an ipywidgets bar in a notebook, a one-line text bar on a terminal, or nothing.

``progress_bar(total, mode="auto")`` returns an object with ``update(n=1)`` and ``close()``, usable as a
context manager and as a training callback::

    with progress_bar(3000) as bar:
        gan.train(3000, callback=bar)
 ``mode``:

``"auto"``
    A widget bar inside a Jupyter kernel, a text bar on stderr otherwise.
``"notebook"``, ``"text"``, ``"silent"``
    Forced choices (``"silent"``, ``False`` or ``None`` show nothing).

Redraws are limited to about ten per second, so updating every iteration costs well under a
microsecond on average.
"""

from __future__ import annotations

import sys
import time

__all__ = ["progress_bar", "in_notebook", "TextProgress", "NotebookProgress", "SilentProgress"]

_MODES = ("auto", "notebook", "text", "silent")
_REDRAW_SECONDS = 0.1


def in_notebook() -> bool:
    """True inside a Jupyter kernel (an IPython shell connected to a kernel app)."""
    IPython = sys.modules.get("IPython")
    if IPython is None:  # a kernel has always imported IPython already
        return False
    shell = IPython.get_ipython()
    if shell is None:
        return False
    return "IPKernelApp" in getattr(shell, "config", {}) or type(shell).__name__ == "ZMQInteractiveShell"


class SilentProgress:
    """Shows nothing."""

    def __init__(self, total: int = 0, description: str = ""):
        self.total, self.count = total, 0

    def update(self, n: int = 1):
        self.count += n

    def __call__(self, *_):
        """Advance by one: a bar is itself a training callback, ``gan.train(n, callback=bar)``."""
        self.update()

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class TextProgress(SilentProgress):
    """A one-line bar redrawn in place on a stream (stderr by default) with a carriage return."""

    width = 30

    def __init__(self, total: int, description: str = "", stream=None):
        super().__init__(total, description)
        self.description = description
        self.stream = sys.stderr if stream is None else stream
        self._start = self._last = time.monotonic()
        self._draw()

    def _draw(self):
        done = self.count / self.total if self.total else 1.0
        filled = int(round(self.width * done))
        elapsed = time.monotonic() - self._start
        bar = "#" * filled + "-" * (self.width - filled)
        label = f"{self.description} " if self.description else ""
        self.stream.write(f"\r{label}[{bar}] {self.count}/{self.total} {elapsed:.1f}s")
        self.stream.flush()

    def update(self, n: int = 1):
        self.count += n
        now = time.monotonic()
        if now - self._last >= _REDRAW_SECONDS or self.count >= self.total:
            self._last = now
            self._draw()

    def close(self):
        self._draw()
        self.stream.write("\n")
        self.stream.flush()


class NotebookProgress(SilentProgress):
    """An ``ipywidgets.IntProgress`` bar with a label, displayed in the notebook's output."""

    def __init__(self, total: int, description: str = ""):
        super().__init__(total, description)
        import ipywidgets
        from IPython.display import display

        self.bar = ipywidgets.IntProgress(value=0, min=0, max=max(total, 1), description=description)
        self.label = ipywidgets.Label(f"0/{total}")
        self.widget = ipywidgets.HBox([self.bar, self.label])
        display(self.widget)
        self._last = time.monotonic()

    def update(self, n: int = 1):
        self.count += n
        now = time.monotonic()
        if now - self._last >= _REDRAW_SECONDS or self.count >= self.total:
            self._last = now
            self.bar.value = min(self.count, self.bar.max)
            self.label.value = f"{self.count}/{self.total}"

    def close(self):
        self.bar.value = min(self.count, self.bar.max)
        self.label.value = f"{self.count}/{self.total}"
        self.bar.bar_style = "success"


def progress_bar(total: int, mode="auto", description: str = ""):
    """A progress display for ``total`` steps.

    Parameters
    ----------
    total : int
    mode : {"auto", "notebook", "text", "silent"} or bool or None
        ``True`` means ``"auto"``; ``False`` and ``None`` mean ``"silent"``.
    description : str
        A short label shown before the bar.
    """
    if mode is True:
        mode = "auto"
    elif mode is False or mode is None:
        mode = "silent"
    if mode not in _MODES:
        raise ValueError(f"progress must be one of {_MODES}, True, False or None, got progress={mode!r}")
    if mode == "auto":
        mode = "notebook" if in_notebook() else "text"
    if mode == "notebook":
        return NotebookProgress(total, description)
    if mode == "text":
        return TextProgress(total, description)
    return SilentProgress(total, description)
