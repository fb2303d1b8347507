from crawler.sites.base import Site

# Long articles run over numbered pages (/article/4321/1, /2 ...); each page is kept.
# A hand-made page: no metadata, so the byline and date lines are named; the closing bio and
# comment note are cut.
SITE = Site(
    name="thespacereview",
    domains=("thespacereview.com",),
    feeds=("https://www.thespacereview.com/rss.xml",),
    listing_pages=("https://www.thespacereview.com/",),
    article_url=r"^https?://www\.thespacereview\.com/article/\d+/\d+/?(?:$|[?#])",
    timezone="America/New_York",
    language="en",
    selectors={"authors": "p.author", "published": "p.date", "remove": "p.author, p.date, p.bio, p.note"},
)
