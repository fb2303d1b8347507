from crawler.sites.base import Site

# In Russian. Stories are numbered pages (/40895/); sections have short numbers (/102/ is news).
SITE = Site(
    name="roscosmos",
    domains=("roscosmos.ru",),
    feeds=("https://www.roscosmos.ru/rss/",),
    listing_pages=("https://www.roscosmos.ru/102/",),
    article_url=r"^https?://www\.roscosmos\.ru/\d{5,}/?(?:$|[?#])",
    timezone="Europe/Moscow",
    language="ru",
)
