"""Listing pages (home, category, tag and author archives with WordPress pagination) and the
site's other non-article pages: about, a photo gallery, the 404 page."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import TYPE_CHECKING

from fakesite.layout import (
    ABOUT_PARAGRAPHS, ABOUT_PATH, GALLERY_INTRO, GALLERY_PATH, SITE_TITLE, Layout, Page, human_date, image_path, json_ld,
    utc_iso)

if TYPE_CHECKING:
    from fakesite.site import Post


class ListingPages(Layout):
    """Pages that list posts as cards, and the pages that are not articles."""

    def card(self, post: Post) -> str:
        url = self.base + post.path
        authors = " and ".join(f'<a href="{self.base}/author/{a.slug}/">{a.name}</a>' for a in post.authors)
        return (f'<article id="post-{post.post_id}" class="post-{post.post_id} post type-post hentry category-{post.category[0]}">'
                f'<header class="entry-header"><h2 class="entry-title"><a href="{url}" rel="bookmark">{escape(post.headline)}</a></h2>'
                f'<div class="entry-meta"><time class="entry-date published" datetime="{post.published.isoformat()}">'
                f'{human_date(post.published)}</time> by {authors}</div></header>'
                f'<div class="entry-summary"><p>{escape(post.summary)} [&hellip;]</p></div>'
                f'<a class="more-link" href="{url}">Continue reading</a></article>\n')

    def paginated(self, first: str, heading: str | None, title: str, posts: list[Post], per_page: int
                  ) -> Iterator[tuple[str, Page]]:
        """WordPress pagination: ``first``, then first + page/N/."""
        total = max(1, -(-len(posts) // per_page))

        def path_of(n: int) -> str:
            return first if n == 1 else f"{first}page/{n}/"

        for n in range(1, total + 1):
            shown = sorted({1, total, *range(max(1, n - 2), min(total, n + 2) + 1)})
            links, previous = [], 0
            for k in shown:
                if k - previous > 1:
                    links.append('<span class="page-numbers dots">&hellip;</span>')
                links.append(f'<span aria-current="page" class="page-numbers current">{k}</span>' if k == n
                             else f'<a class="page-numbers" href="{self.base}{path_of(k)}">{k}</a>')
                previous = k
            if n > 1:
                links.insert(0, f'<a class="prev page-numbers" href="{self.base}{path_of(n - 1)}">&laquo; Previous</a>')
            if n < total:
                links.append(f'<a class="next page-numbers" href="{self.base}{path_of(n + 1)}">Next &raquo;</a>')
            pagination = ('<nav class="navigation pagination" aria-label="Posts pagination"><h2 class="screen-reader-text">'
                          f'Posts pagination</h2><div class="nav-links">{"".join(links)}</div></nav>\n') if total > 1 else ""
            rel = "".join(f'<link rel="{r}" href="{self.base}{path_of(k)}">\n'
                          for r, k in (("prev", n - 1), ("next", n + 1)) if 1 <= k <= total)
            page_posts = posts[(n - 1) * per_page: n * per_page]
            yield path_of(n), self.listing(path_of(n), heading, title if n == 1 else f"{title} - Page {n}",
                                           page_posts, rel, pagination)

    def listing(self, path: str, heading: str | None, title: str, posts: list[Post], rel: str = "",
                pagination: str = "") -> Page:
        url = self.base + path
        graph = [{"@type": "CollectionPage", "@id": url, "url": url, "name": f"{title} - {SITE_TITLE}",
                  "isPartOf": {"@id": f"{self.base}/#website"}, "inLanguage": "en-US"},
                 self.website_node, self.organization_node]
        head = (f'<link rel="canonical" href="{url}">\n{rel}<meta property="og:type" content="website">\n'
                f'<meta property="og:title" content="{escape(title)}">\n<meta property="og:url" content="{url}">\n'
                f"{json_ld(graph)}\n")
        header = f'<header class="page-header"><h1 class="page-title">{heading}</h1></header>\n' if heading else ""
        cards = "".join(self.card(p) for p in posts) or '<p class="no-results">Nothing found.</p>\n'
        html = self.document(f"{title} - {SITE_TITLE}", head, "archive", header + cards + pagination,
                             self.sidebar + self.archive_widget)
        return Page(html.encode(), "text/html; charset=UTF-8")

    def about(self) -> Page:
        url = self.base + ABOUT_PATH
        graph = [{"@type": ["WebPage", "AboutPage"], "@id": url, "url": url, "name": f"About our newsroom - {SITE_TITLE}",
                  "isPartOf": {"@id": f"{self.base}/#website"}, "inLanguage": "en-US"},
                 self.website_node, self.organization_node]
        head = (f'<link rel="canonical" href="{url}">\n<meta property="og:type" content="website">\n'
                f'<meta property="og:title" content="About our newsroom">\n{json_ld(graph)}\n')
        main = ('<article class="page type-page"><header class="entry-header"><h1 class="entry-title">About our newsroom'
                '</h1></header><div class="entry-content">'
                + "".join(f"<p>{escape(p)}</p>" for p in ABOUT_PARAGRAPHS) + "</div></article>\n")
        html = self.document(f"About our newsroom - {SITE_TITLE}", head, "page-template-default page", main, self.sidebar)
        return Page(html.encode(), "text/html; charset=UTF-8")

    def gallery(self) -> Page:
        """A dated, article-looking page of photos whose JSON-LD says it is a CollectionPage."""
        url = self.base + GALLERY_PATH
        posts = self.visible[:8]
        published = posts[-1].published
        graph = [{"@type": "CollectionPage", "@id": url, "url": url, "name": f"Photo gallery: launch pads up close - {SITE_TITLE}",
                  "datePublished": utc_iso(published), "isPartOf": {"@id": f"{self.base}/#website"}, "inLanguage": "en-US"},
                 self.website_node, self.organization_node]
        head = (f'<link rel="canonical" href="{url}">\n<meta property="og:type" content="website">\n'
                f'<meta property="og:title" content="Photo gallery: launch pads up close">\n{json_ld(graph)}\n')
        figures = "".join(
            f'<figure class="wp-block-image"><img src="{self.base}{image_path(p)}" alt="">'
            f'<figcaption class="wp-element-caption">{escape(p.caption)} Photo for {SITE_TITLE}.</figcaption></figure>\n'
            for p in posts)
        main = ('<article class="page type-page"><header class="entry-header"><h1 class="entry-title">Photo gallery: launch '
                f'pads up close</h1><time class="entry-date published" datetime="{published.isoformat()}">'
                f'{human_date(published)}</time></header><div class="entry-content wp-block-gallery">'
                f"<p>{GALLERY_INTRO}</p>\n{figures}</div></article>\n")
        html = self.document(f"Photo gallery: launch pads up close - {SITE_TITLE}", head, "page gallery", main, self.sidebar)
        return Page(html.encode(), "text/html; charset=UTF-8")

    def not_found(self) -> Page:
        main = ('<section class="error-404 not-found"><header class="page-header"><h1 class="page-title">'
                "Oops! That page can&rsquo;t be found.</h1></header><div class=\"page-content\"><p>It looks like "
                "nothing was found at this location. Maybe try a search?</p></div></section>\n")
        html = self.document(f"Page not found - {SITE_TITLE}", '<meta name="robots" content="noindex, follow">\n',
                             "error404", main, self.sidebar)
        return Page(html.encode(), "text/html; charset=UTF-8", status=404)
