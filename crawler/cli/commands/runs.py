"""`scrapy runs`: recent crawl runs with their figures, status and health alerts, newest first."""

from __future__ import annotations

import argparse
import json
from typing import Any

from scrapy.exceptions import UsageError

from crawler.cli.arguments import site_list
from crawler.cli.base_commands import StoreCommand
from crawler.cli.output import json_ready, reasons_text, table
from crawler.db.engine import reporting_unavailable
from crawler.db.query import ArticleFilter
from crawler.db.repository import dropped_counts, recent_runs
from crawler.db.store import Store
from crawler.ops.run_stats import KNOWN_ARTICLE_COUNTS


class Command(StoreCommand):
    takes_filters = False

    def syntax(self) -> str:
        return "[--site NAME] [--limit N] [--json]"

    def short_desc(self) -> str:
        return "Recent crawl runs: pages, articles new/updated/unchanged/skipped, drops, errors, alerts"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--site", metavar="NAME", help="only this site's runs")
        parser.add_argument("--limit", type=int, default=20, metavar="N", help="how many runs (default 20)")
        parser.add_argument("--json", action="store_true", help="as JSON, with every recorded figure")

    def check_usage(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"runs takes no arguments (got {' '.join(args)}); use --site NAME", print_help=False)
        if opts.limit < 1:
            raise UsageError("--limit must be at least 1", print_help=False)
        if len(site_list(opts.site, "--site")) > 1:
            raise UsageError("runs --site takes one site name", print_help=False)

    def sites_named(self, where: ArticleFilter, opts: argparse.Namespace) -> tuple[str, ...]:
        return site_list(opts.site, "--site")

    def run_with_store(self, store: Store, where: ArticleFilter, args: list[str], opts: argparse.Namespace) -> None:
        site = next(iter(self.sites_named(where, opts)), None)
        with reporting_unavailable(store.engine.url):
            runs = recent_runs(store.engine, site, opts.limit)
        if opts.json:
            print(json.dumps([{"id": r.id, "site": r.site, "mode": r.mode, "status": r.status,
                               "started_at": r.started_at, "finished_at": r.finished_at, "stats": r.stats,
                               "crawl_id": r.crawl_id, "worker": r.worker}
                              for r in runs], default=json_ready, indent=2))
            return
        if not runs:
            print("no runs recorded" + (f" for {site}" if site else ""))
            return
        print(table(("id", "site", "mode", "started", "took", "status", "pages", "new", "updated", "unchanged",
                     "skipped", "dropped", "errors", "alerts", "shared"), (_row(run) for run in runs)))
        for run in runs:
            for alert in run.stats.get("alerts") or []:
                print(f"ALERT run {run.id} {run.site}: {alert.get('message', alert)}")
        with reporting_unavailable(store.engine.url):
            remembered = dropped_counts(store.engine, site)
        for site, reasons in remembered.items():  # what the next crawls will not download again
            print(f"dropped pages remembered, {site}: {reasons_text(reasons)}")


def _row(run: Any) -> tuple[object, ...]:
    stats = run.stats or {}
    incremental = stats.get("incremental") or {}
    took = f"{(run.finished_at - run.started_at).total_seconds():.0f}s" if run.finished_at else None
    return (run.id, run.site, run.mode, run.started_at, took, run.status, stats.get("pages"), stats.get("new"),
            stats.get("updated"), stats.get("unchanged"),
            sum(incremental.get(k, 0) for k in KNOWN_ARTICLE_COUNTS) if stats else None,
            sum((stats.get("dropped") or {}).values()) if stats else None, stats.get("errors"),
            len(stats.get("alerts") or []) if stats else None, _shared(run))


def _shared(run: Any) -> str | None:
    """A run of a crawl shared through Redis: one worker's part, or the crawl as a whole."""
    if run.worker:
        return f"worker {run.worker}"
    workers = (run.stats or {}).get("workers", "?")
    return f"{workers} worker{'' if workers == 1 else 's'}" if run.crawl_id else None
