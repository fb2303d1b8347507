"""CompressedCharsetMiddleware: a compressed page whose Content-Type names no charset is decoded
once, from its decompressed text, and never charset-sniffed while still compressed."""

from __future__ import annotations

import gzip

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.http import HtmlResponse, TextResponse
from scrapy.utils.test import get_crawler

from crawler.middlewares.compressed_charset import CompressedCharsetMiddleware
from crawler.settings import DOWNLOADER_MIDDLEWARES

PAGE = "<html><head><title>Café on Mars</title></head><body><p>Señor rover’s déjà vu.</p></body></html>"


@pytest.fixture
def sniffed_bodies(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every body Scrapy runs charset detection over."""
    seen: list[bytes] = []
    original = TextResponse._body_inferred_encoding

    def spy(self: TextResponse) -> str:
        seen.append(self.body)
        return original(self)

    monkeypatch.setattr(TextResponse, "_body_inferred_encoding", spy)
    return seen


def downloaded(body: bytes, content_type: bytes, encoding: bytes = b"gzip") -> TextResponse:
    """The response the spider sees: both middlewares' process_response, in Scrapy's order."""
    request = Request("http://127.0.0.1/article")
    response = HtmlResponse(request.url, body=body, request=request,
                            headers={"Content-Type": content_type, "Content-Encoding": encoding})
    compression = HttpCompressionMiddleware.from_crawler(get_crawler())
    return compression.process_response(request, CompressedCharsetMiddleware().process_response(request, response))


def test_runs_before_http_compression() -> None:
    # process_response runs from the highest number down
    assert DOWNLOADER_MIDDLEWARES["crawler.middlewares.compressed_charset.CompressedCharsetMiddleware"] > 590


def test_undeclared_charset_is_detected_on_the_decompressed_text(sniffed_bodies: list[bytes]) -> None:
    raw = PAGE.encode()
    response = downloaded(gzip.compress(raw), b"text/html")
    assert isinstance(response, HtmlResponse)
    assert response.text == PAGE
    assert sniffed_bodies == [raw]


def test_charset_declared_in_the_page_needs_no_detection(sniffed_bodies: list[bytes]) -> None:
    page = PAGE.replace("<head>", '<head><meta charset="windows-1252">')
    response = downloaded(gzip.compress(page.encode("cp1252")), b"text/html")
    assert response.text == page
    assert sniffed_bodies == []


def test_declared_charset_is_left_to_scrapy(sniffed_bodies: list[bytes]) -> None:
    request = Request("http://127.0.0.1/article")
    response = HtmlResponse(request.url, body=gzip.compress(PAGE.encode()), request=request,
                            headers={"Content-Type": b"text/html; Charset=UTF-8", "Content-Encoding": b"gzip"})
    assert CompressedCharsetMiddleware().process_response(request, response) is response
    assert downloaded(gzip.compress(PAGE.encode()), b"text/html; charset=utf-8").text == PAGE
    assert sniffed_bodies == []


def test_uncompressed_response_passes_through() -> None:
    request = Request("http://127.0.0.1/article")
    response = HtmlResponse(request.url, body=PAGE.encode(), request=request, headers={"Content-Type": b"text/html"})
    assert CompressedCharsetMiddleware().process_response(request, response) is response
