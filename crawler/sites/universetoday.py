from crawler.sites.base import Site

# Articles are /articles/slug (current site) or /12345/slug/ (the old WordPress site); short
# slugs such as /articles/messier-32 are articles too.
SITE = Site(
    name="universetoday",
    domains=("universetoday.com",),
    feeds=("https://www.universetoday.com/feed/",),
    sitemaps=("https://www.universetoday.com/sitemap.xml",),
    article_url=r"^https?://www\.universetoday\.com/(?:articles|\d+)/[a-z0-9-]+/?(?:$|[?#])",
    language="en",
)
