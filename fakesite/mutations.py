"""Pages broken the ways the web breaks them, for the fuzz test and `python -m benchmarks.fuzz`.

``mutated_pages(pages, count, seed)`` turns well-formed pages into ``count`` broken ones, the same
for the same seed: cut short, bytes flipped, tags torn or left open, nested thousands deep,
attributes huge or many, text in an encoding other than the declared one, links and dates that no
parser reads, entities that never end. Each mutant keeps the address its page came from, so
extraction sees a broken page at a plausible URL, as a crawl would.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from random import Random

from fakesite.site import FakeSite


@dataclass(frozen=True)
class Mutant:
    name: str  # "<source>#<number>:<mutations>", enough to rebuild it with the same seed
    url: str
    body: bytes


# Addresses that URL parsers refuse or read as something else than a web address.
BROKEN_URLS = (
    "https://[example.com/a", "http://exa<mple.com/a", "http://example.com:port/a", "http://example.com:99999/",
    "http://[::1/", "http://ex ample.com/", "https://%zz%/x", "//", "http://", "javascript:alert(1)",
    "data:text/html,<h1>x</h1>", "http://user:pa@ss@example.com/", "http://\u200b.com/", "http://exa\x00mple.com/",
    "http://" + "a" * 300 + ".com/", "http://example.com/" + "%" * 50, "ht!tp://x", "http://例え.テスト/記事",
)
# Values dates are read from that no date parser reads as written.
BROKEN_DATES = ("2024-13-45T99:99:99+25:00", "0000-00-00", "yesterday-ish", "9999999999", "2024-02-30", "",
                "T", "-1", "2024-03-03T10:15:00+0", "March 45, 20245 at 99:99 pm ET", "1/2/3/4/5")
_URL_ATTRIBUTE = re.compile(rb"""((?:href|src|content|datetime|srcset|action)\s*=\s*["'])([^"']*)(["'])""", re.I)
_JSON_STRING = re.compile(rb'("(?:url|@id|datePublished|dateModified|image|headline|author|name)"\s*:\s*)"[^"]*"')
_TAG = re.compile(rb"<[a-zA-Z/!][^<>]{0,200}>")


def _truncate(rng: Random, page: bytes) -> bytes:
    return page[:rng.randrange(len(page) + 1)]


def _flip_bytes(rng: Random, page: bytes) -> bytes:
    data = bytearray(page)
    for _ in range(rng.choice((1, 10, 200))):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def _tag_soup(rng: Random, page: bytes) -> bytes:
    """Tags torn open, dropped, doubled or swapped, and stray brackets."""
    tags = list(_TAG.finditer(page))
    pieces, last = [], 0
    for match in tags:
        pieces.append(page[last:match.start()])
        tag, roll = match.group(), rng.random()
        if roll < 0.05:
            tag = tag[:-1]  # never closed: the next tag runs into it
        elif roll < 0.1:
            tag = b""
        elif roll < 0.13:
            tag = tag * 2
        elif roll < 0.16:
            tag = rng.choice(tags).group()
        elif roll < 0.18:
            tag = rng.choice((b"<", b">", b"</", b"<!--", b"<![CDATA[", b"<?", b"&", b"&#", b"&#x110000;"))
        pieces.append(tag)
        last = match.end()
    pieces.append(page[last:])
    return b"".join(pieces)


def _deep_nesting(rng: Random, page: bytes) -> bytes:
    depth = rng.choice((300, 3000, 20000))
    tag = rng.choice((b"div", b"span", b"b", b"table", b"li", b"article", b"time"))
    nest = (b"<" + tag + b">") * depth + b"deep text"
    at = rng.randrange(len(page) + 1)
    return page[:at] + nest + (b"</" + tag + b">") * rng.choice((0, depth)) + page[at:]


def _huge_attributes(rng: Random, page: bytes) -> bytes:
    if rng.random() < 0.5:
        attributes = b" ".join(b'data-x%d="%d"' % (n, n) for n in range(rng.choice((100, 2000))))
    else:
        attributes = b'class="' + b"x " * rng.choice((10_000, 200_000)) + b'"'
    element = rng.choice((b"div", b"time", b"meta", b"a", b"link", b"p"))
    tag = b"<" + element + b" " + attributes + b">text</" + element + b">"
    at = rng.randrange(len(page) + 1)
    return page[:at] + tag + page[at:]


def _bad_encoding(rng: Random, page: bytes) -> bytes:
    text = page.decode("utf-8", errors="replace")
    choice = rng.randrange(6)
    if choice == 0:
        return text.encode("utf-16")  # declared UTF-8, sent as UTF-16
    if choice == 1:
        return text.encode("cp1252", errors="replace").replace(b"utf-8", b"UTF-8").replace(b"UTF-8", b"shift_jis")
    if choice == 2:
        return re.sub(rb"charset=[\"']?[\w-]+", b"charset=no-such-codec", page, flags=re.I)
    if choice == 3:
        return page.replace(b" ", b"\x00 ", rng.randrange(1, 500))
    if choice == 4:  # a lone surrogate's bytes and overlong forms UTF-8 forbids
        at = rng.randrange(len(page) + 1)
        return page[:at] + b"\xed\xa0\x80\xc0\xaf\xf8\x88\x80\x80\x80" * 20 + page[at:]
    return b"\xef\xbb\xbf\xff\xfe" + page  # two byte-order marks that disagree


def _broken_urls(rng: Random, page: bytes) -> bytes:
    def broken(match: re.Match[bytes]) -> bytes:
        if rng.random() > 0.3:
            return match.group()
        value = rng.choice(BROKEN_URLS + BROKEN_DATES).encode("utf-8")
        return match.group(1) + value + match.group(3)

    def broken_json(match: re.Match[bytes]) -> bytes:
        value = rng.choice(BROKEN_URLS + BROKEN_DATES).encode("unicode_escape").replace(b'"', b'\\"')
        return match.group(1) + b'"' + value + b'"' if rng.random() < 0.5 else match.group(1) + b"[]"

    page = _URL_ATTRIBUTE.sub(broken, page)
    page = _JSON_STRING.sub(broken_json, page)
    canonical = rng.choice(BROKEN_URLS).encode("utf-8")
    return page.replace(b"<head>", b'<head><link rel="canonical" href="' + canonical + b'">', 1)


def _endless_entities(rng: Random, page: bytes) -> bytes:
    """Entities without their ';', numeric ones out of range, and a DOCTYPE's internal subset."""
    junk = rng.choice((b"&amp" * 2000, b"&#99999999999;" * 100, b"&#xD800;" * 100, b"&nosuchentity;" * 500,
                       b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>&b;'))
    at = rng.randrange(len(page) + 1)
    return page[:at] + junk + page[at:]


MUTATIONS: dict[str, Callable[[Random, bytes], bytes]] = {
    "truncate": _truncate, "flip_bytes": _flip_bytes, "tag_soup": _tag_soup, "deep_nesting": _deep_nesting,
    "huge_attributes": _huge_attributes, "bad_encoding": _bad_encoding, "broken_urls": _broken_urls,
    "endless_entities": _endless_entities,
}


def mutated_pages(pages: Sequence[tuple[str, str, bytes]], count: int, seed: int = 0) -> Iterator[Mutant]:
    """``count`` mutants of ``pages`` (name, url, bytes), taken in turn; each gets one to three
    mutations, in an order drawn from ``seed``."""
    if not pages:
        return
    rng = Random(seed)
    names = sorted(MUTATIONS)
    for number in range(count):
        source, url, body = pages[number % len(pages)]
        chosen = rng.sample(names, rng.choice((1, 1, 2, 3)))
        for name in chosen:
            body = MUTATIONS[name](rng, body)
        yield Mutant(f"{source}#{number}:{'+'.join(chosen)}", url, body)


def site_pages(site: FakeSite, base_url: str = "http://127.0.0.1:8000") -> list[tuple[str, str, bytes]]:
    """The fake site's HTML pages (articles, listings, the rest) as (name, url, bytes), rendered
    for ``base_url`` without serving them."""
    site.bind(base_url)
    return [(f"fakesite{path}", site.url(path), page.body) for path, page in sorted(site.pages.items())
            if page.content_type.startswith("text/html")]


def saved_pages(folder: Path) -> list[tuple[str, str, bytes]]:
    """Saved pages ``folder/<site>/<page>.html`` as (name, url, bytes); the address is the one the
    page's ``.json`` beside it records, else a made-up one on the site's name."""
    pages = []
    for html in sorted(folder.glob("*/*.html")):
        record = html.with_suffix(".json")
        url = json.loads(record.read_text(encoding="utf-8")).get("url") if record.exists() else None
        pages.append((str(html.relative_to(folder)), url or f"https://{html.parent.name}.example/{html.stem}/",
                      html.read_bytes()))
    return pages
