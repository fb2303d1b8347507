"""Extraction in worker processes, so a crawl uses more than the one core Scrapy runs on.

Extraction is pure CPU on a page's text (about half a crawl's CPU), and the GIL keeps threads from
sharing it; worker processes (crawler.spiders.extraction_worker) run the same ``article_from_page``
a crawl and `scrapy extract` run inline, so what is stored does not depend on where it ran. A page
goes to a worker as the bytes Scrapy received, with their encoding: decoding them is the worker's work.

The crawl process talks to its workers through pipes watched by the event loop Scrapy runs on:
a page is written without blocking, and its article is read when the worker answers. No thread
stands in between, so no hand-over waits for the GIL, and a worker imports only extraction, not
the crawl process's main module. The crawls of one process share the workers (`scrapy crawlall`
runs every site at once): started when the first spider opens, ended when the last closes. Work in
flight is bounded by Scrapy itself: a response stays in the scraper until its callback ends, and the
engine stops downloading while those responses exceed SCRAPER_SLOT_MAX_ACTIVE_SIZE (5 MB by
default); the peak is in the stats as ``spacecrawl/extraction/max_in_flight``.

A page that a worker has not answered within ``SPACECRAWL_EXTRACTION_TIMEOUT_SECONDS`` (lxml can
take minutes on a hostile page, such as one element with 100,000 attributes) fails with
ExtractionTimeout: the worker is killed, the pages queued behind it go to its replacement. Inline
extraction (0 workers) has no such limit: nothing interrupts lxml's parser in the crawl's own thread.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import pickle
import subprocess
import sys
from collections import Counter, deque
from collections.abc import Callable
from datetime import datetime
from typing import IO, TYPE_CHECKING

from scrapy import signals

from crawler.items import Article
from crawler.ops.run_stats import EXTRACTION_MAX_IN_FLIGHT
from crawler.sites.base import Site
from crawler.spiders.article_page import article_from_body
from crawler.spiders.extraction_worker import HEADER, READY, frame

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class WorkerDied(RuntimeError):
    """The worker extracting a page ended before answering."""


class ExtractionTimeout(RuntimeError):
    """A page took its worker longer than the time limit; the worker was killed and replaced."""


Request = tuple[Site | None, str, bytes, str, datetime]  # article_from_body's arguments

# Pages written ahead to a worker, in bytes: enough for it to go on while the crawl process is busy
# (a store batch takes ~100 ms), few enough that the rest wait as the pages Scrapy holds anyway,
# not as second, pickled copies.
SENT_AHEAD_BYTES = 1 << 20
WORKER_COMMAND = [sys.executable, "-m", "crawler.spiders.extraction_worker"]


def _widen(pipe: IO[bytes]) -> None:
    """Let the pipe to a worker hold what is sent ahead (Linux; 64 KB by default): a page then
    goes in one write, not in a write (and a wake-up of the event loop) per 64 KB the worker reads."""
    try:
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, SENT_AHEAD_BYTES)
    except (AttributeError, OSError):  # another system, or a limit (/proc/sys/fs/pipe-max-size) below it
        pass


class _Worker(asyncio.Protocol):
    """One worker process; its answers come in the order its pages were sent."""

    def __init__(self, on_answer: Callable[[], None], time_limit: float,
                 requeue: Callable[[list[tuple[Request, asyncio.Future[Article]]]], None]) -> None:
        # The worker imports what this process can import: the same module search path, as
        # multiprocessing gives a spawned child.
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(path for path in sys.path if path))
        # In a process group of its own: a terminal's Ctrl-C reaches the crawl's whole group, and the
        # crawl, stopping cleanly, ends the worker by closing its input once its pages are answered.
        self.process = subprocess.Popen(WORKER_COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                                        process_group=0)
        _widen(self.process.stdin)
        self.on_answer = on_answer
        self.requeue = requeue  # gives the group back the pages a timed-out worker had not begun
        self.time_limit = time_limit
        self.deadline: asyncio.TimerHandle | None = None  # for the page it works on (the oldest sent)
        self.timed_out = False
        self.ready = False  # it has imported extraction: a page's clock can start
        # unanswered pages: their answers, sizes and the pages themselves, oldest (in work) first
        self.sent: deque[tuple[asyncio.Future[Article], int, Request]] = deque()
        self.sent_bytes = 0
        self.received = bytearray()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.connected: asyncio.Task[None] | None = None
        self.requests: asyncio.WriteTransport | None = None
        self.results: asyncio.ReadTransport | None = None
        self.alive = True
        self.answered = 0

    async def connect(self) -> None:
        """Attach the pipes to the running event loop (once; the first pages wait for it)."""
        if self.connected is None:
            self.loop = asyncio.get_running_loop()
            self.connected = self.loop.create_task(self._attach_pipes())
        await self.connected

    async def _attach_pipes(self) -> None:
        assert self.loop is not None
        self.requests, _ = await self.loop.connect_write_pipe(asyncio.BaseProtocol, self.process.stdin)
        self.results, _ = await self.loop.connect_read_pipe(lambda: self, self.process.stdout)

    def can_take(self) -> bool:
        return self.alive and self.requests is not None and (not self.sent or self.sent_bytes < SENT_AHEAD_BYTES)

    def send(self, request: Request, answer: asyncio.Future[Article]) -> None:
        assert self.requests is not None
        data = frame(request)
        self.sent.append((answer, len(data), request))
        self.sent_bytes += len(data)
        self.requests.write(data)
        self._watch_oldest()

    def _watch_oldest(self) -> None:
        """Start the clock on the page the worker works on now (answers come in order)."""
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None
        if self.sent and self.time_limit and self.ready and self.loop is not None:
            self.deadline = self.loop.call_later(self.time_limit, self._time_out)

    def _time_out(self) -> None:
        self.deadline = None
        self.timed_out = True
        answer, size, (_, url, body, _, _) = self.sent.popleft()
        self.sent_bytes -= size
        if not answer.done():
            answer.set_exception(ExtractionTimeout(
                f"{url} ({len(body):,} bytes) took over {self.time_limit:g} s to extract"))
        self.process.kill()  # connection_lost follows, and the group replaces the worker

    def data_received(self, data: bytes) -> None:
        self.received += data
        while len(self.received) >= HEADER.size:
            end = HEADER.size + HEADER.unpack_from(self.received)[0]
            if len(self.received) < end:
                break
            message = pickle.loads(self.received[HEADER.size:end])
            del self.received[:end]
            if message == READY:
                self.ready = True
                self._watch_oldest()
                continue
            ok, value = message
            answer, size, _ = self.sent.popleft()
            self.sent_bytes -= size
            self.answered += 1
            self._watch_oldest()
            if answer.done():  # its crawl went away (cancelled)
                continue
            if ok:
                answer.set_result(value)
            else:
                answer.set_exception(value)
        self.on_answer()

    def connection_lost(self, exc: Exception | None) -> None:
        """The worker's stdout closed: it ended, on purpose or not."""
        self.alive = False
        if self.deadline is not None:
            self.deadline.cancel()
        if self.timed_out:  # the pages queued behind the slow one did nothing wrong: they go on
            self.requeue([(request, answer) for answer, _, request in self.sent])
            self.sent.clear()
            self.sent_bytes = 0
        if self.sent:
            code = self.process.wait()
            logger.error("extraction: a worker process ended (exit code %s) with %d pages unanswered",
                         code, len(self.sent))
            while self.sent:
                answer, _, _ = self.sent.popleft()
                if not answer.done():
                    answer.set_exception(WorkerDied(f"the extraction worker ended (exit code {code})"))
        self.on_answer()

    def close(self) -> None:
        """End the worker: the end of its input is its signal to exit."""
        if self.connected is not None and self.loop is not None and not self.loop.is_closed():
            self.connected.cancel()
            if self.requests is not None and not self.requests.is_closing():
                self.requests.abort()  # unwatched at once; close() would wait for the loop to flush
            if self.results is not None and not self.results.is_closing():
                self.results.close()
        self.process.stdin.close()
        self.process.stdout.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class _Workers:
    """The worker processes a crawl process's crawls share, and the pages waiting for one."""

    def __init__(self, count: int, time_limit: float) -> None:
        self.time_limit = time_limit
        self.backlog: deque[tuple[Request, asyncio.Future[Article]]] = deque()
        self.workers = [self._new_worker() for _ in range(count)]
        self.replacing: asyncio.Task[None] | None = None
        self.closed = False
        self.unstartable = False

    def _new_worker(self) -> _Worker:
        return _Worker(self.dispatch, self.time_limit, lambda pages: self.backlog.extendleft(reversed(pages)))

    async def article(self, request: Request) -> Article:
        answer = asyncio.get_running_loop().create_future()
        self.backlog.append((request, answer))
        for worker in self.workers:
            await worker.connect()
        self.dispatch()
        return await answer

    def dispatch(self) -> None:
        """Send waiting pages to the workers with room for them; replace a worker that ended."""
        if self.closed or self.unstartable:
            return
        if any(not worker.alive and not worker.answered and not worker.timed_out for worker in self.workers):
            # Ended before answering anything: it could not start (its error is on stderr), and
            # a new one would not either.
            self.unstartable = True
            logger.error("extraction: worker processes cannot start; extracting inline")
            while self.backlog:
                _, answer = self.backlog.popleft()
                if not answer.done():
                    answer.set_exception(WorkerDied("the extraction worker could not start"))
            return
        for worker in sorted(self.workers, key=lambda worker: worker.sent_bytes):
            while self.backlog and worker.can_take():
                request, answer = self.backlog.popleft()
                if not answer.done():
                    worker.send(request, answer)
        if self.replacing is None and not all(worker.alive for worker in self.workers):
            self.replacing = asyncio.get_running_loop().create_task(self._replace_ended())

    async def _replace_ended(self) -> None:
        # The pages an ended worker held failed with it; the pages after them go to a new one.
        for index, worker in enumerate(self.workers):
            if not worker.alive:
                worker.close()
                self.workers[index] = self._new_worker()
                await self.workers[index].connect()
        self.replacing = None
        self.dispatch()

    def close(self) -> None:
        self.closed = True
        if self.replacing is not None:
            self.replacing.cancel()
        for worker in self.workers:
            worker.close()


# The process's worker groups by worker count, and how many open crawls use each.
_groups: dict[int, _Workers] = {}
_users: Counter[int] = Counter()


class ExtractionPool:
    """``article_from_body`` for a crawl: in ``workers`` processes once opened, inline with 0."""

    def __init__(self, workers: int, time_limit: float = 0.0) -> None:
        self.workers = max(0, workers)
        self.time_limit = time_limit
        self.stats: StatsCollector | None = None
        self.in_flight = 0
        self.opened = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionPool:
        try:
            workers = crawler.settings.getint("SPACECRAWL_EXTRACTION_WORKERS")
        except ValueError:
            raise ValueError(f"SPACECRAWL_EXTRACTION_WORKERS={crawler.settings.get('SPACECRAWL_EXTRACTION_WORKERS')!r} "
                             "is not a whole number of processes") from None
        pool = cls(workers, crawler.settings.getfloat("SPACECRAWL_EXTRACTION_TIMEOUT_SECONDS"))
        crawler.signals.connect(lambda: pool.open(crawler.stats), signal=signals.spider_opened, weak=False)
        crawler.signals.connect(pool.close, signal=signals.spider_closed)
        return pool

    def open(self, stats: StatsCollector | None = None) -> None:
        self.stats = stats
        if self.workers and not self.opened:
            if self.workers not in _groups:
                _groups[self.workers] = _Workers(self.workers, self.time_limit)
            _users[self.workers] += 1
            self.opened = True

    def close(self) -> None:
        if not self.opened:
            return
        self.opened = False
        _users[self.workers] -= 1
        if not _users[self.workers]:
            _groups.pop(self.workers).close()

    async def article(self, site: Site | None, url: str, body: bytes, encoding: str, fetched_at: datetime) -> Article:
        """``article_from_body`` for this page (a response's bytes and encoding), in a worker when
        the pool is open."""
        group = _groups.get(self.workers) if self.opened else None
        if group is None or group.unstartable:
            return article_from_body(site, url, body, encoding, fetched_at)
        self.in_flight += 1
        if self.stats is not None:
            self.stats.max_value(EXTRACTION_MAX_IN_FLIGHT, self.in_flight)
        try:
            return await group.article((site, url, body, encoding, fetched_at))
        except WorkerDied:
            if not group.unstartable:
                raise
            return article_from_body(site, url, body, encoding, fetched_at)
        finally:
            self.in_flight -= 1
