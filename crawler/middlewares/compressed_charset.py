"""Keep Scrapy from guessing the charset of a still-compressed body.

A gzip/deflate/br response arrives as an HtmlResponse of compressed bytes. HttpCompressionMiddleware
decompresses it with ``response.replace(...)``, and ``replace`` reads every attribute of the old
response, ``encoding`` included. When the Content-Type names no charset (many news sites send a bare
``text/html``), that read runs w3lib's detection over the compressed bytes: a few milliseconds a
page, for an answer that is thrown away (Scrapy PR #8054).

This middleware runs just before HttpCompressionMiddleware (higher number, so its process_response
comes first) and hands it a plain ``Response`` with the same attributes, which has no encoding to
compute. HttpCompressionMiddleware then picks the response class from the decompressed body as it
always does, and the charset is detected once, on the real text, when the spider first reads it.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.http import Response, TextResponse
from w3lib.encoding import http_content_type_encoding


class CompressedCharsetMiddleware:
    def process_response(self, request: Request, response: Response) -> Response:
        if (
            isinstance(response, TextResponse)
            and response.headers.get(b"Content-Encoding")
            # the test TextResponse itself applies to the header
            and not http_content_type_encoding((response.headers.get(b"Content-Type") or b"").decode("latin-1"))
        ):
            return Response(**{name: getattr(response, name) for name in Response.attributes})
        return response
