"""One crawl of a site shared by many worker processes: its requests and its dupefilter in Redis.

``SPACECRAWL_REDIS_URL`` (a setting or the environment) switches it on, here and nowhere else: the
``RedisFrontier`` add-on then gives every `scrapy crawl SITE`, `crawlall` or Scrapyd job,
on this machine or any other, scrapy-redis's scheduler, priority queue and dupefilter, under keys
``<SPACECRAWL_REDIS_KEY_PREFIX>:<site>:…``. Each page is fetched once, by whichever worker is free.
Unset, the add-on switches itself off and Scrapy's own scheduler runs (crawler/ops/disk_queue.py).

scrapy-redis pops a request out of Redis before it is fetched, so a worker killed with SIGKILL
would take the requests it was working on with it, and the pages behind them (their URLs are in
the dupefilter: no other worker would fetch them). Here a request is not popped but *leased*: in
one step it moves from the queue to the worker's lease set (``…:leases:<worker>``); when Scrapy is
done with it (its response parsed, its links queued, a failure given up on) it leaves the set, or,
if its article went to the store, moves to the worker's unstored set (``…:unstored:<worker>``)
until the store has written the article. A worker proves it is alive with a key that expires
after ``SPACECRAWL_REDIS_WORKER_TIMEOUT_SECONDS``; both sets of a worker whose key has expired go
back into the queue, taken by the first live worker that looks (every few seconds, when one
starts, and whenever one runs out of work). Nothing is lost; at worst a page is fetched twice, and
stored once (the store upserts).

A crawl's life: the first worker to start a site's crawl starts it afresh (the queue, dupefilter
and seen articles of an older crawl cleared); workers started while it runs join it, and their
start requests (feeds, sitemaps, listing pages) are dropped by the shared dupefilter, so the site
is seeded once. A worker that runs out of requests waits while any other holds leases (its pages
may add more) and stops when the queue and every lease set are empty (its own unstored articles
are its store's to write or set aside); the last one to stop ends the crawl, clearing its keys.
A crawl stopped (Ctrl-C, a limit, Redis away) keeps its keys: the same command resumes it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import redis
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings
from scrapy_redis import connection


# What a Redis that does not answer raises (restarting, the network away).
REDIS_AWAY = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError)


class FrontierKeys:
    """The Redis keys of one site's shared crawl, all under ``<prefix>:<site>:``."""

    def __init__(self, prefix: str, site: str) -> None:
        self.base = f"{prefix}:{site}"
        self.crawl = f"{self.base}:crawl"  # hash: id, started
        self.workers = f"{self.base}:workers"  # set of worker ids
        self.requests = f"{self.base}:requests"  # scrapy-redis's priority queue (sorted set)
        self.dupefilter = f"{self.base}:dupefilter"  # scrapy-redis's request fingerprints (set)
        self.lastmod = f"{self.base}:lastmod"  # hash: article URL -> the sitemap's or feed's date
        self.leases_of = f"{self.base}:leases:"  # + worker id: requests it works on (sorted set)
        self.unstored_of = f"{self.base}:unstored:"  # + worker id: those whose article its store has yet to write
        self.alive_of = f"{self.base}:alive:"  # + worker id: expires when the worker stops answering

    def seen(self, kind: str) -> str:
        """Hash of what pipelines/deduplicate.py has seen this crawl ("urls", "contents")."""
        return f"{self.base}:seen:{kind}"

    def of_worker(self, worker: str) -> list[str]:
        """The worker's alive key and request sets."""
        return [self.alive_of + worker, self.leases_of + worker, self.unstored_of + worker]

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


def is_shared(settings: BaseSettings) -> bool:
    """Whether crawls share their work through Redis: SPACECRAWL_REDIS_URL is set, and the crawl
    stores (a debugging command — `scrapy fetch`, `parse`, `shell` — runs without the store, and
    must not join a crawl of its site)."""
    return bool(settings.get("SPACECRAWL_REDIS_URL")) and settings.getbool("SPACECRAWL_STORE_ENABLED", True)


def redis_client(settings: BaseSettings) -> redis.Redis:
    """A client for SPACECRAWL_REDIS_URL, made as scrapy-redis makes its own (REDIS_URL, REDIS_PARAMS)."""
    return connection.get_redis_from_settings(settings)


# The add-on's settings go in at the project's priority, not Scrapy's "addon" one below it:
# crawler/settings.py names a scheduler of its own (disk_queue), which they replace. -s still wins.
PRIORITY = "project"


class RedisFrontier:
    """The add-on (Scrapy's ``ADDONS``) that turns the shared crawl on when SPACECRAWL_REDIS_URL is set."""

    def update_settings(self, settings: BaseSettings) -> None:
        if not is_shared(settings):
            raise NotConfigured  # silently
        settings.set("REDIS_URL", settings["SPACECRAWL_REDIS_URL"], priority=PRIORITY)
        settings.set("SCHEDULER", f"{__name__}.scheduler.SharedScheduler", priority=PRIORITY)
        settings.set("SCHEDULER_QUEUE_CLASS", f"{__name__}.queue.LeasedPriorityQueue", priority=PRIORITY)
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", priority=PRIORITY)
        prefix = settings.get("SPACECRAWL_REDIS_KEY_PREFIX")
        settings.set("SCHEDULER_QUEUE_KEY", f"{prefix}:%(spider)s:requests", priority=PRIORITY)
        settings.set("SCHEDULER_DUPEFILTER_KEY", f"{prefix}:%(spider)s:dupefilter", priority=PRIORITY)
        # The crawl's keys outlive a worker: the scheduler clears them when the crawl ends.
        settings.set("SCHEDULER_PERSIST", True, priority=PRIORITY)
