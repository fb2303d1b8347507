from crawler.sites.base import Site

# The tagDiv theme puts ad slots inside the post content.
SITE = Site(
    name="europeanspaceflight",
    domains=("europeanspaceflight.com",),
    feeds=("https://europeanspaceflight.com/feed/",),
    sitemaps=("https://europeanspaceflight.com/sitemap_index.xml",),
    language="en",
    selectors={"remove": ".td-a-rec"},
)
