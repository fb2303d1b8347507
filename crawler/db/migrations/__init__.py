"""The Alembic migrations (env.py, versions/), a package so that an egg (Scrapyd) carries them.

Alembic reads its scripts from a directory; inside a zipped egg there is none, so
``script_directory()`` copies them out once per process.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path


@cache
def script_directory() -> Path:
    """A real directory holding env.py and versions/: this package's own, or a copy of it."""
    package = resources.files(__name__)
    if isinstance(package, Path) and package.is_dir():
        return package
    copy = Path(tempfile.mkdtemp(prefix="spacecrawl-migrations-"))
    atexit.register(shutil.rmtree, copy, ignore_errors=True)
    _copy_tree(package, copy)
    return copy


def _copy_tree(source: Traversable, target: Path) -> None:
    for entry in source.iterdir():
        if entry.is_dir():
            if entry.name != "__pycache__":
                (target / entry.name).mkdir()
                _copy_tree(entry, target / entry.name)
        elif entry.name.endswith((".py", ".mako")):
            (target / entry.name).write_bytes(entry.read_bytes())
