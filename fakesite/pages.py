"""Rendering: the fake site's posts as WordPress-like HTML (Yoast meta, Jetpack widgets,
comments), RSS, Yoast-style sitemaps and robots.txt, as bytes by path. Each kind of page has its
module (articles, listings, feeds); Renderer puts them together and knows which pages a site has."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from fakesite import text
from fakesite.articles import ArticlePages
from fakesite.feeds import FeedDocuments
from fakesite.layout import (
    ABOUT_PATH, ARCHIVE_PAGE_POSTS, DISALLOWED_PATH, GALLERY_PATH, NOT_FOUND, SITE_TAGLINE, SITEMAP_CHUNK, Page)
from fakesite.listings import ListingPages

if TYPE_CHECKING:
    from fakesite.site import Post


class Renderer(ArticlePages, ListingPages, FeedDocuments):
    """Every page of one site at one address, by path."""

    def pages(self, changed: Post | None = None) -> Iterator[tuple[str, Page]]:
        """Every page, or those showing ``changed``'s body or modification date."""
        if changed is not None:
            if not self.site.lazy:
                yield changed.path, self.article(changed)
            yield from self.dated_documents()
            return
        for post in [] if self.site.lazy else self.site.posts:
            yield post.path, self.article(post)
        yield DISALLOWED_PATH, self.article(self.site.draft_post)
        yield from self.dated_documents()
        per_page = self.site.per_page
        for slug, name in text.CATEGORIES:
            posts = [p for p in self.site.posts if p.category[0] == slug]
            yield from self.paginated(f"/category/{slug}/", f"Category: <span>{name}</span>", f"{name} Archives", posts, per_page)
        yield from self.paginated("/", None, SITE_TAGLINE, self.visible, per_page)
        months: dict[str, list[Post]] = {}
        for post in self.site.posts:  # WordPress's monthly archives, as the post's own address dates it
            months.setdefault(f"/{post.published:%Y/%m}/", []).append(post)
        for first, posts in months.items():
            yield from self.paginated(first, f"Month: <span>{posts[0].published:%B %Y}</span>",
                                      f"{posts[0].published:%B %Y}", posts, per_page)
        for tag in text.TAGS:
            posts = [p for p in self.visible if tag in p.tags][:ARCHIVE_PAGE_POSTS]
            yield f"/tag/{text.slugify(tag)}/", self.listing(f"/tag/{text.slugify(tag)}/", f"Tag: <span>{tag}</span>", f"{tag} Archives", posts)
        for author in self.site.authors:
            posts = [p for p in self.visible if author in p.authors][:ARCHIVE_PAGE_POSTS]
            yield f"/author/{author.slug}/", self.listing(f"/author/{author.slug}/", f"Author: <span>{author.name}</span>", author.name, posts)
        yield ABOUT_PATH, self.about()
        yield GALLERY_PATH, self.gallery()
        yield "/robots.txt", Page(self.robots().encode(), "text/plain; charset=utf-8")
        yield NOT_FOUND, self.not_found()

    def dated_documents(self) -> Iterator[tuple[str, Page]]:
        """The feed and sitemaps: they carry modification dates."""
        xml = "application/xml; charset=UTF-8"
        yield "/feed/", Page(self.feed().encode(), "application/rss+xml; charset=UTF-8")
        if not self.site.sitemaps:
            return
        oldest_first = self.visible[::-1]
        chunks = [oldest_first[i: i + SITEMAP_CHUNK] for i in range(0, len(oldest_first), SITEMAP_CHUNK)]
        names = [f"/post-sitemap{n if n > 1 else ''}.xml" for n in range(1, len(chunks) + 1)]
        for name, chunk in zip(names, chunks, strict=True):
            yield name, Page(self.post_sitemap(chunk).encode(), xml)
        yield "/page-sitemap.xml", Page(self.page_sitemap().encode(), xml)
        yield "/sitemap_index.xml", Page(self.sitemap_index(names, chunks).encode(), xml)
        yield "/news-sitemap.xml", Page(self.news_sitemap().encode(), xml)
