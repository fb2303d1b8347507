"""`scrapy stats`: what the store holds, per site, per day/week/month or per entity, and how crawls
went; ``--plot`` draws articles per site per period as bars."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from scrapy.exceptions import UsageError

from crawler.cli.base_commands import StoreCommand
from crawler.cli.errors import CommandError
from crawler.cli.output import json_ready, output, reasons_text, table
from crawler.db.query import ArticleFilter
from crawler.db.store import Store
from crawler.knowledge import shipped_gazetteer

PERIODS = ("day", "week", "month")
# More series than this are unreadable: the smaller sites are drawn as one "other sites" series.
PLOTTED_SITES = 10
# Formats --plot writes, by the file's extension (what matplotlib's Agg canvas writes without extras).
PLOT_FORMATS = ("png", "svg", "pdf", "jpg", "jpeg", "webp", "tif", "tiff", "eps", "ps")


def plot_format(path: str) -> str:
    """The image format ``--plot PATH`` names by its extension, or a one-line usage error."""
    extension = Path(path).suffix.lower().lstrip(".")
    if extension not in PLOT_FORMATS:
        raise UsageError(f"--plot {path}: name a file ending in .{', .'.join(PLOT_FORMATS[:3])} (or "
                         f".{', .'.join(PLOT_FORMATS[3:])}); the extension says the format", print_help=False)
    return "jpeg" if extension == "jpg" else "tiff" if extension == "tif" else extension


def period_bounds(name: str, period: str) -> tuple[date, date]:
    """The first day of the period ``name`` (``Store.count_by_period``) and the first day after it."""
    start = date.fromisoformat(name + "-01" * (period == "month"))
    if period == "month":
        return start, (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start, start + timedelta(days=7 if period == "week" else 1)


def plot_counts(counts: list[tuple[str, str | None, int]], period: str, stream: BinaryIO, image_format: str,
                today: date) -> None:
    """Articles per site per period (``Store.count_by_period``) as stacked bars, one per period.
    The first period (articles begin somewhere inside it) and a last one that is not over yet are
    hatched and named partial: their lower bars are not a collapse."""
    try:
        # A Figure without pyplot draws with the Agg canvas: no display, no global backend state.
        from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
        from matplotlib.figure import Figure
        from matplotlib.patches import Patch
    except ImportError:
        raise CommandError("--plot needs matplotlib: pip install -r requirements.txt") from None
    totals = Counter[str]()
    for _, site, n in counts:
        totals[site or "(no site)"] += n
    shown = [site for site, _ in totals.most_common(PLOTTED_SITES)]
    series: dict[str, Counter[str]] = defaultdict(Counter)
    for name, site, n in counts:
        label = site or "(no site)"
        series[label if label in shown else "other sites"][name] += n
    names = sorted({name for name, _, _ in counts})
    bounds = {name: period_bounds(name, period) for name in names}
    partial = {names[0]} | ({names[-1]} if bounds[names[-1]][1] > today else set())
    starts = [bounds[name][0] for name in names]
    widths = [(bounds[name][1] - bounds[name][0]).days * 0.85 for name in names]
    figure = Figure(figsize=(11, 5.5), layout="constrained")
    axes = figure.add_subplot()
    base = [0] * len(names)
    for label in [*shown, *(["other sites"] if "other sites" in series else [])]:
        heights = [series[label][name] for name in names]
        bars = axes.bar(starts, heights, widths, bottom=base, align="edge", label=label,
                        **({"color": "lightgrey"} if label == "other sites" else {}))
        for bar, name in zip(bars, names):
            if name in partial:
                bar.set_hatch("///")
        base = [b + h for b, h in zip(base, heights)]
    locator = AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.set_title(f"Articles per site per {period} (by publication date, UTC)")
    axes.set_ylabel(f"articles per {period}")
    axes.grid(alpha=0.3, axis="y")
    handles, labels = axes.get_legend_handles_labels()
    handles.append(Patch(facecolor="white", edgecolor="black", hatch="///"))
    labels.append(f"partial {period}")
    axes.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    figure.savefig(stream, format=image_format, dpi=100)


class Command(StoreCommand):
    def syntax(self) -> str:
        return ("[--by day|week|month|entity] [--site NAME,NAME] [--exclude-site NAME] [--since DATE] [--until DATE] "
                "[--entity NAME] [--json | --plot FILE.png]")

    def short_desc(self) -> str:
        return "Articles per site (missing dates and authors, last successful crawl), per period or per entity"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--by", choices=(*PERIODS, "entity"),
                            help="count dated articles per period and site instead, or articles per entity they mention")
        shape = parser.add_mutually_exclusive_group()
        shape.add_argument("--json", action="store_true", help="as JSON")
        shape.add_argument("--plot", metavar="FILE.png",
                           help="draw articles per site per --by period (default month) as bars; the format "
                                "from FILE's extension: .png, .svg, .pdf, .jpg…")

    def check_usage(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"stats takes no arguments (got {' '.join(args)}); see --help", print_help=False)
        if not (opts.by or opts.plot) and (opts.since or opts.until or opts.entity):
            raise UsageError("--since/--until/--entity need --by or --plot (the per-site summary covers everything)",
                             print_help=False)
        if opts.plot:
            if opts.by == "entity":
                raise UsageError("--plot draws periods: --by day, week or month", print_help=False)
            plot_format(opts.plot)

    def run_with_store(self, store: Store, where: ArticleFilter, args: list[str], opts: argparse.Namespace) -> None:
        if opts.plot:
            period = opts.by or "month"
            counts = store.count_by_period(period, where)
            if not counts:
                raise CommandError("nothing to plot: no dated articles" + (" match" if where != ArticleFilter() else ""))
            with output(opts.plot) as stream:
                plot_counts(counts, period, stream, plot_format(opts.plot), datetime.now(UTC).date())
            sites = len({site for _, site, _ in counts})
            print(f"plotted {sum(n for *_, n in counts)} articles of {sites} site{'s' * (sites != 1)} "
                  f"per {period} to {opts.plot}", file=sys.stderr)
            return
        if opts.by == "entity":
            known = shipped_gazetteer().entities
            rows = [(known[i].name if i in known else i, kind, i, n) for i, kind, n in store.entity_counts(where)]
            if opts.json:
                print(json.dumps([{"name": name, "kind": kind, "id": i, "articles": n} for name, kind, i, n in rows],
                                 ensure_ascii=False, indent=2))
            else:
                print(table(("entity", "kind", "id", "articles"), rows))
            return
        if opts.by:
            counts = store.count_by_period(opts.by, where)
            if opts.json:
                print(json.dumps([{opts.by: period, "site": site, "articles": n} for period, site, n in counts], indent=2))
            else:
                print(table((opts.by, "site", "articles"), counts))
            return
        summaries = [s for s in store.site_summaries()
                     if (not where.sites or s.site in where.sites) and s.site not in where.exclude_sites]
        if opts.json:
            print(json.dumps([asdict(s) for s in summaries], default=json_ready, indent=2))
            return
        print(table(("site", "articles", "undated", "no author", "newest article", "last success", "last run",
                     "dropped pages remembered"),
                    ((s.site, s.articles, s.undated, s.authorless, s.newest, s.last_success, s.last_status,
                      reasons_text(s.dropped)) for s in summaries)))
        print(f"\n{sum(s.articles for s in summaries)} articles; dates and times in UTC")
