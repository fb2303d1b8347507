"""A bad value for one of spacecrawl's numbers, switches or dates (``-s SPACECRAWL_LISTING_DEPTH=two``,
or the environment) is a one-line usage error before anything starts, instead of a traceback from the
component that reads it halfway into a crawl; so is a listing depth that Scrapy's DEPTH_LIMIT would cut,
a database URL that does not parse, and a bad value for the Scrapy settings people set with ``-s``
(SCRAPY_SETTINGS: a number out of range, a JOBDIR that cannot be made).

How each setting is read is its annotation in crawler/settings.py: ``int``, ``float``, ``bool`` or
``datetime`` (ISO 8601 text), with ``| str`` where it is given as text and ``| None`` where it may be unset.
"""

from __future__ import annotations

import logging
import typing
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import redis
from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings

from crawler import settings as defaults
from crawler.db.engine import StoreUnavailable, parse_url
from crawler.middlewares.revisit import revisit_ages

READERS: dict[type, tuple[Callable[[BaseSettings, str], object], str]] = {
    bool: (BaseSettings.getbool, "a switch (1/0, true/false)"),
    int: (BaseSettings.getint, "a whole number"),
    float: (BaseSettings.getfloat, "a number"),
    datetime: (lambda settings, name: datetime.fromisoformat(settings.get(name)), "an ISO 8601 date"),
}


# Scrapy's settings that people set on the command line, how each is read, and its least value.
SCRAPY_SETTINGS: dict[str, tuple[type, float]] = {
    "DOWNLOAD_DELAY": (float, 0), "DOWNLOAD_TIMEOUT": (float, 0.001), "RANDOMIZE_DOWNLOAD_DELAY": (bool, 0),
    "CONCURRENT_REQUESTS": (int, 1), "CONCURRENT_REQUESTS_PER_DOMAIN": (int, 1), "CONCURRENT_ITEMS": (int, 1),
    "RETRY_TIMES": (int, 0), "RETRY_ENABLED": (bool, 0), "DEPTH_LIMIT": (int, 0), "DOWNLOAD_MAXSIZE": (int, 0),
    "CLOSESPIDER_ITEMCOUNT": (int, 0), "CLOSESPIDER_PAGECOUNT": (int, 0), "CLOSESPIDER_TIMEOUT": (float, 0),
    "CLOSESPIDER_ERRORCOUNT": (int, 0), "AUTOTHROTTLE_ENABLED": (bool, 0), "AUTOTHROTTLE_START_DELAY": (float, 0),
    "AUTOTHROTTLE_MAX_DELAY": (float, 0), "AUTOTHROTTLE_TARGET_CONCURRENCY": (float, 0.001),
    "HTTPCACHE_ENABLED": (bool, 0), "HTTPCACHE_EXPIRATION_SECS": (int, 0), "ROBOTSTXT_OBEY": (bool, 0),
}


def read_as(annotation: object) -> type | None:
    """The kind of value a setting annotated ``annotation`` is read as, if it is one that can be checked."""
    for kind in (annotation, *typing.get_args(annotation)):
        if kind in READERS:
            return kind  # type: ignore[return-value]
    return None


def check_log_level(settings: BaseSettings) -> None:
    """UsageError for a LOG_LEVEL that is not one (checked before Scrapy sets up logging with it)."""
    if settings.get("LOG_LEVEL") and not isinstance(logging.getLevelName(str(settings.get("LOG_LEVEL")).upper()), int):
        raise UsageError(f"LOG_LEVEL={settings.get('LOG_LEVEL')!r}: use DEBUG, INFO, WARNING, ERROR or CRITICAL",
                         print_help=False)


def check_settings(settings: BaseSettings) -> None:
    """Raise UsageError naming the first SPACECRAWL_* number, switch or date whose value does not read as one."""
    for name, annotation in typing.get_type_hints(defaults).items():
        kind = read_as(annotation)
        if not name.startswith("SPACECRAWL_") or kind is None or settings.get(name) in (None, ""):
            continue
        read, what = READERS[kind]
        try:
            read(settings, name)
        except (TypeError, ValueError):
            raise UsageError(f"{name}={settings.get(name)!r} is not {what}", print_help=False) from None
    for name, (kind, least) in SCRAPY_SETTINGS.items():
        read, what = READERS[kind]
        try:
            value = read(settings, name)
        except (TypeError, ValueError):
            raise UsageError(f"{name}={settings.get(name)!r} is not {what}", print_help=False) from None
        if value < least:
            raise UsageError(f"{name}={settings.get(name)!r}: give {what} of at least {least:g}", print_help=False)
    check_log_level(settings)
    if settings.get("JOBDIR"):
        try:
            Path(settings["JOBDIR"]).mkdir(parents=True, exist_ok=True)  # as Scrapy would, but before the crawl
        except OSError as error:
            raise UsageError(f"JOBDIR={settings['JOBDIR']!r}: cannot make it: {error.strerror}", print_help=False) from None
    try:
        parse_url(settings.get("SPACECRAWL_DATABASE_URL"))
    except StoreUnavailable as error:
        raise UsageError(f"SPACECRAWL_DATABASE_URL: {error}", print_help=False) from None
    if settings.get("SPACECRAWL_REDIS_URL"):
        try:
            redis_url_checked(settings["SPACECRAWL_REDIS_URL"])
        except ValueError as error:
            raise UsageError(f"SPACECRAWL_REDIS_URL: {error}", print_help=False) from None
    try:
        revisit_ages(settings.get("SPACECRAWL_REVISIT_AFTER_HOURS") or "")
    except ValueError as error:
        raise UsageError(f"SPACECRAWL_REVISIT_AFTER_HOURS={error}", print_help=False) from None
    # Scrapy's DEPTH_LIMIT counts listing pages too, and their articles sit one level below them.
    listing_depth, depth_limit = settings.getint("SPACECRAWL_LISTING_DEPTH"), settings.getint("DEPTH_LIMIT")
    if depth_limit and depth_limit <= listing_depth + 1:
        raise UsageError(f"SPACECRAWL_LISTING_DEPTH={listing_depth} needs DEPTH_LIMIT above {listing_depth + 1} "
                         f"(-s DEPTH_LIMIT={listing_depth + 2}), or the deepest listings' articles are not fetched",
                         print_help=False)


def redis_url_checked(url: str) -> None:
    """ValueError for a Redis URL redis-py would not read, or would read as database 0 although it
    names another ("redis://host:6379/abc": redis-py drops a database number it cannot read)."""
    redis.connection.parse_url(url)
    parts = urlsplit(url)
    if parts.scheme in ("redis", "rediss") and parts.path.strip("/") and not parts.path.strip("/").isdigit():
        raise ValueError(f"{parts.path.strip('/')!r} is no database number (redis://host:6379/0)")
