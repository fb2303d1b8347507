"""Step 1 of the body: cut what is never article text.

Scripts, forms, navigation, figures and captions, hidden elements and text for screen readers
only, and blocks whose class, id or component name calls them furniture (comments, share bars,
related links, newsletter boxes, author bios, rails, polls, galleries, pull quotes, WordPress's
#respond ...), teaser boxes that link away, and image boxes holding no more than a caption (named
so, or opening with the image), lists of reader comments however named, told by their
permalinks, and short lines sending readers to an app store or a follow page. A post the article
quotes with a network's embed code stays, whatever box holds it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import NamedTuple

from lxml import etree
from lxml.html import HtmlElement

from crawler.extraction.blocks import INLINE_TAGS, Block, hidden_by_class, text_of

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
CONTENT_NAMES = re.compile(
    r"(?:article|entry|post|story|main|body|text|content|rich)[-_]*(?:body|content|text)|articlebody|"
    r"paywall",
    re.IGNORECASE,
)

_SLUG_MIN_PARTS = 5  # an id of this many hyphenated words was made from text (a slide's caption), not named


def box_names(element: HtmlElement) -> str:
    identifier = element.get("id") or ""
    if identifier.count("-") + 1 >= _SLUG_MIN_PARTS:
        identifier = ""  # "zendaya-promoted-dune-part-two-...": its words name nothing about the element
    # Script-built pages name their components in data- attributes rather than classes.
    component = element.get("data-testid") or element.get("data-component") or ""
    return f"{element.get('class') or ''} {identifier} {component}".strip()


_CAMEL_CASE_JOIN = re.compile(r"(?<=[a-z])(?=[A-Z])")


def name_parts(names: str) -> str:
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
    names = box_names(element)
    if not names or element.get("itemprop") == "articleBody":
        return False
    says = _names_say(names)
    linking = link_chars >= _LINKED_BOX_MIN_LINK_SHARE * text_chars
    image_box = text_chars <= _IMAGE_BOX_MAX_CHARS and says.image_box and element.find(".//img") is not None
    named = says.furniture and not _is_quoted_embed(element, says.embed)
    return bool((named or (linking and says.linked_box) or image_box)
                and not (prose_chars >= _CONTENT_MIN_PROSE and says.content))


class _NamesSay(NamedTuple):
    """What an element's class, id and component names say of it, whatever the element."""

    furniture: bool
    linked_box: bool  # a teaser or card: furniture when it links away
    image_box: bool
    embed: bool
    content: bool  # the article's text


# A page repeats its names (every item of a menu, every card of a rail) and a site's pages share
# them: each distinct string is read by the patterns once, which took a third of the furniture step.
@lru_cache(maxsize=4096)
def _names_say(names: str) -> _NamesSay:
    parts = name_parts(names)
    return _NamesSay(furniture=_FURNITURE.search(parts) is not None, linked_box=_LINKED_BOX.search(parts) is not None,
                     image_box=_IMAGE_BOX.search(parts) is not None, embed=_EMBED.search(parts) is not None,
                     content=CONTENT_NAMES.search(names) is not None)


def _opens_with_image(element: HtmlElement) -> bool:
    """An image comes first, before any text: the text after it is its caption, unless set in
    paragraphs (a media object sets text beside its image)."""
    if not len(element) or element[0].tag not in ("img", "picture") or (element.text or "").strip():
        return False
    return element.find(".//p") is None


_EMBED = re.compile(r"(?:^|[-_\s])embed", re.IGNORECASE)
# The class a social network's embed code gives the quoted post.
_POST_EMBED = re.compile(r"twitter-tweet|instagram-media|tiktok-embed|bluesky-embed|mastodon-embed", re.IGNORECASE)


def _is_quoted_embed(element: HtmlElement, named_embed: bool) -> bool:
    """An embed holding a quotation (a post the article quotes), though its CMS names it a
    widget (``named_embed``): the quoted words are part of the text."""
    quotes = element.findall(".//blockquote")
    return bool(quotes) and (named_embed or any(_POST_EMBED.search(q.get("class") or "") for q in quotes))


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


class PageLinks(NamedTuple):
    """A page's links, for the steps that look for a kind of link: most pages have none of the
    kinds, which one search of ``hrefs`` tells without a look at each link."""

    elements: list[HtmlElement]  # the <a> elements, in page order
    hrefs: str  # their addresses, one a line


def page_links(root: HtmlElement) -> PageLinks:
    links = list(root.iter("a"))
    return PageLinks(links, "\n".join(link.get("href") or "" for link in links))


def without_furniture(root: HtmlElement, blocks: list[Block], links: PageLinks) -> list[Block]:
    """The blocks not inside furniture. A furniture tag or name does not count on an element
    wrapping an element named as article text, nor (comments aside) on one holding most of the
    page's prose: that is a page wrapper (an ASP.NET <form>), a state ("modal-enabled") or a
    layout ("sidebar-grid")."""
    text_chars, link_chars, prose = _chars_held(blocks)
    most = 0.5 * prose[root]
    threads = _comment_threads(links)
    wrappers = set()
    for element, chars in prose.items():
        if chars >= max(200, 0.1 * prose[root]) and (
                element.get("itemprop") == "articleBody" or CONTENT_NAMES.search(box_names(element))):
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
            and (chars <= most or _COMMENTS.search(box_names(element)) is not None)

    return [b for b in blocks if not is_dropped(b.element)]


# A link to one reader comment, numbered: its permalink, or WordPress's reply link.
_COMMENT_LINK = re.compile(r"#comment-?(\d+)$|[?&]replytocom=(\d+)", re.IGNORECASE)
# The same on the lines of PageLinks.hrefs: it finds one wherever _COMMENT_LINK finds one in an address.
_COMMENT_LINK_ON_A_LINE = re.compile(_COMMENT_LINK.pattern, re.IGNORECASE | re.MULTILINE)
_LIST_TAGS = frozenset({"ol", "ul", "dl"})


def _is_comment_text(item: HtmlElement) -> bool:
    """A <dd> after a <dt> that links to a comment: that comment's text, however long."""
    term = item.getprevious() if item.tag == "dd" else None
    return term is not None and term.tag == "dt" and any(
        _COMMENT_LINK.search(link.get("href") or "") for link in term.iter("a"))


_THREAD_OTHER_TEXT_MAX = 300  # characters a thread's items without comment links hold (a <dd> aside)


def _comment_threads(links: PageLinks) -> set[HtmlElement]:
    """Lists of reader comments told by their links rather than their names (a theme may name
    them nothing, or a hashed class): an <ol>, <ul> or <dl> whose items link to two comments or
    more (a comment's own list of "Permalink" and "Reply" links names one), and whose other items
    hold next to no text (a <dd> holds the text its <dt> links to). A list holding an <h1>, or an
    item of other text (the article's own), is the page's layout, not a thread."""
    items: dict[HtmlElement, set[HtmlElement]] = defaultdict(set)  # list -> its items linking to comments
    comments: dict[HtmlElement, set[str]] = defaultdict(set)  # list -> the comments they link to
    if not _COMMENT_LINK_ON_A_LINE.search(links.hrefs):
        return set()
    for link in links.elements:
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


# Where a "get our app" or "follow our channel" line sends readers: app stores, WhatsApp
# channels, a Google News follow page.
_APP_LINK = re.compile(r"//(?:play\.google\.com/store|apps\.apple\.com|itunes\.apple\.com|(?:www\.)?whatsapp\.com/channel|"
                       r"news\.google\.com/publications)", re.IGNORECASE)
_APP_PROMO_MAX_CHARS = 160  # a line, not a paragraph about an app that links its store page


def without_app_promos(links: PageLinks, blocks: list[Block]) -> list[Block]:
    """The blocks less short lines linking to an app store or a follow page: the site's promotion,
    set among the paragraphs ("News on your phone? Get our app for Android and iOS"). A link
    belongs to its nearest block-level element, and to the line there that shows its text."""
    if not _APP_LINK.search(links.hrefs):  # (no address holds a line break _APP_LINK could match)
        return blocks
    link_texts: dict[HtmlElement, list[re.Pattern[str]]] = defaultdict(list)  # block element -> its app links
    for link in links.elements:
        if not _APP_LINK.search(link.get("href") or ""):  # (most links: their text is not needed)
            continue
        text = text_of(link)
        if text:  # (a badge without text names no line)
            holder = next((e for e in link.iterancestors() if e.tag not in INLINE_TAGS), None)
            link_texts[holder].append(re.compile(rf"(?<!\w){re.escape(text)}(?!\w)"))
    if not link_texts:
        return blocks
    return [b for b in blocks if len(b.text) > _APP_PROMO_MAX_CHARS
            or not any(text.search(b.text) for text in link_texts.get(b.element, ()))]


# Text for screen readers only, hidden on screen ("(opens in a new window)" inside a link).
_SCREEN_READER_ONLY = re.compile(r"(?:^|[-_\s])(?:sr-only|screen-?reader-(?:only|text)|visually-?hidden)(?=$|[-_\s])|"
                                 r"(?:^|\s)[a-z]+-vh(?=$|\s)")
# (XPath picks the few candidates in C, walking class attributes rather than every element; the
# pattern above decides.)
_SCREEN_READER_CANDIDATES = etree.XPath(
    "//@class[contains(., 'sr-only') or contains(., 'reader') or contains(., 'idden') or contains(., '-vh')]/..")


def drop_never_text(root: HtmlElement) -> None:
    """Cut from ``root`` the elements that never hold article text (scripts, embeds, forms' fields
    ...) and the text for screen readers only."""
    # (In C, each element's tail kept where it was, as drop_tree keeps it: a third of the time.)
    etree.strip_elements(root, *NEVER_TEXT_TAGS, with_tail=False)
    for element in _SCREEN_READER_CANDIDATES(root):
        if _SCREEN_READER_ONLY.search(element.get("class")):
            element.drop_tree()
