from crawler.sites.base import Site

# Articles are one slug at the root (/europa-water-vapor-confirmed, older /27998-slug.html);
# deeper paths are section and topic pages.
# The strapline under the headline, and the forum box inside the article body.
SITE = Site(
    name="spacecom",
    domains=("space.com",),
    feeds=("https://www.space.com/feeds/all",),
    sitemaps=("https://www.space.com/sitemap.xml",),
    article_url=r"^https?://www\.space\.com/[a-z0-9]+(?:-[a-z0-9]+){2,}(?:\.html)?/?(?:$|[?#])",
    timezone="America/New_York",
    language="en",
    selectors={"remove": ".strapline, .fancy-box"},
)
