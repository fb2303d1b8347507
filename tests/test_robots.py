"""robots.txt judges every request, also those that wait while it downloads (crawler/middlewares/robots.py)."""

from __future__ import annotations

import asyncio

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.utils.test import get_crawler

from crawler.middlewares.robots import RobotsTxtMiddleware

SITE = "http://news.test"


class _Engine:
    """Hands out robots.txt once the test says the server has answered."""

    def __init__(self) -> None:
        self.answered = asyncio.Event()
        self.downloads: list[str] = []

    async def download_async(self, request: Request) -> TextResponse:
        self.downloads.append(request.url)
        await self.answered.wait()
        return TextResponse(request.url, body=b"User-agent: *\nDisallow: /drafts/\n", request=request)


def test_requests_waiting_for_robots_txt_are_all_judged_by_it() -> None:
    # A worker joining a shared crawl starts on queued URLs of any kind, all of them arriving
    # before its robots.txt is in.
    urls = [f"{SITE}/", f"{SITE}/drafts/one/", f"{SITE}/2025/05/12/story/", f"{SITE}/drafts/two/"]
    crawler = get_crawler(settings_dict={"ROBOTSTXT_OBEY": True})

    async def crawl() -> list[BaseException | None]:
        crawler.engine = engine = _Engine()  # type: ignore[assignment]
        middleware = RobotsTxtMiddleware.from_crawler(crawler)
        waiting = [asyncio.ensure_future(middleware.process_request(Request(url))) for url in urls]
        await asyncio.sleep(0.01)
        assert engine.downloads == [f"{SITE}/robots.txt"] and not any(request.done() for request in waiting)
        engine.answered.set()
        return await asyncio.gather(*waiting, return_exceptions=True)

    outcomes = dict(zip(urls, asyncio.run(crawl()), strict=True))
    refused = {url for url, outcome in outcomes.items() if isinstance(outcome, IgnoreRequest)}
    assert refused == {f"{SITE}/drafts/one/", f"{SITE}/drafts/two/"}
    assert all(outcomes[url] is None for url in set(urls) - refused)
    assert crawler.stats.get_value("robotstxt/forbidden") == 2
