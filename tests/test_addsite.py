"""Adding a site from saved pages: `scrapy addsite`, `savefixture`, `checksite`, `extract`, and the
findings and checks they share (crawler/sitekit/). Nothing here goes beyond 127.0.0.1 (`--fetch`
reads the local fake site); files go to tmp_path through --sites-dir, --fixtures-dir and --config."""

from __future__ import annotations

import json
import runpy
import shutil
import socket
from datetime import UTC
from pathlib import Path

import pytest
from scrapy.cmdline import execute

from crawler.sitekit.discover import inspect_site
from crawler.sitekit.fixtures import fixture_problems
from crawler.sites.base import Site, load_sites_file
from fakesite import FakeSite, serve
from tests.helpers import REPO

FIXTURES = REPO / "tests" / "fixtures" / "sites"
SPACENEWS_PAGE = FIXTURES / "spacenews" / "sierra-space-lays-off-165-in-workforce-realignment.html"
SPACENEWS_URL = "https://spacenews.com/sierra-space-lays-off-165-in-workforce-realignment/"

WORDPRESS_HOME = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
<title>Orbit Weekly</title>
<meta name="generator" content="WordPress 6.5.3">
<link rel="alternate" type="application/rss+xml" title="Orbit Weekly &raquo; Feed" href="https://orbitweekly.example/feed/">
<link rel="alternate" type="application/rss+xml" title="Orbit Weekly &raquo; Comments Feed" href="https://orbitweekly.example/comments/feed/">
<link rel="alternate" type="application/rss+xml" title="Partner feed" href="https://feeds.elsewhere.example/orbit">
<script type="application/ld+json" class="yoast-schema-graph">{"@context":"https://schema.org","@graph":[
 {"@type":"CollectionPage","name":"Orbit Weekly"},{"@type":"WebSite","name":"Orbit Weekly"}]}</script>
<link rel="stylesheet" href="https://orbitweekly.example/wp-content/themes/astra/style.css">
</head><body><h1>Orbit Weekly</h1></body></html>"""
ROBOTS = "User-agent: *\nDisallow: /wp-admin/\n\nSitemap: https://orbitweekly.example/sitemap_index.xml\n"
GHOST_HOME = """<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Raumfahrt Blog</title>
<meta name="generator" content="Ghost 5.82"></head><body><p>Willkommen</p></body></html>"""


def scrapy(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *arguments: str) -> tuple[int, str, str]:
    """Run `scrapy ARGUMENTS` in this process; (exit code, stdout, stderr)."""
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("SPACECRAWL_SITES_FILE", raising=False)
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_:
        execute(["scrapy", *arguments])
    out, err = capsys.readouterr()
    return exit_.value.code or 0, out, err


@pytest.fixture
def run(capsys, monkeypatch):  # type: ignore[no-untyped-def]
    return lambda *arguments: scrapy(capsys, monkeypatch, *arguments)


@pytest.fixture
def saved(tmp_path: Path) -> dict[str, Path]:
    home, robots = tmp_path / "home.html", tmp_path / "robots.txt"
    home.write_text(WORDPRESS_HOME, encoding="utf-8")
    robots.write_text(ROBOTS, encoding="utf-8")
    return {"home": home, "robots": robots, "sites": tmp_path / "sites", "fixtures": tmp_path / "fixtures"}


# --- what saved pages say about a site ---------------------------------------------------------
def test_findings_from_a_wordpress_home_page_and_robots_txt() -> None:
    found = inspect_site("https://www.orbitweekly.example/", WORDPRESS_HOME, ROBOTS)
    assert found.feeds == ["https://orbitweekly.example/feed/"]  # not the comments feed
    assert found.sitemaps == ["https://orbitweekly.example/sitemap_index.xml"]
    assert found.guessed == []
    assert (found.cms, found.language) == ("WordPress", "en")
    assert found.jsonld_types == ["CollectionPage", "WebSite"]
    assert any("feeds.elsewhere.example" in note for note in found.skipped)


def test_wordpress_sitemap_is_guessed_only_when_robots_txt_names_none() -> None:
    found = inspect_site("https://orbitweekly.example/", WORDPRESS_HOME, None)
    assert found.sitemaps == found.guessed == ["https://orbitweekly.example/sitemap_index.xml"]  # Yoast's


def test_ghost_site_gets_its_usual_feed_and_sitemap_as_guesses() -> None:
    found = inspect_site("https://raumfahrt.example/", GHOST_HOME, None)
    assert (found.cms, found.language, found.jsonld_types) == ("Ghost", "de", [])
    assert found.feeds == ["https://raumfahrt.example/rss/"]
    assert found.sitemaps == ["https://raumfahrt.example/sitemap.xml"]
    assert set(found.guessed) == set(found.feeds + found.sitemaps)


# --- scrapy addsite ----------------------------------------------------------------------------
def test_addsite_writes_a_module_that_defines_the_site_found(run, saved: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run("addsite", "orbitweekly", "https://www.orbitweekly.example/", "--from-html", str(saved["home"]),
                       "--robots", str(saved["robots"]), "--sites-dir", str(saved["sites"]),
                       "--fixtures-dir", str(saved["fixtures"]))
    assert code == 0
    site = runpy.run_path(str(saved["sites"] / "orbitweekly.py"))["SITE"]
    assert site == Site(name="orbitweekly", domains=("orbitweekly.example",), feeds=("https://orbitweekly.example/feed/",),
                        sitemaps=("https://orbitweekly.example/sitemap_index.xml",), language="en")
    assert "WordPress" in out and "JSON-LD    yes (CollectionPage, WebSite)" in out
    assert "scrapy savefixture ARTICLE.html --site orbitweekly" in out and "scrapy checksite orbitweekly" in out
    assert "savefixture" in (saved["fixtures"] / "orbitweekly" / "README.md").read_text(encoding="utf-8")


def test_addsite_fetch_reads_the_home_page_and_robots_txt(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site = FakeSite(articles=3)
    with serve(site) as home:
        code, out, _ = run("addsite", "fetched", home, "--fetch", "--sites-dir", str(tmp_path / "sites"),
                           "--fixtures-dir", str(tmp_path / "fixtures"))
    assert code == 0, out
    defined = runpy.run_path(str(tmp_path / "sites" / "fetched.py"))["SITE"]
    assert list(defined.feeds) == [site.feed_url] and list(defined.sitemaps) == site.sitemap_urls  # from robots.txt


def test_addsite_fetch_of_a_home_page_that_does_not_answer_writes_nothing(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{unused.getsockname()[1]}/"
    code, _, err = run("addsite", "unreachable", dead, "--fetch", "--sites-dir", str(tmp_path / "sites"),
                       "--fixtures-dir", str(tmp_path / "fixtures"))
    assert code == 2 and f"cannot fetch {dead}" in err and "Traceback" not in err
    assert not (tmp_path / "sites").exists() and not (tmp_path / "fixtures").exists()


def test_addsite_given_feed_wins_and_without_pages_the_home_page_is_a_listing(run, saved: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    args = ("--sites-dir", str(saved["sites"]), "--fixtures-dir", str(saved["fixtures"]))
    assert run("addsite", "given", "https://given.example/", "--feed", "https://given.example/rss.xml", *args)[0] == 0
    assert runpy.run_path(str(saved["sites"] / "given.py"))["SITE"].feeds == ("https://given.example/rss.xml",)
    assert run("addsite", "bare-site", "https://bare.example/news/", *args)[0] == 0
    bare = runpy.run_path(str(saved["sites"] / "bare_site.py"))["SITE"]
    assert (bare.feeds, bare.sitemaps, bare.listing_pages) == ((), (), ("https://bare.example/news/",))


def test_addsite_with_config_appends_an_entry_the_sites_file_reads(run, saved: dict[str, Path], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "sites.toml"
    shutil.copy(REPO / "tests" / "fixtures" / "sites.toml", config)
    code, out, _ = run("addsite", "orbitweekly", "https://orbitweekly.example/", "--from-html", str(saved["home"]),
                       "--config", str(config), "--fixtures-dir", str(saved["fixtures"]))
    assert code == 0
    sites = load_sites_file(config)
    assert {"spacedaily", "skyandtelescope", "orbitweekly"} <= set(sites)
    assert sites["orbitweekly"].sitemaps == ("https://orbitweekly.example/sitemap_index.xml",)
    assert f"SPACECRAWL_SITES_FILE={config} scrapy checksite orbitweekly" in out
    assert not saved["sites"].exists()  # no module when the site goes to the sites file
    code, _, err = run("addsite", "orbitweekly", "https://orbitweekly.example/", "--config", str(config),
                       "--fixtures-dir", str(saved["fixtures"]))
    assert code == 2 and "defines 'orbitweekly' already" in err


def test_checksite_takes_a_time_at_midnight_utc_for_a_time(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # 20:00 in New York is 00:00 UTC: a time shown, not a day
    page = tmp_path / "brief.html"
    words = " ".join(["The launch went ahead on time and the satellite reached its planned orbit."] * 6)
    page.write_text("<html lang='en'><head><title>Launch brief</title>"
                    "<meta property='article:published_time' content='2024-05-13T20:00:00-04:00'></head><body>"
                    f"<article><h1>Launch brief</h1><p class='byline'>By Jane Doe</p><p>{words}</p></article></body></html>",
                    encoding="utf-8")
    code, out, _ = run("checksite", "spacenews", str(page), "--url", "https://spacenews.com/launch-brief-for-today/")
    assert code == 0 and "date with time 1/1" in out and "without a time" not in out


@pytest.mark.parametrize("arguments, message", [
    (("Orbit Weekly", "https://orbitweekly.example/"), "site name 'Orbit Weekly': use lowercase letters"),
    (("orbitweekly", "orbitweekly.example"), "is not an http(s) address"),
    (("orbitweekly", "https://orbitweekly.example/", "--feed", "https://elsewhere.example/feed/"),
     "feeds URL 'https://elsewhere.example/feed/' is not an http(s) URL on the site's domains"),
    (("spacenews", "https://spacenews.com/"), "site 'spacenews' exists already"),
    (("orbitweekly", "https://orbitweekly.example/", "--from-html", "/nonexistent/home.html"), "cannot read"),
    (("orbitweekly",), "give the site's NAME and home page URL"),
])
def test_addsite_bad_input_is_a_one_line_error(run, saved: dict[str, Path], arguments: tuple[str, ...], message: str) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run("addsite", *arguments, "--sites-dir", str(saved["sites"]), "--fixtures-dir", str(saved["fixtures"]))
    assert code == 2
    error = [line for line in err.splitlines() if "error:" in line]
    assert len(error) == 1 and message in error[0]
    assert not saved["sites"].exists()


# --- scrapy savefixture and checksite ----------------------------------------------------------
def test_savefixture_pins_a_page_and_checksite_passes_it(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run("savefixture", str(SPACENEWS_PAGE), "--site", "spacenews", "--fixtures-dir", str(tmp_path),
                       "--fetched-at", "2025-12-01T12:00:00+00:00")
    assert code == 0 and "by eye" in out
    saved = tmp_path / "spacenews" / SPACENEWS_PAGE.name
    assert saved.read_bytes() == SPACENEWS_PAGE.read_bytes()
    expected = json.loads(saved.with_suffix(".json").read_text(encoding="utf-8"))
    written = json.loads(SPACENEWS_PAGE.with_suffix(".json").read_text(encoding="utf-8"))  # the hand-made expectation
    for key in ("url", "title", "authors", "published", "section", "tags", "language", "body_words"):
        assert expected[key] == written[key], key
    assert expected["body_paragraphs"] == [written["body_paragraphs"][0], written["body_paragraphs"][-1]]
    code, out, _ = run("checksite", "spacenews", "--fixtures-dir", str(tmp_path))
    assert code == 0 and "verdict: FAIL" not in out and "title 1/1" in out and "authors 1/1" in out
    code, _, err = run("savefixture", str(SPACENEWS_PAGE), "--site", "spacenews", "--fixtures-dir", str(tmp_path))
    assert code == 2 and "exists already; --force replaces it" in err


def test_checksite_fails_a_page_whose_extraction_no_longer_matches(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "spacenews"
    folder.mkdir()
    shutil.copy(SPACENEWS_PAGE, folder)
    expected = json.loads(SPACENEWS_PAGE.with_suffix(".json").read_text(encoding="utf-8"))
    expected["title"] = "Sierra Space hires 165"
    expected["not_in_body"].append("Dream Chaser mission")  # words the body really has
    folder.joinpath(SPACENEWS_PAGE.with_suffix(".json").name).write_text(json.dumps(expected), encoding="utf-8")
    code, out, _ = run("checksite", "spacenews", "--fixtures-dir", str(tmp_path))
    assert code == 1
    assert "FAIL: title: expected 'Sierra Space hires 165'" in out
    assert "FAIL: body keeps boilerplate 'Dream Chaser mission'" in out
    assert out.rstrip().endswith("verdict: FAIL (see FAIL lines above)")


def test_checksite_on_a_given_page_warns_about_missing_fields(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = tmp_path / "brief.html"
    words = " ".join(["The launch went ahead on time and the satellite reached its planned orbit."] * 6)
    page.write_text(f"<html lang='en'><head><title>Launch brief</title></head><body><article><h1>Launch brief</h1>"
                    f"<p>{words}</p></article></body></html>", encoding="utf-8")
    code, out, _ = run("checksite", "spacenews", str(page), "--url", "https://spacenews.com/launch-brief-for-today/")
    assert code == 0
    assert out.startswith("WARN") and "WARN: no publication date" in out and "WARN: no authors" in out
    assert "date with time 0/1" in out


def test_checksite_warns_about_a_date_shown_without_a_time_on_a_site_with_a_zone(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # spacenews prints times in New York; a day without a time is stored at midnight UTC
    page = tmp_path / "brief.html"
    words = " ".join(["The launch went ahead on time and the satellite reached its planned orbit."] * 6)
    page.write_text(f"<html lang='en'><head><title>Launch brief</title></head><body><article><h1>Launch brief</h1>"
                    f"<p class='byline'>By Jane Doe</p><time>May 13, 2024</time><p>{words}</p></article></body></html>",
                    encoding="utf-8")
    code, out, _ = run("checksite", "spacenews", str(page), "--url", "https://spacenews.com/launch-brief-for-today/")
    assert code == 0
    assert "WARN: publication date without a time" in out and "date with time 0/1" in out


@pytest.mark.parametrize("arguments, message", [
    (("savefixture", str(SPACENEWS_PAGE), "--site", "nosuchsite"), "no site is called 'nosuchsite'"),
    (("savefixture", str(SPACENEWS_PAGE), "--site", "nasa"), "is not on nasa's domains"),
    (("savefixture", "/nonexistent/page.html", "--site", "spacenews"), "cannot read /nonexistent/page.html"),
    (("checksite", "spacenews", "--fixtures-dir", "/nonexistent"), "has no fixture pages"),
    (("checksite",), "give a site"),
    (("savefixture", str(SPACENEWS_PAGE), "--site", "spacenews", "--fetched-at", "yesterday"),
     "fetched_at 'yesterday' is not ISO 8601"),
    (("extract", str(SPACENEWS_PAGE), "--url", SPACENEWS_URL, "--fetched-at", "yesterday"),
     "fetched_at 'yesterday' is not ISO 8601"),
    (("extract", "/nonexistent/page.html.gz", "--url", SPACENEWS_URL), "cannot read /nonexistent/page.html.gz"),
])
def test_savefixture_and_checksite_bad_input_is_a_one_line_error(run, arguments: tuple[str, ...], message: str) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(*arguments)
    assert code == 2
    error = [line for line in err.splitlines() if "error:" in line]
    assert len(error) == 1 and message in error[0]


def test_savefixture_needs_an_address_for_a_page_that_declares_none(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = tmp_path / "page.html"
    page.write_text("<html><body><h1>Untitled</h1><p>Text.</p></body></html>", encoding="utf-8")
    code, _, err = run("savefixture", str(page), "--site", "spacenews", "--fixtures-dir", str(tmp_path))
    assert code == 2 and "declares no canonical URL: give the address it came from with --url" in err


# --- the comparison the fixture test and checksite share ------------------------------------------
def test_fixture_problems_name_each_regressed_field() -> None:
    from datetime import UTC, datetime

    from crawler.items import Article

    article = Article(url="https://example.com/a", title="A rocket", authors=["Ann Lee", "Bo Chen"],
                      published=datetime(2024, 5, 1, 12, 0, tzinfo=UTC), body="First part.\n\nSecond part.", word_count=4)
    expected = {"title": "A rocket", "authors": ["Bo Chen", "Ann Lee"], "published": "2024-05-01T08:00:00-04:00",
                "body_words": 4, "body_paragraphs": ["First part.", "Second part."], "not_in_body": ["Share this:"]}
    assert fixture_problems(article, expected) == []
    regressed = expected | {"published": "2024-05-01T12:00:00-04:00", "authors": ["Ann Lee"], "body_words": 8,
                            "body_paragraphs": ["Third part."], "not_in_body": ["Second part"]}
    problems = fixture_problems(article, regressed)
    assert [p.split(":")[0] for p in problems] == ["authors", "published", "body", "body lacks the paragraph 'Third part.'",
                                                   "body keeps boilerplate 'Second part'"]


# --- the "Adding a site" guide's examples, from the saved pages it uses ----------------------------
EXAMPLES = FIXTURES / "_examples"


def test_guide_wordpress_example_feed_sitemap_and_no_selectors(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.fixtures.sites.stories import EXAMPLE_WORDPRESS

    story = EXAMPLE_WORDPRESS[0]
    config, fixtures = tmp_path / "my-sites.toml", tmp_path / "fixtures"
    assert run("addsite", "orbitweekly", "https://orbitweekly.example/", "--from-html", str(EXAMPLES / "orbitweekly-home.html"),
               "--robots", str(EXAMPLES / "orbitweekly-robots.txt"), "--config", str(config),
               "--fixtures-dir", str(fixtures))[0] == 0
    site = load_sites_file(config)["orbitweekly"]
    assert (site.feeds, site.sitemaps, site.selectors) == (
        ("https://orbitweekly.example/feed/",), ("https://orbitweekly.example/sitemap_index.xml",), {})
    with_sites = ("-s", f"SPACECRAWL_SITES_FILE={config}", "--fixtures-dir", str(fixtures))
    code, _, _ = run("savefixture", str(EXAMPLES / "orbitweekly-article.html"), "--site", "orbitweekly", *with_sites)
    assert code == 0
    expected = json.loads((fixtures / "orbitweekly" / "lunar-relay-satellite-passes-thermal-vacuum-tests.json").read_text())
    assert (expected["title"], expected["authors"]) == (story.title, story.authors)
    assert expected["published"] == story.published.astimezone(UTC).isoformat()
    code, out, _ = run("checksite", "orbitweekly", *with_sites)
    assert code == 0 and "title 1/1 · date with time 1/1 · authors 1/1" in out


def test_guide_custom_example_two_selectors(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "my-sites.toml"
    page = str(EXAMPLES / "lunarledger-article.html")
    assert run("addsite", "lunarledger", "https://lunarledger.example/", "--from-html", str(EXAMPLES / "lunarledger-home.html"),
               "--config", str(config), "--fixtures-dir", str(tmp_path / "fixtures"))[0] == 0
    assert load_sites_file(config)["lunarledger"].feeds == ("https://lunarledger.example/atom.xml",)
    code, out, _ = run("checksite", "lunarledger", page, "-s", f"SPACECRAWL_SITES_FILE={config}")
    assert code == 0 and "WARN: no authors" in out and "5 paragraphs" in out  # the members' appeal is one of them
    with config.open("a", encoding="utf-8") as sites_file:
        sites_file.write('\n[site.selectors]\nauthors = "a.writer"\nremove = "p.members"\n')
    code, out, _ = run("checksite", "lunarledger", page, "-s", f"SPACECRAWL_SITES_FILE={config}")
    assert code == 0 and out.startswith("OK") and "authors: Priya Raman" in out and "4 paragraphs" in out


def test_extract_bad_manifest_line_is_its_own_error_and_the_rest_is_extracted(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lines = [
        {"id": "bad-date", "url": SPACENEWS_URL, "html": str(SPACENEWS_PAGE), "fetched_at": "yesterday"},
        "not json",
        {"id": "no-html", "url": SPACENEWS_URL},
        {"id": "good", "url": SPACENEWS_URL, "html": str(SPACENEWS_PAGE), "fetched_at": "2025-01-02T03:04:05+00:00"},
    ]
    manifest = tmp_path / "cases.jsonl"
    manifest.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines))

    code, out, err = run("extract", "--manifest", str(manifest))

    records = [json.loads(line) for line in out.splitlines()]
    assert [record["id"] for record in records] == ["bad-date", None, "no-html", "good"]
    assert "fetched_at 'yesterday' is not ISO 8601" in records[0]["error"]
    assert f"{manifest}:2: bad manifest line" in records[1]["error"]
    assert "error" in records[2]
    assert "error" not in records[3] and records[3]["title"] and records[3]["body"]
    assert code == 0 and "article 1, error 3" in err


def test_extract_with_a_manifest_it_cannot_read_writes_no_output(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "out.jsonl"
    code, _, err = run("extract", "--manifest", str(tmp_path / "missing.jsonl"), "-o", str(target))
    assert code == 2 and err.strip().splitlines()[-1].endswith("No such file or directory")
    assert not target.exists(), "a typo leaves no empty output behind"


def test_extract_with_a_manifest_that_is_not_text_is_a_one_line_error(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    manifest = tmp_path / "cases.jsonl"
    manifest.write_bytes(b"\xff\xfe{not text")
    code, _, err = run("extract", "--manifest", str(manifest))
    assert code == 2 and "Traceback" not in err
    assert err.strip().splitlines()[-1].endswith(f"error: manifest {manifest} is not UTF-8 text")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full, a device that is always full")
def test_extract_output_on_a_full_disk_is_a_one_line_error(run) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run("extract", str(SPACENEWS_PAGE), "--url", SPACENEWS_URL, "-o", "/dev/full")
    assert code == 1, "a failed run, not a usage error"
    assert err.strip().splitlines()[-1] == "error: cannot write /dev/full: No space left on device"


def test_a_mistyped_option_is_a_usage_error(run) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run("extract", "--manifst", "cases.jsonl")
    assert code == 2 and err.strip().splitlines()[-1].endswith("error: unknown option --manifst (-h lists the options)")


def test_extract_output_that_cannot_be_written_is_a_one_line_error(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "no-such-folder" / "out.jsonl"
    code, _, err = run("extract", str(SPACENEWS_PAGE), "--url", SPACENEWS_URL, "-o", str(target))
    assert code == 1 and "Traceback" not in err
    assert err.strip().splitlines()[-1] == f"error: cannot write {target}: No such file or directory"
