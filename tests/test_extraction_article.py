"""Extraction of whole articles: a full page's fields together, broken and empty pages, and a site's own selectors
over generic extraction."""

from __future__ import annotations

import pytest

from crawler.extraction import extract_article
from tests.extraction_pages import PARAGRAPHS, article_html, page, paragraphs_of


def test_wordpress_page_keeps_the_text_and_drops_comments_form_and_share_widget():
    share = """<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3>
               <ul><li><a href="https://twitter.com/share">Twitter</a></li><li><a href="#">Facebook</a></li></ul></div>
               <div id="jp-relatedposts" class="jp-relatedposts"><h3>Related</h3>
               <p><a href="/other">Another launch story with a long enough title to look like text</a></p></div>"""
    comments = """<div id="comments" class="comments-area"><h2 class="comments-title">2 thoughts on “Weather satellite”</h2>
        <ol class="comment-list"><li class="comment"><div class="comment-content"><p>Great news, I watched the
        launch from the beach and it was one of the most impressive things I have ever seen in my life.</p></div></li></ol>
        <div id="respond" class="comment-respond"><h3 id="reply-title">Leave a Reply</h3>
        <form id="commentform"><p class="comment-notes">Your email address will not be published.</p>
        <textarea name="comment"></textarea><input type="submit" value="Post Comment"></form></div></div>"""
    article = extract_article("https://news.example/2024/03/03/weather-satellite/",
                              page(article_html(extra_inside=share, extra_after=comments)))
    assert paragraphs_of(article.body) == PARAGRAPHS
    for leak in ("Share this", "Leave a Reply", "Great news", "Your email address", "Another launch story"):
        assert leak not in article.body


def test_a_one_line_quote_opening_a_wordpress_article_is_kept_and_its_comment_form_is_not():
    # The shape of the mission's own example: headline, a one-line opening quote, paragraphs, a
    # share box and a "Leave a Reply" form.
    quote = "“I already set the kettle on the stove.”"
    share = '<div class="sharedaddy"><h3 class="sd-title">Share this:</h3><a href="#">Twitter</a></div>'
    reply = """<div id="respond" class="comment-respond"><h3 id="reply-title">Leave a Reply</h3>
        <p class="comment-notes">Your email address will not be published.</p></div>"""
    article = extract_article("https://news.example/2024/03/03/weather-satellite/",
                              page(article_html(opening=f"<p>{quote}</p>", extra_inside=share, extra_after=reply)))
    assert paragraphs_of(article.body) == [quote, *PARAGRAPHS]
    assert "Leave a Reply" not in article.body and "Share this" not in article.body


def test_broken_html_still_gives_the_text():
    broken = ("<html><body><div class='story'><h1>Headline<p>" + "<p>".join(PARAGRAPHS)
              + "</div></span></td><p>Unclosed <b>bold")
    article = extract_article("https://news.example/x", broken)
    for paragraph in PARAGRAPHS:
        assert paragraph in article.body


@pytest.mark.parametrize("html", ["", "   ", "<html></html>", "<?xml version='1.0' encoding='utf-8'?><html><body></body></html>"])
def test_empty_page_gives_an_empty_body_not_an_error(html):
    article = extract_article("https://news.example/x", html)
    assert article.body == ""
    assert article.url == "https://news.example/x"


def test_site_selectors_override_generic_extraction():
    body = article_html(extra_inside="<div class='promo-box'><p>Subscribe to our print edition today and save a lot of money on it.</p></div>")
    body += "<div class='kicker'>Launch report</div><span class='when' data-x='1'>2024-03-05</span>"
    selectors = {"title": ".kicker", "authors": ".entry-meta a", "published": ".when",
                 "body": ".entry-content", "remove": ".promo-box", "section": ".kicker", "tags": ".kicker"}
    article = extract_article("https://news.example/x", page(body), selectors=selectors)
    assert article.title == "Launch report"
    assert article.authors == ["Jane Doe"]
    assert article.published == "2024-03-05"
    assert article.section == "Launch report"
    assert article.tags == ["Launch report"]
    assert paragraphs_of(article.body) == PARAGRAPHS
