from crawler.sites.base import Site

# The tagDiv theme puts ad slots inside the post content.
SITE = Site(
    name="orbitaltoday",
    domains=("orbitaltoday.com",),
    feeds=("https://orbitaltoday.com/feed/",),
    sitemaps=("https://orbitaltoday.com/sitemap_index.xml",),
    timezone="Europe/London",
    language="en",
    selectors={"remove": ".td-a-rec"},
)
