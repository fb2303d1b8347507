"""`scrapy checksite`: which fields a crawl gets from a site's pages, with a verdict."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from scrapy.exceptions import UsageError

from crawler.cli.arguments import site_named
from crawler.cli.base_commands import KnownOptionsCommand
from crawler.cli.pages import page_address, read_page
from crawler.sitekit.fixtures import Fixture, default_fixtures_dir, fixtures_of, shown
from crawler.sitekit.offline import OfflineRun
from crawler.sitekit.verdict import FAIL, OK, WARN, PageCheck, check_page


class Command(KnownOptionsCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "NAME [PAGE.html ...] [--url URL]"

    def short_desc(self) -> str:
        return "Check what a crawl extracts from a site's fixture pages (or given pages): OK, WARN or FAIL"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", help="with one PAGE: the address it came from (default: its canonical URL)")
        parser.add_argument("--fixtures-dir", metavar="DIR", type=Path, default=None,
                            help="where fixture folders are (default: tests/fixtures/sites)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args:
            raise UsageError("give a site: scrapy checksite NAME [PAGE.html ...]", print_help=False)
        if opts.url and len(args) != 2:
            raise UsageError("--url names the address of a single PAGE", print_help=False)
        assert self.settings is not None
        site = site_named(args[0], self.settings.get("SPACECRAWL_SITES_FILE"))
        folder = (opts.fixtures_dir or default_fixtures_dir()) / site.name
        fixtures = [self._given(page, opts.url) for page in args[1:]] or self._saved(folder, site.name)
        run = OfflineRun(self.settings)
        checks = []
        for fixture in fixtures:
            if not site.owns(fixture.url):
                raise UsageError(f"{fixture.page}: {fixture.url} is not on {site.name}'s domains", print_help=False)
            html = read_page(fixture.page)
            check = check_page(run, shown(fixture.page), fixture.url, html, fixture.fetched_at,
                               fixture.expected if "title" in fixture.expected else None)
            checks.append(check)
            print(page_report(check))
        print(total_report(site.name, checks))
        self.exitcode = 1 if any(c.verdict == FAIL for c in checks) else 0

    def _saved(self, folder: Path, name: str) -> list[Fixture]:
        try:
            fixtures = fixtures_of(folder)
        except ValueError as exc:
            raise UsageError(str(exc), print_help=False) from None
        if not fixtures:
            raise UsageError(f"site {name!r} has no fixture pages in {shown(folder)}; save one: "
                             f"scrapy savefixture PAGE.html --site {name}", print_help=False)
        return fixtures

    def _given(self, name: str, url: str | None) -> Fixture:
        """A page from the command line, with its expected output when a .json sits beside it."""
        page = Path(name)
        try:
            html = read_page(page)
        except OSError as exc:
            raise UsageError(f"cannot read {name}: {exc.strerror}", print_help=False) from None
        expected_path = page.with_suffix(".json")
        if expected_path.exists() and not url:
            try:
                expected = json.loads(expected_path.read_text(encoding="utf-8"))
            except ValueError as exc:
                raise UsageError(f"{expected_path} is not JSON: {exc}", print_help=False) from None
            if isinstance(expected, dict) and isinstance(expected.get("url"), str):
                return Fixture(page, expected)
        return Fixture(page, {"url": page_address(html, url, name)})


def page_report(check: PageCheck) -> str:
    lines = [f"{check.verdict:<4} {check.name}"]
    article = check.article
    if article is not None:
        published = article.published.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") \
            if isinstance(article.published, datetime) else "none"
        lines += [f"     title      {article.title}",
                  f"     published  {published}   authors: {', '.join(article.authors) or 'none'}",
                  f"     body       {article.word_count} words in {len((article.body or '').split(chr(10) * 2))} "
                  f"paragraphs   language: {article.language or 'none'}"]
    lines += [f"     FAIL: {reason}" for reason in check.failures]
    lines += [f"     WARN: {reason}" for reason in check.warnings]
    return "\n".join(lines)


def total_report(site: str, checks: list[PageCheck]) -> str:
    verdicts = Counter(c.verdict for c in checks)
    coverage: Counter[str] = Counter()
    for check in checks:
        coverage.update(field for field, present in check.coverage().items() if present)
    fields = PageCheck("").coverage()
    verdict = FAIL if verdicts[FAIL] else WARN if verdicts[WARN] else OK
    return "\n".join([
        f"{site}: {len(checks)} page{'s' * (len(checks) != 1)}: "
        + ", ".join(f"{v} {verdicts[v]}" for v in (OK, WARN, FAIL)),
        "  " + " · ".join(f"{field} {coverage[field]}/{len(checks)}" for field in fields),
        f"verdict: {verdict}" + (" (see FAIL lines above)" if verdict == FAIL else
                                 " (fields missing or thin: see WARN lines)" if verdict == WARN else ""),
    ])
