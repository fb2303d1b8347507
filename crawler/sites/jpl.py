from crawler.sites.base import Site

# Media contacts and the release number close every news release.
SITE = Site(
    name="jpl",
    domains=("jpl.nasa.gov",),
    feeds=("https://www.jpl.nasa.gov/feeds/news/",),
    listing_pages=("https://www.jpl.nasa.gov/news",),
    article_url=r"^https?://www\.jpl\.nasa\.gov/news/[a-z0-9-]+/?(?:$|[?#])",
    timezone="America/Los_Angeles",
    language="en",
    selectors={"remove": ".MediaContacts"},
)
