"""`scrapy savefixture`: pin a site's behaviour with a saved page and what extraction gets from it."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.error import URLError
from urllib.parse import urlsplit

from scrapy.exceptions import DropItem, UsageError

from crawler.cli.arguments import fetched_at_option, site_named
from crawler.cli.base_commands import KnownOptionsCommand
from crawler.cli.pages import page_address
from crawler.extraction import decode_html
from crawler.sitekit.discover import fetch
from crawler.sitekit.fixtures import default_fixtures_dir, expected_output, shown, slug_for, write_fixture
from crawler.sitekit.offline import OfflineRun


class Command(KnownOptionsCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "URL|PAGE.html --site NAME [--url URL]"

    def short_desc(self) -> str:
        return "Save an article page as a site's fixture, with its expected output for a person to check"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--site", required=True, metavar="NAME", help="the site the page belongs to")
        parser.add_argument("--url", help="the address the page was fetched from (default: its canonical URL)")
        parser.add_argument("--fetched-at", type=fetched_at_option,
                            help="when the page was fetched (ISO 8601; default: now)")
        parser.add_argument("--force", action="store_true", help="replace a fixture of the same name")
        parser.add_argument("--fixtures-dir", metavar="DIR", type=Path, default=None,
                            help="where fixture folders are (default: tests/fixtures/sites)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one page: a saved PAGE.html, or a URL to download", print_help=False)
        assert self.settings is not None
        site = site_named(opts.site, self.settings.get("SPACECRAWL_SITES_FILE"))
        page_bytes, url = self._page(args[0], opts)
        if not site.owns(url):
            raise UsageError(f"{url} is not on {site.name}'s domains {list(site.domains)}", print_help=False)
        fetched_at = opts.fetched_at or datetime.now(UTC).replace(microsecond=0)
        html = decode_html(page_bytes)
        try:
            article = OfflineRun(self.settings).process(url, html, fetched_at)
        except DropItem as exc:
            print(f"savefixture: not saved: a crawl would drop this page ({exc}); save an article page")
            self.exitcode = 1
            return
        folder = (opts.fixtures_dir or default_fixtures_dir()) / site.name
        slug = slug_for(url)
        if (folder / f"{slug}.html").exists() and not opts.force:
            raise UsageError(f"{folder / slug}.html exists already; --force replaces it", print_help=False)
        expected = expected_output(url, fetched_at, article, html)
        page, expected_path = write_fixture(folder, slug, page_bytes, expected)
        print(summary(page, expected_path, expected, site.name))

    def _page(self, source: str, opts: argparse.Namespace) -> tuple[bytes, str]:
        if urlsplit(source).scheme in ("http", "https"):
            assert self.settings is not None
            try:
                return fetch(source, self.settings.get("USER_AGENT")), opts.url or source
            except (URLError, OSError, ValueError) as exc:
                raise UsageError(f"cannot download {source}: {exc}", print_help=False) from None
        try:
            page_bytes = Path(source).read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {source}: {exc.strerror}", print_help=False) from None
        return page_bytes, page_address(decode_html(page_bytes), opts.url, source)


def summary(page: Path, expected_path: Path, expected: dict[str, Any], site: str) -> str:
    lines = [f"Saved {shown(page)}", f"Expected output {shown(expected_path)}:"]
    for key, value in expected.items():
        if key == "body_paragraphs":
            value = " … ".join(p if len(p) < 70 else p[:69] + "…" for p in value)
        lines.append(f"  {key:<15} {value}")
    lines += ["Check every value against the page by eye (open the .html in a browser): correct what is wrong in",
              "the .json, and add to not_in_body any furniture text the body must never contain. Then:",
              f"  python -m pytest tests/test_site_fixtures.py -k {site}"]
    return "\n".join(lines)
