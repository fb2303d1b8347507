from crawler.sites.base import Site

# No feed: each story is a page under /news, listed there.
SITE = Site(
    name="blueorigin",
    domains=("blueorigin.com",),
    sitemaps=("https://www.blueorigin.com/sitemap.xml",),
    listing_pages=("https://www.blueorigin.com/news",),
    article_url=r"^https?://www\.blueorigin\.com/news/[a-z0-9-]+/?(?:$|[?#])",
    timezone="America/Los_Angeles",
    language="en",
)
