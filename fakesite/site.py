"""The fake site's content: posts generated from a seed, what a correct extraction must find in
them, and the rendered pages (bytes by path) once the site knows its own address."""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from random import Random
from urllib.parse import urlsplit

from fakesite import text
from fakesite.layout import (
    ABOUT_PATH, DISALLOWED_PATH, DUPLICATE_QUERY, GALLERY_PATH, MISSING_PATH, PAGE_BOILERPLATE, Page, image_path)
from fakesite.pages import Renderer

SITE_TIMEZONE = "America/New_York"  # what sites.toml declares; every page date carries an offset
# The newest post's instant is fixed so that a seed gives the same site on any day.
NEWEST_POST = datetime(2025, 6, 2, 13, 45, 10, tzinfo=UTC)
# Offsets the posts are printed in: authors file from several time zones.
PRINT_OFFSETS = tuple(timezone(timedelta(minutes=m)) for m in (-420, -300, -240, 0, 60, 120, 330, 540))
CATEGORY_WEIGHTS = (40, 25, 20, 15)  # for text.CATEGORIES, in order
HEADLINE_REDRAWS = 20  # random headlines drawn for a post before a taken one gets a part number

@dataclass(frozen=True)
class Author:
    name: str
    slug: str
    bio: str


@dataclass(frozen=True)
class Comment:
    author: str
    text: str
    posted: datetime
    replies: tuple[Comment, ...] = ()


@dataclass
class Post:
    """One article as generated. The body is laid out by pages.Renderer.article_main: paragraphs
    with the newsletter box, two sub-headings, the list and the quote among them, then updates."""

    index: int
    post_id: int
    headline: str
    path: str
    authors: tuple[Author, ...]
    published: datetime  # aware, in the offset the page prints
    modified: datetime
    category: tuple[str, str]  # (slug, name)
    tags: tuple[str, ...]
    paragraphs: tuple[str, ...]  # at least seven
    subheadings: tuple[str, str]
    list_items: tuple[str, ...]
    quote: str
    quote_by: str
    caption: str
    comments: tuple[Comment, ...]
    updates: list[str] = field(default_factory=list)  # paragraphs added by FakeSite.update_article
    related: tuple[int, ...] = ()  # post_ids: indices shift as a site publishes
    listing_only: bool = False

    @property
    def body_paragraphs(self) -> list[str]:
        return [*self.paragraphs, *self.updates]

    @property
    def summary(self) -> str:
        first = self.paragraphs[0]
        return first[: first.index(". ") + 1] if ". " in first else first


@dataclass(frozen=True)
class ExpectedArticle:
    """What a correct crawl stores for one article, from the generator's own inputs."""

    index: int  # position in the site, 0 = newest; the argument of FakeSite.update_article
    url: str  # canonical URL
    post_id: int
    title: str
    authors: tuple[str, ...]
    published: datetime  # aware, UTC
    modified: datetime  # aware, UTC
    section: str
    tags: tuple[str, ...]
    summary: str  # meta description / og:description
    image: str  # og:image
    paragraphs: tuple[str, ...]  # the body's <p> texts in order (a correct body has all of them)
    subheadings: tuple[str, ...]  # <h2> texts inside the body
    list_items: tuple[str, ...]  # <li> texts of the body's list
    quote: str  # the blockquote's text (its attribution is in <cite>)
    boilerplate: tuple[str, ...]  # snippets on the page that must NOT be in a correct body
    listing_only: bool  # linked only from /category/<section>/ pages, not feed, sitemaps or other pages
    in_feed: bool  # an item of /feed/ (and of /news-sitemap.xml)


class FakeSite:
    """A deterministic WordPress-like space-news site; serve it with ``fakesite.serve``."""

    def __init__(self, articles: int = 12, *, seed: int = 0, page_kb: int = 30, gzip: bool = False,
                 fail_every: int = 0, feed_items: int = 10, per_page: int = 10, meta_charset: bool = True,
                 lazy: bool = False, sitemaps: bool = True, upcoming: int = 0) -> None:
        """``page_kb``: article pages are padded (inline CSS) to about this size. ``gzip``: article
        pages gzip-encoded, Content-Type text/html without charset. ``fail_every`` > 0: the first
        request to every n-th article answers 503 with Retry-After. ``feed_items``: items in /feed/
        and /news-sitemap.xml. ``per_page``: posts per listing page. ``meta_charset``: HTML pages
        declare <meta charset>; off, a gzip page declares its encoding nowhere. ``lazy``: article
        pages are rendered per request instead of held (a 100k-article site in little memory).
        ``sitemaps``: off, the site has no sitemap (robots.txt names none), as many small sites.
        ``upcoming``: posts generated newer than the site's, held back until ``publish`` releases
        them (a site that publishes while it is crawled)."""
        if articles < 3:
            raise ValueError(f"FakeSite needs at least 3 articles for its special cases, got {articles}")
        if page_kb < 0 or fail_every < 0 or feed_items < 1 or per_page < 1 or upcoming < 0:
            raise ValueError("page_kb, fail_every and upcoming must be >= 0, feed_items and per_page >= 1")
        self.seed, self.page_kb, self.gzip = seed, page_kb, gzip
        self.meta_charset, self.lazy, self.sitemaps = meta_charset, lazy, sitemaps
        self.fail_every, self.feed_items, self.per_page = fail_every, feed_items, per_page
        self.base_url: str | None = None
        self.hits: Counter[str] = Counter()  # request target (path and query) -> requests
        self.full_bodies: Counter[str] = Counter()  # path (query left out) -> 200 answers with the page's body
        self.pages: dict[str, Page] = {}  # path -> rendered page, once bound
        self.authors = _authors()
        # the special cases (listing_only_post…) are among the posts published from the start
        posts, self.draft_post = _generate_posts(articles + upcoming, seed, self.authors, listing_only=upcoming + 1)
        self.unpublished, self.posts = posts[:upcoming], posts[upcoming:]  # both newest first
        self._index_posts()
        self._renderer: Renderer | None = None
        self._hits_lock = threading.Lock()

    def _index_posts(self) -> None:
        for index, post in enumerate(self.posts):
            post.index = index
        self.posts_by_id = {post.post_id: post for post in self.posts}
        self.posts_by_path = {post.path: post for post in self.posts}

    def publish(self, count: int) -> list[Post]:
        """Release the ``count`` oldest held-back posts (``upcoming``), as newest: every page that
        lists posts shows them (indices shift by as many). Returns them."""
        released = self.unpublished[len(self.unpublished) - count:] if count > 0 else []
        self.unpublished = self.unpublished[: len(self.unpublished) - len(released)]
        self.posts = released + self.posts
        self._index_posts()
        if self.base_url is not None:
            self.bind(self.base_url)
        return released

    # --- which posts appear where -----------------------------------------------------------

    @property
    def visible_posts(self) -> list[Post]:
        """Posts in feeds, sitemaps, the home page, tag and author pages and sidebars: all but one."""
        return [p for p in self.posts if not p.listing_only]

    @property
    def feed_posts(self) -> list[Post]:
        return self.visible_posts[: self.feed_items]

    @property
    def listing_only_post(self) -> Post:
        return next(post for post in self.posts if post.listing_only)

    @property
    def duplicate_post(self) -> Post:
        """Linked from listings with tracking parameters; its canonical is the clean URL."""
        return self.posts[2]

    @property
    def redirected_post(self) -> Post:
        """Linked from listings by its old address /?p=ID, which answers 301."""
        return self.posts[-1]

    # --- addresses (known once served) ------------------------------------------------------

    def url(self, path: str) -> str:
        if self.base_url is None:
            raise RuntimeError("the site has no address yet: use it inside `with serve(site):`")
        return self.base_url + path

    @property
    def redirect_url(self) -> str:
        return self.url(f"/?p={self.redirected_post.post_id}")

    @property
    def duplicate_url(self) -> str:
        return self.url(self.duplicate_post.path + DUPLICATE_QUERY)

    @property
    def missing_url(self) -> str:
        return self.url(MISSING_PATH)

    @property
    def disallowed_url(self) -> str:
        return self.url(DISALLOWED_PATH)

    @property
    def non_article_urls(self) -> list[str]:
        """Pages linked from listings that are not articles: the about page (WebPage) and the
        gallery (CollectionPage); both have URLs that pass the generic article-URL rule."""
        return [self.url(ABOUT_PATH), self.url(GALLERY_PATH)]

    @property
    def listing_urls(self) -> list[str]:
        return [self.url(f"/category/{slug}/") for slug, _ in text.CATEGORIES]

    @property
    def feed_url(self) -> str:
        return self.url("/feed/")

    @property
    def sitemap_urls(self) -> list[str]:
        return [self.url("/sitemap_index.xml"), self.url("/news-sitemap.xml")] if self.sitemaps else []

    @property
    def date_archive_pattern(self) -> str:
        """The monthly archives' addresses (/2025/06/, paginated), as a site's ``date_archives`` names them."""
        return self.url("/%Y/%m/")

    # --- what a correct crawl finds ---------------------------------------------------------

    def expected_articles(self) -> list[ExpectedArticle]:
        """Every article, newest first (the listing-only one included; no non-article pages)."""
        in_feed = {p.index for p in self.feed_posts}
        return [self._expected(post, post.index in in_feed) for post in self.posts]

    def _expected(self, post: Post, in_feed: bool) -> ExpectedArticle:
        boilerplate = [*PAGE_BOILERPLATE, *(a.bio for a in post.authors), *comment_texts(post.comments),
                       *(self.posts_by_id[i].headline for i in post.related if i in self.posts_by_id)]
        return ExpectedArticle(
            index=post.index, url=self.url(post.path), post_id=post.post_id, title=post.headline,
            authors=tuple(a.name for a in post.authors), published=post.published.astimezone(UTC),
            modified=post.modified.astimezone(UTC), section=post.category[1], tags=post.tags,
            summary=post.summary, image=self.url(image_path(post)), paragraphs=tuple(post.body_paragraphs),
            subheadings=post.subheadings, list_items=post.list_items, quote=post.quote,
            boilerplate=tuple(boilerplate), listing_only=post.listing_only, in_feed=in_feed)

    # --- changes between crawls ---------------------------------------------------------------

    def update_article(self, index: int, new_body_paragraph: str, *, modified: datetime | None = None) -> None:
        """Append a paragraph to article ``index`` and bump its dateModified (by an hour, or to
        ``modified``); its page, ETag, Last-Modified, the feed and sitemaps change with it."""
        if not 0 <= index < len(self.posts):
            raise IndexError(f"article index {index} out of range 0..{len(self.posts) - 1}")
        post = self.posts[index]
        if modified is not None and modified.tzinfo is None:
            raise ValueError("modified must be an aware datetime")
        new_modified = (modified or post.modified + timedelta(hours=1)).astimezone(post.published.tzinfo)
        if new_modified <= post.modified:
            raise ValueError(f"modified {new_modified} is not after the article's {post.modified}")
        post.updates.append(new_body_paragraph)
        post.modified = new_modified
        if self.base_url is not None:
            self._render(post)

    # --- pages ----------------------------------------------------------------------------------

    def bind(self, base_url: str) -> None:
        """Give the site its address and render every page (serve() calls this)."""
        self.base_url = base_url.rstrip("/")
        self._renderer = Renderer(self)
        self.pages = dict(self._renderer.pages())  # swapped whole: a site served while it publishes never lacks a page

    def _render(self, changed: Post | None = None) -> None:
        """Render every page, or only those that show ``changed``'s body or modification date."""
        assert self._renderer is not None
        self.pages.update(self._renderer.pages(changed))

    def page(self, path: str) -> Page | None:
        """The page at ``path`` (rendered now if the site is lazy and it is an article), or None."""
        page = self.pages.get(path)
        if page is None and self.lazy and path in self.posts_by_path and self._renderer is not None:
            page = self._renderer.article(self.posts_by_path[path])
        return page

    def sites_toml(self, name: str = "fakespace", **extra: str | int | bool | list[str]) -> str:
        """A [[site]] entry for SPACECRAWL_SITES_FILE pointing at the running site; ``extra``
        adds keys (e.g. article_url=...)."""
        values: dict[str, str | int | bool | list[str]] = {
            "name": name, "domains": ["127.0.0.1"], "feeds": [self.feed_url],
            "sitemaps": self.sitemap_urls, "listing_pages": self.listing_urls,
            "timezone": SITE_TIMEZONE, **extra}
        return "[[site]]\n" + "".join(f"{key} = {_toml_value(value)}\n" for key, value in values.items())

    def count_full_body(self, target: str) -> None:
        """Record that a page's whole body went out for ``target`` (not a 304, redirect or error)."""
        with self._hits_lock:
            self.full_bodies[urlsplit(target).path] += 1

    def count_hit(self, target: str) -> int:
        """Record a request for ``target``; returns how many there have been, this one included."""
        with self._hits_lock:
            self.hits[target] += 1
            return self.hits[target]


def _toml_value(value: str | int | bool | list[str]) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    # TOML basic strings share JSON's escapes for what we write (quotes, backslashes)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def comment_texts(comments: tuple[Comment, ...]) -> list[str]:
    return [t for c in comments for t in (c.text, *comment_texts(c.replies))]


def _authors() -> list[Author]:
    return [Author(name, text.slugify(name), text.bio(name, beat, 4 + i % 9))
            for i, (name, beat) in enumerate(text.AUTHORS)]


def _generate_posts(count: int, seed: int, authors: list[Author], listing_only: int = 1) -> tuple[list[Post], Post]:
    """Posts newest first, and the robots-disallowed draft. Post ``i`` draws from its own RNG,
    so it depends only on the seed and the posts before it (headlines are kept unique)."""
    posts: list[Post] = []
    headlines: set[str] = set()
    slugs: set[str] = set()
    published = NEWEST_POST
    for index in range(count + 1):
        rng = Random(seed * 1_000_003 + index)
        if index:
            published -= timedelta(seconds=rng.randint(3600, 16 * 3600))
        offset = rng.choice(PRINT_OFFSETS)
        local_published = published.astimezone(offset)
        modified = local_published
        if rng.random() < 0.4:
            modified += timedelta(seconds=rng.randint(20 * 60, 30 * 3600))
        headline = text.headline(rng)
        redraws = 0
        while headline in headlines or text.slugify(headline) in slugs:
            redraws += 1
            # Tens of thousands of posts use up the templates' headlines: number the follow-ups.
            headline = text.headline(rng) if redraws <= HEADLINE_REDRAWS else f"{headline.split(' (part ')[0]} (part {redraws})"
        headlines.add(headline)
        slugs.add(text.slugify(headline))
        only_listed = index == listing_only
        category = text.CATEGORIES[0] if only_listed else rng.choices(text.CATEGORIES, CATEGORY_WEIGHTS)[0]
        paragraphs = tuple(text.body(rng, rng.randint(7, 11)))
        subheadings = _distinct(rng, "subheading", 2)
        posts.append(Post(
            index=index, post_id=1000 + 3 * (count - index), headline=headline,
            path=f"/{local_published:%Y/%m/%d}/{text.slugify(headline)}/",
            authors=tuple(rng.sample(authors, 2 if rng.random() < 0.15 else 1)),
            published=local_published, modified=modified, category=category,
            tags=tuple(rng.sample(text.TAGS, rng.randint(2, 3))), paragraphs=paragraphs,
            subheadings=(subheadings[0], subheadings[1]),
            list_items=tuple(_distinct(rng, "list_item", 4)), quote=text.fill("quote", rng),
            quote_by=rng.choice(text.OFFICIALS), caption=text.fill("caption", rng),
            comments=_comments(rng, local_published), listing_only=only_listed))
    # The last one generated is the draft: kept out of the site's posts, served under /drafts/.
    draft = posts.pop()
    draft.path, draft.index, draft.post_id = DISALLOWED_PATH, -1, 999
    visible = [p.index for p in posts if not p.listing_only]
    for post in posts:  # related posts: visible neighbours in time, as Jetpack tends to pick
        rng = Random(seed * 7_000_001 + post.index)
        window = visible[bisect_left(visible, post.index - 12): bisect_right(visible, post.index + 12)]
        nearby = [i for i in window if i != post.index]
        post.related = tuple(posts[i].post_id for i in rng.sample(nearby, min(3, len(nearby))))
    return posts, draft


def _distinct(rng: Random, kind: str, count: int) -> list[str]:
    found: list[str] = []
    while len(found) < count:
        candidate = text.fill(kind, rng)
        if candidate not in found:
            found.append(candidate)
    return found


def _comments(rng: Random, published: datetime) -> tuple[Comment, ...]:
    comments = []
    posted = published
    for _ in range(rng.randint(2, 6)):
        posted += timedelta(minutes=rng.randint(5, 600))
        replies: tuple[Comment, ...] = ()
        if rng.random() < 0.3:
            replies = (Comment(rng.choice(text.COMMENTERS), text.comment(rng), posted + timedelta(minutes=30)),)
        comments.append(Comment(rng.choice(text.COMMENTERS), text.comment(rng), posted, replies))
    return tuple(comments)
