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
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.core import get_global

# Country-code domains sold worldwide as generic names (.io, .tv, .ai ...): they say nothing of
# where a site is.
_GENERIC_COUNTRY_DOMAINS = frozenset({"ac", "ai", "am", "cc", "co", "fm", "gg", "io", "ly", "me", "nu", "sh", "so", "tk",
                                      "to", "tv", "ws"})
_COUNTRY_DOMAIN_ALIASES = {"uk": "GB"}
_REGION = re.compile(r"^[a-z]{2,3}[-_](?:[a-z]{4}[-_])?([a-z]{2})\b", re.IGNORECASE)
_LANGUAGE = re.compile(r"^([a-z]{2,3})(?:$|[-_])", re.IGNORECASE)
# Instants that tell a zone's clock: winter and summer, both hemispheres.
_CLOCK_SAMPLES = (datetime(2025, 1, 15, 12), datetime(2025, 7, 15, 12))


@lru_cache(maxsize=None)
def country_zone(country: str) -> str | None:
    """The IANA zone of a country whose zones all keep one clock, else None."""
    zones = get_global("territory_zones").get(country.upper(), [])
    try:
        clocks = {tuple(ZoneInfo(zone).utcoffset(moment) for moment in _CLOCK_SAMPLES) for zone in zones}
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return zones[0] if len(clocks) == 1 else None


def _countries(url: str, language_tags: Iterable[str]) -> Iterable[str]:
    suffix = (urlsplit(url).hostname or "").rsplit(".", 1)[-1].lower()
    if len(suffix) == 2 and suffix.isalpha() and suffix not in _GENERIC_COUNTRY_DOMAINS:
        yield _COUNTRY_DOMAIN_ALIASES.get(suffix, suffix.upper())
        return  # the domain's country outweighs the language: a German page on a .ch site is Swiss
    tags = [tag.strip() for tag in language_tags if tag and tag.strip()]
    for tag in tags:
        region = _REGION.match(tag)
        if region:
            yield region.group(1).upper()
    for tag in tags:
        language = _LANGUAGE.match(tag)
        likely = get_global("likely_subtags").get(language.group(1).lower()) if language else None
        if likely:
            yield likely.rsplit("_", 1)[-1]
            return


def page_zone(url: str, language_tags: Iterable[str]) -> str | None:
    """The zone of the first country that the page's address or language tags name and that keeps
    one clock; None when they name none."""
    for country in _countries(url, language_tags):
        zone = country_zone(country)
        if zone:
            return zone
    return None
