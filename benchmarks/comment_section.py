"""Real pages with a WordPress comment section added after their article, for measuring that
comments never leak into the body: the thread and "Leave a Reply" form come from fakesite's
WordPress theme, the article from the corpus page."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import lxml.html
from lxml.html import HtmlElement

from benchmarks.scoring import Case, collapse
from crawler.extraction.blocks import text_of
from crawler.extraction.article import parse_html
from fakesite.pages import Renderer
from fakesite.site import FakeSite, comment_texts

# What every WordPress comment form shows; the thread's own texts are added per page.
FORM_PHRASES = ("Leave a Reply", "Your email address will not be published")
SHORTEST_MATCHED_PARAGRAPH = 30  # characters: shorter ones ("Photo: NASA") also occur outside the article


def _comment_sections() -> Iterator[tuple[str, list[str]]]:
    """Comment sections (markup, comment texts) of a generated site's posts, round and round."""
    site = FakeSite(articles=24, seed=7, lazy=True)
    site.base_url = "https://comments.example"
    renderer = Renderer(site)
    sections = [(renderer.comments(post, site.url(post.path)), comment_texts(post.comments))
                for post in site.posts if post.comments]
    while True:
        yield from sections


def _last_article_paragraph(root: HtmlElement, gold_body: str) -> HtmlElement | None:
    """The page's last paragraph whose text the gold body holds: where the article ends."""
    body = collapse(gold_body)
    last = None
    for paragraph in root.iter("p"):
        text = collapse(text_of(paragraph))
        if len(text) >= SHORTEST_MATCHED_PARAGRAPH and text in body:
            last = paragraph
    return last


def _insert_after_article(root: HtmlElement, section: HtmlElement, gold_body: str) -> None:
    """After the <article> holding the article's end, as WordPress themes place it; on pages
    without one, right after the element holding the article's last paragraph; else at the end."""
    last = _last_article_paragraph(root, gold_body)
    if last is None:
        (root.find("body") if root.find("body") is not None else root).append(section)
        return
    anchor = next((a for a in last.iterancestors() if a.tag == "article"), last.getparent())
    if anchor is None or anchor.getparent() is None:
        anchor = last
    anchor.addnext(section)


def with_comment_sections(cases: list[Case], pages: dict[str, str]) -> tuple[list[Case], dict[str, str]]:
    """The cases with a body gold, each page with a comment section after its article, and the
    section's texts (comments, form phrases) added to what the body must not hold."""
    sections = _comment_sections()
    changed_cases, changed_pages = [], {}
    for case in cases:
        root = parse_html(pages[case.id])
        if "body" not in case.gold or root is None:
            continue
        markup, texts = next(sections)
        _insert_after_article(root, lxml.html.fragment_fromstring(markup), case.gold["body"])
        changed_pages[case.id] = lxml.html.tostring(root, encoding="unicode")
        excluded = [*case.gold.get("must_exclude", []), *texts, *FORM_PHRASES]
        changed_cases.append(dataclasses.replace(case, gold={**case.gold, "must_exclude": excluded}))
    return changed_cases, changed_pages
