from crawler.sites.base import Site

SITE = Site(
    name="spaceflightinsider",
    domains=("spaceflightinsider.com",),
    feeds=("https://www.spaceflightinsider.com/feed/",),
    sitemaps=("https://www.spaceflightinsider.com/sitemap_index.xml",),
    timezone="America/New_York",
    language="en",
)
