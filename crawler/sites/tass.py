from crawler.sites.base import Site

# TASS English's one feed carries every section, so the science section (where space is filed)
# is read as a listing instead.
SITE = Site(
    name="tass",
    domains=("tass.com",),
    listing_pages=("https://tass.com/science",),
    article_url=r"^https?://tass\.com/science/\d+/?(?:$|[?#])",
    timezone="Europe/Moscow",
    language="en",
)
