"""The time zone a page most likely prints its local times in, from where and for whom it is written.

A page that shows "17:47 Uhr" with no offset means its readers' clock. The country comes from the
host's country-code domain (``.at``), else from a language tag with a region (``de-AT``,
``de_AT``), else from the country a language is most spoken in (CLDR's likely subtags, through
Babel: ``ko`` → Korea). A country gives a zone only when all its zones keep the same clock, so
Germany gives Europe/Berlin while the United States, Spain (the Canaries) or Indonesia give none:
a guess among their zones would be off by hours, and no guess is left as UTC.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.core import get_global

# Country-code domains sold worldwide as generic names (.io, .tv, .ai ...): they say nothing of
# where a site is; .eu names no country.
_GENERIC_COUNTRY_DOMAINS = frozenset({"ac", "ai", "am", "cc", "co", "eu", "fm", "gg", "io", "ly", "me", "nu", "sh", "so",
                                      "tk", "to", "tv", "ws"})
_COUNTRY_DOMAIN_ALIASES = {"uk": "GB"}
# Countries whose one legal clock the IANA list hides behind a second, unofficial zone: China keeps
# Beijing time everywhere, while Asia/Urumqi is the clock some in Xinjiang keep by custom.
_OFFICIAL_ZONES = {"CN": "Asia/Shanghai"}
_REGION = re.compile(r"^[a-z]{2,3}[-_](?:[a-z]{4}[-_])?([a-z]{2})\b", re.IGNORECASE)
_LANGUAGE = re.compile(r"^([a-z]{2,3})(?:$|[-_])", re.IGNORECASE)
# Instants that tell a zone's clock: winter and summer, both hemispheres.
_CLOCK_SAMPLES = (datetime(2025, 1, 15, 12), datetime(2025, 7, 15, 12))


@cache
def country_zone(country: str) -> str | None:
    """The IANA zone of a country whose zones all keep one clock, else None."""
    if country.upper() in _OFFICIAL_ZONES:
        return _OFFICIAL_ZONES[country.upper()]
    zones = get_global("territory_zones").get(country.upper(), [])
    try:
        clocks = {tuple(ZoneInfo(zone).utcoffset(moment) for moment in _CLOCK_SAMPLES) for zone in zones}
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return zones[0] if len(clocks) == 1 else None


def _country(url: str, language_tags: Iterable[str]) -> str | None:
    """The country the page is written in and for, by the surest sign it gives: its domain's
    country outweighs its language (a German page on a .ch site is Swiss), and a language tag's
    region outweighs where the language is mostly spoken (fr-CA is Canada, not France)."""
    suffix = (urlsplit(url).hostname or "").rstrip(".").rsplit(".", 1)[-1].lower()
    if len(suffix) == 2 and suffix.isalpha() and suffix not in _GENERIC_COUNTRY_DOMAINS:
        return _COUNTRY_DOMAIN_ALIASES.get(suffix, suffix.upper())
    tags = [tag.strip() for tag in language_tags if tag and tag.strip()]
    region = next((match for match in map(_REGION.match, tags) if match), None)
    if region:
        return region.group(1).upper()
    language = language_of(tags)
    likely = get_global("likely_subtags").get(language) if language else None
    return likely.rsplit("_", 1)[-1] if likely else None


def language_of(language_tags: Iterable[str]) -> str | None:
    """The language code of the first tag that gives one ("de" of "de-AT"), lower-cased."""
    match = next((match for match in map(_LANGUAGE.match, language_tags) if match), None)
    return match.group(1).lower() if match else None


def page_zone(url: str, language_tags: Iterable[str]) -> str | None:
    """The zone of the country the page's address or language tags name, if it keeps one clock."""
    country = _country(url, language_tags)
    return country_zone(country) if country else None
