"""What a site is, and the registry of every site spacecrawl knows.

A site is data: where its articles are announced (feeds, sitemaps, listing pages), which URLs are
articles, and CSS selectors only for the fields generic extraction gets wrong on it. Built-in
sites are the modules of this package, each with a ``SITE``; a user's TOML file adds more.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from cssselect import GenericTranslator, SelectorError

# Path segments under which sites keep listings, never articles.
_LISTING_SEGMENTS = (r"author|authors|category|categories|feed|page|search|section|sections|tag|tags|topic|topics"
                     r"|wp-content")
# A dated path (/2024/05/ or /2024/05/17/) ending in a slug: WordPress-style permalinks.
DATED_ARTICLE_URL = r"/(?:19|20)\d\d/\d\d?/(?:\d\d?/)?[^/?#]*[a-z][^/?#]*/?(?:$|[?#])"
_THREE_WORD_SLUG = r"/[^/?#]*[a-z0-9]+-[a-z0-9]+-[a-z0-9]+[^/?#]*/?(?:$|[?#])"
# An article URL, when a site gives no rule: not under a listing segment, and ending in a dated
# slug or a slug of at least three words.
GENERIC_ARTICLE_URL = rf"^(?!.*/(?:{_LISTING_SEGMENTS})/).*(?:{DATED_ARTICLE_URL}|{_THREE_WORD_SLUG})"

SELECTOR_FIELDS = ("title", "authors", "published", "modified", "section", "tags", "body", "remove")

_HOST_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*")  # also localhost, 127.0.0.1
_LANGUAGE = re.compile(r"[a-z]{2}")
_URL_FIELDS = ("feeds", "sitemaps", "listing_pages", "date_archives")


class SiteError(ValueError):
    """A site definition that cannot be used, with a message naming the site and the problem."""


@dataclass(frozen=True)
class Site:
    name: str
    domains: tuple[str, ...]  # host names; each also covers its subdomains
    feeds: tuple[str, ...] = ()  # RSS or Atom
    sitemaps: tuple[str, ...] = ()  # sitemaps, sitemap indexes or news sitemaps
    listing_pages: tuple[str, ...] = ()  # pages whose links (and pagination) lead to articles
    article_url: str = GENERIC_ARTICLE_URL  # regex searched in an absolute URL
    # field -> CSS selector, where generic extraction is not enough; "remove" lists blocks to cut
    selectors: dict[str, str] = field(default_factory=dict)
    timezone: str | None = None  # IANA zone for dates the site prints without an offset
    language: str | None = None  # ISO 639-1, when the site does not declare it
    feed_interval_minutes: int = 30
    sitemap_interval_minutes: int = 24 * 60
    download_delay: float | None = None  # seconds between requests to the site (AutoThrottle's floor)
    # hours after publication at which feeds runs re-check a known article; None: SPACECRAWL_REVISIT_AFTER_HOURS
    revisit_after_hours: tuple[float, ...] | None = None
    # strftime patterns of the site's monthly archives ("https://example.com/%Y/%m/"), for backfills
    date_archives: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", self.name):
            raise SiteError(f"site name {self.name!r}: use lowercase letters, digits, '-' and '_'")
        problem = self._problem()
        if problem:
            raise SiteError(f"site {self.name!r}: {problem}")

    def _problem(self) -> str | None:
        """The first thing wrong with this definition, said so its author can fix it."""
        for name in ("domains", *_URL_FIELDS):
            value = getattr(self, name)
            if not isinstance(value, tuple) or not all(isinstance(item, str) for item in value):
                return f"'{name}' must be a list of strings"
        if not self.domains:
            return "'domains' is empty"
        for domain in self.domains:
            if not _HOST_NAME.fullmatch(domain):
                return f"domain {domain!r} is not a bare lowercase host name such as 'example.com' (no scheme, port or path)"
        if not (self.feeds or self.sitemaps or self.listing_pages):
            return "give at least one of feeds, sitemaps, listing_pages"
        for name in _URL_FIELDS:
            for url in getattr(self, name):
                if urlsplit(url).scheme not in ("http", "https") or not self.owns(url):
                    return f"{name} URL {url!r} is not an http(s) URL on the site's domains {list(self.domains)}"
        if any("%Y" not in pattern or "%m" not in pattern for pattern in self.date_archives):
            return "each of 'date_archives' must hold %Y and %m, such as 'https://example.com/%Y/%m/'"
        if not isinstance(self.article_url, str):
            return "'article_url' must be a string"
        try:
            re.compile(self.article_url)
        except re.error as exc:
            return f"article_url is not a regex: {exc}"
        if not isinstance(self.selectors, dict) or not all(isinstance(v, str) for v in self.selectors.values()):
            return "'selectors' must be a table of field = \"CSS selector\""
        unknown = sorted(set(self.selectors) - set(SELECTOR_FIELDS))
        if unknown:
            return f"unknown selector fields {unknown}; known: {', '.join(SELECTOR_FIELDS)}"
        for name, css in self.selectors.items():
            try:
                GenericTranslator().css_to_xpath(css)
            except SelectorError as exc:
                return f"selector for {name} {css!r} is not CSS: {exc}"
        if self.timezone is not None and not _is_zone(self.timezone):
            return f"timezone {self.timezone!r} is not an IANA zone name such as 'America/New_York'"
        if self.language is not None and not (isinstance(self.language, str) and _LANGUAGE.fullmatch(self.language)):
            return f"language {self.language!r} is not a two-letter ISO 639-1 code such as 'en'"
        for name in ("feed_interval_minutes", "sitemap_interval_minutes"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                return f"'{name}' must be a whole number of minutes, at least 1"
        if self.revisit_after_hours is not None and not (
                isinstance(self.revisit_after_hours, tuple)
                and all(isinstance(h, int | float) and not isinstance(h, bool) and h >= 0
                        for h in self.revisit_after_hours)):
            return "'revisit_after_hours' must be a list of hours, 0 or more, such as [1, 6, 24, 168]"
        if self.download_delay is not None and (isinstance(self.download_delay, bool)
                                                or not isinstance(self.download_delay, int | float)
                                                or self.download_delay < 0):
            return "'download_delay' must be a number of seconds, 0 or more"
        return None

    def owns(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def is_article_url(self, url: str) -> bool:
        return self.owns(url) and re.search(self.article_url, url) is not None

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> Site:
        """A site from plain data (a TOML table): lists become tuples, anything else is checked."""
        known = [f.name for f in fields(cls)]
        name = data.get("name", "?")
        for key in data:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(known)}"
                raise SiteError(f"site {name!r}: unknown key {key!r}; {hint}")
        for key in ("name", "domains"):
            if key not in data:
                raise SiteError(f"site {name!r}: {key!r} is required")
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        return cls(**values)


def _is_zone(name: object) -> bool:
    try:
        ZoneInfo(name)  # type: ignore[arg-type]
    except (KeyError, ValueError, TypeError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True


def builtin_sites() -> dict[str, Site]:
    import crawler.sites as package

    sites: dict[str, Site] = {}
    for module in pkgutil.iter_modules(package.__path__):
        if module.name == "base":
            continue
        site = importlib.import_module(f"{package.__name__}.{module.name}").SITE
        # One name, one module: `scrapy crawl NAME` leads a reader straight to the file.
        if module.name != site.name.replace("-", "_"):
            raise SiteError(f"site {site.name!r} is defined in module {module.name!r}; "
                            f"name the module {site.name.replace('-', '_')!r}")
        sites[site.name] = site
    return sites


def load_sites_file(path: str | Path) -> dict[str, Site]:
    """Sites from a user's TOML file: a ``[[site]]`` table per site."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SiteError(f"sites file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SiteError(f"sites file {path} cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SiteError(f"sites file {path} is not valid TOML: {exc}") from None
    extra = sorted(set(data) - {"site"})
    if extra:
        raise SiteError(f"sites file {path}: unknown top-level keys {extra}; write each site as a [[site]] table")
    entries = data.get("site", [])
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise SiteError(f"sites file {path}: write each site as a [[site]] table")
    sites: dict[str, Site] = {}
    for number, entry in enumerate(entries, start=1):
        try:
            site = Site.from_mapping(entry)
        except SiteError as exc:
            raise SiteError(f"sites file {path}, [[site]] #{number}: {exc}") from None
        if site.name in sites:
            raise SiteError(f"sites file {path}: site {site.name!r} is defined twice")
        sites[site.name] = site
    return sites


def all_sites(sites_file: str | Path | None = None) -> dict[str, Site]:
    """Built-in sites, then the user's file; a user's site of the same name replaces the built-in."""
    sites = builtin_sites()
    if sites_file:
        sites.update(load_sites_file(sites_file))
    return dict(sorted(sites.items()))
