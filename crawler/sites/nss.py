from crawler.sites.base import Site

SITE = Site(
    name="nss",
    domains=("nss.org",),
    feeds=("https://nss.org/feed/",),
    sitemaps=("https://nss.org/sitemap_index.xml",),
    timezone="America/New_York",
    language="en",
)
