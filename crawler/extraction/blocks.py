"""A page's visible text as blocks, the way a browser lays it out.

Text inside inline elements (a, span, em ...) flows into the enclosing block; every other
element starts and ends a block. Two <br> in a row also end a block (old pages write
paragraphs that way). Each block remembers its element and how much of it is link text,
the two things main-content detection needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

INLINE_TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font", "i",
    "ins", "kbd", "mark", "nobr", "q", "s", "samp", "small", "span", "strike", "strong", "sub",
    "sup", "time", "tt", "u", "var", "wbr", "img", "label", "acronym",
})
_OTHER_SPACE = r"[\t\r\f\v\u00a0\u200b\u2009\u202f]"
_SPACE = r"[ \t\r\f\v\u00a0\u200b\u2009\u202f]"
# The runs of spaces that collapse to one " ": not a lone " ", which stays as it is (most are
# lone, and matching none of them makes the substitution about twice as fast).
_SPACES = re.compile(rf" {_SPACE}+|{_OTHER_SPACE}{_SPACE}*")
_BLANK_LINE = re.compile(r"\n\s*\n")
# Names of boxes of other stories and of readers (a regex alternation): the dates and bylines in
# them are not the article's.
OTHER_BOXES = r"comment|related|sidebar|widget|recommend|teaser|popular|trending|read-?next"


@dataclass
class Block:
    text: str
    element: HtmlElement  # the block-level element the text sits in
    link_chars: int

    @property
    def tag(self) -> str:
        return self.element.tag if isinstance(self.element.tag, str) else ""

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


def _tidy_lines(text: str) -> str:
    """Spaces collapsed within lines; blank and edge lines dropped."""
    if "\n" not in text:  # most blocks: no <br> in them
        return _SPACES.sub(" ", text).strip()
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def collapsed(text: str) -> str:
    """``text`` on one line, each run of whitespace one space."""
    return " ".join(text.split())


def text_of(element: HtmlElement) -> str:
    """An element's text on one line, whitespace collapsed."""
    return collapsed(element.text_content())


# A class that hides its element: "hidden", "is-hidden", "d-none" (not "overflow-hidden"). One
# shown only on some screens ("hidden md:block") holds what a page adds beside its text.
_HIDING_CLASS = re.compile(r"(?:^|\s)(?:(?:is-|u-)?hidden|d-none|hide)(?=$|\s)")


def hidden_by_class(element: HtmlElement) -> bool:
    return bool(_HIDING_CLASS.search(element.get("class") or ""))


def find_headline(root: HtmlElement, title: str | None) -> HtmlElement | None:
    """The heading that shows the article's ``title``. Failing that, the first <h1> that is no
    logo (a heading that is a link to the front page), else an <h2> in an <article>; then a
    breadcrumb showing the title (an SEO trail), and a logo last. Headings in navigation, sidebars
    and footers count only as a trail. Dates and bylines are looked for beside it."""
    wanted = " ".join((title or "").split()).casefold()
    found: dict[str, HtmlElement] = {}  # kind -> the first heading of that kind
    for heading in root.iter("h1", "h2"):
        shows_title = bool(wanted) and text_of(heading).casefold() == wanted
        if _off_article(heading):
            if shows_title:
                found.setdefault("trail", heading)
            continue
        if shows_title:
            return heading
        if heading.tag == "h1":
            found.setdefault("logo" if _is_logo(heading) else "h1", heading)
        elif any(a.tag == "article" for a in heading.iterancestors()):
            found.setdefault("article h2", heading)
    return next((found[kind] for kind in ("h1", "article h2", "trail", "logo") if kind in found), None)


def _off_article(heading: HtmlElement) -> bool:
    """In navigation, a sidebar or a footer, or a breadcrumb trail itself."""
    return any(a.tag in ("nav", "aside", "footer") or "breadcrumb" in (a.get("class") or "").lower()
               for a in (heading, *heading.iterancestors()))


_FRONT_PAGE_PATHS = frozenset({"", "/", "./", "index.html", "/index.html", "index.php", "/index.php"})


def _is_logo(heading: HtmlElement) -> bool:
    """A heading that is wholly a link to a front page (the site's own, or its language's: "/en/"
    is not told apart): the site's logo or name, not an article's headline."""
    shown = text_of(heading)
    for link in heading.iter("a"):
        href = (link.get("href") or "").strip()
        try:
            parts = urlsplit(href)
        except ValueError:  # a malformed address ("http://[x")
            continue
        if href and not parts.query and not parts.fragment and parts.path in _FRONT_PAGE_PATHS \
                and text_of(link) == shown:
            return True
    return False


def iter_blocks(root: HtmlElement) -> list[Block]:
    blocks: list[Block] = []
    pieces: list[str] = []  # text runs of the block being built
    link_raw = 0  # their characters inside links, edge spaces aside
    block_stack: list[HtmlElement] = [root]
    link_depth = 0

    def add(source_text: str) -> None:
        nonlocal link_raw
        text = source_text.replace("\n", " ")  # line breaks in the source are spaces; only <br> breaks a line
        pieces.append(text)
        if link_depth > 0:
            link_raw += len(text.strip())

    def flush() -> None:
        nonlocal link_raw
        if not pieces:  # (most calls: block elements that open or close right after another; no link text either)
            return
        raw = "".join(pieces)
        link_chars = link_raw
        pieces.clear()
        link_raw = 0
        if not raw or raw.isspace():  # the spaces between block elements
            return
        for paragraph in _BLANK_LINE.split(raw):
            text = _tidy_lines(paragraph)
            if text:
                share = min(link_chars, len(text))
                blocks.append(Block(text, block_stack[-1], share))
                link_chars -= share

    # Comments and processing instructions come as one event each, and only their tail counts
    # (a CMS that marks its HTML with comments puts whole paragraphs in comment tails).
    inline_tags = INLINE_TAGS  # (a local: looked up for every element)
    for event, element in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        tag = element.tag
        if tag.__class__ is not str:  # a comment or processing instruction
            if element.tail:
                add(element.tail)
            continue
        inline = tag in inline_tags
        if event == "start":
            if tag == "br":
                pieces.append("\n")
            elif inline:
                link_depth += tag == "a"
            else:
                flush()
                block_stack.append(element)
            if element.text:
                add(element.text)
        else:
            if inline:
                link_depth -= tag == "a"
            elif tag != "br":
                flush()
                block_stack.pop()
            if element.tail and element is not root:
                add(element.tail)
    flush()
    return blocks
