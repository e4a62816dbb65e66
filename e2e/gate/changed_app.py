"""A pytest plugin for a mutant of the app's server: the suite runs the reference app from a changed copy.

    E2E_APP_PACKAGE=<folder holding a media_app/> python -m pytest -p e2e.gate.changed_app e2e

`-p` plugins load before any conftest, so this import of `media_app` comes first and every later one (the
suite's fixtures, the AppServer they start, its CSP and profiles) gets the copy: its Python and its pages.
A slip in the pages alone needs none of this: `--app-dir` serves a changed copy of them.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

PACKAGE_ENV = "E2E_APP_PACKAGE"


def load_copy(folder: Path) -> None:
    """Import `media_app` from `folder`; RuntimeError when another media_app was imported already."""
    wanted = (folder / "media_app").resolve()
    sys.path.insert(0, str(folder))
    try:
        package = importlib.import_module("media_app")
    finally:
        sys.path.remove(str(folder))
    # Later submodule imports resolve through the package's own __path__: the copy, with no sys.path entry.
    if Path(package.__file__ or "").resolve().parent != wanted:
        raise RuntimeError(f"media_app came from {package.__file__}, not {wanted}: load this plugin first")


if os.environ.get(PACKAGE_ENV):
    load_copy(Path(os.environ[PACKAGE_ENV]))
