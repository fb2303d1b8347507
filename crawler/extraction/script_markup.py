"""Article markup a page keeps in its scripts for the browser to render.

A page built with a script framework may ship its text not as markup but as data the framework
renders in the browser: Next.js streams its React Server Components payload in
``self.__next_f.push([1, "…"])`` calls, and Next.js, Nuxt and others put page data in
``<script type="application/json">``. A CMS's article body travels there as an HTML string. When
such a page shows less than its scripts hold, the body is read from those strings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from lxml.html import HtmlElement

_FLIGHT_PUSH = "self.__next_f.push("
# A payload row starts with its hex id and a colon; a text row ("T") gives its length in bytes, in hex.
_FLIGHT_ROW = re.compile(rb"([0-9a-f]*):(T([0-9a-f]+),)?")
_PARAGRAPH = re.compile(r"<p[\s>]", re.IGNORECASE)


def _flight_stream(scripts: list[HtmlElement]) -> bytes:
    """The Next.js payload: the text chunks of every push, joined (a row may span two pushes)."""
    chunks = []
    for script in scripts:
        code = (script.text or "").strip()
        if not code.startswith(_FLIGHT_PUSH):
            continue
        try:
            pushed = json.loads(code[len(_FLIGHT_PUSH):code.rindex(")")])
        except (ValueError, RecursionError):
            continue
        if isinstance(pushed, list) and len(pushed) == 2 and pushed[0] == 1 and isinstance(pushed[1], str):
            chunks.append(pushed[1])
    return "".join(chunks).encode("utf-8", "surrogatepass")  # a lone "\ud800" escape is no reason to fail


def _flight_values(stream: bytes) -> Iterator[Any]:
    """Each row's value: a text row as its string, any other row as parsed JSON where it parses."""
    position = 0
    while position < len(stream):
        row = _FLIGHT_ROW.match(stream, position)
        if row and row.group(2):  # text rows end by length, not by a newline
            end = row.end() + int(row.group(3), 16)
            yield stream[row.end():end].decode("utf-8", "replace")
            position = end
            continue
        end = stream.find(b"\n", position)
        end = len(stream) if end < 0 else end
        value = stream[row.end() if row else position:end]
        if value[:1] in (b"[", b"{", b'"'):
            try:
                yield json.loads(value)
            except (ValueError, RecursionError):
                pass
        position = end + 1


def _json_values(scripts: list[HtmlElement]) -> Iterator[Any]:
    for script in scripts:
        if (script.get("type") or "").strip().lower() == "application/json" and script.text:
            try:
                yield json.loads(script.text)
            except (ValueError, RecursionError):  # not JSON, or nested past what the parser follows
                continue


def _strings(value: Any) -> Iterator[str]:
    """Every string in a parsed JSON value, in document order (walked without recursion: nesting
    is the page's to choose)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def script_markup(scripts: list[HtmlElement]) -> str | None:
    """A document of the HTML strings with paragraphs that a page's ``scripts`` (its <script>
    elements) hold, each in its own <div>, in page order; None when they hold none."""
    stream = _flight_stream(scripts)
    values = [*(_flight_values(stream) if stream else ()), *_json_values(scripts)]
    fragments = dict.fromkeys(s for value in values for s in _strings(value) if _PARAGRAPH.search(s))
    if not fragments:
        return None
    return "<html><body>" + "".join(f"<div>{fragment}</div>" for fragment in fragments) + "</body></html>"
