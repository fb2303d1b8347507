"""Incremental re-crawls: what a repeated crawl of an unchanged site costs against the first one.

    python -m benchmarks.recrawl [--articles 2000] [--changed 20]

Serves a fake site (fakesite) on 127.0.0.1 and runs `scrapy crawl` on it into a fresh SQLite
store, as a user would: a first crawl, a feeds run (`-a mode=feeds`), a re-crawl of the unchanged
site, and one after ``--changed`` articles were edited (FakeSite.update_article). Prints, for the
feeds run, the known articles it asked for, as % of those whose revisit is not due (target ≤ 1 %);
for each re-crawl, article pages downloaded (requests to article pages and to the pages the first
crawl dropped, less those answered 304) as % of the first crawl's,
and time as % of the first crawl's, both as the whole command (process start included) and as
the crawl itself (the run record's start to finish); then whether exactly the changed articles
got new revisions. Targets: ≤ 1 % pages, ≤ 5 % time. The crawls keep a download delay (--delay)
as every real crawl does: a re-crawl's time is then what its requests cost, as on a real site.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from crawler.db.engine import make_engine
from crawler.db.models import Article, ArticleRevision, CrawlRun
from fakesite import FakeSite, serve

REPO = Path(__file__).resolve().parent.parent


def crawl(env: dict[str, str], delay: float, mode: str = "full") -> float:
    """Run one crawl; returns its wall time in seconds."""
    settings = {"DOWNLOAD_DELAY": delay, "AUTOTHROTTLE_ENABLED": False, "LOG_LEVEL": "WARNING",
                "CONCURRENT_REQUESTS_PER_DOMAIN": 16}
    options = [part for name, value in settings.items() for part in ("-s", f"{name}={value}")]
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "fakespace", "-a", f"mode={mode}", *options],
                            cwd=REPO, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"crawl failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--changed", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.02,
                        help="DOWNLOAD_DELAY: a polite crawl's pace (settings.py has 0.5 s), scaled down so the "
                             "benchmark takes about a minute; 0 measures Scrapy's own overhead instead")
    args = parser.parse_args()

    site = FakeSite(args.articles, seed=11)
    article_paths = {post.path for post in site.posts}
    known_paths = set(article_paths)
    with tempfile.TemporaryDirectory(prefix="spacecrawl-incremental-") as tmp, serve(site):
        database_url = f"sqlite:///{tmp}/store.db"
        sites_file = Path(tmp, "sites.toml")
        sites_file.write_text(site.sites_toml(), encoding="utf-8")
        env = dict(os.environ, SPACECRAWL_SITES_FILE=str(sites_file), SPACECRAWL_DATABASE_URL=database_url)
        engine = make_engine(database_url)

        def article_requests(paths: set[str] = article_paths) -> int:
            return sum(n for target, n in site.hits.items() if target in paths)

        def last_run() -> CrawlRun:
            with engine.connect() as connection:
                return connection.execute(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(1)).one()

        def measure(label: str, baseline: tuple[int, float, float] | None) -> tuple[int, float, float]:
            before = article_requests()
            wall = crawl(env, args.delay)
            run = last_run()
            downloaded = article_requests() - before - run.stats.get("incremental", {}).get("not_modified", 0)
            duration = (run.finished_at - run.started_at).total_seconds()
            line = f"{label}: {downloaded} article pages downloaded, {wall:.1f} s command, {duration:.1f} s crawl"
            if baseline:
                line += (f" — {downloaded / baseline[0]:.2%} of pages (target ≤ 1 %), "
                         f"{wall / baseline[1]:.1%} of command time, {duration / baseline[2]:.1%} of crawl time "
                         f"(target ≤ 5 %); incremental {run.stats.get('incremental')}")
            print(line, flush=True)
            return downloaded, wall, duration

        print(f"fake site: {len(site.posts)} articles, {len(site.pages)} pages; DOWNLOAD_DELAY={args.delay}")
        first = measure("first crawl", None)
        # every page it dropped (not an article) or found missing counts as an article page from now on
        article_paths |= {path.removeprefix(site.base_url) for path in [*site.non_article_urls, site.missing_url]}
        before = article_requests(known_paths)
        crawl(env, args.delay, "feeds")
        asked, run = article_requests(known_paths) - before, last_run()
        not_due = run.stats.get("incremental", {}).get("not_due", 0)
        print(f"feeds run after it: asked for {asked} of the {asked + not_due} known articles it met, "
              f"{asked / max(1, asked + not_due):.2%} (target ≤ 1 %: none is due for a revisit)", flush=True)
        measure("re-crawl, nothing changed", first)

        changed = list(range(0, len(site.posts), len(site.posts) // args.changed))[: args.changed]
        for index in changed:
            site.update_article(index, f"Update: article {index} was corrected after publication; the launch "
                                       "window moved by a day and the payload mass was revised.",
                                modified=datetime.now(UTC))
        measure(f"re-crawl, {len(changed)} articles changed", first)
        changed_urls = {site.url(site.posts[i].path) for i in changed}
        with engine.connect() as connection:
            revised = set(connection.scalars(select(Article.url).join(ArticleRevision,
                                                                      ArticleRevision.article_id == Article.id)))
            revisions = len(connection.execute(select(ArticleRevision.id)).all())
        engine.dispose()
        exact = revised == changed_urls and revisions == len(changed)
        print(f"exactly the {len(changed)} changed articles got new revisions: {'yes' if exact else 'no'} "
              f"({revisions} revisions over {len(revised)} articles; {len(revised & changed_urls)} of the changed, "
              f"{len(revised - changed_urls)} others)")


if __name__ == "__main__":
    main()
