from crawler.sites.base import Site

# SYFY WIRE's space coverage is the Bad Astronomy column; its article URLs don't carry the
# column's name, so the column page bounds the crawl.
SITE = Site(
    name="syfy",
    domains=("syfy.com",),
    listing_pages=("https://www.syfy.com/syfy-wire/bad-astronomy",),
    article_url=r"^https?://www\.syfy\.com/syfy-wire/[a-z0-9]+(?:-[a-z0-9]+){2,}/?(?:$|[?#])",
    timezone="America/New_York",
    language="en",
)
