"""The fake site's frame: its fixed paths and texts, the Page it serves, date and markup helpers,
and Layout, the navigation, sidebar and footer every HTML page shares, built once per address."""

from __future__ import annotations

import bisect
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from typing import TYPE_CHECKING

from fakesite import text

if TYPE_CHECKING:
    from fakesite.site import FakeSite, Post

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


def human_date(moment: datetime) -> str:
    return f"{moment:%B} {moment.day}, {moment.year}"


def human_time(moment: datetime) -> str:
    return f"{moment.hour % 12 or 12}:{moment:%M} {'am' if moment.hour < 12 else 'pm'}"


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def json_ld(graph: list[dict[str, object]]) -> str:
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


def etag_of(body: bytes) -> str:
    return '"' + hashlib.md5(body, usedforsecurity=False).hexdigest()[:20] + '"'


class Layout:
    """What every page of one site at one address shares. The fragments (navigation, sidebar,
    footer) are built once, so that rendering thousands of posts stays quick."""

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

    def document(self, title: str, head: str, body_class: str, main: str, sidebar: str, pad: bool = False) -> str:
        """A whole HTML page; ``pad`` fills it to the site's page size with inline CSS."""
        start = f'{self.head_start}<title>{escape(title)}</title>\n{head}<style id="global-styles-inline-css">\n'
        end = (f'</style>\n{self.head_end}</head>\n<body class="{body_class}">\n{self.header}'
               f'<div id="primary" class="content-area"><main id="main" class="site-main">\n{main}</main></div>\n'
               f"{sidebar}</aside>\n{self.footer}")
        room = self.page_size - len(start) - len(end) if pad else 0
        rules = bisect.bisect_right(self.padding_ends, room)  # whole rules that fit
        return start + self.padding[: self.padding_ends[rules - 1] if rules else 0] + end
