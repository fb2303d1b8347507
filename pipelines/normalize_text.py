"""Normalize text: repair what went wrong between the publisher's database and our item.

Mojibake, HTML entities left in text, decomposed Unicode, invisible characters and ragged
whitespace, on every text field; bylines split into clean names; tags without repeats.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import ftfy
from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from crawler.text.bylines import split_byline

# ftfy costs ~0.2 ms on a clean 5 kB body, so it runs only where this cheap signature of mojibake
# shows: a UTF-8 lead byte read as Latin-1/cp1252 followed by a continuation byte read the same
# way, or a C1 control (cp1252 punctuation decoded as Latin-1). ftfy then decides what to fix.
# (One leading character class, not an alternation: re scans it three times faster.)
CONTINUATION_AS_CP1252 = ("\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039"
                          "\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a"
                          "\u0153\u017e\u0178")
MOJIBAKE_SIGNATURE = re.compile(f"[\u00c2-\u00f4\u0080-\u009f](?:(?<=[\u0080-\u009f])|[{CONTINUATION_AS_CP1252}])")
# Only the encoding repairs: quotes stay curly, full-width (CJK) forms and ligatures stay as written.
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False, uncurl_quotes=False, fix_character_width=False, fix_latin_ligatures=False,
    fix_line_breaks=False, normalization="NFC", explain=False,
)
HTML_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\u0085": "\n", "\u2028": "\n", "\u2029": "\n\n"}  # in this order
# Invisible characters that carry nothing in stored text: C0/C1 controls (but tab, newline, and
# vertical tab and form feed, which are spaces), zero-width space, word joiner, BOM, soft hyphen,
# bidi marks and embeddings. ZWJ/ZWNJ stay: they shape emoji and Indic/Persian script.
INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u180e\u200b\u200e\u200f\u2060\ufeff"
                       "\u202a-\u202e\u2066-\u2069]")
BLANK_LINES = re.compile(r"\n\n\n+")  # not \n{3,}: a literal prefix is ten times faster to find


def clean_text(text: str, *, multiline: bool) -> str:
    """``text`` repaired and tidied; ``multiline`` keeps lines and paragraph breaks (one blank line
    between paragraphs), otherwise all whitespace becomes single spaces."""
    if "&" in text and HTML_ENTITY.search(text):
        text = html.unescape(html.unescape(text))  # twice: "&amp;#8217;" is common
    if MOJIBAKE_SIGNATURE.search(text):
        text = ftfy.fix_text(text, FTFY_CONFIG)
    text = unicodedata.normalize("NFC", text)
    for line_break, newline in LINE_BREAKS.items():
        if line_break in text:
            text = text.replace(line_break, newline)
    text = INVISIBLE.sub("", text)
    # str.split() splits on every Unicode space (tab, nbsp, thin, ideographic), and strips.
    if not multiline:
        return " ".join(text.split())
    return BLANK_LINES.sub("\n\n", "\n".join(" ".join(line.split()) for line in text.split("\n"))).strip()


def unique(values: Iterable[str]) -> list[str]:
    """Non-empty ``values`` without case-insensitive repeats, first spelling and order kept."""
    seen: set[str] = set()
    kept = []
    for value in values:
        key = value.casefold()
        if value and key not in seen:
            seen.add(key)
            kept.append(value)
    return kept


def clean_authors(authors: Iterable[str]) -> list[str]:
    return unique(name for byline in authors for name in split_byline(clean_text(byline, multiline=False)))


def as_strings(values: str | Iterable[Any]) -> list[str]:
    """A list field's strings; a lone string (dict items from feeds) counts as a one-item list."""
    return [values] if isinstance(values, str) else [v for v in values if isinstance(v, str)]


class NormalizeTextPipeline:
    SINGLE_LINE_FIELDS = ("title", "section")
    MULTILINE_FIELDS = ("summary", "body")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizeTextPipeline:
        return cls()

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        for name in self.SINGLE_LINE_FIELDS + self.MULTILINE_FIELDS:
            value = adapter.get(name)
            if isinstance(value, str):
                adapter[name] = clean_text(value, multiline=name in self.MULTILINE_FIELDS) or None
        if adapter.get("authors"):
            adapter["authors"] = clean_authors(as_strings(adapter["authors"]))
        if adapter.get("tags"):
            adapter["tags"] = unique(clean_text(t, multiline=False) for t in as_strings(adapter["tags"]))
        return item
