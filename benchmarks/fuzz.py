"""Broken pages through `scrapy extract`'s path and through a crawl: what escapes, what hangs.

    python -m benchmarks.fuzz [--pages 3000] [--seed 0] [--corpus DIR] [--only extract|crawl]

Mutants (fakesite.mutations: cut short, bytes flipped, tag soup, deep nesting, huge attributes,
bad encodings, broken links and dates, endless entities) of the fake site's pages, the saved pages
in tests/fixtures/sites and, when there is one, the corpus ($SPACECRAWL_CORPUS; its pages are read
here, never copied). (a) extract: each page through what `scrapy extract` runs (decode, extraction,
every pipeline stage but storage); a page whose exception escapes is a traceback, one still running
after --hang seconds a hang. (b) crawl: the same pages served on 127.0.0.1 with a sitemap listing
them, crawled by `scrapy crawl` into a throwaway SQLite store; tracebacks are those in its log, a
hang is a crawl still running after its bound. Prints tried / tracebacks / hangs / dropped by reason
for each, and the slowest page.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from benchmarks.scoring import corpus_dir
from fakesite import FakeSite
from fakesite.mutations import Mutant, mutated_pages, saved_pages, site_pages

REPO = Path(__file__).resolve().parent.parent
FIXTURE_PAGES = REPO / "tests" / "fixtures" / "sites"
HANG_SECONDS = 60.0  # one page's extraction; the slowest well-formed page takes well under a second
CRAWL_SECONDS_PER_PAGE = 2.0  # the crawl's bound, with a floor of CRAWL_MIN_SECONDS
CRAWL_MIN_SECONDS = 300.0
STAT = re.compile(r"'((?:spacecrawl/dropped|item_dropped_reasons_count)/[^']+|response_received_count|"
                  r"item_scraped_count|log_count/ERROR)': (\d+)")


class Hang(BaseException):
    """A page still being extracted after the hang bound (not an Exception: no guard of ours may catch it)."""


@dataclass
class Tally:
    tried: int = 0
    articles: int = 0
    tracebacks: list[str] = field(default_factory=list)  # "mutant: exception" for each
    hangs: list[str] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    slowest: tuple[float, str] = (0.0, "")

    def line(self, name: str) -> str:
        reasons = ", ".join(f"{reason} {n}" for reason, n in self.dropped.most_common()) or "none"
        return (f"{name}: tried {self.tried}, articles {self.articles}, tracebacks {len(self.tracebacks)}, "
                f"hangs {len(self.hangs)}; dropped: {reasons}")


def sources(corpus: Path | None, fakesite_articles: int = 12) -> list[tuple[str, str, bytes]]:
    """The well-formed pages mutants are made of: the fake site's, the saved fixtures, the corpus."""
    pages = site_pages(FakeSite(articles=fakesite_articles, seed=1)) + saved_pages(FIXTURE_PAGES)
    if corpus is not None and (corpus / "cases.jsonl").exists():
        for line in (corpus / "cases.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                data = (corpus / case["html"]).read_bytes()
                pages.append((f"corpus:{case['id']}", case["url"],
                              gzip.decompress(data) if case["html"].endswith(".gz") else data))
    return pages


@contextmanager
def hang_bound(seconds: float) -> Iterator[None]:
    """Raise Hang in this (the main) thread after ``seconds``; code inside a C call (lxml parsing)
    is interrupted when the call returns."""
    def expire(signum: int, frame: object) -> None:
        raise Hang

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def fuzz_extract(mutants: Iterable[Mutant], hang_seconds: float = HANG_SECONDS) -> Tally:
    """Each mutant through `scrapy extract`'s path; what escaped, what hung, what was dropped."""
    from crawler.cli.commands.extract import extracted
    from crawler.extraction import decode_html
    from crawler.sitekit.offline import OfflineRun
    from scrapy.utils.project import get_project_settings

    run = OfflineRun(get_project_settings())
    tally = Tally()
    for mutant in mutants:
        tally.tried += 1
        started = time.perf_counter()
        try:
            with hang_bound(hang_seconds):
                record = extracted(run, decode_html(mutant.body), mutant.url, None)
        except Hang:
            tally.hangs.append(mutant.name)
            continue
        except Exception as error:  # what the benchmark counts: any escape is a traceback
            tally.tracebacks.append(f"{mutant.name}: {type(error).__name__}: {str(error)[:200]}")
            continue
        finally:
            tally.slowest = max(tally.slowest, (time.perf_counter() - started, mutant.name))
        if "dropped" in record:
            tally.dropped[record["dropped"].split(":", 1)[0]] += 1
        else:
            tally.articles += 1
    return tally


@contextmanager
def serve_mutants(mutants: list[Mutant]) -> Iterator[str]:
    """The mutants at /fuzz/<n>/ on 127.0.0.1, with /sitemap.xml listing them; yields the base URL."""
    bodies: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
            pass

        def do_GET(self) -> None:
            body = bodies.get(self.path.split("?")[0])
            self.send_response(200 if body is not None else 404)
            kind = "application/xml" if self.path.endswith(".xml") else "text/html; charset=utf-8"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}"
    for number, mutant in enumerate(mutants):
        bodies[f"/fuzz/{number}/"] = mutant.body
    locs = "".join(f"<url><loc>{base}{path}</loc></url>" for path in bodies)
    bodies["/sitemap.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><urlset '
                              f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>').encode()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def fuzz_crawl(mutants: list[Mutant]) -> tuple[Tally, float]:
    """The mutants crawled by `scrapy crawl` from a local server; the tally and the crawl's seconds."""
    tally = Tally(tried=len(mutants))
    bound = max(CRAWL_MIN_SECONDS, CRAWL_SECONDS_PER_PAGE * len(mutants))
    with tempfile.TemporaryDirectory(prefix="spacecrawl-fuzz-") as folder, serve_mutants(mutants) as base:
        sites, log_file = Path(folder) / "sites.toml", Path(folder) / "crawl.log"
        sites.write_text(f'[[site]]\nname = "fuzz"\ndomains = ["127.0.0.1"]\nsitemaps = ["{base}/sitemap.xml"]\n'
                         f'article_url = "/fuzz/\\\\d+/"\n', encoding="utf-8")
        env = dict(os.environ, SPACECRAWL_SITES_FILE=str(sites),
                   SPACECRAWL_DATABASE_URL=f"sqlite:///{Path(folder) / 'fuzz.db'}")
        command = [sys.executable, "-m", "scrapy", "crawl", "fuzz", "-s", "LOG_LEVEL=INFO", "-s", "DOWNLOAD_DELAY=0",
                   "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "ROBOTSTXT_OBEY=False", "-s", "SPACECRAWL_INCREMENTAL=False",
                   "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "STATS_DUMP=True",
                   "-s", f"LOG_FILE={log_file}"]  # a log file keeps Scrapy's stats dump
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   text=True, process_group=0)
        try:
            _, errors = process.communicate(timeout=bound)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the crawl and its extraction workers
            _, errors = process.communicate()
            tally.hangs.append(f"the crawl, still running after {bound:.0f} s")
        seconds = time.perf_counter() - started
        log = errors + (log_file.read_text(encoding="utf-8", errors="replace") if log_file.exists() else "")
    stats = {key: int(value) for key, value in STAT.findall(log)}
    tally.tracebacks = [block.splitlines()[-1] for block in log.split("Traceback (most recent call last):")[1:]]
    tally.articles = stats.get("item_scraped_count", 0)
    tally.dropped = Counter({key.rsplit("/", 1)[1]: n for key, n in stats.items() if key.startswith("spacecrawl/dropped/")})
    unfetched = len(mutants) - stats.get("response_received_count", 0) + 1  # (+1: the sitemap)
    if unfetched:
        tally.dropped["not fetched"] = unfetched
    return tally, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", help="corpus folder (default: $SPACECRAWL_CORPUS); 'none' for none")
    parser.add_argument("--only", choices=("extract", "crawl"))
    parser.add_argument("--hang", type=float, default=HANG_SECONDS, help="seconds after which a page is hung")
    args = parser.parse_args()
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    corpus = None if args.corpus == "none" else corpus_dir(args.corpus)
    pages = sources(corpus)
    mutants = list(mutated_pages(pages, args.pages, args.seed))
    print(f"{len(mutants)} mutants of {len(pages)} pages (seed {args.seed})", flush=True)
    if args.only != "crawl":
        started = time.perf_counter()
        tally = fuzz_extract(mutants, args.hang)
        print(tally.line("extract") + f"; {time.perf_counter() - started:.0f} s, slowest page "
              f"{tally.slowest[0]:.1f} s ({tally.slowest[1]})", flush=True)
        for problem in tally.tracebacks + [f"hang: {name}" for name in tally.hangs]:
            print("  " + problem)
    if args.only != "extract":
        tally, seconds = fuzz_crawl(mutants)
        print(tally.line("crawl") + f"; {seconds:.0f} s", flush=True)
        for problem in tally.tracebacks + tally.hangs:
            print("  " + problem)


if __name__ == "__main__":
    main()
