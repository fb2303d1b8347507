from crawler.sites.base import Site

# The feed carries every section; space stories are filed under science-health
# (/news/2024/05/17/japan/science-health/slug/), which the rule keeps.
SITE = Site(
    name="japantimes",
    domains=("japantimes.co.jp",),
    feeds=("https://www.japantimes.co.jp/feed/",),
    article_url=r"^https?://www\.japantimes\.co\.jp/news/20\d\d/\d\d/\d\d/[a-z-]+/science-health/[a-z0-9-]+/?(?:$|[?#])",
    timezone="Asia/Tokyo",
    language="en",
)
