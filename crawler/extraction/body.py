"""The running text of an article: find the element holding it, keep its text blocks.

1. Cut what is never article text: scripts, forms, navigation, figures and captions, hidden
   elements and text for screen readers only, and blocks whose class, id or component name calls
   them furniture (comments, share bars, related links, newsletter boxes, author bios, rails,
   polls, galleries, pull quotes, WordPress's #respond ...), teaser boxes that link away, and
   image boxes holding no more than a caption (named so, or opening with the image), lists of
   reader comments however named, told by their permalinks, and short lines sending readers to
   an app store or a follow page. A post the article quotes with a network's embed code stays,
   whatever box holds it.
2. Pick the container. When the page declares its text (JSON-LD articleBody), the container is
   the smallest element holding the visible blocks that text contains, with siblings showing the
   rest. Otherwise paragraphs vote for their parent and grandparent (readability's scoring),
   link-heavy candidates lose, siblings that score well (an article split around an ad) join, and
   so do paragraphs beside it (a <p>, or shaped like its own paragraphs) unless a list of links
   stands between. Candidates beside the headline's <article>, or holding several <article>s,
   count less; a live blog's repeated entries join its introduction.
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
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from crawler.extraction.blocks import INLINE_TAGS, Block, find_headline, hidden_by_class, iter_blocks, text_of
from crawler.text.furniture import FURNITURE_LINES

NEVER_TEXT_TAGS = (
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "button", "input", "select", "textarea", "video", "audio", "map", "head", "math",
)
# Tags that hold furniture on most pages, though old pages wrap everything in a <form>.
FURNITURE_TAGS = frozenset({"nav", "footer", "aside", "form", "figure", "figcaption", "menu", "dialog"})
# Class/id words that name furniture: as the start of a part ('-', '_' or a space separate
# parts) for the first list, as a whole part for the second. ("not-prose" is Tailwind's
# typography opt-out: a box set inside the prose that is not prose; a pull quote repeats a line
# of the text; "shared" names a part templates share, not a share bar; a feedback box asks readers
# to report a mistake; an overlay is laid over the page, an offer or a player.)
_FURNITURE = re.compile(
    r"(?:^|[-_\s])(?:"
    r"(?:comment|disqus|share(?!d(?:$|[-_\s]))|sharing|social|related|recommend|newsletter|subscri|advert|sponsor|"
    r"outbrain|taboola|breadcrumb|sidebar|widget|cookie|consent|gdpr|byline|caption|sharedaddy|"
    r"addtoany|signup|promo|jp-|recirc|popular|poll|infobox|advertorial|affiliate|zergnet|revcontent|mgid|"
    r"nativo|survey|lightbox|donat|not-prose|pull-?quote|gallery|feedback|overlay)\w*"
    r"|(?:respond|ads?|ad-?(?:slot|container|wrapper|unit)|author|author-?(?:bio|box|info)|"
    r"about-?the-?author|credits?|nav|navigation|navbar|menu|footer|pagination|pager|toolbar|tags|"
    r"tag-?(?:list|cloud|links)|post-?tags|meta|skip-?link|trending|"
    r"most-?popular|more-?stories|read-?more|see-?also|also-?read|masthead|site-?header|login|"
    r"banner|popup|rail|most-?read|follow-?us|(?:download-?)?app-?(?:promo|download|teaser|banner))"
    r"(?=$|[-_\s]))",
    re.IGNORECASE,
)
# Reader comments: furniture even when they outweigh the article.
# (Not a state such as "comments-enabled" on the article itself.)
_COMMENTS = re.compile(r"(?:^|[-_\s])(?:comment(?!s?[-_]?(?:enabled|open|closed|allowed|on\b|off\b))|respond|disqus)",
                       re.IGNORECASE)
# Names of the element that holds an article's text, across CMSs.
_CONTENT = re.compile(
    r"(?:article|entry|post|story|main|body|text|content|rich)[-_]*(?:body|content|text)|articlebody|"
    r"paywall",
    re.IGNORECASE,
)
_NEGATIVE_HINT = re.compile(r"teaser|card|list|feed|grid|carousel|slider|more|also|promo|rail", re.IGNORECASE)
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SCORED_TAGS = frozenset({"p", "pre", "blockquote", "div", "section", "article", "td", "main", "span"})


_SLUG_MIN_PARTS = 5  # an id of this many hyphenated words was made from text (a slide's caption), not named


def _names(element: HtmlElement) -> str:
    identifier = element.get("id") or ""
    if identifier.count("-") + 1 >= _SLUG_MIN_PARTS:
        identifier = ""  # "zendaya-promoted-dune-part-two-...": its words name nothing about the element
    # Script-built pages name their components in data- attributes rather than classes.
    component = element.get("data-testid") or element.get("data-component") or ""
    return f"{element.get('class') or ''} {identifier} {component}".strip()


_CAMEL_CASE_JOIN = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _name_parts(names: str) -> str:
    """Class/id names, and again with camelCase words as parts ("c-inlineSignup" -> "c-inline
    Signup"), as CSS-in-JS and BEM-with-camelCase pages write them."""
    split = _CAMEL_CASE_JOIN.sub(" ", names)
    return names if split == names else f"{names} {split}"


# Names of a box that is furniture when it links away (a teaser of another story, a card),
# though some CMSs name the standfirst "teaser" too: that one carries no link.
_LINKED_BOX = re.compile(r"(?:^|[-_\s])(?:teaser|card)", re.IGNORECASE)
_LINKED_BOX_MIN_LINK_SHARE = 0.2


_CONTENT_MIN_PROSE = 200  # prose chars an element named as article text holds to be believed


def _is_furniture(element: HtmlElement, text_chars: int, link_chars: int, prose_chars: int) -> bool:
    """Named, tagged or hidden as furniture; a teaser/card box whose text links away; an image
    box holding no more than a caption, named as one or opening with its image. A name that also
    says article text ("paywall-content") wins only on an element holding prose: a
    "paywall-prompt" or "article-body-newsletter" box holds none."""
    if element.tag in FURNITURE_TAGS:
        return True
    if element.get("hidden") is not None or element.get("aria-hidden") == "true" or hidden_by_class(element) \
            or "display:none" in (element.get("style") or "").replace(" ", ""):
        return True
    if text_chars <= _IMAGE_BOX_MAX_CHARS and _opens_with_image(element):
        return True
    names = _names(element)
    if not names or element.get("itemprop") == "articleBody":
        return False
    parts = _name_parts(names)
    linking = link_chars >= _LINKED_BOX_MIN_LINK_SHARE * text_chars
    image_box = text_chars <= _IMAGE_BOX_MAX_CHARS and _IMAGE_BOX.search(parts) \
        and element.find(".//img") is not None
    named = _FURNITURE.search(parts) and not _is_quoted_embed(element, parts)
    return bool((named or (linking and _LINKED_BOX.search(parts)) or image_box)
                and not (prose_chars >= _CONTENT_MIN_PROSE and _CONTENT.search(names)))


def _opens_with_image(element: HtmlElement) -> bool:
    """An image comes first, before any text: the text after it is its caption, unless set in
    paragraphs (a media object sets text beside its image)."""
    if not len(element) or element[0].tag not in ("img", "picture") or (element.text or "").strip():
        return False
    return element.find(".//p") is None


_EMBED = re.compile(r"(?:^|[-_\s])embed", re.IGNORECASE)
# The class a social network's embed code gives the quoted post.
_POST_EMBED = re.compile(r"twitter-tweet|instagram-media|tiktok-embed|bluesky-embed|mastodon-embed", re.IGNORECASE)


def _is_quoted_embed(element: HtmlElement, parts: str) -> bool:
    """An embed holding a quotation (a post the article quotes), though its CMS names it a
    widget: the quoted words are part of the text."""
    quotes = element.findall(".//blockquote")
    return bool(quotes) and (_EMBED.search(parts) is not None
                             or any(_POST_EMBED.search(q.get("class") or "") for q in quotes))


# A box named for its image, holding no more text than a caption and credit: a figure without
# the <figure> tag.
# ("media" is left out: Bootstrap's media object sets text beside an image.)
_IMAGE_BOX = re.compile(r"(?:^|[-_\s])[a-z]*(?:image|img|photo|picture|bild|foto)(?=$|[-_\s])", re.IGNORECASE)
_IMAGE_BOX_MAX_CHARS = 300


def _chars_held(blocks: list[Block]) -> tuple[dict[HtmlElement, int], dict[HtmlElement, int], dict[HtmlElement, int]]:
    """Characters of text, of link text and of prose (blocks of 80 characters or more, few of
    them in links) in the blocks each element holds, its own and its descendants', for every
    element holding any."""
    text_chars: dict[HtmlElement, int] = defaultdict(int)
    link_chars: dict[HtmlElement, int] = defaultdict(int)
    prose: dict[HtmlElement, int] = defaultdict(int)
    for block in blocks:
        text_chars[block.element] += len(block.text)
        link_chars[block.element] += block.link_chars
        if len(block.text) >= 80 and block.link_density < 0.2:
            prose[block.element] += len(block.text)
    # Then each element adds its counts to its parent's, the deepest first: a step per element
    # rather than one per block and ancestor.
    for element in _deepest_first(list(text_chars)):
        parent = element.getparent()
        if parent is not None:
            text_chars[parent] += text_chars[element]
            link_chars[parent] += link_chars[element]
            if element in prose:
                prose[parent] += prose[element]
    return text_chars, link_chars, prose


def _deepest_first(elements: list[HtmlElement]) -> list[HtmlElement]:
    """``elements`` and their ancestors, each after its descendants."""
    depths: dict[HtmlElement, int] = {}
    for element in elements:
        unmeasured = []
        while element is not None and element not in depths:
            unmeasured.append(element)
            element = element.getparent()
        depth = depths[element] if element is not None else 0
        for element in reversed(unmeasured):
            depth += 1
            depths[element] = depth
    return sorted(depths, key=depths.__getitem__, reverse=True)


def without_furniture(root: HtmlElement, blocks: list[Block]) -> list[Block]:
    """The blocks not inside furniture. A furniture tag or name does not count on an element
    wrapping an element named as article text, nor (comments aside) on one holding most of the
    page's prose: that is a page wrapper (an ASP.NET <form>), a state ("modal-enabled") or a
    layout ("sidebar-grid")."""
    text_chars, link_chars, prose = _chars_held(blocks)
    most = 0.5 * prose[root]
    threads = _comment_threads(root)
    wrappers = set()
    for element, chars in prose.items():
        if chars >= max(200, 0.1 * prose[root]) and (
                element.get("itemprop") == "articleBody" or _CONTENT.search(_names(element))):
            wrappers.update(element.iterancestors())
    dropped: dict[HtmlElement, bool] = {}  # element -> in furniture, itself or an ancestor

    def is_dropped(element: HtmlElement) -> bool:
        # Outermost first, each element once: what lies inside furniture needs no look of its own.
        unjudged = []
        while element is not None and element not in dropped:
            unjudged.append(element)
            element = element.getparent()
        verdict = element is not None and dropped[element]
        for element in reversed(unjudged):
            verdict = verdict or is_furniture(element)
            dropped[element] = verdict
        return verdict

    def is_furniture(element: HtmlElement) -> bool:
        chars = prose.get(element, 0)
        if element.tag in ("html", "body", "main") or element in wrappers:
            return False
        if element in threads:  # however long, unless one of its items holds most of the page's text
            # (A comment's <dd> does not count where the page has prose of its own beside the thread.)
            beside = prose[root] > chars
            return chars <= most or all(prose.get(item, 0) <= most for item in element
                                        if not (beside and _is_comment_text(item)))
        return _is_furniture(element, text_chars[element], link_chars[element], chars) \
            and (chars <= most or _COMMENTS.search(_names(element)) is not None)

    return [b for b in blocks if not is_dropped(b.element)]


# A link to one reader comment, numbered: its permalink, or WordPress's reply link.
_COMMENT_LINK = re.compile(r"#comment-?(\d+)$|[?&]replytocom=(\d+)", re.IGNORECASE)
_LIST_TAGS = frozenset({"ol", "ul", "dl"})


def _is_comment_text(item: HtmlElement) -> bool:
    """A <dd> after a <dt> that links to a comment: that comment's text, however long."""
    term = item.getprevious() if item.tag == "dd" else None
    return term is not None and term.tag == "dt" and any(
        _COMMENT_LINK.search(link.get("href") or "") for link in term.iter("a"))


_THREAD_OTHER_TEXT_MAX = 300  # characters a thread's items without comment links hold (a <dd> aside)


def _comment_threads(root: HtmlElement) -> set[HtmlElement]:
    """Lists of reader comments told by their links rather than their names (a theme may name
    them nothing, or a hashed class): an <ol>, <ul> or <dl> whose items link to two comments or
    more (a comment's own list of "Permalink" and "Reply" links names one), and whose other items
    hold next to no text (a <dd> holds the text its <dt> links to). A list holding an <h1>, or an
    item of other text (the article's own), is the page's layout, not a thread."""
    items: dict[HtmlElement, set[HtmlElement]] = defaultdict(set)  # list -> its items linking to comments
    comments: dict[HtmlElement, set[str]] = defaultdict(set)  # list -> the comments they link to
    for link in root.iter("a"):
        number = _COMMENT_LINK.search(link.get("href") or "")
        if number:
            child = link
            for ancestor in link.iterancestors():
                if ancestor.tag in _LIST_TAGS:
                    items[ancestor].add(child)
                    comments[ancestor].add(number.group(1) or number.group(2))
                child = ancestor
    return {thread for thread, held in items.items()
            if len(held) >= 2 and len(comments[thread]) >= 2 and thread.find(".//h1") is None
            and sum(len(text_of(item)) for item in thread if isinstance(item.tag, str) and item not in held
                    and item.tag != "dd") <= _THREAD_OTHER_TEXT_MAX}


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _containers_from_declared(blocks: list[Block], declared_text: str) -> list[HtmlElement]:
    """The smallest element holding nearly all visible blocks that the declared text contains,
    and its siblings holding the rest (a template that sets the first paragraph apart)."""
    declared = _collapse(declared_text)
    matched = [b for b in blocks if len(b.text) >= 30 and _collapse(b.text) in declared]
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
    shown_inside = {b.text for b in matched if _is_under(b.element, {best})}
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
    names = _names(element)
    factor = 1.0
    if element.get("itemprop") == "articleBody" or _CONTENT.search(names):
        factor *= 1.5
    elif names and _NEGATIVE_HINT.search(names):
        factor *= 0.5
    if element.tag == "article":
        factor *= 1.2
    if headline_article is not None and (element is headline_article or headline_article in element.iterancestors()):
        factor *= 1.5
    elif headline_article is not None and not _is_under(headline_article, {element}):
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
        if element.get("class") and not _is_under(top, {element}):
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
        chosen += [entry for entry in _live_entries(final, top) if not _is_under(entry, {top})]
    chosen += _joining_siblings(top, top_score, blocks, scored)
    # A CMS that splits the text around ads and embeds repeats the container's tag and class:
    # its twins in the same article are the rest of the text.
    if top.get("class"):
        scope = next((a for a in (top, *top.iterancestors()) if a.tag == "article"), top.getroottree().getroot())
        for twin in scope.iter(top.tag):
            if twin is not top and twin.get("class") == top.get("class") and text_chars[twin] >= 100 \
                    and link_chars[twin] < 0.3 * text_chars[twin] and not _is_under(twin, set(chosen)):
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
                       if b.element.get("class") and b.element is not top and _is_under(b.element, {top})}
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
    text = len(_collapse(element.text_content()))
    links = sum(len(_collapse(a.text_content())) for a in element.iter("a"))
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
    return [b for b in inside if not _is_under(b.element, embedded)]


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


def _headline_article(root: HtmlElement, headline: str | None) -> HtmlElement | None:
    """The <article> element holding the headline, if any."""
    element = find_headline(root, headline) if headline else None
    return next((a for a in element.iterancestors() if a.tag == "article"), None) if element is not None else None


_NOT_LETTERS = re.compile(r"[\W_]+")


def _letters(text: str) -> str:
    """Letters and digits, case folded: a heading shows "…" where the declared title has "..."."""
    return _NOT_LETTERS.sub("", text.casefold())


def _has_letters(text: str, key: str) -> bool:
    """``_letters(text) == key``, told from the start of ``text`` when that already differs: most
    paragraphs are far longer than a headline. (Letters are folded one character at a time, so
    the start's letters begin the whole text's.)"""
    return key.startswith(_letters(text[:len(key) + 1])) and _letters(text) == key


def _is_under(element: HtmlElement, roots: set[HtmlElement]) -> bool:
    return element in roots or any(a in roots for a in element.iterancestors())


def _keep(blocks: list[Block], headline: str | None, bylines: Iterable[str], host: str = "") -> list[str]:
    headline_key = _letters(headline or "")
    byline_keys = [name.casefold() for name in bylines if name]
    kept: list[tuple[str, bool]] = []  # text, is heading
    for block, after in zip(blocks, [*blocks[1:], None]):
        text, key = block.text, _collapse(block.text).casefold()
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


# Where a "get our app" or "follow our channel" line sends readers: app stores, WhatsApp
# channels, a Google News follow page.
_APP_LINK = re.compile(r"//(?:play\.google\.com/store|apps\.apple\.com|itunes\.apple\.com|(?:www\.)?whatsapp\.com/channel|"
                       r"news\.google\.com/publications)", re.IGNORECASE)
_APP_PROMO_MAX_CHARS = 160  # a line, not a paragraph about an app that links its store page


def _without_app_promos(root: HtmlElement, blocks: list[Block]) -> list[Block]:
    """The blocks less short lines linking to an app store or a follow page: the site's promotion,
    set among the paragraphs ("News on your phone? Get our app for Android and iOS"). A link
    belongs to its nearest block-level element, and to the line there that shows its text."""
    link_texts: dict[HtmlElement, list[re.Pattern[str]]] = defaultdict(list)  # block element -> its app links
    for link in root.iter("a"):
        text = text_of(link)
        if text and _APP_LINK.search(link.get("href") or ""):  # (a badge without text names no line)
            holder = next((e for e in link.iterancestors() if e.tag not in INLINE_TAGS), None)
            link_texts[holder].append(re.compile(rf"(?<!\w){re.escape(text)}(?!\w)"))
    if not link_texts:
        return blocks
    return [b for b in blocks if len(b.text) > _APP_PROMO_MAX_CHARS
            or not any(text.search(b.text) for text in link_texts.get(b.element, ()))]


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
    return len(text) < _HEADER_LINE_MAX_CHARS and (not text.rstrip().endswith((".", "!", "?", ":"))
                                                   or len(_WORDS.findall(text)) < _SENTENCE_MIN_WORDS)


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
    wanted = {_collapse(lead).casefold() for lead in leads if lead and len(lead) >= _LEAD_MIN_CHARS}
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
        shown = _collapse(block.text).casefold()
        prose = len(shown) >= _NAMED_LEAD_MIN_CHARS and block.link_density < 0.2
        if prose and shown.endswith((".", "!", "?")) and block.text not in texts_inside:
            below_headline = block  # (not a header repeating the text's first paragraph)
        if shown in wanted or any(shown.endswith(lead) and len(shown) - len(lead) <= _DATELINE_MAX_CHARS
                                  for lead in wanted):
            return with_what_follows(block)
        holders = (block.element, *list(block.element.iterancestors())[:2])
        if prose and any(_LEAD_NAMES.search(_name_parts(_names(e))) for e in holders):
            return with_what_follows(block)
    return []


def _is_sentence(block: Block) -> bool:
    """Reads as a sentence: ends as one, and few of its words link away."""
    return block.link_density < 0.5 and block.text.rstrip().rstrip("\"”’»\'").endswith((".", "!", "?"))


def _with_its_list(lead: Block, blocks: list[Block]) -> list[Block]:
    """The standfirst, or when it is the first of a list of key points, the whole list."""
    holder = lead.element.getparent() if lead.tag == "li" else None
    if holder is None:
        return [lead]
    return [b for b in blocks if b.tag == "li" and b.element.getparent() is holder]


# Text for screen readers only, hidden on screen ("(opens in a new window)" inside a link).
_SCREEN_READER_ONLY = re.compile(r"(?:^|[-_\s])(?:sr-only|screen-?reader-(?:only|text)|visually-?hidden)(?=$|[-_\s])|"
                                 r"(?:^|\s)[a-z]+-vh(?=$|\s)")
# (XPath picks the few candidates in C, walking class attributes rather than every element; the
# pattern above decides.)
_SCREEN_READER_CANDIDATES = etree.XPath(
    "//@class[contains(., 'sr-only') or contains(., 'reader') or contains(., 'idden') or contains(., '-vh')]/..")


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
    for element in list(root.iter(*NEVER_TEXT_TAGS)):
        element.drop_tree()
    for element in _SCREEN_READER_CANDIDATES(root):
        if _SCREEN_READER_ONLY.search(element.get("class")):
            element.drop_tree()
    if remove_selector:
        for element in root.cssselect(remove_selector):
            element.drop_tree()
    if container_selector:
        blocks = [b for r in root.cssselect(container_selector) for b in iter_blocks(r)]
        return "\n\n".join(_keep(_without_app_promos(root, blocks), headline, bylines))
    blocks = _without_app_promos(root, without_furniture(root, iter_blocks(root)))
    declared_text = declared_text if declared_text and len(declared_text) >= 500 else None
    roots = set(_containers_from_declared(blocks, declared_text) if declared_text else ()) or \
        set(_container_by_score(blocks, _headline_article(root, headline), live_blog))
    inside = _without_repeats(_without_embedded_stories([b for b in blocks if _is_under(b.element, roots)], roots))
    # (The container's own header lines are looked for after the standfirst set above it.)
    host = _host(url)
    body = "\n\n".join(_keep(_shown_lead(blocks, inside, leads, headline), headline, bylines, host)
                       + _keep(inside, headline, bylines, host))
    if declared_text and len(body) < 0.5 * len(declared_text):
        # The page shows less than it declares (text rendered by script, a teaser): the
        # declared text is the better witness.
        return "\n\n".join(p for p in (" ".join(line.split()) for line in declared_text.splitlines()) if p)
    return body
