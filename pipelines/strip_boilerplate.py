"""Strip boilerplate: page furniture that DOM extraction let through into the body text.

Works on lines and paragraphs of the normalized body. A comment section cuts the body from its
first marker on; a line that is itself a prompt (share, follow, newsletter, related links,
photo credit, advertisement label) is removed; a closing author bio, or a closing paragraph asking
to follow its writer, is removed. Real sentences stay: a marker counts only at the start of a short
line, so an article *about* a newsletter keeps its text. Sets ``word_count``; a body left without words is dropped.
The markers and the line tests are crawler.text.furniture's, shared with `scrapy checksite`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from crawler.text.bylines import BIO_ROLE
from crawler.text.furniture import (BIO_START, COMMENT_SECTION_START, CREDIT_LINE, FOLLOW_INVITATION,
                                    LATE_SECTION_START, LINK_LIST_HEADING_ONLY, MAX_CAPTION_WORDS, MAX_PROMPT_WORDS,
                                    is_headline, is_prompt)
from crawler.text.words import count_words, words_in
from pipelines import drop

MAX_BIO_WORDS = 100
OPENING_PARAGRAPHS = 2  # where a byline's "12 comments" may sit


def is_bio(paragraph: str, authors: Sequence[str]) -> bool:
    if words_in(paragraph) > MAX_BIO_WORDS:
        return False
    if FOLLOW_INVITATION.search(paragraph):
        return True
    start = BIO_START.match(paragraph)
    if not start:
        return False
    name = start.group("name").casefold()
    return any(name in a.casefold() or a.casefold() in name for a in authors) or bool(BIO_ROLE.search(paragraph))


MIN_LINK_LIST_ITEMS = 2  # headline-like paragraphs after a "Related" heading that make it a list


def without_link_lists(paragraphs: list[str]) -> list[str]:
    """``paragraphs`` without a link-list heading ("Related", "Mehr zum Thema") set as its own
    paragraph and the run of headline-like paragraphs after it, when the run has two or more:
    one short line after such a heading is a real subheading."""
    kept: list[str] = []
    index = 0
    while index < len(paragraphs):
        paragraph = paragraphs[index]
        if words_in(paragraph) <= MAX_PROMPT_WORDS and LINK_LIST_HEADING_ONLY.match(paragraph):
            end = index + 1
            while end < len(paragraphs) and "\n" not in paragraphs[end] and is_headline(paragraphs[end]):
                end += 1
            if end - index - 1 >= MIN_LINK_LIST_ITEMS:
                index = end
                continue
        kept.append(paragraph)
        index += 1
    return kept


def strip_boilerplate(body: str, authors: Sequence[str] = ()) -> str:
    """``body`` (paragraphs separated by a blank line) without comments, prompts and a closing bio."""
    kept: list[str] = []
    for index, paragraph in enumerate(without_link_lists(body.split("\n\n"))):
        opening = index < OPENING_PARAGRAPHS
        kept_lines: list[str] = []
        section_starts = False
        # A link list is the lines under its heading in one paragraph: a heading left alone by
        # extraction is often followed by a real subheading.
        in_link_list = False
        for line in paragraph.split("\n"):
            words = words_in(line)
            if words > MAX_CAPTION_WORDS:  # a sentence or more: never a marker
                in_link_list = False
                kept_lines.append(line)
                continue
            short = words <= MAX_PROMPT_WORDS
            if short and (COMMENT_SECTION_START.match(line) or (not opening and LATE_SECTION_START.match(line))):
                section_starts = True
                break
            if in_link_list and is_headline(line):
                continue
            in_link_list = short and LINK_LIST_HEADING_ONLY.match(line) is not None
            if short and CREDIT_LINE.match(line) and sum(map(words_in, kept_lines)) <= MAX_CAPTION_WORDS:
                kept_lines.clear()  # the caption above its credit
                continue
            if in_link_list or is_prompt(line, words) or (short and LATE_SECTION_START.match(line)):
                continue
            kept_lines.append(line)
        if kept_lines:
            kept.append("\n".join(kept_lines))
        if section_starts:
            break
    if kept and is_bio(kept[-1], authors):
        kept.pop()
    while kept and kept[-1].endswith(":"):
        kept.pop()  # an introduction to a list of links that is gone: "Learn more about Mars:"
    return "\n\n".join(kept)


class StripBoilerplatePipeline:
    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StripBoilerplatePipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        body = strip_boilerplate(adapter.get("body") or "", adapter.get("authors") or ())
        words = count_words(body)
        if not words:
            raise drop(self.stats, "empty_after_boilerplate", str(adapter.get("url")))
        adapter["body"] = body
        adapter["word_count"] = words
        return item
