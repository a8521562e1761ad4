"""Shared set-up: tests mirror the package (core/, nn/, gan/, experiments/, ui/); their helpers live in
``tests/support`` (central differences, mpmath references, Hypothesis strategies, the JupyterLab server for the
browser test), importable as ``support.*`` because pytest puts this folder on the path for its conftest."""
