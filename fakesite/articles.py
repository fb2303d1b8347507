"""Article pages: a post as a WordPress single post (Yoast meta and JSON-LD, Jetpack share and
related-posts widgets, author boxes, a comment thread and form)."""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING

from fakesite import text
from fakesite.layout import (
    COOKIES_CONSENT, NEWSLETTER_TEXT, NEWSLETTER_TITLE, SITE_TITLE, Layout, Page, etag_of, human_date, human_time,
    image_path, json_ld, utc_iso)

if TYPE_CHECKING:
    from fakesite.site import Comment, Post


class ArticlePages(Layout):
    """A post's page, padded to the site's page size."""

    def article(self, post: Post) -> Page:
        url = self.base + post.path
        html = self.document(f"{post.headline} - {SITE_TITLE}", self.article_head(post, url),
                             f"post-template-default single single-post postid-{post.post_id} single-format-standard",
                             self.article_main(post, url), self.sidebar, pad=True)
        body = html.encode()
        page = Page(body, "text/html; charset=UTF-8", etag=etag_of(body), last_modified=post.modified,
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
             "datePublished": utc_iso(post.published), "dateModified": utc_iso(post.modified),
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
            ("property", "article:published_time", utc_iso(post.published)),
            ("property", "article:modified_time", utc_iso(post.modified)),
            ("property", "article:section", post.category[1]),
            *(("property", "article:tag", tag) for tag in post.tags),
            ("property", "og:image", image), ("property", "og:image:width", "1024"),
            ("property", "og:image:height", "683"), ("name", "author", names),
            ("name", "twitter:card", "summary_large_image"), ("name", "twitter:label1", "Written by"),
            ("name", "twitter:data1", names)]
        return (f'<link rel="canonical" href="{url}">\n'
                + "".join(f'<meta {kind}="{key}" content="{escape(value)}">\n' for kind, key, value in meta)
                + f'{json_ld(graph)}\n<link rel="shortlink" href="{base}/?p={post.post_id}">\n')

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
            f'<time class="entry-date published" datetime="{post.published.isoformat()}">{human_date(post.published)}</time>'
            f'<time class="updated" datetime="{post.modified.isoformat()}">{human_date(post.modified)}</time></a></span>'
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
        shown = [self.site.posts_by_id[post_id] for post_id in post.related if post_id in self.site.posts_by_id]
        for position, other in enumerate(shown):  # one still held back (FakeSite upcoming) is not shown
            items.append(
                f'<div class="jp-relatedposts-post jp-relatedposts-post{position}" data-post-id="{other.post_id}">'
                f'<h4 class="jp-relatedposts-post-title"><a class="jp-relatedposts-post-a" href="{self.base}{other.path}" '
                f'rel="nofollow" data-origin="{post.post_id}" data-position="{position}">{escape(other.headline)}</a></h4>'
                f'<p class="jp-relatedposts-post-date">{human_date(other.published)}</p>'
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
                    f"{human_date(comment.posted)} at {human_time(comment.posted)}</time></a></div></footer>"
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
