from crawler.sites.base import Site

SITE = Site(
    name="elonx",
    domains=("elonx.net",),
    feeds=("https://www.elonx.net/feed/",),
    sitemaps=("https://www.elonx.net/sitemap_index.xml",),
    language="en",
)
