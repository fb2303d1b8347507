"""Sites as the Spaceflight News API names them (``news_site``): the publication's own name.

Data only. A site not listed here is shown by its spacecrawl name (a site of your sites file,
say). Readers may give either name, in any case, with or without spaces and dots: "Spaceflight
Now", "spaceflightnow" and "SPACEFLIGHTNOW" are the same site.
"""

from __future__ import annotations

import re

# spacecrawl site name -> the name its publisher goes by
DISPLAY_NAMES = {
    "americaspace": "AmericaSpace",
    "arstechnica": "Ars Technica",
    "blueorigin": "Blue Origin",
    "cnbc": "CNBC",
    "elonx": "ElonX",
    "esa": "ESA",
    "euronews": "Euronews",
    "europeanspaceflight": "European Spaceflight",
    "japantimes": "The Japan Times",
    "jpl": "Jet Propulsion Laboratory",
    "nasa": "NASA",
    "nasaspaceflight": "NASASpaceflight",
    "natgeo": "National Geographic",
    "nss": "National Space Society",
    "nytimes": "The New York Times",
    "orbitaltoday": "Orbital Today",
    "payload": "Payload",
    "physorg": "Phys.org",
    "planetary": "The Planetary Society",
    "reuters": "Reuters",
    "roscosmos": "Roscosmos",
    "spacecom": "Space.com",
    "spaceflightinsider": "Spaceflight Insider",
    "spaceflightnow": "Spaceflight Now",
    "spacenews": "SpaceNews",
    "spacepolicyonline": "SpacePolicyOnline.com",
    "spacex": "SpaceX",
    "syfy": "SYFY",
    "tass": "TASS",
    "techcrunch": "TechCrunch",
    "teslarati": "Teslarati",
    "thedrive": "The Drive",
    "thelaunchpad": "The Launch Pad",
    "thenational": "The National",
    "thespacedevs": "The Space Devs",
    "thespacereview": "The Space Review",
    "theverge": "The Verge",
    "ula": "United Launch Alliance",
    "universetoday": "Universe Today",
    "virgingalactic": "Virgin Galactic",
    "wsj": "The Wall Street Journal",
}

_NOT_IN_KEY = re.compile(r"[\W_]+")


def _key(name: str) -> str:
    return _NOT_IN_KEY.sub("", name.casefold())


# Either name's key -> the site name.
_SITES_BY_KEY = {_key(name): site for site, display in DISPLAY_NAMES.items() for name in (site, display)}


def display_name(site: str | None) -> str:
    return DISPLAY_NAMES.get(site or "", site or "")


def site_for(name: str) -> str:
    """The site a reader means by ``name`` (its display name or site name, any case); an unknown
    name is taken as a site name, which may be one the store holds though this list does not."""
    return _SITES_BY_KEY.get(_key(name), name.strip().lower())
