"""Parse dates: ``published`` and ``modified`` from the text a page shows to aware UTC datetimes.

Most pages give ISO 8601 (JSON-LD, meta tags, <time datetime>) or RFC 2822 (feeds), which the
standard library parses in microseconds; a regex takes the common English "June 5, 2024 at
3:15 pm ET". Only the rest goes to dateparser (~1.5 ms a call): other languages, relative dates
("3 hours ago", against the item's ``fetched_at``), odd layouts; failing that, a numeric date
found among other words ("입력 2025.05.15 16:33"). A date without an offset is in
the site's zone. A date that cannot be parsed, or is implausible, becomes None and is counted:
the article is still worth keeping, and the crawl time is never passed off as a publication time.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta, timezone, UTC
from email.utils import parsedate_to_datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateparser.data.languages_info import language_order
from dateparser.date import DateDataParser
from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from crawler.ops.run_stats import DATES_IMPLAUSIBLE, DATES_UNPARSED
from crawler.text.dates import (ENGLISH_DATE_LABELS, ENGLISH_MONTHS, ENGLISH_WEEKDAY_STEMS, SHOWS_TIME_OF_DAY,
                                TRAILING_LABEL)

DATE_FIELDS = ("published", "modified")
DATEPARSER_LANGUAGES = frozenset(language_order)

# Zone names US sites print without saying whether daylight saving applies: the zone, not a fixed
# offset, so June gets EDT and January EST. (dateparser reads "ET" as a fixed -05:00.)
GENERIC_ZONES = {
    "ET": "America/New_York", "EASTERN TIME": "America/New_York", "CT": "America/Chicago",
    "CENTRAL TIME": "America/Chicago", "MT": "America/Denver", "MOUNTAIN TIME": "America/Denver",
    "PT": "America/Los_Angeles", "PACIFIC TIME": "America/Los_Angeles",
}
# Abbreviations that name one offset; a page saying "EST" in July means -05:00 as written.
FIXED_ZONES = {
    "UTC": 0, "UT": 0, "GMT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7,
    "MDT": -6, "PST": -8, "PDT": -7, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
    "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11,
}
# A zone name ending a date's text, read here rather than by dateparser, which moves a day shown
# in a named zone ("5 mars 2024 CET") to another day.
ZONE_SUFFIX = re.compile(r"[\s,(]+(?P<zone>ET|CT|MT|PT|(?:Eastern|Central|Mountain|Pacific) Time|"
                         rf"{'|'.join(name for name in FIXED_ZONES if len(name) > 2)})\)?\.?$")
ISO_LIKE = re.compile(r"\d{4}-?\d\d-?\d\d(?:[T ]\d\d(?::?\d\d(?::?\d\d(?:[.,]\d+)?)?)?)?"
                      r" ?(?:Z|[+-]\d\d(?::?\d\d)?)?", re.IGNORECASE)
COMPACT_TIMESTAMP = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"  # YYYYMMDD
                               r"(?:[01]\d|2[0-3])[0-5]\d(?:[0-5]\d)?")  # hhmm[ss]
RFC_2822_LIKE = re.compile(r"(?:[A-Za-z]{3}, ?)?\d{1,2} [A-Za-z]{3} \d{2,4} \d\d?:\d\d")
# English dates as pages print them: "June 5, 2024", "Wed, Jun. 5, 2024, 3:15 p.m. EDT",
# "5 June 2024 15:15 GMT", optionally after a "Published"/"Updated" label.
ENGLISH_DATE = re.compile(
    rf"(?:(?:{ENGLISH_DATE_LABELS})\b:?\s*)?(?:(?:{ENGLISH_WEEKDAY_STEMS})[a-z]*\.?,?\s+)?"
    r"(?:(?P<month>[a-z]{3,9})\.? (?P<day>\d{1,2})(?:st|nd|rd|th)?|(?P<day2>\d{1,2}) (?P<month2>[a-z]{3,9})\.?),? "
    r"(?P<year>\d{4})(?:,?\s+(?:at\s+)?(?P<hour>\d{1,2})[:.](?P<minute>\d\d)(?::(?P<second>\d\d))?\s*"
    r"(?P<ampm>[ap])?\.?(?:m\.?)?)?(?:\s+\(?(?P<zone>[a-z]{1,4})\)?)?",
    re.IGNORECASE,
)


# A numeric date inside other words ("입력 2025.05.15 16:33", "Stand: 2024-03-05 10:15"): labels
# in languages dateparser does not strip, or CJK dates on a page of another CJK language.
# Year first only: its order is never in doubt.
EMBEDDED_NUMERIC_DATE = re.compile(
    r"(?<!\d)(?P<year>\d{4})\s?[-./年년]\s?(?P<month>\d{1,2})\s?[-./月월]\s?(?P<day>\d{1,2})[.日일]?"
    r"(?:(?:T|\s+)(?P<time>\d{1,2}:\d\d(?::\d\d)?)(?P<offset>\s?(?:Z|[+-]\d\d:?\d\d))?)?(?!\d)")




def parse_embedded(text: str) -> datetime | None:
    """The first year-first numeric date (and time) written among other words, else None."""
    match = EMBEDDED_NUMERIC_DATE.search(text)
    if not match:
        return None
    iso = f"{match['year']}-{int(match['month']):02d}-{int(match['day']):02d}"
    if match["time"]:
        iso += f"T{match['time'].zfill(5) if match['time'].count(':') == 1 else match['time'].zfill(8)}"
        iso += (match["offset"] or "").strip()
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        return None


def zone_named(name: str | None) -> ZoneInfo | timezone:
    """The site's zone, or UTC when it has none or names one that does not exist."""
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def zone_for_abbreviation(abbreviation: str) -> ZoneInfo | timezone | None:
    abbreviation = abbreviation.upper()
    if abbreviation in GENERIC_ZONES:
        return ZoneInfo(GENERIC_ZONES[abbreviation])
    if abbreviation in FIXED_ZONES:
        return timezone(timedelta(hours=FIXED_ZONES[abbreviation]))
    return None


def parse_english(text: str) -> datetime | None:
    """A naive or aware datetime for the English layouts of ``ENGLISH_DATE``, else None."""
    match = ENGLISH_DATE.fullmatch(text)
    if not match:
        return None
    month = ENGLISH_MONTHS.get((match["month"] or match["month2"]).lower())
    if month is None:
        return None
    hour = int(match["hour"] or 0)
    if match["ampm"]:
        hour = hour % 12 + (12 if match["ampm"].lower() == "p" else 0)
    zone = None
    if match["zone"]:
        zone = zone_for_abbreviation(match["zone"])
        if zone is None:
            return None  # a zone this table does not know: dateparser may
    try:
        parsed = datetime(int(match["year"]), month, int(match["day"] or match["day2"]), hour,
                          int(match["minute"] or 0), int(match["second"] or 0))
    except ValueError:
        return None
    return parsed.replace(tzinfo=zone) if zone else parsed


def parse_standard(text: str) -> datetime | None:
    """ISO 8601 or RFC 2822, naive when the text has no offset; None for anything else."""
    if COMPACT_TIMESTAMP.fullmatch(text):
        text = f"{text[:8]}T{text[8:]}"  # "20250603102100": ISO 8601's basic form without its "T"
    if ISO_LIKE.fullmatch(text):
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            return None
    if RFC_2822_LIKE.match(text):
        try:
            parsed = parsedate_to_datetime(text)
        except (ValueError, TypeError, IndexError):
            return None
        # The email parser ignores zone names it does not know ("CEST") and returns naive; only
        # trust a naive result when the text ends in a number (no zone, or "-0000").
        if parsed.tzinfo is None and not text[-1].isdigit():
            return None
        return parsed
    return None


def languages_for(language: str | None) -> list[str] | None:
    """dateparser languages for an item's language ("de-AT" -> de, then en for the English month
    names non-English sites print too); None, so dateparser detects, when it does not know it."""
    code = (language or "").split("-")[0].split("_")[0].lower()
    if code not in DATEPARSER_LANGUAGES:
        return None
    return [code] if code == "en" else [code, "en"]


def _whole_days_before(parsed: datetime, relative_base: datetime | None) -> bool:
    return (relative_base is not None and (parsed.tzinfo is None) == (relative_base.tzinfo is None)
            and parsed < relative_base and (relative_base - parsed) % timedelta(days=1) == timedelta(0))


def parse_date(text: str, *, site_timezone: str | None = None, language: str | None = None,
               relative_base: datetime | None = None) -> datetime | None:
    """``text`` as an aware UTC datetime, or None; a date without an offset is in ``site_timezone``
    (UTC when None), a relative one counts back from ``relative_base`` (aware)."""
    text = " ".join(text.split())
    if not text:
        return None
    zone: ZoneInfo | timezone = zone_named(site_timezone)
    parsed = parse_standard(text) or parse_english(text)
    if parsed is None:
        named = ZONE_SUFFIX.search(text)
        if named:
            zone = zone_for_abbreviation(named["zone"]) or zone
            text = text[:named.start()]
        parsed = parse_with_dateparser(text, zone, language, relative_base) or parse_embedded(text)
    label = TRAILING_LABEL.search(text) if parsed is None else None
    if label and label.start():
        shorter = text[:label.start()]
        parsed = parse_standard(shorter) or parse_english(shorter) \
            or parse_with_dateparser(shorter, zone, language, relative_base)
    if parsed is None:
        return None
    if (parsed.time() == time() or _whole_days_before(parsed, relative_base)) and not SHOWS_TIME_OF_DAY.search(text):
        # A day without a time is no instant: it stays that calendar day, at midnight UTC, where
        # midnight in an eastern zone would make it the day before. (Each parser gives the clock
        # the text shows; "3 hours ago" or a time the pattern misses is no midnight, while
        # "yesterday" is the crawl's clock a day back, and no more a time than "June 9".)
        return datetime.combine(parsed.date(), time(), UTC)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # "0001-01-01T00:00:00+05:00" lands before year 1 in UTC
        return None


def gives_day_only(text: Any, parsed: datetime | None) -> bool:
    """Whether ``text`` gave a day without a time. parse_date stores such a day at midnight UTC;
    a time shown as 00:00 UTC is stored so too, and the text tells the two apart."""
    return isinstance(text, str) and parsed is not None and parsed.utcoffset() == timedelta(0) \
        and parsed.time() == time() and not SHOWS_TIME_OF_DAY.search(text)


def parse_with_dateparser(text: str, zone: ZoneInfo | timezone, language: str | None,
                          relative_base: datetime | None) -> datetime | None:
    settings: dict[str, Any] = {
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": True,
        # Without TO_TIMEZONE the result keeps the clock the text shows, in this zone (a fixed
        # offset is put on afterwards: dateparser takes zone names).
        "TIMEZONE": str(zone) if isinstance(zone, ZoneInfo) else "UTC",
        # A time alone or "March 2024" would be completed from the crawl date: not a date.
        "REQUIRE_PARTS": ["day", "month", "year"],
    }
    if relative_base is not None:
        # On the page's clock: an aware base would set the zone of "gestern, 10:30 Uhr" to its own.
        settings["RELATIVE_BASE"] = relative_base.astimezone(zone) if relative_base.tzinfo else relative_base
    # A parser per call: settings are fixed at construction and RELATIVE_BASE differs per item;
    # constructing one costs ~10 µs against ~1.5 ms for parsing (benchmarks/dates.py), and the
    # locale data it loads is cached by dateparser across parsers.
    languages = languages_for(language)
    # In the given order: else "06.01.2026" on a German page is read the English way, as June 1.
    parser = DateDataParser(languages=languages, use_given_order=languages is not None, settings=settings)
    try:
        result = parser.get_date_data(text).date_obj
    except (ValueError, OverflowError):  # numbers too large for a date, in some layouts
        return None
    if result is not None and relative_base is not None and result == relative_base:
        return None  # "now", "just now": the crawl time, not a publication time
    if result is not None and not isinstance(zone, ZoneInfo):
        result = result.replace(tzinfo=zone)
    return result


class ParseDatesPipeline:
    def __init__(self, stats: Any, max_future: timedelta, earliest: datetime) -> None:
        self.stats = stats
        self.max_future = max_future
        self.earliest = earliest

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ParseDatesPipeline:
        settings = crawler.settings
        try:
            earliest = datetime.fromisoformat(settings.get("SPACECRAWL_DATES_EARLIEST"))
        except (TypeError, ValueError):
            raise ValueError(f"SPACECRAWL_DATES_EARLIEST={settings.get('SPACECRAWL_DATES_EARLIEST')!r} "
                             "is not an ISO 8601 date") from None
        return cls(
            crawler.stats,
            max_future=timedelta(hours=settings.getfloat("SPACECRAWL_DATES_MAX_FUTURE_HOURS")),
            earliest=earliest if earliest.tzinfo else earliest.replace(tzinfo=UTC),
        )

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        fetched_at = adapter.get("fetched_at")
        if not isinstance(fetched_at, datetime):
            fetched_at = None  # unknown (or text in a dict item): relative dates count from now
        elif fetched_at.tzinfo is None:
            fetched_at = fetched_at.replace(tzinfo=UTC)
        for name in DATE_FIELDS:
            if name in adapter:  # a dict item may not carry the field at all
                given = adapter.get(name)
                adapter[name] = self.date_of(given, adapter, fetched_at)
                if name == "published" and "published_without_time" in adapter.field_names():
                    adapter["published_without_time"] = gives_day_only(given, adapter[name])
        return item

    def date_of(self, value: Any, adapter: ItemAdapter, fetched_at: datetime | None) -> datetime | None:
        """``value`` as aware UTC, or None (counted) when it cannot be parsed or cannot be true."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        site_timezone = adapter.get("timezone")
        if isinstance(value, datetime):
            parsed = value if value.tzinfo else value.replace(tzinfo=zone_named(site_timezone))
            parsed = parsed.astimezone(UTC)
        elif isinstance(value, str):
            parsed = parse_date(value, site_timezone=site_timezone, language=adapter.get("language"),
                                relative_base=fetched_at)
        else:
            parsed = None
        if parsed is None:
            self.stats.inc_value(DATES_UNPARSED)
            return None
        latest = (fetched_at or datetime.now(UTC)) + self.max_future
        if not self.earliest <= parsed <= latest:
            self.stats.inc_value(DATES_IMPLAUSIBLE)
            return None
        return parsed
