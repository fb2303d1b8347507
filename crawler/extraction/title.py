"""The headline: the page's <h1> when the declared titles confirm it, else a declared title
without its " | Site" / " - Site" suffix (or "Site: " prefix)."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from crawler.extraction.blocks import text_of
from crawler.extraction.metadata import Metadata, jsonld_field, text_value

_SEPARATOR = re.compile(r"\s+[|\-–—:·•»«/]+\s+|\s*[|·•»]\s*|:\s+")
_FOLD = re.compile(r"[\W_]+")


def _key(text: str) -> str:
    return _FOLD.sub(" ", text.casefold()).strip()


def strip_site_name(title: str, site_names: set[str]) -> str:
    """``title`` without a leading or trailing part that names the site; when no part names
    it, without a short trailing part after a ' | ' style separator."""
    parts = _SEPARATOR.split(title)
    if len(parts) == 1:
        return title
    keys = {_key(name) for name in site_names}
    compact = {k.replace(" ", "") for k in keys}

    def names_site(part: str) -> bool:
        key = _key(part)
        return key in keys or key.replace(" ", "") in compact or any(
            k and (k in key.replace(" ", "") or key.replace(" ", "") in k) for k in compact if len(key) > 2)

    pieces = [m for m in _SEPARATOR.finditer(title)]
    if names_site(parts[-1]):
        return title[:pieces[-1].start()].strip()
    if names_site(parts[0]):
        return title[pieces[0].end():].strip()
    return title


def _visible_headline(root: HtmlElement, site_names: set[str]) -> str | None:
    """The first <h1> in the article (or main) region, else the first on the page, that is
    not the site's logo and not in navigation or a sidebar."""
    site_keys = {_key(name) for name in site_names}
    chosen: tuple[int, str] | None = None
    for h1 in root.iter("h1"):
        text = text_of(h1)
        if not text or len(text) > 300 or _key(text) in site_keys:
            continue
        places = {a.tag for a in h1.iterancestors()}
        if places & {"nav", "footer", "aside"}:
            continue
        rank = 0 if places & {"article", "main"} else 1
        if chosen is None or rank < chosen[0]:
            chosen = (rank, text)
    return chosen[1] if chosen else None


def extract_title(metadata: Metadata, root: HtmlElement, site_names: set[str]) -> str | None:
    declared = [t for t in (text_value(jsonld_field(metadata, "headline")),
                            metadata.first_meta("og:title"), metadata.first_meta("twitter:title"),
                            metadata.title_tag) if t]
    declared_keys = [_key(t) for t in declared]
    for h1 in root.iter("h1"):
        text = text_of(h1)
        key = _key(text)
        if key and any(key == d or d.startswith(key) or d.endswith(key) for d in declared_keys):
            return text
    visible = _visible_headline(root, site_names)
    if visible:
        return visible
    for title in declared:
        stripped = strip_site_name(" ".join(title.split()), site_names)
        if stripped:
            return stripped
    return None
