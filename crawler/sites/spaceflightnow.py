from crawler.sites.base import Site

SITE = Site(
    name="spaceflightnow",
    domains=("spaceflightnow.com",),
    feeds=("https://spaceflightnow.com/feed/",),
    sitemaps=("https://spaceflightnow.com/sitemap_index.xml",),
    timezone="America/New_York",
    language="en",
)
