"""Copies and stories on real pages: how many republished copies the store links to their original,
how many distinct articles it merges into another's story, and what linking costs per article
against extraction, measured in the same run.

    python -m benchmarks.stories [CORPUS] [--split dev|heldout|all] [--seed 0] [--postgres URL]

From each corpus page with a body of 150 words or more, extracted as a crawl extracts it:
- every even one is stored, and a copy of it republished on another site: new markup around the
  same paragraphs (some joined by <br><br>, in other containers), and at random a credit line, a
  rewritten headline and/or the last 40 % of its paragraphs cut with a "read the full story" line.
  The copy is extracted from its own HTML, like any page.
- every odd one becomes two different articles of one event: its headline and first half, and its
  second half under another headline; the whole is never stored.
Everything is stored in a random order into a fresh store, each article dated the same day, so
the story window separates nothing: false merges are counted at their worst.

Figures:
- copies linked: the copy has ``duplicate_of`` = its original's url (or, a whole copy stored
  first, the original has the copy's: text cannot tell which of two equal articles came first),
  and both have one ``story_id`` (target >= 95 %);
- duplicate-link precision: of the articles given a ``duplicate_of``, those pointing at their own
  original (or copy);
- false merges: distinct articles (an original with its copy counts as one, so does an event's
  two halves) whose story holds an article of another (target <= 3 %);
- event halves in one story: the two reports of one event linked as a story (no target);
- cost per article: storing with links minus storing without, per article, as a share of the
  extraction time per page measured above (target <= 10 %); and an unchanged re-store (a
  re-crawl) with and without linking. CPU time of this process (SQLite runs in it), as the
  machine may be shared; on PostgreSQL (--postgres), the CPU time of this process and of its
  server process (read from /proc when the server runs on this machine; the server's shared
  writers, WAL and checkpoints, are left out), and wall time, which counts other loads too.
"""

from __future__ import annotations

import argparse
import html
import os
import random
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy.exceptions import DropItem
from sqlalchemy import Connection
from scrapy.settings import Settings

from benchmarks.scoring import SPLITS, corpus_dir, load_cases
from crawler import settings as project_settings
from crawler.db.engine import ensure_schema, make_engine
from crawler.db.repository import upsert_and_link, upsert_articles
from crawler.db.store import link_rules
from crawler.extraction import decode_html
from crawler.items import to_record
from crawler.sitekit.offline import OfflineRun

MIN_WORDS = 150
ONE_DAY = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
MIRROR = "https://orbit-mirror.example"
CREDITS = ("This article was originally published by {outlet} and is republished here with permission.",
           "Originally published at {outlet}. Republished under a content-sharing agreement.")
HEADLINES = (lambda title: f"Report: {title}", lambda title: f"{title} — what we know",
             lambda title: " ".join(title.split()[: max(3, len(title.split()) * 2 // 3)]) + " …")
BATCH = 100  # records per transaction, as a crawl's store writes them (a smaller batch than its default)


def mirror_page(url: str, title: str, paragraphs: list[str], language: str | None, rng: random.Random) -> str:
    """The copy's own HTML: a plain WordPress-like mirror, its paragraphs re-wrapped."""
    blocks, index = [], 0
    while index < len(paragraphs):
        if rng.random() < 0.3 and index + 1 < len(paragraphs):  # two paragraphs in one block, split by <br><br>
            blocks.append(f"<div class='para'>{html.escape(paragraphs[index])}<br><br>"
                          f"{html.escape(paragraphs[index + 1])}</div>")
            index += 2
        else:
            blocks.append(f"<p>{html.escape(paragraphs[index])}</p>")
            index += 1
    return (f"<!DOCTYPE html><html lang='{language or 'en'}'><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)} | Orbit Mirror</title><link rel='canonical' href='{url}'>"
            f"<meta property='og:type' content='article'></head><body><header><a href='/'>Orbit Mirror</a>"
            f"<nav><a href='/news/'>News</a> <a href='/about/'>About</a></nav></header><main><article>"
            f"<h1 class='entry-title'>{html.escape(title)}</h1><p class='byline'>By Mirror Desk</p>"
            f"<time datetime='{ONE_DAY.isoformat()}'>{ONE_DAY:%B %d, %Y}</time>"
            f"<div class='entry-content'>{''.join(blocks)}</div></article></main>"
            f"<footer><p>© Orbit Mirror</p></footer></body></html>")


def make_copy(article: dict[str, Any], number: int, rng: random.Random) -> tuple[str, str, str]:
    """(url, html, what was done) of a republished copy of ``article``."""
    paragraphs = [p for p in (article["body"] or "").split("\n\n") if p.strip()]
    title, done = article["title"] or "", ["rewrapped"]
    if rng.random() < 0.5:
        title = rng.choice(HEADLINES)(title)
        done.append("headline")
    if rng.random() < 0.5 and len(paragraphs) >= 4:
        paragraphs = paragraphs[: max(2, round(len(paragraphs) * 0.6))] + ["Read the full story at the original site."]
        done.append("truncated")
    if rng.random() < 0.5:
        paragraphs.append(rng.choice(CREDITS).format(outlet=article.get("site") or "the original outlet"))
        done.append("credit")
    url = f"{MIRROR}/2026/03/02/copy-{number}/"
    return url, mirror_page(url, title, paragraphs, article.get("language"), rng), "+".join(done)


def halves(article: dict[str, Any], number: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two articles of one event: headline and first half; the second half under another headline."""
    paragraphs = article["body"].split("\n\n")
    middle = len(paragraphs) // 2
    first = article | {"url": article["url"] + "#first", "body": "\n\n".join(paragraphs[:middle])}
    second = article | {"url": f"{MIRROR}/2026/03/02/follow-up-{number}/",
                        "site": "mirror", "title": "Follow-up: " + " ".join(reversed((article["title"] or "").split())),
                        "body": "\n\n".join(paragraphs[middle:])}
    return first, second


def timed(function: Callable[[], Any]) -> tuple[Any, float]:
    """The result, and the CPU seconds this process spent on it: on a machine others share, wall
    time measures them too. (SQLite runs in this process; PostgreSQL's share is in its server.)"""
    start = time.process_time()
    result = function()
    return result, time.process_time() - start


def server_seconds(connection: Connection) -> Callable[[], float] | None:
    """The CPU seconds so far of the PostgreSQL server process serving ``connection``, if it runs
    on this machine (its /proc/PID/schedstat: nanoseconds on a CPU); else None."""
    stat = Path(f"/proc/{connection.exec_driver_sql('SELECT pg_backend_pid()').scalar()}/schedstat")
    connection.rollback()  # (the transaction the query began)
    try:
        stat.read_text()
    except OSError:
        return None
    return lambda: int(stat.read_text().split()[0]) / 1e9


def store_all(url: str, records: list[dict[str, Any]], link: bool) -> tuple[float, float]:
    """(CPU seconds, wall seconds) to store ``records`` in batches, with or without links, on one
    connection. CPU: this process's, and on PostgreSQL its server process's too (else nan)."""
    engine = make_engine(url)
    ensure_schema(engine)
    rules = link_rules(lambda name: getattr(project_settings, name))
    try:
        with engine.connect() as connection:
            server = server_seconds(connection) if connection.dialect.name == "postgresql" else (lambda: 0.0)
            cpu, wall = time.process_time() + (server() if server else 0.0), time.perf_counter()
            for start in range(0, len(records), BATCH):
                with connection.begin():
                    if link:
                        upsert_and_link(connection, records[start:start + BATCH], rules)
                    else:
                        upsert_articles(connection, records[start:start + BATCH])
            wall = time.perf_counter() - wall
            cpu = time.process_time() + server() - cpu if server else float("nan")
    finally:
        engine.dispose()
    return cpu, wall


def stored_links(url: str) -> dict[str, tuple[int | None, str | None]]:
    from crawler.db.store import open_store

    with open_store(url) as store:
        return {record["url"]: (record["story_id"], record["duplicate_of"]) for record in store.records()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?")
    parser.add_argument("--split", choices=SPLITS, default="all")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--postgres", metavar="URL", help="also measure the cost on this (empty) PostgreSQL database")
    args = parser.parse_args()
    directory = corpus_dir(args.corpus)
    if not (directory / "cases.jsonl").exists():
        raise SystemExit(f"no corpus at {directory}: give its folder or set SPACECRAWL_CORPUS")
    rng = random.Random(args.seed)
    settings = Settings(values={k: getattr(project_settings, k) for k in dir(project_settings) if k.isupper()})
    # Two crawls: the corpus's sites, and the mirror's (a crawl drops an exact repeat of what it
    # saw itself, pipelines/deduplicate.py; another crawl's copies reach the store).
    run, mirror_run = OfflineRun(settings), OfflineRun(settings)

    def extracted(url: str, page: str, run: OfflineRun = run) -> tuple[dict[str, Any] | None, float]:
        start = time.process_time()
        try:
            article = run.process(url, page)
        except DropItem:
            return None, time.process_time() - start
        return to_record(article) | {"published": ONE_DAY.isoformat()}, time.process_time() - start

    originals, extraction_seconds, cases = [], 0.0, load_cases(directory, args.split)
    for case in cases:
        record, seconds = extracted(case.url, decode_html(case.html_bytes()))
        extraction_seconds += seconds
        if record and (record["word_count"] or 0) >= MIN_WORDS and len(record["body"].split("\n\n")) >= 2:
            originals.append(record)
    extraction_ms = 1000 * extraction_seconds / max(1, len(cases))

    records, group_of, pairs, event_pairs, kinds = [], {}, [], [], {}
    for number, article in enumerate(originals):
        if number % 2 == 0:
            copy_url, page, done = make_copy(article, number, rng)
            copy, _ = extracted(copy_url, page, mirror_run)
            if copy is None:
                print(f"copy of {article['url']} dropped by the pipeline ({done})")
                continue
            copy["url"] = copy_url
            members = [article, copy]
            pairs.append((article["url"], copy_url))
            kinds[copy_url] = done
        else:
            members = list(halves(article, number))
            event_pairs.append((members[0]["url"], members[1]["url"]))
        for member in members:
            group_of[member["url"]] = number
            records.append(member)
    rng.shuffle(records)

    with tempfile.TemporaryDirectory() as folder:
        linked_url, plain_url = f"sqlite:///{Path(folder) / 'linked.db'}", f"sqlite:///{Path(folder) / 'plain.db'}"
        plain_seconds = store_all(plain_url, records, link=False)[0]
        linked_seconds = store_all(linked_url, records, link=True)[0]
        again_plain = store_all(plain_url, records, link=False)[0]
        again_linked = store_all(linked_url, records, link=True)[0]
        links = stored_links(linked_url)

    linked_pairs = 0
    missed: dict[str, int] = {}
    for original, copy in pairs:
        # The copy points at its original; or, copied whole and stored first, the original at it
        # (the text cannot tell which of two equal articles came first).
        pointed = links[copy][1] == original or ("truncated" not in kinds[copy] and links[original][1] == copy)
        if pointed and links[copy][0] == links[original][0]:
            linked_pairs += 1
        else:
            missed[kinds[copy]] = missed.get(kinds[copy], 0) + 1
            if os.environ.get("DEBUG_STORIES"):
                print("missed", kinds[copy], original, links[original], copy, links[copy])
    with_link = [url for url, (_, duplicate_of) in links.items() if duplicate_of]
    right_links = sum(group_of[url] == group_of.get(links[url][1]) for url in with_link)
    groups_of_story: dict[int | None, set[int]] = {}
    for url, (story_id, _) in links.items():
        groups_of_story.setdefault(story_id, set()).add(group_of[url])
    merged = {group for groups in groups_of_story.values() if len(groups) > 1 for group in groups}
    events_together = sum(links[first][0] == links[second][0] for first, second in event_pairs)

    articles = len(records)
    link_ms = 1000 * (linked_seconds - plain_seconds) / articles
    print(f"corpus {directory} ({args.split}): {len(originals)} pages of {MIN_WORDS}+ words; extraction "
          f"{extraction_ms:.1f} ms CPU/page (all {len(cases)}); {articles} articles stored: {len(pairs)} originals with a copy, "
          f"{len(event_pairs)} events in two articles, all dated {ONE_DAY:%Y-%m-%d}")
    print(f"copies linked to their original, in its story: {linked_pairs}/{len(pairs)} = "
          f"{100 * linked_pairs / max(1, len(pairs)):.1f} %   (target >= 95 %)"
          + (f"; missed by kind: {missed}" if missed else ""))
    print(f"duplicate-link precision: {right_links}/{len(with_link)} = {100 * right_links / max(1, len(with_link)):.1f} %")
    groups = len(pairs) + len(event_pairs)
    print(f"false merges: {len(merged)}/{groups} distinct articles in another's story = "
          f"{100 * len(merged) / max(1, groups):.1f} %   (target <= 3 %)")
    print(f"two reports of one event in one story: {events_together}/{len(event_pairs)} = "
          f"{100 * events_together / max(1, len(event_pairs)):.1f} %")
    print(f"cost per new article, SQLite (CPU): storing {1000 * plain_seconds / articles:.2f} ms, with links "
          f"{1000 * linked_seconds / articles:.2f} ms: linking {link_ms:.2f} ms = "
          f"{100 * link_ms / extraction_ms:.1f} % of extraction   (target <= 10 %)")
    print(f"unchanged re-store (a re-crawl), SQLite (CPU): {1000 * again_linked / articles:.2f} ms/article with links, "
          f"{1000 * again_plain / articles:.2f} without = {again_linked / again_plain:.2f}x")
    if args.postgres:
        measure_postgres(args.postgres, records, extraction_ms)


def measure_postgres(url: str, records: list[dict[str, Any]], extraction_ms: float) -> None:
    """The same cost on PostgreSQL, in two schemas of the database given (dropped after)."""
    from sqlalchemy import make_url, text

    engine = make_engine(url)
    seconds = {}
    try:
        for schema, link in (("bench_stories_plain", False), ("bench_stories_linked", True)):
            with engine.begin() as connection:
                connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"))
            in_schema = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
            seconds[link] = store_all(in_schema.render_as_string(hide_password=False), records, link)
    finally:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS bench_stories_plain CASCADE; "
                                    "DROP SCHEMA IF EXISTS bench_stories_linked CASCADE"))
        engine.dispose()
    for clock, (name, what) in enumerate((("CPU", "this process and its server process"),
                                          ("wall", "counts whatever else the machine runs"))):
        plain, linked = (1000 * seconds[link][clock] / len(records) for link in (False, True))
        print(f"cost per new article, PostgreSQL ({name}: {what}): storing {plain:.2f} ms, with links {linked:.2f} ms: "
              f"linking {linked - plain:.2f} ms = {100 * (linked - plain) / extraction_ms:.1f} % of extraction"
              + ("   (target <= 10 %)" if name == "CPU" else ""))


if __name__ == "__main__":
    main()
