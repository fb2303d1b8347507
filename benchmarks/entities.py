"""Entity tagging: precision and recall per kind on hand-annotated articles, false space entities
on general news, and what tagging costs beside extraction, measured in the same run.

    python -m benchmarks.entities [CORPUS] [--show]

Annotated: the corpus's space pages (gold by case id in benchmarks/data/entities_gold.toml; the
pages stay in the corpus) and our own short articles in six languages
(benchmarks/data/entity_articles.toml). Corpus pages go through what `scrapy extract` runs
(crawler.sitekit.offline), so entities are read from the text a crawl would store. A case's
entities are compared as sets of ids per kind. Every other corpus page is general news: the
benchmark counts those tagged with any vehicle, spacecraft or mission (want at most 10 %).
Speed: extraction and the stages but tagging, timed per page; then tagging (title, summary and
body) of the same articles; tagging is shown as a share of extraction. ``--show`` lists each
case's misses and false entities.
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

from scrapy.exceptions import DropItem
from scrapy.settings import Settings

from benchmarks.scoring import corpus_dir, load_cases
from crawler.extraction import decode_html
from crawler.items import Article
from crawler.knowledge import KINDS, shipped_gazetteer, tag_text
from crawler.knowledge.matcher import matcher

DATA = Path(__file__).with_name("data")
SPACE_KINDS = ("vehicle", "spacecraft", "mission")  # what a general-news page should not carry


def gold_sets(gold: dict[str, list[str]]) -> set[tuple[str, str]]:
    return {(kind, entity_id) for kind, ids in gold.items() for entity_id in ids}


def found_sets(entities: list[dict[str, str]]) -> set[tuple[str, str]]:
    return {(entity["kind"], entity["id"]) for entity in entities}


def offline_run():  # type: ignore[no-untyped-def]
    """`scrapy extract`'s stages without tagging, which is timed apart."""
    from crawler import settings as project_settings
    from crawler.sitekit.offline import OfflineRun

    values = {k: getattr(project_settings, k) for k in dir(project_settings) if k.isupper()}
    return OfflineRun(Settings(values=values | {"SPACECRAWL_ENTITIES_ENABLED": False}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", help="corpus folder (default: $SPACECRAWL_CORPUS or ../shared/corpus)")
    parser.add_argument("--show", action="store_true", help="list each annotated case's misses and false entities")
    args = parser.parse_args()
    directory = corpus_dir(args.corpus)
    if not (directory / "cases.jsonl").exists():
        sys.exit(f"error: no corpus at {directory} (give its folder, or set SPACECRAWL_CORPUS)")
    gold = tomllib.loads((DATA / "entities_gold.toml").read_text(encoding="utf-8"))["corpus"]
    own = tomllib.loads((DATA / "entity_articles.toml").read_text(encoding="utf-8"))["own"]

    started = time.perf_counter()
    matcher()  # the automaton, built once per process
    build_seconds = time.perf_counter() - started

    run = offline_run()
    articles: dict[str, Article] = {}
    extraction_seconds = 0.0
    cases = load_cases(directory)
    for case in cases:
        html = decode_html(case.html_bytes())
        fetched_at = datetime.fromisoformat(case.fetched_at) if case.fetched_at else None
        started = time.perf_counter()
        try:
            articles[case.id] = run.process(case.url, html, fetched_at)
        except DropItem:
            pass
        extraction_seconds += time.perf_counter() - started
    started = time.perf_counter()
    tagged = {case_id: tag_text(a.title, a.summary, a.body) for case_id, a in articles.items()}
    tagging_seconds = time.perf_counter() - started

    annotated: dict[str, tuple[set[tuple[str, str]], set[tuple[str, str]]]] = {}
    for case_id, kinds in gold.items():
        annotated[f"corpus {case_id}"] = (gold_sets(kinds), found_sets(tagged.get(case_id, [])))
    for name, article in own.items():
        annotated[f"own {name}"] = (gold_sets(article.get("gold", {})), found_sets(tag_text(article["title"],
                                                                                            article["body"])))
    print(f"gazetteer: {len(shipped_gazetteer().entities)} entities; annotated: {len(gold)} corpus space pages, "
          f"{len(own)} articles of our own\n")
    for label, prefix in (("corpus space pages", "corpus "), ("our own articles", "own "), ("all annotated", "")):
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for case, (wanted, found) in annotated.items():
            if not case.startswith(prefix):
                continue
            for kind, _ in wanted & found:
                counts[kind]["tp"] += 1
            for kind, _ in found - wanted:
                counts[kind]["fp"] += 1
            for kind, _ in wanted - found:
                counts[kind]["fn"] += 1
        print(f"{label}:\n  {'kind':<11} {'gold':>5} {'found':>6} {'precision':>10} {'recall':>7}")
        for kind in (*KINDS, "all"):
            c = sum(counts.values(), Counter()) if kind == "all" else counts[kind]
            gold_n, found_n = c["tp"] + c["fn"], c["tp"] + c["fp"]
            precision = f"{c['tp'] / found_n:.3f}" if found_n else "-"
            recall = f"{c['tp'] / gold_n:.3f}" if gold_n else "-"
            print(f"  {kind:<11} {gold_n:>5} {found_n:>6} {precision:>10} {recall:>7}")
        print()
    if args.show:
        for case, (wanted, found) in annotated.items():
            if wanted != found:
                print(f"{case}\n  missed: {sorted(wanted - found)}\n  false:  {sorted(found - wanted)}")
        print()

    general = [case.id for case in cases if case.id not in gold and case.id in tagged]
    carrying = {case_id: sorted(e["name"] for e in tagged[case_id] if e["kind"] in SPACE_KINDS)
                for case_id in general}
    carrying = {case_id: names for case_id, names in carrying.items() if names}
    print(f"general-news pages: {len(general)} (corpus pages not annotated as space news, not dropped); "
          f"carrying a vehicle, spacecraft or mission: {len(carrying)} = {len(carrying) / max(1, len(general)):.1%}")
    for case_id, names in sorted(carrying.items()):
        print(f"  {case_id}: {', '.join(names)}")
    any_entity = {case_id: sorted(e["name"] for e in tagged[case_id]) for case_id in general if tagged[case_id]}
    print(f"  (carrying any entity at all: {len(any_entity)} = {len(any_entity) / max(1, len(general)):.1%})")
    if args.show:
        for case_id, names in sorted(any_entity.items()):
            print(f"  {case_id}: {', '.join(names)}")
    print()

    pages = len(articles)
    print(f"speed over {pages} extracted corpus pages: extraction and stages {1000 * extraction_seconds / pages:.2f} "
          f"ms/page, tagging {1000 * tagging_seconds / pages:.3f} ms/page = "
          f"{tagging_seconds / extraction_seconds:.1%} of extraction; gazetteer loaded and automaton built once "
          f"per process in {1000 * build_seconds:.0f} ms")


if __name__ == "__main__":
    main()
