"""What a site's saved home page and robots.txt say about it: feeds, sitemaps, CMS, language and
JSON-LD types, for `scrapy addsite` to scaffold from. Pure functions of text, except ``fetch``.
"""

from __future__ import annotations

import re
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from protego import Protego

from crawler.extraction.article import parse_html
from crawler.extraction.metadata import read_metadata

FEED_TYPES = ("application/rss+xml", "application/atom+xml")
# Signs of a CMS in a page's markup, for pages without a generator <meta>; first match wins.
CMS_MARKERS = (
    ("WordPress", re.compile(r"/wp-content/|/wp-includes/|wp-json")),
    ("Ghost", re.compile(r"ghost-portal|/ghost/api/|data-ghost")),
    ("Drupal", re.compile(r"Drupal\.settings|data-drupal-|/sites/default/files/")),
    ("HubSpot", re.compile(r"js\.hs-scripts\.com|hs-analytics|hubspot", re.IGNORECASE)),
    ("Webflow", re.compile(r"data-wf-site|webflow\.js", re.IGNORECASE)),
    ("Arc XP", re.compile(r"/pf/dist/|fusion-metadata|arcpublishing")),
    ("Squarespace", re.compile(r"static1\.squarespace\.com")),
    ("Joomla", re.compile(r"/media/jui/|/components/com_")),
)
# Where a CMS keeps its feed and sitemap unless told otherwise: guesses, said to be guesses.
CMS_FEED_PATHS = {"WordPress": "/feed/", "Ghost": "/rss/", "Drupal": "/rss.xml"}
CMS_SITEMAP_PATHS = {"WordPress": "/wp-sitemap.xml", "Ghost": "/sitemap.xml", "Drupal": "/sitemap.xml"}
# Yoast SEO and Rank Math replace WordPress's own sitemap with a sitemap index here.
SEO_PLUGIN_SITEMAP = "/sitemap_index.xml"
SEO_PLUGIN_MARKERS = re.compile(r"yoast-schema-graph|Yoast SEO plugin|rank-math", re.IGNORECASE)
# A site's comment feed announces comments, not articles.
COMMENT_FEED = re.compile(r"/comments/feed/?$|comments", re.IGNORECASE)


@dataclass
class SiteFindings:
    """What saved pages (or a fetch) told us about a site; ``guessed`` URLs were not seen anywhere."""
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    guessed: list[str] = field(default_factory=list)
    cms: str | None = None
    language: str | None = None
    jsonld_types: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # found but unusable, with the reason


def site_domain(url: str) -> str:
    """The domain a site is defined by: the URL's host without "www." (subdomains are covered)."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def inspect_site(url: str, home_html: str | None = None, robots_txt: str | None = None) -> SiteFindings:
    """Feeds, sitemaps, CMS, language and JSON-LD types from a site's home page and robots.txt."""
    found = SiteFindings()
    domain = site_domain(url)

    def keep(kind: list[str], candidate: str, source: str) -> None:
        host = (urlsplit(candidate).hostname or "").lower()
        if not (host == domain or host.endswith("." + domain)):
            found.skipped.append(f"{candidate} ({source}): not on {domain}, so a crawl could not follow it")
        elif candidate not in kind:
            kind.append(candidate)

    if robots_txt:
        for sitemap in Protego.parse(robots_txt).sitemaps:
            keep(found.sitemaps, urljoin(url, sitemap.strip()), "robots.txt")
    root = parse_html(home_html) if home_html else None
    if root is not None and home_html:
        for link in root.iter("link"):
            rel = (link.get("rel") or "").lower().split()
            kind = (link.get("type") or "").strip().lower()
            href = (link.get("href") or "").strip()
            if "alternate" in rel and kind in FEED_TYPES and href and not COMMENT_FEED.search(
                    f"{href} {link.get('title') or ''}"):
                keep(found.feeds, urljoin(url, href), "home page")
        metadata = read_metadata(root)
        found.cms = _cms(metadata.all_meta("generator"), home_html)
        found.language = _language_code(metadata.html_lang or metadata.first_meta("og:locale"))
        found.jsonld_types = sorted({t for node in metadata.jsonld for t in _declared_types(node)})
        if found.cms == "WordPress" and SEO_PLUGIN_MARKERS.search(home_html):
            _guess(found, found.sitemaps, urljoin(url, SEO_PLUGIN_SITEMAP))
    if found.cms:
        if found.cms in CMS_FEED_PATHS:
            _guess(found, found.feeds, urljoin(url, CMS_FEED_PATHS[found.cms]))
        if found.cms in CMS_SITEMAP_PATHS:
            _guess(found, found.sitemaps, urljoin(url, CMS_SITEMAP_PATHS[found.cms]))
    return found


def _guess(found: SiteFindings, kind: list[str], candidate: str) -> None:
    """Add a CMS's usual address only when the pages named none of that kind."""
    if not kind:
        kind.append(candidate)
        found.guessed.append(candidate)


def _cms(generators: list[str], html: str) -> str | None:
    for generator in generators:  # "WordPress 6.5.3", "Ghost 5.82", "Drupal 10 (https://www.drupal.org)"
        for name, _ in CMS_MARKERS:
            if generator.lower().startswith(name.lower()):
                return name
    return next((name for name, marker in CMS_MARKERS if marker.search(html)), None)


def _language_code(declared: str | None) -> str | None:
    match = re.match(r"([a-zA-Z]{2})(?:$|[-_])", (declared or "").strip())
    return match.group(1).lower() if match else None


def _declared_types(node: dict[str, Any]) -> list[str]:
    types = node.get("@type") or []
    return [t for t in ([types] if isinstance(types, str) else types) if isinstance(t, str)]


def fetch(url: str, user_agent: str, timeout: float = 20.0) -> bytes:
    """One page, for a person's one-off command (a crawl fetches through Scrapy)."""
    request = urllib.request.Request(url, headers={"User-Agent": user_agent})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) checked by callers)
        return response.read()
