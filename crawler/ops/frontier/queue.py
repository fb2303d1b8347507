"""What the shared frontier keeps in Redis besides scrapy-redis's own: leased requests, lastmod hints."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

import redis
from scrapy import Request, Spider
from scrapy_redis.queue import PriorityQueue

from crawler.ops.frontier.scripts import LEASE, PUSH_UNSEEN


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
