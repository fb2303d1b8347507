"""HTTP API latency at 100k articles: `scrapy serve` answering typical requests, SQLite and PostgreSQL.

    python -m benchmarks.api [--articles 100000] [--repeat 30] [--postgres URL | --no-postgres]

Stores the same synthetic articles as benchmarks.query (seeded Zipf vocabulary; plus a summary,
the first sentence, and an updated_at after publication), written in bulk straight into a fresh
SQLite file and (unless --no-postgres) a throwaway PostgreSQL schema. For each database it starts
`scrapy serve --port 0` on it, as a user would, and times each request over one kept-alive HTTP
connection: p50 and p95 of --repeat runs after a warm-up. Beside them, measured in the same run:
the same query through the store without HTTP (`repo p50`: Store.page / article / stored_sites),
and a bare `SELECT 1` round trip; `×SELECT 1` is the request's p50 over that baseline's.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from random import Random
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from sqlalchemy import func, select, text

from benchmarks.query import SEED, SITES, START, percentile, synthetic_articles, throwaway_schema, timed_ms, vocabulary
from crawler.api.parameters import article_filter, ordering
from crawler.db import open_store
from crawler.db.models import Article, Site
from crawler.db.store import Store

REPO = Path(__file__).resolve().parent.parent
BATCH = 5000


def bulk_fill(store: Store, count: int) -> float:
    """Insert ``count`` synthetic articles in batches (no upsert bookkeeping: a fresh store)."""
    started = time.perf_counter()
    rng = Random(SEED)
    with store.engine.begin() as connection:
        connection.execute(Site.__table__.insert(), [{"name": name, "domains": []} for name in SITES])
    batch: list[dict[str, Any]] = []
    for record in synthetic_articles(count):
        stored = (record["published"] or START) + timedelta(hours=rng.uniform(0, 72))
        batch.append(record | {"summary": record["body"].split(".", 1)[0] + ".", "first_seen": stored,
                               "last_seen": stored, "updated_at": stored})
        if len(batch) == BATCH:
            _insert(store, batch)
    _insert(store, batch)
    return time.perf_counter() - started


def copy_articles(source: Store, target: Store) -> float:
    """The source's sites and articles, inserted into the empty ``target`` in batches."""
    started = time.perf_counter()
    with source.engine.connect() as reading:
        with target.engine.begin() as connection:
            connection.execute(Site.__table__.insert(), [row._asdict() for row in reading.execute(select(Site.__table__))])
        rows = reading.execution_options(yield_per=BATCH).execute(select(Article.__table__))
        for chunk in rows.partitions():
            _insert(target, [row._asdict() for row in chunk])
    return time.perf_counter() - started


def _insert(store: Store, batch: list[dict[str, Any]]) -> None:
    if not batch:
        return
    with store.engine.begin() as connection:
        connection.execute(Article.__table__.insert(), batch)
    print(f"  stored {_count(store)} articles…", end="\r", file=sys.stderr)
    batch.clear()


def _count(store: Store) -> int:
    with store.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Article)) or 0


def typical_requests(store: Store) -> dict[str, str]:
    """Kind of request -> path, with words picked by their frequency rank."""
    words = vocabulary(Random(SEED))
    with store.engine.connect() as connection:
        some_id = connection.scalar(select(Article.id).order_by(Article.id.desc()).limit(1).offset(500))
    return {
        "latest 10": "/v4/articles/",
        "latest 100": "/v4/articles/?limit=100",
        "one site": f"/v4/articles/?news_site={SITES[3]}",
        "sites + exclude": f"/v4/articles/?news_site={SITES[1]},{SITES[7]},{SITES[12]}&news_site_exclude={SITES[7]}",
        "published month": "/v4/articles/?published_at_gte=2022-03-01&published_at_lt=2022-04-01",
        "updated since": "/v4/articles/?updated_at_gte=2023-09-01T00:00:00Z&ordering=updated_at",
        "search mid word": f"/v4/articles/?search={words[400]}",
        "search common": f"/v4/articles/?search={words[3]}",
        "search phrase": f"/v4/articles/?search={quote(chr(34) + 'heat shield' + chr(34))}",
        "title_contains": f"/v4/articles/?title_contains={words[400]}",
        "summary_contains": f"/v4/articles/?summary_contains={words[400]}",
        "page 500 deep": "/v4/articles/?offset=5000",
        "with body": "/v4/articles/?include=body",
        "one article": f"/v4/articles/{some_id}/",
        "info": "/v4/info/",
    }


def direct_call(store: Store, path: str) -> Callable[[], object]:
    """What ``path`` asks of the store, without HTTP (and without the records' JSON)."""
    parts = urlsplit(path)
    values: dict[str, Any] = dict(parse_qsl(parts.query))
    if parts.path == "/v4/info/":
        return store.stored_sites
    if parts.path != "/v4/articles/":
        article_id = int(parts.path.rstrip("/").rsplit("/", 1)[1])
        return lambda: store.article(article_id)
    where, order = article_filter(values), ordering(values.get("ordering"))
    limit, offset = int(values.get("limit", 10)), int(values.get("offset", 0))
    return lambda: store.page(where, search=values.get("search"), order=order, offset=offset, limit=limit)


@contextmanager
def serving(url: str) -> Iterator[tuple[str, int]]:
    """`scrapy serve --port 0` on the store at ``url``; yields (host, port)."""
    env = os.environ | {"SPACECRAWL_DATABASE_URL": url}
    server = subprocess.Popen([sys.executable, "-m", "scrapy", "serve", "--port", "0"], cwd=REPO, env=env,
                              stderr=subprocess.PIPE, text=True)
    try:
        line = server.stderr.readline() if server.stderr else ""
        if "http://" not in line:
            raise RuntimeError(f"scrapy serve did not start: {line.strip()}")
        host, port = line.split("http://", 1)[1].split("/", 1)[0].rsplit(":", 1)
        yield host, int(port)
    finally:
        server.terminate()
        server.wait(timeout=30)


def report(name: str, url: str, store: Store, repeat: int) -> None:
    requests = typical_requests(store)
    baseline = timed_ms(lambda: _select_one(store), repeat)
    print(f"\n== {name}: {_count(store)} articles; p50/p95 of {repeat} requests each; "
          f"baseline SELECT 1 round trip p50 {statistics.median(baseline):.2f} ms")
    print(f"{'request':<18}{'count':>8}{'p50 ms':>8}{'p95 ms':>8}{'repo p50':>10}{'×SELECT 1':>11}  path")
    p50s = []
    with serving(url) as (host, port):
        for kind, path in requests.items():
            # One kept-alive connection per kind: the server closes one idle for 5 s.
            connection = http.client.HTTPConnection(host, port, timeout=60)
            count = _get(connection, path).get("count", 1)
            times = timed_ms(lambda path=path: _get(connection, path), repeat)
            connection.close()
            direct = timed_ms(direct_call(store, path), repeat)
            p50s.append(statistics.median(times))
            print(f"{kind:<18}{count:>8}{p50s[-1]:>8.1f}{percentile(times, 0.95):>8.1f}"
                  f"{statistics.median(direct):>10.1f}{p50s[-1] / statistics.median(baseline):>11.0f}  {path}")
    print(f"{'median of kinds':<26}{statistics.median(p50s):>8.1f}   worst p50 {max(p50s):.1f} ms (target < 50)")


def _select_one(store: Store) -> None:
    with store.engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def _get(connection: http.client.HTTPConnection, path: str) -> dict[str, Any]:
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"{path}: {response.status} {body[:200]!r}")
    return json.loads(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30, help="timed requests of each kind (after one warm-up)")
    parser.add_argument("--postgres", default=os.environ.get("SPACECRAWL_TEST_POSTGRES_URL",
                                                            "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'api-bench.db'}"
        with open_store(url, create=True) as store:
            print(f"sqlite: stored {args.articles} articles in {bulk_fill(store, args.articles):.0f} s", file=sys.stderr)
            report("SQLite", url, store, args.repeat)
            if args.no_postgres:
                return
            with throwaway_schema(args.postgres) as pg_url, open_store(pg_url) as pg_store:
                print(f"postgresql: copied them in {copy_articles(store, pg_store):.0f} s", file=sys.stderr)
                with pg_store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                    connection.execute(text("VACUUM ANALYZE"))  # what autovacuum does to a store soon after a crawl
                report("PostgreSQL", pg_url, pg_store, args.repeat)


if __name__ == "__main__":
    main()
