"""Rendering: the fake site's posts as WordPress-like HTML (Yoast meta, Jetpack widgets,
comments), RSS, Yoast-style sitemaps and robots.txt, as bytes by path."""

from __future__ import annotations

import bisect
import gzip
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from typing import TYPE_CHECKING

from fakesite import text

if TYPE_CHECKING:
    from fakesite.site import Comment, FakeSite, Post

SITE_TITLE = "Fake Space News"
SITE_TAGLINE = "Launches, satellites and the business of space"
ABOUT_PATH = "/about-our-newsroom/"
GALLERY_PATH = "/gallery/launch-pad-photo-gallery/"
DISALLOWED_PATH = "/drafts/embargoed-lunar-lander-preview/"  # robots.txt: Disallow: /drafts/
MISSING_PATH = "/2019/04/02/archived-quillon-lander-teardown-report/"  # linked, answers 404
DUPLICATE_QUERY = "?utm_source=newsletter&utm_medium=email&utm_campaign=launch-briefing"
SITEMAP_CHUNK = 1000  # posts per post-sitemapN.xml, as Yoast splits them
ARCHIVE_PAGE_POSTS = 20  # posts on a tag or author page
NOT_FOUND = "404"  # the key of the 404 page among the pages by path

# Text every article page carries outside its body; none of it may end up in an extracted body.
NEWSLETTER_TITLE = "Get the Launch Briefing"
NEWSLETTER_TEXT = ("Our free weekly newsletter rounds up every launch, landing and scrub. "
                   "No spam, unsubscribe at any time.")
FOOTER_TEXT = f"© 2025 {SITE_TITLE}. All rights reserved."
COOKIES_CONSENT = "Save my name, email, and website in this browser for the next time I comment."
PAGE_BOILERPLATE = (
    "Share this:", "Click to share on", "Like this:", NEWSLETTER_TITLE, NEWSLETTER_TEXT,
    "Leave a Reply", "Your email address will not be published.", "Required fields are marked",
    "Post Comment", COOKIES_CONSENT, "Recent Posts", FOOTER_TEXT,
    "_wpemojiSettings", "sharing_js_options",
)
ABOUT_PARAGRAPHS = (
    f"{SITE_TITLE} is an independent newsroom covering rockets, satellites and the companies and "
    "agencies that build and fly them. Our reporters follow every launch campaign from the first "
    "static fire to the last deorbit burn.",
    "We are funded by readers and a small number of clearly marked sponsors, and no advertiser has "
    "any say over what we publish. Corrections are noted at the foot of the article they concern.",
    "Tips, press releases and launch schedules are welcome at our newsroom address; we read "
    "everything, although we cannot reply to every message.",
)
GALLERY_INTRO = ("A look at the launch pads, integration halls and recovery ships behind this "
                 "season's missions, from our photographers on the ground at every range we cover.")


@dataclass
class Page:
    body: bytes
    content_type: str
    status: int = 200
    gzip_body: bytes | None = None  # sent instead of body to clients that accept gzip
    etag: str | None = None  # article pages only: they answer conditional requests
    last_modified: datetime | None = None
    fail_first: bool = False  # the first request answers 503 (FakeSite fail_every)


def image_path(post: Post) -> str:
    return f"/wp-content/uploads/{post.published:%Y/%m}/{post.path.rstrip('/').rsplit('/', 1)[1]}.jpg"


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def _human_date(moment: datetime) -> str:
    return f"{moment:%B} {moment.day}, {moment.year}"


def _human_time(moment: datetime) -> str:
    return f"{moment.hour % 12 or 12}:{moment:%M} {'am' if moment.hour < 12 else 'pm'}"


def _utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _json_ld(graph: list[dict[str, object]]) -> str:
    data = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json" class="yoast-schema-graph">{data}</script>'


def _css_padding(size: int) -> tuple[str, list[int]]:
    """Inline CSS like WordPress's global styles, at least ``size`` characters, and where each
    rule ends (pages are padded by cutting it there)."""
    rules, ends, total, k = [], [], 0, 0
    kinds = (("color", "color"), ("background-color", "background-color"), ("border-color", "border-color"))
    while total < size:
        for suffix, prop in kinds:
            rule = f".has-tone-{k:04d}-{suffix}{{{prop}:var(--wp--preset--color--tone-{k:04d}) !important;}}\n"
            rules.append(rule)
            total += len(rule)
            ends.append(total)
        k += 1
    return "".join(rules), ends


class Renderer:
    """Pages of one site at one address. Shared fragments (navigation, sidebar, footer) are built
    once, so that rendering thousands of posts stays quick."""

    def __init__(self, site: FakeSite) -> None:
        assert site.base_url is not None
        self.site = site
        self.base = base = site.base_url
        self.page_size = site.page_kb * 1024
        self.padding, self.padding_ends = _css_padding(self.page_size)
        self.visible = site.visible_posts
        menu = [("/", "Home"), *((f"/category/{slug}/", name) for slug, name in text.CATEGORIES),
                (GALLERY_PATH, "Gallery"), (ABOUT_PATH, "About")]
        self.header = (
            '<div id="page" class="site">\n<a class="skip-link screen-reader-text" href="#content">Skip to content</a>\n'
            '<header id="masthead" class="site-header">\n<div class="site-branding">'
            f'<p class="site-title"><a href="{base}/" rel="home">{SITE_TITLE}</a></p>'
            f'<p class="site-description">{SITE_TAGLINE}</p></div>\n'
            '<nav id="site-navigation" class="main-navigation" aria-label="Primary menu">'
            '<button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">Menu</button>'
            '<ul id="primary-menu" class="menu">'
            + "".join(f'<li class="menu-item"><a href="{base}{path}">{label}</a></li>' for path, label in menu)
            + '</ul></nav>\n</header>\n<div id="content" class="site-content">\n')
        counts = {slug: 0 for slug, _ in text.CATEGORIES}
        for post in site.posts:
            counts[post.category[0]] += 1
        self.sidebar = (
            '<aside id="secondary" class="widget-area">\n'
            '<section id="search-2" class="widget widget_search">'
            f'<form role="search" method="get" class="search-form" action="{base}/"><label>'
            '<span class="screen-reader-text">Search for:</span><input type="search" class="search-field" '
            'placeholder="Search &hellip;" value="" name="s"></label>'
            '<input type="submit" class="search-submit" value="Search"></form></section>\n'
            '<section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul>'
            + "".join(f'<li><a href="{base}{p.path}">{escape(p.headline)}</a></li>' for p in self.visible[:5])
            + '</ul></section>\n<section id="categories-2" class="widget widget_categories">'
            '<h2 class="widget-title">Categories</h2><ul>'
            + "".join(f'<li class="cat-item"><a href="{base}/category/{slug}/">{name}</a> ({counts[slug]})</li>'
                      for slug, name in text.CATEGORIES)
            + '</ul></section>\n<section id="tag_cloud-2" class="widget widget_tag_cloud">'
            '<h2 class="widget-title">Topics</h2><div class="tagcloud">'
            + " ".join(f'<a href="{base}/tag/{text.slugify(t)}/" class="tag-cloud-link">{t}</a>' for t in text.TAGS)
            + "</div></section>\n")
        redirected, duplicate = site.redirected_post, site.duplicate_post
        archive_links = [
            (site.redirect_url, redirected.headline), (site.duplicate_url, duplicate.headline),
            (site.missing_url, "Teardown: what the Quillon lander recovery revealed"),
            (site.disallowed_url, "Preview: the embargoed lunar lander story"),
            (base + GALLERY_PATH, "Photo gallery: launch pads up close"), (base + ABOUT_PATH, "About our newsroom")]
        self.archive_widget = (
            '<section id="text-3" class="widget widget_text"><h2 class="widget-title">From the archive</h2><ul>'
            + "".join(f'<li><a href="{escape(url)}">{escape(label)}</a></li>' for url, label in archive_links)
            + "</ul></section>\n")
        self.footer = (
            '</div>\n<footer id="colophon" class="site-footer"><nav class="footer-navigation"><ul>'
            f'<li><a href="{base}{ABOUT_PATH}">About</a></li><li><a href="{base}/feed/">RSS</a></li></ul></nav>'
            f'<div class="site-info">{FOOTER_TEXT} Proudly powered by WordPress.</div></footer>\n</div>\n'
            '<script id="sharing-js-js-extra">var sharing_js_options = {"sharing_delete_service_nonce":"4f2a9c",'
            '"is_stats_active":"1","show_follow_buttons":""};</script>\n'
            f'<script src="{base}/wp-content/plugins/jetpack/_inc/build/sharedaddy/sharing.min.js?ver=13.4" '
            'id="sharing-js-js"></script>\n</body>\n</html>\n')
        charset = '<meta charset="UTF-8">\n' if site.meta_charset else ""
        self.head_start = ('<!DOCTYPE html>\n<html lang="en-US">\n<head>\n' + charset
                           + '<meta name="viewport" content="width=device-width, initial-scale=1">\n')
        self.head_end = (
            '<link rel="profile" href="https://gmpg.org/xfn/11">\n'
            f'<link rel="alternate" type="application/rss+xml" title="{SITE_TITLE} &raquo; Feed" href="{base}/feed/">\n'
            '<script>window._wpemojiSettings = {"baseUrl":"https:\\/\\/s.w.org\\/images\\/core\\/emoji\\/15.0.3\\/72x72\\/",'
            f'"ext":".png","source":{{"concatemoji":"{base}\\/wp-includes\\/js\\/wp-emoji-release.min.js?ver=6.5.3"}}}};</script>\n'
            f'<link rel="stylesheet" id="orbit-style-css" href="{base}/wp-content/themes/orbit/style.css?ver=2.4.1" media="all">\n')
        self.website_node = {"@type": "WebSite", "@id": f"{base}/#website", "url": f"{base}/", "name": SITE_TITLE,
                             "description": SITE_TAGLINE, "publisher": {"@id": f"{base}/#organization"},
                             "inLanguage": "en-US"}
        self.organization_node = {"@type": "Organization", "@id": f"{base}/#organization", "name": SITE_TITLE,
                                  "url": f"{base}/", "logo": {"@type": "ImageObject", "url": f"{base}/logo.png"}}

    # --- whole site ---------------------------------------------------------------------------

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
        oldest_first = self.visible[::-1]
        chunks = [oldest_first[i: i + SITEMAP_CHUNK] for i in range(0, len(oldest_first), SITEMAP_CHUNK)]
        names = [f"/post-sitemap{n if n > 1 else ''}.xml" for n in range(1, len(chunks) + 1)]
        for name, chunk in zip(names, chunks, strict=True):
            yield name, Page(self.post_sitemap(chunk).encode(), xml)
        yield "/page-sitemap.xml", Page(self.page_sitemap().encode(), xml)
        yield "/sitemap_index.xml", Page(self.sitemap_index(names, chunks).encode(), xml)
        yield "/news-sitemap.xml", Page(self.news_sitemap().encode(), xml)

    # --- HTML pages ---------------------------------------------------------------------------

    def document(self, title: str, head: str, body_class: str, main: str, sidebar: str, pad: bool = False) -> str:
        """A whole HTML page; ``pad`` fills it to the site's page size with inline CSS."""
        start = f'{self.head_start}<title>{escape(title)}</title>\n{head}<style id="global-styles-inline-css">\n'
        end = (f'</style>\n{self.head_end}</head>\n<body class="{body_class}">\n{self.header}'
               f'<div id="primary" class="content-area"><main id="main" class="site-main">\n{main}</main></div>\n'
               f"{sidebar}</aside>\n{self.footer}")
        room = self.page_size - len(start) - len(end) if pad else 0
        rules = bisect.bisect_right(self.padding_ends, room)  # whole rules that fit
        return start + self.padding[: self.padding_ends[rules - 1] if rules else 0] + end

    def article(self, post: Post) -> Page:
        url = self.base + post.path
        html = self.document(f"{post.headline} - {SITE_TITLE}", self.article_head(post, url),
                             f"post-template-default single single-post postid-{post.post_id} single-format-standard",
                             self.article_main(post, url), self.sidebar, pad=True)
        body = html.encode()
        page = Page(body, "text/html; charset=UTF-8", etag=_etag(body), last_modified=post.modified,
                    fail_first=self.site.fail_every > 0 and post.index % self.site.fail_every == 0)
        if self.site.gzip:  # a real server pattern: compressed, and no charset in the header
            page.content_type = "text/html"
            page.gzip_body = gzip.compress(body, compresslevel=1, mtime=0)  # level 1: 2000 pages in 0.4 s
        return page

    def article_head(self, post: Post, url: str) -> str:
        base = self.base
        image = base + image_path(post)
        names = ", ".join(a.name for a in post.authors)
        people = [{"@type": "Person", "@id": f"{base}/#/schema/person/{a.slug}", "name": a.name,
                   "url": f"{base}/author/{a.slug}/", "description": a.bio} for a in post.authors]
        authors = [{"name": a.name, "@id": f"{base}/#/schema/person/{a.slug}"} for a in post.authors]
        graph: list[dict[str, object]] = [
            {"@type": "NewsArticle", "@id": f"{url}#article", "isPartOf": {"@id": url},
             "author": authors[0] if len(authors) == 1 else authors, "headline": post.headline,
             "datePublished": post.published.isoformat(), "dateModified": post.modified.isoformat(),
             "mainEntityOfPage": {"@id": url}, "wordCount": sum(len(p.split()) for p in post.paragraphs),
             "commentCount": len(post.comments), "publisher": {"@id": f"{base}/#organization"},
             "image": {"@id": f"{url}#primaryimage"}, "thumbnailUrl": image, "keywords": list(post.tags),
             "articleSection": [post.category[1]], "inLanguage": "en-US"},
            {"@type": "WebPage", "@id": url, "url": url, "name": f"{post.headline} - {SITE_TITLE}",
             "isPartOf": {"@id": f"{base}/#website"}, "primaryImageOfPage": {"@id": f"{url}#primaryimage"},
             "datePublished": _utc_iso(post.published), "dateModified": _utc_iso(post.modified),
             "description": post.summary, "breadcrumb": {"@id": f"{url}#breadcrumb"}, "inLanguage": "en-US"},
            {"@type": "ImageObject", "@id": f"{url}#primaryimage", "url": image, "contentUrl": image,
             "width": 1024, "height": 683, "caption": post.caption},
            {"@type": "BreadcrumbList", "@id": f"{url}#breadcrumb", "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{base}/"},
                {"@type": "ListItem", "position": 2, "name": post.category[1], "item": f"{base}/category/{post.category[0]}/"},
                {"@type": "ListItem", "position": 3, "name": post.headline}]},
            self.website_node, self.organization_node, *people]
        meta = [
            ("name", "description", post.summary), ("name", "robots", "index, follow, max-image-preview:large"),
            ("property", "og:locale", "en_US"), ("property", "og:type", "article"),
            ("property", "og:title", post.headline), ("property", "og:description", post.summary),
            ("property", "og:url", url), ("property", "og:site_name", SITE_TITLE),
            ("property", "article:published_time", _utc_iso(post.published)),
            ("property", "article:modified_time", _utc_iso(post.modified)),
            ("property", "article:section", post.category[1]),
            *(("property", "article:tag", tag) for tag in post.tags),
            ("property", "og:image", image), ("property", "og:image:width", "1024"),
            ("property", "og:image:height", "683"), ("name", "author", names),
            ("name", "twitter:card", "summary_large_image"), ("name", "twitter:label1", "Written by"),
            ("name", "twitter:data1", names)]
        return (f'<link rel="canonical" href="{url}">\n'
                + "".join(f'<meta {kind}="{key}" content="{escape(value)}">\n' for kind, key, value in meta)
                + f'{_json_ld(graph)}\n<link rel="shortlink" href="{base}/?p={post.post_id}">\n')

    def article_main(self, post: Post, url: str) -> str:
        base = self.base
        bylines = " and ".join(f'<span class="author vcard"><a class="url fn n" href="{base}/author/{a.slug}/">{a.name}</a></span>'
                               for a in post.authors)
        cat_slug, cat_name = post.category
        parts = [
            f'<article id="post-{post.post_id}" class="post-{post.post_id} post type-post status-publish format-standard '
            f'has-post-thumbnail hentry category-{cat_slug}">\n<header class="entry-header">\n'
            f'<h1 class="entry-title">{escape(post.headline)}</h1>\n<div class="entry-meta">'
            f'<span class="posted-on">Posted on <a href="{url}" rel="bookmark">'
            f'<time class="entry-date published" datetime="{post.published.isoformat()}">{_human_date(post.published)}</time>'
            f'<time class="updated" datetime="{post.modified.isoformat()}">{_human_date(post.modified)}</time></a></span>'
            f'<span class="byline"> by {bylines}</span>'
            f'<span class="cat-links"> in <a href="{base}/category/{cat_slug}/" rel="category tag">{cat_name}</a></span>'
            '</div>\n</header>\n<div class="entry-content">\n'
            f'<figure class="wp-block-image size-large"><img decoding="async" width="1024" height="683" '
            f'src="{base}{image_path(post)}" alt="" class="wp-image-{post.post_id + 1}">'
            f'<figcaption class="wp-element-caption">{escape(post.caption)}</figcaption></figure>\n']
        paragraphs = [f"<p>{escape(p)}</p>\n" for p in post.body_paragraphs]
        company = next((c for c in text.COMPANIES if c in post.paragraphs[0]), None)
        if company:  # an inline link, as articles link their subjects
            paragraphs[0] = paragraphs[0].replace(company, f'<a href="{base}/category/industry/">{company}</a>', 1)
        extras = len(post.paragraphs) - 7  # paragraphs between the quote and the second sub-heading
        newsletter = (
            f'<div class="wp-block-group newsletter-signup"><h3 class="newsletter-title">{NEWSLETTER_TITLE}</h3>'
            f'<p class="newsletter-text">{NEWSLETTER_TEXT}</p><form class="newsletter-form" '
            f'action="{base}/newsletter/subscribe/" method="post"><input type="email" name="email" '
            'placeholder="Your email address" required> <button type="submit">Subscribe</button></form></div>\n')
        items = "".join(f"<li>{escape(item)}</li>" for item in post.list_items)
        parts += [
            *paragraphs[:2], newsletter, paragraphs[2],
            f'<h2 class="wp-block-heading">{escape(post.subheadings[0])}</h2>\n', paragraphs[3],
            f'<ul class="wp-block-list">{items}</ul>\n<p>&nbsp;</p>\n', paragraphs[4],
            f'<blockquote class="wp-block-quote"><p>{escape(post.quote)}</p><cite>{escape(post.quote_by)}</cite></blockquote>\n',
            *paragraphs[5: 5 + extras], f'<h2 class="wp-block-heading">{escape(post.subheadings[1])}</h2>\n',
            *paragraphs[5 + extras:]]
        parts.append(self.share_widgets(post, url))
        parts.append(self.related_posts(post))
        tags = ", ".join(f'<a href="{base}/tag/{text.slugify(t)}/" rel="tag">{t}</a>' for t in post.tags)
        parts.append(f'</div>\n<footer class="entry-footer"><span class="tags-links">Tagged {tags}</span></footer>\n')
        for author in post.authors:
            parts.append(
                f'<div class="author-box"><img alt="" src="{base}/wp-content/avatars/{author.slug}.jpg" class="avatar" '
                f'height="96" width="96"><div class="author-info"><h4 class="author-title">About {author.name}</h4>'
                f'<p class="author-bio">{escape(author.bio)}</p><a class="author-link" href="{base}/author/{author.slug}/">'
                f"View all posts by {author.name}</a></div></div>\n")
        parts.append("</article>\n")
        parts.append(self.comments(post, url))
        return "".join(parts)

    def share_widgets(self, post: Post, url: str) -> str:
        services = (("x", "X"), ("facebook", "Facebook"), ("linkedin", "LinkedIn"), ("email", "Email"))
        buttons = "".join(
            f'<li class="share-{key}"><a rel="nofollow noopener noreferrer" class="share-{key} sd-button share-icon" '
            f'href="{url}?share={key}&amp;nb=1" target="_blank" title="Click to share on {label}"><span>{label}</span>'
            f'<span class="sharing-screen-reader-text">Click to share on {label} (Opens in new window)</span></a></li>'
            for key, label in services)
        return (
            '<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social '
            'sd-social-icon-text sd-sharing"><h3 class="sd-title">Share this:</h3><div class="sd-content"><ul>'
            f'{buttons}<li class="share-end"></li></ul></div></div></div>\n'
            '<div class="sharedaddy sd-block sd-like jetpack-likes-widget-wrapper jetpack-likes-widget-unloaded" '
            f'id="like-post-wrapper-{post.post_id}"><h3 class="sd-title">Like this:</h3>'
            '<div class="likes-widget-placeholder post-likes-widget-placeholder" style="height: 55px;">'
            '<span class="button"><span>Like</span></span> <span class="loading">Loading...</span></div></div>\n')

    def related_posts(self, post: Post) -> str:
        items = []
        for position, index in enumerate(post.related):
            other = self.site.posts[index]
            items.append(
                f'<div class="jp-relatedposts-post jp-relatedposts-post{position}" data-post-id="{other.post_id}">'
                f'<h4 class="jp-relatedposts-post-title"><a class="jp-relatedposts-post-a" href="{self.base}{other.path}" '
                f'rel="nofollow" data-origin="{post.post_id}" data-position="{position}">{escape(other.headline)}</a></h4>'
                f'<p class="jp-relatedposts-post-date">{_human_date(other.published)}</p>'
                f'<p class="jp-relatedposts-post-context">In &quot;{other.category[1]}&quot;</p></div>')
        return ('<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline"><em>Related</em></h3>'
                f'<div class="jp-relatedposts-items jp-relatedposts-items-visual">{"".join(items)}</div></div>\n')

    def comments(self, post: Post, url: str) -> str:
        count = len(post.comments) + sum(len(c.replies) for c in post.comments)
        numbered = iter(range(post.post_id * 100, post.post_id * 100 + 100))

        def thread(comments: Iterable[Comment], depth: int) -> str:
            out = []
            for comment in comments:
                cid = next(numbered)
                replies = f'<ol class="children">{thread(comment.replies, depth + 1)}</ol>' if comment.replies else ""
                out.append(
                    f'<li id="comment-{cid}" class="comment depth-{depth}"><article id="div-comment-{cid}" class="comment-body">'
                    '<footer class="comment-meta"><div class="comment-author vcard">'
                    f'<img alt="" src="{self.base}/wp-content/avatars/c{cid % 17}.png" class="avatar" height="60" width="60">'
                    f'<b class="fn">{escape(comment.author)}</b> <span class="says">says:</span></div>'
                    f'<div class="comment-metadata"><a href="{url}#comment-{cid}"><time datetime="{comment.posted.isoformat()}">'
                    f"{_human_date(comment.posted)} at {_human_time(comment.posted)}</time></a></div></footer>"
                    f'<div class="comment-content"><p>{escape(comment.text)}</p></div>'
                    f'<div class="reply"><a rel="nofollow" class="comment-reply-link" href="{url}?replytocom={cid}#respond" '
                    f'data-commentid="{cid}" data-postid="{post.post_id}">Reply</a></div></article>{replies}</li>\n')
            return "".join(out)

        return (
            f'<div id="comments" class="comments-area">\n<h2 class="comments-title">{count} thoughts on '
            f'&ldquo;{escape(post.headline)}&rdquo;</h2>\n<ol class="comment-list">\n{thread(post.comments, 1)}</ol>\n'
            '<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply '
            '<small><a rel="nofollow" id="cancel-comment-reply-link" href="#respond" style="display:none;">Cancel reply</a>'
            f'</small></h3><form action="{self.base}/wp-comments-post.php" method="post" id="commentform" class="comment-form">'
            '<p class="comment-notes"><span id="email-notes">Your email address will not be published.</span> '
            '<span class="required-field-message">Required fields are marked <span class="required">*</span></span></p>'
            '<p class="comment-form-comment"><label for="comment">Comment <span class="required">*</span></label> '
            '<textarea id="comment" name="comment" cols="45" rows="8" maxlength="65525" required></textarea></p>'
            '<p class="comment-form-author"><label for="author">Name <span class="required">*</span></label> '
            '<input id="author" name="author" type="text" value="" size="30" maxlength="245" autocomplete="name" required></p>'
            '<p class="comment-form-email"><label for="email">Email <span class="required">*</span></label> '
            '<input id="email" name="email" type="email" value="" size="30" maxlength="100" autocomplete="email" required></p>'
            '<p class="comment-form-url"><label for="url">Website</label> '
            '<input id="url" name="url" type="url" value="" size="30" maxlength="200" autocomplete="url"></p>'
            '<p class="comment-form-cookies-consent"><input id="wp-comment-cookies-consent" name="wp-comment-cookies-consent" '
            f'type="checkbox" value="yes"> <label for="wp-comment-cookies-consent">{COOKIES_CONSENT}</label></p>'
            '<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment"> '
            f'<input type="hidden" name="comment_post_ID" value="{post.post_id}" id="comment_post_ID"></p></form></div>\n</div>\n')

    def card(self, post: Post) -> str:
        url = self.base + post.path
        authors = " and ".join(f'<a href="{self.base}/author/{a.slug}/">{a.name}</a>' for a in post.authors)
        return (f'<article id="post-{post.post_id}" class="post-{post.post_id} post type-post hentry category-{post.category[0]}">'
                f'<header class="entry-header"><h2 class="entry-title"><a href="{url}" rel="bookmark">{escape(post.headline)}</a></h2>'
                f'<div class="entry-meta"><time class="entry-date published" datetime="{post.published.isoformat()}">'
                f'{_human_date(post.published)}</time> by {authors}</div></header>'
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
                f"{_json_ld(graph)}\n")
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
                f'<meta property="og:title" content="About our newsroom">\n{_json_ld(graph)}\n')
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
                  "datePublished": _utc_iso(published), "isPartOf": {"@id": f"{self.base}/#website"}, "inLanguage": "en-US"},
                 self.website_node, self.organization_node]
        head = (f'<link rel="canonical" href="{url}">\n<meta property="og:type" content="website">\n'
                f'<meta property="og:title" content="Photo gallery: launch pads up close">\n{_json_ld(graph)}\n')
        figures = "".join(
            f'<figure class="wp-block-image"><img src="{self.base}{image_path(p)}" alt="">'
            f'<figcaption class="wp-element-caption">{escape(p.caption)} Photo for {SITE_TITLE}.</figcaption></figure>\n'
            for p in posts)
        main = ('<article class="page type-page"><header class="entry-header"><h1 class="entry-title">Photo gallery: launch '
                f'pads up close</h1><time class="entry-date published" datetime="{published.isoformat()}">'
                f'{_human_date(published)}</time></header><div class="entry-content wp-block-gallery">'
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

    # --- feeds and sitemaps -------------------------------------------------------------------

    def robots(self) -> str:
        return ("User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\nDisallow: /drafts/\n\n"
                f"Sitemap: {self.base}/sitemap_index.xml\nSitemap: {self.base}/news-sitemap.xml\n")

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
            f"<url>\n<loc>{self.base}{p.path}</loc>\n<lastmod>{_utc_iso(p.modified)}</lastmod>\n"
            f"<image:image>\n<image:loc>{self.base}{image_path(p)}</image:loc>\n</image:image>\n</url>\n" for p in posts)
        return ('<?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet type="text/xsl" href="/main-sitemap.xsl"?>\n'
                '<urlset xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1" '
                'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n")

    def page_sitemap(self) -> str:
        lastmod = _utc_iso(self.visible[0].modified)
        urls = "".join(f"<url>\n<loc>{self.base}{path}</loc>\n<lastmod>{lastmod}</lastmod>\n</url>\n"
                       for path in ("/", ABOUT_PATH, GALLERY_PATH))
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                + urls + "</urlset>\n")

    def sitemap_index(self, names: list[str], chunks: list[list[Post]]) -> str:
        entries = [(name, max(p.modified for p in chunk)) for name, chunk in zip(names, chunks, strict=True)]
        entries.append(("/page-sitemap.xml", self.visible[0].modified))
        sitemaps = "".join(f"<sitemap>\n<loc>{self.base}{name}</loc>\n<lastmod>{_utc_iso(modified)}</lastmod>\n</sitemap>\n"
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


def _etag(body: bytes) -> str:
    return '"' + hashlib.md5(body, usedforsecurity=False).hexdigest()[:20] + '"'

