"""What the shared frontier keeps in Redis besides scrapy-redis's own: leased requests, lastmod hints."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

import redis
from scrapy import Request, Spider
from scrapy_redis.queue import PriorityQueue

from crawler.ops.frontier import REDIS_AWAY
from crawler.ops.frontier.scripts import LEASE, PUSH_UNSEEN, TO_STORE


class LeasedPriorityQueue(PriorityQueue):
    """scrapy-redis's priority queue, whose pop leases the request to the worker instead of taking
    it out of Redis (scrapy-redis has no acknowledgement: its pop is a ZRANGE + ZREMRANGEBYRANK)."""

    leases: str = ""  # the worker's lease set, given by SharedScheduler.open
    unstored: str = ""  # and its set of requests whose article its store has yet to write

    def __init__(self, server: redis.Redis, spider: Spider, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        self._lease = server.register_script(LEASE)
        self._push_unseen = server.register_script(PUSH_UNSEEN)
        self._to_store = server.register_script(TO_STORE)

    def pop(self, timeout: int = 0) -> tuple[Request, bytes] | None:  # type: ignore[override]
        """The next request and its lease (the encoded request, to release it by)."""
        data = self._lease(keys=[self.key, self.leases])
        return (self._decode_request(data), data) if data else None

    def push_unseen(self, request: Request, fingerprint: str, dupefilter_key: str) -> bool:
        return bool(self._push_unseen(keys=[dupefilter_key, self.key],
                                      args=[fingerprint, -request.priority, self._encode_request(request)]))

    def to_store(self, lease: bytes) -> None:
        self._to_store(keys=[self.leases, self.unstored], args=[lease])

    def release(self, leases: list[bytes], stored: bool = False) -> None:
        """Done with these requests (``stored``: their articles written)."""
        if leases:
            self.server.zrem(self.unstored if stored else self.leases, *leases)


class RedisHints(MutableMapping[str, str]):
    """The spider's ``lastmod_hints`` (URL -> the date a sitemap or feed gave) in Redis, so that the
    worker that fetches an article knows what another worker's sitemap said of it. A hint only saves
    a download: while Redis does not answer, hints stay in this process (``local``), and a page's
    links are never lost to a hint that could not be written."""

    def __init__(self, server: redis.Redis, key: str) -> None:
        self.server, self.key = server, key
        self.local: dict[str, str] = {}

    def __getitem__(self, url: str) -> str:
        try:
            value = self.server.hget(self.key, url)
        except REDIS_AWAY:
            value = None
        if value is None:
            return self.local[url]
        return value.decode() if isinstance(value, bytes) else value

    def __setitem__(self, url: str, value: str) -> None:
        try:
            self.server.hset(self.key, url, value)
        except REDIS_AWAY:
            self.local[url] = value

    def __delitem__(self, url: str) -> None:
        try:
            removed = self.server.hdel(self.key, url)
        except REDIS_AWAY:
            removed = 0
        if not removed and self.local.pop(url, None) is None:
            raise KeyError(url)

    def pop(self, url: str, default: Any = None) -> Any:
        """The hint for ``url``, removed, in one round trip (IncrementalMiddleware pops every new article's)."""
        try:
            value, _ = self.server.pipeline().hget(self.key, url).hdel(self.key, url).execute()
        except REDIS_AWAY:
            value = None
        if value is None:
            return self.local.pop(url, default)
        return value.decode() if isinstance(value, bytes) else value

    def __iter__(self) -> Iterator[str]:
        return iter({key.decode() for key in self.server.hkeys(self.key)} | set(self.local))

    def __len__(self) -> int:
        return len(set(self))
