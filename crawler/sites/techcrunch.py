from crawler.sites.base import DATED_ARTICLE_URL, Site

# URLs don't name the section, so the space category bounds the crawl; dated posts only, as
# event and landing pages have long slugs too.
# Event promotions sit between paragraphs.
SITE = Site(
    name="techcrunch",
    domains=("techcrunch.com",),
    feeds=("https://techcrunch.com/category/space/feed/",),
    listing_pages=("https://techcrunch.com/category/space/",),
    article_url=DATED_ARTICLE_URL,
    timezone="America/Los_Angeles",
    language="en",
    selectors={"remove": ".wp-block-techcrunch-inline-cta"},
)
