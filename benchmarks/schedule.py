"""Keeping 41 sites current: `scrapy schedule` over local sites that publish while it runs.

    python -m benchmarks.schedule [--sites 41] [--articles 200] [--cadence 240] [--cycles 3] [--new 2-6]

Serves ``--sites`` fake sites (fakesite) on 127.0.0.1, each shaped like one of the built-in sites
in what it offers a crawler (a feed and a listing page, a feed and sitemaps, listing pages only…),
with a feed of 30 items and an archive of ``--articles``. A warm-up `scrapy crawlall` (no delay)
fills a fresh SQLite store, as a site's first full crawl would. Then `scrapy schedule` runs with
the default politeness (DOWNLOAD_DELAY, AutoThrottle) and two crawls at a time, its cycles
compressed through settings: every site's feeds cadence is ``--cadence`` seconds (30 minutes
really) and its full runs as much rarer as a day is than 30 minutes. Each site publishes a few new
articles (``--new``) every cadence. After ``--cycles`` cadences the scheduler is stopped.

Prints, per site and in all, from the store's run records and the sites' request logs: each feeds
run's lag (how long after it fell due it started) against the cadence, and, in steady state (from
the second cadence on: the first is every site falling due at once after the warm-up), requests
per new article stored, with the requests split by kind, and the floor: one request a run plus one
per new article. Targets: every site within its cadence, ≤ 1.2 requests per new article. The sites' articles are dated 2025, older than the revisit
policy's last age, so no revisit is due in these runs: the figures are the cost of discovery.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

from sqlalchemy import func, select

from crawler.db.engine import make_engine
from crawler.db.models import Article, CrawlRun
from crawler.sites.base import Site, builtin_sites
from fakesite import FakeSite, serve

REPO = Path(__file__).resolve().parent.parent
FEED_ITEMS = 30
REAL_CADENCE_MINUTES = 30  # what --cadence stands for
REAL_FULL_MINUTES = 24 * 60


def site_entry(name: str, fake: FakeSite, shape: Site) -> str:
    """``fake``'s [[site]] entry, offering what the built-in ``shape`` offers: its feeds, sitemaps
    and listing pages (the home page, then categories), or none of a kind it has none of."""
    listings = [fake.url("/"), *fake.listing_urls][: len(shape.listing_pages)]
    return fake.sites_toml(name, feeds=[fake.feed_url] if shape.feeds else [],
                           sitemaps=fake.sitemap_urls if shape.sitemaps else [], listing_pages=listings)


def kind_of(path: str, fake: FakeSite) -> str:
    if path == "/robots.txt":
        return "robots.txt"
    if path == "/feed/":
        return "feed"
    if "sitemap" in path:
        return "sitemaps"
    if path.split("?")[0] in fake.posts_by_path:
        return "articles"
    return "listings" if path == "/" or path.startswith(("/category/", "/page/")) else "other"


def run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command[2:5])} failed ({result.returncode}):\n{result.stderr[-3000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=41)
    parser.add_argument("--articles", type=int, default=200, help="each site's archive")
    parser.add_argument("--cadence", type=float, default=240, help="seconds standing for 30 minutes")
    parser.add_argument("--cycles", type=int, default=3, help="cadences the scheduler runs")
    parser.add_argument("--new", default="2-6", help="new articles per site per cadence, as MIN-MAX")
    parser.add_argument("--parallel", type=int, default=2, help="SPACECRAWL_SCHEDULE_MAX_PARALLEL")
    parser.add_argument("--keep", metavar="DIR", help="keep the store, sites file and logs in DIR (made empty)")
    args = parser.parse_args()
    low, high = (int(n) for n in args.new.split("-"))
    shapes = list(builtin_sites().values())
    rng = Random(19)
    upcoming = high * (args.cycles + 1)
    fakes = {f"site{n:02d}": FakeSite(args.articles, seed=n, feed_items=FEED_ITEMS, lazy=True, page_kb=12,
                                      upcoming=upcoming, sitemaps=bool(shapes[n % len(shapes)].sitemaps))
             for n in range(args.sites)}
    scale = args.cadence / 60 / REAL_CADENCE_MINUTES  # compressed minutes per real minute

    with ExitStack() as servers:
        tmp = args.keep or servers.enter_context(tempfile.TemporaryDirectory(prefix="spacecrawl-schedule-"))
        if args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
            Path(tmp).mkdir(parents=True)
        for fake in fakes.values():
            servers.enter_context(serve(fake))
        sites_file = Path(tmp, "sites.toml")
        sites_file.write_text("".join(site_entry(name, fake, shapes[n % len(shapes)])
                                      for n, (name, fake) in enumerate(fakes.items())), encoding="utf-8")
        database_url = f"sqlite:///{tmp}/store.db"
        # robots.txt kept in this run's own folder: another run's sites may have had these ports
        env = dict(os.environ, SPACECRAWL_SITES_FILE=str(sites_file), SPACECRAWL_DATABASE_URL=database_url,
                   SPACECRAWL_UNSAVED_DIR=f"{tmp}/unsaved")
        env.pop("SPACECRAWL_ROBOTSTXT_CACHE_HOURS", None)
        print(f"{args.sites} sites of {args.articles} articles, feeds of {FEED_ITEMS}; shapes: "
              + ", ".join(f"{n} {shape}" for shape, n in Counter(
                  "+".join(k for k in ("feed", "sitemaps", "listings") if getattr(shapes[i % len(shapes)],
                           {"feed": "feeds", "sitemaps": "sitemaps", "listings": "listing_pages"}[k]))
                  for i in range(args.sites)).most_common()), flush=True)
        started = time.perf_counter()
        names = ",".join(fakes)  # never the built-in (real) sites
        run([sys.executable, "-m", "scrapy", "crawlall", "--sites", names, "-s", "DOWNLOAD_DELAY=0",
             "-s", "AUTOTHROTTLE_ENABLED=False", "-s", f"SPACECRAWL_ROBOTSTXT_CACHE_DIR={tmp}/robots",
             "-s", f"SPACECRAWL_LOG_DIR={tmp}/logs"], env)
        engine = make_engine(database_url)
        with engine.connect() as connection:
            warm = connection.scalar(select(func.count()).select_from(Article))
        print(f"warm-up crawlall: {warm} articles stored in {time.perf_counter() - started:.0f} s", flush=True)

        before = {name: Counter(fake.hits) for name, fake in fakes.items()}
        settings = {"SPACECRAWL_FEED_INTERVAL_MINUTES": args.cadence / 60,
                    "SPACECRAWL_SITEMAP_INTERVAL_MINUTES": REAL_FULL_MINUTES * scale,
                    "SPACECRAWL_REVISIT_AFTER_HOURS": ",".join(f"{h * scale:g}" for h in (1, 6, 24, 168)),
                    "SPACECRAWL_SCHEDULE_MAX_PARALLEL": args.parallel, "SPACECRAWL_SCHEDULE_TICK_SECONDS": 1,
                    "SPACECRAWL_LOG_DIR": f"{tmp}/logs", "SPACECRAWL_ROBOTSTXT_CACHE_DIR": f"{tmp}/robots"}
        schedule_start = datetime.now(UTC)
        scheduler = subprocess.Popen(
            [sys.executable, "-m", "scrapy", "schedule", "--sites", names,
             *(part for name, value in settings.items() for part in ("-s", f"{name}={value}"))],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=open(Path(tmp, "schedule.log"), "wb"))
        steady_from: dict[str, Counter[str]] = {}
        stop = threading.Event()

        def publish() -> None:
            for cycle in range(args.cycles):
                for fake in fakes.values():
                    fake.publish(rng.randint(low, high))
                if cycle == 1:  # steady state: from the second cadence on
                    steady_from.update({name: Counter(fake.hits) for name, fake in fakes.items()})
                if stop.wait(args.cadence):
                    return

        publisher = threading.Thread(target=publish, daemon=True)
        publisher.start()
        time.sleep(args.cadence * args.cycles)
        stop.set()
        scheduler.send_signal(signal.SIGTERM)
        scheduler.wait(timeout=120)
        publisher.join()
        report(engine, fakes, before, steady_from, schedule_start, args)
        engine.dispose()


def report(engine, fakes: dict[str, FakeSite], before: dict[str, Counter[str]], steady_from: dict[str, Counter[str]],
           schedule_start: datetime, args: argparse.Namespace) -> None:
    cadence = timedelta(seconds=args.cadence)
    steady_start = schedule_start + cadence
    scale = args.cadence / 60 / REAL_CADENCE_MINUTES
    with engine.connect() as connection:
        runs = connection.execute(select(CrawlRun.site, CrawlRun.mode, CrawlRun.started_at, CrawlRun.finished_at,
                                         CrawlRun.status).order_by(CrawlRun.started_at)).all()
        new = dict(connection.execute(select(Article.site, func.count()).where(Article.first_seen >= steady_start)
                                      .group_by(Article.site)).all())
    totals: Counter[str] = Counter()
    within = 0
    worst = first_worst = (0.0, "")
    busy = sum(((finished or datetime.now(UTC)) - started).total_seconds()
               for _, _, started, finished, _ in runs if started >= steady_start)
    print(f"\n{'site':8} {'runs':>4} {'max lag':>8} {'of cadence':>10} {'new':>4} {'requests':>8} {'per new':>7}")
    for name, fake in fakes.items():
        starts = [started for site, _, started, _, _ in runs if site == name]
        scheduled = [started for started in starts if started >= schedule_start]
        # each run falls due a cadence after the one before it (the warm-up's included); in steady
        # state, a site not reached by the end is as late as that
        lags = {later: max(0.0, (later - (earlier + cadence)).total_seconds())
                for earlier, later in zip(starts, starts[1:]) if later >= schedule_start}
        steady = [lag for started, lag in lags.items() if started >= steady_start]
        steady.append(max(0.0, (datetime.now(UTC) - (starts[-1] + cadence)).total_seconds()) if starts else float("inf"))
        first_worst = max(first_worst, (max([lag for started, lag in lags.items() if started < steady_start],
                                            default=0.0), name))
        max_lag = max(steady)
        within += max_lag < args.cadence
        worst = max(worst, (max_lag, name))
        requests = Counter()
        for target, count in fake.hits.items():
            requests[kind_of(target, fake)] += count - steady_from.get(name, before[name])[target]
        totals.update(requests)
        totals["new"] += new.get(name, 0)
        total = sum(requests.values())
        per_new = f"{total / new[name]:.2f}" if new.get(name) else "-"
        print(f"{name:8} {len(scheduled):4} {max_lag:7.0f}s {max_lag / args.cadence:10.0%} {new.get(name, 0):4} "
              f"{total:8} {per_new:>7}")
    requests_total = sum(count for kind, count in totals.items() if kind != "new")
    print(f"\nsteady state, sites within their cadence ({args.cadence:g} s standing for {REAL_CADENCE_MINUTES} min): "
          f"{within} of {len(fakes)} (target: all); worst lag {worst[0]:.0f} s ({worst[0] / args.cadence:.0%} of "
          f"the cadence, {worst[1]}); crawls busy {busy / (args.parallel * args.cadence * (args.cycles - 1)):.0%} of "
          f"the {args.parallel} slots' time (crawls last as long as uncompressed ones: at a real "
          f"{REAL_CADENCE_MINUTES}-minute cadence that is {busy * scale / (args.parallel * args.cadence * (args.cycles - 1)):.1%})")
    print(f"first cadence (every site due at once after the warm-up): worst lag {first_worst[0]:.0f} s "
          f"({first_worst[0] / args.cadence:.0%} of the cadence, {first_worst[1]})")
    if totals["new"]:
        split = ", ".join(f"{kind} {count}" for kind, count in totals.most_common() if kind != "new" and count)
        # No crawler does with less than one request a run (the feed, or a listing's first page)
        # plus one per new article: that is the floor the figure is measured against.
        steady_runs = sum(1 for _, _, started, _, _ in runs if started >= steady_start)
        print(f"steady state: {requests_total} requests for {totals['new']} new articles: "
              f"{requests_total / totals['new']:.2f} requests per new article (target ≤ 1.2); {split}")
        print(f"floor at this rate of news, one request a run: ({steady_runs} runs + {totals['new']} new) / "
              f"{totals['new']} = {(steady_runs + totals['new']) / totals['new']:.2f} requests per new article; "
              f"above it: {(requests_total - steady_runs - totals['new']) / totals['new']:.2f}")
    else:
        print("steady state: no new article stored (run more --cycles)")


if __name__ == "__main__":
    main()
