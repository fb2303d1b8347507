"""Fixture pages with their expected output: naming and saving a page, writing down what a
crawl extracts from it for a person to correct, reading fixtures back, and how an article falls
short of them (shared by `checksite` and tests/test_site_fixtures.py)."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.utils.conf import closest_scrapy_cfg

from crawler.extraction.article import parse_html
from crawler.extraction.blocks import text_of
from crawler.extraction.metadata import read_metadata
from crawler.items import Article
from crawler.text.furniture import is_furniture
from crawler.text.words import words_in

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
            problems.append(f"body lacks the paragraph {shorten(paragraph)!r}")
    for text in expected.get("not_in_body", []):
        if text in body:
            problems.append(f"body keeps boilerplate {text!r}")
    return problems


def shorten(text: str, limit: int = 60) -> str:
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
