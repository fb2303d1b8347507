"""Micro figures of a crawl's parts: extraction, pipeline stages, date parsing, storage.

    python -m benchmarks.micro [--pages N] [--rows N] [CORPUS]

- extraction ms/page: ``article_from_page`` (what a crawl's workers run) on the fake site's
  article pages and on the real-page corpus if present; then the pipeline stages but storage
  (crawler.sitekit.offline, the `scrapy extract` path) on the same pages.
- dates: how many dates on those pages needed dateparser (the stage's slow fallback), and µs
  per call by kind of string (benchmarks/dates.py measures the same against dateparser itself).
- storage rows/s: ``repository.upsert_articles`` in batches of SPACECRAWL_STORE_BATCH_SIZE into a
  fresh SQLite file: new articles, the same again unchanged, then all changed (one revision each);
  and, split in two, the new rows into a store whose full-text triggers are dropped, then those
  rows put into its FTS5 index in one INSERT … SELECT a batch: what the index alone costs; last,
  the baseline: the same rows inserted with bare sqlite3, with and without the index, and
  upsert_articles' rows/s as a share of it.
- compressed pages with no charset in Content-Type: ms per response through Scrapy's
  HttpCompressionMiddleware alone and behind CompressedCharsetMiddleware (the corpus pages, gzip
  as served).
Search (FTS) latency on 100k articles: benchmarks/query.py.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

import pipelines.parse_dates
from benchmarks.dates import BASE, KINDS, per_call_us
from benchmarks.scoring import corpus_dir, load_cases
from crawler import settings as project_settings
from crawler.db.engine import ensure_schema, make_engine
from crawler.db.models import sqlite_text
from crawler.db.repository import upsert_articles
from crawler.extraction import decode_html
from crawler.items import STORED_FIELDS
from crawler.middlewares.compressed_charset import CompressedCharsetMiddleware
from crawler.sitekit.offline import OfflineRun
from crawler.spiders.article_page import article_from_page
from fakesite import FakeSite

Page = tuple[str, str]  # url, html


def fake_site_pages(count: int) -> list[Page]:
    site = FakeSite(count, seed=1)
    site.bind("http://127.0.0.1:8000")
    return [(site.url(post.path), site.pages[post.path].body.decode()) for post in site.posts]


def corpus_pages(directory: Path) -> list[tuple[str, bytes]]:
    """(url, gzip body as saved) of each corpus page; none when the corpus is absent."""
    if not (directory / "cases.jsonl").is_file():
        return []
    return [(case.url, case.html_path.read_bytes()) for case in load_cases(directory)]


def mean_median_ms(seconds: list[float]) -> tuple[float, float]:
    return 1000 * statistics.fmean(seconds), 1000 * statistics.median(seconds)


@contextmanager
def counting_dateparser() -> Iterator[dict[str, int]]:
    """Counts calls of the date stage: all dates parsed, and those that fell back to dateparser."""
    counts = {"dates": 0, "dateparser": 0}
    parse_date, fallback = pipelines.parse_dates.parse_date, pipelines.parse_dates.parse_with_dateparser

    def counted_parse_date(*args: Any, **kwargs: Any) -> Any:
        counts["dates"] += 1
        return parse_date(*args, **kwargs)

    def counted_fallback(*args: Any, **kwargs: Any) -> Any:
        counts["dateparser"] += 1
        return fallback(*args, **kwargs)

    pipelines.parse_dates.parse_date, pipelines.parse_dates.parse_with_dateparser = counted_parse_date, counted_fallback
    try:
        yield counts
    finally:
        pipelines.parse_dates.parse_date, pipelines.parse_dates.parse_with_dateparser = parse_date, fallback


def extraction_figures(name: str, pages: list[Page], run: OfflineRun) -> list[dict[str, Any]]:
    """Prints extraction and stage figures for ``pages``; returns the stored records they give."""
    article_from_page(run.site_for(pages[0][0]), *pages[0])  # warm-up: lazy imports, compiled selectors
    extract_seconds, stage_seconds = [], []
    records: list[dict[str, Any]] = []
    with counting_dateparser() as counts:
        for url, html in pages:
            started = time.perf_counter()
            article = article_from_page(run.site_for(url), url, html, datetime.now(UTC))
            extracted = time.perf_counter()
            try:
                for stage in run.stages:
                    article = stage.process_item(article)
            except DropItem:
                article = None
            stage_seconds.append(time.perf_counter() - extracted)
            extract_seconds.append(extracted - started)
            if article is not None:
                records.append({field: getattr(article, field) for field in STORED_FIELDS})
    extract_mean, extract_median = mean_median_ms(extract_seconds)
    stage_mean, _ = mean_median_ms(stage_seconds)
    print(f"{name + f' ({len(pages)} pages)':<28}{extract_mean:>10.2f}{extract_median:>10.2f}"
          f"{stage_mean:>12.2f}{counts['dates']:>8}{counts['dateparser']:>12}")
    return records


def timed_batches(rows: list[Any], batch_size: int, store: Callable[[list[Any]], int]) -> tuple[float, int]:
    """rows/s of ``store`` called on consecutive batches, and the sum of what it returned."""
    started = time.perf_counter()
    total = sum(store(rows[start:start + batch_size]) for start in range(0, len(rows), batch_size))
    return len(rows) / (time.perf_counter() - started), total


def _bare_value(value: Any) -> Any:
    """A record's value as the store's columns hold it on SQLite: lists as JSON, datetimes as text."""
    return json.dumps(value) if isinstance(value, list) else sqlite_text(value) if isinstance(value, datetime) else value


def bare_sqlite_rows_per_second(path: str, articles: list[dict[str, Any]], batch_size: int, indexed: bool) -> float:
    """The floor under upsert_articles: the same rows, converted beforehand, inserted with sqlite3's
    executemany into a store of the same schema and pragmas, a transaction a batch; when ``indexed``,
    each batch also goes into the FTS5 index in one INSERT … SELECT (as fast as the index takes rows:
    a trigger fired by executemany flushes the index row by row)."""
    engine = make_engine(f"sqlite:///{path}")
    ensure_schema(engine)
    names = [*STORED_FIELDS, "first_seen", "last_seen", "updated_at"]
    now = sqlite_text(datetime.now(UTC))
    rows = [tuple(_bare_value(a[n]) for n in STORED_FIELDS) + (now, now, now) for a in articles]
    insert = f"INSERT INTO articles ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    connection = engine.raw_connection()
    try:
        connection.execute("DROP TRIGGER articles_fts_insert")
        connection.commit()
        started = time.perf_counter()
        for start in range(0, len(rows), batch_size):
            connection.executemany(insert, rows[start:start + batch_size])
            if indexed:
                connection.execute("INSERT INTO articles_fts(rowid, title, body) SELECT id, title, body FROM articles"
                                   " WHERE id > ?", (start,))
            connection.commit()
        return len(rows) / (time.perf_counter() - started)
    finally:
        connection.close()
        engine.dispose()


def storage_figures(records: list[dict[str, Any]], rows: int, batch_size: int) -> None:
    """rows/s of upsert_articles into a new SQLite store: new, unchanged, changed; then the cost
    of new rows split into rows and full-text index; new rows against bare sqlite3 (the floor)."""
    base = [r for r in records if r.get("body")]
    articles = [dict(base[i % len(base)], url=f"{base[i % len(base)]['url']}?copy={i}") for i in range(rows)]
    changed = [dict(a, body=a["body"] + "\n\nCorrection appended.", content_hash="x" + str(i))
               for i, a in enumerate(articles)]
    print(f"\nstorage: upsert_articles, batches of {batch_size}, SQLite file, {rows} articles")
    with tempfile.TemporaryDirectory(prefix="spacecrawl-micro-") as scratch:
        engine = make_engine(f"sqlite:///{scratch}/store.db")
        ensure_schema(engine)
        per_second_of = {}
        for label, batch_rows, kind in (("new", articles, "new"), ("unchanged", articles, "unchanged"),
                                        ("changed (revision kept)", changed, "updated")):
            per_second, total = timed_batches(batch_rows, batch_size,
                                              lambda batch: getattr(upsert_articles(engine, batch), kind))
            print(f"  {label:<34}{per_second:>10.0f} rows/s   ({total} {kind})")
            per_second_of[label] = per_second
        engine.dispose()

        engine = make_engine(f"sqlite:///{scratch}/unindexed.db")
        ensure_schema(engine)
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP TRIGGER articles_fts_insert")
        per_second, _ = timed_batches(articles, batch_size, lambda batch: upsert_articles(engine, batch).new)
        print(f"  {'new, full-text index off':<34}{per_second:>10.0f} rows/s")
        per_second_of["new, full-text index off"] = per_second

        def index(batch: list[Any]) -> int:
            with engine.begin() as connection:
                return connection.exec_driver_sql(
                    "INSERT INTO articles_fts(rowid, title, body) SELECT id, title, body FROM articles"
                    " WHERE id BETWEEN ? AND ?", (batch[0], batch[-1])).rowcount

        per_second, _ = timed_batches(list(range(1, rows + 1)), batch_size, index)
        print(f"  {'the full-text index alone':<34}{per_second:>10.0f} rows/s")
        engine.dispose()

        print("  bare sqlite3 executemany, same rows and schema (the floor), and upsert_articles' share of it:")
        for label, indexed in (("new", True), ("new, full-text index off", False)):
            floor = bare_sqlite_rows_per_second(f"{scratch}/bare-{indexed}.db", articles, batch_size, indexed)
            print(f"  {'  ' + label:<34}{floor:>10.0f} rows/s   upsert_articles {per_second_of[label] / floor:.2f}x")


def compressed_response_figures(pages: list[tuple[str, bytes]]) -> None:
    """ms per gzip response without a charset in its Content-Type, through HttpCompressionMiddleware
    alone and behind CompressedCharsetMiddleware; each response's text is read, as a spider does."""
    compression = HttpCompressionMiddleware.from_crawler(get_crawler())
    charset = CompressedCharsetMiddleware()
    print(f"\ngzip responses without a charset ({len(pages)} corpus pages): ms per response, text read")
    for label, chain in (("HttpCompressionMiddleware", lambda request, response: response),
                         ("behind CompressedCharsetMiddleware", charset.process_response)):
        started = time.perf_counter()
        for url, body in pages:
            request = Request(url)
            response = HtmlResponse(url, body=body, request=request,
                                    headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})
            compression.process_response(request, chain(request, response)).text
        print(f"  {label:<34}{1000 * (time.perf_counter() - started) / len(pages):>10.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", help="corpus folder (default $SPACECRAWL_CORPUS or ../shared/corpus)")
    parser.add_argument("--pages", type=int, default=300, help="fake site article pages")
    parser.add_argument("--rows", type=int, default=20_000, help="articles stored in the storage figure")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # pipeline drops log a line each
    settings = Settings(values={k: getattr(project_settings, k) for k in dir(project_settings) if k.isupper()})
    run = OfflineRun(settings)

    print(f"{'pages':<28}{'extract ms':>10}{'median':>10}{'stages ms':>12}{'dates':>8}{'dateparser':>12}")
    records = extraction_figures("fake site", fake_site_pages(args.pages), run)
    corpus = corpus_dir(args.corpus)
    compressed = corpus_pages(corpus)
    if compressed:
        extraction_figures("corpus", [(url, decode_html(gzip.decompress(body))) for url, body in compressed], run)
    else:
        print(f"corpus: none at {corpus} (give its folder as the first argument)")

    print("\ndates: µs per call of the stage's parse_date")
    for kind, strings in KINDS.items():
        us = per_call_us(lambda text: pipelines.parse_dates.parse_date(text, relative_base=BASE), strings, 100)
        print(f"  {kind:<28}{us:>8.1f}")

    if compressed:
        compressed_response_figures(compressed)
    storage_figures(records, args.rows, settings.getint("SPACECRAWL_STORE_BATCH_SIZE"))


if __name__ == "__main__":
    main()
