from crawler.sites.base import Site

# Teslarati's space coverage is its SpaceX category; article URLs don't carry it.
# The tagDiv theme puts ad slots inside the post content.
SITE = Site(
    name="teslarati",
    domains=("teslarati.com",),
    feeds=("https://www.teslarati.com/category/spacex/feed/",),
    listing_pages=("https://www.teslarati.com/category/spacex/",),
    timezone="America/Los_Angeles",
    language="en",
    selectors={"remove": ".td-a-rec"},
)
