from crawler.sites.base import Site

SITE = Site(
    name="europeanspaceflight",
    domains=("europeanspaceflight.com",),
    feeds=("https://europeanspaceflight.com/feed/",),
    sitemaps=("https://europeanspaceflight.com/sitemap_index.xml",),
    language="en",
)
