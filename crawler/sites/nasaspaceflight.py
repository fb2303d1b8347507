from crawler.sites.base import Site

SITE = Site(
    name="nasaspaceflight",
    domains=("nasaspaceflight.com",),
    feeds=("https://www.nasaspaceflight.com/feed/",),
    sitemaps=("https://www.nasaspaceflight.com/sitemap_index.xml",),
    language="en",
)
