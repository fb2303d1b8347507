"""Step 2 of the body: pick the element (or elements) holding the article's text.

When the page declares its text (JSON-LD articleBody), the container is the smallest element
holding the visible blocks that text contains, with siblings showing the rest. Otherwise
paragraphs vote for their parent and grandparent (readability's scoring), link-heavy candidates
lose, siblings that score well (an article split around an ad) join, and so do paragraphs beside
it (a <p>, or shaped like its own paragraphs) unless a list of links stands between. Candidates
beside the headline's <article>, or holding several <article>s, count less; a live blog's
repeated entries join its introduction.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from lxml.html import HtmlElement

from crawler.extraction.blocks import Block, collapsed, find_headline
from crawler.extraction.body_furniture import CONTENT_NAMES, box_names

_NEGATIVE_HINT = re.compile(r"teaser|card|list|feed|grid|carousel|slider|more|also|promo|rail", re.IGNORECASE)
_SCORED_TAGS = frozenset({"p", "pre", "blockquote", "div", "section", "article", "td", "main", "span"})


def choose_container(blocks: list[Block], root: HtmlElement, headline: str | None, declared_text: str | None,
                     live_blog: bool = False) -> set[HtmlElement]:
    """The elements holding the article's text: those showing the ``declared_text``, else the
    best scored."""
    return set(_containers_from_declared(blocks, declared_text) if declared_text else ()) or \
        set(_container_by_score(blocks, _headline_article(root, headline), live_blog))


def _containers_from_declared(blocks: list[Block], declared_text: str) -> list[HtmlElement]:
    """The smallest element holding nearly all visible blocks that the declared text contains,
    and its siblings holding the rest (a template that sets the first paragraph apart)."""
    declared = collapsed(declared_text)
    matched = [b for b in blocks if len(b.text) >= 30 and collapsed(b.text) in declared]
    matched_chars = sum(len(b.text) for b in matched)
    if matched_chars < 0.5 * len(declared):
        return []
    held: dict[HtmlElement, int] = defaultdict(int)
    for block in matched:
        held[block.element] += len(block.text)
        for ancestor in block.element.iterancestors():
            held[ancestor] += len(block.text)
    enough = 0.9 * matched_chars
    best, best_depth = None, -1
    for element, chars in held.items():
        if chars >= enough:
            depth = sum(1 for _ in element.iterancestors())
            if depth > best_depth:
                best, best_depth = element, depth
    if best is None:
        return []
    # The rest of the declared text, not a repeat of it (a header showing the first paragraph).
    shown_inside = {b.text for b in matched if is_under(b.element, {best})}
    rest: dict[HtmlElement, int] = defaultdict(int)
    for block in matched:
        if block.text not in shown_inside:
            for holder in (block.element, *block.element.iterancestors()):
                rest[holder] += len(block.text)
    siblings = [s for s in best.itersiblings(preceding=True) if rest[s] >= _DECLARED_SIBLING_MIN_CHARS] + \
        [s for s in best.itersiblings() if rest[s] >= _DECLARED_SIBLING_MIN_CHARS]
    return [best, *siblings]


_DECLARED_SIBLING_MIN_CHARS = 80  # of declared text a sibling of the container shows, to join it


def _name_factor(element: HtmlElement, headline_article: HtmlElement | None) -> float:
    """How much a candidate's name and place make it likelier to hold the text: named as
    article text, an <article>, inside the <article> that holds the headline; less likely when
    it holds several <article>s (a list of stories)."""
    names = box_names(element)
    factor = 1.0
    if element.get("itemprop") == "articleBody" or CONTENT_NAMES.search(names):
        factor *= 1.5
    elif names and _NEGATIVE_HINT.search(names):
        factor *= 0.5
    if element.tag == "article":
        factor *= 1.2
    if headline_article is not None and (element is headline_article or headline_article in element.iterancestors()):
        factor *= 1.5
    elif headline_article is not None and not is_under(headline_article, {element}):
        factor *= 0.5  # beside the headline's <article>: another story
    if sum(1 for _ in element.iterdescendants("article")) >= 2:
        factor *= 0.5  # a list of stories, not one
    return factor


_COMMAS = re.compile(r"[,，、،]")


@dataclass
class _Scores:
    final: dict[HtmlElement, float]  # candidate -> score
    text_chars: dict[HtmlElement, int]
    link_chars: dict[HtmlElement, int]


def _score(blocks: list[Block], headline_article: HtmlElement | None = None) -> _Scores:
    """Readability's vote: paragraphs score their parent fully, grandparent half, and so on;
    a candidate's score shrinks with its share of link text."""
    text_chars: dict[HtmlElement, int] = defaultdict(int)
    link_chars: dict[HtmlElement, int] = defaultdict(int)
    scores: dict[HtmlElement, float] = {}
    for block in blocks:
        for element in (block.element, *block.element.iterancestors()):
            text_chars[element] += len(block.text)
            link_chars[element] += block.link_chars
    for block in blocks:
        if block.tag not in _SCORED_TAGS or len(block.text) < 25 or block.link_density > 0.33:
            continue
        points = 1 + len(_COMMAS.findall(block.text)) + min(len(block.text) / 100, 3)
        voters = [block.element] if block.tag != "p" else []
        voters += list(block.element.iterancestors())[:3]
        for level, element in enumerate(voters[:3]):
            scores[element] = scores.get(element, 0.0) + points / (1 if level == 0 else 2 if level == 1 else level * 3)
    final = {e: s * _name_factor(e, headline_article) * (1 - link_chars[e] / text_chars[e] if text_chars[e] else 1)
             for e, s in scores.items()}
    return _Scores(final, text_chars, link_chars)


_LIVE_ENTRIES_MIN = 3  # repeated same-class elements, at least this many, make a live blog's entries
_LIVE_ENTRIES_MIN_SHARE = 0.5  # of the top candidate's score the entries reach together


def _live_entries(final: dict[HtmlElement, float], top: HtmlElement) -> list[HtmlElement]:
    """A live blog's entries: same-tag, same-class siblings that together score about as much as
    the top candidate (each alone scores less: one update is shorter than the introduction)."""
    groups: dict[tuple[HtmlElement | None, str, str], list[HtmlElement]] = defaultdict(list)
    for element in final:
        if element.get("class") and not is_under(top, {element}):
            groups[(element.getparent(), element.tag, element.get("class"))].append(element)
    best = max((members for members in groups.values() if len(members) >= _LIVE_ENTRIES_MIN),
               key=lambda members: sum(final[m] for m in members), default=[])
    return best if sum(final[m] for m in best) >= _LIVE_ENTRIES_MIN_SHARE * final[top] else []


def _container_by_score(blocks: list[Block], headline_article: HtmlElement | None,
                        live_blog: bool = False) -> list[HtmlElement]:
    scored = _score(blocks, headline_article)
    final, text_chars, link_chars = scored.final, scored.text_chars, scored.link_chars
    if not final:
        return []
    top = max(final, key=final.__getitem__)
    top_score = final[top]
    # When other strong candidates share an ancestor with the top one, the text is split
    # (around ads, images): that ancestor is the container.
    rivals = [e for e, s in final.items() if e is not top and s >= 0.75 * top_score]
    if len(rivals) >= 2:
        top_line = list(top.iterancestors())
        for ancestor in top_line:
            if sum(1 for r in rivals if ancestor in set(r.iterancestors())) >= 2:
                if ancestor.tag not in ("body", "html"):
                    top = ancestor
                break
    chosen = [top]
    if live_blog:
        chosen += [entry for entry in _live_entries(final, top) if not is_under(entry, {top})]
    chosen += _joining_siblings(top, top_score, blocks, scored)
    # A CMS that splits the text around ads and embeds repeats the container's tag and class:
    # its twins in the same article are the rest of the text.
    if top.get("class"):
        scope = next((a for a in (top, *top.iterancestors()) if a.tag == "article"), top.getroottree().getroot())
        for twin in scope.iter(top.tag):
            if twin is not top and twin.get("class") == top.get("class") and text_chars[twin] >= 100 \
                    and link_chars[twin] < 0.3 * text_chars[twin] and not is_under(twin, set(chosen)):
                chosen.append(twin)
    return chosen


def _joining_siblings(top: HtmlElement, top_score: float, blocks: list[Block], scored: _Scores) -> list[HtmlElement]:
    """Siblings of the container that are more of the text: those scoring well (the text split
    around an ad), and paragraphs next to it, with no list of links between (a comment policy
    set below the links to other stories is not)."""
    final, text_chars, link_chars = scored.final, scored.text_chars, scored.link_chars
    threshold = max(10.0, top_score * 0.2)
    # A sibling shaped like the container's own paragraphs (tag and class) is one of them, set
    # before the container (an introduction outside the "read all" box).
    paragraph_kinds = {_kind(b.element) for b in blocks
                       if b.element.get("class") and b.element is not top and is_under(b.element, {top})}
    joining = []
    for siblings in (top.itersiblings(preceding=True), top.itersiblings()):
        adjacent = True
        for sibling in siblings:
            if not isinstance(sibling.tag, str) or sibling.tag == "article":
                continue  # a sibling <article> is another article
            bonus = top_score * 0.2 if sibling.get("class") and sibling.get("class") == top.get("class") else 0
            if final.get(sibling, -1e9) + bonus >= threshold or \
                    (adjacent and (sibling.tag == "p" or _kind(sibling) in paragraph_kinds) and _reads_as_paragraph(
                        sibling, text_chars[sibling], link_chars[sibling])):
                joining.append(sibling)
            elif _is_link_list(sibling):
                adjacent = False
    return joining


def _is_link_list(element: HtmlElement) -> bool:
    """Mostly link text, as the page shows it (furniture included): related stories, a pager."""
    text = len(collapsed(element.text_content()))
    links = sum(len(collapsed(a.text_content())) for a in element.iter("a"))
    return text > 0 and links >= _SEPARATING_LINK_SHARE * text


_SEPARATING_LINK_SHARE = 0.5  # of an element's text in links, that makes it a list of links


def _reads_as_paragraph(element: HtmlElement, text_chars: int, link_chars: int) -> bool:
    """Prose with few links, or a sentence without any."""
    if not text_chars:
        return False
    density = link_chars / text_chars
    return (text_chars > 80 and density < 0.25) or \
        (density == 0 and re.search(r"\.( |$)", element.text_content() or "") is not None)


def _kind(element: HtmlElement) -> tuple[str, str]:
    return element.tag, element.get("class") or ""


def _headline_article(root: HtmlElement, headline: str | None) -> HtmlElement | None:
    """The <article> element holding the headline, if any."""
    element = find_headline(root, headline) if headline else None
    return next((a for a in element.iterancestors() if a.tag == "article"), None) if element is not None else None


def is_under(element: HtmlElement, roots: set[HtmlElement]) -> bool:
    return element in roots or any(a in roots for a in element.iterancestors())
