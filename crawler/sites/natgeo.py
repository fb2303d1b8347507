from crawler.sites.base import Site

# Article URLs don't name the space section (/science/article/slug), so its hub page bounds the crawl.
# The dek under the headline and the subscriber prompt inside the article text.
SITE = Site(
    name="natgeo",
    domains=("nationalgeographic.com",),
    listing_pages=("https://www.nationalgeographic.com/science/space",),
    article_url=r"^https?://www\.nationalgeographic\.com/(?:science|space)/article/[a-z0-9-]+/?(?:$|[?#])",
    timezone="America/New_York",
    language="en",
    selectors={"remove": ".Article__Headline__Desc, .InlineMonetization"},
)
