"""Traps a crawl ends (redirect loops and endless chains, sitemap indexes nesting without end) are
said once per site at INFO, and counted."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.helpers import REPO

ARTICLE = "<html><head><title>Rocket lands</title></head><body><h1>Rocket lands</h1><p>" + "word " * 80 + "</p></body></html>"


class TrapHandler(BaseHTTPRequestHandler):
    """/feed/ links two redirect loops, two endless redirect chains and an article; /sitemap-N.xml
    is an index naming two deeper indexes, without end."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:
        base = f"http://{self.headers['Host']}"
        if self.path == "/feed/":
            links = ["/2024/01/01/loop-a/x/", "/2024/01/01/loop-b/x/", "/2024/01/01/chain-a/0/",
                     "/2024/01/01/chain-b/0/", "/2024/01/01/rocket-lands/"]
            items = "".join(f"<item><link>{base}{link}</link></item>" for link in links)
            return self.answer(200, f"<rss><channel>{items}</channel></rss>", "application/rss+xml")
        if match := re.fullmatch(r"/2024/01/01/loop-(\w)/(x|y)/", self.path):
            return self.answer(302, location=f"/2024/01/01/loop-{match[1]}/{'y' if match[2] == 'x' else 'x'}/")
        if match := re.fullmatch(r"/2024/01/01/chain-(\w)/(\d+)/", self.path):
            return self.answer(302, location=f"/2024/01/01/chain-{match[1]}/{int(match[2]) + 1}/")
        if match := re.fullmatch(r"/sitemap-(\d+)\.xml", self.path):
            depth = len(match[1])
            children = "".join(f"<sitemap><loc>{base}/sitemap-{match[1]}{n}.xml</loc></sitemap>" for n in (1, 2))
            return self.answer(200, f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                               f'sitemap/0.9">{children if depth < 12 else ""}</sitemapindex>', "application/xml")
        if self.path == "/2024/01/01/rocket-lands/":
            return self.answer(200, ARTICLE, "text/html; charset=utf-8")
        self.answer(404, "")

    def answer(self, status: int, body: str = "", kind: str = "text/plain", location: str | None = None) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def trap_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), TrapHandler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def test_each_kind_of_trap_is_one_info_line_per_site_and_counted(trap_site, tmp_path):
    sites = tmp_path / "sites.toml"
    sites.write_text(f'[[site]]\nname = "traps"\ndomains = ["127.0.0.1"]\nfeeds = ["{trap_site}/feed/"]\n'
                     f'sitemaps = ["{trap_site}/sitemap-1.xml"]\narticle_url = "/2024/"\n', encoding="utf-8")
    env = dict(os.environ, SPACECRAWL_SITES_FILE=str(sites), SPACECRAWL_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite'}")
    result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "traps", "-s", "DOWNLOAD_DELAY=0", "-s",
                             "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=INFO", "-s", "ROBOTSTXT_OBEY=False",
                             "-s", "REDIRECT_MAX_TIMES=5", "-s", "DEPTH_LIMIT=4", "-s", "SPACECRAWL_LISTING_DEPTH=0",
                             "-s", "STATS_DUMP=True", "-s", f"LOG_FILE={tmp_path / 'crawl.log'}"],  # a file keeps the stats dump
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    log = (tmp_path / "crawl.log").read_text(encoding="utf-8")
    assert result.returncode == 0, result.stderr[-2000:] + log[-2000:]
    lines = {kind: [line for line in log.splitlines() if f"spacecrawl/traps/{kind}," in line]
             for kind in ("redirect_loop", "redirect_limit", "sitemap_depth")}
    assert {kind: len(found) for kind, found in lines.items()} == {
        "redirect_loop": 1, "redirect_limit": 1, "sitemap_depth": 1}
    assert all(" INFO: traps: " in found[0] for found in lines.values())
    assert "/2024/01/01/loop-" in lines["redirect_loop"][0] and "REDIRECT_MAX_TIMES=5" in lines["redirect_limit"][0]
    assert "DEPTH_LIMIT=4" in lines["sitemap_depth"][0]
    counted = dict(re.findall(r"'spacecrawl/traps/(\w+)': (\d+)", log))
    assert int(counted["redirect_loop"]) == 2 and int(counted["redirect_limit"]) == 2
    assert int(counted["sitemap_depth"]) > 1  # every index at the limit, said once
    assert "'item_scraped_count': 1" in log  # the one real article is still stored


def test_links_cut_at_the_depth_limit_outside_sitemaps_are_said_once(caplog):
    from scrapy.http import HtmlResponse, Request
    from scrapy.utils.test import get_crawler

    from crawler.middlewares.traps import DEPTH_IGNORED_STAT, DepthTrapMiddleware
    from crawler.ops.run_stats import TRAPS_PREFIX

    caplog.set_level("INFO")
    crawler = get_crawler(settings_dict={"DEPTH_LIMIT": 3})
    middleware = DepthTrapMiddleware.from_crawler(crawler)
    for number in range(3):
        url = f"https://news.example/page/{number}/"
        response = HtmlResponse(url, body=b"<a href='/x/'>x</a>", request=Request(url))
        crawler.stats.inc_value(DEPTH_IGNORED_STAT)  # as Scrapy's DepthMiddleware counts a link it cuts
        assert list(middleware.process_spider_output(response, ["output"])) == ["output"]
    assert crawler.stats.get_value(TRAPS_PREFIX + "depth_limit") == 3
    [line] = [r.getMessage() for r in caplog.records if r.name == "crawler.middlewares.traps"]
    assert "links on https://news.example/page/0/ are deeper than DEPTH_LIMIT=3" in line
