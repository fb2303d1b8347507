from crawler.sites.base import Site

# Space & Cosmos stories are filed under science (/2024/05/17/science/slug.html, some /science/space/).
# The summary under the headline is the dek, not the story.
SITE = Site(
    name="nytimes",
    domains=("nytimes.com",),
    feeds=("https://rss.nytimes.com/services/xml/rss/nyt/Space.xml",),
    listing_pages=("https://www.nytimes.com/section/science/space",),
    article_url=r"^https?://www\.nytimes\.com/20\d\d/\d\d/\d\d/science/(?:space/)?[a-z0-9-]+\.html(?:$|[?#])",
    timezone="America/New_York",
    language="en",
    selectors={"remove": "#article-summary"},
)
