"""`scrapy addsite`: scaffold a site from what its saved home page and robots.txt say."""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urljoin, urlsplit

from scrapy.exceptions import UsageError

import crawler.sites
from crawler.cli.base_commands import KnownOptionsCommand
from crawler.cli.pages import read_page
from crawler.extraction import decode_html
from crawler.sitekit.discover import SiteFindings, fetch, inspect_site
from crawler.sitekit.fixtures import default_fixtures_dir, shown
from crawler.sitekit.scaffold import module_source, scaffold_site, toml_entry
from crawler.sites.base import Site, SiteError, builtin_sites, load_sites_file

FIXTURE_README = ("Saved article pages of {name}, each <slug>.html with its expected output <slug>.json, run by "
                  "tests/test_site_fixtures.py.\nAdd one: `scrapy savefixture PAGE.html --site {name} --url URL`, "
                  "then check the .json by eye.\n")


class Command(KnownOptionsCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "NAME URL [--feed URL] [--sitemap URL] [--from-html HOME.html] [--robots robots.txt] [--config FILE]"

    def short_desc(self) -> str:
        return "Scaffold a new site (module or sites-file entry, fixture folder) from its saved home page"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--feed", action="append", default=[], metavar="URL", help="an RSS/Atom feed (repeatable)")
        parser.add_argument("--sitemap", action="append", default=[], metavar="URL", help="a sitemap (repeatable)")
        parser.add_argument("--from-html", metavar="PAGE.html", help="the site's home page, saved")
        parser.add_argument("--robots", metavar="FILE", help="the site's robots.txt, saved")
        parser.add_argument("--fetch", action="store_true",
                            help="download the home page and robots.txt (needs network) instead of saved files")
        parser.add_argument("--config", metavar="FILE", help="append a [[site]] entry to this sites file "
                                                             "instead of writing a module")
        parser.add_argument("--sites-dir", metavar="DIR", type=Path, default=Path(crawler.sites.__path__[0]),
                            help="where site modules go (default: crawler/sites)")
        parser.add_argument("--fixtures-dir", metavar="DIR", type=Path, default=None,
                            help="where fixture folders go (default: tests/fixtures/sites)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 2:
            raise UsageError("give the site's NAME and home page URL: scrapy addsite NAME URL", print_help=False)
        name, url = args
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
            raise UsageError(f"URL {url!r} is not an http(s) address such as https://example.com/", print_help=False)
        home_html, robots_txt, sources = self._pages(url, opts)
        findings = inspect_site(url, home_html, robots_txt)
        try:
            site = scaffold_site(name, url, findings, feeds=opts.feed, sitemaps=opts.sitemap)
        except SiteError as exc:
            raise UsageError(str(exc), print_help=False) from None
        source = " and ".join(sources) or "the command line"
        written = self._write_toml(site, findings, source, Path(opts.config)) if opts.config else \
            self._write_module(site, findings, source, opts.sites_dir)
        fixtures = (opts.fixtures_dir or default_fixtures_dir()) / site.name
        fixtures.mkdir(parents=True, exist_ok=True)
        readme = fixtures / "README.md"
        if not readme.exists():
            readme.write_text(FIXTURE_README.format(name=site.name), encoding="utf-8")
        print(report(site, findings, opts, written, fixtures))

    def _pages(self, url: str, opts: argparse.Namespace) -> tuple[str | None, str | None, list[str]]:
        """The home page and robots.txt as text, from files or (with --fetch) the site."""
        home_html = robots_txt = None
        sources = []
        if opts.from_html:
            home_html = read_file(opts.from_html, read_page)
            sources.append(Path(opts.from_html).name)
        if opts.robots:
            robots_txt = read_file(opts.robots, lambda path: path.read_text(encoding="utf-8", errors="replace"))
            sources.append(Path(opts.robots).name)
        if opts.fetch:
            assert self.settings is not None
            agent = self.settings.get("USER_AGENT")
            if home_html is None:
                # Without its home page a site module would hold little but its name: write nothing.
                try:
                    home_html = decode_html(fetch(url, agent))
                except (URLError, OSError, ValueError) as exc:
                    raise UsageError(f"cannot fetch {url} ({exc}); save the page and give it with --from-html",
                                     print_help=False) from None
                sources.append(url)
            if robots_txt is None:
                robots_url = urljoin(url, "/robots.txt")
                try:
                    robots_txt = fetch(robots_url, agent).decode("utf-8", errors="replace")
                    sources.append(robots_url)
                except (URLError, OSError, ValueError) as exc:
                    print(f"addsite: no robots.txt ({exc}); going on without it")
        return home_html, robots_txt, sources

    def _write_module(self, site: Site, findings: SiteFindings, source: str, sites_dir: Path) -> Path:
        if site.name in builtin_sites():
            raise UsageError(f"site {site.name!r} exists already, in crawler/sites", print_help=False)
        path = sites_dir / f"{site.name.replace('-', '_')}.py"
        if path.exists():
            raise UsageError(f"{path} exists already; pick another name or remove it", print_help=False)
        sites_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(module_source(site, findings, source), encoding="utf-8")
        return path

    def _write_toml(self, site: Site, findings: SiteFindings, source: str, path: Path) -> Path:
        entry = toml_entry(site, findings, source)
        # The entry reads back as the same site before it touches the user's file.
        assert Site.from_mapping(tomllib.loads(entry)["site"][0]) == site
        if path.exists():
            try:
                existing = load_sites_file(path)
            except SiteError as exc:
                raise UsageError(f"not adding to a broken file: {exc}", print_help=False) from None
            if site.name in existing:
                raise UsageError(f"sites file {path} defines {site.name!r} already", print_help=False)
            text = path.read_text(encoding="utf-8")
            entry = ("\n" if text.endswith("\n") else "\n\n") + entry if text.strip() else entry
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(entry)
        return path


def read_file(name: str, reader):  # type: ignore[no-untyped-def]
    try:
        return reader(Path(name))
    except OSError as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror}", print_help=False) from None


def report(site: Site, findings: SiteFindings, opts: argparse.Namespace, written: Path, fixtures: Path) -> str:
    def urls(found: tuple[str, ...], given: list[str]) -> str:
        if not found:
            return "none"
        return ", ".join(f"{u} ({'given' if u in given else 'guessed' if u in findings.guessed else 'found'})"
                         for u in found)

    jsonld = (f"yes ({', '.join(findings.jsonld_types)}): titles, dates and authors likely come from it"
              if findings.jsonld_types else "none on this page; fields will come from meta tags and markup")
    lines = [f"Site {site.name!r} on {', '.join(site.domains)}",
             f"  CMS        {findings.cms or 'not recognised'}",
             f"  language   {site.language or 'not declared (set language= if the site is not in English)'}",
             f"  JSON-LD    {jsonld}",
             f"  feeds      {urls(site.feeds, opts.feed)}",
             f"  sitemaps   {urls(site.sitemaps, opts.sitemap)}"]
    if site.listing_pages:
        lines.append(f"  listing    {', '.join(site.listing_pages)} (no feed or sitemap found: the home page's links)")
    lines += [f"  skipped    {note}" for note in findings.skipped]
    if findings.guessed:
        lines.append("  Guessed addresses are where the CMS usually keeps them: open them in a browser to be sure.")
    env = f"SPACECRAWL_SITES_FILE={shown(written)} " if opts.config else ""
    fixtures_dir = f" --fixtures-dir {shown(fixtures.parent)}" if opts.fixtures_dir else ""
    lines += [f"Wrote {shown(written)}" + (" (a [[site]] entry appended)" if opts.config else ""),
              f"Made {shown(fixtures)}/ for its fixture pages",
              "Next:",
              f"  {env}scrapy savefixture ARTICLE.html --site {site.name} --url ARTICLE_URL{fixtures_dir}"
              "   # a saved article page, pinned with what comes out of it; check its .json by eye",
              f"  {env}scrapy checksite {site.name}{fixtures_dir}   # which fields come out, with a verdict",
              f"  {env}python -m pytest tests/test_site_fixtures.py -k {site.name}",
              f"  add article and non-article URLs of {site.name} to SAMPLES in tests/test_sites.py   "
              "# its article rule is tested on them",
              f"  {env}scrapy crawl {site.name} -s CLOSESPIDER_ITEMCOUNT=5   # a short real crawl (network)"]
    return "\n".join(lines)
