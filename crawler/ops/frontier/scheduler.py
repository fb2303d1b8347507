"""scrapy-redis's scheduler, shared by the workers of a crawl: leases, the crawl's life, patience
with Redis (see crawler/ops/frontier/__init__.py)."""

from __future__ import annotations

import logging
import os
import secrets
import socket
import time
from collections.abc import Callable
from typing import Any, TypeVar

from itemadapter import ItemAdapter
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

from crawler.ops.frontier import REDIS_AWAY, display_redis_url, frontier_keys, redis_client
from crawler.ops.frontier.queue import LeasedPriorityQueue, RedisHints
from crawler.ops.frontier.scripts import JOIN, LEAVE, RECLAIM, REQUEUE_UNKNOWN
from crawler.ops.run_stats import CRAWL_ENDED, CRAWL_ID, CRAWL_STARTED, CRAWL_WORKER
from crawler.ops.signals import articles_written

logger = logging.getLogger(__name__)
T = TypeVar("T")

# What a worker that cannot reach Redis says it is, as its run's status (exit 1: the run failed).
UNAVAILABLE = "redis_unavailable"
LOST = "redis_lost"


class FrontierUnavailable(Exception):
    """Redis did not answer within SPACECRAWL_REDIS_WAIT_SECONDS."""


class SharedScheduler(Scheduler):
    """scrapy-redis's scheduler, with leases, the crawl's life and patience with Redis added (see
    crawler/ops/frontier/__init__.py). scrapy-redis 0.9.1 also passes ``spider=`` to the stats, which Scrapy
    2.19 deprecates: the methods that count here count without it."""

    queue: LeasedPriorityQueue

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedScheduler:
        settings = crawler.settings
        # scrapy-redis's from_settings pings Redis here, where a failure is a traceback; open() waits for it
        scheduler = cls(server=redis_client(settings), persist=True,
                        queue_key=settings["SCHEDULER_QUEUE_KEY"], queue_cls=settings["SCHEDULER_QUEUE_CLASS"],
                        dupefilter_key=settings["SCHEDULER_DUPEFILTER_KEY"],
                        dupefilter_cls=settings["DUPEFILTER_CLASS"])
        scheduler.stats = crawler.stats
        scheduler.crawler = crawler
        scheduler.worker = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(2)}"
        scheduler.timeout = max(1, settings.getint("SPACECRAWL_REDIS_WORKER_TIMEOUT_SECONDS"))
        scheduler.wait_seconds = settings.getfloat("SPACECRAWL_REDIS_WAIT_SECONDS")
        scheduler.start_wait_seconds = settings.getfloat("SPACECRAWL_REDIS_START_WAIT_SECONDS")
        scheduler.redis_url = display_redis_url(settings["REDIS_URL"])
        return scheduler

    # --- opening and closing ----------------------------------------------------------------

    def open(self, spider: Spider) -> None:
        self.keys = frontier_keys(self.crawler.settings, spider.name)
        self.leased: dict[Request, bytes] = {}  # request -> its lease, until Scrapy is done with it
        self.awaiting_store: dict[str, bytes] = {}  # article's fetched URL -> lease, until written
        self.unavailable = False
        try:
            # Not there at the start is more likely a wrong address than a restart: a short wait, quietly.
            self.patiently(self.server.ping, seconds=self.start_wait_seconds, quiet=True)
        except FrontierUnavailable as error:
            self.stop(UNAVAILABLE, "Redis at %s cannot be reached (%s); nothing was crawled: is SPACECRAWL_REDIS_URL "
                      "right, is Redis running?", self.redis_url, error)
            # Closed once open: Scrapy cannot close a spider whose scheduler fails to open cleanly.
            self.crawler.signals.connect(self.refuse_to_start, signal=signals.spider_opened)
            return
        super().open(spider)
        _, self.queue.leases, self.queue.unstored = self.keys.of_worker(self.worker)
        self._reclaim = self.server.register_script(RECLAIM)
        self._requeue_unknown = self.server.register_script(REQUEUE_UNKNOWN)
        started, crawl_id, started_at = self.server.register_script(JOIN)(
            keys=self.keys.of_crawl(), args=[f"{spider.name}-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}"
                                             f"-{secrets.token_hex(3)}", time.time(), self.worker,
                                             self.keys.alive_of, self.timeout, self.keys.leases_of,
                                             self.keys.unstored_of])
        self.crawl_id = crawl_id.decode() if isinstance(crawl_id, bytes) else crawl_id
        self.heartbeat()
        reclaimed = self.reclaim()
        logger.info("frontier: %s crawl %s in Redis as worker %s (%d requests queued%s)",
                    "started" if started else "joined", self.crawl_id, self.worker, len(self.queue),
                    f", {reclaimed} taken back from stopped workers" if reclaimed else "")
        self.stats.set_value(CRAWL_ID, self.crawl_id)
        self.stats.set_value(CRAWL_STARTED, float(started_at))
        self.stats.set_value(CRAWL_WORKER, self.worker)
        if hasattr(spider, "lastmod_hints"):
            spider.lastmod_hints = RedisHints(self.server, self.keys.lastmod)
        signals_ = self.crawler.signals
        signals_.connect(self.spider_idle, signal=signals.spider_idle)
        signals_.connect(self.item_scraped, signal=signals.item_scraped)
        signals_.connect(self.articles_written, signal=articles_written)
        self.ticking = LoopingCall(self.tick)
        self.ticking.start(1.0, now=False)
        self.last_heartbeat = time.monotonic()

    def close(self, reason: str) -> None:
        if hasattr(self, "ticking") and self.ticking.running:
            self.ticking.stop()
        if self.unavailable:
            return
        try:
            # Scrapy and the store are done (the store closes first): every lease is settled.
            ended = self.patiently(self.server.register_script(LEAVE), keys=self.keys.of_crawl(),
                                   args=[self.worker, reason, *self.keys.of_worker(self.worker)])
        except FrontierUnavailable:
            return
        if ended:
            self.stats.set_value(CRAWL_ENDED, 1)
            logger.info("frontier: crawl %s ended: its queue is empty and no worker is left", self.crawl_id)
        else:
            logger.info("frontier: worker %s left crawl %s (%s); %d requests queued", self.worker,
                        self.crawl_id, reason, len(self.queue))

    # --- requests in and out -----------------------------------------------------------------

    def enqueue_request(self, request: Request) -> bool:
        if self.unavailable:
            return False
        fingerprint = self.df.request_fingerprint(request)
        try:
            if request.dont_filter:
                self.patiently(self.queue.push, request)
            elif not self.patiently(self.queue.push_unseen, request, fingerprint, self.keys.dupefilter):
                self.df.log(request, self.spider)
                return False
        except FrontierUnavailable:
            self.give_up()
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        if self.unavailable:
            return None
        try:
            popped = self.patiently(self.queue.pop)
        except FrontierUnavailable:
            self.give_up()
            return None
        if popped is None:
            return None
        request, lease = popped
        self.leased[request] = lease
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        if self.unavailable:
            return False
        try:
            return self.patiently(len, self.queue) > 0
        except FrontierUnavailable:
            self.give_up()
            return False

    # --- settling leases -----------------------------------------------------------------------

    def item_scraped(self, item: Any, response: Response) -> None:
        """An article handed to the store: its page's lease waits for the store to write it."""
        request = response.request if response.request in self.leased else None
        if request is None:
            request = next((leased for leased in self.leased if leased.url == response.url), None)
        if request is not None:
            fetched_url = ItemAdapter(item).get("fetched_url") or response.url
            self.awaiting_store[fetched_url] = lease = self.leased.pop(request)
            # Out of the leases others wait on (its page brings no more requests), kept till stored.
            self.quietly(self.queue.to_store, lease)

    def articles_written(self, fetched_urls: list[str]) -> None:
        done = [lease for url in fetched_urls if (lease := self.awaiting_store.pop(url, None)) is not None]
        self.quietly(self.queue.release, done, True)

    def settle(self, everything: bool = False) -> None:
        """Release the leases of the requests Scrapy is done with (all of them when it is idle)."""
        # The engine's set of requests in progress is the one record of when Scrapy is done with a
        # request, whatever became of it (parsed, failed, redirected, ignored by a middleware).
        slot = getattr(self.crawler.engine, "_slot", None)
        in_progress = getattr(slot, "inprogress", None)
        if not everything and in_progress is None:
            return
        done = [request for request in self.leased if everything or request not in in_progress]
        self.quietly(self.queue.release, [self.leased.pop(request) for request in done])

    def tick(self) -> None:
        """Every second: settle leases; every third of the timeout: say this worker is alive, and
        take back the leases of workers that are not."""
        if self.unavailable:
            return
        self.settle()
        if time.monotonic() - self.last_heartbeat >= self.timeout / 3:
            self.quietly(self.heartbeat)
            self.quietly(self.reclaim)

    def heartbeat(self) -> None:
        self.last_heartbeat = time.monotonic()
        # The crawl's keys gone while it runs: Redis restarted without its data (no appendonly or
        # snapshot), and the queue with them. Going on would end the crawl with the pages it has.
        if hasattr(self, "ticking") and not self.server.exists(self.keys.crawl):
            self.stop(LOST, "Redis at %s lost the crawl's queue (restarted without persistence?); stopping this "
                            "worker (%s): the same command starts the crawl over, skipping the articles stored",
                      self.redis_url, LOST)
            return
        self.server.set(self.keys.alive_of + self.worker, self.crawl_id, ex=self.timeout)

    def reclaim(self) -> int:
        """Put back into the queue the leases of registered workers whose alive key has expired."""
        taken = 0
        for worker in self.other_workers():
            alive, leases, unstored = self.keys.of_worker(worker)
            n = self._reclaim(keys=[self.keys.requests, leases, unstored, self.keys.workers, alive], args=[worker])
            if n > 0:
                logger.warning("frontier: worker %s stopped answering; its %d unfinished requests are back "
                               "in the queue", worker, n)
            taken += max(n, 0)
        return taken

    def spider_idle(self) -> None:
        """Out of requests: stay while the crawl may still bring more (see the package's docstring)."""
        if self.unavailable:
            return
        try:
            self.settle(everything=True)
            unknown = self.patiently(self._requeue_unknown, keys=[self.keys.requests, self.queue.leases])
            if unknown:
                logger.warning("frontier: %d requests Redis handed this worker while its connection broke are back "
                               "in the queue", unknown)
            self.patiently(self.reclaim)
            # Articles waiting for this worker's store keep nobody: the store writes them or sets them
            # aside. Another worker's keep it: were that worker killed, they come back into the queue
            # once its alive key expires, and someone must be here to fetch them.
            busy = len(self.queue) or any(
                self.server.zcard(self.keys.leases_of + worker) or self.server.zcard(self.keys.unstored_of + worker)
                for worker in self.other_workers())
        except FrontierUnavailable:
            self.give_up()
            return
        if busy:
            raise DontCloseSpider

    def other_workers(self) -> list[str]:
        workers = (member.decode() if isinstance(member, bytes) else member
                   for member in self.server.smembers(self.keys.workers))
        return [worker for worker in workers if worker != self.worker]

    # --- Redis away --------------------------------------------------------------------------

    def patiently(self, call: Callable[..., T], *args: Any, seconds: float | None = None, quiet: bool = False,
                  **kwargs: Any) -> T:
        """``call(...)``, waiting up to ``seconds`` (SPACECRAWL_REDIS_WAIT_SECONDS) for a Redis that
        does not answer (restarting, the network away), saying so unless ``quiet``. The worker
        stands still meanwhile: it cannot take or queue requests without Redis."""
        seconds = self.wait_seconds if seconds is None else seconds
        deadline = time.monotonic() + seconds
        waiting_since = None
        while True:
            try:
                result = call(*args, **kwargs)
            except REDIS_AWAY as error:
                reason = str(error).splitlines()[0]
                if waiting_since is None:
                    waiting_since = time.monotonic()
                    if not quiet:
                        logger.warning("frontier: Redis at %s does not answer (%s); waiting up to %g s",
                                       self.redis_url, reason, seconds)
                if time.monotonic() >= deadline:
                    raise FrontierUnavailable(reason) from None
                time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))
                continue
            if waiting_since is not None and not quiet:
                logger.warning("frontier: Redis answers again, after %.0f s", time.monotonic() - waiting_since)
            return result

    def quietly(self, call: Callable[..., Any], *args: Any) -> None:
        """Bookkeeping that can wait for the next tick if Redis does not answer now."""
        try:
            call(*args)
        except REDIS_AWAY:
            pass

    def give_up(self) -> None:
        """Stop a worker that started: Redis went away mid-crawl and did not come back."""
        self.stop(UNAVAILABLE, f"Redis at %s did not answer for {self.wait_seconds:g} s; stopping this worker (%s): "
                  "its unfinished requests stay in Redis, and the same command resumes the crawl once Redis is back",
                  self.redis_url, UNAVAILABLE)

    def stop(self, reason: str, message: str, *args: object) -> None:
        """Stop this worker with one ERROR line (``message`` % ``args``); its run ends ``reason``."""
        if self.unavailable:
            return
        self.unavailable = True
        logger.error("frontier: " + message, *args)
        if hasattr(self, "ticking"):  # else the spider is not open yet: refuse_to_start closes it
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=reason))

    def refuse_to_start(self) -> None:
        raise CloseSpider(UNAVAILABLE)
