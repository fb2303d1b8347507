"""The crawler's entry points: robots.txt, the RSS feed and Yoast-style sitemaps (post sitemaps in
chunks, a page sitemap, their index, a news sitemap)."""

from __future__ import annotations

from datetime import UTC
from email.utils import format_datetime
from html import escape
from typing import TYPE_CHECKING

from fakesite.layout import ABOUT_PATH, GALLERY_PATH, SITE_TAGLINE, SITE_TITLE, Layout, image_path, utc_iso

if TYPE_CHECKING:
    from fakesite.site import Post


class FeedDocuments(Layout):
    """The documents a crawler starts from, as text."""

    def robots(self) -> str:
        return ("User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\nDisallow: /drafts/\n\n"
                + "".join(f"Sitemap: {url}\n" for url in self.site.sitemap_urls))

    def feed(self) -> str:
        posts = self.site.feed_posts
        items = []
        for post in posts:
            url = self.base + post.path
            creators = "".join(f"<dc:creator><![CDATA[{a.name}]]></dc:creator>\n" for a in post.authors)
            categories = "".join(f"<category><![CDATA[{c}]]></category>\n" for c in (post.category[1], *post.tags))
            items.append(
                f"<item>\n<title>{escape(post.headline, quote=False)}</title>\n<link>{url}</link>\n"
                f"<comments>{url}#respond</comments>\n{creators}<pubDate>{format_datetime(post.published.astimezone(UTC))}</pubDate>\n"
                f'{categories}<guid isPermaLink="false">{self.base}/?p={post.post_id}</guid>\n'
                f"<description><![CDATA[{post.summary} [&#8230;]]]></description>\n"
                f"<slash:comments>{len(post.comments)}</slash:comments>\n</item>\n")
        last_build = max(p.modified for p in posts)
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" '
            'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/" xmlns:slash="http://purl.org/rss/1.0/modules/slash/">\n'
            f"<channel>\n<title>{SITE_TITLE}</title>\n"
            f'<atom:link href="{self.base}/feed/" rel="self" type="application/rss+xml" />\n'
            f"<link>{self.base}/</link>\n<description>{SITE_TAGLINE}</description>\n"
            f"<lastBuildDate>{format_datetime(last_build.astimezone(UTC))}</lastBuildDate>\n"
            "<language>en-US</language>\n<sy:updatePeriod>hourly</sy:updatePeriod>\n<sy:updateFrequency>1</sy:updateFrequency>\n"
            "<generator>https://wordpress.org/?v=6.5.3</generator>\n" + "".join(items) + "</channel>\n</rss>\n")

    def post_sitemap(self, posts: list[Post]) -> str:
        urls = "".join(
            f"<url>\n<loc>{self.base}{p.path}</loc>\n<lastmod>{utc_iso(p.modified)}</lastmod>\n"
            f"<image:image>\n<image:loc>{self.base}{image_path(p)}</image:loc>\n</image:image>\n</url>\n" for p in posts)
        return ('<?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet type="text/xsl" href="/main-sitemap.xsl"?>\n'
                '<urlset xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1" '
                'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n")

    def page_sitemap(self) -> str:
        lastmod = utc_iso(self.visible[0].modified)
        urls = "".join(f"<url>\n<loc>{self.base}{path}</loc>\n<lastmod>{lastmod}</lastmod>\n</url>\n"
                       for path in ("/", ABOUT_PATH, GALLERY_PATH))
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                + urls + "</urlset>\n")

    def sitemap_index(self, names: list[str], chunks: list[list[Post]]) -> str:
        entries = [(name, max(p.modified for p in chunk)) for name, chunk in zip(names, chunks, strict=True)]
        entries.append(("/page-sitemap.xml", self.visible[0].modified))
        sitemaps = "".join(f"<sitemap>\n<loc>{self.base}{name}</loc>\n<lastmod>{utc_iso(modified)}</lastmod>\n</sitemap>\n"
                           for name, modified in entries)
        return ('<?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet type="text/xsl" href="/main-sitemap.xsl"?>\n'
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + sitemaps + "</sitemapindex>\n")

    def news_sitemap(self) -> str:
        urls = "".join(
            f"<url>\n<loc>{self.base}{p.path}</loc>\n<news:news>\n<news:publication>\n<news:name>{SITE_TITLE}</news:name>\n"
            "<news:language>en</news:language>\n</news:publication>\n"
            f"<news:publication_date>{p.published.isoformat()}</news:publication_date>\n"
            f"<news:title>{escape(p.headline, quote=False)}</news:title>\n"
            f"<news:keywords>{escape(', '.join(p.tags), quote=False)}</news:keywords>\n</news:news>\n</url>\n"
            for p in self.site.feed_posts)
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' + urls + "</urlset>\n")
