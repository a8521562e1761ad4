"""Shared set-up: tests mirror the package (core/, nn/, gan/, experiments/, ui/); their helpers live in
``tests/support`` (central differences, mpmath references, Hypothesis strategies, the JupyterLab server for the
browser test), importable as ``support.*`` because pytest puts this folder on the path for its conftest.

Two tiers, selected in pyproject.toml as numpy and scipy select theirs:

* the default (``make test``, minutes): every unit, property and reference-value test of the theory kit, the
  layers' gradient checks and the parity checks, population against single run, every stored training record
  checked (its summary recomputed from its per-seed lines, its claims asserted with a margin, its fingerprint
  retrained: a few seeds' first steps, bit for bit under the arithmetic it names), short retrains, nbval over every
  notebook;
* the full tier (``make test-full``, ``-m ""``): also the tests marked ``slow`` (every claim retrained over its 32
  seeds, as drawn and one ulp away, the paper's slow cells, a whole DCGAN run) and ``browser``
  (JupyterLab and Voila in headless Chromium).
"""
