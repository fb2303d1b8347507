"""Scheduled crawls: which site is due for which kind of run, and a loop that runs them.

Two kinds of run per site (the spider's ``-a mode=``): "feeds" (feeds and listing pages: cheap,
frequent, every ``feed_interval_minutes``) and "full" (sitemaps too, every
``sitemap_interval_minutes``). A site with neither feeds nor listing pages has only full runs, at
its feed interval. Due-ness comes from the store's run records (``crawl_runs``), so it survives a
restart of the scheduler; a crawl that never got to record its run counts from when it was started.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType

from sqlalchemy import Engine

from crawler.db.engine import StoreUnavailable, reporting_unavailable
from crawler.db.repository import abandon_runs, last_run_starts
from crawler.db.store import open_store
from crawler.sites.base import Site

logger = logging.getLogger(__name__)

# The scheduler's -s options, as a JSON object, for its crawls (crawler/cli/commands/crawl.py).
SETTINGS_ENV = "SPACECRAWL_SCHEDULED_SETTINGS"
# Seconds a stopping scheduler gives its crawls to finish after SIGTERM, before it kills them.
STOP_GRACE_SECONDS = 60
# A crawl running longer than this gets a "still running" line, and again each time as long again.
PROGRESS_SECONDS = 600


@dataclass(frozen=True)
class Job:
    site: str
    mode: str  # "feeds" or "full"


@dataclass(frozen=True)
class Intervals:
    """Minutes between runs; None keeps each site's own."""

    feeds: float | None = None
    full: float | None = None

    def of(self, site: Site) -> dict[str, timedelta]:
        feeds = timedelta(minutes=self.feeds or site.feed_interval_minutes)
        full = timedelta(minutes=self.full or site.sitemap_interval_minutes)
        if not (site.feeds or site.listing_pages):
            return {"full": feeds}  # nothing for a feeds run to read: the frequent run is the full one
        return {"feeds": feeds, "full": full}


def next_runs(sites: Mapping[str, Site], last_starts: Mapping[tuple[str, str | None], datetime], now: datetime,
              intervals: Intervals = Intervals()) -> list[tuple[datetime, Job]]:
    """Each site's next job and when it falls due, soonest first: a full run when its interval has
    passed since the last full run, else a feeds run when its interval has passed since any run."""
    runs: list[tuple[datetime, Job]] = []
    never = datetime.min.replace(tzinfo=UTC)
    for name, site in sites.items():
        every = intervals.of(site)
        last_full = last_starts.get((name, "full"), never)
        last_any = max([last_full, *(t for (s, _), t in last_starts.items() if s == name)])
        full_at = last_full + every["full"]
        feeds_at = last_any + every["feeds"] if "feeds" in every else full_at
        # a due full run comes first; else whichever kind falls due sooner
        runs.append((full_at, Job(name, "full")) if full_at <= max(now, feeds_at) else (feeds_at, Job(name, "feeds")))
    return sorted(runs, key=lambda pair: pair[0])


def due_jobs(sites: Mapping[str, Site], last_starts: Mapping[tuple[str, str | None], datetime], now: datetime,
             intervals: Intervals = Intervals()) -> list[Job]:
    """One job per site that is due at ``now``, most overdue first."""
    return [job for when, job in next_runs(sites, last_starts, now, intervals) if when <= now]


def crawl_command(job: Job) -> list[str]:
    """The command line of one job: ``scrapy crawl SITE -a mode=MODE`` (settings come through
    SETTINGS_ENV, not on the command line, where ``ps`` would show a database password)."""
    return [sys.executable, "-m", "scrapy", "crawl", job.site, "-a", f"mode={job.mode}"]


@dataclass
class Running:
    job: Job
    process: subprocess.Popen[bytes]
    started_at: datetime
    log_path: Path
    reported_at: float = 0.0  # time.monotonic() of its last "still running" line


class ScheduleRunner:
    """Starts due crawls as child processes: at most ``max_parallel`` at once, never two of one
    site. A crawl that fails is logged (and its run record closed), and the loop goes on."""

    def __init__(self, sites: Mapping[str, Site], database_url: str,
                 command: Callable[[Job], Sequence[str]] = crawl_command, max_parallel: int = 2,
                 intervals: Intervals = Intervals(), tick_seconds: float = 15, log_dir: Path = Path("data/logs"),
                 child_settings: Mapping[str, str] | None = None) -> None:
        self.sites = sites
        self.database_url = database_url
        self.command = command
        self.child_env = dict(os.environ, **{SETTINGS_ENV: json.dumps(dict(child_settings))} if child_settings else {})
        self.max_parallel = max(1, max_parallel)
        self.intervals = intervals
        self.tick_seconds = tick_seconds
        self.log_dir = log_dir
        self.running: dict[str, Running] = {}  # site -> its crawl
        self.launched: dict[tuple[str, str], datetime] = {}  # (site, mode) -> last start by this scheduler
        self.failures = 0
        self.outcomes: dict[str, list[str]] = {}  # "ok" or why it failed -> "site (mode)"
        self.upcoming: list[tuple[datetime, Job]] = []  # what falls due later, soonest first
        self.announced: tuple[datetime, Job] | None = None  # the "next:" last logged
        self.stopping = False
        self._engine: Engine | None = None

    def run(self, once: bool = False) -> None:
        """Run until SIGINT/SIGTERM; with ``once``, run what is due now and return when done."""
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            queue = self._due(once=True) if once else []
            if once and not queue and not self.failures:
                logger.info("nothing due; %s", self._next_text())
            while not self.stopping:
                self._reap()
                self._report_progress()
                if once:
                    while queue and len(self.running) < self.max_parallel:
                        job = queue.pop(0)
                        if job.site not in self.running:
                            self._start(job)
                    if not queue and not self.running:
                        break
                elif len(self.running) < self.max_parallel:
                    for job in self._due(once=False):
                        if len(self.running) >= self.max_parallel:
                            break
                        if job.site not in self.running:
                            self._start(job)
                    if not self.running and self.upcoming and self.upcoming[0] != self.announced:
                        self.announced = self.upcoming[0]
                        logger.info("waiting; %s", self._next_text())
                # wakes early when a crawl ends, so its slot is refilled at once
                self._sleep(0.5 if once else self.tick_seconds)
            self._shutdown()
            if self.outcomes:
                logger.info("ran %d crawl(s): %s", sum(map(len, self.outcomes.values())),
                            "; ".join(f"{outcome}: {', '.join(runs)}" for outcome, runs in self.outcomes.items()))
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            if self._engine is not None:
                self._engine.dispose()

    def _stop(self, signum: int, _frame: FrameType | None) -> None:
        logger.info("%s received: stopping %d running crawl(s)", signal.Signals(signum).name, len(self.running))
        self.stopping = True

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.5, seconds))
            if any(r.process.poll() is not None for r in self.running.values()):
                return  # a slot came free

    def _due(self, *, once: bool) -> list[Job]:
        """The jobs due now; none while the store cannot be read (a run with ``once`` then fails:
        cron must see that nothing ran)."""
        try:
            if self._engine is None:  # migrated once, not at every tick (alembic logs each look)
                self._engine = open_store(self.database_url, create=True).engine
            with reporting_unavailable(self.database_url):
                starts: dict[tuple[str, str | None], datetime] = dict(last_run_starts(self._engine))
        except StoreUnavailable as error:
            if once:
                self.failures += 1
                logger.error("schedule: %s", error)
            else:
                logger.error("schedule: %s; trying again in %g s", error, self.tick_seconds)
            return []
        for key, started in self.launched.items():  # a crawl that died before recording its run
            starts[key] = max(started, starts.get(key, started))
        now = datetime.now(UTC)
        runs = next_runs(self.sites, starts, now, self.intervals)
        self.upcoming = [(when, job) for when, job in runs if when > now]
        return [job for when, job in runs if when <= now]

    def _next_text(self) -> str:
        if not self.upcoming:
            return "no site to crawl"
        when, job = self.upcoming[0]
        minutes = (when - datetime.now(UTC)).total_seconds() / 60
        return f"next: {job.mode} crawl of {job.site} at {when:%Y-%m-%d %H:%M} UTC (in {minutes:.0f} min)"

    def _report_progress(self) -> None:
        for running in self.running.values():
            since = time.monotonic() - (running.reported_at or 0)
            took = (datetime.now(UTC) - running.started_at).total_seconds()
            if took >= PROGRESS_SECONDS and since >= PROGRESS_SECONDS:
                running.reported_at = time.monotonic()
                logger.info("%s crawl of %s still running after %.0f min (log %s)", running.job.mode,
                            running.job.site, took / 60, running.log_path)

    def _start(self, job: Job) -> None:
        now = datetime.now(UTC)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log_path = self.log_dir / f"{job.site}-{job.mode}-{now:%Y%m%dT%H%M%SZ}.log"
        with log_path.open("ab") as log:
            # Its own session: a Ctrl-C in the terminal reaches only the scheduler, which then stops
            # each crawl with one SIGTERM (a second signal would make Scrapy stop uncleanly).
            process = subprocess.Popen(list(self.command(job)), stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True, env=self.child_env)
        self.running[job.site] = Running(job, process, now, log_path)
        self.launched[(job.site, job.mode)] = now
        logger.info("started %s crawl of %s (pid %d, log %s)", job.mode, job.site, process.pid, log_path)

    def _reap(self) -> None:
        for site, running in list(self.running.items()):
            code = running.process.poll()
            if code is None:
                continue
            del self.running[site]
            took = (datetime.now(UTC) - running.started_at).total_seconds()
            label = f"{site} ({running.job.mode})"
            if code == 0:
                logger.info("%s crawl of %s finished in %.0f s: %s", running.job.mode, site, took,
                            last_line(running.log_path))
                self.outcomes.setdefault("ok", []).append(label)
                continue
            self.failures += 1
            if code == 1:  # the crawl ran, and its run did not do its job: its summary line says why
                summary = last_line(running.log_path)
                logger.error("%s crawl of %s failed after %.0f s: %s (log %s)", running.job.mode, site, took,
                             summary, running.log_path)
                self.outcomes.setdefault("failed", []).append(f"{label}: {summary.rsplit(' — ', 1)[-1]}")
                continue
            status = f"crashed (exit {code})" if code > 0 else f"killed ({signal.Signals(-code).name})"
            logger.error("%s crawl of %s %s after %.0f s; see %s", running.job.mode, site, status, took,
                         running.log_path)
            self.outcomes.setdefault(status.split(" ", 1)[0], []).append(label)
            self._close_run(site, running.started_at, status)

    def _close_run(self, site: str, started_at: datetime, status: str) -> None:
        """A crawl that died cannot close its run record; it would stay "running" for ever."""
        try:
            with reporting_unavailable(self.database_url):
                if self._engine is not None:
                    abandon_runs(self._engine, status, site=site, started_since=started_at)
        except StoreUnavailable as error:
            logger.warning("schedule: run of %s not marked %s: %s", site, status, error)

    def _shutdown(self) -> None:
        for running in self.running.values():
            if running.process.poll() is None:
                running.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for running in self.running.values():
            try:
                running.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                logger.warning("crawl of %s did not stop in %d s: killed", running.job.site, STOP_GRACE_SECONDS)
                running.process.kill()
                running.process.wait()
        self._reap()


def last_line(log_path: Path) -> str:
    """The last line of a crawl's log: its one-line summary (crawler/cli/run_report.py)."""
    try:
        with log_path.open("rb") as log:
            log.seek(max(0, log.seek(0, 2) - 4096))
            lines = log.read().decode("utf-8", "replace").splitlines()
    except OSError as error:
        return f"(log unreadable: {error.strerror})"
    return lines[-1].strip() if lines else "(empty log)"


def interval_setting(value: object, name: str) -> float | None:
    """An interval setting (minutes) as a positive number, None when unset; ValueError names it.
    Fractions compress a schedule's cycles for a test or benchmark (0.25: every 15 s)."""
    if value in (None, ""):
        return None
    try:
        minutes = float(str(value))
    except ValueError:
        minutes = 0
    if not 0 < minutes < float("inf"):
        raise ValueError(f"{name}={value!r}: give a number of minutes above 0")
    return minutes

