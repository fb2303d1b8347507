"""A local fake space-news site for tests and benchmarks of the crawl.

    site = FakeSite(articles=12, seed=0)
    with serve(site) as base_url:
        ...  # crawl base_url; compare with site.expected_articles()

Pages are WordPress-like (Yoast JSON-LD and OpenGraph, Jetpack share and related-posts widgets,
comments, newsletter box, sidebar), with a feed, sitemaps, paginated category listings,
robots.txt and the traps a crawler meets: a redirect, a 404, non-article pages, a robots-disallowed
page, an article only the listings link to and a tracking-parameter duplicate.
"""

from fakesite.server import serve
from fakesite.site import SITE_TIMEZONE, ExpectedArticle, FakeSite

__all__ = ["SITE_TIMEZONE", "ExpectedArticle", "FakeSite", "serve"]
