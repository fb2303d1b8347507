from crawler.sites.base import Site

# Not all of nasa.gov: centres such as jpl.nasa.gov are sites of their own. Topic hubs are one
# segment deep (/international-space-station/); articles two or more (/news-release/slug/).
# Calls to action sit between paragraphs.
SITE = Site(
    name="nasa",
    domains=("www.nasa.gov", "science.nasa.gov"),
    feeds=("https://www.nasa.gov/news-release/feed/", "https://www.nasa.gov/feed/"),
    sitemaps=("https://www.nasa.gov/sitemap_index.xml",),
    article_url=r"^https?://(?:www|science)\.nasa\.gov/(?:[a-z0-9-]+/)+[a-z0-9]+(?:-[a-z0-9]+){2,}/?(?:$|[?#])",
    timezone="America/New_York",
    language="en",
    selectors={"remove": ".hds-cta"},
)
