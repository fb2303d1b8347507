from crawler.sites.base import Site

SITE = Site(
    name="americaspace",
    domains=("americaspace.com",),
    feeds=("https://www.americaspace.com/feed/",),
    sitemaps=("https://www.americaspace.com/sitemap_index.xml",),
    timezone="America/New_York",
    language="en",
)
