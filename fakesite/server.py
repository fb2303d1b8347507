"""Serving a FakeSite on 127.0.0.1: pre-rendered bytes by path, WordPress's redirects, 404s,
conditional requests on article pages, and optional gzip and 503s."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from fakesite.layout import NOT_FOUND, Page, http_date
from fakesite.saved import SavedPagesSite
from fakesite.site import FakeSite


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a crawl opens many connections at once


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as crawlers expect
    site: FakeSite | SavedPagesSite

    def version_string(self) -> str:
        return "Apache"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass  # one line per request would flood test output and slow benchmarks

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        site = self.site
        hits = site.count_hit(self.path)
        page, moved_to = _route(site, self.path)
        if moved_to is not None:
            return self._send(301, [("Location", moved_to), ("Content-Type", "text/html; charset=UTF-8")], b"",
                              send_body)
        if page.fail_first and hits == 1:
            return self._send(503, [("Retry-After", "1"), ("Content-Type", "text/plain")], b"busy\n", send_body)
        headers = [("Content-Type", page.content_type)]
        if page.etag is not None and page.last_modified is not None:
            headers += [("ETag", page.etag), ("Last-Modified", http_date(page.last_modified))]
            if self._not_modified(page):
                return self._send(304, headers, b"", send_body)
        body = page.body
        if page.gzip_body is not None:
            headers.append(("Vary", "Accept-Encoding"))
            if "gzip" in self.headers.get("Accept-Encoding", ""):
                body = page.gzip_body
                headers.append(("Content-Encoding", "gzip"))
        if page.status == 200 and send_body:
            site.count_full_body(self.path)
        self._send(page.status, headers, body, send_body)

    def _not_modified(self, page: Page) -> bool:
        """RFC 9110 13.2.2: If-None-Match decides when present, else If-Modified-Since."""
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in tags or page.etag in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since is None or page.last_modified is None:
            return False
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False  # an unparsable date is ignored, as servers do
        return since.tzinfo is not None and page.last_modified.replace(microsecond=0) <= since

    def _send(self, status: int, headers: list[tuple[str, str]], body: bytes, send_body: bool) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and status != 304:
            self.wfile.write(body)


def _route(site: FakeSite | SavedPagesSite, target: str) -> tuple[Page, str | None]:
    """The page for a request target, or where it moved, as WordPress answers: ``/?p=ID`` moves
    to the post's permalink, a path missing its trailing slash gains it, queries are ignored."""
    parts = urlsplit(target)
    not_found = site.pages[NOT_FOUND]
    if parts.path == "/" and "p" in (query := parse_qs(parts.query)):
        post = site.posts_by_id.get(int(query["p"][0])) if query["p"][0].isdigit() else None
        return (not_found, None) if post is None else (site.page(post.path) or not_found, site.url(post.path))
    page = site.page(parts.path)
    if page is None and (slashed := site.page(parts.path + "/")) is not None:
        return slashed, site.url(parts.path + "/")
    return (not_found if page is None else page), None


@contextmanager
def serve(site: FakeSite | SavedPagesSite, port: int = 0, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``site`` in a background thread; yields its base URL (also ``site.base_url``).
    Port 0 picks a free one. Pages are rendered before the first request is accepted."""
    handler = type("FakeSiteHandler", (_Handler,), {"site": site})
    server = _Server((host, port), handler)
    try:
        site.bind(f"http://{host}:{server.server_address[1]}")
        # a short poll interval makes shutdown() quick; the cost is a few wake-ups a second
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="fakesite", daemon=True)
        thread.start()
        try:
            yield site.url("")
        finally:
            server.shutdown()
            thread.join()
    finally:
        server.server_close()
