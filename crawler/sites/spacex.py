from crawler.sites.base import Site

# No feed: launches and updates are each a page, listed on these two.
SITE = Site(
    name="spacex",
    domains=("spacex.com",),
    listing_pages=("https://www.spacex.com/launches/", "https://www.spacex.com/updates/"),
    article_url=r"^https?://www\.spacex\.com/(?:launches|updates)/[a-z0-9-]+/?(?:$|[?#])",
    timezone="America/Los_Angeles",
    language="en",
)
