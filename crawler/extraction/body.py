"""The running text of an article: find the element holding it, keep its text blocks.

1. Cut what is never article text (body_furniture).
2. Pick the container (body_container).
3. Keep the container's blocks that read as text: not link lists or linked headings (a sentence
   that links many words is text, and so is a heading that links off the site and introduces
   prose), not another story's <article> card, not a repeated headline or byline, not the header
   lines it starts with (kicker, date, place), not a heading that introduces nothing; a
   standfirst shown between the headline and the container joins.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from crawler.extraction.blocks import Block, collapsed, iter_blocks
from crawler.extraction.body_container import choose_container, is_under
from crawler.extraction.body_furniture import (box_names, drop_never_text, name_parts, page_links,
                                              without_app_promos, without_furniture)
from crawler.text.furniture import FURNITURE_LINES
from crawler.text.words import SENTENCE_ENDS

_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

_EMBEDDED_STORY_MAX_SHARE = 0.3  # of the container's text an <article> inside it holds, to be a card


def _without_embedded_stories(inside: list[Block], roots: set[HtmlElement]) -> list[Block]:
    """The container's blocks less those of an <article> set inside it, when that holds a small
    part of the text: a card for another story, embedded between paragraphs."""
    total = sum(len(b.text) for b in inside)
    held: dict[HtmlElement, int] = defaultdict(int)
    for block in inside:
        for ancestor in (block.element, *block.element.iterancestors()):
            if ancestor in roots:
                break
            if ancestor.tag == "article":
                held[ancestor] += len(block.text)
    embedded = {article for article, chars in held.items() if chars < _EMBEDDED_STORY_MAX_SHARE * total}
    if not embedded:
        return inside
    return [b for b in inside if not is_under(b.element, embedded)]


_REPEAT_MIN_CHARS = 100  # shorter lines may repeat in a text: a refrain, a label, a short quote


def _without_repeats(inside: list[Block]) -> list[Block]:
    """The container's blocks less repeats of one shown before in it: an offer box repeated for
    each screen size, a gallery repeating its captions, a standfirst repeated as the first
    paragraph; an article says a paragraph once."""
    seen: set[str] = set()
    kept = []
    for block in inside:
        if block.text not in seen:
            kept.append(block)
            if len(block.text) >= _REPEAT_MIN_CHARS:
                seen.add(block.text)
    return kept


_NOT_LETTERS = re.compile(r"[\W_]+")


def _letters(text: str) -> str:
    """Letters and digits, case folded: a heading shows "…" where the declared title has "..."."""
    return _NOT_LETTERS.sub("", text.casefold())


def _has_letters(text: str, key: str) -> bool:
    """``_letters(text) == key``, told from the start of ``text`` when that already differs: most
    paragraphs are far longer than a headline. (Letters are folded one character at a time, so
    the start's letters begin the whole text's.)"""
    return key.startswith(_letters(text[:len(key) + 1])) and _letters(text) == key


def _keep(blocks: list[Block], headline: str | None, bylines: Iterable[str], host: str = "") -> list[str]:
    headline_key = _letters(headline or "")
    byline_keys = [name.casefold() for name in bylines if name]
    kept: list[tuple[str, bool]] = []  # text, is heading
    for block, after in zip(blocks, [*blocks[1:], None]):
        text, key = block.text, collapsed(block.text).casefold()
        if block.link_density > (0.9 if block.tag in _HEADING_TAGS else 0.5) and not _is_linked_prose(block) \
                and not _is_linked_subheading(block, after, host):
            continue
        if key.rstrip(":").strip() in FURNITURE_LINES or (headline_key and (
                _has_letters(text, headline_key) or _in_headline_heading(block, headline_key))):
            continue
        if len(key) < 120 and any(name in key for name in byline_keys):
            continue  # the byline line, which the gold leaves out
        kept.append((text, block.tag in _HEADING_TAGS))
    while kept and kept[-1][1]:  # a heading that introduces nothing (e.g. "Related")
        kept.pop()
    while kept and (_is_header_line(*kept[0], headline_key) or (kept[0][1] and len(kept) > 1 and kept[1][1])):
        kept.pop(0)  # (a heading followed by another introduces no text: a kicker, a deck)
    return [text for text, _ in kept]


def _in_headline_heading(block: Block, headline_key: str) -> bool:
    """Part of a heading that shows the headline in parts (a kicker and the title in their own
    boxes inside one <h1>/<h2>)."""
    heading = next(block.element.iterancestors("h1", "h2"), None) if block.tag not in ("h1", "h2") else block.element
    if heading is None:
        return False
    shown = _letters(heading.text_content())
    return headline_key in shown and len(shown) <= 2 * len(headline_key)


_LINKED_PROSE_MIN_CHARS = 80


def _is_linked_subheading(block: Block, after: Block | None, host: str) -> bool:
    """A heading that links away from the site (to the thing it names: a product, a place) and
    introduces prose; one linking within the site is the title of another story."""
    if block.tag not in _HEADING_TAGS or after is None or after.tag in _HEADING_TAGS \
            or len(after.text) < _LINKED_PROSE_MIN_CHARS or after.link_density >= 0.2:
        return False
    hosts = [_host(a.get("href") or "") or host for a in block.element.iter("a")]
    return bool(hosts) and all(h.removeprefix("www.") != host.removeprefix("www.") for h in hosts)


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:  # a malformed address ("http://[x")
        return ""


def _is_linked_prose(block: Block) -> bool:
    """A paragraph of sentences that links many of its words (a clause linked to a profile or a
    timeline), not a list item or heading that links to another story."""
    return block.tag not in _HEADING_TAGS and block.tag != "li" and len(block.text) >= _LINKED_PROSE_MIN_CHARS \
        and block.text.rstrip().endswith((".", "!", "?"))


_HEADER_LINE_MAX_CHARS = 50


def _is_header_line(text: str, is_heading: bool, headline_key: str) -> bool:
    """A line of the article's header the container starts with, before any text: the headline
    behind a kicker ("Kicker – Headline"), or a short line that is no sentence (kicker, byline,
    date, place), though it may end in a full stop ("15.04.2026, 2 Min."). A heading of another
    kind there is the text's first subheading."""
    if is_heading:
        return bool(headline_key) and headline_key in _letters(text)
    return len(text) < _HEADER_LINE_MAX_CHARS and (not _ends_as_sentence(text, ":")
                                                   or len(_WORDS.findall(text)) < _SENTENCE_MIN_WORDS)


_CLOSING_QUOTES = "\"”’»'"


def _ends_as_sentence(text: str, also: str = "") -> bool:
    """Ends in a full stop, question or exclamation mark (or one of ``also``), inside a closing quote
    or not: a one-line quote that opens an article (“I already set the teakettle on heat.”) is text."""
    return text.rstrip().rstrip(_CLOSING_QUOTES).endswith((*SENTENCE_ENDS, *also))


_WORDS = re.compile(r"[^\W\d_]+")  # words of letters, not numbers
_SENTENCE_MIN_WORDS = 3  # fewer, and a line ending in a full stop is a date or a label ("15.04.2026, 2 Min.")


_LEAD_MIN_CHARS = 40  # shorter descriptions are labels, not a standfirst
_DATELINE_MAX_CHARS = 40  # a standfirst may open with a dateline the declared one leaves out ("Berlin. ")
_LEAD_REACH = 30  # blocks before the text where a standfirst may sit (headline, byline, image between)
# Names of the element that shows the standfirst, when the page does not declare it.
_LEAD_NAMES = re.compile(r"(?:^|[-_\s])(?:lead|lede|intro|introduction|standfirst|excerpt|abstract|chapo|chapeau)"
                         r"(?=$|[-_\s])", re.IGNORECASE)
_NAMED_LEAD_MIN_CHARS = 60  # shorter text in a lead-named element is a label


def _shown_lead(blocks: list[Block], inside: list[Block], leads: Iterable[str], headline: str | None) -> list[Block]:
    """The standfirst: the paragraph shortly before the text that shows what the page declares
    as its description, or is named as a lead, or else the first sentence-like paragraph between
    the headline (<h1>, <h2>) and the text. Templates set it above the text container, yet it is
    the article's first paragraph; a deck set as a sub-heading (<h2>) stays a heading, not text.
    Sentences set between a declared or named standfirst and the container (key points, an
    introduction outside the box that holds the rest) join it."""
    wanted = {collapsed(lead).casefold() for lead in leads if lead and len(lead) >= _LEAD_MIN_CHARS}
    if not inside:
        return []
    start = next(i for i, b in enumerate(blocks) if b is inside[0])
    headline_key = _letters(headline or "")
    below_headline = None  # the first sentence-like paragraph after the headline, so far
    texts_inside = {b.text for b in inside}

    def with_what_follows(lead: Block) -> list[Block]:
        after = next(i for i, b in enumerate(blocks) if b is lead) + 1
        return [lead] + [b for b in blocks[after:start] if b.tag in ("p", "li") and b.text not in texts_inside
                         and _is_sentence(b)]

    for block in reversed(blocks[max(0, start - _LEAD_REACH):start]):
        if block.tag in ("h1", "h2") or (headline_key and _has_letters(block.text, headline_key)):
            return _with_its_list(below_headline, blocks) if below_headline is not None else []
        if block.tag in _HEADING_TAGS:
            continue
        shown = collapsed(block.text).casefold()
        prose = len(shown) >= _NAMED_LEAD_MIN_CHARS and block.link_density < 0.2
        if prose and shown.endswith((".", "!", "?")) and block.text not in texts_inside:
            below_headline = block  # (not a header repeating the text's first paragraph)
        if shown in wanted or any(shown.endswith(lead) and len(shown) - len(lead) <= _DATELINE_MAX_CHARS
                                  for lead in wanted):
            return with_what_follows(block)
        holders = (block.element, *list(block.element.iterancestors())[:2])
        if prose and any(_LEAD_NAMES.search(name_parts(box_names(e))) for e in holders):
            return with_what_follows(block)
    return []


def _is_sentence(block: Block) -> bool:
    """Reads as a sentence: ends as one, and few of its words link away."""
    return block.link_density < 0.5 and _ends_as_sentence(block.text)


def _with_its_list(lead: Block, blocks: list[Block]) -> list[Block]:
    """The standfirst, or when it is the first of a list of key points, the whole list."""
    holder = lead.element.getparent() if lead.tag == "li" else None
    if holder is None:
        return [lead]
    return [b for b in blocks if b.tag == "li" and b.element.getparent() is holder]


def extract_body(root: HtmlElement, *, declared_text: str | None = None, headline: str | None = None,
                 bylines: Iterable[str] = (), leads: Iterable[str] = (), container_selector: str | None = None,
                 remove_selector: str | None = None, live_blog: bool = False, url: str = "") -> str:
    """The article's running text, paragraphs separated by a blank line ("" when none).

    ``leads`` are the page's declared descriptions: one shown just before the text is its
    standfirst, and joins the body. A ``live_blog`` (the page declares LiveBlogPosting) keeps
    its entries beside the introduction. ``url`` is the page's address: a heading that links
    off its site names a thing (a product), one that links within it names another story.

    ``root`` is changed in place (scripts and ``remove_selector`` cut); pass a tree nothing
    else reads afterwards.
    """
    drop_never_text(root)
    if remove_selector:
        for element in root.cssselect(remove_selector):
            element.drop_tree()
    links = page_links(root)
    if container_selector:
        blocks = [b for r in root.cssselect(container_selector) for b in iter_blocks(r)]
        return "\n\n".join(_keep(without_app_promos(links, blocks), headline, bylines))
    blocks = without_app_promos(links, without_furniture(root, iter_blocks(root), links))
    declared_text = declared_text if declared_text and len(declared_text) >= 500 else None
    roots = choose_container(blocks, root, headline, declared_text, live_blog)
    inside = _without_repeats(_without_embedded_stories([b for b in blocks if is_under(b.element, roots)], roots))
    # (The container's own header lines are looked for after the standfirst set above it.)
    host = _host(url)
    body = "\n\n".join(_keep(_shown_lead(blocks, inside, leads, headline), headline, bylines, host)
                       + _keep(inside, headline, bylines, host))
    if declared_text and len(body) < 0.5 * len(declared_text):
        # The page shows less than it declares (text rendered by script, a teaser): the
        # declared text is the better witness.
        return "\n\n".join(p for p in (" ".join(line.split()) for line in declared_text.splitlines()) if p)
    return body
