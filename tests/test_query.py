"""The query side on real SQLite and PostgreSQL: search language, filters, the Python API and
the export / search / show / stats commands."""

from __future__ import annotations

import csv
import io
import json
import os
import struct
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url

from crawler.db import QueryError, open_store
from crawler.db import repository
from crawler.db.models import Article as StoredArticle
from crawler.db.query import ArticleFilter, SearchQuery, Term, parse_date_bound, parse_query
from crawler.db.repository import full_text
from crawler.items import STORED_FIELDS
from tests.helpers import REPO, scrapy_here as scrapy

T0 = datetime(2024, 3, 4, 10, 0, tzinfo=UTC)  # a Monday


# --- the search language (no database) ------------------------------------------------------
def test_query_language() -> None:
    parsed = parse_query('europa "heat  shield" starship OR superheavy -rumour NOT leak launch*')
    assert parsed == SearchQuery(
        required=((Term("europa"),), (Term("heat shield"),), (Term("starship"), Term("superheavy")),
                  (Term("launch", prefix=True),)),
        excluded=(Term("rumour"), Term("leak")),
    )


def test_lowercase_or_is_a_word_and_punctuation_is_not() -> None:
    assert parse_query("war or peace ()").required == ((Term("war"),), (Term("or"),), (Term("peace"),))


@pytest.mark.parametrize("query", ["", "   ", "-alone", "NOT alone", "*** ---", "()", '""'])
def test_nothing_to_search_for(query: str) -> None:
    with pytest.raises(QueryError, match="nothing to search for"):
        parse_query(query)


def test_overlong_query_refused() -> None:
    with pytest.raises(QueryError, match="too long"):
        parse_query("word " * 500)
    with pytest.raises(QueryError, match="too many terms"):
        parse_query(" ".join(f"w{n}" for n in range(40)))


@pytest.mark.parametrize(("text", "end", "expected"), [
    ("2021-09", False, datetime(2021, 9, 1, tzinfo=UTC)),
    ("2021-09", True, datetime(2021, 10, 1, tzinfo=UTC)),
    ("2021-12", True, datetime(2022, 1, 1, tzinfo=UTC)),
    ("2024-02-29", True, datetime(2024, 3, 1, tzinfo=UTC)),
    ("2021", True, datetime(2022, 1, 1, tzinfo=UTC)),
    ("15 March 2024", False, datetime(2024, 3, 15, tzinfo=UTC)),
])
def test_date_bounds(text: str, end: bool, expected: datetime) -> None:
    assert parse_date_bound(text, end=end) == expected


def test_relative_date_bound() -> None:
    bound = parse_date_bound("last week")
    now = datetime.now(UTC)
    assert now - timedelta(days=8) < bound < now - timedelta(days=6)


@pytest.mark.parametrize("text", ["garbage", "2021-13", "2021-02-30"])
def test_unreadable_dates(text: str) -> None:
    with pytest.raises(ValueError, match=repr(text)):
        parse_date_bound(text)


# --- search on both databases ---------------------------------------------------------------
def story(slug: str, title: str, body: str, **extra: object) -> dict[str, object]:
    return {"url": f"https://news.example/{slug}", "fetched_url": f"https://news.example/{slug}?ref=feed",
            "site": "example", "title": title, "body": body, "published": T0, "content_hash": slug} | extra


STORIES = [
    story("clipper", "Europa Clipper nears launch",
          "Engineers fitted the heat shield before the spacecraft left for the launchpad.",
          authors=["Ada Lovelace"], tags=["Europa", "Jupiter"]),
    story("starship", "Starship test flight",
          "The heat of reentry tested every tile; the shield held, engineers said.",
          site="other", published=T0 + timedelta(days=10), authors=["Grace Hopper"], tags=["Starship"]),
    story("pad", "Launchpad repairs", "Crews repaired the flame trench after the last flight.",
          published=T0 + timedelta(days=40)),
    story("jupiter-body", "Giant planet storms", "Storms on Jupiter were observed again by the orbiter."),
    story("jupiter-title", "Jupiter storms", "Storms were observed again by the orbiter team this week."),  # stored last
]


@pytest.fixture
def stories(engine: Engine) -> Engine:
    repository.upsert_articles(engine, STORIES)
    return engine


def slugs(engine: Engine, query: str, **filters: object) -> list[str]:
    wanted = ArticleFilter(**filters)
    return [hit.url.rsplit("/", 1)[1] for hit in repository.search(engine, query, wanted)]


def test_words_phrases_or_not_prefix(stories: Engine) -> None:
    assert sorted(slugs(stories, "heat shield")) == ["clipper", "starship"]
    assert slugs(stories, '"heat shield"') == ["clipper"]
    assert sorted(slugs(stories, "trench OR tile")) == ["pad", "starship"]
    assert slugs(stories, "heat -reentry") == ["clipper"]
    assert sorted(slugs(stories, "launch*")) == ["clipper", "pad"]
    assert slugs(stories, "launch") == ["clipper"]  # no stemming: "launchpad" is another word


def test_title_outranks_body(stories: Engine) -> None:
    assert slugs(stories, "jupiter storms") == ["jupiter-title", "jupiter-body"]


def test_hit_shape_and_snippet(stories: Engine) -> None:
    [hit] = repository.search(stories, '"heat shield"')
    assert (hit.url, hit.fetched_url, hit.site, hit.title, hit.published) == (
        STORIES[0]["url"], STORIES[0]["fetched_url"], "example", STORIES[0]["title"], T0)
    assert "**heat shield**" in hit.snippet and "launchpad" in hit.snippet
    assert hit.score == 100.0, "the best hit is 100"


def test_scores_are_shares_of_the_best_and_snippets_one_line(stories: Engine) -> None:
    repository.upsert_articles(stories, [story("lines", "Storms", "Storms rage.\n\nMore storms\non Jupiter.")])
    hits = repository.search(stories, "storms")
    assert hits[0].score == 100.0 and all(0 < hit.score <= 100 for hit in hits) and len(hits) == 3
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert all("\n" not in hit.snippet for hit in hits)


def test_search_filters(stories: Engine) -> None:
    assert slugs(stories, "engineers", sites=("other",)) == ["starship"]
    assert sorted(slugs(stories, "engineers", sites=("example", "other"))) == ["clipper", "starship"]
    assert slugs(stories, "engineers", exclude_sites=("other",)) == ["clipper"]
    assert slugs(stories, "engineers", since=T0 + timedelta(days=1)) == ["starship"]
    assert slugs(stories, "engineers", until=T0 + timedelta(days=1)) == ["clipper"]
    assert slugs(stories, "engineers", author="LOVELACE") == ["clipper"]
    assert slugs(stories, "engineers", tag="starship") == ["starship"]


def test_only_the_newest_hits_are_ranked(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    for slug, title in (("old", "Orbit orbit orbit"), ("newer", "Weather"), ("newest", "Budget")):  # stored in turn
        repository.upsert_articles(engine, [story(slug, title, f"The {title.lower()} story mentions orbit once.")])
    assert slugs(engine, "orbit")[0] == "old"
    monkeypatch.setattr(full_text, "RANKED_CANDIDATES", 2)
    for filters in ({}, {"sites": ("example",)}, {"since": T0}):
        assert slugs(engine, "orbit", **filters) == ["newer", "newest"]  # equal scores: lower id first
    assert slugs(engine, '"budget story"') == ["newest"]


HOSTILE = [
    "'; DROP TABLE articles; --", 'heat" OR 1=1 --', "title:heat", "body : shield", "NEAR(heat shield)",
    "heat AND (OR", "^heat", "'", "\\", "heat:* & !shield", "heat <-> shield", "a''b", '"""', "*", "**heat*",
    "heat\x00shield", "🚀 heat", "(((((((", "%_%", "-", "OR OR OR", "NOT NOT heat", "heat - shield",
    "{heat shield}", "heat@example.com", "$1", "?", ":heat", "heat)", "+heat +shield", "\"heat'shield\"",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_are_only_words(stories: Engine, query: str) -> None:
    try:
        hits = repository.search(stories, query)
    except QueryError as error:
        assert "\n" not in str(error)
    else:
        assert all(isinstance(hit.url, str) for hit in hits)
    with stories.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(StoredArticle)) == len(STORIES)


def test_hostile_query_still_finds_its_words(stories: Engine) -> None:
    assert slugs(stories, "heat:* & !shield") == slugs(stories, "heat shield")
    assert slugs(stories, "'; DROP TABLE articles; --") == []


# --- the Python API -------------------------------------------------------------------------
def test_open_store_api(database_url: str, stories: Engine) -> None:
    with open_store(database_url) as store:
        assert [a.url for a in store.articles(site="other")] == [STORIES[1]["url"]]
        assert [a.url for a in store.articles(site="other, example", exclude_site=["example"])] == [STORIES[1]["url"]]
        records = store.records(since="2024-03-10", until="2024-03")
        assert [r["url"] for r in records] == [STORIES[1]["url"]]
        assert set(records[0]) == set(STORED_FIELDS) and records[0]["published"] == T0 + timedelta(days=10)
        assert [h.url for h in store.search('"heat shield"', tag="europa")] == [STORIES[0]["url"]]
        assert store.article(STORIES[2]["url"]).title == "Launchpad repairs"
        assert store.save([STORIES[0]]) == repository.UpsertCounts(unchanged=1)
        with pytest.raises(ValueError, match="cannot read"):
            store.records(since="the other day maybe")


def test_stats_verbs(stories: Engine) -> None:
    run = repository.start_run(stories, "example", started_at=T0)
    repository.finish_run(stories, run, "finished", {}, finished_at=T0 + timedelta(minutes=3))
    repository.start_run(stories, "example", started_at=T0 + timedelta(hours=1))
    repository.upsert_articles(stories, [story("undated", "No date", "Text.", published=None)])
    example, other = repository.site_summaries(stories)
    assert (example.site, example.articles, example.undated, example.authorless) == ("example", 5, 1, 4)
    assert example.newest == T0 + timedelta(days=40)
    assert (example.last_success, example.last_status) == (T0 + timedelta(minutes=3), "running")
    assert (other.site, other.articles, other.last_success, other.last_status) == ("other", 1, None, None)
    assert repository.count_by_period(stories, "week") == [
        ("2024-03-04", "example", 3), ("2024-03-11", "other", 1), ("2024-04-08", "example", 1)]
    assert repository.count_by_period(stories, "month", ArticleFilter(sites=("example",))) == [
        ("2024-03", "example", 3), ("2024-04", "example", 1)]
    assert repository.count_by_period(stories, "day")[0] == ("2024-03-04", "example", 3)


# --- the commands ---------------------------------------------------------------------------
@pytest.fixture
def run(capsys, monkeypatch, database_url: str, stories: Engine):  # type: ignore[no-untyped-def]
    return lambda *arguments: scrapy(capsys, monkeypatch, database_url, *arguments)


def test_export_jsonl_and_csv(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run("export", "--since", "2024-03-10")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["url"] for r in lines] == [STORIES[1]["url"], STORIES[2]["url"]]
    assert list(lines[0]) == list(STORED_FIELDS) and lines[0]["published"] == "2024-03-14T10:00:00+00:00"
    assert "exported 2 articles" in err

    target = tmp_path / "articles.csv"
    code, out, err = run("export", "-o", str(target), "--site", "example", "--until", "2024-03")
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert code == 0 and out == ""
    assert [r["url"] for r in rows] == [s["url"] for s in (STORIES[0], STORIES[3], STORIES[4])]
    assert rows[0]["tags"] == "Europa; Jupiter" and rows[0]["fetched_url"] == STORIES[0]["fetched_url"]
    assert not list(tmp_path.glob("*.partial"))


def test_export_parquet(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pq = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "articles.parquet"
    code, out, err = run("export", "-o", str(target), "--site", "example", "--until", "2024-03")
    assert code == 0 and out == "" and "exported 3 articles" in err
    table = pq.read_table(target)
    assert table.column_names == list(STORED_FIELDS)
    rows = table.to_pylist()
    assert [r["url"] for r in rows] == [s["url"] for s in (STORIES[0], STORIES[3], STORIES[4])]
    assert (rows[0]["tags"], rows[0]["authors"], rows[0]["published"]) == (["Europa", "Jupiter"], ["Ada Lovelace"], T0)


def test_parquet_needs_a_file_and_pyarrow(run, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run("export", "--format", "parquet")
    assert code == 2 and "-o FILE.parquet" in err
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now fails
    code, out, err = run("export", "-o", str(tmp_path / "articles.parquet"))
    assert (code, out, err) == (1, "", "error: Parquet export needs pyarrow: pip install -r requirements.txt\n")
    assert not list(tmp_path.glob("articles.parquet*"))


def test_search_command_shapes(run) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run("search", '"heat shield"', "--json")
    [hit] = json.loads(out)
    assert code == 0 and list(hit) == ["url", "fetched_url", "site", "title", "published", "story_id", "duplicate_of", "snippet",
                                       "score", "entities"]
    assert hit["url"] == STORIES[0]["url"] and "**heat shield**" in hit["snippet"]
    code, out, _ = run("search", "engineers", "--jsonl", "--author", "hopper")
    assert [json.loads(line)["url"] for line in out.splitlines()] == [STORIES[1]["url"]]
    code, out, _ = run("search", "storms", "--csv", "--limit", "1")
    assert [r["url"] for r in csv.DictReader(io.StringIO(out))] == [STORIES[3]["url"]]
    code, out, err = run("search", "heat", "shield")
    assert code == 0 and STORIES[0]["title"] in out and "2 results" in err


def test_show_command(run, stories: Engine) -> None:  # type: ignore[no-untyped-def]
    repository.upsert_articles(stories, [STORIES[0] | {"title": "Europa Clipper launched", "content_hash": "v2"}])
    code, out, _ = run("show", STORIES[0]["fetched_url"], "--json")
    shown = json.loads(out)
    assert code == 0 and shown["title"] == "Europa Clipper launched"
    assert [r["title"] for r in shown["revisions"]] == [STORIES[0]["title"]]
    code, out, _ = run("show", str(shown["id"]))
    assert code == 0 and "revision 1" in out and STORIES[0]["body"] in out


def test_stats_command(run) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run("stats", "--json")
    assert code == 0 and {s["site"]: s["articles"] for s in json.loads(out)} == {"example": 4, "other": 1}
    code, out, _ = run("stats", "--by", "month", "--json")
    assert json.loads(out)[0] == {"month": "2024-03", "site": "example", "articles": 3}
    code, out, _ = run("stats")
    assert code == 0 and out.splitlines()[0].split()[:2] == ["site", "articles"]


def test_stats_plot(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("matplotlib")
    from matplotlib.image import imread

    target = tmp_path / "per-site.png"
    code, out, err = run("stats", "--plot", str(target), "--by", "week")
    assert code == 0 and out == "" and "plotted 5 articles of 2 sites per week" in err
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    assert struct.unpack(">II", data[16:24]) == (1100, 550)
    assert imread(target).shape[:2] == (550, 1100)
    code, out, err = run("stats", "--plot", str(tmp_path / "none.png"), "--since", "2030")
    assert (code, err) == (1, "error: nothing to plot: no dated articles match\n")
    assert not (tmp_path / "none.png").exists()


@pytest.mark.parametrize(("arguments", "exit_code", "prefix"), [
    (("search", "-alone"), 2, "scrapy: error: nothing to search for"),  # a query that does not read: usage
    (("show", "https://news.example/never-stored"), 1, "error: "),
])
def test_command_errors_are_one_line(run, arguments: tuple[str, ...], exit_code: int,  # type: ignore[no-untyped-def]
                                     prefix: str) -> None:
    code, out, err = run(*arguments)
    assert code == exit_code and out == ""
    assert err.startswith(prefix) and err.count("\n") == 1


@pytest.mark.parametrize("arguments", [("export", "--since", "someday soonish"), ("search", "heat", "--until", "2021-13")])
def test_bad_dates_are_usage_errors(run, arguments: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(*arguments)
    assert code == 2 and ("as a date" in err or "is not a date" in err)
    assert "Traceback" not in err


@pytest.mark.parametrize("arguments", [("search", "heat", "--sinse", "2024"), ("export", "--limt=3")])
def test_a_mistyped_option_is_a_usage_error_not_part_of_the_query(run, arguments: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(*arguments)
    typo = next(a for a in arguments if a.startswith("--")).split("=")[0]
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.strip().splitlines()[-1].endswith(f"error: unknown option {typo} (-h lists the options)")


def test_dead_database_is_one_line(capsys, monkeypatch, test_postgres_url: str) -> None:  # type: ignore[no-untyped-def]
    dead = make_url(test_postgres_url).set(port=1).render_as_string(hide_password=False)
    for command in (("export",), ("search", "heat"), ("show", "1"), ("stats",)):
        code, out, err = scrapy(capsys, monkeypatch, dead, *command)
        assert code == 1 and out == ""
        assert err.startswith("error: cannot open postgresql") and err.count("\n") == 1


def test_a_sqlite_store_that_does_not_exist_is_one_line_and_not_created(capsys, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "typo" / "spacecrawl.db"
    for command in (("export",), ("search", "heat"), ("show", "1"), ("stats",), ("runs",), ("browse",)):
        code, out, err = scrapy(capsys, monkeypatch, f"sqlite:///{missing}", *command)
        assert code == 1 and out == ""
        assert err.startswith(f"error: no store at {missing}: ") and err.count("\n") == 1
    assert not missing.parent.exists()


# --- export at scale ------------------------------------------------------------------------
def export_peak_rss_mib(database_url: str, *arguments: str) -> float:
    """Peak resident memory of a `scrapy export` process, in MiB (its own ru_maxrss)."""
    process = subprocess.Popen([sys.executable, "-m", "scrapy.cmdline", "export", *arguments,
                                "-s", f"SPACECRAWL_DATABASE_URL={database_url}"],
                               cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 0, process.stderr.read().decode() if process.stderr else ""
    return usage.ru_maxrss / 1024


def test_parquet_export_of_100k_rows_in_constant_memory(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    url = f"sqlite:///{tmp_path / 'big.db'}"
    filler = "orbit launch payload " * 60  # ~1.2 KB of body: 100k rows hold ~130 MB of text
    with open_store(url, create=True) as store:
        for start in range(0, 100_000, 10_000):
            repository.upsert_articles(store.engine, [
                {"url": f"https://big.example/{n}", "site": "big", "title": f"Article {n}", "body": f"{n} {filler}",
                 "authors": [f"Author {n % 7}"], "published": T0 + timedelta(minutes=n), "content_hash": str(n)}
                for n in range(start, start + 10_000)])
    target = tmp_path / "big.parquet"
    idle = export_peak_rss_mib(url, "--until", "2000", "-o", str(tmp_path / "empty.parquet"))
    full = export_peak_rss_mib(url, "-o", str(target))
    # Rows held all at once would take several times the text's 130 MB; a row group is a few MB.
    assert full - idle < 60, f"exporting 100k rows grew peak memory by {full - idle:.0f} MiB"
    parquet = pq.ParquetFile(target)
    assert parquet.metadata.num_rows == 100_000 and parquet.metadata.num_row_groups > 10
    assert parquet.schema_arrow.names == list(STORED_FIELDS)
    last = parquet.read_row_group(parquet.metadata.num_row_groups - 1).to_pylist()[-1]
    assert (last["url"], last["authors"], last["published"]) == (
        "https://big.example/99999", [f"Author {99_999 % 7}"], T0 + timedelta(minutes=99_999))
