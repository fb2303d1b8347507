"""Query side speed on 100k synthetic articles: search latency, export throughput, stats latency
(--entity and `stats --by entity` included).

    python -m benchmarks.query [--articles 100000] [--postgres URL | --no-postgres] [--repeat 30]
                               [--keep DIR]

Generates the same articles every run (seeded): titles and bodies drawn from a vocabulary whose
word frequencies fall off as 1/rank (Zipf), so the commonest words are in nearly every article
and rare ones in a handful, plus a few set phrases ("heat shield") at known rates, and up to four of the gazetteer's entities
each, also by a 1/rank law (the commonest in about one article in four). Stores them
with the repository's upsert into a fresh SQLite file and (unless --no-postgres) a throwaway
PostgreSQL schema, then prints, per database: search p50/p95 for each kind of query (with its
number of hits, and against ranking every hit: the bound in full_text.RANKED_CANDIDATES lifted),
export rows/s for each format, and `stats` latency. --keep DIR keeps the
SQLite file there and reuses it on the next run (generating 100k articles takes a while).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from random import Random
from typing import Any

import psycopg
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from crawler.cli.export_formats import WRITERS
from crawler.db import open_store
from crawler.db.models import Article
from crawler.db.query import ArticleFilter
from crawler.db.repository import full_text
from crawler.db.store import Store, article_filter
from crawler.knowledge import shipped_gazetteer

SEED = 20240304
VOCABULARY_SIZE = 40_000
ZIPF_EXPONENT = 1.0
SITES = [f"site{n:02d}" for n in range(20)]
SITE_WEIGHTS = [1 / (n + 1) for n in range(len(SITES))]  # a few big sites, many small ones
START = datetime(2021, 1, 1, tzinfo=UTC)
DAYS = 3 * 365
# Set phrases and how often an article has each: a phrase query then has a known selectivity.
PHRASES = {"heat shield": 0.05, "launch window": 0.2, "orbital debris": 0.01}
SYLLABLES = ("ka", "lo", "mi", "ra", "te", "su", "vo", "ne", "di", "po", "an", "el", "or", "ul", "is",
             "tra", "ste", "pli", "gro", "van", "mer", "col", "bri", "dus", "fen")


def vocabulary(rng: Random) -> list[str]:
    """Distinct invented words, the commonest first (short words are the common ones, as in prose)."""
    words: dict[str, None] = {}
    while len(words) < VOCABULARY_SIZE:
        syllables = 1 + int(math.log10(len(words) + 1) / 1.5) + rng.randint(0, 1)
        words["".join(rng.choice(SYLLABLES) for _ in range(syllables))] = None
    return list(words)


def synthetic_entities() -> list[dict[str, str]]:
    """The gazetteer's entities, in a fixed order: the first is the commonest in the articles."""
    return [entity.record() for _, entity in sorted(shipped_gazetteer().entities.items())]


def synthetic_articles(count: int, seed: int = SEED) -> Iterator[dict[str, Any]]:
    """``count`` article records, the same for the same seed; stored roughly in publication order
    (as a crawl stores them), with some older articles arriving late."""
    rng = Random(seed)
    mentions = Random(seed + 1)  # its own stream: the text stays as it was before entities
    entities = synthetic_entities()
    entity_weights = list(accumulate(1 / rank for rank in range(1, len(entities) + 1)))
    words = vocabulary(rng)
    cumulative = list(accumulate(1 / rank ** ZIPF_EXPONENT for rank in range(1, len(words) + 1)))
    authors = [f"{rng.choice(words).title()} {rng.choice(words).title()}" for _ in range(300)]
    for number in range(count):
        day = number * DAYS / count if rng.random() > 0.1 else rng.uniform(0, DAYS)
        body_words = rng.choices(words, cum_weights=cumulative, k=rng.randint(120, 260))
        for phrase, rate in PHRASES.items():
            if rng.random() < rate:
                body_words.insert(rng.randrange(len(body_words)), phrase)
        paragraphs = [" ".join(body_words[i:i + 40]).capitalize() + "." for i in range(0, len(body_words), 40)]
        site = rng.choices(SITES, SITE_WEIGHTS)[0]
        yield {
            "url": f"https://{site}.example/{number}", "site": site,
            "title": " ".join(rng.choices(words, cum_weights=cumulative, k=rng.randint(5, 11))).capitalize(),
            "body": "\n\n".join(paragraphs),
            "authors": rng.sample(authors, rng.choice((0, 1, 1, 1, 2))),
            "tags": rng.sample(words[100:400], rng.randint(0, 3)),
            "published": None if rng.random() < 0.03 else START + timedelta(days=day, seconds=rng.randrange(86400)),
            "language": "en", "word_count": len(body_words), "content_hash": f"{seed}-{number}",
            "entities": list({e["id"]: e for e in mentions.choices(entities, cum_weights=entity_weights,
                                                                    k=mentions.randint(0, 4))}.values()),
        }


def fill(store: Store, count: int) -> float:
    started = time.perf_counter()
    batch: list[dict[str, Any]] = []
    for record in synthetic_articles(count):
        batch.append(record)
        if len(batch) == 5000:
            store.save(batch)
            batch.clear()
            print(f"  stored {store_count(store)} articles…", end="\r", file=sys.stderr)
    store.save(batch)
    return time.perf_counter() - started


def store_count(store: Store) -> int:
    with store.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Article)) or 0


def query_kinds(words: list[str]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Kind of query -> (query, filters), words and entities picked by their frequency rank."""
    entities = synthetic_entities()
    return {
        "rare word": (words[20_000], {}),
        "mid word": (words[400], {}),
        "common word": (words[3], {}),
        "two common words": (f"{words[2]} {words[5]}", {}),
        "phrase": ('"heat shield"', {}),
        "boolean": (f"{words[60]} OR {words[70]} -{words[10]}", {}),
        "prefix": (words[1000][:4] + "*", {}),
        "common + site": (words[3], {"site": SITES[5]}),
        "common + since": (words[3], {"since": "2023-06"}),
        "mid + author": (words[400], {"author": "a"}),
        "common + entity": (words[3], {"entity": entities[0]["name"]}),
        "mid + rare entity": (words[400], {"entity": entities[200]["name"]}),
    }


def timed_ms(function: Callable[[], object], repeat: int) -> list[float]:
    function()  # warm the page cache
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(1000 * (time.perf_counter() - started))
    return times


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)]


def searches(store: Store, query: str, wanted: ArticleFilter, repeat: int, ranked: int) -> tuple[int, list[float]]:
    """(hits, latencies in ms of a 20-result search) with at most ``ranked`` hits ranked."""
    bound = full_text.RANKED_CANDIDATES
    full_text.RANKED_CANDIDATES = ranked
    try:
        hits = len(store.search(query, 10**9, wanted)) if ranked > bound else 0
        return hits, timed_ms(lambda: store.search(query, 20, wanted), repeat)
    finally:
        full_text.RANKED_CANDIDATES = bound


def report(name: str, store: Store, repeat: int) -> None:
    words = vocabulary(Random(SEED))
    print(f"\n== {name}: {store_count(store)} articles; search: 20 results, p50/p95 of {repeat} runs; "
          f"'all' ranks every hit (the bound lifted), its p50 over {max(3, repeat // 5)} runs")
    print(f"{'search':<18}{'hits':>7}{'p50 ms':>8}{'p95 ms':>8}{'all p50':>9}{'all/p50':>9}  query")
    p50s = []
    for kind, (query, filters) in query_kinds(words).items():
        wanted = article_filter(**filters)
        _, times = searches(store, query, wanted, repeat, full_text.RANKED_CANDIDATES)
        hits, everything = searches(store, query, wanted, max(3, repeat // 5), 10**9)
        p50s.append(statistics.median(times))
        shown = query + "".join(f" --{k} {v}" for k, v in filters.items())
        print(f"{kind:<18}{hits:>7}{p50s[-1]:>8.1f}{percentile(times, 0.95):>8.1f}"
              f"{statistics.median(everything):>9.1f}{statistics.median(everything) / p50s[-1]:>9.1f}  {shown}")
    print(f"{'median of kinds':<25}{statistics.median(p50s):>8.1f}")

    print(f"{'export':<20}{'rows':>8}{'rows/s':>9}{'seconds':>9}")
    for format_name, write in WRITERS.items():
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder, f"export.{format_name}")
            started = time.perf_counter()
            with target.open("wb") as stream:
                rows = write(stream, (article.record() for article in store.articles()))
            seconds = time.perf_counter() - started
        print(f"{format_name:<20}{rows:>8}{rows / seconds:>9.0f}{seconds:>9.1f}")
    entity = synthetic_entities()[0]["name"]
    started = time.perf_counter()
    rows = sum(1 for _ in store.articles(entity=entity))
    seconds = time.perf_counter() - started
    print(f"{'--entity ' + entity:<20}{rows:>8}{rows / seconds:>9.0f}{seconds:>9.1f}")

    print(f"{'stats':<28}{'p50 ms':>9}{'p95 ms':>9}")
    for label, call in (("per site", store.site_summaries),
                        ("per month", lambda: store.count_by_period("month")),
                        ("per day", lambda: store.count_by_period("day")),
                        ("per entity", store.entity_counts),
                        ("per entity, one site", lambda: store.entity_counts(site=SITES[5]))):
        times = timed_ms(call, max(3, repeat // 5))
        print(f"{label:<28}{statistics.median(times):>9.1f}{percentile(times, 0.95):>9.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per search (after one warm-up)")
    parser.add_argument("--keep", metavar="DIR", help="keep the SQLite store in DIR and reuse it")
    parser.add_argument("--postgres", default=os.environ.get("SPACECRAWL_TEST_POSTGRES_URL",
                                                            "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.keep or scratch)
        path = folder / f"query-bench-{args.articles}.db"
        reused = path.exists()
        with open_store(f"sqlite:///{path}", create=True) as store:
            if not reused:
                print(f"sqlite: stored {args.articles} articles in {fill(store, args.articles):.0f} s", file=sys.stderr)
            report("SQLite" + (" (reused)" if reused else ""), store, args.repeat)

    if args.no_postgres:
        return
    with throwaway_schema(args.postgres) as scoped, open_store(scoped) as store:
        print(f"postgresql: stored {args.articles} articles in {fill(store, args.articles):.0f} s", file=sys.stderr)
        with store.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        report("PostgreSQL", store, args.repeat)


@contextmanager
def throwaway_schema(postgres_url: str) -> Iterator[str]:
    """``postgres_url`` scoped to a new schema (through search_path), dropped afterwards."""
    url = make_url(postgres_url)
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    try:
        yield url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    main()
