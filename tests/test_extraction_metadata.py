"""What a page declares about itself: JSON-LD and meta tags for section, tags, image, page type,
language and canonical URL."""

from __future__ import annotations

import json

import pytest

from crawler.extraction import extract_article
from tests.extraction_pages import page

YOAST_GRAPH = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "Organization", "@id": "https://news.example/#organization", "name": "Example Space News"},
        {"@type": "WebSite", "@id": "https://news.example/#website", "name": "Example Space News"},
        {"@type": "WebPage", "@id": "https://news.example/story/#webpage", "url": "https://news.example/story/",
         "datePublished": "2024-03-03T10:15:00-05:00", "dateModified": "2024-03-04T08:00:00-05:00",
         "inLanguage": "en-US"},
        {"@type": "Article", "@id": "https://news.example/story/#article", "headline": "Weather satellite reaches orbit",
         "author": {"@id": "https://news.example/#/schema/person/abc"},
         "publisher": {"@id": "https://news.example/#organization"},
         "articleSection": ["Launches"], "keywords": ["satellites", "weather"],
         "image": {"@id": "https://news.example/#primaryimage"}},
        {"@type": "ImageObject", "@id": "https://news.example/#primaryimage", "url": "https://news.example/sat.jpg"},
        {"@type": "Person", "@id": "https://news.example/#/schema/person/abc", "name": "Jane Doe"},
    ],
}


def test_yoast_graph_gives_author_dates_section_tags_image_and_type():
    head = f"<script type='application/ld+json' class='yoast-schema-graph'>{json.dumps(YOAST_GRAPH)}</script>"
    article = extract_article("https://news.example/story/", page("<p>Text.</p>", head=head, lang=""))
    assert article.authors == ["Jane Doe"]
    assert article.published == "2024-03-03T10:15:00-05:00"  # the text found, offset kept
    assert article.modified == "2024-03-04T08:00:00-05:00"
    assert article.section == "Launches"
    assert article.tags == ["satellites", "weather"]
    assert article.image == "https://news.example/sat.jpg"
    assert article.page_type == "Article"
    assert article.language == "en"


def test_broken_json_ld_is_read_or_skipped_without_error():
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Broken but readable",}</script>'
            '<script type="application/ld+json">{ not json at all</script>')
    article = extract_article("https://news.example/x", page("<p>Text.</p>", head=head))
    assert article.page_type == "NewsArticle"
    assert article.title == "Broken but readable"


@pytest.mark.parametrize("head, expected", [
    ("<link rel='canonical' href='/2024/story/'>", "https://news.example/2024/story/"),
    ("<meta property='og:url' content='https://news.example/2024/story/'>", "https://news.example/2024/story/"),
    ("<link rel='canonical' href='https://news.example/'>", "https://news.example/2024/story/?utm_source=feed"),
    ("", "https://news.example/2024/story/?utm_source=feed"),
])
def test_url_is_the_declared_canonical_made_absolute_unless_it_names_the_front_page(head, expected):
    article = extract_article("https://news.example/2024/story/?utm_source=feed", page("<p>Text.</p>", head=head))
    assert article.url == expected
    assert article.fetched_url == "https://news.example/2024/story/?utm_source=feed"


def test_meta_names_match_whatever_separators_the_page_writes():
    head = "<meta property='article:published:time' content='2024-03-03T10:15:00+00:00'><meta name='DC.Creator' content='Jane Doe'>"
    article = extract_article("https://news.example/x", page("<p>Text.</p>", head=head))
    assert article.published == "2024-03-03T10:15:00+00:00"
    assert article.authors == ["Jane Doe"]


@pytest.mark.parametrize("lang, head, hint, expected", [
    ("de-DE", "", None, "de"),
    ("", "<meta property='og:locale' content='fr_FR'>", None, "fr"),
    ("", "", "es", "es"),
    ("", "", None, None),
])
def test_language_comes_from_the_page_else_the_hint(lang, head, hint, expected):
    article = extract_article("https://news.example/x", page("<p>Text.</p>", head=head, lang=lang), language=hint)
    assert article.language == expected


@pytest.mark.parametrize("head, expected", [
    ('<script type="application/ld+json">{"@type": "CollectionPage", "name": "Launches"}</script>', "CollectionPage"),
    ('<script type="application/ld+json">[{"@type": "Organization", "name": "X"}, {"@type": "VideoObject", "name": "V"}]</script>',
     "VideoObject"),
    ("<meta property='og:type' content='article'>", "article"),
    ("", None),
])
def test_page_type_is_what_the_page_declares(head, expected):
    assert extract_article("https://news.example/x", page("<p>Text.</p>", head=head)).page_type == expected
