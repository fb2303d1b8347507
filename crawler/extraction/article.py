"""One page in, one Article out: metadata first, then the visible page, then the body."""

from __future__ import annotations

import codecs
import re
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree
from lxml.etree import ParserError
from lxml.html import HtmlElement
from w3lib.encoding import html_body_declared_encoding, html_to_unicode
from w3lib.url import safe_url_string

from crawler.extraction.authors import clean_names, extract_authors, site_names
from crawler.extraction.blocks import find_headline, text_of
from crawler.extraction.body import extract_body
from crawler.extraction.dates import extract_dates
from crawler.extraction.metadata import Metadata, jsonld_field, main_types, read_metadata, text_value
from crawler.extraction.script_markup import script_markup
from crawler.extraction.second_opinion import better_body
from crawler.extraction.title import extract_title
from crawler.extraction.zone import language_of, page_zone
from crawler.items import Article

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
# A body this short (in characters: some thirty words, fewer than a page needs to be kept) is a
# placeholder or a teaser, not an article's text.
_SHOWS_NEXT_TO_NOTHING = 200
_OPENING_WORDS = 8  # words of a shown teaser that the text it teases must hold


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Page bytes as text, choosing the encoding as browsers do (HTTP header, BOM, <meta>)."""
    return rescued_text(body, *html_to_unicode(content_type, body))


# A character as UTF-8 writes it in two, three or four bytes.
_UTF8_CHARACTER = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# The language an <html> element declares ("en", "de-AT"), in the page's first bytes.
_HTML_LANGUAGE = re.compile(rb"<html[^>]*?\slang\s*=\s*[\"']?([a-z]{2,3})\b", re.IGNORECASE)
# Languages whose letters cp1252 holds (English and Western Europe's): only a page in one of them
# reads right as cp1252; Russian in cp1251 read so would be stored as plausible-looking garbage.
_CP1252_LANGUAGES = frozenset({"en", "fr", "de", "es", "it", "pt", "nl", "da", "sv", "no", "nb", "nn", "fi", "is",
                               "ga", "ca", "eu", "gl", "af", "sq", "ms", "id", "sw"})


def rescued_text(body: bytes, encoding: str, text: str) -> str:
    """``text``, the page's ``body`` decoded as ``encoding``; but a page said to be UTF-8 (in its
    HTTP header, which outranks its markup) that has bytes UTF-8 cannot read and not one character
    written the UTF-8 way is in another encoding, lost to U+FFFD if read as said: the one its own
    <meta> declares, else cp1252 (old CMSs serve it so) where its language is written in cp1252's
    letters or undeclared. Otherwise the replacement characters stay: better than wrong letters."""
    if "\ufffd" not in text or codecs.lookup(encoding).name != "utf-8" or _UTF8_CHARACTER.search(body):
        return text
    declared = html_body_declared_encoding(body)
    try:
        if declared and codecs.lookup(declared).name != "utf-8":
            return body.decode(declared, errors="replace")
    except LookupError:  # a name Python does not know
        pass
    language = _HTML_LANGUAGE.search(body, 0, 4096)
    if language is None or language[1].decode().lower() in _CP1252_LANGUAGES:
        return body.decode("cp1252", errors="replace")
    return text


# lxml.html's parser picks each element's class in Python (form and input elements get their own);
# extraction uses none of those, and a lookup in C makes every element lxml hands over cheaper.
_CLASS_LOOKUP = etree.ElementDefaultClassLookup(
    element=HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity)
_PARSER = lxml.html.HTMLParser()
_PARSER.set_element_class_lookup(_CLASS_LOOKUP)
# Pages go to libxml2 as UTF-8 bytes: handed a str, lxml passes its characters as UCS-4 (all but
# ASCII pages), which libxml2 converts before it parses, a sixth of the parse on a 250 KB page.
_UTF8_PARSER = lxml.html.HTMLParser(encoding="utf-8")
_UTF8_PARSER.set_element_class_lookup(_CLASS_LOOKUP)


# Characters XML does not allow in text (C0 controls but tab, newline and return; U+FFFE and U+FFFF).
_NOT_XML_CHARACTERS = dict.fromkeys((*range(0x09), 0x0B, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)) | {0x0C: " "}
# The controls as UTF-8 bytes: bytes.translate finds them four times faster than a regex over the
# text of a large page; the two others are looked for in the text, where `in` finds one fastest.
_NOT_XML_BYTES = bytes((*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)))


def _has_not_xml_characters(html: str, data: bytes) -> bool:
    return len(data.translate(None, _NOT_XML_BYTES)) != len(data) or "\ufffe" in html or "\uffff" in html


def parse_html(html: str) -> HtmlElement | None:
    """The page's tree; None when there is no markup to speak of."""
    html = _XML_DECLARATION.sub("", html)  # lxml refuses an encoding declaration in a str
    if not html or html.isspace():
        return None
    try:
        data: bytes | None = html.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate ("\ud800" from a bad escape): no UTF-8 holds it
        data = None
    if data is None or _has_not_xml_characters(html, data):
        # libxml2 turns a NUL into U+FFFD, inside a word ("sat\ufffdellites"); the other control
        # characters it keeps in the tree, where lxml refuses to join such text when an element
        # is cut out (ValueError). HTML reads a form feed as a space; the rest are never text.
        html = html.translate(_NOT_XML_CHARACTERS)
        if not html.strip():
            return None
        data = None if data is None else html.encode("utf-8")
    try:
        if data is None:
            return lxml.html.document_fromstring(html, parser=_PARSER)
        return lxml.html.document_fromstring(data, parser=_UTF8_PARSER)
    except (ParserError, ValueError):
        return None


def _language_tags(metadata: Metadata) -> list[str]:
    """The page's language tags as declared ("de-AT", "de_AT", "de"), surest first."""
    declared = (metadata.html_lang, metadata.first_meta("og:locale"), text_value(jsonld_field(metadata, "inLanguage")),
                metadata.first_meta("content-language"))
    return [tag.strip() for tag in declared if tag and tag.strip()]




_PAGE_SUFFIX = re.compile(r"^/?(?:page/?)?\d{1,3}/?$")


def _canonical(url: str, metadata: Metadata) -> str:
    """The declared canonical URL, unless it points at the site's front page (a common template
    slip) while this page is not the front page, or at page 1 of a paginated article."""
    given = urlsplit(url)
    for declared in metadata.links.get("canonical", []) + metadata.all_meta("og:url"):
        absolute = _web_address(url, declared)
        if absolute is None:
            continue
        found = urlsplit(absolute)
        if not found.path.strip("/") and given.path.strip("/"):
            continue
        rest = given.path[len(found.path.rstrip("/")):] if given.path.startswith(found.path.rstrip("/")) else ""
        if rest and _PAGE_SUFFIX.match(rest):
            return url
        return absolute
    return url


def _web_address(url: str, declared: str) -> str | None:
    """``declared`` made absolute against the page's ``url``, if it is a web address a crawler can
    request; None for one no URL parser reads ("https://[example.com/", a host with "<", a port
    "port"), which would break whatever reads the article's addresses (deduplicate, the store)."""
    try:
        absolute = urljoin(url, declared)
        safe_url_string(absolute)  # what Scrapy's Request and canonicalize_url check an address with
    except ValueError:
        return None
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def _image(url: str, metadata: Metadata) -> str | None:
    declared = metadata.first_meta("og:image", "og:image:url", "twitter:image") \
        or text_value(metadata.resolve(jsonld_field(metadata, "image")))
    return _web_address(url, declared) if declared else None


def _tags(metadata: Metadata) -> list[str]:
    tags = metadata.all_meta("article:tag")
    if not tags:
        keywords = jsonld_field(metadata, "keywords")
        if isinstance(keywords, str):
            tags = keywords.split(",")
        elif isinstance(keywords, list):
            tags = [k for k in keywords if isinstance(k, str)]
    if not tags:
        tags = ",".join(metadata.all_meta("news_keywords")).split(",")
    seen: set[str] = set()
    return [t for t in (" ".join(t.split()) for t in tags) if t and not (t.casefold() in seen or seen.add(t.casefold()))]


def _section(metadata: Metadata) -> str | None:
    return metadata.first_meta("article:section") or text_value(jsonld_field(metadata, "articleSection"))


def _selected_text(root: HtmlElement, selector: str, *, attribute: str | None = None) -> list[str]:
    values = []
    for element in root.cssselect(selector):
        value = (element.get(attribute) if attribute else None) or element.get("content") or text_of(element)
        if value and value.strip():
            values.append(value.strip())
    return values


def extract_article(url: str, html: str, *, selectors: dict[str, str] | None = None,
                    language: str | None = None) -> Article:
    """Raw article fields of one page; fields the page does not give stay empty."""
    selectors = selectors or {}
    root = parse_html(html)
    if root is None:
        return Article(url=url, fetched_url=url, language=language, body="")
    metadata = read_metadata(root)
    language_tags = _language_tags(metadata)
    host = (urlsplit(url).hostname or "").lower()
    site = site_names(metadata, host)

    title = (_selected_text(root, selectors["title"]) or [None])[0] if "title" in selectors else None
    title = title or extract_title(metadata, root, site)
    headline = find_headline(root, title)  # the byline and the dateline sit beside it
    if "authors" in selectors:
        authors = [n for raw in _selected_text(root, selectors["authors"]) for n in clean_names(raw)]
    else:
        authors = extract_authors(metadata, root, host, headline)
    published, modified = extract_dates(metadata, root, url, headline)
    if "published" in selectors:
        published = (_selected_text(root, selectors["published"], attribute="datetime") or [published])[0]
    if "modified" in selectors:
        modified = (_selected_text(root, selectors["modified"], attribute="datetime") or [modified])[0]
    section = (_selected_text(root, selectors["section"]) or [None])[0] if "section" in selectors else None
    tags = _selected_text(root, selectors["tags"]) if "tags" in selectors else _tags(metadata)
    declared_body = text_value(jsonld_field(metadata, "articleBody"))
    summary = metadata.first_meta("og:description", "description", "twitter:description") \
        or text_value(jsonld_field(metadata, "description"))
    leads = metadata.all_meta("og:description", "description", "twitter:description") \
        + [text_value(jsonld_field(metadata, "description")) or ""]
    page_type = main_types(metadata) or metadata.first_meta("og:type")
    scripts = list(root.iter("script"))  # extract_body takes them out of the tree; their text stays
    body = extract_body(root, declared_text=declared_body, headline=title, bylines=authors, leads=leads,
                        container_selector=selectors.get("body"), remove_selector=selectors.get("remove"),
                        live_blog=(page_type or "").casefold() == "liveblogposting", url=url)
    scripted = script_markup(scripts) if len(body) < _SHOWS_NEXT_TO_NOTHING else None
    scripted_root = parse_html(scripted) if scripted else None
    if scripted_root is not None:
        # The page shows next to nothing: it renders its text in the browser. Its script data
        # often holds other stories too, so a text it does show (a teaser, the first paragraph
        # before a paywall) must open the one taken: a brief is no teaser of a related story.
        scripted_body = extract_body(scripted_root, headline=title, bylines=authors, leads=leads, url=url)
        opening = " ".join(body.split()[:_OPENING_WORDS]).rstrip(".…")
        if len(body) < 0.5 * len(scripted_body) and opening in " ".join(scripted_body.split()):
            body = scripted_body
    if "body" not in selectors:  # (a site's own body selector is its author's answer)
        body = better_body(body, html, url)
    if not body and summary:
        body = summary  # a page that renders its text by script: the description is all it shows
    return Article(
        url=_canonical(url, metadata),
        fetched_url=url,
        title=title,
        authors=authors,
        published=published,
        modified=modified,
        section=section or _section(metadata),
        tags=tags,
        summary=summary,
        body=body,
        language=language_of(language_tags) or language,
        timezone=page_zone(url, language_tags),
        image=_image(url, metadata),
        page_type=page_type,
    )
