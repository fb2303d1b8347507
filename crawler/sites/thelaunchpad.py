from crawler.sites.base import Site

# The Launch Pad publishes as TLP Network; no feed we know of, so its news page is the listing.
# Ghost prints the excerpt under the headline.
SITE = Site(
    name="thelaunchpad",
    domains=("tlpnetwork.com",),
    listing_pages=("https://tlpnetwork.com/news",),
    timezone="America/New_York",
    language="en",
    selectors={"remove": ".gh-article-excerpt"},
)
