from crawler.sites.base import Site

# Long articles run over numbered pages (/article/4321/1, /2 ...); each page is kept.
SITE = Site(
    name="thespacereview",
    domains=("thespacereview.com",),
    feeds=("https://www.thespacereview.com/rss.xml",),
    listing_pages=("https://www.thespacereview.com/",),
    article_url=r"^https?://www\.thespacereview\.com/article/\d+/\d+/?(?:$|[?#])",
    timezone="America/New_York",
    language="en",
)
