from crawler.sites.base import Site

# The space section only: its feed and page, and article URLs under /space/.
SITE = Site(
    name="arstechnica",
    domains=("arstechnica.com",),
    feeds=("https://arstechnica.com/space/feed/",),
    listing_pages=("https://arstechnica.com/space/",),
    article_url=r"^https?://arstechnica\.com/space/20\d\d/\d\d/[a-z0-9-]+/?(?:$|[?#])",
    timezone="America/New_York",
    language="en",
)
