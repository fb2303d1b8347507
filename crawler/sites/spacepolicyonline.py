from crawler.sites.base import Site

# Articles live under /news/; the rest of the site is calendars and reference pages.
SITE = Site(
    name="spacepolicyonline",
    domains=("spacepolicyonline.com",),
    feeds=("https://spacepolicyonline.com/feed/",),
    listing_pages=("https://spacepolicyonline.com/news/",),
    article_url=r"^https?://spacepolicyonline\.com/news/[a-z0-9-]+/?(?:$|[?#])",
    timezone="America/New_York",
    language="en",
)
