from crawler.sites.base import Site

SITE = Site(
    name="planetary",
    domains=("planetary.org",),
    feeds=("https://www.planetary.org/rss/articles",),
    listing_pages=("https://www.planetary.org/articles",),
    article_url=r"^https?://www\.planetary\.org/(?:articles|the-downlink)/[a-z0-9-]+/?(?:$|[?#])",
    timezone="America/Los_Angeles",
    language="en",
)
