from crawler.sites.base import Site

# No feed: each story is a page under /news, listed there.
SITE = Site(
    name="virgingalactic",
    domains=("virgingalactic.com",),
    listing_pages=("https://www.virgingalactic.com/news",),
    article_url=r"^https?://www\.virgingalactic\.com/news/[a-z0-9-]+/?(?:$|[?#])",
    timezone="America/Los_Angeles",
    language="en",
)
