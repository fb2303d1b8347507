"""The running text of an article: find the element holding it, keep its text blocks.

1. Cut what is never article text: scripts, forms, navigation, figures and captions, and blocks
   whose class or id names them as furniture (comments, share bars, related links, newsletter
   boxes, author bios, WordPress's #respond, .sharedaddy, .jp-relatedposts ...).
2. Pick the container. When the page declares its text (JSON-LD articleBody), the container is
   the smallest element holding the visible blocks that text contains. Otherwise paragraphs
   vote for their parent and grandparent (readability's scoring), link-heavy candidates lose,
   and siblings that score well (an article split around an ad) join.
3. Keep the container's blocks that read as text: not link lists, not a repeated headline or
   byline, not a heading that introduces nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from lxml.html import HtmlElement

from crawler.extraction.blocks import Block, iter_blocks

NEVER_TEXT_TAGS = (
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed", "form",
    "button", "input", "select", "textarea", "nav", "footer", "aside", "figure", "figcaption",
    "picture", "video", "audio", "map", "dialog", "head", "math", "menu",
)
# Class/id words that name furniture: as the start of a part ('-', '_' or a space separate
# parts) for the first list, as a whole part for the second.
_FURNITURE = re.compile(
    r"(?:^|[-_\s])(?:"
    r"(?:comment|disqus|share|sharing|social|related|recommend|newsletter|subscri|advert|sponsor|"
    r"outbrain|taboola|breadcrumb|sidebar|widget|cookie|consent|gdpr|byline|caption|sharedaddy|"
    r"addtoany|signup|promo|jp-)\w*"
    r"|(?:respond|ads?|ad-?(?:slot|container|wrapper|unit)|author|author-?(?:bio|box|info)|"
    r"about-?the-?author|credits?|nav|navigation|navbar|menu|footer|pagination|pager|toolbar|tags?|"
    r"tag-?list|post-?tags|meta|sr-only|screen-reader-text|visually-?hidden|skip-?link|trending|"
    r"most-?popular|more-?stories|read-?more|see-?also|also-?read|masthead|site-?header|login|"
    r"banner|popup)(?=$|[-_\s]))",
    re.IGNORECASE,
)
# Names of the element that holds an article's text, across CMSs.
_CONTENT = re.compile(
    r"article-?body|articlebody|article-?content|article-?text|entry-?content|post-?content|"
    r"post-?body|story-?body|story-?content|body-?text|main-?content|content-?body|text-?body|"
    r"rich-?text|article__body|paywall",
    re.IGNORECASE,
)
_NEGATIVE_HINT = re.compile(r"teaser|card|list|feed|grid|carousel|slider|more|also|promo|rail", re.IGNORECASE)
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SCORED_TAGS = frozenset({"p", "pre", "blockquote", "div", "section", "article", "td", "main", "span"})
_FURNITURE_LINES = frozenset({
    "advertisement", "anzeige", "werbung", "publicité", "publicidad", "pubblicità", "reklama",
    "share", "share this", "share this:", "share this article", "read more", "related", "loading",
    "click to share on twitter", "like this:", "related posts", "tags", "tags:",
})


def _names(element: HtmlElement) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}".strip()


def cut_furniture(root: HtmlElement, remove_selector: str | None = None) -> None:
    """Remove what is never article text, in place."""
    doomed: list[HtmlElement] = list(root.iter(*NEVER_TEXT_TAGS))
    if remove_selector:
        doomed.extend(root.cssselect(remove_selector))
    # A furniture-sounding name on the element holding most of the page's paragraphs is a
    # state ("modal-enabled", "has-sidebar"), not furniture: such an element stays.
    paragraph_chars: dict[HtmlElement, int] = defaultdict(int)
    for paragraph in root.iter("p"):
        size = len(paragraph.text_content())
        for holder in _ancestors(paragraph):
            paragraph_chars[holder] += size
    most = 0.5 * paragraph_chars[root]
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in ("html", "body", "main"):
            continue
        if element.get("hidden") is not None or element.get("aria-hidden") == "true" \
                or "display:none" in (element.get("style") or "").replace(" ", ""):
            doomed.append(element)
            continue
        names = _names(element)
        if names and _FURNITURE.search(names) and not _CONTENT.search(names) \
                and element.get("itemprop") != "articleBody" and paragraph_chars[element] <= most:
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()


def _ancestors(element: HtmlElement) -> Iterable[HtmlElement]:
    parent = element.getparent()
    while parent is not None:
        yield parent
        parent = parent.getparent()


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _container_from_declared(blocks: list[Block], declared_text: str) -> HtmlElement | None:
    """The smallest element holding nearly all visible blocks that the declared text contains."""
    declared = _collapse(declared_text)
    matched = [b for b in blocks if len(b.text) >= 30 and _collapse(b.text) in declared]
    matched_chars = sum(len(b.text) for b in matched)
    if matched_chars < 0.5 * len(declared):
        return None
    held: dict[HtmlElement, int] = defaultdict(int)
    for block in matched:
        held[block.element] += len(block.text)
        for ancestor in _ancestors(block.element):
            held[ancestor] += len(block.text)
    enough = 0.9 * matched_chars
    best, best_depth = None, -1
    for element, chars in held.items():
        if chars >= enough:
            depth = sum(1 for _ in _ancestors(element))
            if depth > best_depth:
                best, best_depth = element, depth
    return best


def _class_weight(element: HtmlElement) -> float:
    names = _names(element)
    weight = 0.0
    if element.get("itemprop") == "articleBody" or _CONTENT.search(names):
        weight += 25
    elif names and _NEGATIVE_HINT.search(names):
        weight -= 25
    if element.tag == "article":
        weight += 10
    return weight


def _container_by_score(blocks: list[Block]) -> list[HtmlElement]:
    """Readability's vote: paragraphs score their parent fully, grandparent half, and so on."""
    text_chars: dict[HtmlElement, int] = defaultdict(int)
    link_chars: dict[HtmlElement, int] = defaultdict(int)
    scores: dict[HtmlElement, float] = {}
    for block in blocks:
        for element in (block.element, *_ancestors(block.element)):
            text_chars[element] += len(block.text)
            link_chars[element] += block.link_chars
    for block in blocks:
        if block.tag not in _SCORED_TAGS or len(block.text) < 25 or block.link_density > 0.33:
            continue
        points = 1 + block.text.count(",") + block.text.count("，") + min(len(block.text) / 100, 3)
        voters = [block.element] if block.tag != "p" else []
        voters += list(_ancestors(block.element))[:3]
        for level, element in enumerate(voters[:3]):
            if element not in scores:
                scores[element] = _class_weight(element)
            scores[element] += points / (1 if level == 0 else 2 if level == 1 else level * 3)
    if not scores:
        return []
    final = {e: s * (1 - link_chars[e] / text_chars[e] if text_chars[e] else 1) for e, s in scores.items()}
    top = max(final, key=final.__getitem__)
    top_score = final[top]
    # When other strong candidates share an ancestor with the top one, the text is split
    # (around ads, images): that ancestor is the container.
    rivals = [e for e, s in final.items() if e is not top and s >= 0.75 * top_score]
    if len(rivals) >= 2:
        top_line = list(_ancestors(top))
        for ancestor in top_line:
            if sum(1 for r in rivals if ancestor in set(_ancestors(r))) >= 2:
                if ancestor.tag not in ("body", "html"):
                    top = ancestor
                break
    parent = top.getparent()
    if parent is None:
        return [top]
    threshold = max(10.0, top_score * 0.2)
    chosen = []
    for sibling in parent:
        if sibling is top:
            chosen.append(sibling)
            continue
        if not isinstance(sibling.tag, str):
            continue
        bonus = top_score * 0.2 if sibling.get("class") and sibling.get("class") == top.get("class") else 0
        if final.get(sibling, -1e9) + bonus >= threshold:
            chosen.append(sibling)
        elif sibling.tag == "p" and text_chars[sibling]:
            density = link_chars[sibling] / text_chars[sibling]
            if (text_chars[sibling] > 80 and density < 0.25) or \
                    (density == 0 and re.search(r"\.( |$)", sibling.text_content() or "")):
                chosen.append(sibling)
    return chosen


def _is_under(element: HtmlElement, roots: set[HtmlElement]) -> bool:
    return element in roots or any(a in roots for a in _ancestors(element))


def _keep(blocks: list[Block], headline: str | None, bylines: Iterable[str]) -> list[str]:
    headline_key = _collapse(headline or "").casefold()
    byline_keys = [name.casefold() for name in bylines if name]
    kept: list[tuple[str, bool]] = []  # text, is heading
    for block in blocks:
        text, key = block.text, _collapse(block.text).casefold()
        if block.link_density > 0.5 and block.tag not in _HEADING_TAGS:
            continue
        if key.rstrip(":").strip() in _FURNITURE_LINES or key == headline_key:
            continue
        if len(key) < 120 and any(name in key for name in byline_keys):
            continue  # the byline line, which the gold leaves out
        kept.append((text, block.tag in _HEADING_TAGS))
    while kept and kept[-1][1]:  # a heading that introduces nothing (e.g. "Related")
        kept.pop()
    return [text for text, _ in kept]


def extract_body(root: HtmlElement, *, declared_text: str | None = None, headline: str | None = None,
                 bylines: Iterable[str] = (), container_selector: str | None = None,
                 remove_selector: str | None = None) -> str:
    """The article's running text, paragraphs separated by a blank line ("" when none).

    ``root`` is changed in place (furniture cut); pass a tree nothing else reads afterwards.
    """
    cut_furniture(root, remove_selector)
    if container_selector:
        roots = root.cssselect(container_selector)
        blocks = [b for r in roots for b in iter_blocks(r)]
        return "\n\n".join(_keep(blocks, headline, bylines))
    blocks = iter_blocks(root)
    container = _container_from_declared(blocks, declared_text) if declared_text and len(declared_text) > 200 else None
    roots = {container} if container is not None else set(_container_by_score(blocks))
    if not roots:
        return ""
    return "\n\n".join(_keep([b for b in blocks if _is_under(b.element, roots)], headline, bylines))
