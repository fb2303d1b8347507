from crawler.sites.base import Site

# The Space Devs (Launch Library 2, SNAPI) publish no feed; their news is linked from the home page.
SITE = Site(
    name="thespacedevs",
    domains=("thespacedevs.com",),
    listing_pages=("https://thespacedevs.com/",),
    language="en",
)
