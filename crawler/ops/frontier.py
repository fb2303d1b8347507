"""One crawl of a site shared by many worker processes: its requests and its dupefilter in Redis.

``SPACECRAWL_REDIS_URL`` (a setting or the environment) switches it on, here and nowhere else: the
``RedisFrontier`` add-on then gives every `scrapy crawl SITE`, `crawlall` or Scrapyd job,
on this machine or any other, scrapy-redis's scheduler, priority queue and dupefilter, under keys
``<SPACECRAWL_REDIS_KEY_PREFIX>:<site>:…``. Each page is fetched once, by whichever worker is free.
Unset, the add-on switches itself off and Scrapy's own scheduler runs (crawler/ops/disk_queue.py).

scrapy-redis pops a request out of Redis before it is fetched, so a worker killed with SIGKILL
would take the requests it was working on with it, and the pages behind them (their URLs are in
the dupefilter: no other worker would fetch them). Here a request is not popped but *leased*: in
one step it moves from the queue to the worker's lease set (``…:leases:<worker>``), and leaves that
set only when Scrapy is done with it (its response parsed, its links queued, a failure given up
on) and its article, if any, is written to the store. A worker proves it is alive with a key
that expires after ``SPACECRAWL_REDIS_WORKER_TIMEOUT_SECONDS``; the leases of a worker whose key
has expired go back into the queue, taken by the first live worker that looks (every few seconds,
when one starts, and whenever one runs out of work). Nothing is lost; at worst a page is fetched
twice, and stored once (the store upserts).

A crawl's life: the first worker to start a site's crawl starts it afresh (the queue, dupefilter
and seen articles of an older crawl cleared); workers started while it runs join it, and their
start requests (feeds, sitemaps, listing pages) are dropped by the shared dupefilter, so the site
is seeded once. A worker that runs out of requests waits while any other holds leases (its pages
may add more) and stops when the queue and every lease set are empty; the last one to stop ends
the crawl, clearing its keys. A crawl stopped (Ctrl-C, a limit, Redis away) keeps its keys: the
same command resumes it.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import time
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any, TypeVar
from urllib.parse import urlsplit

import redis
from itemadapter import ItemAdapter
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider, NotConfigured
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis import connection
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

from crawler.ops.run_stats import CRAWL_ENDED, CRAWL_ID, CRAWL_STARTED, CRAWL_WORKER
from crawler.ops.signals import articles_written

logger = logging.getLogger(__name__)
T = TypeVar("T")

# What a worker that cannot reach Redis says it is, as its run's status (exit 1: the run failed).
UNAVAILABLE = "redis_unavailable"

# --- Redis scripts: each runs atomically on the server -------------------------------------------
# A request moves from the queue to the worker's leases in one step: no kill can fall in between.
LEASE = """
local popped = redis.call('ZPOPMIN', KEYS[1])
if #popped == 0 then return false end
redis.call('ZADD', KEYS[2], popped[2], popped[1])
return popped[1]
"""
# scrapy-redis's dupefilter check and queue push, as one step: a kill between them would leave a
# URL seen and never queued.
PUSH_UNSEEN = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""
# The leases of a worker whose alive key has expired go back into the queue (at their priority).
RECLAIM = """
if redis.call('EXISTS', KEYS[4]) == 1 then return -1 end
local n = redis.call('ZCARD', KEYS[2])
if n > 0 then redis.call('ZUNIONSTORE', KEYS[1], 2, KEYS[1], KEYS[2], 'AGGREGATE', 'MIN') end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
return n
"""
# A worker joins the site's crawl, or, when none runs, starts a new one on cleared keys.
JOIN = """
local started = 0
if redis.call('EXISTS', KEYS[1]) == 0 then
  for _, worker in ipairs(redis.call('SMEMBERS', KEYS[2])) do redis.call('DEL', ARGV[4] .. worker) end
  for i = 2, #KEYS do redis.call('DEL', KEYS[i]) end
  redis.call('HSET', KEYS[1], 'id', ARGV[1], 'started', ARGV[2])
  started = 1
end
redis.call('SADD', KEYS[2], ARGV[3])
return {started, redis.call('HGET', KEYS[1], 'id'), redis.call('HGET', KEYS[1], 'started')}
"""
# A worker leaves the crawl, its leases settled; the last one out of a finished crawl (queue empty,
# no other worker, so no leases) ends it.
LEAVE = """
redis.call('SREM', KEYS[2], ARGV[1])
redis.call('DEL', ARGV[2] .. ARGV[1], ARGV[4] .. ARGV[1])
if ARGV[3] ~= 'finished' or redis.call('SCARD', KEYS[2]) > 0 or redis.call('ZCARD', KEYS[3]) > 0 then
  return 0
end
for i = 1, #KEYS do redis.call('DEL', KEYS[i]) end
return 1
"""


class FrontierKeys:
    """The Redis keys of one site's shared crawl, all under ``<prefix>:<site>:``."""

    def __init__(self, prefix: str, site: str) -> None:
        self.base = f"{prefix}:{site}"
        self.crawl = f"{self.base}:crawl"  # hash: id, started
        self.workers = f"{self.base}:workers"  # set of worker ids
        self.requests = f"{self.base}:requests"  # scrapy-redis's priority queue (sorted set)
        self.dupefilter = f"{self.base}:dupefilter"  # scrapy-redis's request fingerprints (set)
        self.lastmod = f"{self.base}:lastmod"  # hash: article URL -> the sitemap's or feed's date
        self.leases_of = f"{self.base}:leases:"  # + worker id: its leased requests (sorted set)
        self.alive_of = f"{self.base}:alive:"  # + worker id: expires when the worker stops answering

    def seen(self, kind: str) -> str:
        """Hash of what pipelines/deduplicate.py has seen this crawl ("urls", "contents")."""
        return f"{self.base}:seen:{kind}"

    def of_crawl(self) -> list[str]:
        """Every key the crawl keeps, cleared when a new crawl starts and when it ends."""
        return [self.crawl, self.workers, self.requests, self.dupefilter, self.lastmod,
                self.seen("urls"), self.seen("contents")]


def frontier_keys(settings: BaseSettings, site: str) -> FrontierKeys:
    return FrontierKeys(settings.get("SPACECRAWL_REDIS_KEY_PREFIX"), site)


def display_redis_url(url: str) -> str:
    """The server a Redis URL names, without the password it may hold."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or 6379}{parts.path}" if parts.hostname else parts.scheme


def redis_client(settings: BaseSettings) -> redis.Redis:
    """A client for SPACECRAWL_REDIS_URL, made as scrapy-redis makes its own (REDIS_URL, REDIS_PARAMS)."""
    return connection.get_redis_from_settings(settings)


PRIORITY = "project"


class RedisFrontier:
    """The add-on (Scrapy's ``ADDONS``) that turns the shared crawl on when SPACECRAWL_REDIS_URL is set."""

    def update_settings(self, settings: BaseSettings) -> None:
        # At the project's priority, not Scrapy's "addon" one below it: crawler/settings.py names a
        # scheduler of its own (disk_queue), which this replaces. -s on the command line still wins.
        url = settings.get("SPACECRAWL_REDIS_URL")
        if not url:
            raise NotConfigured  # silently: the usual one-process crawl
        settings.set("REDIS_URL", url, priority=PRIORITY)
        # bytes in and out, as scrapy-redis's queue pickles requests
        settings.set("REDIS_PARAMS", {"socket_timeout": 30, "socket_connect_timeout": 10}, priority=PRIORITY)
        settings.set("SCHEDULER", f"{__name__}.SharedScheduler", priority=PRIORITY)
        settings.set("SCHEDULER_QUEUE_CLASS", f"{__name__}.LeasedPriorityQueue", priority=PRIORITY)
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", priority=PRIORITY)
        prefix = settings.get("SPACECRAWL_REDIS_KEY_PREFIX")
        settings.set("SCHEDULER_QUEUE_KEY", f"{prefix}:%(spider)s:requests", priority=PRIORITY)
        settings.set("SCHEDULER_DUPEFILTER_KEY", f"{prefix}:%(spider)s:dupefilter", priority=PRIORITY)
        # The crawl's keys outlive a worker: this module clears them when the crawl ends.
        settings.set("SCHEDULER_PERSIST", True, priority=PRIORITY)


class LeasedPriorityQueue(PriorityQueue):
    """scrapy-redis's priority queue, whose pop leases the request to the worker instead of taking
    it out of Redis (scrapy-redis has no acknowledgement: its pop is a ZRANGE + ZREMRANGEBYRANK)."""

    leases: str = ""  # the worker's lease set, given by SharedScheduler.open

    def __init__(self, server: redis.Redis, spider: Spider, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        self._lease = server.register_script(LEASE)
        self._push_unseen = server.register_script(PUSH_UNSEEN)

    def pop(self, timeout: int = 0) -> tuple[Request, bytes] | None:  # type: ignore[override]
        """The next request and its lease (the encoded request, to release it by)."""
        data = self._lease(keys=[self.key, self.leases])
        return (self._decode_request(data), data) if data else None

    def push_unseen(self, request: Request, fingerprint: str, dupefilter_key: str) -> bool:
        return bool(self._push_unseen(keys=[dupefilter_key, self.key],
                                      args=[fingerprint, -request.priority, self._encode_request(request)]))

    def release(self, leases: list[bytes]) -> None:
        if leases:
            self.server.zrem(self.leases, *leases)


class RedisHints(MutableMapping[str, str]):
    """The spider's ``lastmod_hints`` (URL -> the date a sitemap or feed gave) in Redis, so that the
    worker that fetches an article knows what another worker's sitemap said of it."""

    def __init__(self, server: redis.Redis, key: str) -> None:
        self.server, self.key = server, key

    def __getitem__(self, url: str) -> str:
        value = self.server.hget(self.key, url)
        if value is None:
            raise KeyError(url)
        return value.decode() if isinstance(value, bytes) else value

    def __setitem__(self, url: str, value: str) -> None:
        self.server.hset(self.key, url, value)

    def __delitem__(self, url: str) -> None:
        if not self.server.hdel(self.key, url):
            raise KeyError(url)

    def __iter__(self) -> Iterator[str]:
        return (key.decode() for key in self.server.hkeys(self.key))

    def __len__(self) -> int:
        return self.server.hlen(self.key)


class FrontierUnavailable(Exception):
    """Redis did not answer within SPACECRAWL_REDIS_WAIT_SECONDS."""


class SharedScheduler(Scheduler):
    """scrapy-redis's scheduler, with leases, the crawl's life and patience with Redis added (see
    the module's docstring). scrapy-redis 0.9.1 also passes ``spider=`` to the stats, which Scrapy
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
        scheduler.redis_url = display_redis_url(settings["REDIS_URL"])
        return scheduler

    # --- opening and closing ----------------------------------------------------------------

    def open(self, spider: Spider) -> None:
        self.keys = frontier_keys(self.crawler.settings, spider.name)
        self.leased: dict[Request, bytes] = {}  # request -> its lease, until Scrapy is done with it
        self.awaiting_store: dict[str, bytes] = {}  # article's fetched URL -> lease, until written
        self.unavailable = False
        try:
            self.patiently(lambda: self.server.ping())
        except FrontierUnavailable:
            self.give_up()
            # Closed once open: Scrapy cannot close a spider whose scheduler fails to open cleanly.
            self.crawler.signals.connect(self.refuse_to_start, signal=signals.spider_opened)
            return
        super().open(spider)
        self.queue.leases = self.keys.leases_of + self.worker
        self._reclaim = self.server.register_script(RECLAIM)
        started, crawl_id, started_at = self.server.register_script(JOIN)(
            keys=self.keys.of_crawl(), args=[f"{spider.name}-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}"
                                             f"-{secrets.token_hex(3)}", time.time(), self.worker,
                                             self.keys.leases_of])
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
                                   args=[self.worker, self.keys.alive_of, reason, self.keys.leases_of])
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
            self.awaiting_store[fetched_url] = self.leased.pop(request)

    def articles_written(self, fetched_urls: list[str]) -> None:
        done = [lease for url in fetched_urls if (lease := self.awaiting_store.pop(url, None)) is not None]
        self.quietly(self.queue.release, done)

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
        self.server.set(self.keys.alive_of + self.worker, self.crawl_id, ex=self.timeout)

    def reclaim(self) -> int:
        """Put back into the queue the leases of registered workers whose alive key has expired."""
        taken = 0
        for member in self.server.smembers(self.keys.workers):
            worker = member.decode() if isinstance(member, bytes) else member
            if worker == self.worker:
                continue
            n = self._reclaim(keys=[self.keys.requests, self.keys.leases_of + worker, self.keys.workers,
                                    self.keys.alive_of + worker], args=[worker])
            if n > 0:
                logger.warning("frontier: worker %s stopped answering; its %d unfinished requests are back "
                               "in the queue", worker, n)
            taken += max(n, 0)
        return taken

    def spider_idle(self) -> None:
        """Out of requests: stay while the crawl may still bring more (see the module's docstring)."""
        if self.unavailable:
            return
        try:
            self.settle(everything=True)
            self.patiently(self.reclaim)
            busy = self.awaiting_store or len(self.queue) or any(
                self.server.zcard(self.keys.leases_of + (w.decode() if isinstance(w, bytes) else w))
                for w in self.server.smembers(self.keys.workers))
        except FrontierUnavailable:
            self.give_up()
            return
        if busy:
            raise DontCloseSpider

    # --- Redis away --------------------------------------------------------------------------

    def patiently(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``call(...)``, waiting up to SPACECRAWL_REDIS_WAIT_SECONDS for a Redis that does not answer
        (restarting, the network away). The worker stands still meanwhile: it cannot take or queue
        requests without Redis."""
        deadline = time.monotonic() + self.wait_seconds
        waiting_since = None
        while True:
            try:
                result = call(*args, **kwargs)
            except (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError) as error:
                if waiting_since is None:
                    waiting_since = time.monotonic()
                    logger.warning("frontier: Redis at %s does not answer (%s); waiting up to %g s",
                                   self.redis_url, str(error).splitlines()[0], self.wait_seconds)
                if time.monotonic() >= deadline:
                    raise FrontierUnavailable(str(error)) from None
                time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))
                continue
            if waiting_since is not None:
                logger.warning("frontier: Redis answers again, after %.0f s", time.monotonic() - waiting_since)
            return result

    def quietly(self, call: Callable[..., Any], *args: Any) -> None:
        """Bookkeeping that can wait for the next tick if Redis does not answer now."""
        try:
            call(*args)
        except (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError):
            pass

    def give_up(self) -> None:
        if self.unavailable:
            return
        first = not hasattr(self, "ticking")
        self.unavailable = True
        logger.error("frontier: Redis at %s did not answer for %g s; stopping this worker (%s): %s", self.redis_url,
                     self.wait_seconds, UNAVAILABLE, "nothing was crawled" if first else
                     "its unfinished requests stay in Redis, and the same command resumes the crawl once Redis is back")
        if not first:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=UNAVAILABLE))

    def refuse_to_start(self) -> None:
        raise CloseSpider(UNAVAILABLE)
