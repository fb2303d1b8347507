from crawler.sites.base import Site

SITE = Site(
    name="spacenews",
    domains=("spacenews.com",),
    feeds=("https://spacenews.com/feed/",),
    sitemaps=("https://spacenews.com/sitemap_index.xml",),
    timezone="America/New_York",
    language="en",
)
