"""Reading a page's bytes and markup: declared and mislabelled encodings, stray bytes, and text behind
HTML comments."""

from __future__ import annotations

import pytest

from crawler.extraction import decode_html, extract_article
from crawler.extraction.article import parse_html
from tests.extraction_pages import PARAGRAPHS, page, paragraphs_of


def test_decode_html_follows_the_declared_encoding():
    html = "<html><head><meta charset='windows-1252'></head><body><p>café – naïve</p></body></html>"
    assert "café – naïve" in decode_html(html.encode("cp1252"))
    assert "café" in decode_html(html.replace("windows-1252", "utf-8").encode("utf-8"), "text/html; charset=utf-8")


def test_cp1252_text_labelled_utf8_is_read_as_cp1252_but_utf8_text_with_a_stray_byte_stays_utf8():
    html = "<html><head><meta charset='utf-8'></head><body><p>NASA’s “Artemis” café – naïve</p></body></html>"
    assert "NASA’s “Artemis” café – naïve" in decode_html(html.encode("cp1252"), "text/html; charset=utf-8")
    mixed = html.encode("utf-8").replace(b"</p>", b" \xe9</p>")  # one byte UTF-8 cannot read
    assert "NASA’s “Artemis” café – naïve \ufffd" in decode_html(mixed, "text/html; charset=utf-8")


def test_text_labelled_utf8_in_another_encoding_is_read_by_its_own_meta_else_left_alone():
    page_in = "<html{lang}><head>{meta}</head><body><p>{text}</p></body></html>"
    polish = page_in.format(lang="", meta="<meta charset='iso-8859-2'>", text="Łódź źródło").encode("iso-8859-2")
    assert "Łódź źródło" in decode_html(polish, "text/html; charset=utf-8")
    # Russian in cp1251 would read as "Ðàêåòà" in cp1252: its replacement characters stay instead
    russian = page_in.format(lang=" lang='ru'", meta="", text="Ракета стартовала").encode("cp1251")
    assert "\ufffd" in decode_html(russian, "text/html; charset=utf-8")


def test_a_nul_byte_inside_a_word_is_dropped_not_made_a_replacement_character():
    body = f"<article><h1>Weather satellite reaches orbit</h1><p>The sat\x00ellites {PARAGRAPHS[0]}</p></article>"
    assert extract_article("https://news.example/x", page(body)).body.startswith("The satellites ")


@pytest.mark.parametrize("html, text", [
    ("\ufeff<p>é ü</p>", "é ü"),  # a byte-order mark left in the text is no character of the page
    ("<p>ок 中文 🚀</p>", "ок 中文 🚀"),  # (pages reach libxml2 as UTF-8 bytes, whatever the script)
    ("<p>x\ufffey\uffffz\x0cw</p>", "xyz w"),  # characters XML refuses, as text or as bytes
    ('<?xml version="1.0" encoding="iso-8859-1"?><p>café</p>', "café"),  # the text is decoded already
    ("<p>a\ud800b</p>", "a"),  # a lone surrogate (a bad escape) no UTF-8 holds: parsed as text, cut there
])
def test_a_page_parses_to_its_text(html, text):
    assert parse_html(html).text_content() == text


def test_text_after_html_comments_is_kept():
    # Some CMSs mark every fragment with comments: the paragraph text is a comment's tail.
    paragraphs = "".join(f"<p><!-- fragment -->{p}<!-- /fragment --></p>" for p in PARAGRAPHS)
    body = f"<article><h1>Weather satellite reaches orbit</h1><div class='richtext'>{paragraphs}</div></article>"
    assert paragraphs_of(extract_article("https://news.example/x", page(body)).body) == PARAGRAPHS
