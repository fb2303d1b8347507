"""CPU ms per page of each stage a crawled page goes through, measured in this process.

A crawl runs its stages in two processes at once (extraction in workers, the rest in the crawl's
event loop), where one stage's CPU cannot be told from another's; here the same pages go through
the same code one after the other, each stage timed with ``time.process_time`` (CPU, not wall
time: another process's load hardly moves it). The stages: decode (bytes to text, in the crawl
process), transfer (pickling the page to a worker and the article back, both ends), the parts of
``extract_article`` (parse, metadata, title, authors, dates, body; "rest" is what lies between
them), each pipeline stage, and storage (what the store pipeline runs: ``upsert_and_link``, the
articles and their copy and story links, with SPACECRAWL_STORIES on, else ``upsert_articles``, in
batches of SPACECRAWL_STORE_BATCH_SIZE into a fresh SQLite file). Decoding and extraction run in a
worker; transfer, the pipeline stages and storage in the crawl process, whose one thread bounds a
crawl's pages/s.
"""

from __future__ import annotations

import pickle
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from scrapy.exceptions import DropItem

import crawler.extraction.article as extraction
from crawler.db.engine import ensure_schema, make_engine
from crawler.db.repository import upsert_and_link, upsert_articles
from crawler.db.store import link_rules
from crawler.extraction import decode_html
from crawler.items import to_record
from crawler.sitekit.offline import OfflineRun
from crawler.spiders.article_page import ExtractionError, article_from_page
from crawler.spiders.extraction_worker import frame

# The functions extract_article calls, by the stage each belongs to.
EXTRACTION_STAGES = {"parse_html": "parse", "read_metadata": "metadata", "extract_title": "title",
                     "find_headline": "title", "extract_authors": "authors", "extract_dates": "dates",
                     "extract_body": "body", "script_markup": "body", "better_body": "body"}
# Pipeline stages by class, named as the issue names them.
PIPELINE_STAGES = {"ValidatePipeline": "validate", "NormalizeTextPipeline": "normalize text",
                   "StripBoilerplatePipeline": "boilerplate", "ParseDatesPipeline": "parse dates",
                   "TagEntitiesPipeline": "tag entities", "DeduplicatePipeline": "deduplicate"}
# The stages a worker runs (transfer is paid at both ends; the crawl process's end is counted with it).
WORKER_STAGES = {"decode", "parse", "metadata", "title", "authors", "dates", "body", "extraction rest"}
ORDER = ("decode", "transfer", "parse", "metadata", "title", "authors", "dates", "body", "extraction rest",
         *PIPELINE_STAGES.values(), "storage")


@contextmanager
def timed_extraction(spent: Counter[str]) -> Iterator[None]:
    """The stages extract_article calls, timed into ``spent`` (CPU seconds by stage) meanwhile."""
    originals = {name: getattr(extraction, name) for name in EXTRACTION_STAGES}

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[EXTRACTION_STAGES[name]] += time.process_time() - started
        return call

    for name, function in originals.items():
        setattr(extraction, name, timed(name, function))
    try:
        yield
    finally:
        for name, function in originals.items():
            setattr(extraction, name, function)


def _cpu(spent: Counter[str], stage: str, function: Callable[..., Any], *args: Any) -> Any:
    started = time.process_time()
    try:
        return function(*args)
    finally:
        spent[stage] += time.process_time() - started


def stage_ms_per_page(pages: list[tuple[str, bytes]], run: OfflineRun, batch_size: int) -> dict[str, float]:
    """CPU ms per page by stage (ORDER) for ``pages`` (url, body bytes as served, uncompressed)."""
    spent: Counter[str] = Counter()
    records = []
    site = run.site_for(pages[0][0])
    article_from_page(site, pages[0][0], decode_html(pages[0][1]))  # warm-up: lazy imports, compiled selectors
    with timed_extraction(spent):
        for url, body in pages:
            html = _cpu(spent, "decode", decode_html, body)
            fetched_at = datetime.now(UTC)
            # What crosses to a worker: the page's bytes (decoded there, as above)
            _cpu(spent, "transfer", lambda: pickle.loads(frame((None, url, body, "utf-8", fetched_at))[8:]))
            started = time.process_time()
            try:
                article = article_from_page(site, url, html, fetched_at)
            except ExtractionError:
                continue
            finally:
                spent["extraction total"] += time.process_time() - started
            article = _cpu(spent, "transfer", lambda: pickle.loads(frame((True, article))[8:]))[1]
            try:
                for stage in run.stages:
                    article = _cpu(spent, PIPELINE_STAGES.get(type(stage).__name__, type(stage).__name__),
                                   stage.process_item, article)
            except DropItem:
                continue
            records.append(to_record(article))
    spent["extraction rest"] = spent.pop("extraction total") - sum(spent[s] for s in set(EXTRACTION_STAGES.values()))
    with tempfile.TemporaryDirectory(prefix="spacecrawl-stages-") as scratch:
        engine = make_engine(f"sqlite:///{scratch}/store.db")
        ensure_schema(engine)
        settings = run.crawler.settings
        rules = link_rules(settings.get) if settings.getbool("SPACECRAWL_STORIES") else None
        for start in range(0, len(records), batch_size):
            batch = records[start:start + batch_size]
            if rules is None:
                _cpu(spent, "storage", upsert_articles, engine, batch)
            else:
                _cpu(spent, "storage", upsert_and_link, engine, batch, rules)
        engine.dispose()
    return {stage: 1000 * spent[stage] / len(pages) for stage in ORDER}


def stage_table(figures: dict[str, dict[str, float]]) -> str:
    """The stages as rows, one column per kind of page, and their sum."""
    kinds = list(figures)
    lines = [f"{'CPU ms/page by stage':<22}" + "".join(f"{kind:>14}" for kind in kinds)]
    for stage in ORDER:
        lines.append(f"{stage:<22}" + "".join(f"{figures[kind][stage]:>14.2f}" for kind in kinds))
    lines.append(f"{'all':<22}" + "".join(f"{sum(figures[kind].values()):>14.2f}" for kind in kinds))
    # Where each runs in a crawl: the crawl process's share bounds pages/s however many workers there are.
    for where, stages in (("in a worker", WORKER_STAGES), ("in the crawl process", set(ORDER) - WORKER_STAGES)):
        lines.append(f"{where:<22}" + "".join(f"{sum(figures[kind][s] for s in stages):>14.2f}" for kind in kinds))
    return "\n".join(lines)
