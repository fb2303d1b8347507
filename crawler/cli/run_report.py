"""What the crawling commands tell a person and the shell: a line per site, a summary naming the
sites that failed, and the exit status. The exit statuses of every command, decided here:

0  the job was done;
1  a run that ended unreachable or crashed, whose store was unavailable, or (with --fail-on-alert /
   SPACECRAWL_FAIL_ON_ALERT) with health alerts; a store command's store or article not found;
2  usage: an unknown option, site or setting value; an input or output that cannot be read or written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crawler.cli.output import reasons_text
from crawler.ops.backfill import backfill_text
from crawler.ops.run_stats import ALERTS_STAT, ARTICLES_PREFIX, BACKFILL_PREFIX, DROPPED_PREFIX, run_problems

EXIT_DONE, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' * (count != 1)}"


def site_line(name: str, stats: Mapping[str, Any], fail_on_alert: bool = False) -> str:
    """One run as one line: pages, articles, drops, errors, and what went wrong if anything did."""
    dropped = {k.removeprefix(DROPPED_PREFIX): v for k, v in stats.items() if k.startswith(DROPPED_PREFIX)}
    dropped_text = reasons_text(dropped)
    new, updated, unchanged = (stats.get(ARTICLES_PREFIX + k, 0) for k in ("new", "updated", "unchanged"))
    details = {"store unavailable": f" ({plural(stats.get(ARTICLES_PREFIX + 'unsaved', 0), 'article')} set aside "
                                    "in unsaved-*.jsonl)", "alerts": f" ({len(stats.get(ALERTS_STAT, []))})"}
    problems = [problem + details.get(problem, "") for problem in run_problems(dict(stats), fail_on_alert)]
    backfill = f", backfill: {backfill_text(dict(stats))}" if any(map(_is_backfill, stats)) else ""
    return (f"{name}: {plural(stats.get('response_received_count', 0), 'page')} fetched, "
            f"{plural(new + updated + unchanged, 'article')} stored ({new} new, {updated} updated, "
            f"{unchanged} unchanged), dropped: {dropped_text}, {plural(stats.get('log_count/ERROR', 0), 'error')}"
            f"{backfill} — {', '.join(problems) or 'ok'}")


def _is_backfill(key: str) -> bool:
    return key.startswith(BACKFILL_PREFIX)


def summary(runs: Mapping[str, Mapping[str, Any]], fail_on_alert: bool = False) -> str:
    """All runs (site -> stats) as one line of totals, naming the sites that failed and why."""
    totals: dict[str, Any] = {}
    for stats in runs.values():
        for key, value in stats.items():
            if isinstance(value, int) and not isinstance(value, bool):
                totals[key] = totals.get(key, 0) + value
            elif key == BACKFILL_PREFIX + "oldest":  # the oldest date any site's backfill reached
                totals[key] = min(totals.get(key, value), value)
    failed: dict[str, list[str]] = {}
    for name, stats in runs.items():
        for problem in run_problems(dict(stats), fail_on_alert):
            failed.setdefault(problem, []).append(name)
    line = site_line(plural(len(runs), "site"), totals | {"finish_reason": "finished"}).rsplit(" — ", 1)[0]
    if not failed:
        return f"{line} — all ok"
    return line + " — " + "; ".join(
        f"{problem}: {'all ' + plural(len(names), 'site') if len(names) == len(runs) > 1 else ', '.join(names)}"
        for problem, names in failed.items())


def exit_code(runs: Mapping[str, Mapping[str, Any]], fail_on_alert: bool = False) -> int:
    return EXIT_FAILED if any(run_problems(dict(stats), fail_on_alert) for stats in runs.values()) else EXIT_DONE
