from crawler.sites.base import Site

# Article URLs don't name the section (/news/2024-05-slug.html): the space feed and page bound the crawl.
# Citation and copyright notes sit inside the article's own block (the journal reference is kept).
SITE = Site(
    name="physorg",
    domains=("phys.org",),
    feeds=("https://phys.org/rss-feed/space-news/",),
    listing_pages=("https://phys.org/space-news/",),
    article_url=r"^https?://phys\.org/news/20\d\d-\d\d-[a-z0-9-]+\.html(?:$|[?#])",
    timezone="Europe/London",
    language="en",
    selectors={"remove": ".article-main__note"},
)
