"""Faults of long crawls, at full length: what a crawl survives and what it loses.

    python -m benchmarks.faults [--articles 2000] [--kills 10] [--freeze-seconds 100] [--seed 1]
                                [--only kill|jobdir|frozen|closed|pages]

- kill / jobdir: a crawl of the fake site (--articles) killed with SIGKILL at --kills random
  moments, restarted each time with the same command (without, then with -s JOBDIR=…), then run to
  its end: every article must be stored exactly once and no extraction worker may outlive a kill.
- frozen / closed: a crawl into PostgreSQL (SPACECRAWL_TEST_POSTGRES_URL, default
  postgresql+psycopg://postgres@127.0.0.1:5432/test, a throwaway schema) through a TCP proxy on
  127.0.0.1 that stops passing data for --freeze-seconds (frozen) or closes every connection and
  refuses new ones as long (closed): the crawl must say so in its log within 30 s and lose nothing
  (what it set aside in a file because the database was still away at its end is loaded back, as
  README says, and counted as not lost).
- pages: peak memory of extracting one article page of 1, 4 and 8 MiB (8 MiB is
  SPACECRAWL_ARTICLE_MAXSIZE) and of 50 MB (what the 64 MiB DOWNLOAD_MAXSIZE would let through),
  each in a fresh process: peak RSS above that process's own before extraction (its baseline,
  with the page already in memory), and that as a multiple of the page's size.

Prints one table: scenario, tried, survived, lost, peak memory (the crawl process's VmHWM; for
pages, extraction's peak above the baseline), and a note.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from crawler.db import open_store
from crawler.db.engine import make_engine
from crawler.db.models import Article
from fakesite import FakeSite, serve
from fakesite.proxy import TcpProxy

REPO = Path(__file__).resolve().parent.parent
# Articles a crawl could not store go here, not into this folder's data/.
UNSAVED_DIR = Path(tempfile.gettempdir(), "spacecrawl-faults-unsaved")
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
        "-s", "LOG_LEVEL=WARNING", "-s", f"SPACECRAWL_UNSAVED_DIR={UNSAVED_DIR}"]
SAY_SO_WITHIN_SECONDS = 30


@dataclass
class Row:
    scenario: str
    tried: int
    survived: int
    lost: int
    peak_mib: float
    note: str = ""

    def line(self) -> str:
        return (f"{self.scenario:<26}{self.tried:>6}{self.survived:>9}{self.lost:>6}{self.peak_mib:>11.0f}  "
                f"{self.note}")


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident memory so far (Linux VmHWM), MiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False


class Crawl:
    """`scrapy crawl fakespace` in its own process, its log lines read as they come, with their times."""

    def __init__(self, sites: Path, database_url: str, *options: str) -> None:
        env = dict(os.environ, SPACECRAWL_SITES_FILE=str(sites), SPACECRAWL_DATABASE_URL=database_url)
        self.process = subprocess.Popen([sys.executable, "-m", "scrapy", "crawl", "fakespace", *FAST, *options],
                                        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        text=True, start_new_session=True)
        self.lines: list[tuple[float, str]] = []
        self.peak_mib = 0.0
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append((time.monotonic(), line.rstrip()))

    def sample(self) -> None:
        self.peak_mib = max(self.peak_mib, peak_rss_mib(self.process.pid))

    def first(self, text: str, after: float = 0.0) -> float | None:
        return next((when for when, line in list(self.lines) if text in line and when >= after), None)

    def wait(self, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self.sample()
            time.sleep(0.2)
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        code = self.process.wait()
        self.reader.join(timeout=5)
        return code


def count_stored(database_url: str, expected: set[str]) -> tuple[int, int]:
    """(articles missing, rows beyond one per expected article)."""
    engine = make_engine(database_url)
    with engine.connect() as connection:
        rows = connection.scalar(select(func.count()).select_from(Article))
        urls = set(connection.scalars(select(Article.url)))
    engine.dispose()
    return len(expected - urls), rows - len(urls & expected)


def reload_set_aside(database_url: str) -> int:
    """Load what the store set aside (database away at the crawl's end) as README says; how many."""
    records = [json.loads(line) for path in sorted(UNSAVED_DIR.glob("unsaved-*.jsonl"))
               for line in path.read_text(encoding="utf-8").splitlines()]
    if records:
        with open_store(database_url) as store:
            store.save(records)
    shutil.rmtree(UNSAVED_DIR, ignore_errors=True)
    return len(records)


def killed_crawls(site: FakeSite, sites: Path, kills: int, rng: random.Random, with_jobdir: bool) -> Row:
    folder = Path(tempfile.mkdtemp(prefix="faults-kill-"))
    database_url = f"sqlite:///{folder / 'store.db'}"
    job = ["-s", f"JOBDIR={folder / 'job'}"] if with_jobdir else []
    expected = {article.url for article in site.expected_articles()}
    tried = clean = 0
    peak = 0.0
    notes = []
    for _ in range(kills):
        crawl = Crawl(sites, database_url, *job)
        kill_at = time.monotonic() + rng.uniform(1.0, 12.0)
        while time.monotonic() < kill_at and crawl.process.poll() is None:
            crawl.sample()
            time.sleep(0.05)
        if crawl.process.poll() is not None:
            notes.append("a crawl ended before its kill")
            crawl.wait(5)
            continue
        crawl.sample()
        workers = children(crawl.process.pid)
        crawl.process.send_signal(signal.SIGKILL)
        crawl.wait(10)
        tried += 1
        peak = max(peak, crawl.peak_mib)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        orphans = [pid for pid in workers if alive(pid)]
        for pid in orphans:
            os.kill(pid, signal.SIGKILL)
        tracebacks = sum("Traceback" in line for _, line in crawl.lines)
        clean += not orphans and not tracebacks
        if orphans or tracebacks:
            notes.append(f"{len(orphans)} orphaned workers, {tracebacks} tracebacks")
    final = Crawl(sites, database_url, *job)
    code = final.wait(900)
    peak = max(peak, final.peak_mib)
    missing, extra = count_stored(database_url, expected)
    if code:
        notes.append(f"the last run exited {code}")
    if extra:
        notes.append(f"{extra} articles stored twice")
    survived = clean if not (missing or extra or code) else 0
    return Row("kill -9" + (" with JOBDIR" if with_jobdir else ""), tried, survived, missing, peak,
               "; ".join(dict.fromkeys(notes)) or f"{len(expected)} articles, each stored once")


def held_database(site: FakeSite, sites: Path, postgres_url: str, seconds: float, how: str) -> Row:
    server = make_url(postgres_url)
    schema = f"faults_{uuid.uuid4().hex[:8]}"
    admin = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    expected = {article.url for article in site.expected_articles()}
    try:
        with TcpProxy(server.host or "127.0.0.1", server.port or 5432) as proxy:
            database_url = server.set(host="127.0.0.1", port=proxy.port,
                                      query={"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
            crawl = Crawl(sites, database_url, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "-s", "DOWNLOAD_DELAY=0.02",
                          "-s", "SPACECRAWL_STORE_CLOSE_WAIT_SECONDS=300")
            paths = {post.path for post in site.posts}
            start = sum(n for path, n in site.hits.items() if path in paths)
            while sum(n for path, n in site.hits.items() if path in paths) < start + 200:  # well into the crawl
                time.sleep(0.1)
            held_at = time.monotonic()
            proxy.freeze() if how == "frozen" else proxy.cut()
            while time.monotonic() < held_at + seconds and crawl.process.poll() is None:
                crawl.sample()
                time.sleep(0.2)
            proxy.thaw() if how == "frozen" else proxy.restore()
            code = crawl.wait(900)
            said = crawl.first("store:", after=held_at)
            set_aside = reload_set_aside(database_url)
            missing, extra = count_stored(database_url, expected)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")
    in_time = said is not None and said - held_at <= SAY_SO_WITHIN_SECONDS
    note = (f"first store line after {said - held_at:.1f} s" if said is not None else "no store line") + \
        (f"; exit {code}" if code else "") + (f"; {extra} twice" if extra else "")
    if set_aside:
        note += f"; {set_aside} set aside in a file at the end (database still away), reloaded as README says"
    return Row(f"PostgreSQL {how} {seconds:g} s", 1, int(in_time and not missing and not extra and not code),
               missing, crawl.peak_mib, note)


# In a fresh process: the page's bytes read, then what a worker does with them (decode, extract),
# with Linux's peak-RSS mark reset (clear_refs 5) just before, so the peak is the page's alone.
PAGE_PROBE = """
import sys
from pathlib import Path
from crawler.spiders.article_page import article_from_page

def status(field):
    return next(int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines()
                if line.startswith(field + ":"))

raw = Path(sys.argv[1]).read_bytes()
Path("/proc/self/clear_refs").write_text("5")
baseline = status("VmRSS")
article_from_page(None, "http://127.0.0.1:8080/2024/05/a-long-article/", raw.decode())
print(baseline, status("VmHWM"))
"""
PARAGRAPH = ('<p>The <a href="/tag/launch/">launch</a> team reviewed <em>telemetry</em> from the upper stage, '
             'and the <strong>agency</strong> said the next attempt would wait for the review board.</p>\n')


def page_of(size: int, folder: Path) -> Path:
    """A fake-site article page padded to about ``size`` bytes with linked, emphasised paragraphs."""
    site = FakeSite(articles=3, seed=3)
    site.bind("http://127.0.0.1:8080")
    page = site.page(site.posts[0].path)
    assert page is not None
    head, tail = page.body.decode().split("</article>", 1)
    html = head + PARAGRAPH * max(1, (size - len(page.body)) // len(PARAGRAPH)) + "</article>" + tail
    path = folder / f"page-{size}.html"
    path.write_text(html, encoding="utf-8")
    return path


def page_memory() -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="faults-pages-") as folder:
        for size in (1 << 20, 4 << 20, 8 << 20, 50_000_000):
            path = page_of(size, Path(folder))
            result = subprocess.run([sys.executable, "-c", PAGE_PROBE, str(path)], cwd=REPO, capture_output=True,
                                    text=True, timeout=1800)
            name = f"page of {path.stat().st_size / 1e6:.1f} MB"
            if result.returncode:
                rows.append(Row(name, 1, 0, 1, 0, (result.stderr.strip().splitlines() or ["killed"])[-1]))
                continue
            baseline, peak = map(int, result.stdout.split())
            above = (peak - baseline) / 1024
            rows.append(Row(name, 1, 1, 0, above, f"{above * 1024 * 1024 / path.stat().st_size:.1f}x the page's size, "
                            f"above a worker's {baseline / 1024:.0f} MiB"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--freeze-seconds", type=float, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=("kill", "jobdir", "frozen", "closed", "pages"))
    args = parser.parse_args()
    wanted = {args.only} if args.only else {"kill", "jobdir", "frozen", "closed", "pages"}
    rng = random.Random(args.seed)
    postgres_url = os.environ.get("SPACECRAWL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    rows: list[Row] = []
    site = FakeSite(articles=args.articles, seed=args.seed)
    with serve(site), tempfile.TemporaryDirectory(prefix="faults-") as folder:
        sites = Path(folder, "sites.toml")
        sites.write_text(site.sites_toml(name="fakespace"), encoding="utf-8")
        for name, run in (("kill", lambda: killed_crawls(site, sites, args.kills, rng, with_jobdir=False)),
                          ("jobdir", lambda: killed_crawls(site, sites, args.kills, rng, with_jobdir=True)),
                          ("frozen", lambda: held_database(site, sites, postgres_url, args.freeze_seconds, "frozen")),
                          ("closed", lambda: held_database(site, sites, postgres_url, args.freeze_seconds, "closed"))):
            if name in wanted:
                rows.append(run())
                print(rows[-1].line(), file=sys.stderr, flush=True)
    if "pages" in wanted:
        rows += page_memory()
    print(f"{'scenario':<26}{'tried':>6}{'survived':>9}{'lost':>6}{'peak MiB':>11}  note")
    for row in rows:
        print(row.line())


if __name__ == "__main__":
    main()
