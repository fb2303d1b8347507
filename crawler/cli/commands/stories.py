"""`scrapy stories`: the stories in the store, each a group of articles telling one event (copies
of one article among them): size, sites, first and last seen, headline of the first."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from scrapy.exceptions import UsageError

from crawler.cli.base_commands import StoreCommand
from crawler.cli.output import json_ready, table
from crawler.db.query import ArticleFilter
from crawler.db.repository import Story
from crawler.db.store import Store


class Command(StoreCommand):
    def syntax(self) -> str:
        return "[--since DATE] [--until DATE] [--site NAME[,NAME…]] [--min-size N] [--limit N] [--json] [--link-unlinked]"

    def short_desc(self) -> str:
        return "List stories (articles of one event across sites, copies included), most recent first"

    def long_desc(self) -> str:
        return ("A story is a group of stored articles telling one event: copies of one article and other "
                "reports of it. Shown: size, sites, first and last seen (publication, else storage time), "
                "headline and URL of its first article. The filters (--site, --exclude-site, --since, --until, "
                "--entity) choose stories with an article among them; --site takes a comma list.")

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--min-size", type=int, default=2, metavar="N",
                            help="stories of at least N articles (default 2; 1 lists single articles too)")
        parser.add_argument("--limit", type=int, default=50, metavar="N", help="at most N stories (default 50)")
        parser.add_argument("--json", action="store_true", help="as JSON")
        parser.add_argument("--link-unlinked", action="store_true",
                            help="first link the articles stored before stories existed (once, after upgrading)")

    def check_usage(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"stories takes no arguments (got {' '.join(args)}); see --help", print_help=False)
        if opts.min_size < 1 or opts.limit < 1:
            raise UsageError("--min-size and --limit must be at least 1", print_help=False)

    def run_with_store(self, store: Store, where: ArticleFilter, args: list[str], opts: argparse.Namespace) -> None:
        if opts.link_unlinked:
            counts = store.link_unlinked()
            print(f"linked {counts.copies + counts.originals + counts.joined + counts.began} articles stored "
                  f"before: {counts.copies + counts.originals} copies, {counts.joined} joined a story")
        found = store.stories(where, min_size=opts.min_size, limit=opts.limit)
        if opts.json:
            print(json.dumps([asdict(story) for story in found], default=json_ready, ensure_ascii=False, indent=2))
            return
        if not found:
            print(f"no stories of at least {opts.min_size} articles{_among(opts)}")
            return
        print(table(("story", "size", "sites", "first seen", "last seen", "headline"), (_row(s) for s in found)))


def _among(opts: argparse.Namespace) -> str:
    parts = [f"on {opts.site}" if opts.site else "", f"since {opts.since}" if opts.since else "",
             f"until {opts.until}" if opts.until else ""]
    return "".join(f" {part}" for part in parts if part)


def _row(story: Story) -> tuple[object, ...]:
    headline = story.headline or "(no title)"
    return (story.story_id, story.size, ",".join(story.sites), story.first_seen, story.last_seen,
            headline if len(headline) <= 70 else headline[:69] + "…")
