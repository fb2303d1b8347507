"""Run health: alerts from a run's figures against the site's recent runs (pure), and end to end:
a site that stops yielding articles is flagged in the log, in the run's record, in `scrapy runs`,
and by the exit status of `scrapy crawl --fail-on-alert`."""

from __future__ import annotations

from sqlalchemy import select

from crawler.db.engine import make_engine
from crawler.db.models import CrawlRun
from crawler.ops.health import RunFigures, check_run
from fakesite import FakeSite, serve
from tests.helpers import scrapy, sites_file

HEALTHY = RunFigures(articles_seen=40, articles=40, with_field={"title": 40, "published": 40, "authors": 38},
                     body_chars_median=4000)


def kinds(alerts) -> set[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    return {(alert.kind, alert.field) for alert in alerts}


def test_a_run_like_its_history_raises_nothing() -> None:
    assert check_run("s", HEALTHY, [HEALTHY, HEALTHY]) == []
    assert check_run("s", RunFigures(0, 0), []) == [], "no history, nothing to compare with"


def test_no_articles_where_there_used_to_be_some() -> None:
    alerts = check_run("s", RunFigures(articles_seen=0, articles=0), [HEALTHY, HEALTHY])
    assert kinds(alerts) == {("no_articles", None)}
    assert "s:" in alerts[0].message
    # an incremental re-crawl that stored nothing but skipped known articles is healthy
    assert check_run("s", RunFigures(articles_seen=40, articles=0), [HEALTHY]) == []


def test_a_field_that_vanishes_and_bodies_that_shrink() -> None:
    broken = RunFigures(articles_seen=30, articles=30, with_field={"title": 30, "published": 0, "authors": 29},
                        body_chars_median=1500)
    assert kinds(check_run("s", broken, [HEALTHY] * 3)) == {("field_vanished", "published"), ("body_shrunk", "body")}


def test_a_field_the_site_never_had_is_not_an_alert_and_small_runs_are_not_judged() -> None:
    no_authors = RunFigures(40, 40, {"title": 40, "published": 40, "authors": 0}, 4000)
    assert check_run("s", no_authors, [no_authors, no_authors]) == []
    tiny = RunFigures(2, 2, {"title": 2, "published": 0, "authors": 0}, 100)
    assert check_run("s", tiny, [HEALTHY], min_articles=5) == []


def test_figures_from_a_stored_run_and_from_live_stats_agree() -> None:
    live = {"spacecrawl/articles/new": 3, "spacecrawl/articles/unchanged": 1, "spacecrawl/incremental/skipped": 6,
            "spacecrawl/fields/articles": 4, "spacecrawl/fields/published": 4, "spacecrawl/fields/body_chars_median": 900}
    record = {"new": 3, "updated": 0, "unchanged": 1, "unsaved": 0, "incremental": {"skipped": 6},
              "fields": {"articles": 4, "published": 4, "body_chars_median": 900}}
    assert RunFigures.from_stats(live) == RunFigures.from_record(record)
    assert RunFigures.from_record(record).articles_seen == 10


def test_site_that_stops_yielding_articles_fails_the_crawl(tmp_path) -> None:  # type: ignore[no-untyped-def]
    database_url = f"sqlite:///{tmp_path / 'store.db'}"
    site = FakeSite(articles=8, seed=9)
    with serve(site):
        first = scrapy("crawl", "fakespace", "--fail-on-alert", sites_file=sites_file(site, tmp_path),
                       database_url=database_url)
        assert first.returncode == 0, first.stderr[-3000:]
        # The site moved its feed, sitemaps and sections: nothing of the old addresses is there.
        moved = tmp_path / "moved.toml"
        moved.write_text(site.sites_toml(feeds=[site.url("/moved/feed/")], sitemaps=[],
                                         listing_pages=[site.url("/moved/")]), encoding="utf-8")
        second = scrapy("crawl", "fakespace", "--fail-on-alert", sites_file=moved, database_url=database_url)
    assert second.returncode == 1
    assert "ALERT no_articles site=fakespace" in second.stderr and "Traceback" not in second.stderr

    engine = make_engine(database_url)
    with engine.connect() as connection:
        runs = connection.execute(select(CrawlRun).order_by(CrawlRun.id)).all()
    engine.dispose()
    assert runs[0].stats["alerts"] == [] and runs[0].stats["fields"]["published"] == len(site.expected_articles())
    assert [alert["kind"] for alert in runs[1].stats["alerts"]] == ["no_articles"]

    listed = scrapy("runs", "--site", "fakespace", sites_file=moved, database_url=database_url)
    assert listed.returncode == 0, listed.stderr
    assert f"ALERT run {runs[1].id} fakespace:" in listed.stdout
