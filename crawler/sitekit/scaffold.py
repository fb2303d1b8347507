"""The scaffold of a site definition, from what discovery found: a crawler/sites module or a
``[[site]]`` table for a user's sites file, with comments saying where it came from."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from crawler.sitekit.discover import SiteFindings, site_domain
from crawler.sites.base import Site


def scaffold_site(name: str, url: str, findings: SiteFindings, feeds: Sequence[str] = (),
                  sitemaps: Sequence[str] = ()) -> Site:
    """The site definition: the feeds and sitemaps given, else those found; the home page as a
    listing page when there is neither. Raises SiteError for a bad name or URL."""
    feeds = list(feeds) or findings.feeds
    sitemaps = list(sitemaps) or findings.sitemaps
    return Site(
        name=name,
        domains=(site_domain(url),),
        feeds=tuple(feeds),
        sitemaps=tuple(sitemaps),
        listing_pages=() if feeds or sitemaps else (url,),
        language=findings.language,
    )


def _describe(findings: SiteFindings, source: str, selectors_example: str) -> list[str]:
    """Comment lines saying where a scaffold came from and what the pages showed."""
    jsonld = ", ".join(findings.jsonld_types) or "none"
    return [f"# Scaffolded by `scrapy addsite` from {source}.",
            f"# CMS: {findings.cms or 'not recognised'}; JSON-LD on the home page: {jsonld}.",
            "# Add selectors only for fields `scrapy checksite` shows generic extraction gets wrong,",
            f"# e.g. {selectors_example}"]


def module_source(site: Site, findings: SiteFindings, source: str) -> str:
    """A crawler/sites module defining ``site``."""
    example = 'selectors={"authors": ".byline a", "remove": ".newsletter-box"}.'
    lines = ["from crawler.sites.base import Site", "", *_describe(findings, source, example), "SITE = Site("]
    for key, value in _site_values(site).items():
        # JSON strings are Python strings too, and in the double quotes the house writes.
        text = f"({', '.join(map(json.dumps, value))}{',' * (len(value) == 1)})" if isinstance(value, tuple) \
            else json.dumps(value)
        lines.append(f"    {key}={text},")
    return "\n".join(lines) + "\n)\n"


def toml_entry(site: Site, findings: SiteFindings, source: str) -> str:
    """A ``[[site]]`` table defining ``site`` in a user's sites file."""
    example = 'a [site.selectors] table below the entry: authors = ".byline a", remove = ".newsletter-box".'
    lines = [*_describe(findings, source, example), "[[site]]"]
    for key, value in _site_values(site).items():
        text = f"[{', '.join(json.dumps(v) for v in value)}]" if isinstance(value, tuple) else json.dumps(value)
        lines.append(f"{key} = {text}")
    return "\n".join(lines) + "\n"


def _site_values(site: Site) -> dict[str, Any]:
    """The fields a scaffold sets, in the order a reader expects them."""
    values: dict[str, Any] = {"name": site.name, "domains": site.domains}
    for key in ("feeds", "sitemaps", "listing_pages", "language"):
        if getattr(site, key):
            values[key] = getattr(site, key)
    return values
