from crawler.sites.base import Site

SITE = Site(
    name="orbitaltoday",
    domains=("orbitaltoday.com",),
    feeds=("https://orbitaltoday.com/feed/",),
    sitemaps=("https://orbitaltoday.com/sitemap_index.xml",),
    timezone="Europe/London",
    language="en",
)
