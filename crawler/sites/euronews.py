from crawler.sites.base import Site

# English edition only (other languages are other subdomains); Euronews has no space feed, and
# its URLs name a vertical, not the topic, so the space tag page bounds the crawl.
SITE = Site(
    name="euronews",
    domains=("euronews.com",),
    listing_pages=("https://www.euronews.com/tag/space",),
    article_url=r"^https?://www\.euronews\.com/(?!video/)(?:[a-z-]+/)?20\d\d/\d\d/\d\d/[a-z0-9-]+/?(?:$|[?#])",
    timezone="Europe/Paris",
    language="en",
)
