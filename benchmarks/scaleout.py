"""Scaling out: one worker against two sharing a crawl through Redis, and what a large deployment needs.

    python -m benchmarks.scaleout [--articles 2000] [--workers 2] [--fingerprints 200000]
                                  [--postgres URL] [--redis URL]

1. Crawl: the fake site (N articles, in its own process) crawled into a fresh PostgreSQL schema by
   one `scrapy crawl` worker, then by ``--workers`` workers at once, all with SPACECRAWL_REDIS_URL
   (keys under a prefix of the run's own, removed afterwards). Pages/s is the whole crawl's pages
   over the time from its start to the last worker's end, as the crawl's own record says; the
   ratios are against one worker, with a crawl without Redis beside them. Each worker extracts in
   its own thread (--extraction-workers 0), so it takes one core: on a 2-core machine the ratio says
   what a second core's worth of worker buys, when no other work wants the cores. CPU ms per page
   (every worker's user + system time over the pages) hardly depends on that other work: it sizes
   workers by cores.
2. Redis memory, measured with MEMORY USAGE: per URL in scrapy-redis's dupefilter (a set of 40-hex
   SHA1 fingerprints), per request waiting in the queue (pickled Scrapy requests as the spider makes
   them), each against the same count of bare 16-byte digests (the least a set could hold); and a
   Bloom filter's size for the same URLs at 0.1 % false positives (from its formula: no kept
   package gives scrapy-redis one).
3. PostgreSQL write rate: articles upserted per second in the store's batches (500).
4. On paper: what 10,000 sites and a million articles a day need, from the figures above.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import redis
from scrapy import Request, Spider
from scrapy_redis.dupefilter import RFPDupeFilter
from sqlalchemy import select
from sqlalchemy.engine import make_url

from benchmarks.crawl import start_server
from benchmarks.query import synthetic_articles
from crawler.db import open_store
from crawler.db.engine import make_engine
from crawler.db.models import CrawlRun
from crawler.ops.frontier.queue import LeasedPriorityQueue

REPO = Path(__file__).resolve().parent.parent
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING"]
# The deployment sized on paper.
SITES, ARTICLES_PER_DAY = 10_000, 1_000_000
# Discovery pages a site costs a day besides its articles: a feed and ~4 listing pages every 30 min, 3 sitemaps daily.
DISCOVERY_PER_SITE_PER_DAY = 5 * 48 + 3
PEAK_FACTOR = 3  # news comes in bursts: size for three times the daily average
BLOOM_ERROR = 0.001


@dataclass
class Figures:
    pages: int
    seconds: float  # the crawl's start to its last worker's end
    cpu_seconds: float  # user + system of every worker process

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.cpu_seconds / self.pages


def scoped_url(postgres: str, schema: str) -> str:
    return make_url(postgres).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


def crawl(workers: int, sites_toml: Path, postgres: str, redis_url: str | None, *settings: str) -> Figures:
    """One crawl by ``workers`` workers sharing it through Redis (none: one crawl on its own) into a
    fresh schema: pages and seconds from its run record, CPU seconds from the workers' rusage."""
    admin = make_url(postgres).set(drivername="postgresql").render_as_string(hide_password=False)
    schema, prefix = f"bench_{uuid.uuid4().hex[:10]}", f"bench-scaleout-{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    try:
        database_url = scoped_url(postgres, schema)
        env = dict(os.environ, SPACECRAWL_SITES_FILE=str(sites_toml), SPACECRAWL_DATABASE_URL=database_url,
                   SPACECRAWL_REDIS_URL=redis_url or "")
        command = [sys.executable, "-m", "scrapy", "crawl", "fakespace", *FAST,
                   "-s", f"SPACECRAWL_REDIS_KEY_PREFIX={prefix}", *settings]
        cpu_seconds = 0.0
        with tempfile.TemporaryFile(mode="w+") as log:
            processes = [subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=log, text=True)
                         for _ in range(workers)]
            for process in processes:
                _, status, usage = os.wait4(process.pid, 0)
                process.returncode = os.waitstatus_to_exitcode(status)
                cpu_seconds += usage.ru_utime + usage.ru_stime
            if any(process.returncode for process in processes):
                log.seek(0)
                sys.exit(f"a worker failed:\n{log.read()[-3000:]}")
        engine = make_engine(database_url)
        with engine.connect() as connection:
            whole = connection.execute(select(CrawlRun).where(CrawlRun.worker.is_(None))).one()
        engine.dispose()
        return Figures(whole.stats["pages"], (whole.finished_at - whole.started_at).total_seconds(), cpu_seconds)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")
        if redis_url:
            server = redis.Redis.from_url(redis_url)
            if keys := list(server.scan_iter(f"{prefix}:*")):
                server.delete(*keys)


class ArticleSpider(Spider):
    name = "bench"

    def parse_article(self, response: Any) -> None:
        pass


def article_urls(count: int) -> list[str]:
    return [f"https://site{n % 997}.example/2026/05/{n:07d}/lunar-relay-satellite-passes-thermal-vacuum-tests/"
            for n in range(count)]


def redis_memory(server: redis.Redis, count: int) -> dict[str, float]:
    """Bytes per entry: scrapy-redis's dupefilter and queue, and a set of 16-byte digests."""
    prefix = f"bench-scaleout-{uuid.uuid4().hex[:10]}"
    spider = ArticleSpider()
    dupefilter = RFPDupeFilter(server, f"{prefix}:dupefilter")
    queue = LeasedPriorityQueue(server, spider, f"{prefix}:requests")
    urls = article_urls(count)
    try:
        for start in range(0, count, 5000):
            batch = urls[start:start + 5000]
            pipe = server.pipeline(transaction=False)
            for url in batch:
                request = Request(url, callback=spider.parse_article, meta={"download_maxsize": 8 * 1024 * 1024})
                pipe.sadd(f"{prefix}:dupefilter", dupefilter.request_fingerprint(request))
                pipe.sadd(f"{prefix}:digests", hashlib.blake2b(url.encode(), digest_size=16).digest())
                pipe.zadd(queue.key, {queue._encode_request(request): -request.priority})
            pipe.execute()
        return {name: server.memory_usage(f"{prefix}:{name}", samples=0) / count
                for name in ("dupefilter", "digests", "requests")}
    finally:
        server.delete(f"{prefix}:dupefilter", f"{prefix}:digests", f"{prefix}:requests")


def postgres_rows_per_second(postgres: str, count: int = 5000) -> float:
    admin = make_url(postgres).set(drivername="postgresql").render_as_string(hide_password=False)
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    try:
        records = list(synthetic_articles(count))
        with open_store(scoped_url(postgres, schema)) as store:
            started = time.perf_counter()
            for start in range(0, count, 500):
                store.save(records[start:start + 500])
            return count / (time.perf_counter() - started)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


def bloom_bytes(entries: int, error: float) -> float:
    return -entries * math.log(error) / math.log(2) ** 2 / 8


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--extraction-workers", type=int, default=0,
                        help="SPACECRAWL_EXTRACTION_WORKERS of each worker (default 0: a worker takes one core)")
    parser.add_argument("--fingerprints", type=int, default=200_000, help="URLs put in Redis to measure memory")
    parser.add_argument("--postgres", default=os.environ.get("SPACECRAWL_TEST_POSTGRES_URL",
                                                            "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--redis", default=os.environ.get("SPACECRAWL_REDIS_URL", "redis://127.0.0.1:6379/0"))
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")

    with tempfile.TemporaryDirectory() as scratch:
        sites_toml = Path(scratch) / "sites.toml"
        server, _ = start_server(argparse.Namespace(articles=args.articles, seed=0, gzip=False, no_meta_charset=False),
                                 sites_toml)
        extraction = ("-s", f"SPACECRAWL_EXTRACTION_WORKERS={args.extraction_workers}")
        try:
            alone = crawl(1, sites_toml, args.postgres, None, *extraction)
            one = crawl(1, sites_toml, args.postgres, args.redis, *extraction)
            many = crawl(args.workers, sites_toml, args.postgres, args.redis, *extraction)
        finally:
            server.kill()
    rate_one = one.pages_per_second
    print(f"\n{'crawl':<34}{'pages':>8}{'seconds':>9}{'pages/s':>9}{'vs 1 worker':>13}{'CPU ms/page':>13}")
    for name, figures in (("1 crawl on its own (no Redis)", alone), ("1 worker (Redis)", one),
                          (f"{args.workers} workers (Redis)", many)):
        print(f"{name:<34}{figures.pages:>8}{figures.seconds:>9.1f}{figures.pages_per_second:>9.1f}"
              f"{figures.pages_per_second / rate_one:>12.2f}x{figures.cpu_ms_per_page:>13.2f}")
    per_core = 1000 / many.cpu_ms_per_page  # pages a busy core gives a worker sharing a crawl

    memory = redis_memory(redis.Redis.from_url(args.redis), args.fingerprints)
    ten_million = 10_000_000
    print(f"\nRedis memory per entry ({args.fingerprints} URLs), and at 10 M URLs:")
    for name, what in (("digests", "bare 16-byte digests (baseline)"), ("dupefilter", "scrapy-redis dupefilter"),
                       ("requests", "queued requests")):
        print(f"  {what:<34}{memory[name]:>7.0f} B  {memory[name] * ten_million / 2**30:>6.2f} GiB  "
              f"{memory[name] / memory['digests']:>5.1f}x baseline")
    bloom = bloom_bytes(ten_million, BLOOM_ERROR)
    print(f"  {'Bloom filter, 0.1 % (formula)':<34}{bloom / ten_million:>7.1f} B  {bloom / 2**30:>6.2f} GiB  "
          f"{bloom / ten_million / memory['digests']:>5.2f}x baseline")

    rows_per_second = postgres_rows_per_second(args.postgres)
    print(f"\nPostgreSQL upserts: {rows_per_second:.0f} articles/s in batches of 500 (one writer)")

    pages_per_day = ARTICLES_PER_DAY + SITES * DISCOVERY_PER_SITE_PER_DAY
    peak = PEAK_FACTOR * pages_per_day / 86_400
    workers_needed = math.ceil(peak / per_core)
    print(f"\nOn paper: {SITES} sites, {ARTICLES_PER_DAY} articles a day")
    print(f"  pages a day: {pages_per_day} ({ARTICLES_PER_DAY} articles + {DISCOVERY_PER_SITE_PER_DAY} discovery "
          f"pages per site); at {PEAK_FACTOR}x the average: {peak:.0f} pages/s")
    print(f"  workers (one core each, at this run's {many.cpu_ms_per_page:.1f} CPU ms a page of {args.workers} "
          f"workers: {per_core:.0f} pages/s a core): {workers_needed}")
    print(f"  PostgreSQL: {PEAK_FACTOR * ARTICLES_PER_DAY / 86_400:.0f} articles/s at peak = "
          f"{PEAK_FACTOR * ARTICLES_PER_DAY / 86_400 / rows_per_second:.2f}x this run's upsert rate")
    print(f"  Redis: the dupefilter of a day's pages at once {memory['dupefilter'] * pages_per_day / 2**30:.2f} GiB; "
          f"each million requests queued {memory['requests'] * 1e6 / 2**30:.2f} GiB (a backfill of 100 sites "
          f"with 50,000-URL sitemaps: {memory['requests'] * 5e6 / 2**30:.1f} GiB)")


if __name__ == "__main__":
    main()
