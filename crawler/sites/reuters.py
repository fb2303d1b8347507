from crawler.sites.base import Site

# Reuters has no public RSS; its space section is a listing page.
SITE = Site(
    name="reuters",
    domains=("reuters.com",),
    listing_pages=("https://www.reuters.com/technology/space/",),
    article_url=r"^https?://www\.reuters\.com/technology/space/[a-z0-9-]+-20\d\d-\d\d-\d\d/?(?:$|[?#])",
    language="en",
)
