from crawler.sites.base import Site

# The space section only (/future/space/...): its Arc category feed and section page.
SITE = Site(
    name="thenational",
    domains=("thenationalnews.com",),
    feeds=("https://www.thenationalnews.com/arc/outboundfeeds/rss/category/future/space/?outputType=xml",),
    listing_pages=("https://www.thenationalnews.com/future/space/",),
    article_url=r"^https?://www\.thenationalnews\.com/future/space/20\d\d/\d\d/\d\d/[a-z0-9-]+/?(?:$|[?#])",
    timezone="Asia/Dubai",
    language="en",
)
