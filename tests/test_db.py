"""The database room on real SQLite and PostgreSQL: schema, upserts, revisions, runs, errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, func, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from crawler.db import repository
from crawler.db.engine import StoreUnavailable, ensure_schema, make_engine, reporting_unavailable
from crawler.db.models import Article, ArticleRevision, Base, CrawlRun, is_modelled
from crawler.db.query import ArticleFilter
from crawler.db.repository.articles import UPSERT_CHUNK

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def record(n: int, **changes: object) -> dict[str, object]:
    base = {
        "url": f"https://news.example/2024/05/story-number-{n}",
        "fetched_url": f"https://news.example/2024/05/story-number-{n}?utm=x",
        "site": "example",
        "title": f"Story {n}",
        "authors": ["Ada Lovelace"],
        "published": T0 + timedelta(days=n),
        "tags": ["Mars"],
        "body": f"Body of story {n} about the orbiter.",
        "content_hash": f"hash-{n}",
    }
    return base | changes


def article_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Article))


def test_migrated_schema_matches_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": is_modelled})
        assert compare_metadata(context, Base.metadata) == []


def test_ensure_schema_twice_is_harmless(engine: Engine) -> None:
    repository.upsert_articles(engine, [record(1)])
    ensure_schema(engine)
    assert article_count(engine) == 1


def test_recrawl_updates_never_duplicates(engine: Engine) -> None:
    records = [record(n) for n in range(3)]
    first = repository.upsert_articles(engine, records, now=T0)
    again = repository.upsert_articles(engine, records, now=T0 + timedelta(hours=1))
    assert first == repository.UpsertCounts(new=3, updated=0, unchanged=0)
    assert again == repository.UpsertCounts(new=0, updated=0, unchanged=3)
    assert article_count(engine) == 3
    stored = repository.get_article(engine, records[0]["url"])
    assert stored is not None
    assert stored.first_seen == T0 and stored.updated_at == T0
    assert stored.last_seen == T0 + timedelta(hours=1)
    assert stored.revisions == []


def test_changed_content_keeps_previous_version(engine: Engine) -> None:
    repository.upsert_articles(engine, [record(1)], now=T0)
    changed = record(1, title="Story 1, corrected", body="New body.", content_hash="hash-1b")
    counts = repository.upsert_articles(engine, [changed, record(2)], now=T0 + timedelta(days=1))
    assert counts == repository.UpsertCounts(new=1, updated=1, unchanged=0)
    stored = repository.get_article(engine, changed["url"])
    assert stored is not None
    assert (stored.title, stored.body, stored.content_hash) == ("Story 1, corrected", "New body.", "hash-1b")
    assert stored.first_seen == T0 and stored.updated_at == T0 + timedelta(days=1)
    [previous] = stored.revisions
    assert (previous.title, previous.body, previous.content_hash) == ("Story 1", record(1)["body"], "hash-1")
    assert previous.published == record(1)["published"]


def test_title_change_alone_is_a_revision(engine: Engine) -> None:
    repository.upsert_articles(engine, [record(1)])
    counts = repository.upsert_articles(engine, [record(1, title="Renamed")])
    assert counts.updated == 1
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ArticleRevision)) == 1


def test_same_url_twice_in_one_batch_keeps_the_last(engine: Engine) -> None:
    counts = repository.upsert_articles(engine, [record(1), record(1, title="Later")])
    assert counts == repository.UpsertCounts(new=1)
    assert repository.get_article(engine, record(1)["url"]).title == "Later"


def test_batches_larger_than_one_statement(engine: Engine) -> None:
    records = [record(n) for n in range(UPSERT_CHUNK + 7)]
    assert repository.upsert_articles(engine, records).new == len(records)
    assert repository.upsert_articles(engine, records).unchanged == len(records)


def test_dates_come_back_aware_utc(engine: Engine) -> None:
    paris_summer = timezone(timedelta(hours=2))
    repository.upsert_articles(engine, [
        record(1, published=datetime(2024, 6, 1, 14, 30, tzinfo=paris_summer)),
        record(2, published="2024-06-01T09:00:00-04:00"),  # ISO text, as in a JSONL file
    ])
    first, second = (repository.get_article(engine, record(n)["url"]) for n in (1, 2))
    assert first.published == datetime(2024, 6, 1, 12, 30, tzinfo=UTC)
    assert first.published.utcoffset() == timedelta(0)
    assert second.published == datetime(2024, 6, 1, 13, 0, tzinfo=UTC)


def test_record_without_url_is_refused_clearly(engine: Engine) -> None:
    with pytest.raises(ValueError, match="without a url"):
        repository.upsert_articles(engine, [record(1, url=None)])


def test_get_article_by_url_fetched_url_or_id(engine: Engine) -> None:
    repository.upsert_articles(engine, [record(1), record(2)])
    by_url = repository.get_article(engine, record(2)["url"])
    assert repository.get_article(engine, record(2)["fetched_url"]).id == by_url.id
    assert repository.get_article(engine, str(by_url.id)).url == record(2)["url"]
    assert repository.get_article(engine, "https://news.example/never-stored") is None


def test_iter_articles_filters(engine: Engine) -> None:
    repository.upsert_articles(engine, [
        record(1),
        record(2, site="other", authors=["Grace Hopper"], tags=["Moon", "Artemis"]),
        record(3, tags=["mars", "Rovers"]),
        record(4, published=None, tags=[]),
    ])

    def urls(**filters: object) -> list[str]:
        return [a.url for a in repository.iter_articles(engine, ArticleFilter(**filters))]

    assert urls(sites=("other",)) == [record(2)["url"]]
    assert urls(exclude_sites=("other",), tag="moon") == []
    assert urls(since=T0 + timedelta(days=2), until=T0 + timedelta(days=3)) == [record(2)["url"]]
    assert urls(author="hopper") == [record(2)["url"]]
    assert urls(tag="MARS") == [record(1)["url"], record(3)["url"]]
    assert urls(tag="mar") == []  # a tag matches whole
    assert urls(author="100%_") == []  # LIKE wildcards are taken literally
    assert urls()[-1] == record(4)["url"]  # undated articles come last on both databases


def test_runs_are_recorded(engine: Engine) -> None:
    run_id = repository.start_run(engine, "example", started_at=T0)
    repository.finish_run(engine, run_id, "finished", {"pages": 7, "dropped": {"body_too_short": 2}},
                          finished_at=T0 + timedelta(minutes=5))
    with engine.connect() as connection:
        run = connection.execute(select(CrawlRun)).one()
    assert (run.site, run.status, run.started_at, run.finished_at) == ("example", "finished", T0, T0 + timedelta(minutes=5))
    assert run.stats == {"pages": 7, "dropped": {"body_too_short": 2}}


def test_dead_postgresql_gives_one_line_error(test_postgres_url: str) -> None:
    dead = make_url(test_postgres_url).set(port=1, password="s3cret")
    with pytest.raises(StoreUnavailable) as caught:
        ensure_schema(make_engine(dead.render_as_string(hide_password=False)))
    message = str(caught.value)
    assert message.startswith("cannot open postgresql+psycopg://") and "refused" in message.lower()
    assert "\n" not in message and "s3cret" not in message


def test_unusable_sqlite_path_gives_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreUnavailable, match=r"^cannot open sqlite:///.*a-file"):
        make_engine(f"sqlite:///{blocker}/spacecrawl.db")


def test_file_that_is_not_a_database(tmp_path: Path) -> None:
    impostor = tmp_path / "notes.db"
    impostor.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreUnavailable, match="not a database"):
        ensure_schema(make_engine(f"sqlite:///{impostor}"))


@pytest.mark.parametrize("url", ["not a url", "mysql://localhost/db"])
def test_unusable_url_gives_one_line_error(url: str) -> None:
    with pytest.raises(StoreUnavailable, match="^cannot open"):
        make_engine(url)


def found(engine: Engine, query: str) -> list[str]:
    return [hit.url for hit in repository.search(engine, query)]


def test_full_text_follows_inserts_and_updates(engine: Engine) -> None:
    repository.upsert_articles(engine, [record(1, body="The magnetometer boom deployed."), record(2)])
    assert found(engine, "magnetometer") == [record(1)["url"]]
    repository.upsert_articles(engine, [record(1, body="The spectrometer powered on.", content_hash="hash-1b")])
    assert found(engine, "magnetometer") == []
    assert found(engine, "spectrometer") == [record(1)["url"]]
    repository.upsert_articles(engine, [record(2, title="Orbiter spectrometer results", content_hash="hash-2b")])
    assert sorted(found(engine, "spectrometer")) == [record(1)["url"], record(2)["url"]]


def test_unchanged_recrawl_leaves_full_text_alone(engine: Engine) -> None:
    repository.upsert_articles(engine, [record(1, body="A gravimeter survey.")])
    repository.upsert_articles(engine, [record(1, body="A gravimeter survey.")])
    assert found(engine, "gravimeter") == [record(1)["url"]]


class _DriverError(Exception):
    def __init__(self, message: str, sqlstate: str | None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(("sqlstate", "refused"), [("54000", True), ("22021", True), ("23505", True),
                                                   ("08006", False), (None, False)])
def test_an_error_about_the_data_is_not_taken_for_a_database_that_is_away(sqlstate: str | None, refused: bool) -> None:
    error = sa_exc.OperationalError("INSERT ...", {}, _DriverError("string is too long for tsvector", sqlstate))
    with pytest.raises(sa_exc.OperationalError if refused else StoreUnavailable):
        with reporting_unavailable("postgresql+psycopg://postgres@127.0.0.1/test"):
            raise error
