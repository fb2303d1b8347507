"""When the article was published and modified, as the text the page gives.

Declared values (JSON-LD, meta, <time datetime>) come first, and among them one that carries a
UTC offset, since only that names an instant; a <time> in another story's box (related links,
comments, a teaser) is not the article's. Failing those, the date shown by the headline
(blocks.find_headline): in a <time> or a byline-ish line beside or after it, or on a short line just
after it ("March 3, 2024 at 10:15 am ET", "3 hours ago"), rather than the header's clock before
it, and not one labelled as an update. When the URL names the day, a date shown must be that day
(a numeric one's day-month order is settled by it, written out as ISO 8601), and failing any, the
URL's day is the date. Turning text into datetimes is the parse_dates pipeline's job.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cached_property
from urllib.parse import urlsplit

from lxml import etree
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

from crawler.extraction.blocks import OTHER_BOXES, text_of
from crawler.extraction.metadata import Metadata, jsonld_field, text_value
from crawler.text.dates import ENGLISH_MONTH_PATTERN, HALF_OF_DAY, OTHER_MONTH_PATTERN, UPDATED_LABEL

PUBLISHED_META = ("article:published_time", "og:article:published_time", "datepublished",
                  "article.published", "publishdate", "publish-date", "pubdate", "parsely-pub-date",
                  "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.created",
                  "date", "citation_publication_date", "og:published_time", "cxenseparse:recs:publishtime")
MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "article.updated",
                 "last-modified", "dcterms.modified", "dc.date.modified")
_OFFSET = re.compile(r"(?:Z|[+-]\d\d:?\d\d)$")
_ISO_DAY = re.compile(r"^\d{4}-\d\d-\d\d")
# A visible date with an optional time: "March 3, 2024 at 10:15 am ET", "3 March 2024 10:15",
# "03.03.2024, 10:15 Uhr", "2024-03-03 10:15", "2024.03.03 오후 3:15", "2024年3月3日 15:15",
# "3. März 2024", "3 de marzo de 2024", and with a two-digit year "03.03.24 10:15", "3/3/24".
VISIBLE_DATE = re.compile(
    rf"(?:(?:{ENGLISH_MONTH_PATTERN})\.?\s+\d{{1,2}},?\s+\d{{4}}|"
    rf"\d{{1,2}}\.?\s+(?:{ENGLISH_MONTH_PATTERN})\.?,?\s+\d{{4}}|"
    rf"\d{{1,2}}\.?\s+(?:de\s+)?(?:{OTHER_MONTH_PATTERN})\.?,?\s+(?:de\s+)?\d{{4}}|"
    r"\d{1,2}\.\s?\d{1,2}\.\s?\d{4}|\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?|\d{1,2}/\d{1,2}/\d{4}|(?<![\w.])(?:0[1-9]|[12]\d|3[01])\.(?:0[1-9]|1[0-2])\.\d\d(?![\d.])|"
    r"(?<![\w/])(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|[12]\d|3[01])/\d\d(?![\d/])|\d{4}[./]\s?\d{1,2}[./]\s?\d{1,2}\.?|"
    r"\d{4}\s?[年년]\s?\d{1,2}\s?[月월]\s?\d{1,2}\s?[日일])"
    rf"(?:,?\s*(?:at|um|à|a las|-|–|\|)?\s*(?:{HALF_OF_DAY})?\s*\d{{1,2}}(?:[:.]\d\d|時\d\d分)(?:\s*[ap]\.?m\.?)?"
    r"(?:\s*(?:uhr\b|(?-i:[A-Z]{2,4})\b))?)?",
    re.IGNORECASE,
)


# (:is walks the page once, where a list of selectors walks it once each.)
_DATE_PLACES = CSSSelector(':is([class*="date"], [class*="time"], [class*="byline"], [class*="meta"])', translator="html")
# Boxes of other stories and of readers, and the author's bio box: their dates are not the article's.
_OTHER_STORIES = re.compile(rf"{OTHER_BOXES}|author-box", re.IGNORECASE)
_LABEL_REACH = 30  # characters before a date where its label sits
# A date written relative to when the page was shown: "3 hours ago", "vor 3 Stunden"; the
# parse_dates stage counts back from the fetch time.
_RELATIVE_DATE = re.compile(
    r"\b\d{1,2}\s+(?:minutes?|mins?|hours?|hrs?|days?)\s+ago\b|\bvor\s+\d{1,2}\s+(?:minuten|stunden|tagen?)\b|"
    r"\bil y a\s+\d{1,2}\s+(?:minutes?|heures?|jours?)\b|\bhace\s+\d{1,2}\s+(?:minutos?|horas?|días?)\b",
    re.IGNORECASE)


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


_HEADLINE_BOX_LEVELS = 3  # elements above the headline that hold its byline and dateline too
_NEAR = etree.XPath("preceding::*[position() <= 60] | following::*[position() <= 60]")


class _Headline:
    """Where the article's headline sits, to tell its dates from other stories' and readers'.
    Its surroundings are found only when asked: most pages declare their dates and never ask."""

    def __init__(self, element: HtmlElement | None, url: str) -> None:
        self.element = element
        self.path = _path(url).rstrip("/")

    @cached_property
    def levels(self) -> dict[HtmlElement, int]:
        """The headline and the boxes holding it, with how many levels above it each is."""
        element = self.element
        return {} if element is None else {box: n for n, box in enumerate((element, *element.iterancestors()))
                                           if box.tag not in ("body", "html")}

    @cached_property
    def near(self) -> set[HtmlElement]:
        return set() if self.element is None else set(_NEAR(self.element))

    def beside(self, element: HtmlElement) -> bool:
        """Whether ``element`` is near the headline in a box a few levels above it (its header)."""
        if element not in self.near:
            return False
        box = next((box for box in element.iterancestors() if box in self.levels), None)
        return box is not None and self.levels[box] <= _HEADLINE_BOX_LEVELS

    def of_another_story(self, element: HtmlElement) -> bool:
        """Whether ``element`` sits in a box of other stories or of readers' comments, in an
        <article> that does not hold the headline, or in a link that holds more than it (a teaser):
        its date is not the article's. What sits beside the headline in its <article> is the article's."""
        beside = self.beside(element)
        for box in (element, *element.iterancestors()):
            if box in self.levels or box.tag in ("body", "html"):
                break
            if box.tag == "article" and any(a.tag == "article" for a in self.levels):
                return True
            if beside:
                continue
            if _OTHER_STORIES.search(f"{box.get('class') or ''} {box.get('id') or ''}"):
                return True
            # (A date linked alone is a permalink or a day's archive.)
            if box.tag == "a" and box is not element and len(text_of(box)) > len(text_of(element)) + 20 \
                    and _path(box.get("href") or "").rstrip("/") not in ("", self.path):
                return True
        return False


def _time_elements(root: HtmlElement, itemprop: str, headline: _Headline) -> list[str]:
    values = []
    for element in root.iter("time"):
        if (element.get("itemprop") == itemprop or (itemprop == "datePublished" and element.get("pubdate") is not None)) \
                and not headline.of_another_story(element):
            values.append(element.get("datetime") or text_of(element))
    return values


def declared_date(metadata: Metadata, root: HtmlElement, headline: _Headline, *, modified: bool = False) -> str | None:
    key = "dateModified" if modified else "datePublished"
    candidates = [text_value(jsonld_field(metadata, key)) or ""]
    if not modified:
        candidates.append(text_value(jsonld_field(metadata, "dateCreated")) or "")
    candidates += metadata.all_meta(*(MODIFIED_META if modified else PUBLISHED_META))
    candidates += _time_elements(root, key, headline)
    return _pick(candidates)


# The day in an article's address: /2024/03/05/, /2024-03-05/, /20240305/.
_URL_DAY = re.compile(r"(?<!\d)((?:19|20)\d\d)([-/]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?!\d)")
# A numeric date whose order (day first or month first) the text alone does not settle, with a
# 24-hour time before or after it: "17:08 10/04/2011", "10.04.2011, 17:08", "10.04.11 17:08",
# "30/04/2024 - 16:17".
_NUMERIC_DATE = re.compile(r"(?:(?P<before>\d{1,2}:\d\d)\s+)?(?<![\w.:/])(?P<first>\d{1,2})[./](?P<second>\d{1,2})[./]"
                           r"(?P<year>\d{4}|\d\d(?![\d.]))(?:(?:,?\s+|\s+[-–|]\s+)(?P<after>\d{1,2}:\d\d)(?!\s*[ap]\.?m))?", re.IGNORECASE)
_BARE_TIME = re.compile(r"^\d{1,2}:\d\d(?::\d\d)?$")
_BARE_DAY = re.compile(r"^\d{4}-\d\d-\d\d$")
# Words after a clock that say more of its time (a zone, "p. m."), and markers of a half of the
# day written before it.
_WORD = re.compile(r"[^\W\d_]+")
_PLAIN_CLOCK_WORDS = frozenset({"uhr", "h", "am", "pm", "a", "p", "m"})
_HALF_OF_DAY_BEFORE = re.compile(rf"(?:{HALF_OF_DAY})\s*$")
_SHOWN_CLOCK = re.compile(r"(?<![\d.:])(?P<hour>[01]?\d|2[0-3])[:.h](?P<minute>[0-5]\d)(?![\d.:])(?:\s*(?P<half>[ap])\.?\s?m\b)?",
                          re.IGNORECASE)


def _with_shown_clock(value: str, shown: str) -> str | None:
    """A day-only value ("2024-04-30") with the time its element's text shows beside that day
    ("30/04/2024 - 4:17 pm"): the value settles the day, which the text may write either way round.
    None when the text says more of its time than a bare clock ("4:17 pm ET", "오후 4:17"): then
    the text is the date to read. The value alone when the text shows no time of that day."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return value
    clock = _SHOWN_CLOCK.search(shown)
    if clock is None or not _names_day(shown, (day.year, day.month, day.day)):
        return value
    if _HALF_OF_DAY_BEFORE.search(shown[:clock.start()]) or any(
            word.casefold() not in _PLAIN_CLOCK_WORDS for word in _WORD.findall(shown[clock.end():])):
        return None
    hour = int(clock["hour"])
    if clock["half"]:
        hour = hour % 12 + (12 if clock["half"].lower() == "p" else 0)
    return f"{value}T{hour:02d}:{clock['minute']}"


def _path(url: str) -> str:
    try:
        return urlsplit(url).path
    except ValueError:  # a malformed address ("http://[x")
        return ""


def _url_day(url: str) -> tuple[int, int, int] | None:
    """(year, month, day) the address gives, if any."""
    match = _URL_DAY.search(_path(url))
    return (int(match[1]), int(match[3]), int(match[4])) if match else None


_DATELINE_REACH = etree.XPath("following::*[position() <= 60]")  # elements after the headline
_DATELINE_MAX_CHARS = 80
_HAS_TIME_VALUE = etree.XPath("boolean(.//time[@datetime])")


def _spaced_text(element: HtmlElement) -> str:
    """The element's text with its parts apart: "March 7, 2024" and "7:55 AM" in two spans are two words."""
    return " ".join(" ".join(element.itertext()).split())


def _visible_candidates(root: HtmlElement, headline: _Headline) -> list[tuple[str, bool]]:
    """(text, whether it is a machine-readable value) of <time> elements and byline-ish lines in
    the headline's box, then after the headline, then of short lines just after it, then of <time>
    elements and byline-ish lines before it (the header's clock and menus sit there), each in page
    order. A time shown alone has its date beside it: the parent's text. Dates of other stories
    and of comments are left out."""
    marked = {*root.iter("time"), *_DATE_PLACES(root)[:40]}
    position = {e: i for i, e in enumerate(root.iter())}
    # (libxml2 puts what follows "</html>" in a second top-level element, beside ``root``: the
    # elements following the headline may lie outside the page extraction reads.)
    lines = [] if headline.element is None else [e for e in _DATELINE_REACH(headline.element) if isinstance(e.tag, str) and e in position]
    after = position.get(headline.element, -1)
    found = []
    order = sorted(marked.union(lines), key=lambda e: (
        not (e in marked and headline.beside(e)), position[e] < after, e not in marked, position[e]))
    for element in order:
        if position[element] < after and element not in marked:
            continue
        if headline.of_another_story(element) or (element.tag != "time" and _HAS_TIME_VALUE(element)):
            continue  # a line holding a <time datetime> is read at that element, which says it surest
        value = element.get("datetime") if element.tag == "time" else None
        if value and _BARE_DAY.match(value.strip()):
            value = _with_shown_clock(value.strip(), _spaced_text(element))
        text = value or _spaced_text(element)
        if _BARE_TIME.match(text) and element.getparent() is not None:
            text = _spaced_text(element.getparent())
        if text and (element in marked or len(text) <= _DATELINE_MAX_CHARS):
            found.append((text, bool(value)))
    return found


def _settled(numeric: re.Match[str], day: tuple[int, int, int]) -> str | None:
    """A numeric date (and time) as ISO 8601 when one of its readings is the URL's ``day``."""
    first, second, year = int(numeric["first"]), int(numeric["second"]), int(numeric["year"])
    if (year if year >= 100 else 2000 + year) != day[0] or day[1:] not in ((second, first), (first, second)):
        return None  # another day: the page header's clock, another story's date
    moment = numeric["before"] or numeric["after"]
    iso = f"{day[0]:04d}-{day[1]:02d}-{day[2]:02d}"
    return f"{iso}T{moment.zfill(5)}" if moment else iso


def _names_day(text: str, day: tuple[int, int, int]) -> bool:
    """Whether a date's text has the year and day of the month of ``day``; an ISO 8601 value may
    be a day off (a late-evening time, given in UTC)."""
    if _ISO_DAY.match(text):
        try:
            return abs((date.fromisoformat(text[:10]) - date(*day)).days) <= 1
        except ValueError:  # "2024-13-45", "0000-00-00": no day at all
            return False
    numbers = {int(n) for n in re.findall(r"\d+", text)}
    return day[0] in numbers and day[2] in numbers


def visible_date(root: HtmlElement, headline: _Headline, url: str = "") -> str | None:
    """The first date written in a <time> element, a byline-ish line or a line just after the
    headline, that no label marks as a revision's ("Updated ..."); failing that, a revision's
    date, then the day the URL names. When the URL names the day, a date shown must be that day
    (the page header's clock, a "last updated" date are not), and the URL settles whether a
    numeric date is written day or month first."""
    day = _url_day(url)
    revision = None
    for text, is_value in _visible_candidates(root, headline):
        if is_value:
            if day is None or _names_day(text, day):
                return text
            continue
        numerics = list(_NUMERIC_DATE.finditer(text)) if day is not None else []
        if numerics:
            settled = next(filter(None, (_settled(numeric, day) for numeric in numerics)), None)
            if settled:
                return settled
            continue
        # "3 hours ago" only when the URL does not name the day, which is the surer of the two.
        relative = _RELATIVE_DATE.finditer(text) if day is None else ()
        end = 0
        for match in sorted([*VISIBLE_DATE.finditer(text), *relative], key=lambda m: m.start()):
            label, end = text[max(end, match.start() - _LABEL_REACH):match.start()], match.end()
            if day is not None and not _names_day(match.group(), day):
                continue
            if not UPDATED_LABEL.search(label):
                return match.group().strip()
            revision = revision or match.group().strip()
    if revision:
        return revision
    return f"{day[0]:04d}-{day[1]:02d}-{day[2]:02d}" if day else None


def extract_dates(metadata: Metadata, root: HtmlElement, url: str = "",
                  headline: HtmlElement | None = None) -> tuple[str | None, str | None]:
    """(published, modified) as found; the article's dates sit by its ``headline`` element."""
    headline = _Headline(headline, url)
    published = declared_date(metadata, root, headline) or visible_date(root, headline, url)
    return published, declared_date(metadata, root, headline, modified=True)
