"""What a page declares about itself: JSON-LD, OpenGraph and other <meta> tags, <link rel>.

JSON-LD is read with the standard json module (faster than extruct, and forgiving of the
usual breakage: several objects in one script, trailing commas, raw newlines in strings).
Objects are flattened out of lists, ``@graph`` (Yoast) and nesting, and ``@id`` references
are resolved so a Yoast ``author: {"@id": ...}`` finds its Person.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from lxml.html import HtmlElement

ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "askpublicnewsarticle", "blogposting",
    "liveblogposting", "scholarlyarticle", "techarticle", "report", "socialmediaposting",
    "satiricalarticle", "advertisercontentarticle", "posting",
})
# Types that describe the site or page furniture, never the page's own content.
FURNITURE_TYPES = frozenset({
    "organization", "newsmediaorganization", "corporation", "website", "breadcrumblist", "listitem",
    "person", "imageobject", "searchaction", "sitenavigationelement", "wpheader", "wpfooter",
    "wpsidebar", "readaction", "entrypoint", "place", "postaladdress", "contactpoint", "thing",
    "speakablespecification", "webpageelement", "interactioncounter", "brand", "offer",
    "creativework", "imagegallery",
})
_TRAILING_COMMA = re.compile(r",\s*([\]}])")
_CONTROL_CHARS = re.compile(r"[\x00-\x1f]")


def _types(node: dict[str, Any]) -> list[str]:
    declared = node.get("@type") or []
    if isinstance(declared, str):
        declared = [declared]
    return [t.rsplit("/", 1)[-1] for t in declared if isinstance(t, str)]


def is_type(node: dict[str, Any], wanted: frozenset[str]) -> bool:
    return any(t.lower() in wanted for t in _types(node))


def _repairs(text: str) -> Iterator[str]:
    """The JSON as written, then with the usual breakage mended, each made only if the one
    before fails to parse."""
    yield text
    without_trailing_commas = _TRAILING_COMMA.sub(r"\1", text)
    yield without_trailing_commas
    yield _CONTROL_CHARS.sub(" ", without_trailing_commas)


def _parse_json(text: str) -> Any:
    text = text.strip().removeprefix("<!--").removesuffix("-->").strip()
    text = text.removeprefix("//<![CDATA[").removesuffix("//]]>").strip().rstrip(";")
    for attempt in _repairs(text):
        try:
            return json.loads(attempt, strict=False)
        except RecursionError:  # nested past what the parser follows: no metadata to read
            return None
        except ValueError:
            continue
    # Several objects pasted into one script: wrap them in a list.
    try:
        return json.loads("[" + re.sub(r"}\s*{", "},{", text) + "]", strict=False)
    except (ValueError, RecursionError):
        return None


def _walk(value: Any, within_article: bool = False) -> Iterator[tuple[dict[str, Any], bool]]:
    """Typed objects, each with whether it sits inside an article (a live blog's updates, parts)."""
    if isinstance(value, list):
        for item in value:
            yield from _walk(item, within_article)
    elif isinstance(value, dict):
        if "@type" in value or "@id" in value:
            yield value, within_article
        inner = within_article or is_type(value, ARTICLE_TYPES)
        for key, item in value.items():
            if key != "@context" and isinstance(item, (list, dict)):
                yield from _walk(item, inner)


_META_KEY_SEPARATORS = re.compile(r"[\s:._-]+")


@lru_cache(maxsize=4096)  # the same few names on every page
def meta_key(name: str) -> str:
    """A <meta> name as looked up: lower case, and ':', '.', '_', '-' alike, since pages write
    "article:published_time" as "article:published:time" and "dc.creator" as "DC:creator"."""
    return _META_KEY_SEPARATORS.sub(":", name.strip().lower())


@dataclass
class Metadata:
    """Everything declared, in the page's own words; complete once read_metadata returns (the
    content objects are worked out on first use and kept: extraction asks for them often)."""
    jsonld: list[dict[str, Any]] = field(default_factory=list)  # every typed object, flattened
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    parts: list[dict[str, Any]] = field(default_factory=list)  # typed objects inside an article
    meta: dict[str, list[str]] = field(default_factory=dict)  # meta_key(name/property) -> contents
    links: dict[str, list[str]] = field(default_factory=dict)  # rel -> hrefs
    html_lang: str | None = None
    title_tag: str | None = None

    def first_meta(self, *names: str) -> str | None:
        for name in names:
            for value in self.meta.get(meta_key(name), ()):
                if value.strip():
                    return value.strip()
        return None

    def all_meta(self, *names: str) -> list[str]:
        return [v.strip() for name in names for v in self.meta.get(meta_key(name), ()) if v.strip()]

    def resolve(self, value: Any) -> Any:
        """A ``{"@id": ...}`` reference replaced by the object it names, when the page has it."""
        # (An "@id" that is not a string, a list or an object, names nothing: by_id holds strings.)
        if isinstance(value, dict) and set(value) <= {"@id"} and isinstance(value.get("@id"), str) \
                and value["@id"] in self.by_id:
            return self.by_id[value["@id"]]
        return value

    @cached_property
    def main_entity(self) -> dict[str, Any] | None:
        """The object describing this page's content: an article type first, then any
        non-furniture type (WebPage, CollectionPage, VideoObject ...)."""
        articles = [n for n in self.jsonld if is_type(n, ARTICLE_TYPES)]
        if articles:
            # Prefer an article that is not part of another (a live blog's updates are articles
            # too), then the one with most to say (listings embed stubs of other articles).
            return max(articles, key=lambda n: (not any(n is part for part in self.parts),
                                                ("headline" in n) + ("articleBody" in n) + ("datePublished" in n)))
        for node in self.jsonld:
            if _types(node) and not is_type(node, FURNITURE_TYPES):
                return node
        return None

    @cached_property
    def entities(self) -> list[dict[str, Any]]:
        """Content-describing objects, the main one first: fields missing on it are looked up
        on the others (Yoast keeps dates on the WebPage, the headline on the Article), though not
        on the parts of an article (a live blog's updates)."""
        main = self.main_entity
        rest = [n for n in self.jsonld if n is not main and _types(n) and not is_type(n, FURNITURE_TYPES)
                and not any(n is part for part in self.parts)]
        return ([main] if main else []) + rest


def read_metadata(tree: HtmlElement) -> Metadata:
    found = Metadata()
    for script in tree.iter("script"):
        kind = (script.get("type") or "").strip().lower()
        if kind != "application/ld+json" or not script.text:
            continue
        for node, within_article in _walk(_parse_json(script.text)):
            if isinstance(node.get("@id"), str) and len(node) > 1:
                found.by_id.setdefault(node["@id"], node)
            if "@type" in node:
                found.jsonld.append(node)
                if within_article:
                    found.parts.append(node)
    for meta in tree.iter("meta"):
        content = meta.get("content", meta.get("value"))  # some CMSs write value= for content=
        if content is None:
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attribute)
            if key:
                found.meta.setdefault(meta_key(key), []).append(content)
    for link in tree.iter("link"):
        href, rel = link.get("href"), link.get("rel")
        if href and rel:
            for name in rel.lower().split():
                found.links.setdefault(name, []).append(href.strip())
    root = tree.getroottree().getroot()
    found.html_lang = root.get("lang") or root.get("xml:lang") or None
    title = tree.find(".//title")
    if title is not None:
        found.title_tag = " ".join(title.text_content().split()) or None
    return found


def text_value(value: Any) -> str | None:
    """A JSON-LD value as text: strings as they are, {"name"/"@value"/"url"} objects, first of a list."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        for key in ("name", "@value", "url", "contentUrl", "text"):
            if key in value:
                return text_value(value[key])
    if isinstance(value, list):
        for item in value:
            text = text_value(item)
            if text:
                return text
    return None


def jsonld_field(metadata: Metadata, key: str) -> Any:
    """``key`` from the main content object, else from the other content objects."""
    for node in metadata.entities:
        if node.get(key) not in (None, "", []):
            return node[key]
    return None


def main_types(metadata: Metadata) -> str | None:
    """The @type the page declares for its content ("NewsArticle", "CollectionPage" ...)."""
    main = metadata.main_entity
    types = _types(main) if main else []
    return types[0] if types else None
