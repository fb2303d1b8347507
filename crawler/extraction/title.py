"""The headline, chosen among what the page declares and what it shows.

Declared titles (JSON-LD headline, og:title, twitter:title, <title>) often disagree: one is an SEO
variant, one carries a kicker ("Topic: Headline"), the <title> has the site's name glued on. When
the JSON-LD headline and og:title agree, that is the article's title. Otherwise the visible
headline decides: the first heading (or part of one) that shows a declared title. Headings in
navigation, breadcrumbs, lists or hidden SEO elements are not what readers see as the headline.
When nothing declared is confirmed, the page's structure decides: its <h1>, else the <h2> that
opens the article, without the kicker line above the headline.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from lxml.html import HtmlElement

from crawler.extraction.blocks import hidden_by_class, text_of
from crawler.extraction.metadata import Metadata, jsonld_field, text_value

_SEPARATOR = re.compile(r"\s+[|\-–—:·•»«/*]+\s+|\s*[|·•»｜：]\s*|:\s+")
_KICKER = re.compile(r"^[^:]{3,80}:\s+(?=\S)")
_FOLD = re.compile(r"[\W_]+")
# Places a heading readers do not take for the headline: navigation and lists of other stories.
_NAVIGATION_TAGS = frozenset({"nav", "footer", "aside"})
_NOT_HEADLINE_TAGS = _NAVIGATION_TAGS | {"li", "menu"}
# Names of elements that hide a heading or make it a trail (breadcrumbs, SEO-only titles).
_NOT_HEADLINE_NAMES = re.compile(r"breadcrumb|(?<![a-z])seo|sr-only|visually-?hidden|screen-?reader", re.IGNORECASE)
# Attributes that name what an element is besides class and id (data-* ones are read too: component
# frameworks mark parts as data-testid="BreadcrumbArea").
_NAMING_ATTRIBUTES = ("class", "id", "role", "aria-label")
_NOT_SHOWN_TAGS = frozenset({"script", "style", "noscript", "template"})
_HEADING_TAGS = ("h1", "h2")
# Names of the part of a heading that is its kicker, the line above the headline.
_KICKER_NAMES = re.compile(r"kicker|overline|eyebrow|label|dachzeile", re.IGNORECASE)
_MAX_HEADINGS = 40  # headings looked at, in page order: the headline comes early
# A declared title longer than this (in characters) is a page swallowed by a <title> left open, not
# a title; reading its parts would take time in the square of its length (minutes for 400 KB).
_MAX_DECLARED_TITLE = 2000


def _key(text: str) -> str:
    return _FOLD.sub(" ", text.casefold()).strip()


def _compact(text: str) -> str:
    """Letters and digits only: a heading whose parts are separate elements reads "Kicker" +
    "Headline" with no space between them, while a declared title has "Kicker / Headline"."""
    return _FOLD.sub("", text.casefold())


def _is_site_name(text: str, site_names: set[str]) -> bool:
    return _compact(text) in {_compact(name) for name in site_names}


def _names_site(part: str, site_names: set[str]) -> bool:
    """Whether a part of a title is the site's name or a short variant of it: "Site News" or
    "Site.com" for "Site", but not a headline that mentions the site, nor a word that merely holds
    a short name ("de" of a de.example.com host)."""
    if _is_site_name(part, site_names):
        return True
    key = _key(part)
    return len(key) > 2 and len(key.split()) <= 3 and any(
        len(k) > 3 and (k in key.replace(" ", "") or key.replace(" ", "") in k)
        for k in (_compact(name) for name in site_names))


def strip_site_name(title: str, site_names: set[str]) -> str:
    """``title`` without the part that names the site and what follows it ("Headline | Site |
    by Author"), or without a leading part that names it ("Site: Headline")."""
    parts = _SEPARATOR.split(title)
    if len(parts) == 1:
        return title
    separators = list(_SEPARATOR.finditer(title))
    for position in range(1, len(parts)):
        if _names_site(parts[position], site_names):
            return title[:separators[position - 1].start()].strip()
    if _names_site(parts[0], site_names):
        return title[separators[0].end():].strip()
    return title


def _shown_text(element: HtmlElement, skip: Callable[[HtmlElement], bool] | None = None) -> str:
    """The element's text as readers see it: a <style> that a CSS-in-JS framework puts inside a
    heading is not part of it. Parts ``skip`` picks are left out too."""
    if skip is None and next(element.iter(*_NOT_SHOWN_TAGS), None) is None:
        return text_of(element)

    def pieces(node: HtmlElement) -> list[str]:
        found = [node.text or ""]
        for child in node:
            if isinstance(child.tag, str) and child.tag not in _NOT_SHOWN_TAGS and not (skip and skip(child)):
                found.extend(pieces(child))
            found.append(child.tail or "")
        return found
    return " ".join("".join(pieces(element)).split())


def _attribute_names(element: HtmlElement) -> str:
    """What the element's attributes call it: class, id, role, label, and data-* names and one-word values
    (a longer value is content, not a name)."""
    named = [element.get(a) or "" for a in _NAMING_ATTRIBUTES]
    for key, value in element.attrib.items():
        if key.startswith("data-"):
            named.append(key if " " in value or len(value) > 40 else f"{key} {value}")
    return " ".join(named)


def _shown_as_headline(heading: HtmlElement) -> bool:
    for element in (heading, *heading.iterancestors()):
        if element.tag in _NOT_HEADLINE_TAGS or element.get("hidden") is not None or hidden_by_class(element):
            return False
        names = _attribute_names(element)
        if names.strip() and _NOT_HEADLINE_NAMES.search(names):
            return False
    return True


def _headings(root: HtmlElement) -> list[HtmlElement]:
    """The h1 and h2 elements readers can take for the headline, in page order."""
    found = []
    for heading in root.iter(*_HEADING_TAGS):
        if _shown_as_headline(heading):
            found.append(heading)
            if len(found) == _MAX_HEADINGS:
                break
    return found


def _written_titles(metadata: Metadata) -> dict[str, str]:
    """Each title the page declares, by source, whitespace folded, entities decoded."""
    sources = {"headline": text_value(jsonld_field(metadata, "headline")), "og:title": metadata.first_meta("og:title"),
               "twitter:title": metadata.first_meta("twitter:title"), "title": metadata.title_tag}
    return {source: " ".join(html.unescape(title).split()) for source, title in sources.items()
            if title and len(title) <= _MAX_DECLARED_TITLE}


def _declared(metadata: Metadata, site_names: set[str]) -> dict[str, list[str]]:
    """Each declared title, by source, as written and without the site's name."""
    declared = {}
    for source, title in _written_titles(metadata).items():
        if title:
            stripped = strip_site_name(title, site_names)
            # A template's default (the site's name, or its name and slogan) is no page's title.
            if not (_is_site_name(title, site_names) or _is_site_name(stripped, site_names)):
                declared[source] = list(dict.fromkeys((title, stripped)))
    return declared


def _trail_separators(title: str) -> list[re.Match]:
    """The separators in a title that set a trail apart: a colon or slash sets a kicker apart instead."""
    return [separator for separator in _SEPARATOR.finditer(title) if not set(separator.group()) & set(":：/")]


def _leading_parts(title: str, site_names: set[str]) -> list[str]:
    """The title's leading parts before each trail separator: "Headline - Section - Site" holds
    "Headline" and "Headline - Section"."""
    parts = (title[:separator.start()].strip() for separator in _trail_separators(title))
    return [part for part in parts if part and not _names_site(part, site_names)]


def _without_section_trail(title: str, root: HtmlElement) -> str:
    """The title without trailing parts that name a section the page links to ("Headline - Sport",
    its site's name gone already): a part of the headline is no link of the page's navigation."""
    linked = {_compact(text_of(link)) for link in root.iter("a")}
    for separator in reversed(_trail_separators(title)):
        if _compact(title[separator.end():]) not in linked:
            break
        title = title[:separator.start()].strip()
    return title


def _agreed(declared: dict[str, list[str]]) -> str | None:
    """The title when the JSON-LD headline and og:title give the same one: both are written for the
    article itself, so together they outweigh a heading the page shows another wording in (a short
    display headline, a teaser line); the visible page decides only between titles that differ."""
    headline, og_title = declared.get("headline"), declared.get("og:title")
    if headline and og_title and _compact(headline[-1]) == _compact(og_title[-1]):
        return headline[-1]
    return None


def _without_kicker(declared: list[list[str]]) -> list[list[str]]:
    """Each declared title, and also without a leading kicker ("Kicker: Headline" → "Headline")."""
    return [[*variants, *(_KICKER.sub("", v, count=1) for v in variants if _KICKER.match(v))]
            for variants in declared]


def _confirmed_heading(headings: list[HtmlElement], declared: list[list[str]]) -> str | None:
    """The declared title that the first heading showing one shows. Within a heading the innermost
    confirmed part counts: a heading holding a kicker line and the headline shows the headline in
    its own element. A heading that shows no colon sets a declared "Kicker: Headline" apart as
    two lines, and readers take the second for the headline; one that shows the colon reads as one."""
    with_kicker_apart = _without_kicker(declared)
    for heading in headings:
        variants = [v for titles in (declared if ":" in _shown_text(heading) else with_kicker_apart) for v in titles]
        shown_here: tuple[int, str] | None = None  # depth, declared title
        for part in heading.iter():
            if not isinstance(part.tag, str):
                continue
            shown = _compact(_shown_text(part))
            match = next((v for v in variants if shown and _compact(v) == shown), None)
            if match:
                depth = sum(1 for _ in part.iterancestors())
                if shown_here is None or depth > shown_here[0]:
                    shown_here = (depth, match)
        if shown_here:
            return shown_here[1]
    return None


def _headline_text(heading: HtmlElement) -> str:
    """The heading's text without a part named as its kicker ("title__kicker", "overline"), unless a
    colon joins the two: then they read as one title, as in a declared "Kicker: Headline"."""
    text = _shown_text(heading)
    rest = _shown_text(heading, skip=lambda part: bool(_KICKER_NAMES.search(_attribute_names(part))))
    if rest.startswith(":") or (text.endswith(rest) and text[:len(text) - len(rest)].rstrip().endswith(":")):
        return text
    return rest


def _article_region(heading: HtmlElement) -> HtmlElement | None:
    """The article (or main) region the heading is in: an <article>, <main>, or the element that
    blog themes mark as an hAtom entry ("hentry") where they use neither."""
    return next((element for element in heading.iterancestors()
                 if element.tag in ("article", "main") or "hentry" in (element.get("class") or "").split()), None)


def _at_top_of(heading: HtmlElement, region: HtmlElement) -> bool:
    """Whether no paragraph of the region comes before the heading: the headline opens the
    article, while a subheading follows text."""
    for element in region.iter("p", heading.tag):
        if element is heading:
            return True
        if element.tag == "p" and text_of(element):
            return False
    return False


def _shown_headline(root: HtmlElement, headings: list[HtmlElement], site_names: set[str], tag: str) -> str | None:
    """The headline the page shows in a ``tag`` heading, never the site's logo: the first <h1> in
    the article (or main) region, else the first elsewhere; an <h2> only where it opens the article
    region, as on sites that keep the <h1> for their name or a trail. Any <h1> outside navigation
    and sidebars counts, even one in a breadcrumb or hidden for search engines: it holds the
    page's own title."""
    if tag == "h1":
        candidates = [h for h in root.iter("h1") if not _NAVIGATION_TAGS.intersection(a.tag for a in h.iterancestors())]
    else:
        candidates = [h for h in headings if h.tag == tag]
    fallback = None
    for heading in candidates:
        region = _article_region(heading)
        if tag != "h1" and (region is None or not _at_top_of(heading, region)):
            continue
        text = _headline_text(heading)
        if not text or len(text) > 300 or _is_site_name(text, site_names):
            continue
        if region is not None:
            return text
        fallback = fallback or text
    return fallback


def extract_title(metadata: Metadata, root: HtmlElement, site_names: set[str]) -> str | None:
    by_source = _declared(metadata, site_names)
    agreed = _agreed(by_source)
    if agreed:
        return agreed
    headings = _headings(root)
    # A heading that is a leading part of the <title> before its trail confirms that part.
    title_parts = _leading_parts(by_source.get("title", [""])[0], site_names)
    confirmed = _confirmed_heading(headings, [*by_source.values(), title_parts])
    if confirmed:
        return confirmed
    # Unconfirmed, an <h1> outweighs what is declared, titles written for the article (JSON-LD,
    # og:, twitter:) outweigh an <h2>, and an <h2> the <title>, which carries trails.
    for fallback in ("h1", "headline", "og:title", "twitter:title", "h2", "title"):
        title = _shown_headline(root, headings, site_names, fallback) if fallback in _HEADING_TAGS \
            else by_source.get(fallback, [None])[-1]
        if title and fallback == "title":
            title = _without_section_trail(title, root)
        if title:
            return title
    return _any_title_given(metadata, root)


def _any_title_given(metadata: Metadata, root: HtmlElement) -> str | None:
    """The first title the page gives at all, as written: the rules above refuse a declared title
    that reads as a site's name and a heading outside the article, but a page that gives a title
    is never left without one (a portal's re-post that names the original outlet everywhere)."""
    shown = (_shown_text(heading) for heading in root.iter("h1"))
    return next((title for title in (*_written_titles(metadata).values(), *shown) if title), None)
