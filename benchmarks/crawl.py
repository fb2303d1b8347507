"""Crawl speed: bare Scrapy vs the full spacecrawl pipeline on the same local site, same run.

    python -m benchmarks.crawl [--articles N] [--corpus [DIR]] [--copies N] [--no-generated] [--gzip]
                               [--no-meta-charset] [--only bare|full] [-s NAME=VALUE ...]

Serves N generated ~30 KB article pages (with feed, sitemaps and listings) from the fake site in
its own process (so it shares no GIL with a crawler), then crawls them, each crawl in its own
process: (a) bare Scrapy, a SitemapSpider reading each page's <title>; (b) `scrapy crawl` of a
sites-file site pointing at the server, every pipeline stage on, into a fresh SQLite store.
Both get the same download settings (no delay, no throttling, 16 requests in flight) and the
project's CONCURRENT_ITEMS. Prints pages/s (responses over Scrapy's elapsed time), the ratio b/a,
CPU ms per page (the crawl process with its extraction workers: children's rusage; and the crawl
process alone, whose one thread bounds pages/s), the pages/s that CPU work allows on the machine
were it idle (the busiest process, the server's included, or all the work over the cores; the
ratio of those is what a shared machine hardly moves), peak RSS of the crawl process (ru_maxrss) and of
the crawl with its workers (sampled), and the crawl process's RSS at each quarter of its run (flat
when nothing grows with the pages crawled). ``-s`` settings go to the full crawl (e.g.
-s SPACECRAWL_EXTRACTION_WORKERS=0 for inline extraction). On a shared machine pages/s follow
the other load; CPU ms per page hardly do.

Real pages: --corpus serves the pages of a corpus (default $SPACECRAWL_CORPUS or ../shared/corpus;
100–300 KB of markup and scripts where the generated ones weigh 30 KB), --copies of each under
distinct URLs (fakesite.saved), and runs both crawls on them too. For generated and real pages
alike, it then prints CPU ms per page by stage (benchmarks.stage_costs: the same pages through the
same code in this process, one stage after another).

Large crawls: --articles 100000 --only full checks memory (article pages are then rendered per
request by the server instead of held, see FakeSite(lazy=True)); expect minutes to start.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from benchmarks.scoring import corpus_dir

REPO = Path(__file__).resolve().parent.parent
# The same download settings for both crawls: as fast as the local server answers.
DOWNLOAD_SETTINGS = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS": 16,
                     "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "LOG_LEVEL": "INFO"}
LAZY_FROM = 20_000  # articles; above this the server renders article pages per request
STAGE_PAGES = 300  # generated pages whose stage costs are measured
STAT = re.compile(r"'(elapsed_time_seconds|response_received_count|item_scraped_count|memusage/max)': ([\d.]+)")


@dataclass
class CrawlFigures:
    name: str
    pages: int
    items: int
    seconds: float  # Scrapy's elapsed_time_seconds: engine start to close
    cpu_seconds: float  # user + system, the crawl process and the children it waited for
    main_cpu_seconds: float  # the crawl process alone (sampled): its one thread bounds pages/s
    max_rss_mib: float  # ru_maxrss: the crawl process (or a worker, if one grew larger)
    tree_rss_mib: float  # sampled peak of the crawl process and its children together
    rss_quarters_mib: tuple[float, ...] = ()  # the crawl process's RSS at 1/4, 1/2, 3/4 and the end of its run
    workers: int = 0  # child processes (extraction workers) seen at once
    server_cpu_seconds: float = 0.0  # the local server's, while it served this crawl

    @property
    def cpu_bound_pages_per_second(self) -> float:
        """Pages/s the CPU work allows on this machine were it idle: the busiest process (the
        crawl's one thread, its workers sharing what they did, the server) or all of it over the
        cores bounds it. On a shared machine the measured pages/s follow the other load; this hardly."""
        worker_seconds = max(0.0, self.cpu_seconds - self.main_cpu_seconds)
        busiest = max(self.main_cpu_seconds, worker_seconds / max(1, self.workers), self.server_cpu_seconds,
                      (self.cpu_seconds + self.server_cpu_seconds) / (os.cpu_count() or 1))
        return self.pages / busiest if busiest else 0.0

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (f"{self.name:<22}{self.pages:>8}{self.items:>8}{self.seconds:>9.1f}{self.pages_per_second:>9.1f}"
                f"{1000 * self.cpu_seconds / max(1, self.pages):>12.2f}"
                f"{1000 * self.main_cpu_seconds / max(1, self.pages):>10.2f}"
                f"{self.max_rss_mib:>10.0f}{self.tree_rss_mib:>10.0f}")


HEADER = (f"{'crawl':<22}{'pages':>8}{'items':>8}{'seconds':>9}{'pages/s':>9}"
          f"{'CPU ms/page':>12}{'main ms':>10}{'maxrss':>10}{'tree MiB':>10}")


# --- the bare crawl (runs in a child process: python -m benchmarks.crawl --bare-child URL) ---

def bare_child(base_url: str) -> None:
    from scrapy.crawler import CrawlerProcess
    from scrapy.spiders import SitemapSpider

    class TitleSpider(SitemapSpider):
        name = "bare"
        sitemap_urls = [base_url + "/sitemap_index.xml"]

        def parse(self, response):  # type: ignore[no-untyped-def]
            yield {"title": response.css("title::text").get()}

    from crawler import settings as project

    # The project's item concurrency too: the ratio then measures the pipeline, not a setting.
    process = CrawlerProcess({**DOWNLOAD_SETTINGS, "CONCURRENT_ITEMS": project.CONCURRENT_ITEMS,
                              "ROBOTSTXT_OBEY": True, "TELNETCONSOLE_ENABLED": False})
    process.crawl(TitleSpider)
    process.start()


# --- measuring a child -------------------------------------------------------------------------

def _rss_kib(pid: int, field: str = "VmRSS") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of one process so far, from /proc (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _tree(pid: int) -> list[int]:
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return pids
    for child in children:
        pids += _tree(int(child))
    return pids


def run_measured(name: str, command: list[str], env: dict[str, str], server_pid: int,
                 log_file: Path | None = None) -> CrawlFigures:
    """Run a crawl command; its figures from its stats dump (in its stderr, or in ``log_file``),
    rusage and sampled RSS."""
    server_cpu = _cpu_seconds(server_pid)
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=log, text=True)
        peak_tree_kib, main_cpu, children = 0, 0.0, 0
        main_rss_kib: list[int] = []  # every sample's, while the process lives
        done = threading.Event()

        def sample() -> None:
            nonlocal peak_tree_kib, main_cpu, children
            while not done.wait(0.1):
                tree = _tree(process.pid)
                children = max(children, len(tree) - 1)
                peak_tree_kib = max(peak_tree_kib, sum(_rss_kib(p) for p in tree))
                main_cpu = max(main_cpu, _cpu_seconds(process.pid))
                if rss := _rss_kib(process.pid):
                    main_rss_kib.append(rss)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
        log.seek(0)
        output = log.read()
    if log_file is not None and log_file.is_file():
        output += log_file.read_text(errors="replace")
    server_cpu = _cpu_seconds(server_pid) - server_cpu
    stats = dict(STAT.findall(output))
    if process.returncode != 0 or "elapsed_time_seconds" not in stats:
        sys.exit(f"{name} crawl failed (exit {process.returncode}):\n{output[-3000:]}")
    if "Traceback" in output:
        print(f"warning: {name} crawl logged a traceback:\n{output[output.index('Traceback'):][:2000]}", file=sys.stderr)
    return CrawlFigures(
        name, pages=int(stats.get("response_received_count", 0)), items=int(stats.get("item_scraped_count", 0)),
        seconds=float(stats["elapsed_time_seconds"]), cpu_seconds=usage.ru_utime + usage.ru_stime,
        main_cpu_seconds=main_cpu,
        max_rss_mib=usage.ru_maxrss / 1024, tree_rss_mib=peak_tree_kib / 1024,
        rss_quarters_mib=tuple(main_rss_kib[min(len(main_rss_kib) - 1, len(main_rss_kib) * q // 4)] / 1024
                               for q in (1, 2, 3, 4)) if main_rss_kib else (), workers=children,
        server_cpu_seconds=server_cpu)


# --- the server ---------------------------------------------------------------------------------

def start_server(args: argparse.Namespace, sites_toml: Path, saved: Path | None) -> tuple[subprocess.Popen[str], str]:
    """The fake site in a process of its own: generated pages, or with ``saved`` the corpus's."""
    command = [sys.executable, "-m", "fakesite", "--port", "0", "--sites-toml", str(sites_toml)]
    if saved is not None:
        command += ["--saved", str(saved / "cases.jsonl"), "--copies", str(args.copies)]
    else:
        command += ["--articles", str(args.articles), "--seed", str(args.seed)]
        command += ["--no-meta-charset"] * args.no_meta_charset + ["--lazy"] * (args.articles > LAZY_FROM)
    command += ["--gzip"] * args.gzip
    server = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    first_line = server.stdout.readline()
    found = re.search(r"serving (http://\S+?)/ ", first_line)
    if not found:
        server.kill()
        sys.exit(f"the fake site did not start: {first_line!r}")
    print(first_line.strip().split(";")[0], flush=True)
    return server, found.group(1)


def crawl_both(args: argparse.Namespace, saved: Path | None) -> list[CrawlFigures]:
    """Serve the generated pages (or with ``saved``, the corpus's), crawl them as asked; the figures."""
    results = []
    with tempfile.TemporaryDirectory(prefix="spacecrawl-bench-") as scratch:
        sites_toml = Path(scratch) / "sites.toml"
        server, base_url = start_server(args, sites_toml, saved)
        try:
            env = dict(os.environ, PYTHONPATH=str(REPO))
            if args.only in (None, "bare"):
                bare = [sys.executable, "-m", "benchmarks.crawl", "--bare-child", base_url]
                results.append(run_measured("a: bare Scrapy", bare, env, server.pid))
            if args.only in (None, "full"):
                full_env = dict(env, SPACECRAWL_SITES_FILE=str(sites_toml),
                                SPACECRAWL_DATABASE_URL=f"sqlite:///{scratch}/store.db")
                settings = [f"{k}={v}" for k, v in DOWNLOAD_SETTINGS.items()]
                # A log file keeps Scrapy's stats dump at INFO (on a terminal it is DEBUG).
                log_file = Path(scratch) / "full.log"
                settings += [f"SPACECRAWL_UNSAVED_DIR={scratch}", f"LOG_FILE={log_file}", *args.settings]
                command = [sys.executable, "-m", "scrapy", "crawl", "savedpages" if saved else "fakespace",
                           *(arg for setting in settings for arg in ("-s", setting))]
                results.append(run_measured("b: spacecrawl full", command, full_env, server.pid, log_file))
        finally:
            server.terminate()
            server.wait()
    return results


def print_figures(title: str, results: list[CrawlFigures]) -> None:
    print(f"{title}; {os.cpu_count()} CPUs")
    print(HEADER)
    for figures in results:
        print(figures.line())
    if len(results) == 2:
        print(f"ratio b/a pages/s: {results[1].pages_per_second / results[0].pages_per_second:.2f}; "
              f"CPU-bound pages/s a {results[0].cpu_bound_pages_per_second:.0f}, "
              f"b {results[1].cpu_bound_pages_per_second:.0f} ({results[1].workers} workers), ratio "
              f"{results[1].cpu_bound_pages_per_second / results[0].cpu_bound_pages_per_second:.2f} "
              f"(server CPU ms/page a {1000 * results[0].server_cpu_seconds / max(1, results[0].pages):.2f}, "
              f"b {1000 * results[1].server_cpu_seconds / max(1, results[1].pages):.2f})")
    for figures in results:
        if figures.rss_quarters_mib:
            print(f"{figures.name}: crawl process RSS at 1/4, 1/2, 3/4, end of the run: "
                  + ", ".join(f"{mib:.0f}" for mib in figures.rss_quarters_mib) + " MiB")
    print(flush=True)


def print_stage_costs(args: argparse.Namespace, corpus: Path | None) -> None:
    import gzip
    import logging

    from scrapy.utils.project import get_project_settings

    from benchmarks.micro import corpus_pages, fake_site_pages
    from benchmarks.stage_costs import stage_ms_per_page, stage_table
    from crawler.sitekit.offline import OfflineRun

    logging.disable(logging.WARNING)  # pipeline drops log a line each
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    for name, value in (setting.split("=", 1) for setting in args.settings):
        settings.set(name, value, priority="cmdline")
    batch_size = settings.getint("SPACECRAWL_STORE_BATCH_SIZE")
    figures = {}
    if not args.no_generated:
        pages = [(url, html.encode()) for url, html in fake_site_pages(min(args.articles, STAGE_PAGES))]
        figures["generated"] = stage_ms_per_page(pages, OfflineRun(settings), batch_size)
    if corpus is not None:
        pages = [(url, gzip.decompress(body)) for url, body in corpus_pages(corpus)]
        figures["real"] = stage_ms_per_page(pages, OfflineRun(settings), batch_size)
    print(stage_table(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", nargs="?", const="", metavar="DIR",
                        help="crawl the corpus's real pages too (default $SPACECRAWL_CORPUS or ../shared/corpus)")
    parser.add_argument("--copies", type=int, default=5, help="copies of each real page, at distinct URLs")
    parser.add_argument("--no-generated", action="store_true", help="with --corpus: real pages only")
    parser.add_argument("--gzip", action="store_true", help="article pages gzip-encoded, no charset in Content-Type")
    parser.add_argument("--no-meta-charset", action="store_true", help="pages without <meta charset>")
    parser.add_argument("--only", choices=("bare", "full"), help="run one of the two crawls")
    parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting for the full crawl")
    parser.add_argument("--bare-child", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_child:
        return bare_child(args.bare_child)
    corpus = None
    if args.corpus is not None:
        corpus = corpus_dir(args.corpus or None)
        if not (corpus / "cases.jsonl").is_file():
            parser.error(f"no corpus at {corpus} (no cases.jsonl there)")
        if args.copies < 1:
            parser.error("--copies must be at least 1")
    elif args.no_generated:
        parser.error("--no-generated needs --corpus: there would be nothing to crawl")

    encoding = f"{'gzip' if args.gzip else 'plain'}{', no <meta charset>' if args.no_meta_charset else ''}"
    if not args.no_generated:
        print_figures(f"generated pages: {args.articles} articles, {encoding}", crawl_both(args, None))
    if corpus is not None:
        print_figures(f"real pages: {corpus}, {args.copies} copies of each, {'gzip' if args.gzip else 'plain'}",
                      crawl_both(args, corpus))
    print_stage_costs(args, corpus)


if __name__ == "__main__":
    main()
