from crawler.sites.base import Site

# Articles sit two or more sections deep and are titled in underscored words
# (/Science_Exploration/Space_Science/Webb_..._galaxy); multimedia pages and the member-state
# pages (in national languages) are left out.
SITE = Site(
    name="esa",
    domains=("esa.int",),
    feeds=("https://www.esa.int/rssfeed/TopNews", "https://www.esa.int/rssfeed/Our_Activities/Space_News"),
    article_url=(r"^https?://www\.esa\.int/(?!ESA_Multimedia/|Space_in_Member_States/)"
                 r"(?:[\w-]+/){2,}[^/_?#]+(?:_[^/_?#]+){2,}$"),
    timezone="Europe/Paris",
    language="en",
)
