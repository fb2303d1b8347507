"""When the article was published and modified, as the text the page gives.

Declared values (JSON-LD, meta, <time datetime>) come first, and among them one that carries a
UTC offset, since only that names an instant. Failing those, the visible date text near the
top of the article ("March 3, 2024 at 10:15 am ET"); when the URL names the day, a numeric one
must be that day, which also settles its day-month order (written out as ISO 8601). Turning text
into datetimes is the parse_dates pipeline's job.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

from crawler.extraction.blocks import text_of
from crawler.extraction.metadata import Metadata, jsonld_field, text_value

PUBLISHED_META = ("article:published_time", "og:article:published_time", "datepublished",
                  "article.published", "publishdate", "publish-date", "pubdate", "parsely-pub-date",
                  "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.created",
                  "date", "citation_publication_date", "og:published_time", "cxenseparse:recs:publishtime")
MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "article.updated",
                 "last-modified", "dcterms.modified", "dc.date.modified")
_OFFSET = re.compile(r"(?:Z|[+-]\d\d:?\d\d)$")
_ISO_DAY = re.compile(r"^\d{4}-\d\d-\d\d")
_MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
# Month names of the other languages the crawler reads, for "3. März 2024", "3 de marzo de 2024".
_OTHER_MONTHS = (r"januar|februar|märz|maerz|mai|juni|juli|oktober|dezember|janvier|février|fevrier|mars|avril|"
                 r"juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|enero|febrero|marzo|abril|"
                 r"mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|gennaio|febbraio|"
                 r"aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|janeiro|fevereiro|março|maio|junho|julho|"
                 r"setembro|outubro|dezembro|januari|februari|maart|mei|augustus")
# A visible date with an optional time: "March 3, 2024 at 10:15 am ET", "3 March 2024 10:15",
# "03.03.2024, 10:15 Uhr", "2024-03-03 10:15", "2024.03.03 오후 3:15", "2024年3月3日 15:15",
# "3. März 2024", "3 de marzo de 2024".
VISIBLE_DATE = re.compile(
    rf"(?:(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\.?\s+(?:{_MONTHS})\.?,?\s+\d{{4}}|"
    rf"\d{{1,2}}\.?\s+(?:de\s+)?(?:{_OTHER_MONTHS})\.?,?\s+(?:de\s+)?\d{{4}}|"
    r"\d{1,2}\.\s?\d{1,2}\.\s?\d{4}|\d{4}-\d\d-\d\d|\d{1,2}/\d{1,2}/\d{4}|\d{4}[./]\s?\d{1,2}[./]\s?\d{1,2}\.?|"
    r"\d{4}\s?[年년]\s?\d{1,2}\s?[月월]\s?\d{1,2}\s?[日일])"
    r"(?:,?\s*(?:at|um|à|a las|-|–|\|)?\s*(?:오전|오후|午前|午後)?\s*\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?"
    r"(?:\s*(?:uhr|[A-Z]{2,4}))?)?",
    re.IGNORECASE,
)


# (:is walks the page once, where a list of selectors walks it once each.)
_DATE_PLACES = CSSSelector(':is([class*="date"], [class*="time"], [class*="byline"], [class*="meta"])', translator="html")


def _has_offset(value: str) -> bool:
    return "T" in value and _OFFSET.search(value.strip()) is not None


def _pick(candidates: list[str]) -> str | None:
    """The first candidate, or a later one naming the same day with an offset added."""
    candidates = [c.strip() for c in candidates if c and c.strip()]
    if not candidates:
        return None
    first = candidates[0]
    if _has_offset(first):
        return first
    day = _ISO_DAY.match(first)
    for other in candidates[1:]:
        if _has_offset(other) and (day is None or other.startswith(day.group())):
            return other
    return first


def _time_elements(root: HtmlElement, itemprop: str) -> list[str]:
    values = []
    for element in root.iter("time"):
        if element.get("itemprop") == itemprop or (itemprop == "datePublished" and element.get("pubdate") is not None):
            values.append(element.get("datetime") or text_of(element))
    return values


def declared_date(metadata: Metadata, root: HtmlElement, *, modified: bool = False) -> str | None:
    key = "dateModified" if modified else "datePublished"
    candidates = [text_value(jsonld_field(metadata, key)) or ""]
    if not modified:
        candidates.append(text_value(jsonld_field(metadata, "dateCreated")) or "")
    candidates += metadata.all_meta(*(MODIFIED_META if modified else PUBLISHED_META))
    candidates += _time_elements(root, key)
    return _pick(candidates)


# The day in an article's address: /2024/03/05/, /2024-03-05/, /20240305/.
_URL_DAY = re.compile(r"(?<!\d)((?:19|20)\d\d)([-/]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?!\d)")
# A numeric date whose order (day first or month first) the text alone does not settle, with a
# 24-hour time before or after it: "17:08 10/04/2011", "10.04.2011, 17:08".
_NUMERIC_DATE = re.compile(r"(?:(?P<before>\d{1,2}:\d\d)\s+)?(?<![\d.:/])(?P<first>\d{1,2})[./](?P<second>\d{1,2})[./]"
                           r"(?P<year>\d{4})(?:,?\s+(?P<after>\d{1,2}:\d\d)(?!\s*[ap]\.?m))?", re.IGNORECASE)
_BARE_TIME = re.compile(r"^\d{1,2}:\d\d(?::\d\d)?$")


def _url_day(url: str) -> tuple[int, int, int] | None:
    """(year, month, day) the address gives, if any."""
    match = _URL_DAY.search(urlsplit(url).path)
    return (int(match[1]), int(match[3]), int(match[4])) if match else None


def _visible_candidates(root: HtmlElement) -> list[tuple[str, bool]]:
    """(text, whether it is a machine-readable value) of <time> elements, then the text of
    byline-ish lines, in page order. A time shown alone has its date beside it: the parent's text."""
    found = [(element.get("datetime") or text_of(element), bool(element.get("datetime")))
             for element in root.iter("time")]
    for element in _DATE_PLACES(root)[:20]:
        text = text_of(element)
        if _BARE_TIME.match(text) and element.getparent() is not None:
            text = text_of(element.getparent())
        found.append((text, False))
    return [(text.strip(), is_value) for text, is_value in found if text and text.strip()]


def _settled(numeric: re.Match[str], day: tuple[int, int, int]) -> str | None:
    """A numeric date (and time) as ISO 8601 when one of its readings is the URL's ``day``."""
    first, second = int(numeric["first"]), int(numeric["second"])
    if int(numeric["year"]) != day[0] or day[1:] not in ((second, first), (first, second)):
        return None  # another day: the page header's clock, another story's date
    moment = numeric["before"] or numeric["after"]
    iso = f"{day[0]:04d}-{day[1]:02d}-{day[2]:02d}"
    return f"{iso}T{moment.zfill(5)}" if moment else iso


def visible_date(root: HtmlElement, url: str = "") -> str | None:
    """The first date written in a <time> element or a byline-ish line. When the URL names the
    day, a numeric date shown must be that day (the page header's clock is not), and the URL
    settles whether it is written day or month first."""
    day = _url_day(url)
    for text, is_value in _visible_candidates(root):
        if is_value:
            return text
        numeric = _NUMERIC_DATE.search(text)
        if day is not None and numeric is not None:
            settled = _settled(numeric, day)
            if settled:
                return settled
            continue
        match = VISIBLE_DATE.search(text)
        if match:
            return match.group().strip()
    return None


def extract_dates(metadata: Metadata, root: HtmlElement, url: str = "") -> tuple[str | None, str | None]:
    """(published, modified) as found."""
    published = declared_date(metadata, root) or visible_date(root, url)
    return published, declared_date(metadata, root, modified=True)
