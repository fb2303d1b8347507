from crawler.sites.base import Site

# The WSJ has no public space feed; its space & astronomy section is a listing page.
SITE = Site(
    name="wsj",
    domains=("wsj.com",),
    listing_pages=("https://www.wsj.com/science/space-astronomy",),
    article_url=r"^https?://www\.wsj\.com/science/space-astronomy/[a-z0-9-]+/?(?:$|[?#])",
    timezone="America/New_York",
    language="en",
)
