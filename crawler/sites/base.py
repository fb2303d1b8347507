"""What a site is, and the registry of every site spacecrawl knows.

A site is data: where its articles are announced (feeds, sitemaps, listing pages), which URLs are
articles, and CSS selectors only for the fields generic extraction gets wrong on it. Built-in
sites are the modules of this package, each with a ``SITE``; a user's TOML file adds more.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# An article URL, when a site gives no rule: a dated path, or a slug of at least three words.
GENERIC_ARTICLE_URL = r"/(?:19|20)\d\d/\d\d?/|/[^/?#]*[a-z0-9]+-[a-z0-9]+-[a-z0-9]+[^/?#]*/?(?:$|[?#])"

SELECTOR_FIELDS = ("title", "authors", "published", "modified", "section", "tags", "body", "remove")


class SiteError(ValueError):
    """A site definition that cannot be used, with a message naming the site and the problem."""


@dataclass(frozen=True)
class Site:
    name: str
    domains: tuple[str, ...]
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listing_pages: tuple[str, ...] = ()
    article_url: str = GENERIC_ARTICLE_URL  # regex searched in an absolute URL
    # field -> CSS selector, where generic extraction is not enough; "remove" lists blocks to cut
    selectors: dict[str, str] = field(default_factory=dict)
    timezone: str | None = None  # IANA zone for dates the site prints without an offset
    language: str | None = None  # ISO 639-1, when the site does not declare it
    feed_interval_minutes: int = 30
    sitemap_interval_minutes: int = 24 * 60

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", self.name):
            raise SiteError(f"site name {self.name!r}: use lowercase letters, digits, '-' and '_'")
        if not self.domains:
            raise SiteError(f"site {self.name!r}: 'domains' is empty")
        if not (self.feeds or self.sitemaps or self.listing_pages):
            raise SiteError(f"site {self.name!r}: give at least one of feeds, sitemaps, listing_pages")
        try:
            re.compile(self.article_url)
        except re.error as exc:
            raise SiteError(f"site {self.name!r}: article_url is not a regex: {exc}") from None
        unknown = set(self.selectors) - set(SELECTOR_FIELDS)
        if unknown:
            raise SiteError(f"site {self.name!r}: unknown selector fields {sorted(unknown)}; "
                            f"known: {', '.join(SELECTOR_FIELDS)}")

    def owns(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def is_article_url(self, url: str) -> bool:
        return self.owns(url) and re.search(self.article_url, url) is not None

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> Site:
        known = {f.name for f in fields(cls)}
        name = data.get("name", "?")
        unknown = set(data) - known
        if unknown:
            raise SiteError(f"site {name!r}: unknown keys {sorted(unknown)}; known: {', '.join(sorted(known))}")
        if "name" not in data or "domains" not in data:
            raise SiteError(f"site {name!r}: 'name' and 'domains' are required")
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        return cls(**values)


def builtin_sites() -> dict[str, Site]:
    import crawler.sites as package

    sites = {}
    for module in pkgutil.iter_modules(package.__path__):
        if module.name == "base":
            continue
        site = importlib.import_module(f"{package.__name__}.{module.name}").SITE
        sites[site.name] = site
    return sites


def load_sites_file(path: str | Path) -> dict[str, Site]:
    """Sites from a user's TOML file: a ``[[site]]`` table per site."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SiteError(f"sites file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise SiteError(f"sites file {path} is not valid TOML: {exc}") from None
    sites = {}
    for entry in data.get("site", []):
        site = Site.from_mapping(entry)
        sites[site.name] = site
    return sites


def all_sites(sites_file: str | Path | None = None) -> dict[str, Site]:
    """Built-in sites, then the user's file; a user's site of the same name replaces the built-in."""
    sites = builtin_sites()
    if sites_file:
        sites.update(load_sites_file(sites_file))
    return dict(sorted(sites.items()))
