from crawler.sites.base import Site

SITE = Site(
    name="payload",
    domains=("payloadspace.com",),
    feeds=("https://payloadspace.com/feed/",),
    sitemaps=("https://payloadspace.com/sitemap_index.xml",),
    timezone="America/New_York",
    language="en",
)
