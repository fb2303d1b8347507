"""Who wrote the article: person names from JSON-LD, meta tags, or the visible byline.

Bylines come dressed ("By Jane Doe and John Roe, Staff Writers", "Von Jane Doe | Reuters");
names come out bare, read by the byline grammar (crawler.text.bylines). The visible byline is an element named as one, a link to an author page,
or a short "By Jane Doe" / "Jane Doe | 5 March 2024" line after the headline; photo credits and
profile links in it are not names. Writers marked up as authors (rel="author") complete a
declared list that names only the first.
The site's own name (and a shared CMS account's) is dropped when a person is named, and so is a
person the byline labels as the editor. When no person is named, a paragraph of bold names at
the start or end of the text is the byline.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lxml import etree
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

from crawler.extraction.blocks import OTHER_BOXES, text_of
from crawler.extraction.dates import VISIBLE_DATE
from crawler.extraction.metadata import Metadata, is_type, jsonld_field, text_value
from crawler.text.bylines import (BY, DATE_LEAD_IN, EDITOR_LABEL, WRITTEN_BY_LABEL, clean_names, fits_a_name,
                                  is_full_name, looks_like_a_name)


def _class_word(name: str) -> str:
    """XPath test of a class attribute naming ``name`` (CSS ".name"); the plain substring test
    first, since it is cheap and rules out nearly every attribute."""
    return f"contains(., '{name}') and contains(concat(' ', normalize-space(.), ' '), ' {name} ')"


# Byline elements, most telling first. XPath that walks the page's attributes (class, itemprop,
# href) rather than its elements, as CSS selectors do: about twice as fast, and a page may be
# walked once per kind. In CSS: [itemprop="author"] [itemprop="name"], [itemprop="author"],
# [rel="author"], .author.vcard, .vcard .fn, [class*="byline"] ..., [id*="author"], [itemprop="creator"],
# a[href*="/author/"] ... The first two kinds share one walk, as do the next but one and the one after.
_ITEMPROP_AUTHORS = etree.XPath("//@itemprop[. = 'author']/..")
_NAMES_INSIDE = etree.XPath("descendant::*[@itemprop = 'name']")
_REL_AUTHORS = etree.XPath("//@rel[. = 'author']/..")
_VCARDS = etree.XPath(f"//@class[{_class_word('vcard')}]/..")
_CLASS_AUTHOR = etree.XPath(f"@class[{_class_word('author')}]")
_FNS_INSIDE = etree.XPath(f"descendant::*/@class[{_class_word('fn')}]/..")
_OTHER_BYLINES = tuple(etree.XPath(path) for path in (
    *(f"//@class[contains(., '{part}')]/.." for part in ("byline", "by_line", "author-name", "authorName", "author",
                                                         "autor", "auteur", "writer", "contributor")),
    "//@id[contains(., 'author')]/..",
    "//@itemprop[. = 'creator']/..",
    *(f"//a/@href[contains(., '{part}')]/.." for part in ("/author/", "/authors/", "/autor/", "/autoren/", "/auteur/")),
))


def _inside(boxes: list[HtmlElement], path: etree.XPath) -> list[HtmlElement]:
    """What ``path`` finds inside each box, each once, in page order (boxes come in page order,
    and one inside another adds nothing new)."""
    return list(dict.fromkeys(found for box in boxes for found in path(box)))


def _byline_candidates(root: HtmlElement) -> Iterator[list[HtmlElement]]:
    """The elements of each kind of byline, most telling first, each kind found when asked for."""
    authors = _ITEMPROP_AUTHORS(root)
    yield _inside(authors, _NAMES_INSIDE)
    yield authors
    yield _REL_AUTHORS(root)
    vcards = _VCARDS(root)
    yield [vcard for vcard in vcards if _CLASS_AUTHOR(vcard)]
    yield _inside(vcards, _FNS_INSIDE)
    for selector in _OTHER_BYLINES:
        yield selector(root)


_MARKUP_SELECTORS = 3  # the first: schema.org or rel="author" markup, which marks each writer
_NOT_BYLINE_PLACES = re.compile(rf"{OTHER_BOXES}|footer|breadcrumb|caption|credit|quote", re.IGNORECASE)


def _jsonld_authors(metadata: Metadata) -> tuple[list[str], list[str]]:
    """(people, organizations) named as authors in JSON-LD."""
    people: list[str] = []
    organizations: list[str] = []
    declared: Any = jsonld_field(metadata, "author") or jsonld_field(metadata, "creator")
    for entry in declared if isinstance(declared, list) else [declared] if declared else []:
        entry = metadata.resolve(entry)
        name = text_value(entry.get("name")) if isinstance(entry, dict) else text_value(entry)
        if not name:
            continue
        target = organizations if isinstance(entry, dict) and is_type(entry, frozenset({
            "organization", "newsmediaorganization", "corporation"})) else people
        # A declared name is a name even when it reads like a role ("Guardian staff reporter").
        target.extend(clean_names(name) or ([name] if fits_a_name(name) else []))
    return people, organizations


def _meta_authors(metadata: Metadata) -> list[str]:
    names: list[str] = []
    raws = metadata.all_meta("author", "article:author", "parsely-author", "sailthru.author", "dc.creator",
                             "byl", "cxenseparse:author", "citation_author", "twitter:misc:written by")
    # Yoast's Twitter card: twitter:label1 "Written by", twitter:data1 the name.
    for number in "1234":
        if WRITTEN_BY_LABEL.match(metadata.first_meta(f"twitter:label{number}") or ""):
            raws.append(metadata.first_meta(f"twitter:data{number}") or "")
    for raw in raws:
        names.extend(clean_names(raw))
    return names


def _headline_boxes(headline: HtmlElement | None) -> frozenset[HtmlElement]:
    """The article's own boxes: those that hold its headline, and those beside it (the meta line
    under it)."""
    if headline is None:
        return frozenset()
    return frozenset([*headline.iterancestors(), *headline.itersiblings(), *headline.itersiblings(preceding=True)])


_FURNITURE_TAGS = frozenset({"footer", "aside", "nav", "figure", "figcaption", "blockquote", "button"})


def _in_furniture(element: HtmlElement, article: frozenset[HtmlElement]) -> bool:
    """Whether ``element`` is or sits in a box apart from the article's byline (comments, sidebar, a photo's
    caption, a quotation's source, another story's <article>). A box of the article's own is no such
    box whatever its class says ("sidebar-grid__header", "hasCaption", "social-comments" counts on
    the meta line); <body> and <html> classes name the kind of page ("segment--recommended"). A
    figure is a photo with its credit, unless what sits in it is marked as the author (rel="author",
    <address>): a template's author card, photo beside name."""
    signed = element.tag == "address" or "author" in (element.get("rel") or "").split()
    own_articles = [box for box in article if box.tag == "article"]  # the headline's
    for box in (element, *element.iterancestors()):
        signed = signed or box.tag == "address"
        if box.tag in _FURNITURE_TAGS and not (signed and box.tag in ("figure", "figcaption")):
            return True
        if box in article or box.tag in ("body", "html"):
            return False
        # Another story's <article>: a card linking away, one outside the headline's <article>, or
        # one inside it whose heading links to the story (a related story set in the text).
        if box.tag == "article" and (_is_card(box) or (own_articles and (
                not any(own in box.iterancestors() for own in own_articles) or _heading_links_away(box)))):
            return True
        if _NOT_BYLINE_PLACES.search(f"{box.get('class') or ''} {box.get('id') or ''}"):
            return True
    return False


_CARD_MAX_CHARS = 400  # text of an <article> that links to another story, to be its card


_LINKS_AWAY = etree.XPath(".//a[@href and not(starts-with(@href, '#'))]")  # not to a part of the page


def _is_card(article: HtmlElement) -> bool:
    """An <article> holding no more than a teaser and a link: another story's card in a list."""
    if not _LINKS_AWAY(article):
        return False
    chars = 0
    for text in article.itertext():  # counted only as far as a card's length: an article is long
        chars += len(text.strip())
        if chars > _CARD_MAX_CHARS:
            return False
    return True


def _heading_links_away(article: HtmlElement) -> bool:
    """Whether a heading at the <article>'s top (before its first paragraph) is wholly a link to
    another page: a teaser's title, leading to its story, perhaps under a kicker ("Read also").
    A subheading in the text, or one linking to a part of the page, is no such thing."""
    for element in article.iter("h1", "h2", "h3", "h4", "p"):
        if element.tag == "p":
            return False
        links = element.findall(".//a[@href]")
        if len(links) == 1 and not links[0].get("href", "").startswith("#") \
                and bool(text_of(links[0])) and text_of(links[0]) == text_of(element):
            return True
    return False


_BY_LINE_REACH = 60  # elements after the headline where a byline may sit
_BY_LINE_MAX_CHARS = 100
_FOLLOWING = etree.XPath(f"following::*[position() <= {_BY_LINE_REACH}]")
# "Jane Doe | 5 March 2024": names alone before the date, with no "By".
_NAMES_BEFORE_SEPARATOR = re.compile(r"^(?P<names>[^|·•]{3,60}?)\s*[|·•]\s*")


def _by_line_after_headline(headline: HtmlElement | None, article: frozenset[HtmlElement]) -> list[str]:
    """Names on a short "By Jane Doe" or "Jane Doe | 5 March 2024" line shortly after the
    headline, for a byline the template does not name as one."""
    if headline is None:
        return []
    for element in _FOLLOWING(headline):
        text = text_of(element) if isinstance(element.tag, str) else ""
        if text and len(text) <= _BY_LINE_MAX_CHARS:
            names = _line_names(text)
            if names and not _in_furniture(element, article):
                return names
    return []


def _line_names(text: str) -> list[str]:
    """The names of a line that is a byline, else []; unlabelled names must each be a full name
    ("Politics | 5 March 2024" names a section)."""
    if BY.match(text):
        # "By Jane Doe on March 3, 2024": the names end where the word leading to the date begins.
        date = VISIBLE_DATE.search(text)
        lead_in = DATE_LEAD_IN.search(text[:date.start()]) if date else None
        names, is_name = clean_names(text[:lead_in.start()] if lead_in else text), looks_like_a_name
    else:
        before_date = _NAMES_BEFORE_SEPARATOR.match(text)
        if not before_date or not VISIBLE_DATE.match(text[before_date.end():]):
            return []
        names, is_name = clean_names(before_date["names"]), is_full_name
    return names if names and all(is_name(n) for n in names) else []


_BOLD_BYLINE_REACH = 3  # paragraphs at the start of the text where a bold byline may sit
_RUNNING_TEXT_CHARS = 150  # a paragraph this long is running text: its parent holds the article
_FOLLOWING_PARAGRAPHS = etree.XPath("following::p[position() <= 40]")


def _bold_byline_paragraph(root: HtmlElement) -> list[str]:
    """Names in a paragraph set wholly in bold among the first of the article's paragraphs or as
    its last ("<p><strong>Jane Doe / John Roe</strong></p>"): the byline of templates that leave it
    to the text."""
    headline = next(root.iter("h1"), None)
    if headline is None:
        return []
    running = next((p for p in _FOLLOWING_PARAGRAPHS(headline) if len(text_of(p)) >= _RUNNING_TEXT_CHARS), None)
    if running is None or running.getparent() is None:
        return []
    paragraphs = [p for p in running.getparent().iterchildren("p") if text_of(p)]
    for paragraph in paragraphs[:_BOLD_BYLINE_REACH] + paragraphs[-1:]:
        if _wholly_bold(paragraph):
            names = clean_names(text_of(paragraph))
            if names and all(is_full_name(n) for n in names):
                return names
    return []


def _wholly_bold(paragraph: HtmlElement) -> bool:
    children = list(paragraph)
    return (len(children) == 1 and children[0].tag in ("strong", "b") and not (paragraph.text or "").strip()
            and not (children[0].tail or "").strip())


_PART_TAGS = frozenset({"a", "span", "div", "p"})


def _byline_parts(element: HtmlElement) -> list[str]:
    """Texts of the smallest pieces a byline is laid out in ("<div>By A and B</div><div>Agency</div>",
    a name link and profile links); a link to an author's page is one piece, even with first and
    last name in spans."""
    parts = []
    for child in element.iterchildren():
        if not isinstance(child.tag, str):
            continue
        if child.tag == "a" or not any(d.tag in _PART_TAGS for d in child.iterdescendants()):
            if child.tag in _PART_TAGS:
                parts.append(text_of(child))
        else:
            parts.extend(_byline_parts(child))
    return parts


def _visible_byline(root: HtmlElement, article: frozenset[HtmlElement]) -> tuple[list[str], set[str], bool]:
    """Names in the first kind of byline element the page has (a byline listing several people
    in separate elements, links or spans, gives each), and the names those bylines label as the
    editor ("Editor: Jane Doe"), case folded: the person who edited, whom declared data often
    gives as the author."""
    editors: set[str] = set()
    for rank, candidates in enumerate(_byline_candidates(root)):
        names: list[str] = []
        for element in candidates[:6]:
            text = text_of(element)
            label = EDITOR_LABEL.match(text)
            if label:
                editors.update(n.casefold() for n in clean_names(label.group("name")))
                continue
            if not text or len(text) > 150 or _in_furniture(element, article):
                continue
            parts = [] if element.tag == "a" else _byline_parts(element)
            from_parts = [n for part in parts if part for n in clean_names(part)]
            # Names from the parts when the byline is split into several (name link, profile links).
            names.extend(from_parts if len(from_parts) > 1 or (from_parts and len(parts) > 1) else clean_names(text))
        if names:
            return names, editors, rank < _MARKUP_SELECTORS
    return [], editors, False


def _unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    return [n for n in names if not (n.casefold() in seen or seen.add(n.casefold()))]


def site_names(metadata: Metadata, host: str) -> set[str]:
    """How the site calls itself, case folded: og:site_name, the JSON-LD publisher, the host."""
    names = {n.casefold() for n in metadata.all_meta("og:site_name", "application-name")}
    publisher = metadata.resolve(jsonld_field(metadata, "publisher"))
    if isinstance(publisher, dict) and text_value(publisher.get("name")):
        names.add(text_value(publisher.get("name")).casefold())
    bare = host.removeprefix("www.")
    names.update({bare, bare.split(".")[0]})
    return names


# The profile of a CMS's shared account ("/author/admin/"): what it publishes has no named writer.
_ACCOUNT_PAGE = re.compile(r"/(?:author|authors|autor|auteur|user|profile)/(?:admin|administrator|webmaster|"
                           r"redaccion|redaktion|redazione|redaction|newsroom)/?(?:[?#]|$)", re.IGNORECASE)
_AUTHOR_LINKS = CSSSelector('a:is([rel="author"], [href*="/author/"])', translator="html")  # (:is walks the page once)


def _account_names(metadata: Metadata, root: HtmlElement) -> set[str]:
    """Names, case folded, that a page gives to a shared account, in JSON-LD or byline links."""
    declared: Any = jsonld_field(metadata, "author")
    entries = [metadata.resolve(e) for e in (declared if isinstance(declared, list) else [declared])]
    names = {text_value(e.get("name")) for e in entries if isinstance(e, dict)
             and any(_ACCOUNT_PAGE.search(str(e.get(key) or "")) for key in ("url", "@id"))}
    names.update(text_of(a) for a in _AUTHOR_LINKS(root) if _ACCOUNT_PAGE.search(a.get("href") or ""))
    return {n.casefold() for n in names if n}


def _confirmed(names: list[str], visible: list[str]) -> list[str]:
    """``names`` that the visible byline also shows, when it shows any of them: meta tags mix
    the publisher ("author" = the company) with the writers."""
    shown = {n.casefold() for n in visible}
    confirmed = [n for n in names if n.casefold() in shown]
    return confirmed or names


def _with_co_writers(declared: list[str], marked: list[str]) -> list[str]:
    """The writers the page marks up as authors when they include every declared one and more:
    declared data often names only the first of several."""
    shown = {n.casefold() for n in marked}
    return marked if declared and len(shown) > len(declared) and all(n.casefold() in shown for n in declared) \
        else declared


def extract_authors(metadata: Metadata, root: HtmlElement, host: str,
                    headline: HtmlElement | None = None) -> list[str]:
    """People first, with the organizations (agencies) that co-sign; the site's own name only
    when no one else is named; a person the byline labels as the editor only when no writer is named."""
    site = site_names(metadata, host) | _account_names(metadata, root)

    def not_site(names: list[str]) -> list[str]:
        return [n for n in names if n.casefold() not in site and n.casefold().replace(" ", "") not in site]

    people, organizations = _jsonld_authors(metadata)
    article = _headline_boxes(headline)
    visible, editors, marked = _visible_byline(root, article)
    visible = visible or _by_line_after_headline(headline, article)
    declared = _with_co_writers(people, visible) if marked else people
    sources = (declared, _confirmed(_meta_authors(metadata), visible), visible)
    writers = [[n for n in names if n.casefold() not in editors] for names in sources]
    persons = next((not_site(names) for names in (*writers, *sources) if not_site(names)), []) \
        or _bold_byline_paragraph(root)
    if persons:
        return _unique(persons + not_site(organizations))
    return _unique(next((names for names in (*sources, organizations) if names), []))
