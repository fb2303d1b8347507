"""Adding a site and knowing it works: what a saved home page and robots.txt say about a site, the
scaffold of its definition, fixture pages with their expected output, and a verdict on what a
crawl would extract from a page.

Shared by `scrapy addsite`, `savefixture`, `checksite` and tests/test_site_fixtures.py, so the
check a person runs is the check the test suite runs. Pure functions of text, except ``fetch``.
"""

from __future__ import annotations

import json
import os
import re
import urllib.request
from dataclasses import dataclass, field
from collections.abc import Sequence
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

from protego import Protego
from scrapy.exceptions import DropItem
from scrapy.utils.conf import closest_scrapy_cfg

from crawler.extraction.article import parse_html
from crawler.extraction.blocks import text_of
from crawler.extraction.metadata import read_metadata
from crawler.items import Article
from crawler.offline import OfflineRun
from crawler.sites.base import Site
from crawler.text.furniture import is_furniture, words_in

# --- what a home page says about its site ---------------------------------------------------
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


# --- the scaffold ---------------------------------------------------------------------------
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


# --- fixture pages and their expected output ------------------------------------------------
# The expected output of a fixture page <slug>.html is <slug>.json with these keys; a key left
# out is not checked (see tests/fixtures/sites/README.md).
EXPECTED_FIELDS = ("title", "authors", "published", "modified", "section", "tags", "language")
BODY_WORDS_TOLERANCE = 0.1  # body_words may drift by a tenth before it counts as lost or added text


def slug_for(url: str) -> str:
    """A file name for a page: the last meaningful segments of its URL path."""
    path = urlsplit(url).path
    segments = [s for s in re.split(r"/+", path.removesuffix(".html").removesuffix(".htm")) if s]
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(segments[-2:] if len(segments) > 1 and segments[-1].isdigit()
                                               else segments[-1:]).lower()).strip("-")
    return slug[:80].rstrip("-") or "index"


def declared_url(html: str) -> str | None:
    """The page's own address: its canonical link or og:url."""
    root = parse_html(html)
    if root is None:
        return None
    metadata = read_metadata(root)
    for candidate in metadata.links.get("canonical", []) + metadata.all_meta("og:url"):
        if urlsplit(candidate).scheme in ("http", "https"):
            return candidate
    return None


def body_paragraphs(body: str) -> list[str]:
    return [p for p in (body or "").split("\n\n") if p.strip()]


def _instant(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value


def expected_output(url: str, fetched_at: datetime, article: Article, html: str) -> dict[str, Any]:
    """A fixture's expected output as extracted now, for a person to check and correct:
    the fields, body size, first and last paragraph, and prompts on the page the body must not take."""
    paragraphs = body_paragraphs(article.body or "")
    record: dict[str, Any] = {"url": url, "fetched_at": fetched_at.isoformat()}
    record.update({name: _instant(getattr(article, name)) for name in EXPECTED_FIELDS})
    record["body_words"] = article.word_count
    record["body_paragraphs"] = paragraphs[:1] + paragraphs[-1:] if len(paragraphs) > 1 else paragraphs
    record["not_in_body"] = page_boilerplate(html, article.body or "")
    return record


def page_boilerplate(html: str, body: str) -> list[str]:
    """Prompts the page shows (share, comment form, newsletter ...) that the body left out."""
    root = parse_html(html)
    found: list[str] = []
    if root is None:
        return found
    for element in root.iter("h2", "h3", "h4", "p", "label", "span", "a", "button", "div"):
        text = text_of(element)
        if 2 <= words_in(text) <= 12 and text not in body and text not in found and is_furniture(text):
            found.append(text)
    # A widget's text and its parts are both found; the parts say it more exactly.
    return [text for text in found if not any(other != text and other in text for other in found)][:10]


def boilerplate_left(body: str) -> list[str]:
    """Lines and sentences of a finished body that start like furniture the strip stage knows
    (a prompt glued into a paragraph escapes its line-by-line rules)."""
    left = []
    for line in (body or "").split("\n"):
        for fragment in re.split(r"(?<=[.!?])\s+", line.strip()):
            if fragment and is_furniture(fragment):
                left.append(fragment)
    return left


def _same_instant(found: Any, expected: str | None) -> bool:
    if expected is None or found is None:
        return expected is None and found is None
    try:
        return isinstance(found, datetime) and found == datetime.fromisoformat(expected)
    except ValueError:
        return False


def fixture_problems(article: Article, expected: dict[str, Any]) -> list[str]:
    """How ``article`` falls short of a fixture's expected output, one line per field."""
    problems = []
    for name in EXPECTED_FIELDS:
        if name not in expected:
            continue
        want, got = expected[name], getattr(article, name)
        if name in ("published", "modified"):
            same = _same_instant(got, want)
        elif name == "authors":
            same = set(got or []) == set(want or [])
        else:
            same = got == want
        if not same:
            problems.append(f"{name}: expected {want!r}, got {_instant(got)!r}")
    body = article.body or ""
    if expected.get("body_words"):
        want_words, words = expected["body_words"], article.word_count or 0
        if abs(words - want_words) > BODY_WORDS_TOLERANCE * want_words:
            problems.append(f"body: expected about {want_words} words, got {words}")
    flat_body = " ".join(body.split())
    for paragraph in expected.get("body_paragraphs", []):
        if " ".join(paragraph.split()) not in flat_body:
            problems.append(f"body lacks the paragraph {_shorten(paragraph)!r}")
    for text in expected.get("not_in_body", []):
        if text in body:
            problems.append(f"body keeps boilerplate {text!r}")
    return problems


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


@dataclass
class Fixture:
    page: Path
    expected: dict[str, Any]

    @property
    def url(self) -> str:
        return self.expected["url"]

    @property
    def fetched_at(self) -> datetime | None:
        value = self.expected.get("fetched_at")
        return datetime.fromisoformat(value) if value else None


def fixtures_of(folder: Path) -> list[Fixture]:
    """A site's fixture pages with their expected output; raises ValueError for a page whose
    .json is missing or unreadable."""
    fixtures = []
    for page in sorted(folder.glob("*.html")):
        expected_path = page.with_suffix(".json")
        try:
            expected = json.loads(expected_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ValueError(f"{page} has no expected output {expected_path.name}; "
                             f"save pages with `scrapy savefixture`") from None
        except (OSError, ValueError) as exc:
            raise ValueError(f"{expected_path} cannot be read: {exc}") from None
        if not isinstance(expected, dict) or not isinstance(expected.get("url"), str):
            raise ValueError(f"{expected_path}: expected a JSON object with the page's \"url\"")
        fixtures.append(Fixture(page, expected))
    return fixtures


def default_fixtures_dir() -> Path:
    """tests/fixtures/sites of the project the command runs in."""
    config = closest_scrapy_cfg()
    return (Path(config).parent if config else Path.cwd()) / "tests" / "fixtures" / "sites"


def shown(path: Path) -> str:
    """A path as a person would type it here: relative below the working directory."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def write_fixture(folder: Path, slug: str, page_bytes: bytes, expected: dict[str, Any]) -> tuple[Path, Path]:
    """The page as it was downloaded (its bytes, so its declared encoding stays true) and its
    expected output."""
    folder.mkdir(parents=True, exist_ok=True)
    page, expected_path = folder / f"{slug}.html", folder / f"{slug}.json"
    page.write_bytes(page_bytes)
    expected_path.write_text(json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return page, expected_path


# --- the verdict on a page ------------------------------------------------------------------
OK, WARN, FAIL = "OK", "WARN", "FAIL"
SHORT_BODY_WORDS = 150  # fewer words than this: probably a part of the article, or a teaser


@dataclass
class PageCheck:
    name: str
    article: Article | None = None
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return FAIL if self.failures else WARN if self.warnings else OK

    def coverage(self) -> dict[str, bool]:
        """Which of the fields a site must give came out of this page."""
        article = self.article
        return {
            "title": bool(article and article.title),
            "date with time": bool(article and has_time(article)),
            "authors": bool(article and article.authors),
            f"body ≥ {SHORT_BODY_WORDS} words": bool(article and (article.word_count or 0) >= SHORT_BODY_WORDS),
            "no boilerplate left": bool(article and not boilerplate_left(article.body or "")),
        }


def has_time(article: Article) -> bool:
    """A publication date that gives the time of day: not a day printed alone (which parse_dates
    marks), nor midnight in the site's zone, which many CMSs declare for a day
    ("2024-07-25T00:00:00-07:00")."""
    published = article.published
    if not isinstance(published, datetime) or article.published_without_time:
        return False
    return published.astimezone(ZoneInfo(article.timezone) if article.timezone else UTC).time() != time()


def check_page(run: OfflineRun, name: str, url: str, html: str, fetched_at: datetime | None = None,
               expected: dict[str, Any] | None = None) -> PageCheck:
    """A crawl's extraction of one page, judged: FAIL when the page yields no article or breaks
    its fixture's expectations; WARN when a field a site should give is missing or thin."""
    check = PageCheck(name)
    try:
        article = run.process(url, html, fetched_at)
    except DropItem as exc:
        check.failures.append(f"dropped: {exc}")
        return check
    check.article = article
    if expected is not None:
        check.failures.extend(fixture_problems(article, expected))
    if not isinstance(article.published, datetime):
        check.warnings.append("no publication date")
    elif not has_time(article):
        check.warnings.append("publication date without a time")
    if not article.authors:
        check.warnings.append("no authors")
    if (article.word_count or 0) < SHORT_BODY_WORDS:
        check.warnings.append(f"body only {article.word_count} words")
    left = boilerplate_left(article.body or "")
    if left:
        check.warnings.append(f"boilerplate left: {', '.join(repr(_shorten(t, 40)) for t in left[:3])}")
    return check
