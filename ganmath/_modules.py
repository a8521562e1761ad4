"""A package's modules as its attributes, imported on first use.

``gm.experiments.figure1`` or ``gm.core.vanishing`` then work after ``import ganmath as gm`` alone, and a package
loads a module (and what it imports: matplotlib, ipywidgets, scikit-learn) only when it is first used.
"""

from __future__ import annotations

import importlib
import importlib.util

__all__ = ["lazy_modules"]


def lazy_modules(package: str):
    """The module-level ``__getattr__`` of the package ``package``: ``package.name`` imports the module
    ``package.name`` on first use; any other name raises AttributeError, as for a missing attribute."""

    def __getattr__(name: str):
        if not name.startswith("_") and importlib.util.find_spec(f"{package}.{name}") is not None:
            return importlib.import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
