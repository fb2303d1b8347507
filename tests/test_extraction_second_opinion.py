"""The second opinion: trafilatura reads a page only when our body is too short to be an article,
and its text is taken only when it holds clearly more."""

from __future__ import annotations

from crawler.extraction.second_opinion import SHORT_BODY_WORDS, better_body, is_doubtful
from crawler.text.words import count_words
from tests.extraction_pages import PARAGRAPHS, article_html, page

URL = "https://news.example/2024/03/03/weather-satellite/"
HTML = page(article_html())


def test_a_body_our_rules_missed_is_read_by_the_generic_extractor():
    found = better_body("Weather satellite reaches orbit", HTML, URL)
    assert all(paragraph in found for paragraph in PARAGRAPHS)


def test_a_body_long_enough_to_be_an_article_is_never_second_guessed():
    brief = " ".join(["word"] * SHORT_BODY_WORDS)
    assert not is_doubtful(brief)
    assert better_body(brief, HTML, URL) == brief


def test_a_short_body_is_kept_when_the_generic_extractor_finds_no_more():
    short = PARAGRAPHS[0]
    lone = page(f"<article><h1>Weather satellite reaches orbit</h1><p>{short}</p></article>")
    assert is_doubtful(short) and count_words(short) < SHORT_BODY_WORDS
    assert better_body(short, lone, URL) == short
