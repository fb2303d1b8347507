"""`scrapy search`: ranked full-text search over stored titles and bodies."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import asdict, fields

from scrapy.exceptions import UsageError

from crawler.cli.base_commands import StoreCommand
from crawler.cli.export_formats import csv_cell
from crawler.db.query import ArticleFilter
from crawler.db.repository import SearchHit
from crawler.db.store import Store

HIT_FIELDS = [f.name for f in fields(SearchHit)]


def hit_record(hit: SearchHit) -> dict[str, object]:
    """The hit as JSON-ready data, in the same shape on both databases."""
    return asdict(hit) | {"published": hit.published.isoformat() if hit.published else None}


class Command(StoreCommand):
    filters_by_author_and_tag = True

    def syntax(self) -> str:
        return ("QUERY [--site NAME,NAME] [--exclude-site NAME] [--since DATE] [--until DATE] [--author NAME] [--tag TAG] "
                "[--entity NAME] [--limit N] [--one-per-story] [--json|--jsonl|--csv]")

    def short_desc(self) -> str:
        return "Search stored articles: words, \"phrases\", OR, -excluded, prefix*"

    def long_desc(self) -> str:
        return ('Search titles and bodies, best match first. QUERY: words (all must appear), "a phrase", '
                "a OR b, -word or NOT word to exclude, launch* for words starting so. Quote the whole "
                "query for your shell: scrapy search '\"heat shield\" -starship'.")

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--limit", type=int, default=20, metavar="N", help="at most N results (default 20)")
        parser.add_argument("--one-per-story", action="store_true",
                            help="one article per story (copies and other reports of one event): its best hit")
        shape = parser.add_mutually_exclusive_group()
        for name in ("json", "jsonl", "csv"):
            shape.add_argument(f"--{name}", action="store_const", const=name, dest="shape",
                               help=f"results as {name.upper()} (url, fetched_url, site, title, published, story_id, "
                                    "duplicate_of, snippet, score, entities)")

    def check_usage(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args:
            raise UsageError("give a query, e.g. scrapy search '\"europa clipper\" launch*'", print_help=False)
        if opts.limit < 1:
            raise UsageError("--limit must be at least 1", print_help=False)

    def run_with_store(self, store: Store, where: ArticleFilter, args: list[str], opts: argparse.Namespace) -> None:
        hits = store.search(" ".join(args), opts.limit, where, one_per_story=opts.one_per_story)
        if opts.shape == "json":
            print(json.dumps([hit_record(hit) for hit in hits], ensure_ascii=False, indent=2))
        elif opts.shape == "jsonl":
            for hit in hits:
                print(json.dumps(hit_record(hit), ensure_ascii=False))
        elif opts.shape == "csv":
            writer = csv.DictWriter(sys.stdout, fieldnames=HIT_FIELDS)
            writer.writeheader()
            writer.writerows({name: csv_cell(value) for name, value in hit_record(hit).items()} for hit in hits)
        else:
            for hit in hits:
                published = f"{hit.published:%Y-%m-%d}" if hit.published else "undated"
                copy = f"\n       a copy of {hit.duplicate_of}" if hit.duplicate_of else ""
                mentions = f"\n       entities: {csv_cell(hit.entities)}" if hit.entities else ""
                print(f"{hit.score:3.0f}  {published}  {hit.site or '-'}  {hit.title or '(no title)'}\n"
                      f"       {hit.url}{copy}\n       {hit.snippet}{mentions}\n")
            print(f"{len(hits)} result{'s' * (len(hits) != 1)}", file=sys.stderr)
