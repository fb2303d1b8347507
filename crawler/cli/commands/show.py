"""`scrapy show`: one stored article, every field, and the earlier versions a re-crawl replaced."""

from __future__ import annotations

import argparse
import json
import textwrap

from scrapy.exceptions import UsageError

from crawler.cli.base_commands import StoreCommand
from crawler.cli.errors import CommandError
from crawler.cli.output import json_ready
from crawler.db.models import Article, ArticleRevision
from crawler.db.query import ArticleFilter
from crawler.db.store import Store

REVISION_FIELDS = ("content_hash", "title", "body", "published", "modified", "fetched_at", "replaced_at")
BOOKKEEPING_FIELDS = ("id", "first_seen", "last_seen", "updated_at")


def revision_record(revision: ArticleRevision) -> dict[str, object]:
    return {name: getattr(revision, name) for name in REVISION_FIELDS}


def shown_entities(entities: list[dict[str, str]]) -> str:
    return ", ".join(f"{entity['name']} ({entity['kind']})" for entity in entities) or "none"


def article_text(article: Article) -> str:
    lines = [f"{name:>12}: {shown_entities(value) if name == 'entities' else value}" for name, value in
             (*((n, getattr(article, n)) for n in BOOKKEEPING_FIELDS), *article.record().items()) if name != "body"]
    lines += ["", textwrap.indent(article.body or "(no body)", "    "), ""]
    for number, revision in enumerate(article.revisions, 1):
        lines.append(f"revision {number} (replaced {revision.replaced_at:%Y-%m-%d %H:%M} UTC): "
                     f"{revision.title!r}, hash {revision.content_hash}, {len((revision.body or '').split())} words")
    if not article.revisions:
        lines.append("no earlier versions")
    return "\n".join(lines)


class Command(StoreCommand):
    takes_filters = False

    def syntax(self) -> str:
        return "URL|ID [--json]"

    def short_desc(self) -> str:
        return "Show one stored article (by URL, fetched URL or id) with its earlier versions"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--json", action="store_true", help="as JSON, revisions included")

    def check_usage(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one article URL or id", print_help=False)

    def run_with_store(self, store: Store, where: ArticleFilter, args: list[str], opts: argparse.Namespace) -> None:
        article = store.article(args[0])
        if article is None:
            raise CommandError(f"no stored article has the URL or id {args[0]!r}")
        if opts.json:
            record = {name: getattr(article, name) for name in BOOKKEEPING_FIELDS} | article.record()
            record["revisions"] = [revision_record(r) for r in article.revisions]
            print(json.dumps(record, default=json_ready, ensure_ascii=False, indent=2))
        else:
            print(article_text(article))
