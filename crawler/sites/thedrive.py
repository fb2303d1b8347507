from crawler.sites.base import Site

# The space tag bounds the crawl; stories are under /news/ or /the-war-zone/ (older ones with a
# numeric id), while reviews and buying guides elsewhere have long slugs too.
SITE = Site(
    name="thedrive",
    domains=("thedrive.com",),
    feeds=("https://www.thedrive.com/tag/space/feed",),
    listing_pages=("https://www.thedrive.com/tag/space",),
    article_url=r"^https?://www\.thedrive\.com/(?:news|the-war-zone)/(?:\d+/)?[a-z0-9-]+/?(?:$|[?#])",
    timezone="America/New_York",
    language="en",
)
