from crawler.sites.base import Site

# ULA's news is its HubSpot blog on blog.ulalaunch.com.
# HubSpot declares no tags in meta; the post's topic links are its tags.
SITE = Site(
    name="ula",
    domains=("ulalaunch.com",),
    feeds=("https://blog.ulalaunch.com/blog/rss.xml",),
    listing_pages=("https://blog.ulalaunch.com/blog",),
    article_url=r"^https?://blog\.ulalaunch\.com/blog/(?!(?:tag|author|page)/)(?:[a-z0-9-]+/)?[a-z0-9-]+/?(?:$|[?#])",
    timezone="America/Denver",
    language="en",
    selectors={"tags": ".blog-post__tag-link"},
)
