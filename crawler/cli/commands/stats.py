"""`scrapy stats`: what the store holds, per site or per day/week/month, and how crawls went;
``--plot`` draws articles per site over time."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from dataclasses import asdict
from datetime import date
from typing import BinaryIO

from scrapy.exceptions import UsageError

from crawler.cli.base_commands import CommandError, StoreCommand
from crawler.cli.output import json_ready, output, table
from crawler.db.query import ArticleFilter
from crawler.db.store import Store

PERIODS = ("day", "week", "month")
# More lines than this are unreadable: the smaller sites are drawn as one "other sites" line.
PLOTTED_SITES = 10


def plot_counts(counts: list[tuple[str, str | None, int]], period: str, stream: BinaryIO) -> None:
    """Articles per site per period (``Store.count_by_period``) as a PNG line chart."""
    try:
        # A Figure without pyplot draws with the Agg canvas: no display, no global backend state.
        from matplotlib.figure import Figure
    except ImportError:
        raise CommandError("--plot needs matplotlib: pip install -r requirements.txt") from None
    totals = Counter[str]()
    for _, site, n in counts:
        totals[site or "(no site)"] += n
    shown = {site for site, _ in totals.most_common(PLOTTED_SITES)}
    series: dict[str, Counter[date]] = defaultdict(Counter)
    for name, site, n in counts:
        label = site or "(no site)"
        series[label if label in shown else "other sites"][date.fromisoformat(name + "-01" * (period == "month"))] += n
    figure = Figure(figsize=(11, 5.5), layout="constrained")
    axes = figure.add_subplot()
    for label in sorted(series, key=lambda label: (label == "other sites", -totals.get(label, 0))):
        days = sorted(series[label])
        style = {"color": "grey", "linestyle": "--"} if label == "other sites" else {}
        axes.plot(days, [series[label][day] for day in days], marker="." if len(days) < 60 else None, label=label,
                  **style)
    axes.set_title(f"Articles per site per {period} (by publication date, UTC)")
    axes.set_ylabel(f"articles per {period}")
    axes.set_ylim(bottom=0)
    axes.grid(alpha=0.3)
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    figure.savefig(stream, format="png", dpi=100)


class Command(StoreCommand):
    def syntax(self) -> str:
        return "[--by day|week|month] [--site NAME] [--since DATE] [--until DATE] [--json | --plot FILE.png]"

    def short_desc(self) -> str:
        return "Articles per site (missing dates and authors, last successful crawl) or per period"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--by", choices=PERIODS, help="count dated articles per period and site instead")
        shape = parser.add_mutually_exclusive_group()
        shape.add_argument("--json", action="store_true", help="as JSON")
        shape.add_argument("--plot", metavar="FILE.png",
                           help="draw articles per site over time (per --by period, default month) as a PNG")

    def check_usage(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"stats takes no arguments (got {' '.join(args)}); see --help", print_help=False)
        if not (opts.by or opts.plot) and (opts.since or opts.until):
            raise UsageError("--since/--until need --by or --plot (the per-site summary covers everything)",
                             print_help=False)

    def run_with_store(self, store: Store, where: ArticleFilter, args: list[str], opts: argparse.Namespace) -> None:
        if opts.plot:
            period = opts.by or "month"
            counts = store.count_by_period(period, where)
            if not counts:
                raise CommandError("nothing to plot: no dated articles" + (" match" if where != ArticleFilter() else ""))
            with output(opts.plot) as stream:
                plot_counts(counts, period, stream)
            sites = len({site for _, site, _ in counts})
            print(f"plotted {sum(n for *_, n in counts)} articles of {sites} site{'s' * (sites != 1)} "
                  f"per {period} to {opts.plot}", file=sys.stderr)
            return
        if opts.by:
            counts = store.count_by_period(opts.by, where)
            if opts.json:
                print(json.dumps([{opts.by: period, "site": site, "articles": n} for period, site, n in counts], indent=2))
            else:
                print(table((opts.by, "site", "articles"), counts))
            return
        summaries = [s for s in store.site_summaries() if not where.site or s.site == where.site]
        if opts.json:
            print(json.dumps([asdict(s) for s in summaries], default=json_ready, indent=2))
            return
        print(table(("site", "articles", "undated", "no author", "newest article", "last success", "last run"),
                    ((s.site, s.articles, s.undated, s.authorless, s.newest, s.last_success, s.last_status)
                     for s in summaries)))
        print(f"\n{sum(s.articles for s in summaries)} articles; dates and times in UTC")
