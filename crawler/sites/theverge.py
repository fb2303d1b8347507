from crawler.sites.base import Site

# Story URLs carry an id after a date or a section that need not be "space", so the space feed
# and page bound the crawl.
# The dek under the headline.
SITE = Site(
    name="theverge",
    domains=("theverge.com",),
    feeds=("https://www.theverge.com/rss/space/index.xml",),
    listing_pages=("https://www.theverge.com/space",),
    article_url=r"^https?://www\.theverge\.com/(?:20\d\d/\d\d?/\d\d?|[a-z-]+)/\d{5,}/[a-z0-9-]+/?(?:$|[?#])",
    timezone="America/New_York",
    language="en",
    selectors={"remove": ".duet--article--dek"},
)
