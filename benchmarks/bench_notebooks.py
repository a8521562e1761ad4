"""Run All of every notebook, timed: ``jupyter nbconvert --to notebook --execute`` on a copy, kernel start included,
on one core (``taskset`` where there is one) with one BLAS thread, as the README's table states it.

Usage: ``python benchmarks/bench_notebooks.py [NAME ...]`` (names or prefixes such as ``06``; all by default).
The last line printed is one JSON object: ``{"run_all_seconds": {"<notebook>": seconds, ...}, "target": 30}``.
Run it by hand on a quiet machine; the numbers go in the README's table.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
TARGET_SECONDS = 30


def run_all(path: Path, workdir: Path) -> float:
    """Seconds of one Run All of ``path`` (executed as a copy in ``workdir``, so the committed file is untouched)."""
    copy = workdir / path.name
    shutil.copy(path, copy)
    command = [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace",
               "--ExecutePreprocessor.timeout=600", str(copy)]
    if shutil.which("taskset"):
        command = ["taskset", "-c", "0", *command]
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    start = time.perf_counter()
    completed = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if completed.returncode != 0:
        raise RuntimeError(f"{path.name} failed:\n{completed.stderr[-2000:]}")
    return seconds


def main(argv=None) -> int:
    names = sys.argv[1:] if argv is None else argv
    paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    if names:
        paths = [p for p in paths if any(p.name.startswith(n) for n in names)]
    seconds = {}
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            seconds[path.stem] = round(run_all(path, Path(tmp)), 1)
            flag = "" if seconds[path.stem] <= TARGET_SECONDS else f"  over the {TARGET_SECONDS} s target"
            print(f"{path.stem:32s} {seconds[path.stem]:6.1f} s{flag}", flush=True)
    print(json.dumps({"run_all_seconds": seconds, "target": TARGET_SECONDS}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
