"""A bad value for one of spacecrawl's numbers or switches (``-s SPACECRAWL_LISTING_DEPTH=two``, or
the environment) is a one-line usage error before anything starts, instead of a traceback from the
component that reads it halfway into a crawl.

How each setting is read is its annotation in crawler/settings.py: ``int``, ``float`` or ``bool``,
with ``| str`` where the environment gives it and ``| None`` where it may be unset.
"""

from __future__ import annotations

import typing

from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings

from crawler import settings as defaults

READERS = {bool: ("getbool", "a switch (1/0, true/false)"), int: ("getint", "a whole number"),
           float: ("getfloat", "a number")}


def read_as(annotation: object) -> type | None:
    """The kind of value a setting annotated ``annotation`` is read as, if it is a number or a switch."""
    for kind in (annotation, *typing.get_args(annotation)):
        if kind in READERS:
            return kind  # type: ignore[return-value]
    return None


def check_settings(settings: BaseSettings) -> None:
    """Raise UsageError naming the first SPACECRAWL_* number or switch whose value does not read as one."""
    for name, annotation in typing.get_type_hints(defaults).items():
        kind = read_as(annotation)
        if not name.startswith("SPACECRAWL_") or kind is None or settings.get(name) in (None, ""):
            continue
        method, what = READERS[kind]
        try:
            getattr(settings, method)(name)
        except ValueError:
            raise UsageError(f"{name}={settings.get(name)!r} is not {what}", print_help=False) from None
