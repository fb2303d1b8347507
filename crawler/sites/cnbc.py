from crawler.sites.base import Site

# CNBC URLs don't name their section, so its space pages (the Investing in Space franchise and
# the space reporter's page) bound the crawl; the rule keeps dated stories and leaves out /video/.
# Key points and the dek-like modules summarise the story; quotes and video cards are widgets.
SITE = Site(
    name="cnbc",
    domains=("cnbc.com",),
    listing_pages=("https://www.cnbc.com/investing-in-space/", "https://www.cnbc.com/michael-sheetz/"),
    article_url=r"^https?://www\.cnbc\.com/20\d\d/\d\d/\d\d/[a-z0-9-]+\.html(?:$|[?#])",
    timezone="America/New_York",
    language="en",
    selectors={"remove": ".RenderKeyPoints-keyPoints, .RelatedQuotes-relatedQuotes, .InlineVideo-container"},
)
